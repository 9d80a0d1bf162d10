/*
 * sha256_shani.c -- SHA-256 blocks with the x86 SHA extensions, chosen at
 * first use by sha256.c when the CPU has them (several times faster than
 * the portable code).
 *
 * The instructions (Intel SDM vol. 2, SHA256RNDS2, SHA256MSG1, SHA256MSG2):
 *   - SHA256RNDS2 does two rounds of FIPS 180-4 6.2.2 step 3. It keeps the
 *     eight working variables in two registers, one holding A, B, E, F and
 *     the other C, D, G, H (highest lane first), and takes W[t] + K[t] for
 *     the two rounds from the low two lanes of a third register.
 *   - SHA256MSG1 and SHA256MSG2 compute four message schedule words
 *     (6.2.2 step 1) from the previous sixteen: MSG1 adds sigma0 of
 *     W[t-15], the caller adds W[t-7], MSG2 adds sigma1 of W[t-2].
 * So the 64 rounds are 16 groups of four; the schedule is a ring of four
 * registers m[0..3], each holding the four words of one group.
 */
#include "check/sha256_impl.h"

#ifdef XZC_HAVE_SHA256_SHANI   /* x86-64 with GCC or Clang; else empty */
#include <immintrin.h>

#define TARGET __attribute__((target("sha,ssse3,sse4.1")))

static TARGET void one_block(__m128i *abef, __m128i *cdgh, const uint8_t *p,
			     const uint32_t k[64])
{
	/* Big-endian words (FIPS 180-4 3.1) into little-endian lanes. */
	const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11,
					   4, 5, 6, 7, 0, 1, 2, 3);
	__m128i s0 = *abef, s1 = *cdgh;
	__m128i m[4];
	for (int g = 0; g < 16; g++) {
		if (g < 4)
			m[g] = _mm_shuffle_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * g)),
				bswap);
		__m128i cur = m[g & 3];
		__m128i wk = _mm_add_epi32(cur,
			_mm_loadu_si128((const __m128i *)(const void *)(k + 4 * g)));
		s1 = _mm_sha256rnds2_epu32(s1, s0, wk);         /* rounds 4g, 4g+1 */
		if (g >= 3 && g <= 14) {
			/* Finish the words of group g + 1: add W[t-7] (the
			 * words straddling groups g - 1 and g), then sigma1. */
			__m128i *nx = &m[(g + 1) & 3];
			__m128i w7 = _mm_alignr_epi8(cur, m[(g - 1) & 3], 4);
			*nx = _mm_sha256msg2_epu32(_mm_add_epi32(*nx, w7), cur);
		}
		wk = _mm_shuffle_epi32(wk, 0x0E);               /* lanes 2, 3 down */
		s0 = _mm_sha256rnds2_epu32(s0, s1, wk);         /* rounds 4g+2, 4g+3 */
		if (g >= 1 && g <= 12) {
			/* Start the words of group g + 3 from groups g - 1, g. */
			__m128i *pv = &m[(g - 1) & 3];
			*pv = _mm_sha256msg1_epu32(*pv, cur);
		}
	}
	*abef = _mm_add_epi32(*abef, s0);
	*cdgh = _mm_add_epi32(*cdgh, s1);
}

TARGET void xzc_sha256_blocks_shani(uint32_t state[8], const uint8_t *p,
				    size_t nblocks, const uint32_t k[64])
{
	/* state[] is A..H; the lanes the instructions want are
	 * abef = {F, E, B, A} and cdgh = {H, G, D, C} (lane 0 first). */
	__m128i dcba = _mm_loadu_si128((const __m128i *)(void *)state);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)(void *)(state + 4));
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);   /* lanes B, A, D, C */
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);   /* lanes H, G, F, E */
	__m128i abef = _mm_alignr_epi8(cdab, efgh, 8);  /* F, E, B, A */
	__m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0); /* H, G, D, C */

	for (size_t i = 0; i < nblocks; i++)
		one_block(&abef, &cdgh, p + 64 * i, k);

	__m128i feba = _mm_shuffle_epi32(abef, 0x1B);   /* A, B, E, F */
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);   /* G, H, C, D */
	dcba = _mm_blend_epi16(feba, dchg, 0xF0);       /* A, B, C, D */
	hgfe = _mm_alignr_epi8(dchg, feba, 8);          /* E, F, G, H */
	_mm_storeu_si128((__m128i *)(void *)state, dcba);
	_mm_storeu_si128((__m128i *)(void *)(state + 4), hgfe);
}

#endif /* XZC_HAVE_SHA256_SHANI */
