/* fuzz_lzip.c -- .lz through lzma_lzip_decoder; see fuzz_common.h for the
 * input layout and the checks. */
#include "fuzz_common.h"

/* param[0]: bit 0 LZMA_CONCATENATED (members and trailing data), bit 1
 * LZMA_IGNORE_CHECK, bit 2 LZMA_TELL_ANY_CHECK. */
static lzma_ret init(lzma_stream *strm, const uint8_t param[2])
{
	uint32_t flags = 0;
	if (param[0] & 1)
		flags |= LZMA_CONCATENATED;
	if (param[0] & 2)
		flags |= LZMA_IGNORE_CHECK;
	if (param[0] & 4)
		flags |= LZMA_TELL_ANY_CHECK;
	return lzma_lzip_decoder(strm, FZ_MEMLIMIT, flags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_check_decoder(init, data, size);
}
