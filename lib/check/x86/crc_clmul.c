/*
 * crc_clmul.c -- CRC32 and CRC64 with carry-less multiplication
 * (PCLMULQDQ), chosen at first use by crc32.c / crc64.c when the CPU has it.
 * About ten times faster than the portable slice-by-8 on large buffers.
 *
 * The method is "folding" (Intel, "Fast CRC Computation for Generic
 * Polynomials Using PCLMULQDQ Instruction", 2009), written here from the
 * algebra below; the constants are computed at first use, not pasted.
 *
 * Notation. The CRC of a message M (register preset 0, no final XOR) is
 * M(x) * x^n mod P(x), n = 32 or 64, the message's first bit being the
 * highest power. These CRCs are "reflected": the first bit of the message is
 * bit 0 of its first byte. So a 16-byte block loaded little-endian into a
 * 128-bit register V holds the coefficient of x^(127-i) in bit i; its low
 * 64-bit half is the polynomial H (the block's first 8 bytes) and its high
 * half L, each "reflected in 64 bits" (bit i <-> x^(63-i)), V = H x^64 + L.
 *
 * Folding. To move V forward by T bits (onto the block that ends T bits
 * later) we need some W of degree < 128 with W = V x^T (mod P):
 *     V x^T = H x^(T+64) + L x^T = H k1 x + L k2 x   (mod P)
 * with k1 = x^(T+63) mod P and k2 = x^(T-1) mod P (degree < n <= 64).
 * A carry-less multiply of two 64-bit reflected polynomials A and B gives
 * bit k <-> x^(126-k) of A*B, which read as a 128-bit reflected value is
 * A*B*x -- the extra factor x is why the exponents above are one less. So
 *     W = clmul(V.lo, refl(k1)) ^ clmul(V.hi, refl(k2)),
 * XORed into the block T bits later, keeps the CRC of the whole message.
 *
 * Start and end. The initial register (the inverted previous CRC) is XORed
 * into the first n bits of the message, which is what a preset register
 * means. After folding everything into the last 16-byte block V, the CRC is
 * that of the 16-byte message V with a zero register: the byte-at-a-time
 * table loop finishes it, then the tail of fewer than 16 bytes.
 */
#include "check/crc_impl.h"

#ifdef XZC_HAVE_CRC_CLMUL      /* x86-64 with GCC or Clang; else empty */
#include <pthread.h>
#include <immintrin.h>

#define TARGET __attribute__((target("pclmul,sse2")))

/* refl(k1), refl(k2) for T = 128, 256, 384, 512 bits (index T / 128 - 1). */
typedef struct {
	uint64_t k[4][2];
} fold_consts;

static fold_consts consts32, consts64;

/* x^e mod P, reflected in 64 bits. poly_reflected is the CRC's reflected
 * polynomial without the x^n term; n its degree. In n-bit reflected form
 * (bit i <-> x^(n-1-i)) multiplying by x is a right shift that folds the
 * x^n term back in with the polynomial -- the CRC's own update step. */
static uint64_t xpow_mod(uint32_t e, uint64_t poly_reflected, int n)
{
	uint64_t r = (uint64_t)1 << (n - 1);    /* x^0 */
	for (uint32_t i = 0; i < e; i++)
		r = (r >> 1) ^ (poly_reflected & (0 - (r & 1)));
	return r << (64 - n);                   /* bit i <-> x^(63-i) */
}

static void make_consts(fold_consts *c, uint64_t poly_reflected, int n)
{
	for (uint32_t j = 0; j < 4; j++) {
		uint32_t t = 128 * (j + 1);
		c->k[j][0] = xpow_mod(t + 63, poly_reflected, n);
		c->k[j][1] = xpow_mod(t - 1, poly_reflected, n);
	}
}

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void setup(void)
{
	make_consts(&consts32, XZC_CRC32_POLY_REFLECTED, 32);
	make_consts(&consts64, XZC_CRC64_POLY_REFLECTED, 64);
}

static TARGET inline __m128i fold(__m128i v, __m128i k)
{
	__m128i a = _mm_clmulepi64_si128(v, k, 0x00);   /* V.lo * k1 */
	__m128i b = _mm_clmulepi64_si128(v, k, 0x11);   /* V.hi * k2 */
	return _mm_xor_si128(a, b);
}

static TARGET inline __m128i load(const uint8_t *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static TARGET inline __m128i kreg(const fold_consts *c, int j)
{
	return _mm_set_epi64x((long long)c->k[j][1], (long long)c->k[j][0]);
}

/* Fold buf (size >= 64) with the initial register `first` already XORed
 * into its first 8 bytes' worth (a 128-bit value); returns the last block. */
static TARGET __m128i fold_all(const fold_consts *c, __m128i first,
			       const uint8_t **bufp, size_t *sizep)
{
	const uint8_t *buf = *bufp;
	size_t size = *sizep;
	__m128i x0 = _mm_xor_si128(load(buf), first);
	__m128i x1 = load(buf + 16), x2 = load(buf + 32), x3 = load(buf + 48);
	buf += 64;
	size -= 64;
	/* Four lanes, each folded 512 bits forward onto the next 64 bytes. */
	__m128i k512 = kreg(c, 3);
	while (size >= 64) {
		x0 = _mm_xor_si128(fold(x0, k512), load(buf));
		x1 = _mm_xor_si128(fold(x1, k512), load(buf + 16));
		x2 = _mm_xor_si128(fold(x2, k512), load(buf + 32));
		x3 = _mm_xor_si128(fold(x3, k512), load(buf + 48));
		buf += 64;
		size -= 64;
	}
	/* Lanes 0-2 end 384, 256 and 128 bits before lane 3 does. */
	__m128i x = _mm_xor_si128(x3, fold(x2, kreg(c, 0)));
	x = _mm_xor_si128(x, fold(x1, kreg(c, 1)));
	x = _mm_xor_si128(x, fold(x0, kreg(c, 2)));
	__m128i k128 = kreg(c, 0);
	while (size >= 16) {
		x = _mm_xor_si128(fold(x, k128), load(buf));
		buf += 16;
		size -= 16;
	}
	*bufp = buf;
	*sizep = size;
	return x;
}

TARGET uint32_t xzc_crc32_clmul(uint32_t crc, const uint8_t *buf, size_t size)
{
	uint32_t reg = ~crc;
	if (size < 64)
		return ~xzc_crc32_bytes(reg, buf, size);
	pthread_once(&once, setup);
	__m128i x = fold_all(&consts32, _mm_cvtsi32_si128((int)reg), &buf, &size);
	uint8_t last[16];
	_mm_storeu_si128((__m128i *)(void *)last, x);
	reg = xzc_crc32_bytes(0, last, 16);
	return ~xzc_crc32_bytes(reg, buf, size);
}

TARGET uint64_t xzc_crc64_clmul(uint64_t crc, const uint8_t *buf, size_t size)
{
	uint64_t reg = ~crc;
	if (size < 64)
		return ~xzc_crc64_bytes(reg, buf, size);
	pthread_once(&once, setup);
	__m128i x = fold_all(&consts64, _mm_cvtsi64_si128((long long)reg), &buf, &size);
	uint8_t last[16];
	_mm_storeu_si128((__m128i *)(void *)last, x);
	reg = xzc_crc64_bytes(0, last, 16);
	return ~xzc_crc64_bytes(reg, buf, size);
}

#endif /* XZC_HAVE_CRC_CLMUL */
