/*
 * decoders.c -- the public entry points that create decoders: the streaming
 * ones install a coder of lib/container in an lzma_stream; the buffer ones
 * run a coder once over a whole buffer.
 *
 * The buffer functions follow liblzma's contract: on success *in_pos and
 * *out_pos are advanced; on any failure both are left as they were.
 */
#include "api/api.h"
#include "container/container.h"

static const lzma_allocator *allocator_of(const lzma_stream *strm)
{
	return strm == NULL ? NULL : strm->allocator;
}

LZMA_API(lzma_ret) lzma_stream_decoder(lzma_stream *strm, uint64_t memlimit,
				       uint32_t flags)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_stream_decoder_init(&c, allocator_of(strm),
						     memlimit, flags);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}

/* lzma_alone_decoder() accepts any header (not picky), like liblzma. */
LZMA_API(lzma_ret) lzma_alone_decoder(lzma_stream *strm, uint64_t memlimit)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_alone_decoder_init(&c, allocator_of(strm),
						    memlimit, false);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}

LZMA_API(lzma_ret) lzma_lzip_decoder(lzma_stream *strm, uint64_t memlimit,
				     uint32_t flags)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_lzip_decoder_init(&c, allocator_of(strm),
						   memlimit, flags);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}

LZMA_API(lzma_ret) lzma_auto_decoder(lzma_stream *strm, uint64_t memlimit,
				     uint32_t flags)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_auto_decoder_init(&c, allocator_of(strm),
						   memlimit, flags);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}

LZMA_API(lzma_ret) lzma_raw_decoder(lzma_stream *strm,
				    const lzma_filter *filters)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_raw_decoder_init(&c, allocator_of(strm),
						  filters);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}

/* *block must stay valid while the stream is in use (liblzma's rule). */
LZMA_API(lzma_ret) lzma_block_decoder(lzma_stream *strm, lzma_block *block)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_block_decoder_init(&c, allocator_of(strm),
						    block);
	return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
}

/* ---- single-call decoding ---------------------------------------------- */

static bool buffers_valid(const uint8_t *in, const size_t *in_pos,
			  size_t in_size, const uint8_t *out,
			  const size_t *out_pos, size_t out_size)
{
	return in_pos != NULL && (in != NULL || *in_pos == in_size)
	       && *in_pos <= in_size && out_pos != NULL
	       && (out != NULL || *out_pos == out_size)
	       && *out_pos <= out_size;
}

LZMA_API(lzma_ret) lzma_stream_buffer_decode(uint64_t *memlimit,
					     uint32_t flags,
					     const lzma_allocator *a,
					     const uint8_t *in, size_t *in_pos,
					     size_t in_size, uint8_t *out,
					     size_t *out_pos, size_t out_size)
{
	if (memlimit == NULL
	    || !buffers_valid(in, in_pos, in_size, out, out_pos, out_size))
		return LZMA_PROG_ERROR;
	/* There is no second call in which to act on LZMA_GET_CHECK. */
	if (flags & LZMA_TELL_ANY_CHECK)
		return LZMA_PROG_ERROR;
	in = xzc_nonnull_in(in);        /* common.h: coders never see NULL */
	out = xzc_nonnull(out);

	xzc_coder c = XZC_CODER_INIT;
	lzma_ret ret = xzc_stream_decoder_init(&c, a, *memlimit, flags);
	if (ret != LZMA_OK)
		return ret;
	const size_t in_start = *in_pos, out_start = *out_pos;
	ret = c.code(c.state, a, in, in_pos, in_size, out, out_pos, out_size,
		     LZMA_FINISH);
	if (ret == LZMA_STREAM_END) {
		ret = LZMA_OK;
	} else {
		if (ret == LZMA_OK) {
			/* Stopped without an error: the output buffer is
			 * full or the input ran out. liblzma restores the
			 * positions before it tells these apart, which
			 * makes both LZMA_BUF_ERROR (unless the input was
			 * empty); we keep its observable behaviour. */
			*in_pos = in_start;
			ret = *in_pos == in_size ? LZMA_DATA_ERROR
						 : LZMA_BUF_ERROR;
		} else if (ret == LZMA_MEMLIMIT_ERROR) {
			/* Tell the caller how much would have been needed. */
			uint64_t old_limit;
			(void)c.memconfig(c.state, memlimit, &old_limit, 0);
		}
		*in_pos = in_start;
		*out_pos = out_start;
	}
	xzc_coder_end(&c, a);
	return ret;
}

/* A coder that stopped with LZMA_OK and LZMA_FINISH: is the output buffer
 * too small (BUF_ERROR) or the input truncated (DATA_ERROR)? When both are
 * used up, try for one more output byte to tell. */
static lzma_ret classify_stop(xzc_coder *c, const lzma_allocator *a,
			      const uint8_t *in, size_t *in_pos,
			      size_t in_size, size_t out_pos, size_t out_size)
{
	if (*in_pos != in_size)
		return LZMA_BUF_ERROR;
	if (out_pos != out_size)
		return LZMA_DATA_ERROR;
	uint8_t extra[1];
	size_t extra_pos = 0;
	(void)c->code(c->state, a, in, in_pos, in_size, extra, &extra_pos, 1,
		      LZMA_FINISH);
	return extra_pos == 1 ? LZMA_BUF_ERROR : LZMA_DATA_ERROR;
}

LZMA_API(lzma_ret) lzma_raw_buffer_decode(const lzma_filter *filters,
					  const lzma_allocator *a,
					  const uint8_t *in, size_t *in_pos,
					  size_t in_size, uint8_t *out,
					  size_t *out_pos, size_t out_size)
{
	if (in == NULL || out == NULL
	    || !buffers_valid(in, in_pos, in_size, out, out_pos, out_size))
		return LZMA_PROG_ERROR;
	xzc_coder c = XZC_CODER_INIT;
	lzma_ret ret = xzc_raw_decoder_init(&c, a, filters);
	if (ret != LZMA_OK)
		return ret;
	const size_t in_start = *in_pos, out_start = *out_pos;
	ret = c.code(c.state, a, in, in_pos, in_size, out, out_pos, out_size,
		     LZMA_FINISH);
	if (ret == LZMA_STREAM_END) {
		ret = LZMA_OK;
	} else {
		if (ret == LZMA_OK)
			ret = classify_stop(&c, a, in, in_pos, in_size,
					    *out_pos, out_size);
		*in_pos = in_start;
		*out_pos = out_start;
	}
	xzc_coder_end(&c, a);
	return ret;
}

LZMA_API(lzma_ret) lzma_block_buffer_decode(lzma_block *block,
					    const lzma_allocator *a,
					    const uint8_t *in, size_t *in_pos,
					    size_t in_size, uint8_t *out,
					    size_t *out_pos, size_t out_size)
{
	if (!buffers_valid(in, in_pos, in_size, out, out_pos, out_size))
		return LZMA_PROG_ERROR;
	in = xzc_nonnull_in(in);        /* common.h: coders never see NULL */
	out = xzc_nonnull(out);
	xzc_coder c = XZC_CODER_INIT;
	lzma_ret ret = xzc_block_decoder_init(&c, a, block);
	if (ret != LZMA_OK)
		return ret;
	const size_t in_start = *in_pos, out_start = *out_pos;
	ret = c.code(c.state, a, in, in_pos, in_size, out, out_pos, out_size,
		     LZMA_FINISH);
	if (ret == LZMA_STREAM_END) {
		ret = LZMA_OK;
	} else {
		/* The last byte of a Block never produces output, so all
		 * input used means truncated input. */
		if (ret == LZMA_OK)
			ret = *in_pos == in_size ? LZMA_DATA_ERROR
						 : LZMA_BUF_ERROR;
		*in_pos = in_start;
		*out_pos = out_start;
	}
	xzc_coder_end(&c, a);
	return ret;
}
