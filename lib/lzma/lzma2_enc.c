/*
 * lzma2_enc.c -- LZMA2: LZMA data cut into chunks (xz-file-format.txt
 * 5.3.1, "LZMA2").
 *
 * A chunk is either LZMA-coded (at most 2 MiB uncompressed and 64 KiB
 * compressed; its own range coder, the model carried on from the previous
 * chunk unless the header says "reset") or stored uncompressed (at most
 * 64 KiB). The control byte (the first byte of a chunk header):
 *   0x00            end of the LZMA2 data
 *   0x01 / 0x02     uncompressed chunk, with / without dictionary reset
 *   0x80 | u >> 16  LZMA chunk; bits 5-6: 0 nothing reset, 1 state reset,
 *                   2 state reset + new lc/lp/pb byte, 3 that + dictionary
 *                   reset; then (u - 1) as 16 more bits, (c - 1) as 16 bits,
 *                   then the lc/lp/pb byte when bit 6 is set.
 * The first chunk resets the dictionary; the first LZMA chunk carries the
 * properties; an LZMA chunk after an uncompressed one resets the state (the
 * encoder had advanced its model over data the decoder never saw coded).
 *
 * We code each chunk into buf first, then choose: if the LZMA data is not
 * smaller than the input, the chunk goes out uncompressed instead.
 */
#include "lzma/lzma_enc_internal.h"

#define LZMA2_CHUNK_MAX (1u << 16)      /* compressed bytes per chunk */
#define LZMA2_UNCOMP_MAX (1u << 21)     /* uncompressed bytes per chunk */
#define LZMA2_HEADER_MAX 6

/* Stop coding a chunk this far below 64 KiB compressed: if it then goes
 * out uncompressed, its input plus what the parser has searched ahead
 * (at most LZMA_OPTS positions) still fits one uncompressed chunk. */
#define LZMA2_OUT_LIMIT (LZMA2_CHUNK_MAX - LZMA_OPTS - 1)

typedef struct {
	lzma_enc *e;
	lzma_options_lzma opt;          /* lc/lp/pb of the current chunk */
	lzma_options_lzma opt_next;     /* from update(), at the next chunk */
	bool opt_changed;
	bool need_props;
	bool need_state_reset;
	bool need_dict_reset;
	bool in_chunk;                  /* a chunk is being coded into buf */
	bool done;                      /* the end marker is in buf */
	size_t buf_pos;                 /* output waiting: buf[pos .. size) */
	size_t buf_size;
	uint8_t buf[LZMA2_HEADER_MAX + LZMA2_CHUNK_MAX + RCE_SYMBOL_MAX_OUT];
} lzma2_coder;

static uint8_t lclppb_byte(const lzma_options_lzma *opt)
{
	return (uint8_t)((opt->pb * 5 + opt->lp) * 9 + opt->lc);
}

static void chunk_begin(lzma2_coder *c)
{
	lzma_enc *e = c->e;
	/* New properties mean a state reset, which drops the parser's
	 * decided-but-uncoded symbols; that is only safe when at most the
	 * next position has been searched (its matches are kept).
	 * Otherwise the change waits for a later chunk. */
	if (c->opt_changed && e->mf.read_ahead <= 1) {
		c->opt.lc = c->opt_next.lc;
		c->opt.lp = c->opt_next.lp;
		c->opt.pb = c->opt_next.pb;
		c->opt_changed = false;
		c->need_props = true;
		c->need_state_reset = true;
	}
	if (c->need_state_reset)
		xzc_lzma_enc_reset(e, &c->opt);
	rce_reset(&e->rc, c->buf + LZMA2_HEADER_MAX);
	e->chunk_uncomp = 0;
	c->in_chunk = true;
}

/* The coded chunk did not get smaller: send its input as it is. */
static void chunk_store(lzma2_coder *c)
{
	lzma_enc *e = c->e;
	/* Positions the parser searched ahead go out too: the next chunk
	 * resets the state, so their pending decisions are void. */
	const uint32_t u = e->chunk_uncomp + e->mf.read_ahead;
	const uint8_t *src = e->mf.buf + e->mf.read_pos - u;
	e->mf.read_ahead = 0;
	c->buf[0] = c->need_dict_reset ? 0x01 : 0x02;
	c->buf[1] = (uint8_t)((u - 1) >> 8);
	c->buf[2] = (uint8_t)(u - 1);
	memcpy(c->buf + 3, src, u);
	c->buf_pos = 0;
	c->buf_size = 3 + (size_t)u;
	c->need_dict_reset = false;
	c->need_state_reset = true;
}

static void chunk_end(lzma2_coder *c)
{
	lzma_enc *e = c->e;
	const uint32_t u = e->chunk_uncomp;
	rce_flush(&e->rc);
	const uint32_t csize = (uint32_t)e->rc.out_pos;
	c->in_chunk = false;
	if (csize >= u) {
		chunk_store(c);
		return;
	}
	uint8_t control;
	if (c->need_props)
		control = c->need_dict_reset ? 0xE0 : 0xC0;
	else
		control = c->need_state_reset ? 0xA0 : 0x80;
	const size_t hsize = c->need_props ? 6 : 5;
	uint8_t *h = c->buf + LZMA2_HEADER_MAX - hsize;
	h[0] = (uint8_t)(control | ((u - 1) >> 16));
	h[1] = (uint8_t)((u - 1) >> 8);
	h[2] = (uint8_t)(u - 1);
	h[3] = (uint8_t)((csize - 1) >> 8);
	h[4] = (uint8_t)(csize - 1);
	if (c->need_props)
		h[5] = lclppb_byte(&c->opt);
	c->buf_pos = LZMA2_HEADER_MAX - hsize;
	c->buf_size = LZMA2_HEADER_MAX + (size_t)csize;
	c->need_props = false;
	c->need_state_reset = false;
	c->need_dict_reset = false;
}

static lzma_ret lzma2_code(void *state, const lzma_allocator *a,
			   const uint8_t *in, size_t *in_pos, size_t in_size,
			   uint8_t *out, size_t *out_pos, size_t out_size,
			   lzma_action action)
{
	lzma2_coder *c = state;
	lzma_enc *e = c->e;
	(void)a;
	const lz_mode mode = action == LZMA_RUN ? LZ_RUN
			     : action == LZMA_FINISH ? LZ_FINISH : LZ_SYNC;
	while (true) {
		xzc_bufcpy(c->buf, &c->buf_pos, c->buf_size, out, out_pos,
			   out_size);
		if (c->buf_pos < c->buf_size)
			return LZMA_OK;
		if (c->done)
			return LZMA_STREAM_END;

		*in_pos += lz_enc_fill(&e->mf, in + *in_pos, in_size - *in_pos,
				       mode);
		if (!c->in_chunk)
			chunk_begin(c);
		const enc_status st = xzc_lzma_enc_run(e, LZMA2_OUT_LIMIT,
						       LZMA2_UNCOMP_MAX);
		if (st == ENC_NEED_INPUT) {
			if (*in_pos == in_size)
				return LZMA_OK;
		} else if (st == ENC_LIMIT || e->chunk_uncomp > 0) {
			chunk_end(c);
		} else if (mode == LZ_FINISH) {
			/* Everything is coded: the end marker. */
			c->in_chunk = false;
			c->buf[0] = 0x00;
			c->buf_pos = 0;
			c->buf_size = 1;
			c->done = true;
		} else {
			/* A flush is complete: all output so far decodes to
			 * all input so far. */
			c->in_chunk = false;
			return LZMA_STREAM_END;
		}
	}
}

static void lzma2_end(void *state, const lzma_allocator *a)
{
	lzma2_coder *c = state;
	xzc_lzma_enc_destroy(c->e, a);
	xzc_free(a, c);
}

/* lzma_filters_update(): new lc/lp/pb take effect at the next chunk. */
static lzma_ret lzma2_update(void *state, const lzma_allocator *a,
			     const lzma_filter *filters)
{
	lzma2_coder *c = state;
	(void)a;
	if (filters == NULL || filters[0].id != LZMA_FILTER_LZMA2
	    || filters[0].options == NULL)
		return LZMA_OPTIONS_ERROR;
	const lzma_options_lzma *opt = filters[0].options;
	if (opt->lc > LZMA_LCLP_MAX || opt->lp > LZMA_LCLP_MAX
	    || opt->lc + opt->lp > LZMA_LCLP_MAX || opt->pb > LZMA_PB_MAX)
		return LZMA_OPTIONS_ERROR;
	if (opt->lc != c->opt.lc || opt->lp != c->opt.lp
	    || opt->pb != c->opt.pb) {
		c->opt_next = *opt;
		c->opt_changed = true;
	}
	return LZMA_OK;
}

lzma_ret xzc_lzma2_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt)
{
	if (!xzc_lzma_opts_valid(opt))
		return LZMA_OPTIONS_ERROR;
	lzma2_coder *s = xzc_alloc(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	const lzma_ret ret = xzc_lzma_enc_create(&s->e, a, opt);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	s->opt = *opt;
	s->opt_changed = false;
	s->need_props = true;
	s->need_state_reset = true;
	s->need_dict_reset = true;
	s->in_chunk = false;
	s->done = false;
	s->buf_pos = 0;
	s->buf_size = 0;
	*c = XZC_CODER_INIT;
	c->state = s;
	c->code = lzma2_code;
	c->end = lzma2_end;
	c->update = lzma2_update;
	return LZMA_OK;
}
