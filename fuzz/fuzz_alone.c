/* fuzz_alone.c -- .lzma through lzma_alone_decoder; see fuzz_common.h for
 * the input layout and the checks. */
#include "fuzz_common.h"

/* param[0] bit 0: a memory limit of 1 MiB instead of FZ_MEMLIMIT (the
 * header's dictionary size is then often over the limit). */
static lzma_ret init(lzma_stream *strm, const uint8_t param[2])
{
	return lzma_alone_decoder(strm, param[0] & 1 ? (uint64_t)1 << 20 : FZ_MEMLIMIT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_check_decoder(init, data, size);
}
