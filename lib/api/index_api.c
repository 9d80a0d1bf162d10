/*
 * index_api.c -- the entry points that put an Index coder into an
 * lzma_stream: lzma_index_decoder() and lzma_file_info_decoder(). The
 * coders are in lib/container (index_dec.c, file_info.c); the encoder's
 * lzma_index_encoder() is in encoders.c.
 */
#include "api/api.h"
#include "container/index.h"

LZMA_API(lzma_ret) lzma_index_decoder(lzma_stream *strm, lzma_index **i,
				      uint64_t memlimit)
{
	if (strm == NULL)
		return LZMA_PROG_ERROR;
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_index_decoder_init(&c, strm->allocator, i,
						    memlimit);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}

LZMA_API(lzma_ret) lzma_file_info_decoder(lzma_stream *strm,
					  lzma_index **dest_index,
					  uint64_t memlimit,
					  uint64_t file_size)
{
	if (strm == NULL)
		return LZMA_PROG_ERROR;
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_file_info_decoder_init(&c, strm->allocator,
							&strm->seek_pos,
							dest_index, memlimit,
							file_size);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}
