/*
 * rc_enc.h -- the range encoder of LZMA and the bit prices the optimal
 * parser works with (lzma-specification.txt, "The range decoder": the
 * encoder is its mirror image).
 *
 * The encoder writes into a caller-owned buffer without bounds checks: the
 * caller guarantees room for what one LZMA symbol can produce (see
 * RCE_SYMBOL_MAX_OUT) above rce_pending(). Every function is a small inline
 * function; nothing hides control flow in a macro.
 *
 * Prices: the cost of coding a bit, in 1/16 bit (RC_PRICE_SHIFT), looked up
 * from a 128-entry table indexed by the probability's top 7 bits. The table
 * is computed by code at the first call of rc_price_init() (rc_price.c).
 *
 * Layer rule: includes only lib/common.
 */
#ifndef CLEARXZ_RC_ENC_H
#define CLEARXZ_RC_ENC_H

#include "common/common.h"

/* The probability model, shared with the decoder (rc_dec.h defines the same
 * values; the guard lets both headers live in one translation unit). */
#ifndef RC_PROB_BITS
#define RC_PROB_BITS 11
#define RC_PROB_ONE (1u << RC_PROB_BITS)        /* probability 1.0 */
#define RC_PROB_INIT (RC_PROB_ONE / 2)          /* 0.5: every model starts here */
#define RC_MOVE_BITS 5                          /* adaptation speed */
#define RC_TOP (1u << 24)                       /* normalize below this */
#endif

/* Bytes one LZMA symbol can add to rce_pending() at most: 22 modelled bits,
 * each shifting out at most 6 bits (a probability is never below 31/2048),
 * plus 26 direct bits: under 21 bytes; rounded up with room. */
#define RCE_SYMBOL_MAX_OUT 32

typedef struct {
	uint64_t low;           /* 33 bits used: bit 32 is the carry */
	uint32_t range;
	uint8_t cache;          /* last byte not yet written (a carry may change it) */
	uint64_t cache_size;    /* cache + the 0xFF bytes after it, unwritten */
	uint8_t *out;           /* output buffer (room guaranteed by the caller) */
	size_t out_pos;
} rce;

static inline void rce_reset(rce *rc, uint8_t *out)
{
	rc->low = 0;
	rc->range = UINT32_MAX;
	rc->cache = 0;
	rc->cache_size = 1;
	rc->out = out;
	rc->out_pos = 0;
}

/* Move the top byte of low out. A byte is held back (cache) while a later
 * carry could still increment it; a run of 0xFF bytes behind it is only
 * counted, because a carry turns all of them into 0x00. */
static inline void rce_shift_low(rce *rc)
{
	if ((uint32_t)rc->low < 0xFF000000u || (rc->low >> 32) != 0) {
		const uint8_t carry = (uint8_t)(rc->low >> 32);
		uint8_t byte = rc->cache;
		do {
			rc->out[rc->out_pos++] = (uint8_t)(byte + carry);
			byte = 0xFF;
		} while (--rc->cache_size != 0);
		rc->cache = (uint8_t)(rc->low >> 24);
	}
	++rc->cache_size;
	rc->low = (rc->low & 0x00FFFFFFu) << 8;
}

/* Bytes that are written or will be written by the data coded so far,
 * including what rce_flush() adds: the size of the output if it ended now. */
static inline uint64_t rce_pending(const rce *rc)
{
	return rc->out_pos + rc->cache_size + 4;
}

/* Encode one bit with the adaptive probability *p (probability of a 0). */
static inline void rce_bit(rce *rc, uint16_t *p, uint32_t bit)
{
	const uint32_t bound = (rc->range >> RC_PROB_BITS) * *p;
	if (bit == 0) {
		rc->range = bound;
		*p = (uint16_t)(*p + ((RC_PROB_ONE - *p) >> RC_MOVE_BITS));
	} else {
		rc->low += bound;
		rc->range -= bound;
		*p = (uint16_t)(*p - (*p >> RC_MOVE_BITS));
	}
	/* One shift suffices: bound >= (2^24 >> 11) * 31 > 2^16. */
	if (rc->range < RC_TOP) {
		rc->range <<= 8;
		rce_shift_low(rc);
	}
}

/* Encode the low `bits` bits of value, high bit first, with probability
 * 1/2 each (the "direct bits" of large distances). */
static inline void rce_direct(rce *rc, uint32_t value, uint32_t bits)
{
	while (bits-- > 0) {
		rc->range >>= 1;
		rc->low += rc->range & (0u - ((value >> bits) & 1));
		if (rc->range < RC_TOP) {
			rc->range <<= 8;
			rce_shift_low(rc);
		}
	}
}

/* Bit tree of `bits` levels, high bit first (probs[1 .. 2^bits)). */
static inline void rce_tree(rce *rc, uint16_t *probs, uint32_t bits,
			    uint32_t symbol)
{
	uint32_t m = 1;
	while (bits-- > 0) {
		const uint32_t bit = (symbol >> bits) & 1;
		rce_bit(rc, &probs[m], bit);
		m = (m << 1) | bit;
	}
}

/* Bit tree, low bit first (the distance's special and align bits). */
static inline void rce_tree_rev(rce *rc, uint16_t *probs, uint32_t bits,
				uint32_t symbol)
{
	uint32_t m = 1;
	while (bits-- > 0) {
		const uint32_t bit = symbol & 1;
		symbol >>= 1;
		rce_bit(rc, &probs[m], bit);
		m = (m << 1) | bit;
	}
}

/* Push the last bytes of low out: afterwards out[0 .. out_pos) is the whole
 * range-coded data (the decoder reads exactly these bytes). */
static inline void rce_flush(rce *rc)
{
	for (int i = 0; i < 5; ++i)
		rce_shift_low(rc);
}

/* ---- prices ------------------------------------------------------------- */

#define RC_PRICE_SHIFT 4                 /* prices are in 1/16 bit */
#define RC_PRICE_REDUCE 4                /* table index = probability >> 4 */
#define RC_INFINITY_PRICE (1u << 30)

/* rc_price_table[i]: price of coding the likely symbol when the probability
 * of that symbol is about (i << 4 | 8) / 2048. Valid after rc_price_init(). */
extern uint32_t xzc_rc_price_table[RC_PROB_ONE >> RC_PRICE_REDUCE];

/* Compute the table (once; thread-safe; cheap on later calls). */
void xzc_rc_price_init(void);

static inline uint32_t rc_price0(uint32_t prob)
{
	return xzc_rc_price_table[prob >> RC_PRICE_REDUCE];
}

static inline uint32_t rc_price1(uint32_t prob)
{
	return xzc_rc_price_table[(prob ^ (RC_PROB_ONE - 1)) >> RC_PRICE_REDUCE];
}

static inline uint32_t rc_price(uint32_t prob, uint32_t bit)
{
	return xzc_rc_price_table[(prob ^ ((0u - bit) & (RC_PROB_ONE - 1)))
				  >> RC_PRICE_REDUCE];
}

/* Price of 'bits' direct bits. */
static inline uint32_t rc_direct_price(uint32_t bits)
{
	return bits << RC_PRICE_SHIFT;
}

static inline uint32_t rc_tree_price(const uint16_t *probs, uint32_t bits,
				     uint32_t symbol)
{
	uint32_t price = 0;
	symbol += 1u << bits;
	do {
		const uint32_t bit = symbol & 1;
		symbol >>= 1;
		price += rc_price(probs[symbol], bit);
	} while (symbol != 1);
	return price;
}

static inline uint32_t rc_tree_rev_price(const uint16_t *probs, uint32_t bits,
					 uint32_t symbol)
{
	uint32_t price = 0;
	uint32_t m = 1;
	while (bits-- > 0) {
		const uint32_t bit = symbol & 1;
		symbol >>= 1;
		price += rc_price(probs[m], bit);
		m = (m << 1) | bit;
	}
	return price;
}

#endif
