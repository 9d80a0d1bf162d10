/* fuzz_stream_mt.c -- .xz through the threaded decoder
 * (lzma_stream_decoder_mt, LZMA_CONCATENATED), fed in small chunks: xz's
 * CVE-2025-31115, a use-after-free in its threaded decoder, was reachable
 * only that way. The chunked run stops at FZ_MAX_CHUNKED_OUT and ends the
 * stream while workers may still run, so lzma_end() mid-stream is fuzzed
 * too. See fuzz_common.h for the input layout and the checks. */
#include "fuzz_common.h"

#include <string.h>

/* param[0]: the decoder flags to add (as fuzz_stream.c).
 * param[1] bits 0-1: threads 2, 3, 4, 1 (0 gives 2: threaded by default);
 *          bit 2: memlimit_threading 1 byte, so every Block is decoded in
 *          direct mode; bit 3: memlimit_threading 256 KiB (few jobs).
 * By default memlimit_threading is 8 MiB: a mutated header may claim any
 * size, and a job's buffers are allocated (and, under ASan, poisoned) in
 * full, which at 64 MiB would slow the fuzzer down a hundredfold. */
static lzma_ret init(lzma_stream *strm, const uint8_t param[2])
{
	lzma_mt mt;
	memset(&mt, 0, sizeof(mt));
	mt.flags = LZMA_CONCATENATED;
	if (param[0] & 1)
		mt.flags |= LZMA_TELL_NO_CHECK;
	if (param[0] & 2)
		mt.flags |= LZMA_TELL_UNSUPPORTED_CHECK;
	if (param[0] & 4)
		mt.flags |= LZMA_TELL_ANY_CHECK;
	if (param[0] & 8)
		mt.flags |= LZMA_IGNORE_CHECK;
	if (param[0] & 16)
		mt.flags |= LZMA_FAIL_FAST;
	mt.threads = 1 + ((param[1] + 1) & 3);
	mt.memlimit_stop = FZ_MEMLIMIT;
	mt.memlimit_threading = (uint64_t)8 << 20;
	if (param[1] & 4)
		mt.memlimit_threading = 1;
	else if (param[1] & 8)
		mt.memlimit_threading = 256 << 10;
	return lzma_stream_decoder_mt(strm, &mt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_check_decoder(init, data, size);
}
