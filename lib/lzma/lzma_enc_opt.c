/*
 * lzma_enc_opt.c -- the parser of mode=normal: optimal parsing over prices.
 *
 * From the encoder's position, the parser searches ahead position by
 * position (at most LZMA_OPTS) and keeps in opts[i] the cheapest known way,
 * in 1/16 bits, to code the next i bytes, with the coder state and rep
 * distances that way leaves. From each reached position it tries every
 * symbol: a literal, a short rep, each rep match, each match found there,
 * and three two- or three-symbol sequences that often pay off together:
 * literal + rep0, rep + literal + rep0, match + literal + rep0. The search
 * stops where no path reaches further, or at a match of nice_len or more
 * (taken as it is); then the cheapest path to the end is walked back, and
 * its symbols are handed out one per call.
 *
 * The prices are the rc_price table applied to the current probabilities;
 * length, distance and align prices are tables refreshed as the model
 * adapts (lzma_enc.c). The algorithm is that of the LZMA SDK and liblzma
 * (lzma_encoder_optimum_normal.c), learnt from their description and code;
 * its structure here is our own.
 */
#include "lzma/lzma_enc_internal.h"

/* ---- prices of symbols ------------------------------------------------------ */

static inline uint32_t len_price(const len_enc *le, uint32_t len, uint32_t ps)
{
	return le->prices[ps][len - LZ_MATCH_LEN_MIN];
}

static inline uint32_t literal_price(lzma_enc *e, const uint8_t *p,
				     uint32_t position, uint32_t state,
				     uint32_t match_byte)
{
	return lit_price(lit_probs(e, position, p[-1]),
			 state >= LZMA_LIT_STATES, match_byte, p[0]);
}

static inline uint32_t short_rep_price(const lzma_enc *e, uint32_t state,
				       uint32_t ps)
{
	return rc_price0(e->is_rep0[state])
	       + rc_price0(e->is_rep0_long[state][ps]);
}

/* Price of saying "rep number rep" (without the length). */
static inline uint32_t pure_rep_price(const lzma_enc *e, uint32_t rep,
				      uint32_t state, uint32_t ps)
{
	if (rep == 0)
		return rc_price0(e->is_rep0[state])
		       + rc_price1(e->is_rep0_long[state][ps]);
	uint32_t price = rc_price1(e->is_rep0[state]);
	if (rep == 1)
		return price + rc_price0(e->is_rep1[state]);
	return price + rc_price1(e->is_rep1[state])
	       + rc_price(e->is_rep2[state], rep - 2);
}

static inline uint32_t rep_price(const lzma_enc *e, uint32_t rep, uint32_t len,
				 uint32_t state, uint32_t ps)
{
	return len_price(&e->rep_len, len, ps) + pure_rep_price(e, rep, state, ps);
}

static inline uint32_t dist_len_price(const lzma_enc *e, uint32_t dist,
				      uint32_t len, uint32_t ps)
{
	const uint32_t ds = len_to_dist_state(len);
	uint32_t price;
	if (dist < FULL_DISTANCES)
		price = e->dist_prices[ds][dist];
	else
		price = e->dist_slot_prices[ds][dist_slot_of(dist)]
			+ e->align_prices[dist & (ALIGN_SIZE - 1)];
	return price + len_price(&e->match_len, len, ps);
}

static inline uint16_t read16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

/* ---- the path ------------------------------------------------------------------ */

static inline void set_path(opt_node *o, uint32_t price, uint32_t pos_prev,
			    uint32_t back_prev)
{
	o->price = price;
	o->pos_prev = pos_prev;
	o->back_prev = back_prev;
	o->prev1_is_literal = false;
}

/* A path ending in "literal, rep0 of len" after the symbol (pos_prev2,
 * back_prev2) -- or, without prev2, after whatever reached lit_pos - 1. */
static inline void set_path_lit_rep0(opt_node *o, uint32_t price,
				     uint32_t lit_pos, bool prev2,
				     uint32_t pos_prev2, uint32_t back_prev2)
{
	o->price = price;
	o->pos_prev = lit_pos + 1;
	o->back_prev = 0;
	o->prev1_is_literal = true;
	o->prev2 = prev2;
	o->pos_prev2 = pos_prev2;
	o->back_prev2 = back_prev2;
}

/* Extend the reached range to end, marking new positions unreached. */
static inline uint32_t reach(opt_node *opts, uint32_t len_end, uint32_t end)
{
	while (len_end < end)
		opts[++len_end].price = RC_INFINITY_PRICE;
	return len_end;
}

/* Walk the cheapest path back from cur, turning the "came from" links
 * into "go to" links, and hand out its first symbol. */
static void backward(lzma_enc *e, uint32_t *back, uint32_t *len, uint32_t cur)
{
	opt_node *opts = e->opts;
	e->opts_end = cur;
	uint32_t pos_mem = opts[cur].pos_prev;
	uint32_t back_mem = opts[cur].back_prev;
	do {
		if (opts[cur].prev1_is_literal) {
			/* Unfold the combined symbols into their parts. */
			opts[pos_mem].back_prev = UINT32_MAX;
			opts[pos_mem].prev1_is_literal = false;
			opts[pos_mem].pos_prev = pos_mem - 1;
			if (opts[cur].prev2) {
				opts[pos_mem - 1].prev1_is_literal = false;
				opts[pos_mem - 1].pos_prev = opts[cur].pos_prev2;
				opts[pos_mem - 1].back_prev = opts[cur].back_prev2;
			}
		}
		const uint32_t pos_prev = pos_mem;
		const uint32_t back_cur = back_mem;
		back_mem = opts[pos_prev].back_prev;
		pos_mem = opts[pos_prev].pos_prev;
		opts[pos_prev].back_prev = back_cur;
		opts[pos_prev].pos_prev = cur;
		cur = pos_prev;
	} while (cur != 0);
	e->opts_cur = opts[0].pos_prev;
	*len = opts[0].pos_prev;
	*back = opts[0].back_prev;
}

/* ---- the first position ---------------------------------------------------------- */

/* Fill opts[1 .. len_end] from the start position; returns len_end, or 0
 * when the decision is already made (*back, *len set). */
static uint32_t start(lzma_enc *e, uint32_t *back, uint32_t *len,
		      uint32_t position)
{
	lz_mf *mf = &e->mf;
	opt_node *opts = e->opts;
	uint32_t len_main, count;
	if (mf->read_ahead == 0) {
		len_main = lz_find(mf, e->matches, &count);
	} else {
		len_main = e->longest_len;
		count = e->match_count;
	}
	const lz_match *m = e->matches;
	const uint8_t *buf = lz_cur(mf);
	uint32_t avail = lz_avail_cur(mf);
	if (avail > LZ_MATCH_LEN_MAX)
		avail = LZ_MATCH_LEN_MAX;
	*back = UINT32_MAX;
	*len = 1;
	if (avail < 2)
		return 0;

	uint32_t rep_lens[LZMA_REPS];
	uint32_t rep_best = 0;
	for (uint32_t i = 0; i < LZMA_REPS; ++i) {
		const uint8_t *ref = buf - e->reps[i] - 1;
		rep_lens[i] = read16(buf) == read16(ref)
			      ? lz_cmplen(buf, ref, 2, avail) : 0;
		if (rep_lens[i] > rep_lens[rep_best])
			rep_best = i;
	}
	if (rep_lens[rep_best] >= e->nice_len) {
		*back = rep_best;
		*len = rep_lens[rep_best];
		lz_skip(mf, *len - 1);
		return 0;
	}
	if (len_main >= e->nice_len) {
		*back = m[count - 1].dist + LZMA_REPS;
		*len = len_main;
		lz_skip(mf, len_main - 1);
		return 0;
	}
	const uint32_t cur_byte = buf[0];
	const uint32_t match_byte = *(buf - e->reps[0] - 1);
	if (len_main < 2 && cur_byte != match_byte && rep_lens[rep_best] < 2)
		return 0;

	const uint32_t state = e->state;
	const uint32_t ps = position & e->pb_mask;
	opts[0].state = state;
	memcpy(opts[0].reps, e->reps, sizeof(e->reps));
	set_path(&opts[1], rc_price0(e->is_match[state][ps])
		 + literal_price(e, buf, position, state, match_byte),
		 0, UINT32_MAX);
	const uint32_t match_price = rc_price1(e->is_match[state][ps]);
	const uint32_t rep_match_price = match_price + rc_price1(e->is_rep[state]);
	if (match_byte == cur_byte) {
		const uint32_t p = rep_match_price + short_rep_price(e, state, ps);
		if (p < opts[1].price)
			set_path(&opts[1], p, 0, 0);
	}
	const uint32_t len_end = MAX(len_main, rep_lens[rep_best]);
	if (len_end < 2) {
		*back = opts[1].back_prev;
		return 0;
	}
	for (uint32_t l = 2; l <= len_end; ++l)
		opts[l].price = RC_INFINITY_PRICE;

	for (uint32_t i = 0; i < LZMA_REPS; ++i) {
		if (rep_lens[i] < 2)
			continue;
		const uint32_t base = rep_match_price
				      + pure_rep_price(e, i, state, ps);
		for (uint32_t l = rep_lens[i]; l >= 2; --l) {
			const uint32_t p = base + len_price(&e->rep_len, l, ps);
			if (p < opts[l].price)
				set_path(&opts[l], p, 0, i);
		}
	}
	const uint32_t normal_price = match_price + rc_price0(e->is_rep[state]);
	uint32_t l = rep_lens[0] >= 2 ? rep_lens[0] + 1 : 2;
	if (l <= len_main) {
		uint32_t i = 0;
		while (l > m[i].len)
			++i;
		for (;; ++l) {
			const uint32_t p = normal_price
					   + dist_len_price(e, m[i].dist, l, ps);
			if (p < opts[l].price)
				set_path(&opts[l], p, 0, m[i].dist + LZMA_REPS);
			if (l == m[i].len && ++i == count)
				break;
		}
	}
	return len_end;
}

/* ---- a later position ---------------------------------------------------------- */

/* The state and reps at cur, from the path that reached it. */
static void arrive(lzma_enc *e, uint32_t cur)
{
	opt_node *opts = e->opts;
	opt_node *o = &opts[cur];
	uint32_t pos_prev = o->pos_prev;
	uint32_t state;
	if (o->prev1_is_literal) {
		--pos_prev;
		if (o->prev2) {
			state = opts[o->pos_prev2].state;
			state = o->back_prev2 < LZMA_REPS ? rep_state_next(state)
							  : match_state_next(state);
		} else {
			state = opts[pos_prev].state;
		}
		state = lit_state_next(state);
	} else {
		state = opts[pos_prev].state;
	}

	const uint32_t *prev_reps = opts[pos_prev].reps;
	if (pos_prev == cur - 1) {
		/* One byte: a literal or a short rep; reps unchanged. */
		state = o->back_prev == 0 ? shortrep_state_next(state)
					  : lit_state_next(state);
		memcpy(o->reps, prev_reps, sizeof(o->reps));
	} else {
		uint32_t sym;
		if (o->prev1_is_literal && o->prev2) {
			/* rep0 after "symbol, literal": the reps are those
			 * the symbol at pos_prev2 left. */
			prev_reps = opts[o->pos_prev2].reps;
			sym = o->back_prev2;
			state = rep_state_next(state);
		} else {
			sym = o->back_prev;
			state = sym < LZMA_REPS ? rep_state_next(state)
						: match_state_next(state);
		}
		if (sym < LZMA_REPS) {
			/* The used rep moves to the front. */
			o->reps[0] = prev_reps[sym];
			for (uint32_t i = 1; i <= sym; ++i)
				o->reps[i] = prev_reps[i - 1];
			for (uint32_t i = sym + 1; i < LZMA_REPS; ++i)
				o->reps[i] = prev_reps[i];
		} else {
			o->reps[0] = sym - LZMA_REPS;
			for (uint32_t i = 1; i < LZMA_REPS; ++i)
				o->reps[i] = prev_reps[i - 1];
		}
	}
	o->state = state;
}

/* After a symbol of len bytes at cur that leaves state_after, a literal
 * and then a rep0 of the bytes after it: the price of the literal and the
 * rep0 (the literal is matched against ref[len]). Returns the rep0 length
 * (0 if under 2) and its price in *price. */
static uint32_t lit_rep0_after(lzma_enc *e, const uint8_t *buf,
			       const uint8_t *ref, uint32_t len,
			       uint32_t avail_full, uint32_t position,
			       uint32_t state_after, uint32_t *price)
{
	uint32_t limit = len + 1 + e->nice_len;
	if (limit > avail_full)
		limit = avail_full;
	if (len + 1 >= limit)
		return 0;
	const uint32_t len2 = lz_cmplen(buf, ref, len + 1, limit) - (len + 1);
	if (len2 < 2)
		return 0;
	uint32_t ps = (position + len) & e->pb_mask;
	uint32_t p = rc_price0(e->is_match[state_after][ps])
		     + lit_price(lit_probs(e, position + len, buf[len - 1]), true,
				 ref[len], buf[len]);
	const uint32_t s2 = lit_state_next(state_after);
	ps = (position + len + 1) & e->pb_mask;
	p += rc_price1(e->is_match[s2][ps]) + rc_price1(e->is_rep[s2])
	     + rep_price(e, 0, len2, s2, ps);
	*price = p;
	return len2;
}

/* What extend()'s parts share about the position cur. */
typedef struct {
	uint32_t cur;
	uint32_t position;      /* buffer index of cur */
	uint32_t ps;            /* its pos_state */
	uint32_t state;
	const uint32_t *reps;
	const uint8_t *buf;     /* the bytes at cur */
	uint32_t avail_full;    /* bytes from cur that may be coded */
	uint32_t avail;         /* the same, at most nice_len */
	uint32_t match_price;   /* price to here + is_match 1 */
	uint32_t rep_match_price; /* that + is_rep 1 */
	uint32_t len_end;
} here_t;

/* One-byte symbols (literal, short rep) and literal + rep0. */
static void extend_bytes(lzma_enc *e, here_t *h)
{
	opt_node *opts = e->opts;
	const uint32_t cur = h->cur;
	const uint32_t cur_byte = h->buf[0];
	const uint8_t *rep0 = h->buf - h->reps[0] - 1;
	const uint32_t lit_total = opts[cur].price
				   + rc_price0(e->is_match[h->state][h->ps])
				   + literal_price(e, h->buf, h->position,
						   h->state, rep0[0]);
	bool next_is_literal = false;
	if (lit_total < opts[cur + 1].price) {
		set_path(&opts[cur + 1], lit_total, cur, UINT32_MAX);
		next_is_literal = true;
	}
	if (rep0[0] == cur_byte && !(opts[cur + 1].pos_prev < cur
				     && opts[cur + 1].back_prev == 0)) {
		const uint32_t p = h->rep_match_price
				   + short_rep_price(e, h->state, h->ps);
		if (p <= opts[cur + 1].price) {
			set_path(&opts[cur + 1], p, cur, 0);
			next_is_literal = true;
		}
	}
	/* Literal, then rep0 (the literal differs from the rep0 byte). */
	if (h->avail_full < 2 || next_is_literal || rep0[0] == cur_byte)
		return;
	const uint32_t limit = MIN(h->avail_full, e->nice_len + 1);
	const uint32_t l = lz_cmplen(h->buf + 1, rep0 + 1, 0, limit - 1);
	if (l < 2)
		return;
	const uint32_t s2 = lit_state_next(h->state);
	const uint32_t ps2 = (h->position + 1) & e->pb_mask;
	const uint32_t p = lit_total + rc_price1(e->is_match[s2][ps2])
			   + rc_price1(e->is_rep[s2])
			   + rep_price(e, 0, l, s2, ps2);
	const uint32_t off = cur + 1 + l;
	h->len_end = reach(opts, h->len_end, off);
	if (p < opts[off].price)
		set_path_lit_rep0(&opts[off], p, cur, false, 0, 0);
}

/* Each rep match, and rep + literal + rep0. Returns the shortest length
 * worth trying for new matches (longer than the rep0 match). */
static uint32_t extend_reps(lzma_enc *e, here_t *h)
{
	opt_node *opts = e->opts;
	const uint32_t cur = h->cur;
	uint32_t start_len = 2;
	for (uint32_t r = 0; r < LZMA_REPS; ++r) {
		const uint8_t *ref = h->buf - h->reps[r] - 1;
		if (read16(h->buf) != read16(ref))
			continue;
		const uint32_t l = lz_cmplen(h->buf, ref, 2, h->avail);
		h->len_end = reach(opts, h->len_end, cur + l);
		const uint32_t base = h->rep_match_price
				      + pure_rep_price(e, r, h->state, h->ps);
		for (uint32_t t = l; t >= 2; --t) {
			const uint32_t p = base + len_price(&e->rep_len, t, h->ps);
			if (p < opts[cur + t].price)
				set_path(&opts[cur + t], p, cur, r);
		}
		if (r == 0)
			start_len = l + 1;
		uint32_t p2;
		const uint32_t l2 = lit_rep0_after(e, h->buf, ref, l,
						   h->avail_full, h->position,
						   rep_state_next(h->state), &p2);
		if (l2 >= 2) {
			const uint32_t p = base + len_price(&e->rep_len, l, h->ps)
					   + p2;
			const uint32_t off = cur + l + 1 + l2;
			h->len_end = reach(opts, h->len_end, off);
			if (p < opts[off].price)
				set_path_lit_rep0(&opts[off], p, cur + l, true,
						  cur, r);
		}
	}
	return start_len;
}

/* Each match length from start_len on, and match + literal + rep0 for
 * the longest length of each distance. */
static void extend_matches(lzma_enc *e, here_t *h, uint32_t start_len,
			   uint32_t new_len, uint32_t count)
{
	opt_node *opts = e->opts;
	lz_match *m = e->matches;
	const uint32_t cur = h->cur;
	if (new_len > h->avail) {
		/* Matches longer than what may be coded here are cut. */
		new_len = h->avail;
		count = 0;
		while (new_len > m[count].len)
			++count;
		m[count++].len = new_len;
	}
	if (new_len < start_len)
		return;
	const uint32_t normal_price = h->match_price
				      + rc_price0(e->is_rep[h->state]);
	h->len_end = reach(opts, h->len_end, cur + new_len);
	uint32_t i = 0;
	while (start_len > m[i].len)
		++i;
	for (uint32_t l = start_len;; ++l) {
		const uint32_t dist = m[i].dist;
		const uint32_t p = normal_price + dist_len_price(e, dist, l, h->ps);
		if (p < opts[cur + l].price)
			set_path(&opts[cur + l], p, cur, dist + LZMA_REPS);
		if (l != m[i].len)
			continue;
		uint32_t p2;
		const uint32_t l2 = lit_rep0_after(e, h->buf, h->buf - dist - 1,
						   l, h->avail_full, h->position,
						   match_state_next(h->state), &p2);
		if (l2 >= 2) {
			const uint32_t off = cur + l + 1 + l2;
			h->len_end = reach(opts, h->len_end, off);
			if (p + p2 < opts[off].price)
				set_path_lit_rep0(&opts[off], p + p2, cur + l,
						  true, cur, dist + LZMA_REPS);
		}
		if (++i == count)
			break;
	}
}

/* Try every symbol from cur (matches: count found, the longest new_len);
 * returns the new len_end. */
static uint32_t extend(lzma_enc *e, uint32_t cur, uint32_t len_end,
		       uint32_t position, uint32_t new_len, uint32_t count,
		       uint32_t avail_full)
{
	opt_node *opts = e->opts;
	arrive(e, cur);
	here_t h;
	h.cur = cur;
	h.position = position;
	h.ps = position & e->pb_mask;
	h.state = opts[cur].state;
	h.reps = opts[cur].reps;
	h.buf = lz_cur(&e->mf) + cur;
	h.avail_full = avail_full;
	h.avail = MIN(avail_full, e->nice_len);
	h.match_price = opts[cur].price + rc_price1(e->is_match[h.state][h.ps]);
	h.rep_match_price = h.match_price + rc_price1(e->is_rep[h.state]);
	h.len_end = len_end;

	extend_bytes(e, &h);
	if (avail_full < 2)
		return h.len_end;
	const uint32_t start_len = extend_reps(e, &h);
	extend_matches(e, &h, start_len, new_len, count);
	return h.len_end;
}

/* ---- the parser -------------------------------------------------------------------- */

void xzc_lzma_parse_opt(lzma_enc *e, uint32_t *back, uint32_t *len,
			uint32_t position)
{
	opt_node *opts = e->opts;
	if (e->opts_cur != e->opts_end) {
		/* The next symbol of the path decided earlier. */
		const uint32_t c = e->opts_cur;
		*len = opts[c].pos_prev - c;
		*back = opts[c].back_prev;
		e->opts_cur = opts[c].pos_prev;
		return;
	}
	if (e->match_price_count >= DIST_PRICE_PERIOD)
		xzc_lzma_dist_prices(e);
	if (e->align_price_count >= ALIGN_PRICE_PERIOD)
		xzc_lzma_align_prices(e);

	uint32_t len_end = start(e, back, len, position);
	if (len_end == 0)
		return;
	lz_mf *mf = &e->mf;
	uint32_t cur;
	for (cur = 1; cur < len_end; ++cur) {
		uint32_t count;
		const uint32_t longest = lz_find(mf, e->matches, &count);
		e->longest_len = longest;
		e->match_count = count;
		if (longest >= e->nice_len)
			break;
		/* Bytes from cur to the end of the data, and never past the
		 * end of opts[]. */
		const uint32_t avail_full = MIN(lz_avail(mf) + 1,
						LZMA_OPTS - 1 - cur);
		len_end = extend(e, cur, len_end, position + cur, longest,
				 count, avail_full);
	}
	backward(e, back, len, cur);
}
