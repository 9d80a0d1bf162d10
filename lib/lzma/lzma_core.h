/*
 * lzma_core.h -- internal to lib/lzma: the LZMA symbol decoder that the
 * LZMA1 coder (lzma_dec.c) and the LZMA2 chunk parser (lzma2_dec.c) share.
 *
 * Names and constants follow lzma-specification.txt.
 */
#ifndef CLEARXZ_LZMA_CORE_H
#define CLEARXZ_LZMA_CORE_H

#include "lz/lz_dec.h"
#include "rangecoder/rc_dec.h"

#define LZMA_STATES 12          /* the literal/match state machine */
#define LZMA_POS_STATES_MAX 16  /* 1 << pb, pb <= 4 */
#define LZMA_LIT_CODER_SIZE 0x300
#define LZMA_LEN_TO_DIST_STATES 4
#define LZMA_DIST_SLOT_BITS 6
#define LZMA_END_DIST_MODEL 14  /* slots below use the "special" probs */
#define LZMA_FULL_DISTANCES 128 /* 1 << (LZMA_END_DIST_MODEL / 2) */
#define LZMA_ALIGN_BITS 4
#define LZMA_MATCH_LEN_MIN 2
#define LZMA_LCLP_MAX 4         /* as liblzma: lc + lp <= 4 */
#define LZMA_EOPM_DIST UINT32_MAX

typedef struct {
	uint16_t choice;
	uint16_t choice2;
	uint16_t low[LZMA_POS_STATES_MAX][8];   /* lengths 2..9, [1..8) used */
	uint16_t mid[LZMA_POS_STATES_MAX][8];   /* lengths 10..17 */
	uint16_t high[256];                     /* lengths 18..273 */
} lzma_len_probs;

/* Every adaptive probability except the literal coders. */
typedef struct {
	uint16_t is_match[LZMA_STATES][LZMA_POS_STATES_MAX];
	uint16_t is_rep[LZMA_STATES];
	uint16_t is_rep0[LZMA_STATES];
	uint16_t is_rep1[LZMA_STATES];
	uint16_t is_rep2[LZMA_STATES];
	uint16_t is_rep0_long[LZMA_STATES][LZMA_POS_STATES_MAX];
	uint16_t dist_slot[LZMA_LEN_TO_DIST_STATES][1 << LZMA_DIST_SLOT_BITS];
	/* Reverse bit trees of slots 4..13, based at (dist - slot): [1..115) */
	uint16_t dist_special[LZMA_FULL_DISTANCES - LZMA_END_DIST_MODEL + 1];
	uint16_t dist_align[1 << LZMA_ALIGN_BITS];
	lzma_len_probs match_len;
	lzma_len_probs rep_len;
} lzma_probs;

/*
 * The decoder state between calls. Invariants:
 *   - tmp_size < LZMA_SYMBOL_MAX_IN, and tmp holds input bytes already
 *     taken from the caller but not yet decoded; it is non-empty only
 *     while waiting for more input in the middle of a symbol (or of the
 *     5 range-coder init bytes when !rc_ready);
 *   - rep0..rep3 < dict.full whenever a match may use them;
 *   - rem_len > 0 only when the dictionary hit its limit during a match:
 *     the next call copies the rest from distance rep0 first.
 */
typedef struct {
	uint32_t range;
	uint32_t code;
	uint32_t state;
	uint32_t rep0, rep1, rep2, rep3;
	uint32_t rem_len;
	uint32_t lc, lp_mask, pb_mask;
	bool rc_ready;          /* the 5 init bytes have been read */
	bool eopm;              /* the end-of-payload marker was decoded */
	bool need_input;        /* the last call stopped for lack of input */
	uint32_t tmp_size;
	uint8_t tmp[LZMA_SYMBOL_MAX_IN * 2];
	lzma_probs probs;
	uint16_t literal[];     /* LZMA_LIT_CODER_SIZE << (lc + lp) */
} lzma_core;

/* Bytes of literal probabilities for lc + lp. */
static inline size_t lzma_core_literal_size(uint32_t lc_lp)
{
	return sizeof(uint16_t) * ((size_t)LZMA_LIT_CODER_SIZE << lc_lp);
}

/* Set lc/lp/pb and reset probabilities, state and reps (state reset);
 * also requires new range-coder init bytes. lc + lp must not exceed what
 * the literal array was allocated for. */
void lzma_core_reset(lzma_core *c, uint32_t lc, uint32_t lp, uint32_t pb);

/* The next data starts a new range-coded run (a new LZMA2 chunk). */
void lzma_core_reset_rc(lzma_core *c);

/* Decode symbols into d until d->pos == d->limit, the input runs out
 * (need_input set; what is left is kept in tmp), or the end marker is
 * decoded (eopm set). LZMA_DATA_ERROR on corrupt data. */
lzma_ret lzma_core_decode(lzma_core *c, lz_dict *d, const uint8_t *in,
			  size_t *in_pos, size_t in_size);

/* The end of the range-coded data: the final normalization after the last
 * symbol (doing it twice is harmless). Sets *ready once done; LZMA_OK
 * without *ready means one more input byte is needed. The caller then
 * checks that code == 0: the encoder's flush always leaves it so. */
lzma_ret lzma_core_normalize(lzma_core *c, const uint8_t *in, size_t *in_pos,
			     size_t in_size, bool *ready);

#endif
