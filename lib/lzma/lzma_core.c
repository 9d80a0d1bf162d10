/*
 * lzma_core.c -- decoding LZMA symbols (lzma-specification.txt, "LZMA
 * decoding modes" onwards): literals, matches, rep matches, short reps and
 * the end marker, into the dictionary of lz_dec.h.
 *
 * Input handling (the xz-embedded habit, with LZMA SDK's trial decode):
 * while at least LZMA_SYMBOL_MAX_IN bytes are available the hot loop reads
 * the caller's buffer with no bounds checks. The last bytes of a buffer go
 * through tmp[]: a dry run of one symbol (no writes) tells whether tmp
 * holds all of it; only then is the symbol decoded for real. So the hot
 * loop never has to stop or resume in the middle of a symbol.
 */
#include "lzma/lzma_core.h"

enum sym_result { SYM_OK, SYM_EOPM, SYM_BAD };

/* The state that changes with every symbol, kept in locals by the hot
 * loop so the compiler can hold it in registers. */
typedef struct {
	uint32_t state;
	uint32_t rep0, rep1, rep2, rep3;
	uint32_t rem_len;
} lzma_vars;

/* What does not change between symbols, copied to a local by the hot loop
 * (dictionary writes are uint8_t stores, which may alias anything, so
 * fields read through `c` would be reloaded after each one). */
typedef struct {
	lzma_probs *probs;
	uint16_t *literal;
	uint32_t lc, lp_mask, pb_mask;
} lzma_consts;

static inline lzma_consts consts_of(lzma_core *c)
{
	return (lzma_consts){ &c->probs, c->literal, c->lc, c->lp_mask, c->pb_mask };
}

/* Copy a match. The common case -- no wrap in the circular buffer and the
 * whole match fits before the limit -- is done here, in 16-byte chunks when
 * the distance allows (a chunk may write up to 15 bytes past the match,
 * into the part of the buffer that holds no reachable history; see
 * lz_dec.h). Everything else goes to lz_dict_repeat() on `home`, the
 * caller's dictionary, of which *d is a local copy. */
FORCE_INLINE void dict_repeat(lz_dict *d, lz_dict *home, uint32_t dist,
			      uint32_t *len)
{
	size_t back = (size_t)dist + 1;
	size_t n = *len;
	if (likely(back <= d->pos && n <= d->limit - d->pos)) {
		uint8_t *dst = d->buf + d->pos;
		const uint8_t *src = dst - back;
		d->pos += n;
		d->full = MIN(d->full + n, d->dict_size);
		*len = 0;
		if (back >= 16) {
			for (size_t i = 0; i < n; i += 16)
				memcpy(dst + i, src + i, 16);
		} else if (back >= 8) {
			for (size_t i = 0; i < n; i += 8)
				memcpy(dst + i, src + i, 8);
		} else if (back == 1) {
			memset(dst, *src, n);
		} else {
			for (size_t i = 0; i < n; i++)
				dst[i] = src[i];
		}
		return;
	}
	if (home != d)
		*home = *d;
	lz_dict_repeat(home, dist, len);
	if (home != d)
		*d = *home;
}

void lzma_core_reset_rc(lzma_core *c)
{
	c->rc_ready = false;
	c->tmp_size = 0;
	c->need_input = false;
}

void lzma_core_reset(lzma_core *c, uint32_t lc, uint32_t lp, uint32_t pb)
{
	c->lc = lc;
	c->lp_mask = (1u << lp) - 1;
	c->pb_mask = (1u << pb) - 1;
	c->state = 0;
	c->rep0 = c->rep1 = c->rep2 = c->rep3 = 0;
	c->rem_len = 0;
	c->eopm = false;

	/* Every probability starts at 0.5 (lzma-specification.txt). */
	uint16_t *p = (uint16_t *)&c->probs;
	for (size_t i = 0; i < sizeof(c->probs) / sizeof(uint16_t); i++)
		p[i] = RC_PROB_INIT;
	size_t n = lzma_core_literal_size(lc + lp) / sizeof(uint16_t);
	for (size_t i = 0; i < n; i++)
		c->literal[i] = RC_PROB_INIT;
	lzma_core_reset_rc(c);
}

/* State transitions after each kind of symbol (lzma-specification.txt:
 * UpdateState_Literal/Match/Rep/ShortRep). */
static inline uint32_t state_after_literal(uint32_t s)
{
	return s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
}

FORCE_INLINE uint32_t decode_len(rc_dec *rc, lzma_len_probs *lp,
				 uint32_t pos_state, const bool dry)
{
	if (!rc_bit(rc, &lp->choice, dry))
		return 2 + rc_tree(rc, lp->low[pos_state], 3, dry);
	if (!rc_bit(rc, &lp->choice2, dry))
		return 10 + rc_tree(rc, lp->mid[pos_state], 3, dry);
	return 18 + rc_tree(rc, lp->high, 8, dry);
}

/* The distance of a simple match of length len ("distance decoding"). */
FORCE_INLINE uint32_t decode_dist(rc_dec *rc, lzma_probs *p, uint32_t len,
				  const bool dry)
{
	uint32_t len_state = len - LZMA_MATCH_LEN_MIN;
	if (len_state > LZMA_LEN_TO_DIST_STATES - 1)
		len_state = LZMA_LEN_TO_DIST_STATES - 1;
	uint32_t slot = rc_tree(rc, p->dist_slot[len_state], LZMA_DIST_SLOT_BITS, dry);
	if (slot < 4)
		return slot;
	uint32_t direct = (slot >> 1) - 1;
	uint32_t dist = (2 | (slot & 1)) << direct;
	if (slot < LZMA_END_DIST_MODEL)
		return dist + rc_tree_reverse(rc, p->dist_special + dist - slot,
					      direct, dry);
	dist += rc_direct(rc, direct - LZMA_ALIGN_BITS, dry) << LZMA_ALIGN_BITS;
	return dist + rc_tree_reverse(rc, p->dist_align, LZMA_ALIGN_BITS, dry);
}

/* A literal: 8 bits through the coder chosen by position and previous
 * byte. After a match, the byte at rep0 steers the bits ("matched
 * literal"): while the decoded bits equal the match byte's, each bit uses
 * the probabilities of its match bit (offsets 0x100 or 0x200 + sym); after
 * the first difference, the plain ones (offset 0). `offs` encodes that
 * without a branch: it stays 0x100 while the bits agree and drops to 0 at
 * the first difference, so the loop always runs exactly 8 times. */
FORCE_INLINE uint32_t decode_literal(const lzma_consts *k, const lz_dict *d,
				     rc_dec *rc, const lzma_vars *v, const bool dry)
{
	uint32_t prev = d->full > 0 ? lz_dict_get(d, 0) : 0;
	uint16_t *probs = k->literal + LZMA_LIT_CODER_SIZE
		* ((((uint32_t)d->pos & k->lp_mask) << k->lc) + (prev >> (8 - k->lc)));
	uint32_t sym = 1;
	if (v->state < 7) {
#pragma GCC unroll 8
		for (int i = 0; i < 8; i++)
			sym = (sym << 1) | rc_bit_nb(rc, &probs[sym], dry);
	} else {
		uint32_t match = (uint32_t)lz_dict_get(d, v->rep0) << 1;
		uint32_t offs = 0x100;
#pragma GCC unroll 8
		for (int i = 0; i < 8; i++) {
			uint32_t match_bit = match & offs;
			match <<= 1;
			uint32_t bit = rc_bit_nb(rc, &probs[offs + match_bit + sym], dry);
			sym = (sym << 1) | bit;
			/* bit == match bit: keep offs; else offs becomes 0 */
			offs &= bit ? match_bit : ~match_bit;
		}
	}
	return sym & 0xFF;
}

/*
 * Decode one symbol. Real runs (dry == false) write the dictionary *d and
 * update *v; the caller guarantees d->pos < d->limit and enough input.
 * d may be a local copy of home (the coder's dictionary).
 * Dry runs write nothing (v must be a scratch copy) and only move rc.
 */
FORCE_INLINE enum sym_result decode_symbol(const lzma_consts *k, lz_dict *d,
					   lz_dict *home, rc_dec *rc,
					   lzma_vars *v, const bool dry)
{
	lzma_probs *p = k->probs;
	uint32_t pos_state = (uint32_t)d->pos & k->pb_mask;
	uint32_t s = v->state;

	if (!rc_bit(rc, &p->is_match[s][pos_state], dry)) {
		uint32_t byte = decode_literal(k, d, rc, v, dry);
		if (!dry) {
			lz_dict_put(d, (uint8_t)byte);
			v->state = state_after_literal(s);
		}
		return SYM_OK;
	}

	uint32_t len;
	if (!rc_bit(rc, &p->is_rep[s], dry)) {
		len = decode_len(rc, &p->match_len, pos_state, dry);
		uint32_t dist = decode_dist(rc, p, len, dry);
		if (dist == LZMA_EOPM_DIST)
			return SYM_EOPM;
		if (!dry && dist >= d->full)
			return SYM_BAD;
		v->rep3 = v->rep2;
		v->rep2 = v->rep1;
		v->rep1 = v->rep0;
		v->rep0 = dist;
		v->state = s < 7 ? 7 : 10;
	} else {
		/* A rep match needs history; reps are 0 after a state reset. */
		if (!dry && d->full == 0)
			return SYM_BAD;
		if (!rc_bit(rc, &p->is_rep0[s], dry)) {
			if (!rc_bit(rc, &p->is_rep0_long[s][pos_state], dry)) {
				/* Short rep: one byte from distance rep0. */
				if (!dry) {
					lz_dict_put(d, lz_dict_get(d, v->rep0));
					v->state = s < 7 ? 9 : 11;
				}
				return SYM_OK;
			}
		} else {
			uint32_t dist;
			if (!rc_bit(rc, &p->is_rep1[s], dry)) {
				dist = v->rep1;
			} else {
				if (!rc_bit(rc, &p->is_rep2[s], dry)) {
					dist = v->rep2;
				} else {
					dist = v->rep3;
					v->rep3 = v->rep2;
				}
				v->rep2 = v->rep1;
			}
			v->rep1 = v->rep0;
			v->rep0 = dist;
		}
		len = decode_len(rc, &p->rep_len, pos_state, dry);
		v->state = s < 7 ? 8 : 11;
	}
	if (!dry) {
		v->rem_len = len;
		dict_repeat(d, home, v->rep0, &v->rem_len);
	}
	return SYM_OK;
}

static inline void vars_load(const lzma_core *c, lzma_vars *v)
{
	v->state = c->state;
	v->rep0 = c->rep0;
	v->rep1 = c->rep1;
	v->rep2 = c->rep2;
	v->rep3 = c->rep3;
	v->rem_len = c->rem_len;
}

static inline void vars_store(lzma_core *c, const lzma_vars *v)
{
	c->state = v->state;
	c->rep0 = v->rep0;
	c->rep1 = v->rep1;
	c->rep2 = v->rep2;
	c->rep3 = v->rep3;
	c->rem_len = v->rem_len;
}

static lzma_ret sym_to_ret(lzma_core *c, enum sym_result r)
{
	if (r == SYM_EOPM) {
		c->eopm = true;
		return LZMA_OK;
	}
	return r == SYM_BAD ? LZMA_DATA_ERROR : LZMA_OK;
}

/* The hot loop: at least LZMA_SYMBOL_MAX_IN bytes of input per symbol. */
static lzma_ret decode_fast(lzma_core *c, lz_dict *d, const uint8_t *in,
			    size_t *in_pos, size_t in_size)
{
	rc_dec rc = { c->range, c->code, in + *in_pos, NULL, false };
	const uint8_t *in_safe = in + in_size - LZMA_SYMBOL_MAX_IN;
	const lzma_consts k = consts_of(c);
	lz_dict dl = *d;
	lzma_vars v;
	enum sym_result r = SYM_OK;

	vars_load(c, &v);
	while (dl.pos < dl.limit && rc.in <= in_safe) {
		r = decode_symbol(&k, &dl, d, &rc, &v, false);
		if (r != SYM_OK)
			break;
	}
	*d = dl;
	vars_store(c, &v);
	c->range = rc.range;
	c->code = rc.code;
	*in_pos = (size_t)(rc.in - in);
	return sym_to_ret(c, r);
}

/* One symbol through tmp[] (the last bytes of the caller's buffer). */
static lzma_ret decode_slow(lzma_core *c, lz_dict *d, const uint8_t *in,
			    size_t *in_pos, size_t in_size)
{
	size_t old = c->tmp_size;
	size_t add = MIN(in_size - *in_pos, sizeof(c->tmp) - old);
	memcpy(c->tmp + old, in + *in_pos, add);

	/* The dry run: is everything the symbol needs in tmp? */
	rc_dec rc = { c->range, c->code, c->tmp, c->tmp + old + add, false };
	const lzma_consts k = consts_of(c);
	lzma_vars v;
	vars_load(c, &v);
	decode_symbol(&k, d, d, &rc, &v, true);
	if (rc.overrun) {
		c->tmp_size = (uint32_t)(old + add);
		*in_pos += add;
		c->need_input = true;
		return LZMA_OK;
	}
	size_t used = (size_t)(rc.in - c->tmp);

	rc = (rc_dec){ c->range, c->code, c->tmp, NULL, false };
	vars_load(c, &v);
	enum sym_result r = decode_symbol(&k, d, d, &rc, &v, false);
	ASSERT((size_t)(rc.in - c->tmp) == used);
	vars_store(c, &v);
	c->range = rc.range;
	c->code = rc.code;

	/* Count as consumed only the new bytes the symbol used. */
	if (used >= old) {
		*in_pos += used - old;
		c->tmp_size = 0;
	} else {
		memmove(c->tmp, c->tmp + used, old - used);
		c->tmp_size = (uint32_t)(old - used);
	}
	return sym_to_ret(c, r);
}

/* Read the 5 init bytes: the first is always 0 (the encoder's initial
 * cache byte), the next four are the initial code. */
static lzma_ret rc_init(lzma_core *c, const uint8_t *in, size_t *in_pos,
			size_t in_size)
{
	while (c->tmp_size < 5 && *in_pos < in_size)
		c->tmp[c->tmp_size++] = in[(*in_pos)++];
	if (c->tmp_size < 5) {
		c->need_input = true;
		return LZMA_OK;
	}
	INPUT_CHECK(c->tmp[0] == 0);
	c->code = read32be(c->tmp + 1);
	c->range = UINT32_MAX;
	c->tmp_size = 0;
	c->rc_ready = true;
	return LZMA_OK;
}

lzma_ret lzma_core_decode(lzma_core *c, lz_dict *d, const uint8_t *in,
			  size_t *in_pos, size_t in_size)
{
	lzma_ret ret;
	c->need_input = false;
	if (!c->rc_ready) {
		ret = rc_init(c, in, in_pos, in_size);
		if (ret != LZMA_OK || !c->rc_ready)
			return ret;
	}
	if (c->rem_len > 0)
		lz_dict_repeat(d, c->rep0, &c->rem_len);

	while (d->pos < d->limit && !c->eopm) {
		if (c->tmp_size == 0 && in_size - *in_pos >= LZMA_SYMBOL_MAX_IN)
			ret = decode_fast(c, d, in, in_pos, in_size);
		else
			ret = decode_slow(c, d, in, in_pos, in_size);
		if (ret != LZMA_OK || c->need_input)
			return ret;
	}
	return LZMA_OK;
}

lzma_ret lzma_core_normalize(lzma_core *c, const uint8_t *in, size_t *in_pos,
			     size_t in_size, bool *ready)
{
	*ready = false;
	c->need_input = false;
	if (!c->rc_ready) {
		lzma_ret ret = rc_init(c, in, in_pos, in_size);
		if (ret != LZMA_OK || !c->rc_ready)
			return ret;
	}
	/* Bytes left in tmp were taken but not needed by any symbol. */
	INPUT_CHECK(c->tmp_size == 0);
	if (c->range < RC_TOP) {
		if (*in_pos == in_size) {
			c->need_input = true;
			return LZMA_OK;
		}
		c->range <<= 8;
		c->code = (c->code << 8) | in[(*in_pos)++];
	}
	*ready = true;
	return LZMA_OK;
}
