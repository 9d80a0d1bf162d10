/*
 * lzma_enc_fast.c -- the parser of mode=fast: greedy with one position of
 * lazy evaluation, no prices.
 *
 * At each position: take a rep match if it is about as long as the
 * longest new match (reps are much cheaper: no distance); else take the
 * longest match, but shorten it by one byte when that brings a much
 * closer distance; then look one position ahead, and code a literal now
 * if the next position has a clearly better match. The rules and their
 * thresholds are those of liblzma's fast mode (learnt from
 * lzma_encoder_optimum_fast.c), so that our fast presets compress as its.
 */
#include "lzma/lzma_enc_internal.h"

/* Is a match at distance big worth one byte of length less than one at
 * distance small? Only when big is over 128 times as far (7 more bits). */
static inline bool much_farther(uint32_t small, uint32_t big)
{
	return (big >> 7) > small;
}

static inline uint16_t read16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static inline void result(uint32_t *back, uint32_t *len, uint32_t b,
			  uint32_t l)
{
	*back = b;
	*len = l;
}

/* Longest rep match at cur (0 if none of at least 2); *index its rep. */
static uint32_t best_rep(const lzma_enc *e, const uint8_t *cur,
			 uint32_t avail, uint32_t *index)
{
	uint32_t best = 0;
	for (uint32_t i = 0; i < LZMA_REPS; ++i) {
		const uint8_t *ref = cur - e->reps[i] - 1;
		if (read16(cur) != read16(ref))
			continue;
		const uint32_t len = lz_cmplen(cur, ref, 2, avail);
		if (len > best) {
			best = len;
			*index = i;
			if (len >= e->nice_len)
				break;
		}
	}
	return best;
}

/* Does the match found one position ahead beat (len_main, back_main)? */
static bool next_is_better(const lzma_enc *e, uint32_t len_main,
			   uint32_t back_main)
{
	const uint32_t next_len = e->longest_len;
	if (next_len < 2)
		return false;
	const uint32_t next_dist = e->matches[e->match_count - 1].dist;
	return (next_len >= len_main && next_dist < back_main)
	       || (next_len == len_main + 1
		   && !much_farther(back_main, next_dist))
	       || next_len > len_main + 1
	       || (next_len + 1 >= len_main && len_main >= 3
		   && much_farther(next_dist, back_main));
}

void xzc_lzma_parse_fast(lzma_enc *e, uint32_t *back, uint32_t *len)
{
	lz_mf *mf = &e->mf;
	uint32_t len_main, count;
	if (mf->read_ahead == 0) {
		len_main = lz_find(mf, e->matches, &count);
	} else {
		/* Searched already, as the lookahead of the last call. */
		len_main = e->longest_len;
		count = e->match_count;
	}
	const uint8_t *cur = lz_cur(mf);
	uint32_t avail = lz_avail_cur(mf);
	if (avail > LZ_MATCH_LEN_MAX)
		avail = LZ_MATCH_LEN_MAX;
	if (avail < 2) {
		result(back, len, UINT32_MAX, 1);
		return;
	}

	uint32_t rep_index = 0;
	const uint32_t rep_len = best_rep(e, cur, avail, &rep_index);
	if (rep_len >= e->nice_len) {
		result(back, len, rep_index, rep_len);
		lz_skip(mf, rep_len - 1);
		return;
	}
	if (len_main >= e->nice_len) {
		result(back, len, e->matches[count - 1].dist + LZMA_REPS,
		       len_main);
		lz_skip(mf, len_main - 1);
		return;
	}

	uint32_t back_main = 0;
	if (len_main >= 2) {
		back_main = e->matches[count - 1].dist;
		while (count > 1 && len_main == e->matches[count - 2].len + 1
		       && much_farther(e->matches[count - 2].dist, back_main)) {
			--count;
			len_main = e->matches[count - 1].len;
			back_main = e->matches[count - 1].dist;
		}
		/* A far 2-byte match costs more than two literals. */
		if (len_main == 2 && back_main >= 0x80)
			len_main = 1;
	}

	if (rep_len >= 2
	    && (rep_len + 1 >= len_main
		|| (rep_len + 2 >= len_main && back_main > (1u << 9))
		|| (rep_len + 3 >= len_main && back_main > (1u << 15)))) {
		result(back, len, rep_index, rep_len);
		lz_skip(mf, rep_len - 1);
		return;
	}
	if (len_main < 2 || avail <= 2) {
		result(back, len, UINT32_MAX, 1);
		return;
	}

	/* Lazy step: search the next position (kept for the next call). */
	e->longest_len = lz_find(mf, e->matches, &e->match_count);
	if (next_is_better(e, len_main, back_main)) {
		result(back, len, UINT32_MAX, 1);
		return;
	}
	/* A rep at the next position almost as long as this match is
	 * cheaper: code a literal now. */
	const uint32_t limit = len_main > 3 ? len_main - 1 : 2;
	for (uint32_t i = 0; i < LZMA_REPS; ++i) {
		if (memcmp(cur + 1, cur - e->reps[i], limit) == 0) {
			result(back, len, UINT32_MAX, 1);
			return;
		}
	}
	result(back, len, back_main + LZMA_REPS, len_main);
	lz_skip(mf, len_main - 2);
}
