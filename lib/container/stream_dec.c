/*
 * stream_dec.c -- the .xz decoder (xz-file-format.txt 2): the parser of
 * stream_parse.c (stream header, block headers, Index, footer, padding)
 * plus two states of its own for each Block:
 *
 *   ... BLOCK_HEADER -> BLOCK_INIT -> BLOCK_RUN -> BLOCK_HEADER ...
 *
 * BLOCK_INIT decodes the header and creates the Block decoder (separate
 * so that it runs again after LZMA_MEMLIMIT_ERROR once the caller raised
 * the limit); BLOCK_RUN streams the Block through it. The loop in
 * stream_decode() runs states until one stalls or returns something else.
 */
#include "container/container.h"

enum seq {
	SEQ_BLOCK_RUN = XZC_SEQ_OWN,
};

struct stream_dec {
	xzc_stream_parser p;            /* p.seq is this decoder's state */
	xzc_coder block_decoder;        /* reads p.block while it runs */
	uint64_t memlimit;
	uint64_t memusage;              /* of the current (or refused) block */
};

static lzma_ret block_init(struct stream_dec *s, const lzma_allocator *a)
{
	lzma_ret ret = xzc_parser_block_header_decode(&s->p, a);
	if (ret != LZMA_OK)
		return ret;
	const uint64_t need = xzc_raw_coder_memusage(s->p.filters, false);
	if (need == UINT64_MAX) {
		ret = LZMA_OPTIONS_ERROR;       /* unknown filter or chain */
	} else {
		s->memusage = need;
		if (need > s->memlimit) {
			/* The header stays in buffer[]: after the caller
			 * raises the limit, this state runs again. */
			ret = LZMA_MEMLIMIT_ERROR;
		} else {
			xzc_coder_end(&s->block_decoder, a);
			ret = xzc_block_decoder_init(&s->block_decoder, a,
						     &s->p.block);
		}
	}
	/* The coders have taken what they need from the options. */
	xzc_filters_free(s->p.filters, a);
	s->p.block.filters = NULL;
	if (ret != LZMA_OK)
		return ret;
	s->p.seq = SEQ_BLOCK_RUN;
	return LZMA_OK;
}

static lzma_ret block_run(struct stream_dec *s, const lzma_allocator *a,
			  const uint8_t *in, size_t *in_pos, size_t in_size,
			  uint8_t *out, size_t *out_pos, size_t out_size,
			  lzma_action action)
{
	lzma_ret ret = s->block_decoder.code(s->block_decoder.state, a, in,
					     in_pos, in_size, out, out_pos,
					     out_size, action);
	if (ret != LZMA_STREAM_END)
		return ret;
	/* Remember the block's sizes for the Index check (4.3). */
	ret = lzma_index_hash_append(s->p.index_hash,
				     lzma_block_unpadded_size(&s->p.block),
				     s->p.block.uncompressed_size);
	if (ret != LZMA_OK)
		return ret;
	xzc_coder_end(&s->block_decoder, a);
	s->p.seq = XZC_SEQ_BLOCK_HEADER;
	return LZMA_OK;
}

static lzma_ret stream_decode(void *state, const lzma_allocator *a,
			      const uint8_t *in, size_t *in_pos,
			      size_t in_size, uint8_t *out, size_t *out_pos,
			      size_t out_size, lzma_action action)
{
	struct stream_dec *s = state;
	for (;;) {
		const unsigned before = s->p.seq;
		lzma_ret ret;
		switch (s->p.seq) {
		case XZC_SEQ_BLOCK_INIT:
			ret = block_init(s, a);
			break;
		case SEQ_BLOCK_RUN:
			ret = block_run(s, a, in, in_pos, in_size, out,
					out_pos, out_size, action);
			break;
		case XZC_SEQ_END:
			return LZMA_STREAM_END;
		default:
			ret = xzc_parser_step(&s->p, a, in, in_pos, in_size,
					      action);
			break;
		}
		if (ret != LZMA_OK || s->p.seq == before)
			return ret;
	}
}

static void stream_end(void *state, const lzma_allocator *a)
{
	struct stream_dec *s = state;
	xzc_coder_end(&s->block_decoder, a);
	xzc_parser_end(&s->p, a);
	xzc_free(a, s);
}

static lzma_check stream_get_check(const void *state)
{
	const struct stream_dec *s = state;
	return s->p.stream_flags.check;
}

static lzma_ret stream_memconfig(void *state, uint64_t *memusage,
				 uint64_t *old_memlimit, uint64_t new_memlimit)
{
	struct stream_dec *s = state;
	*memusage = s->memusage;
	*old_memlimit = s->memlimit;
	if (new_memlimit != 0) {
		if (new_memlimit < s->memusage)
			return LZMA_MEMLIMIT_ERROR;
		s->memlimit = new_memlimit;
	}
	return LZMA_OK;
}

lzma_ret xzc_stream_decoder_init(xzc_coder *c, const lzma_allocator *a,
				 uint64_t memlimit, uint32_t flags)
{
	if (flags & ~(uint32_t)XZC_DECODER_FLAGS)
		return LZMA_OPTIONS_ERROR;
	struct stream_dec *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	if (xzc_parser_init(&s->p, a, flags) != LZMA_OK) {
		xzc_free(a, s);
		return LZMA_MEM_ERROR;
	}
	s->block_decoder = XZC_CODER_INIT;
	s->memlimit = MAX(memlimit, 1);
	s->memusage = XZC_MEMUSAGE_BASE;
	*c = (xzc_coder){ .state = s, .code = stream_decode, .end = stream_end,
			  .get_check = stream_get_check,
			  .memconfig = stream_memconfig };
	return LZMA_OK;
}
