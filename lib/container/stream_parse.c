/*
 * stream_parse.c -- the parts of an .xz file that both .xz decoders, the
 * single-threaded stream_dec.c and the threaded threads/mt_dec.c, read the
 * same way (xz-file-format.txt 2-4):
 *
 *   STREAM_HEADER -> BLOCK_HEADER -(complete)-> BLOCK_INIT: the decoder's
 *                      |  (0x00: Index Indicator, 4.1)
 *                      +--> INDEX -> STREAM_FOOTER -> END, or with
 *   LZMA_CONCATENATED -> STREAM_PADDING -> STREAM_HEADER or END (2.2)
 *
 * From BLOCK_INIT on, a decoder runs its own states on the Block and sets
 * BLOCK_HEADER when it is done with it. Each state function consumes what
 * it can and either moves to another state or leaves the state unchanged,
 * which means "need more input". Fixed-size fields are collected in
 * buffer[] so that any split of the input works.
 */
#include "container/container.h"

lzma_ret xzc_parser_init(xzc_stream_parser *p, const lzma_allocator *a,
			 uint32_t flags)
{
	memset(p, 0, sizeof(*p));
	p->seq = XZC_SEQ_STREAM_HEADER;
	p->flags = flags;
	p->first_stream = true;
	for (size_t i = 0; i <= LZMA_FILTERS_MAX; ++i)
		p->filters[i].id = LZMA_VLI_UNKNOWN;
	p->index_hash = lzma_index_hash_init(NULL, a);
	return p->index_hash == NULL ? LZMA_MEM_ERROR : LZMA_OK;
}

void xzc_parser_end(xzc_stream_parser *p, const lzma_allocator *a)
{
	xzc_filters_free(p->filters, a);
	lzma_index_hash_end(p->index_hash, a);
	p->index_hash = NULL;
}

/* Collect a Stream Header or Footer (12 bytes, 2.1) in buffer[] across
 * calls; true once it is complete. */
static bool collect_field(xzc_stream_parser *p, const uint8_t *in,
			  size_t *in_pos, size_t in_size)
{
	xzc_bufcpy(in, in_pos, in_size, p->buffer, &p->pos,
		   LZMA_STREAM_HEADER_SIZE);
	if (p->pos < LZMA_STREAM_HEADER_SIZE)
		return false;
	p->pos = 0;
	return true;
}

/* 2.1.1, then the informational codes the caller asked for: an unsupported
 * check is reported here, once per stream, and its values are then skipped
 * unverified (2.1.1.2). Decoding goes on at the next call. */
static lzma_ret stream_header(xzc_stream_parser *p, const uint8_t *in,
			      size_t *in_pos, size_t in_size)
{
	if (!collect_field(p, in, in_pos, in_size))
		return LZMA_OK;
	const lzma_ret ret = lzma_stream_header_decode(&p->stream_flags,
						       p->buffer);
	if (ret != LZMA_OK)
		/* Wrong magic after the first stream is not "another
		 * format", it is a corrupt file (2.2). */
		return ret == LZMA_FORMAT_ERROR && !p->first_stream
		       ? LZMA_DATA_ERROR : ret;
	p->first_stream = false;
	p->seq = XZC_SEQ_BLOCK_HEADER;
	if ((p->flags & LZMA_TELL_NO_CHECK)
	    && p->stream_flags.check == LZMA_CHECK_NONE)
		return LZMA_NO_CHECK;
	if ((p->flags & LZMA_TELL_UNSUPPORTED_CHECK)
	    && !lzma_check_is_supported(p->stream_flags.check))
		return LZMA_UNSUPPORTED_CHECK;
	if (p->flags & LZMA_TELL_ANY_CHECK)
		return LZMA_GET_CHECK;
	return LZMA_OK;
}

/* 3.1: the first byte gives the size; the rest is collected. */
static lzma_ret block_header(xzc_stream_parser *p, const uint8_t *in,
			     size_t *in_pos, size_t in_size)
{
	if (*in_pos >= in_size)
		return LZMA_OK;
	if (p->pos == 0) {
		/* 4.1: the Index Indicator 0x00 sits where a Block
		 * Header Size byte would be. */
		if (in[*in_pos] == 0x00) {
			p->seq = XZC_SEQ_INDEX;
			return LZMA_OK;
		}
		p->block.header_size = lzma_block_header_size_decode(in[*in_pos]);
	}
	xzc_bufcpy(in, in_pos, in_size, p->buffer, &p->pos,
		   p->block.header_size);
	if (p->pos < p->block.header_size)
		return LZMA_OK;
	p->pos = 0;
	p->seq = XZC_SEQ_BLOCK_INIT;
	return LZMA_OK;
}

lzma_ret xzc_parser_block_header_decode(xzc_stream_parser *p,
					const lzma_allocator *a)
{
	p->block.version = 1;           /* the decoder honours ignore_check */
	p->block.check = p->stream_flags.check;
	p->block.filters = p->filters;
	const lzma_ret ret = lzma_block_header_decode(&p->block, a, p->buffer);
	p->block.ignore_check = (p->flags & LZMA_IGNORE_CHECK) != 0;
	return ret;
}

/* 4: the Index is checked against the Blocks seen (index_hash.c). */
static lzma_ret index_run(xzc_stream_parser *p, const uint8_t *in,
			  size_t *in_pos, size_t in_size)
{
	/* lzma_index_hash_decode() says BUF_ERROR for no input; here that
	 * is only "call again". */
	if (*in_pos >= in_size)
		return LZMA_OK;
	const lzma_ret ret = lzma_index_hash_decode(p->index_hash, in, in_pos,
						    in_size);
	if (ret != LZMA_STREAM_END)
		return ret;
	p->seq = XZC_SEQ_STREAM_FOOTER;
	return LZMA_OK;
}

static lzma_ret stream_footer(xzc_stream_parser *p, const uint8_t *in,
			      size_t *in_pos, size_t in_size)
{
	if (!collect_field(p, in, in_pos, in_size))
		return LZMA_OK;
	const lzma_ret ret = xzc_stream_footer_verify(p->buffer,
						      &p->stream_flags,
						      p->index_hash);
	if (ret != LZMA_OK)
		return ret;
	p->seq = (p->flags & LZMA_CONCATENATED) ? XZC_SEQ_STREAM_PADDING
						 : XZC_SEQ_END;
	return LZMA_OK;
}

/* 2.2: null bytes, a multiple of four of them, then either the end of the
 * file (only LZMA_FINISH says so) or another stream. */
static lzma_ret stream_padding(xzc_stream_parser *p, const lzma_allocator *a,
			       const uint8_t *in, size_t *in_pos,
			       size_t in_size, lzma_action action)
{
	for (;;) {
		if (*in_pos >= in_size) {
			if (action != LZMA_FINISH)
				return LZMA_OK;
			if (p->pos != 0)
				return LZMA_DATA_ERROR;
			p->seq = XZC_SEQ_END;
			return LZMA_OK;
		}
		if (in[*in_pos] != 0x00)
			break;
		++*in_pos;
		p->pos = (p->pos + 1) & 3;
	}
	if (p->pos != 0) {
		++*in_pos;      /* liblzma consumes the offending byte */
		return LZMA_DATA_ERROR;
	}
	/* The next stream starts: a new Index to verify. */
	if (lzma_index_hash_init(p->index_hash, a) == NULL)
		return LZMA_PROG_ERROR;         /* cannot fail with non-NULL */
	p->seq = XZC_SEQ_STREAM_HEADER;
	return LZMA_OK;
}

lzma_ret xzc_parser_step(xzc_stream_parser *p, const lzma_allocator *a,
			 const uint8_t *in, size_t *in_pos, size_t in_size,
			 lzma_action action)
{
	switch (p->seq) {
	case XZC_SEQ_STREAM_HEADER:
		return stream_header(p, in, in_pos, in_size);
	case XZC_SEQ_BLOCK_HEADER:
		return block_header(p, in, in_pos, in_size);
	case XZC_SEQ_INDEX:
		return index_run(p, in, in_pos, in_size);
	case XZC_SEQ_STREAM_FOOTER:
		return stream_footer(p, in, in_pos, in_size);
	case XZC_SEQ_STREAM_PADDING:
		return stream_padding(p, a, in, in_pos, in_size, action);
	}
	return LZMA_PROG_ERROR;         /* a decoder's state: not ours */
}
