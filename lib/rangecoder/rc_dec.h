/*
 * rc_dec.h -- the range decoder of LZMA (lzma-specification.txt, "The range
 * decoder" and "Bit tree decoding"), as small inline functions.
 *
 * One body serves two uses, chosen by the constant argument `dry`:
 *   dry == false  the real decoder: probabilities adapt, input is read
 *                 without bounds checks -- the caller guarantees enough
 *                 input for one whole symbol (see LZMA_SYMBOL_MAX_IN);
 *   dry == true   a trial run that only asks "is there enough input for the
 *                 next symbol?": probabilities are not touched, and reading
 *                 past in_end sets `overrun` instead of reading memory.
 * A trial run decodes the same bits as the real run because within one
 * LZMA symbol no probability is used twice.
 *
 * Layer rule: includes only lib/common.
 */
#ifndef CLEARXZ_RC_DEC_H
#define CLEARXZ_RC_DEC_H

#include "common/common.h"

#define RC_PROB_BITS 11
#define RC_PROB_ONE (1u << RC_PROB_BITS)        /* probability 1.0 */
#define RC_PROB_INIT (RC_PROB_ONE / 2)          /* 0.5: every model starts here */
#define RC_MOVE_BITS 5                          /* adaptation speed */
#define RC_TOP (1u << 24)                       /* normalize below this */

/* Bytes one LZMA symbol can consume at most. Each probability-coded bit
 * reads at most one byte (range >= 2^24 before it and >= 2^13 after), a
 * symbol codes at most 1+1+10+6+4 = 22 such bits plus 26 direct bits
 * (4 bytes at most), plus the final normalization: rounded up with room. */
#define LZMA_SYMBOL_MAX_IN 32

typedef struct {
	uint32_t range;
	uint32_t code;
	const uint8_t *in;      /* next input byte */
	const uint8_t *in_end;  /* dry runs only: end of readable input */
	bool overrun;           /* dry runs only: a byte past in_end was needed */
} rc_dec;

FORCE_INLINE void rc_normalize(rc_dec *rc, const bool dry)
{
	if (rc->range < RC_TOP) {
		uint32_t byte = 0;
		if (!dry || rc->in < rc->in_end)
			byte = *rc->in++;
		else
			rc->overrun = true;
		rc->range <<= 8;
		rc->code = (rc->code << 8) | byte;
	}
}

/* Decode one bit with the adaptive probability *p. */
FORCE_INLINE uint32_t rc_bit(rc_dec *rc, uint16_t *p, const bool dry)
{
	rc_normalize(rc, dry);
	uint32_t bound = (rc->range >> RC_PROB_BITS) * *p;
	if (rc->code < bound) {
		rc->range = bound;
		if (!dry)
			*p = (uint16_t)(*p + ((RC_PROB_ONE - *p) >> RC_MOVE_BITS));
		return 0;
	}
	rc->range -= bound;
	rc->code -= bound;
	if (!dry)
		*p = (uint16_t)(*p - (*p >> RC_MOVE_BITS));
	return 1;
}

/* The same bit without branches: for the bits whose values the CPU cannot
 * predict (literal bytes, bit trees), conditional moves beat mispredicted
 * jumps. Only data, never control flow, depends on the bit. */
FORCE_INLINE uint32_t rc_bit_nb(rc_dec *rc, uint16_t *p, const bool dry)
{
	rc_normalize(rc, dry);
	uint32_t prob = *p;
	uint32_t bound = (rc->range >> RC_PROB_BITS) * prob;
	uint32_t bit = rc->code >= bound;
	uint32_t mask = 0u - bit;
	rc->range = (rc->range - bound - bound) & mask;
	rc->range += bound;
	rc->code -= bound & mask;
	if (!dry) {
		uint32_t up = prob + ((RC_PROB_ONE - prob) >> RC_MOVE_BITS);
		uint32_t down = prob - (prob >> RC_MOVE_BITS);
		*p = (uint16_t)((up & ~mask) | (down & mask));
	}
	return bit;
}

/* Bit tree of `bits` levels, most significant bit first; probs[1..2^bits). */
FORCE_INLINE uint32_t rc_tree(rc_dec *rc, uint16_t *probs, uint32_t bits,
			      const bool dry)
{
	uint32_t m = 1;
#pragma GCC unroll 8
	for (uint32_t i = 0; i < bits; i++)
		m = (m << 1) | rc_bit_nb(rc, &probs[m], dry);
	return m - (1u << bits);
}

/* Bit tree, least significant bit first (distance low bits, align bits). */
FORCE_INLINE uint32_t rc_tree_reverse(rc_dec *rc, uint16_t *probs,
				      uint32_t bits, const bool dry)
{
	uint32_t m = 1, sym = 0;
	for (uint32_t i = 0; i < bits; i++) {
		uint32_t bit = rc_bit(rc, &probs[m], dry);
		m = (m << 1) | bit;
		sym |= bit << i;
	}
	return sym;
}

/* Bits with fixed probability 0.5 ("direct bits"), most significant first. */
FORCE_INLINE uint32_t rc_direct(rc_dec *rc, uint32_t bits, const bool dry)
{
	uint32_t res = 0;
	do {
		rc_normalize(rc, dry);
		rc->range >>= 1;
		rc->code -= rc->range;
		uint32_t mask = 0u - (rc->code >> 31); /* all ones if code < range */
		rc->code += rc->range & mask;
		res = (res << 1) + (mask + 1);
	} while (--bits != 0);
	return res;
}

#endif
