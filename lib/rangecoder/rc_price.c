/*
 * rc_price.c -- the table of bit prices used by the LZMA encoder's parsers.
 *
 * price(p) = -log2(p / 2048) in 1/16 bit, for the probability p at the
 * middle of each of the 128 buckets the table has. The logarithm is computed
 * with integers only (no libm): normalize x to [1, 2), then each squaring
 * of the mantissa yields one more fractional bit of log2(x).
 */
#include <pthread.h>

#include "rangecoder/rc_enc.h"

uint32_t xzc_rc_price_table[RC_PROB_ONE >> RC_PRICE_REDUCE];

static pthread_once_t price_once = PTHREAD_ONCE_INIT;

/* log2(x) for 0 < x < 2^32, with 15 fractional bits. */
static uint32_t log2_q15(uint32_t x)
{
	const uint32_t e = 31u - (uint32_t)__builtin_clz(x);
	uint64_t m = (uint64_t)x << (31 - e);   /* [2^31, 2^32) means [1, 2) */
	uint32_t frac = 0;
	for (int k = 0; k < 15; ++k) {
		m = (m * m) >> 31;               /* squared: [1, 4) */
		frac <<= 1;
		if (m >= ((uint64_t)1 << 32)) {  /* >= 2: one more bit of log */
			m >>= 1;
			frac |= 1;
		}
	}
	return (e << 15) | frac;
}

static void price_compute(void)
{
	for (uint32_t i = 0; i < ARRAY_SIZE(xzc_rc_price_table); ++i) {
		const uint32_t x = (i << RC_PRICE_REDUCE)
				   + (1u << (RC_PRICE_REDUCE - 1));
		const uint32_t bits_q15 = (RC_PROB_BITS << 15) - log2_q15(x);
		/* Round from 15 to RC_PRICE_SHIFT fractional bits. */
		const uint32_t shift = 15 - RC_PRICE_SHIFT;
		xzc_rc_price_table[i] = (bits_q15 + (1u << (shift - 1))) >> shift;
	}
}

void xzc_rc_price_init(void)
{
	pthread_once(&price_once, price_compute);
}
