/*
 * lzma_enc_internal.h -- the LZMA encoder's state, shared by the files of
 * the encoder: lzma_enc.c (symbol coding, prices, the encode loop, LZMA1),
 * lzma_enc_fast.c and lzma_enc_opt.c (the two parsers), lzma2_enc.c.
 *
 * The model is the one lzma-specification.txt describes for the decoder
 * (probabilities, the 12-state machine, four rep distances); the encoder
 * adds the match finder, the parser and, for the optimal parser, prices.
 *
 * Layer rule: includes lib/common, lib/rangecoder, lib/lz.
 */
#ifndef CLEARXZ_LZMA_ENC_INTERNAL_H
#define CLEARXZ_LZMA_ENC_INTERNAL_H

#include "lzma/lzma_enc.h"
#include "rangecoder/rc_enc.h"
#include "lz/lz_enc.h"

#define LZMA_STATES 12
#define LZMA_LIT_STATES 7       /* states below this follow a literal */
#define LZMA_REPS 4
#define LZMA_POS_STATES_MAX 16

#define LEN_LOW_BITS 3
#define LEN_MID_BITS 3
#define LEN_HIGH_BITS 8
#define LEN_LOW (1u << LEN_LOW_BITS)
#define LEN_MID (1u << LEN_MID_BITS)
#define LEN_HIGH (1u << LEN_HIGH_BITS)
#define LEN_SYMBOLS (LEN_LOW + LEN_MID + LEN_HIGH)     /* lengths 2 .. 273 */

#define DIST_STATES 4           /* length contexts for the distance slot */
#define DIST_SLOT_BITS 6
#define DIST_SLOTS (1u << DIST_SLOT_BITS)
#define DIST_MODEL_START 4      /* slots below this are the distance */
#define DIST_MODEL_END 14       /* slots from here use direct + align bits */
#define FULL_DISTANCES 128      /* distances with no direct bits */
#define ALIGN_BITS 4
#define ALIGN_SIZE (1u << ALIGN_BITS)

/* Positions the optimal parser looks ahead at most (and so the most
 * positions the encoder has searched but not coded). */
#define LZMA_OPTS 4096

/* Refresh the distance prices after this many matches, the align prices
 * after this many uses (prices follow the probabilities closely enough
 * without recomputing them at every symbol). */
#define DIST_PRICE_PERIOD 128
#define ALIGN_PRICE_PERIOD ALIGN_SIZE

typedef struct {
	uint16_t choice;
	uint16_t choice2;
	uint16_t low[LZMA_POS_STATES_MAX][LEN_LOW];
	uint16_t mid[LZMA_POS_STATES_MAX][LEN_MID];
	uint16_t high[LEN_HIGH];
	/* prices[pos_state][len - 2], for len - 2 < table_size; each row is
	 * recomputed after table_size uses of its pos_state (counters). */
	uint32_t prices[LZMA_POS_STATES_MAX][LEN_SYMBOLS];
	uint32_t counters[LZMA_POS_STATES_MAX];
	uint32_t table_size;
} len_enc;

/* One position of the optimal parser's lookahead: the cheapest known way
 * to arrive here from the start position, and the coder state it leaves. */
typedef struct {
	uint32_t price;
	uint32_t pos_prev;      /* the position this path came from */
	uint32_t back_prev;     /* its last symbol: UINT32_MAX = literal,
				 * 0..3 = rep, else match distance + 4 */
	uint32_t state;
	uint32_t reps[LZMA_REPS];
	/* The symbol into pos_prev was preceded by a literal, and perhaps
	 * (prev2) came as the pair "literal, rep0" after a longer symbol
	 * ending at pos_prev2 with back_prev2. */
	bool prev1_is_literal;
	bool prev2;
	uint32_t pos_prev2;
	uint32_t back_prev2;
} opt_node;

typedef enum {
	ENC_NEED_INPUT, /* LZ_RUN and the lookahead is used up */
	ENC_LIMIT,      /* the caller's output or input limit is reached */
	ENC_DRAINED,    /* flushing, and everything is coded */
} enc_status;

typedef struct lzma_enc {
	rce rc;
	lz_mf mf;

	/* The coder state of lzma-specification.txt. */
	uint32_t state;
	uint32_t reps[LZMA_REPS];
	uint32_t lc, lp_mask, pb_mask;
	bool fast;              /* mode: greedy/lazy, no prices */
	bool first_done;        /* the first byte is coded (as a literal) */
	uint32_t nice_len;

	/* Bytes coded in the current LZMA2 chunk (or LZMA1 segment). */
	uint32_t chunk_uncomp;

	/* The last search's result, kept when the parser searched one
	 * position ahead (read_ahead) and must not search it again. */
	lz_match matches[LZ_MATCHES_MAX];
	uint32_t match_count;
	uint32_t longest_len;

	/* Probabilities. */
	uint16_t literal[1u << LZMA_LCLP_MAX][0x300];
	uint16_t is_match[LZMA_STATES][LZMA_POS_STATES_MAX];
	uint16_t is_rep[LZMA_STATES];
	uint16_t is_rep0[LZMA_STATES];
	uint16_t is_rep1[LZMA_STATES];
	uint16_t is_rep2[LZMA_STATES];
	uint16_t is_rep0_long[LZMA_STATES][LZMA_POS_STATES_MAX];
	uint16_t dist_slot[DIST_STATES][DIST_SLOTS];
	uint16_t dist_special[1 + FULL_DISTANCES - DIST_MODEL_END];
	uint16_t dist_align[ALIGN_SIZE];
	len_enc match_len;
	len_enc rep_len;

	/* Prices (normal mode only). */
	uint32_t dist_slot_prices[DIST_STATES][DIST_SLOTS];
	uint32_t dist_prices[DIST_STATES][FULL_DISTANCES];
	uint32_t align_prices[ALIGN_SIZE];
	uint32_t dist_slots_used;       /* slots that can occur for dict */
	uint32_t match_price_count;
	uint32_t align_price_count;

	/* The optimal parser: opts[0 .. LZMA_OPTS], and the decided symbols
	 * not yet handed out: opts[opts_cur .. opts_end). */
	opt_node *opts;
	uint32_t opts_cur;
	uint32_t opts_end;
} lzma_enc;

/* ---- lzma_enc.c ---------------------------------------------------------- */

bool xzc_lzma_opts_valid(const lzma_options_lzma *opt);
lzma_ret xzc_lzma_enc_create(lzma_enc **e, const lzma_allocator *a,
			     const lzma_options_lzma *opt);
void xzc_lzma_enc_destroy(lzma_enc *e, const lzma_allocator *a);
/* Reset the probabilities, state and reps (and lc/lp/pb from opt). */
void xzc_lzma_enc_reset(lzma_enc *e, const lzma_options_lzma *opt);
/* Code symbols until the input runs out (ENC_NEED_INPUT / ENC_DRAINED)
 * or out_limit bytes of output or in_limit coded bytes (chunk_uncomp)
 * would be exceeded by one more symbol (ENC_LIMIT). */
enc_status xzc_lzma_enc_run(lzma_enc *e, uint64_t out_limit, uint32_t in_limit);
/* The end-of-payload marker (lzma-specification.txt). */
void xzc_lzma_enc_eopm(lzma_enc *e);

/* Prices, shared with the optimal parser. */
void xzc_lzma_len_prices(len_enc *le, uint32_t pos_state);
void xzc_lzma_dist_prices(lzma_enc *e);
void xzc_lzma_align_prices(lzma_enc *e);

static inline uint32_t lit_state_next(uint32_t s)
{
	return s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
}

static inline uint32_t match_state_next(uint32_t s)
{
	return s < LZMA_LIT_STATES ? 7 : 10;
}

static inline uint32_t rep_state_next(uint32_t s)
{
	return s < LZMA_LIT_STATES ? 8 : 11;
}

static inline uint32_t shortrep_state_next(uint32_t s)
{
	return s < LZMA_LIT_STATES ? 9 : 11;
}

/* The distance slot of dist (distance - 1): its bit length and the bit
 * below the top one (lzma-specification.txt, "distance decoding"). */
static inline uint32_t dist_slot_of(uint32_t dist)
{
	if (dist < DIST_MODEL_START)
		return dist;
	const uint32_t n = 31u - (uint32_t)__builtin_clz(dist);
	return (n << 1) | ((dist >> (n - 1)) & 1);
}

static inline uint32_t len_to_dist_state(uint32_t len)
{
	return len < DIST_STATES + 1 ? len - 2 : DIST_STATES - 1;
}

/* The literal probabilities for the byte at buffer index pos, after prev.
 * Buffer indexes serve as positions: the window moves by multiples of 16,
 * and lp, pb <= 4 use the low 4 bits only. */
static inline uint16_t *lit_probs(lzma_enc *e, uint32_t pos, uint32_t prev)
{
	return e->literal[(((pos & e->lp_mask) << 8) + prev) >> (8 - e->lc)];
}

/* Price of coding byte with the probabilities probs, as a plain literal
 * (match_byte ignored) or matched (after a match: bits are coded in the
 * context of the byte at rep0 while they agree with it). */
static inline uint32_t lit_price(const uint16_t *probs, bool matched,
				 uint32_t match_byte, uint32_t byte)
{
	uint32_t price = 0;
	uint32_t sym = 1;
	for (int i = 7; i >= 0; --i) {
		const uint32_t bit = (byte >> i) & 1;
		uint32_t idx = sym;
		if (matched) {
			const uint32_t mbit = (match_byte >> i) & 1;
			idx += (1 + mbit) << 8;
			matched = mbit == bit;
		}
		price += rc_price(probs[idx], bit);
		sym = (sym << 1) | bit;
	}
	return price;
}

/* ---- the parsers ---------------------------------------------------------
 * Both decide the next symbol at the encoder's position (lz_cur()):
 * *back = UINT32_MAX literal, 0..3 rep, else distance - 1 + 4; *len its
 * length. They leave the finder exactly len positions past the encoder's
 * position plus what they searched ahead (read_ahead). */
void xzc_lzma_parse_fast(lzma_enc *e, uint32_t *back, uint32_t *len);
void xzc_lzma_parse_opt(lzma_enc *e, uint32_t *back, uint32_t *len,
			uint32_t position);

#endif
