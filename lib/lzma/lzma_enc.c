/*
 * lzma_enc.c -- the LZMA encoder: coding each kind of symbol, the prices
 * the optimal parser uses, the encode loop shared by LZMA1 and LZMA2, the
 * LZMA1 coder (the .lzma / .lz / raw LZMA1 payload) and the properties.
 *
 * Symbols (lzma-specification.txt, "The LZMA Decoder" -- the encoder makes
 * the same decisions the decoder reads back):
 *   literal     is_match 0, then 8 bits (matched against the byte at rep0
 *               when the previous symbol was a match or rep)
 *   match       is_match 1, is_rep 0, length, distance slot and bits
 *   short rep   is_match 1, is_rep 1, is_rep0 0, is_rep0_long 0
 *   rep0..3     is_match 1, is_rep 1, which rep, length
 */
#include "lzma/lzma_enc_internal.h"

/* ---- options -------------------------------------------------------------- */

bool xzc_lzma_opts_valid(const lzma_options_lzma *opt)
{
	if (opt == NULL)
		return false;
	if (opt->lc > LZMA_LCLP_MAX || opt->lp > LZMA_LCLP_MAX
	    || opt->lc + opt->lp > LZMA_LCLP_MAX || opt->pb > LZMA_PB_MAX)
		return false;
	if (opt->mode != LZMA_MODE_FAST && opt->mode != LZMA_MODE_NORMAL)
		return false;
	if (opt->nice_len < LZ_MATCH_LEN_MIN || opt->nice_len > LZ_MATCH_LEN_MAX)
		return false;
	/* The finder checks the match finder and the dictionary size. */
	return lz_enc_memusage(opt->dict_size, opt->mf, 1u << 16, LZMA_OPTS)
	       != UINT64_MAX;
}

/* The window keeps 64 KiB behind the coded position beyond the dictionary:
 * LZMA2 may have to copy a whole chunk of that size out uncompressed. */
#define KEEP_BEFORE (1u << 16)
#define KEEP_AFTER LZMA_OPTS

/* Output buffer of the LZMA1 coder (and its margin for the final flush). */
#define LZMA1_BUF_SIZE (1u << 16)

uint64_t xzc_lzma_encoder_memusage(const lzma_options_lzma *opt)
{
	if (!xzc_lzma_opts_valid(opt))
		return UINT64_MAX;
	uint64_t m = lz_enc_memusage(opt->dict_size, opt->mf, KEEP_BEFORE,
				     KEEP_AFTER);
	m += sizeof(lzma_enc) + LZMA1_BUF_SIZE + 256;
	if (opt->mode == LZMA_MODE_NORMAL)
		m += (uint64_t)(LZMA_OPTS + 1) * sizeof(opt_node);
	return m + XZC_MEMUSAGE_BASE;
}

/* ---- prices ---------------------------------------------------------------- */

void xzc_lzma_len_prices(len_enc *le, uint32_t ps)
{
	uint32_t *p = le->prices[ps];
	const uint32_t n = le->table_size;
	const uint32_t low0 = rc_price0(le->choice);
	const uint32_t mid0 = rc_price1(le->choice) + rc_price0(le->choice2);
	const uint32_t high0 = rc_price1(le->choice) + rc_price1(le->choice2);
	uint32_t i = 0;
	for (; i < LEN_LOW && i < n; ++i)
		p[i] = low0 + rc_tree_price(le->low[ps], LEN_LOW_BITS, i);
	for (; i < LEN_LOW + LEN_MID && i < n; ++i)
		p[i] = mid0 + rc_tree_price(le->mid[ps], LEN_MID_BITS,
					    i - LEN_LOW);
	for (; i < n; ++i)
		p[i] = high0 + rc_tree_price(le->high, LEN_HIGH_BITS,
					     i - LEN_LOW - LEN_MID);
	le->counters[ps] = n;
}

void xzc_lzma_dist_prices(lzma_enc *e)
{
	for (uint32_t ds = 0; ds < DIST_STATES; ++ds) {
		uint32_t *sp = e->dist_slot_prices[ds];
		for (uint32_t slot = 0; slot < e->dist_slots_used; ++slot)
			sp[slot] = rc_tree_price(e->dist_slot[ds],
						 DIST_SLOT_BITS, slot);
		/* Slots from DIST_MODEL_END on also carry direct bits;
		 * their align bits are priced separately. */
		for (uint32_t slot = DIST_MODEL_END;
		     slot < e->dist_slots_used; ++slot)
			sp[slot] += rc_direct_price((slot >> 1) - 1 - ALIGN_BITS);
		for (uint32_t i = 0; i < DIST_MODEL_START; ++i)
			e->dist_prices[ds][i] = sp[i];
	}
	for (uint32_t i = DIST_MODEL_START; i < FULL_DISTANCES; ++i) {
		const uint32_t slot = dist_slot_of(i);
		const uint32_t footer = (slot >> 1) - 1;
		const uint32_t base = (2 | (slot & 1)) << footer;
		const uint32_t price = rc_tree_rev_price(
			e->dist_special + base - slot, footer, i - base);
		for (uint32_t ds = 0; ds < DIST_STATES; ++ds)
			e->dist_prices[ds][i] = price
						+ e->dist_slot_prices[ds][slot];
	}
	e->match_price_count = 0;
}

void xzc_lzma_align_prices(lzma_enc *e)
{
	for (uint32_t i = 0; i < ALIGN_SIZE; ++i)
		e->align_prices[i] = rc_tree_rev_price(e->dist_align,
						       ALIGN_BITS, i);
	e->align_price_count = 0;
}

/* ---- state -------------------------------------------------------------------- */

static void probs_init(uint16_t *p, size_t n)
{
	for (size_t i = 0; i < n; ++i)
		p[i] = RC_PROB_INIT;
}

static void len_reset(len_enc *le, uint32_t table_size, uint32_t pos_states,
		      bool prices)
{
	le->choice = RC_PROB_INIT;
	le->choice2 = RC_PROB_INIT;
	probs_init(&le->low[0][0], sizeof(le->low) / 2);
	probs_init(&le->mid[0][0], sizeof(le->mid) / 2);
	probs_init(le->high, LEN_HIGH);
	le->table_size = table_size;
	for (uint32_t ps = 0; ps < pos_states; ++ps) {
		if (prices)
			xzc_lzma_len_prices(le, ps);
		else
			le->counters[ps] = UINT32_MAX;
	}
}

void xzc_lzma_enc_reset(lzma_enc *e, const lzma_options_lzma *opt)
{
	e->lc = opt->lc;
	e->lp_mask = (1u << opt->lp) - 1;
	e->pb_mask = (1u << opt->pb) - 1;
	e->state = 0;
	memset(e->reps, 0, sizeof(e->reps));

	probs_init(&e->literal[0][0], sizeof(e->literal) / 2);
	probs_init(&e->is_match[0][0], sizeof(e->is_match) / 2);
	probs_init(e->is_rep, LZMA_STATES);
	probs_init(e->is_rep0, LZMA_STATES);
	probs_init(e->is_rep1, LZMA_STATES);
	probs_init(e->is_rep2, LZMA_STATES);
	probs_init(&e->is_rep0_long[0][0], sizeof(e->is_rep0_long) / 2);
	probs_init(&e->dist_slot[0][0], sizeof(e->dist_slot) / 2);
	probs_init(e->dist_special, ARRAY_SIZE(e->dist_special));
	probs_init(e->dist_align, ALIGN_SIZE);

	/* The optimal parser prices lengths up to nice_len. */
	const uint32_t ts = e->nice_len + 1 - LZ_MATCH_LEN_MIN;
	const uint32_t pos_states = e->pb_mask + 1;
	len_reset(&e->match_len, ts, pos_states, !e->fast);
	len_reset(&e->rep_len, ts, pos_states, !e->fast);
	if (!e->fast) {
		xzc_lzma_dist_prices(e);
		xzc_lzma_align_prices(e);
	}
	e->opts_cur = 0;
	e->opts_end = 0;
}

lzma_ret xzc_lzma_enc_create(lzma_enc **ep, const lzma_allocator *a,
			     const lzma_options_lzma *opt)
{
	if (!xzc_lzma_opts_valid(opt))
		return LZMA_OPTIONS_ERROR;
	lzma_enc *e = xzc_alloc(a, sizeof(*e));
	if (e == NULL)
		return LZMA_MEM_ERROR;
	memset(e, 0, sizeof(*e));
	e->fast = opt->mode == LZMA_MODE_FAST;
	if (!e->fast) {
		e->opts = xzc_alloc(a, (LZMA_OPTS + 1) * sizeof(opt_node));
		if (e->opts == NULL) {
			xzc_free(a, e);
			return LZMA_MEM_ERROR;
		}
	}
	const lzma_ret ret = lz_enc_init(&e->mf, a, opt->dict_size, opt->mf,
					 opt->nice_len, opt->depth,
					 KEEP_BEFORE, KEEP_AFTER);
	if (ret != LZMA_OK) {
		xzc_free(a, e->opts);
		xzc_free(a, e);
		return ret;
	}
	e->nice_len = e->mf.nice_len;
	e->dist_slots_used = dist_slot_of(opt->dict_size - 1) + 1;
	xzc_rc_price_init();
	xzc_lzma_enc_reset(e, opt);
	*ep = e;
	return LZMA_OK;
}

void xzc_lzma_enc_destroy(lzma_enc *e, const lzma_allocator *a)
{
	if (e == NULL)
		return;
	lz_enc_end(&e->mf, a);
	xzc_free(a, e->opts);
	xzc_free(a, e);
}

/* ---- coding symbols --------------------------------------------------------- */

static void encode_literal(lzma_enc *e, const uint8_t *cur, uint32_t position)
{
	uint16_t *probs = lit_probs(e, position, cur[-1]);
	const uint32_t byte = cur[0];
	if (e->state < LZMA_LIT_STATES) {
		rce_tree(&e->rc, probs, 8, byte);
	} else {
		/* Matched literal: while the bits agree with the byte at
		 * rep0, they use the probabilities of that context. */
		const uint32_t match_byte = cur[-(ptrdiff_t)e->reps[0] - 1];
		bool matched = true;
		uint32_t sym = 1;
		for (int i = 7; i >= 0; --i) {
			const uint32_t bit = (byte >> i) & 1;
			uint32_t idx = sym;
			if (matched) {
				const uint32_t mbit = (match_byte >> i) & 1;
				idx += (1 + mbit) << 8;
				matched = mbit == bit;
			}
			rce_bit(&e->rc, &probs[idx], bit);
			sym = (sym << 1) | bit;
		}
	}
	e->state = lit_state_next(e->state);
}

static void encode_len(lzma_enc *e, len_enc *le, uint32_t len, uint32_t ps)
{
	rce *rc = &e->rc;
	len -= LZ_MATCH_LEN_MIN;
	if (len < LEN_LOW) {
		rce_bit(rc, &le->choice, 0);
		rce_tree(rc, le->low[ps], LEN_LOW_BITS, len);
	} else if (len < LEN_LOW + LEN_MID) {
		rce_bit(rc, &le->choice, 1);
		rce_bit(rc, &le->choice2, 0);
		rce_tree(rc, le->mid[ps], LEN_MID_BITS, len - LEN_LOW);
	} else {
		rce_bit(rc, &le->choice, 1);
		rce_bit(rc, &le->choice2, 1);
		rce_tree(rc, le->high, LEN_HIGH_BITS, len - LEN_LOW - LEN_MID);
	}
	if (!e->fast && --le->counters[ps] == 0)
		xzc_lzma_len_prices(le, ps);
}

static void encode_match(lzma_enc *e, uint32_t ps, uint32_t dist, uint32_t len)
{
	rce *rc = &e->rc;
	e->state = match_state_next(e->state);
	encode_len(e, &e->match_len, len, ps);

	const uint32_t slot = dist_slot_of(dist);
	rce_tree(rc, e->dist_slot[len_to_dist_state(len)], DIST_SLOT_BITS, slot);
	if (slot >= DIST_MODEL_START) {
		const uint32_t footer = (slot >> 1) - 1;
		const uint32_t base = (2 | (slot & 1)) << footer;
		const uint32_t reduced = dist - base;
		if (slot < DIST_MODEL_END) {
			rce_tree_rev(rc, e->dist_special + base - slot, footer,
				     reduced);
		} else {
			rce_direct(rc, reduced >> ALIGN_BITS,
				   footer - ALIGN_BITS);
			rce_tree_rev(rc, e->dist_align, ALIGN_BITS,
				     reduced & (ALIGN_SIZE - 1));
			++e->align_price_count;
		}
	}
	e->reps[3] = e->reps[2];
	e->reps[2] = e->reps[1];
	e->reps[1] = e->reps[0];
	e->reps[0] = dist;
	++e->match_price_count;
}

static void encode_rep(lzma_enc *e, uint32_t ps, uint32_t rep, uint32_t len)
{
	rce *rc = &e->rc;
	const uint32_t s = e->state;
	if (rep == 0) {
		rce_bit(rc, &e->is_rep0[s], 0);
		rce_bit(rc, &e->is_rep0_long[s][ps], len != 1);
	} else {
		const uint32_t dist = e->reps[rep];
		rce_bit(rc, &e->is_rep0[s], 1);
		if (rep == 1) {
			rce_bit(rc, &e->is_rep1[s], 0);
		} else {
			rce_bit(rc, &e->is_rep1[s], 1);
			rce_bit(rc, &e->is_rep2[s], rep - 2);
			if (rep == 3)
				e->reps[3] = e->reps[2];
			e->reps[2] = e->reps[1];
		}
		e->reps[1] = e->reps[0];
		e->reps[0] = dist;
	}
	if (len == 1) {
		e->state = shortrep_state_next(s);
	} else {
		encode_len(e, &e->rep_len, len, ps);
		e->state = rep_state_next(s);
	}
}

static void encode_symbol(lzma_enc *e, uint32_t back, uint32_t len,
			  uint32_t position)
{
	const uint32_t ps = position & e->pb_mask;
	uint16_t *is_match = &e->is_match[e->state][ps];
	if (back == UINT32_MAX) {
		rce_bit(&e->rc, is_match, 0);
		encode_literal(e, lz_cur(&e->mf), position);
	} else {
		rce_bit(&e->rc, is_match, 1);
		if (back < LZMA_REPS) {
			rce_bit(&e->rc, &e->is_rep[e->state], 1);
			encode_rep(e, ps, back, len);
		} else {
			rce_bit(&e->rc, &e->is_rep[e->state], 0);
			encode_match(e, ps, back - LZMA_REPS, len);
		}
	}
	e->mf.read_ahead -= len;
	e->chunk_uncomp += len;
}

void xzc_lzma_enc_eopm(lzma_enc *e)
{
	const uint32_t position = e->mf.read_pos - e->mf.read_ahead;
	const uint32_t ps = position & e->pb_mask;
	rce_bit(&e->rc, &e->is_match[e->state][ps], 1);
	rce_bit(&e->rc, &e->is_rep[e->state], 0);
	/* Distance 2^32 - 1 with length 2 (lzma-specification.txt). */
	encode_match(e, ps, UINT32_MAX, LZ_MATCH_LEN_MIN);
}

/* ---- the encode loop ---------------------------------------------------------- */

/* The first byte of a stream has no history: it is a literal with the
 * first probabilities, coded without asking the parser. */
static void encode_first(lzma_enc *e)
{
	lz_skip(&e->mf, 1);
	rce_bit(&e->rc, &e->is_match[0][0], 0);
	rce_tree(&e->rc, lit_probs(e, 0, 0), 8, e->mf.buf[0]);
	e->mf.read_ahead -= 1;
	e->chunk_uncomp += 1;
	e->first_done = true;
}

enc_status xzc_lzma_enc_run(lzma_enc *e, uint64_t out_limit, uint32_t in_limit)
{
	lz_mf *mf = &e->mf;
	while (true) {
		if (rce_pending(&e->rc) + RCE_SYMBOL_MAX_OUT > out_limit
		    || e->chunk_uncomp + LZ_MATCH_LEN_MAX > in_limit)
			return ENC_LIMIT;
		if (mf->read_pos >= mf->read_limit) {
			if (mf->mode == LZ_RUN)
				return ENC_NEED_INPUT;
			if (mf->read_ahead == 0)
				return ENC_DRAINED;
		}
		if (unlikely(!e->first_done)) {
			encode_first(e);
			continue;
		}
		const uint32_t position = mf->read_pos - mf->read_ahead;
		uint32_t back, len;
		if (e->fast)
			xzc_lzma_parse_fast(e, &back, &len);
		else
			xzc_lzma_parse_opt(e, &back, &len, position);
		encode_symbol(e, back, len, position);
	}
}

/* ---- LZMA1 ---------------------------------------------------------------------- */

typedef struct {
	lzma_enc *e;
	bool eopm;
	bool finished;          /* the end is coded; buf holds the last bytes */
	uint64_t uncomp_size;   /* LZMA_VLI_UNKNOWN or the exact size */
	uint64_t uncomp_seen;
	size_t buf_pos;
	size_t buf_size;
	uint8_t buf[LZMA1_BUF_SIZE + RCE_SYMBOL_MAX_OUT];
} lzma1_coder;

static lzma_ret lzma1_code(void *state, const lzma_allocator *a,
			   const uint8_t *in, size_t *in_pos, size_t in_size,
			   uint8_t *out, size_t *out_pos, size_t out_size,
			   lzma_action action)
{
	lzma1_coder *c = state;
	lzma_enc *e = c->e;
	(void)a;
	if (action != LZMA_RUN && action != LZMA_FINISH)
		return LZMA_OPTIONS_ERROR;      /* LZMA1 cannot flush */
	while (true) {
		xzc_bufcpy(c->buf, &c->buf_pos, c->buf_size, out, out_pos,
			   out_size);
		if (c->buf_pos < c->buf_size)
			return LZMA_OK;
		if (c->finished)
			return LZMA_STREAM_END;

		size_t avail = in_size - *in_pos;
		if (c->uncomp_size != LZMA_VLI_UNKNOWN
		    && avail > c->uncomp_size - c->uncomp_seen)
			return LZMA_PROG_ERROR;  /* more than announced */
		const size_t n = lz_enc_fill(&e->mf, in + *in_pos, avail,
					     action == LZMA_FINISH
					     ? LZ_FINISH : LZ_RUN);
		*in_pos += n;
		c->uncomp_seen += n;

		e->rc.out = c->buf;
		e->rc.out_pos = 0;
		e->chunk_uncomp = 0;
		const enc_status st = xzc_lzma_enc_run(e, LZMA1_BUF_SIZE,
						       UINT32_MAX);
		c->buf_pos = 0;
		c->buf_size = e->rc.out_pos;
		if (st == ENC_NEED_INPUT) {
			if (*in_pos == in_size && c->buf_size == 0)
				return LZMA_OK;
		} else if (st == ENC_LIMIT) {
			/* Only a run of 64 Ki 0xFF bytes held back for a
			 * carry could stop the coder with nothing written. */
			if (c->buf_size == 0)
				return LZMA_PROG_ERROR;
		} else {
			if (c->uncomp_size != LZMA_VLI_UNKNOWN
			    && c->uncomp_seen != c->uncomp_size)
				return LZMA_PROG_ERROR;  /* less than announced */
			if (c->eopm)
				xzc_lzma_enc_eopm(e);
			rce_flush(&e->rc);
			c->buf_size = e->rc.out_pos;
			c->finished = true;
		}
	}
}

static void lzma1_end(void *state, const lzma_allocator *a)
{
	lzma1_coder *c = state;
	xzc_lzma_enc_destroy(c->e, a);
	xzc_free(a, c);
}

lzma_ret xzc_lzma1_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt, bool eopm,
				uint64_t uncomp_size)
{
	lzma1_coder *s = xzc_alloc(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	const lzma_ret ret = xzc_lzma_enc_create(&s->e, a, opt);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	s->eopm = eopm;
	s->finished = false;
	s->uncomp_size = uncomp_size;
	s->uncomp_seen = 0;
	s->buf_pos = 0;
	s->buf_size = 0;
	rce_reset(&s->e->rc, s->buf);
	*c = XZC_CODER_INIT;
	c->state = s;
	c->code = lzma1_code;
	c->end = lzma1_end;
	return LZMA_OK;
}

/* ---- properties ------------------------------------------------------------------ */

lzma_ret xzc_lzma1_props_encode(const lzma_options_lzma *opt, uint8_t out[5])
{
	if (opt == NULL || opt->lc > 8 || opt->lp > 4 || opt->pb > 4)
		return LZMA_OPTIONS_ERROR;
	out[0] = (uint8_t)((opt->pb * 5 + opt->lp) * 9 + opt->lc);
	write32le(out + 1, opt->dict_size);
	return LZMA_OK;
}

lzma_ret xzc_lzma2_props_encode(const lzma_options_lzma *opt, uint8_t out[1])
{
	if (opt == NULL)
		return LZMA_OPTIONS_ERROR;
	/* Byte b means (2 | (b & 1)) << (b / 2 + 11), 40 means 4 GiB - 1:
	 * the smallest that holds the dictionary. */
	uint8_t b = 0;
	while (b < 40 && ((uint64_t)(2 | (b & 1)) << (b / 2 + 11))
			 < opt->dict_size)
		++b;
	out[0] = b;
	return LZMA_OK;
}
