/*
 * stream_enc.c -- the single-threaded .xz Stream encoder
 * (xz-file-format.txt 2) and liblzma's single-call stream functions.
 *
 *   Stream Header | Block ... | Index | Stream Footer
 *
 * A Block begins when input arrives and ends at LZMA_FULL_FLUSH,
 * LZMA_FULL_BARRIER or LZMA_FINISH; with no input, no Block is written,
 * so empty input gives the 32-byte empty stream (header, an Index without
 * Records, footer). Block Headers carry no sizes: a Block is written as the
 * data comes, as xz does in single-threaded mode. Each finished Block's
 * Unpadded and Uncompressed Size go into the Index (index.c).
 */
#include "container/container_enc.h"

struct stream_enc {
	enum {
		SEQ_STREAM_HEADER,      /* buf: Stream Header */
		SEQ_BLOCK_INIT,         /* between Blocks */
		SEQ_BLOCK_HEADER,       /* buf: Block Header */
		SEQ_BLOCK_DATA,         /* the block encoder runs */
		SEQ_INDEX,              /* the index writer runs */
		SEQ_STREAM_FOOTER,      /* buf: Stream Footer */
		SEQ_END,
	} seq;
	lzma_check check;
	/* Our copy of the chain; block.filters points to it. */
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	lzma_block block;
	/* The block encoder for block: initialized ahead of time (at init,
	 * so that bad options fail there, as in liblzma) or lazily when a
	 * Block starts. block_ready says whether it is fresh. */
	xzc_coder block_enc;
	bool block_ready;
	lzma_index *index;
	xzc_index_writer index_writer;
	size_t buf_pos;                 /* buf[buf_pos .. buf_size) pending */
	size_t buf_size;
	uint8_t buf[LZMA_BLOCK_HEADER_SIZE_MAX];
};

/* ---- filter chains ------------------------------------------------------- */

/* Size of the options structure of a known filter (NULL options stay
 * NULL). 0 for an ID this build does not know. */
static size_t options_size(lzma_vli id)
{
	if (id == LZMA_FILTER_LZMA1 || id == LZMA_FILTER_LZMA1EXT
	    || id == LZMA_FILTER_LZMA2)
		return sizeof(lzma_options_lzma);
	if (id == LZMA_FILTER_DELTA)
		return sizeof(lzma_options_delta);
	if (xzc_filter_find(id) != NULL)
		return sizeof(lzma_options_bcj);        /* the BCJ rows */
	return 0;
}

lzma_ret xzc_filters_copy(const lzma_filter *src, lzma_filter *dst,
			  const lzma_allocator *a)
{
	if (src == NULL || dst == NULL)
		return LZMA_PROG_ERROR;
	lzma_filter tmp[LZMA_FILTERS_MAX + 1];
	size_t n = 0;
	lzma_ret ret = LZMA_OK;
	for (; src[n].id != LZMA_VLI_UNKNOWN; ++n) {
		if (n == LZMA_FILTERS_MAX) {
			ret = LZMA_OPTIONS_ERROR;
			break;
		}
		tmp[n].id = src[n].id;
		tmp[n].options = NULL;
		if (src[n].options == NULL)
			continue;
		const size_t size = options_size(src[n].id);
		if (size == 0) {
			ret = LZMA_OPTIONS_ERROR;
			break;
		}
		tmp[n].options = xzc_alloc(a, size);
		if (tmp[n].options == NULL) {
			ret = LZMA_MEM_ERROR;
			break;
		}
		memcpy(tmp[n].options, src[n].options, size);
	}
	if (ret != LZMA_OK) {
		for (size_t k = 0; k < n; ++k)
			xzc_free(a, tmp[k].options);
		return ret;
	}
	tmp[n].id = LZMA_VLI_UNKNOWN;
	tmp[n].options = NULL;
	memcpy(dst, tmp, (n + 1) * sizeof(tmp[0]));
	return LZMA_OK;
}

/* ---- the coder ------------------------------------------------------------- */

/* Create the block encoder for the next Block with the current chain.
 * The header size is computed here too, which also rejects filters that
 * cannot appear in a Block (IDs of 2^62 and up, e.g. LZMA1). */
static lzma_ret block_prepare(struct stream_enc *s, const lzma_allocator *a)
{
	xzc_coder_end(&s->block_enc, a);
	s->block_ready = false;
	s->block = (lzma_block){
		.version = 0,
		.check = s->check,
		.compressed_size = LZMA_VLI_UNKNOWN,
		.uncompressed_size = LZMA_VLI_UNKNOWN,
		.filters = s->filters,
	};
	lzma_ret ret = lzma_block_header_size(&s->block);
	if (ret != LZMA_OK)
		return ret;
	ret = xzc_block_encoder_init(&s->block_enc, a, &s->block);
	if (ret != LZMA_OK)
		return ret;
	s->block_ready = true;
	return LZMA_OK;
}

/* Between Blocks: start one if there is input, else finish or return. */
static lzma_ret block_start(struct stream_enc *s, const lzma_allocator *a,
			    bool have_input, lzma_action action)
{
	if (!have_input) {
		if (action == LZMA_FINISH) {
			xzc_index_writer_init(&s->index_writer, s->index);
			s->seq = SEQ_INDEX;
			return LZMA_OK;
		}
		/* A flush with no Block open is already complete. */
		return action == LZMA_RUN ? LZMA_OK : LZMA_STREAM_END;
	}
	if (!s->block_ready) {
		const lzma_ret ret = block_prepare(s, a);
		if (ret != LZMA_OK)
			return ret;
	}
	s->block_ready = false;         /* this one is used now */
	if (lzma_block_header_encode(&s->block, s->buf) != LZMA_OK)
		return LZMA_PROG_ERROR;
	s->buf_pos = 0;
	s->buf_size = s->block.header_size;
	s->seq = SEQ_BLOCK_HEADER;
	return LZMA_OK;
}

/* Run the block encoder. FULL_FLUSH and FULL_BARRIER end the Block (the
 * next input starts a new one); SYNC_FLUSH only flushes inside it. */
static lzma_ret block_data(struct stream_enc *s, const lzma_allocator *a,
			   const uint8_t *in, size_t *in_pos, size_t in_size,
			   uint8_t *out, size_t *out_pos, size_t out_size,
			   lzma_action action)
{
	const lzma_action block_action =
		action == LZMA_RUN || action == LZMA_SYNC_FLUSH ? action
							       : LZMA_FINISH;
	lzma_ret ret = s->block_enc.code(s->block_enc.state, a, in, in_pos,
					 in_size, out, out_pos, out_size,
					 block_action);
	if (ret != LZMA_STREAM_END || block_action == LZMA_SYNC_FLUSH)
		return ret;
	xzc_coder_end(&s->block_enc, a);
	ret = lzma_index_append(s->index, a, lzma_block_unpadded_size(&s->block),
				s->block.uncompressed_size);
	if (ret != LZMA_OK)
		return ret;
	s->seq = SEQ_BLOCK_INIT;
	return LZMA_OK;
}

static lzma_ret footer_prepare(struct stream_enc *s)
{
	const lzma_stream_flags flags = {
		.version = 0,
		.check = s->check,
		.backward_size = lzma_index_size(s->index),
	};
	/* Cannot fail: the check was validated at init and the Index size
	 * limited by lzma_index_append(). */
	if (lzma_stream_footer_encode(&flags, s->buf) != LZMA_OK)
		return LZMA_PROG_ERROR;
	s->buf_pos = 0;
	s->buf_size = LZMA_STREAM_HEADER_SIZE;
	s->seq = SEQ_STREAM_FOOTER;
	return LZMA_OK;
}

static lzma_ret stream_encode(void *state, const lzma_allocator *a,
			      const uint8_t *in, size_t *in_pos, size_t in_size,
			      uint8_t *out, size_t *out_pos, size_t out_size,
			      lzma_action action)
{
	struct stream_enc *s = state;
	while (true) {
		lzma_ret ret = LZMA_OK;
		switch (s->seq) {
		case SEQ_STREAM_HEADER:
		case SEQ_BLOCK_HEADER:
		case SEQ_STREAM_FOOTER:
			xzc_bufcpy(s->buf, &s->buf_pos, s->buf_size, out,
				   out_pos, out_size);
			if (s->buf_pos < s->buf_size)
				return LZMA_OK;
			s->seq = s->seq == SEQ_STREAM_HEADER ? SEQ_BLOCK_INIT
				 : s->seq == SEQ_BLOCK_HEADER ? SEQ_BLOCK_DATA
				 : SEQ_END;
			break;
		case SEQ_BLOCK_INIT:
			ret = block_start(s, a, *in_pos < in_size, action);
			if (ret != LZMA_OK || s->seq == SEQ_BLOCK_INIT)
				return ret;
			break;
		case SEQ_BLOCK_DATA:
			ret = block_data(s, a, in, in_pos, in_size, out,
					 out_pos, out_size, action);
			if (ret != LZMA_OK || s->seq == SEQ_BLOCK_DATA)
				return ret;
			break;
		case SEQ_INDEX:
			if (!xzc_index_writer_run(&s->index_writer, out,
						  out_pos, out_size))
				return LZMA_OK;
			ret = footer_prepare(s);
			if (ret != LZMA_OK)
				return ret;
			break;
		case SEQ_END:
			return LZMA_STREAM_END;
		}
	}
}

static void stream_end(void *state, const lzma_allocator *a)
{
	struct stream_enc *s = state;
	xzc_coder_end(&s->block_enc, a);
	lzma_index_end(s->index, a);
	xzc_filters_free(s->filters, a);
	xzc_free(a, s);
}

/* lzma_filters_update(): between Blocks the whole chain may change (the
 * next Block is prepared with it right away, which validates it); inside
 * a Block only what the chain itself can change (LZMA2's lc/lp/pb). */
static lzma_ret stream_update(void *state, const lzma_allocator *a,
			      const lzma_filter *filters)
{
	struct stream_enc *s = state;
	lzma_filter tmp[LZMA_FILTERS_MAX + 1];
	lzma_ret ret = xzc_filters_copy(filters, tmp, a);
	if (ret != LZMA_OK)
		return ret;

	lzma_filter old[LZMA_FILTERS_MAX + 1];
	memcpy(old, s->filters, sizeof(old));
	if (s->seq == SEQ_STREAM_HEADER || s->seq == SEQ_BLOCK_INIT) {
		memcpy(s->filters, tmp, sizeof(tmp));
		ret = block_prepare(s, a);
		if (ret != LZMA_OK) {
			memcpy(s->filters, old, sizeof(old));
			/* The old chain was valid; if even it fails now,
			 * the next Block start reports it. */
			(void)block_prepare(s, a);
		}
	} else if (s->seq == SEQ_BLOCK_HEADER || s->seq == SEQ_BLOCK_DATA) {
		ret = s->block_enc.update == NULL
		      ? LZMA_PROG_ERROR
		      : s->block_enc.update(s->block_enc.state, a, filters);
		if (ret == LZMA_OK)
			memcpy(s->filters, tmp, sizeof(tmp));
	} else {
		ret = LZMA_PROG_ERROR;  /* the Index or footer is being written */
	}
	xzc_filters_free(ret == LZMA_OK ? old : tmp, a);
	return ret;
}

lzma_ret xzc_stream_encoder_init(xzc_coder *c, const lzma_allocator *a,
				 const lzma_filter *filters, lzma_check check)
{
	if (filters == NULL || (unsigned)check > LZMA_CHECK_ID_MAX)
		return LZMA_PROG_ERROR;
	if (!lzma_check_is_supported(check))
		return LZMA_UNSUPPORTED_CHECK;

	struct stream_enc *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	s->check = check;
	s->block_enc = XZC_CODER_INIT;
	s->filters[0].id = LZMA_VLI_UNKNOWN;
	lzma_ret ret = xzc_filters_copy(filters, s->filters, a);
	if (ret == LZMA_OK) {
		s->index = lzma_index_init(a);
		if (s->index == NULL)
			ret = LZMA_MEM_ERROR;
	}
	if (ret == LZMA_OK)
		ret = block_prepare(s, a);
	if (ret == LZMA_OK) {
		const lzma_stream_flags flags = { .version = 0, .check = check };
		ret = lzma_stream_header_encode(&flags, s->buf);
	}
	if (ret != LZMA_OK) {
		stream_end(s, a);
		return ret;
	}
	s->seq = SEQ_STREAM_HEADER;
	s->buf_pos = 0;
	s->buf_size = LZMA_STREAM_HEADER_SIZE;
	*c = (xzc_coder){ .state = s, .code = stream_encode,
			  .end = stream_end, .update = stream_update };
	return LZMA_OK;
}

/* ---- single-call encoding ------------------------------------------------ */

/* Stream Header and Footer, and the largest Index of one Record:
 * liblzma's bound, so that buffers sized by either library fit both. */
#define STREAM_OVERHEAD_BOUND \
	(2 * LZMA_STREAM_HEADER_SIZE \
	 + ((1 + 1 + 2 * LZMA_VLI_BYTES_MAX + 4 + 3) & ~(size_t)3))

LZMA_API(size_t) lzma_stream_buffer_bound(size_t uncompressed_size)
{
	const size_t block = lzma_block_buffer_bound(uncompressed_size);
	if (block == 0 || SIZE_MAX - block < STREAM_OVERHEAD_BOUND)
		return 0;
	return block + STREAM_OVERHEAD_BOUND;
}

/* Header, at most one Block (none for empty input), Index, footer. On
 * failure *out_pos is left as it was. */
LZMA_API(lzma_ret) lzma_stream_buffer_encode(lzma_filter *filters,
					     lzma_check check,
					     const lzma_allocator *a,
					     const uint8_t *in, size_t in_size,
					     uint8_t *out, size_t *out_pos_ptr,
					     size_t out_size)
{
	if (filters == NULL || (unsigned)check > LZMA_CHECK_ID_MAX
	    || (in == NULL && in_size != 0) || out == NULL
	    || out_pos_ptr == NULL || *out_pos_ptr > out_size)
		return LZMA_PROG_ERROR;
	if (!lzma_check_is_supported(check))
		return LZMA_UNSUPPORTED_CHECK;

	size_t out_pos = *out_pos_ptr;
	if (out_size - out_pos <= 2 * LZMA_STREAM_HEADER_SIZE)
		return LZMA_BUF_ERROR;
	out_size -= LZMA_STREAM_HEADER_SIZE;    /* the footer's room */
	lzma_stream_flags flags = { .version = 0, .check = check };
	if (lzma_stream_header_encode(&flags, out + out_pos) != LZMA_OK)
		return LZMA_PROG_ERROR;
	out_pos += LZMA_STREAM_HEADER_SIZE;

	lzma_block block = { .version = 0, .check = check, .filters = filters };
	if (in_size > 0) {
		const lzma_ret ret = lzma_block_buffer_encode(
			&block, a, in, in_size, out, &out_pos, out_size);
		if (ret != LZMA_OK)
			return ret;
	}

	lzma_index *index = lzma_index_init(a);
	if (index == NULL)
		return LZMA_MEM_ERROR;
	lzma_ret ret = LZMA_OK;
	if (in_size > 0)
		ret = lzma_index_append(index, a, lzma_block_unpadded_size(&block),
					block.uncompressed_size);
	if (ret == LZMA_OK) {
		ret = lzma_index_buffer_encode(index, out, &out_pos, out_size);
		flags.backward_size = lzma_index_size(index);
	}
	lzma_index_end(index, a);
	if (ret != LZMA_OK)
		return ret;

	if (lzma_stream_footer_encode(&flags, out + out_pos) != LZMA_OK)
		return LZMA_PROG_ERROR;
	*out_pos_ptr = out_pos + LZMA_STREAM_HEADER_SIZE;
	return LZMA_OK;
}
