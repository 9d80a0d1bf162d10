/*
 * encoders.c -- the public entry points that create encoders (installing a
 * coder of lib/container in an lzma_stream), the single-call encoders that
 * are not tied to one container file, the memory estimates, and the
 * filter-chain utilities an encoder's caller needs (copy, free, update).
 *
 * Actions each encoder accepts are liblzma's: the .xz stream encoder takes
 * all five; the block and raw encoders RUN, SYNC_FLUSH and FINISH (a chain
 * that cannot flush, e.g. LZMA1, answers LZMA_OPTIONS_ERROR itself); the
 * .lzma and .lz encoders RUN and FINISH.
 */
#include "api/api.h"
#include "container/container_enc.h"
#include "lzma/lzma_enc.h"

#include "clearxz.h"

#define ACTIONS_STREAM \
	(XZC_ACT(LZMA_RUN) | XZC_ACT(LZMA_SYNC_FLUSH) \
	 | XZC_ACT(LZMA_FULL_FLUSH) | XZC_ACT(LZMA_FULL_BARRIER) \
	 | XZC_ACT(LZMA_FINISH))
#define ACTIONS_FLUSHABLE \
	(XZC_ACT(LZMA_RUN) | XZC_ACT(LZMA_SYNC_FLUSH) | XZC_ACT(LZMA_FINISH))
#define ACTIONS_PLAIN (XZC_ACT(LZMA_RUN) | XZC_ACT(LZMA_FINISH))

static const lzma_allocator *allocator_of(const lzma_stream *strm)
{
	return strm == NULL ? NULL : strm->allocator;
}

/* A preset as a one-filter LZMA2 chain (*opt holds the options). */
static bool preset_chain(uint32_t preset, lzma_options_lzma *opt,
			 lzma_filter chain[2])
{
	if (lzma_lzma_preset(opt, preset))
		return false;
	chain[0] = (lzma_filter){ .id = LZMA_FILTER_LZMA2, .options = opt };
	chain[1] = (lzma_filter){ .id = LZMA_VLI_UNKNOWN, .options = NULL };
	return true;
}

/* ---- streaming encoders ------------------------------------------------- */

LZMA_API(lzma_ret) lzma_stream_encoder(lzma_stream *strm,
				       const lzma_filter *filters,
				       lzma_check check)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_stream_encoder_init(&c, allocator_of(strm),
						     filters, check);
	return xzc_api_install(strm, &c, ret, ACTIONS_STREAM);
}

LZMA_API(lzma_ret) lzma_easy_encoder(lzma_stream *strm, uint32_t preset,
				     lzma_check check)
{
	lzma_options_lzma opt;
	lzma_filter chain[2];
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = preset_chain(preset, &opt, chain)
		? xzc_stream_encoder_init(&c, allocator_of(strm), chain, check)
		: LZMA_OPTIONS_ERROR;
	return xzc_api_install(strm, &c, ret, ACTIONS_STREAM);
}

LZMA_API(lzma_ret) lzma_alone_encoder(lzma_stream *strm,
				      const lzma_options_lzma *options)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_alone_encoder_init(&c, allocator_of(strm),
						    options);
	return xzc_api_install(strm, &c, ret, ACTIONS_PLAIN);
}

LZMA_API(lzma_ret) lzma_raw_encoder(lzma_stream *strm,
				    const lzma_filter *filters)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_raw_encoder_init(&c, allocator_of(strm),
						  filters);
	return xzc_api_install(strm, &c, ret, ACTIONS_FLUSHABLE);
}

/* *block must stay valid while the stream is in use (liblzma's rule). */
LZMA_API(lzma_ret) lzma_block_encoder(lzma_stream *strm, lzma_block *block)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_block_encoder_init(&c, allocator_of(strm),
						    block);
	return xzc_api_install(strm, &c, ret, ACTIONS_FLUSHABLE);
}

/* *i must stay valid and unchanged while the stream is in use. */
LZMA_API(lzma_ret) lzma_index_encoder(lzma_stream *strm, const lzma_index *i)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_index_encoder_init(&c, allocator_of(strm), i);
	return xzc_api_install(strm, &c, ret, ACTIONS_PLAIN);
}

/* A clearxz extension (include/clearxz.h), not exported from the shared
 * library: no LZMA_API. */
lzma_ret clearxz_lzip_encoder(lzma_stream *strm, const lzma_options_lzma *opt)
{
	xzc_coder c = XZC_CODER_INIT;
	const lzma_ret ret = xzc_lzip_encoder_init(&c, allocator_of(strm), opt);
	return xzc_api_install(strm, &c, ret, ACTIONS_PLAIN);
}

/* ---- single-call encoders ---------------------------------------------- */

LZMA_API(lzma_ret) lzma_easy_buffer_encode(uint32_t preset, lzma_check check,
					   const lzma_allocator *a,
					   const uint8_t *in, size_t in_size,
					   uint8_t *out, size_t *out_pos,
					   size_t out_size)
{
	lzma_options_lzma opt;
	lzma_filter chain[2];
	if (!preset_chain(preset, &opt, chain))
		return LZMA_OPTIONS_ERROR;
	return lzma_stream_buffer_encode(chain, check, a, in, in_size, out,
					 out_pos, out_size);
}

/* On failure *out_pos is left as it was. */
LZMA_API(lzma_ret) lzma_raw_buffer_encode(const lzma_filter *filters,
					  const lzma_allocator *a,
					  const uint8_t *in, size_t in_size,
					  uint8_t *out, size_t *out_pos,
					  size_t out_size)
{
	if ((in == NULL && in_size != 0) || out == NULL || out_pos == NULL
	    || *out_pos > out_size)
		return LZMA_PROG_ERROR;
	in = xzc_nonnull_in(in);        /* common.h: coders never see NULL */
	xzc_coder c = XZC_CODER_INIT;
	lzma_ret ret = xzc_raw_encoder_init(&c, a, filters);
	if (ret != LZMA_OK)
		return ret;
	const size_t out_start = *out_pos;
	size_t in_pos = 0;
	ret = c.code(c.state, a, in, &in_pos, in_size, out, out_pos, out_size,
		     LZMA_FINISH);
	xzc_coder_end(&c, a);
	if (ret == LZMA_STREAM_END)
		return LZMA_OK;
	*out_pos = out_start;
	/* Stopped without an error: the output is full. */
	return ret == LZMA_OK ? LZMA_BUF_ERROR : ret;
}

/* ---- memory and capabilities ------------------------------------------- */

LZMA_API(uint64_t) lzma_raw_encoder_memusage(const lzma_filter *filters)
{
	return xzc_raw_coder_memusage(filters, true);
}

LZMA_API(uint64_t) lzma_easy_encoder_memusage(uint32_t preset)
{
	lzma_options_lzma opt;
	lzma_filter chain[2];
	if (!preset_chain(preset, &opt, chain))
		return UINT32_MAX;      /* liblzma's "invalid preset" */
	return xzc_raw_coder_memusage(chain, true);
}

LZMA_API(uint64_t) lzma_easy_decoder_memusage(uint32_t preset)
{
	lzma_options_lzma opt;
	lzma_filter chain[2];
	if (!preset_chain(preset, &opt, chain))
		return UINT32_MAX;
	return xzc_raw_coder_memusage(chain, false);
}

LZMA_API(lzma_bool) lzma_filter_encoder_is_supported(lzma_vli id)
{
	const xzc_filter_info *fi = xzc_filter_find(id);
	return fi != NULL && fi->encoder_init != NULL;
}

/* ---- filter chains ------------------------------------------------------ */

LZMA_API(lzma_ret) lzma_filters_copy(const lzma_filter *src, lzma_filter *dest,
				     const lzma_allocator *a)
{
	return xzc_filters_copy(src, dest, a);
}

LZMA_API(void) lzma_filters_free(lzma_filter *filters, const lzma_allocator *a)
{
	if (filters != NULL)
		xzc_filters_free(filters, a);
}

LZMA_API(lzma_ret) lzma_filters_update(lzma_stream *strm,
				       const lzma_filter *filters)
{
	xzc_coder *c = xzc_api_coder(strm);
	if (c == NULL || c->update == NULL)
		return LZMA_PROG_ERROR;
	if (xzc_raw_coder_memusage(filters, true) == UINT64_MAX)
		return LZMA_OPTIONS_ERROR;
	return c->update(c->state, strm->allocator, filters);
}
