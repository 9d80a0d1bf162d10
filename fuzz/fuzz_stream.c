/* fuzz_stream.c -- .xz through lzma_stream_decoder (LZMA_CONCATENATED), or
 * any format through lzma_auto_decoder; see fuzz_common.h for the input
 * layout and the checks. */
#include "fuzz_common.h"

/* param[0]: the decoder flags to add; param[1] bit 0: the auto decoder. */
static lzma_ret init(lzma_stream *strm, const uint8_t param[2])
{
	uint32_t flags = LZMA_CONCATENATED;
	if (param[0] & 1)
		flags |= LZMA_TELL_NO_CHECK;
	if (param[0] & 2)
		flags |= LZMA_TELL_UNSUPPORTED_CHECK;
	if (param[0] & 4)
		flags |= LZMA_TELL_ANY_CHECK;
	if (param[0] & 8)
		flags |= LZMA_IGNORE_CHECK;
	if (param[0] & 16)
		flags |= LZMA_FAIL_FAST;
	if (param[1] & 1)
		return lzma_auto_decoder(strm, FZ_MEMLIMIT, flags);
	return lzma_stream_decoder(strm, FZ_MEMLIMIT, flags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_check_decoder(init, data, size);
}
