/*
 * threads_api.c -- the public entry points of the threads layer
 * (lib/threads): they check nothing themselves; the coders' init functions
 * do, and xzc_api_install() puts the coder in the stream.
 */
#include "api/api.h"
#include "threads/threads.h"

LZMA_API(lzma_ret) lzma_stream_decoder_mt(lzma_stream *strm,
					  const lzma_mt *options)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_mt_decoder_init(
		&c, strm == NULL ? NULL : strm->allocator, options);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}

LZMA_API(lzma_ret) lzma_stream_encoder_mt(lzma_stream *strm,
					  const lzma_mt *options)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_mt_encoder_init(
		&c, strm == NULL ? NULL : strm->allocator, options);
	/* No LZMA_SYNC_FLUSH: a Block cannot be flushed without ending it,
	 * which is what LZMA_FULL_FLUSH is for (as in liblzma). */
	return xzc_api_install(strm, &c, ret,
			       XZC_ACT(LZMA_RUN) | XZC_ACT(LZMA_FULL_FLUSH)
			       | XZC_ACT(LZMA_FULL_BARRIER)
			       | XZC_ACT(LZMA_FINISH));
}

LZMA_API(uint64_t) lzma_stream_encoder_mt_memusage(const lzma_mt *options)
{
	return xzc_mt_encoder_memusage(options);
}
