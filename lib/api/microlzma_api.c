/*
 * microlzma_api.c -- lzma_microlzma_encoder() and lzma_microlzma_decoder():
 * install the MicroLZMA coders of lib/lzma/microlzma.c in an lzma_stream.
 */
#include "api/api.h"
#include "lzma/microlzma.h"

LZMA_API(lzma_ret) lzma_microlzma_encoder(lzma_stream *strm,
					  const lzma_options_lzma *options)
{
	if (strm == NULL)
		return LZMA_PROG_ERROR;
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_microlzma_encoder_init(&c, strm->allocator,
							options);
	return xzc_api_install(strm, &c, ret, XZC_ACT(LZMA_FINISH));
}

LZMA_API(lzma_ret) lzma_microlzma_decoder(lzma_stream *strm,
					  uint64_t comp_size,
					  uint64_t uncomp_size,
					  lzma_bool uncomp_size_is_exact,
					  uint32_t dict_size)
{
	if (strm == NULL)
		return LZMA_PROG_ERROR;
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_microlzma_decoder_init(&c, strm->allocator,
							comp_size, uncomp_size,
							uncomp_size_is_exact,
							dict_size);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}
