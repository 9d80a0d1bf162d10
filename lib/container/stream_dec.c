/*
 * stream_dec.c -- the .xz decoder (xz-file-format.txt 2): one state machine
 * over the parts of a file, one small function per state.
 *
 *   STREAM_HEADER -> BLOCK_HEADER -> BLOCK_INIT -> BLOCK_RUN -+
 *                      ^   |  (0x00: Index Indicator)         |
 *                      |   +--> INDEX -> STREAM_FOOTER        |
 *                      +--------------------------------------+
 *   STREAM_FOOTER -> done, or with LZMA_CONCATENATED -> STREAM_PADDING
 *   STREAM_PADDING -> STREAM_HEADER of the next stream (2, 2.2)
 *
 * A state function consumes what it can and either moves to another state
 * or leaves the state unchanged, which means "need more input or output
 * space". It returns LZMA_OK, or a code the caller must see. The loop in
 * stream_decode() runs states until one stalls or returns something else.
 *
 * Fixed-size fields (stream header/footer, block header) are collected in
 * buffer[] so that any split of the input works; blocks and the Index are
 * streamed through their own decoders.
 */
#include "container/container.h"

enum seq {
	SEQ_STREAM_HEADER,
	SEQ_BLOCK_HEADER,
	SEQ_BLOCK_INIT,         /* separate: retried after MEMLIMIT_ERROR */
	SEQ_BLOCK_RUN,
	SEQ_INDEX,
	SEQ_STREAM_FOOTER,
	SEQ_STREAM_PADDING,
};

struct stream_dec {
	enum seq seq;
	uint32_t flags;                 /* LZMA_TELL_*, LZMA_IGNORE_CHECK ... */
	bool first_stream;              /* bad magic: FORMAT_ERROR only here */
	xzc_coder block_decoder;
	lzma_block block;               /* read by block_decoder while it runs */
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	lzma_stream_flags stream_flags; /* of the current stream's header */
	lzma_index_hash *index_hash;    /* blocks of the current stream */
	uint64_t memlimit;
	uint64_t memusage;              /* of the current (or refused) block */
	/* Bytes collected in buffer[]; in STREAM_PADDING, the padding
	 * length modulo 4. */
	size_t pos;
	uint8_t buffer[LZMA_BLOCK_HEADER_SIZE_MAX];
};

static lzma_ret stream_header(struct stream_dec *s, const uint8_t *in,
			      size_t *in_pos, size_t in_size)
{
	xzc_bufcpy(in, in_pos, in_size, s->buffer, &s->pos,
		   LZMA_STREAM_HEADER_SIZE);
	if (s->pos < LZMA_STREAM_HEADER_SIZE)
		return LZMA_OK;
	s->pos = 0;
	lzma_ret ret = lzma_stream_header_decode(&s->stream_flags, s->buffer);
	if (ret != LZMA_OK)
		/* Wrong magic after the first stream is not "another
		 * format", it is a corrupt file (2.2). */
		return ret == LZMA_FORMAT_ERROR && !s->first_stream
		       ? LZMA_DATA_ERROR : ret;
	s->first_stream = false;
	s->block.check = s->stream_flags.check;
	s->seq = SEQ_BLOCK_HEADER;

	/* The informational codes; decoding goes on at the next call. An
	 * unsupported check is reported here, once per stream, and its
	 * values are then skipped unverified (2.1.1.2). */
	if ((s->flags & LZMA_TELL_NO_CHECK)
	    && s->stream_flags.check == LZMA_CHECK_NONE)
		return LZMA_NO_CHECK;
	if ((s->flags & LZMA_TELL_UNSUPPORTED_CHECK)
	    && !lzma_check_is_supported(s->stream_flags.check))
		return LZMA_UNSUPPORTED_CHECK;
	if (s->flags & LZMA_TELL_ANY_CHECK)
		return LZMA_GET_CHECK;
	return LZMA_OK;
}

static lzma_ret block_header(struct stream_dec *s, const uint8_t *in,
			     size_t *in_pos, size_t in_size)
{
	if (*in_pos >= in_size)
		return LZMA_OK;
	if (s->pos == 0) {
		/* 4.1: the Index Indicator 0x00 sits where a Block
		 * Header Size byte would be. */
		if (in[*in_pos] == 0x00) {
			s->seq = SEQ_INDEX;
			return LZMA_OK;
		}
		s->block.header_size = lzma_block_header_size_decode(in[*in_pos]);
	}
	xzc_bufcpy(in, in_pos, in_size, s->buffer, &s->pos,
		   s->block.header_size);
	if (s->pos < s->block.header_size)
		return LZMA_OK;
	s->pos = 0;
	s->seq = SEQ_BLOCK_INIT;
	return LZMA_OK;
}

static lzma_ret block_init(struct stream_dec *s, const lzma_allocator *a)
{
	/* version 1: the block decoder honours ignore_check. */
	s->block.version = 1;
	s->block.filters = s->filters;
	lzma_ret ret = lzma_block_header_decode(&s->block, a, s->buffer);
	if (ret != LZMA_OK)
		return ret;
	s->block.ignore_check = (s->flags & LZMA_IGNORE_CHECK) != 0;

	const uint64_t need = xzc_raw_coder_memusage(s->filters, false);
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
						     &s->block);
		}
	}
	/* The coders have taken what they need from the options. */
	xzc_filters_free(s->filters, a);
	s->block.filters = NULL;
	if (ret != LZMA_OK)
		return ret;
	s->seq = SEQ_BLOCK_RUN;
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
	ret = lzma_index_hash_append(s->index_hash,
				     lzma_block_unpadded_size(&s->block),
				     s->block.uncompressed_size);
	if (ret != LZMA_OK)
		return ret;
	xzc_coder_end(&s->block_decoder, a);
	s->seq = SEQ_BLOCK_HEADER;
	return LZMA_OK;
}

static lzma_ret index_run(struct stream_dec *s, const uint8_t *in,
			  size_t *in_pos, size_t in_size)
{
	/* lzma_index_hash_decode() says BUF_ERROR for no input; here that
	 * is only "call again". */
	if (*in_pos >= in_size)
		return LZMA_OK;
	const lzma_ret ret = lzma_index_hash_decode(s->index_hash, in, in_pos,
						    in_size);
	if (ret != LZMA_STREAM_END)
		return ret;
	s->seq = SEQ_STREAM_FOOTER;
	return LZMA_OK;
}

static lzma_ret stream_footer(struct stream_dec *s, const uint8_t *in,
			      size_t *in_pos, size_t in_size)
{
	xzc_bufcpy(in, in_pos, in_size, s->buffer, &s->pos,
		   LZMA_STREAM_HEADER_SIZE);
	if (s->pos < LZMA_STREAM_HEADER_SIZE)
		return LZMA_OK;
	s->pos = 0;
	lzma_ret ret = xzc_stream_footer_verify(s->buffer, &s->stream_flags,
						s->index_hash);
	if (ret != LZMA_OK)
		return ret;
	if ((s->flags & LZMA_CONCATENATED) == 0)
		return LZMA_STREAM_END;
	s->seq = SEQ_STREAM_PADDING;
	return LZMA_OK;
}

static lzma_ret stream_padding(struct stream_dec *s, const lzma_allocator *a,
			       const uint8_t *in, size_t *in_pos,
			       size_t in_size, lzma_action action)
{
	/* 2.2: null bytes, a multiple of four of them, then either the end
	 * of the file or another stream. */
	for (;;) {
		if (*in_pos >= in_size) {
			/* Only LZMA_FINISH says the file ends here. */
			if (action != LZMA_FINISH)
				return LZMA_OK;
			return s->pos == 0 ? LZMA_STREAM_END : LZMA_DATA_ERROR;
		}
		if (in[*in_pos] != 0x00)
			break;
		++*in_pos;
		s->pos = (s->pos + 1) & 3;
	}
	if (s->pos != 0) {
		++*in_pos;      /* liblzma consumes the offending byte */
		return LZMA_DATA_ERROR;
	}
	/* The next stream starts: a new Index to verify. */
	if (lzma_index_hash_init(s->index_hash, a) == NULL)
		return LZMA_PROG_ERROR;         /* cannot fail with non-NULL */
	s->seq = SEQ_STREAM_HEADER;
	return LZMA_OK;
}

static lzma_ret stream_decode(void *state, const lzma_allocator *a,
			      const uint8_t *in, size_t *in_pos,
			      size_t in_size, uint8_t *out, size_t *out_pos,
			      size_t out_size, lzma_action action)
{
	struct stream_dec *s = state;
	for (;;) {
		const enum seq before = s->seq;
		lzma_ret ret = LZMA_PROG_ERROR;
		switch (s->seq) {
		case SEQ_STREAM_HEADER:
			ret = stream_header(s, in, in_pos, in_size);
			break;
		case SEQ_BLOCK_HEADER:
			ret = block_header(s, in, in_pos, in_size);
			break;
		case SEQ_BLOCK_INIT:
			ret = block_init(s, a);
			break;
		case SEQ_BLOCK_RUN:
			ret = block_run(s, a, in, in_pos, in_size, out,
					out_pos, out_size, action);
			break;
		case SEQ_INDEX:
			ret = index_run(s, in, in_pos, in_size);
			break;
		case SEQ_STREAM_FOOTER:
			ret = stream_footer(s, in, in_pos, in_size);
			break;
		case SEQ_STREAM_PADDING:
			ret = stream_padding(s, a, in, in_pos, in_size, action);
			break;
		}
		if (ret != LZMA_OK || s->seq == before)
			return ret;
	}
}

static void stream_end(void *state, const lzma_allocator *a)
{
	struct stream_dec *s = state;
	xzc_coder_end(&s->block_decoder, a);
	xzc_filters_free(s->filters, a);
	lzma_index_hash_end(s->index_hash, a);
	xzc_free(a, s);
}

static lzma_check stream_get_check(const void *state)
{
	const struct stream_dec *s = state;
	return s->stream_flags.check;
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
	s->index_hash = lzma_index_hash_init(NULL, a);
	if (s->index_hash == NULL) {
		xzc_free(a, s);
		return LZMA_MEM_ERROR;
	}
	s->seq = SEQ_STREAM_HEADER;
	s->flags = flags;
	s->first_stream = true;
	s->block_decoder = XZC_CODER_INIT;
	for (size_t i = 0; i <= LZMA_FILTERS_MAX; ++i)
		s->filters[i].id = LZMA_VLI_UNKNOWN;
	s->memlimit = MAX(memlimit, 1);
	s->memusage = XZC_MEMUSAGE_BASE;
	*c = (xzc_coder){ .state = s, .code = stream_decode, .end = stream_end,
			  .get_check = stream_get_check,
			  .memconfig = stream_memconfig };
	return LZMA_OK;
}
