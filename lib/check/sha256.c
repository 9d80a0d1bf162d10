/*
 * sha256.c -- SHA-256 as FIPS 180-4 defines it (section 6.2), the
 * strongest check of the .xz format (xz-file-format.txt 3.4: check ID 0x0A,
 * the 32-byte digest stored as is).
 *
 * The constants are not pasted: FIPS 180-4 4.2.2 defines K[0..63] as the
 * first 32 bits of the fractional parts of the cube roots of the first 64
 * primes, and 5.3.3 defines the initial hash value H(0) as the first 32 bits
 * of the fractional parts of the square roots of the first 8 primes. Both are
 * computed here at first use, exactly, with integer arithmetic (no floating
 * point rounding to trust); the FIPS test vectors in tests/test_check.c
 * confirm them.
 *
 * On x86-64 CPUs with the SHA extensions (SHA-NI) the blocks are processed
 * by lib/check/x86/sha256_shani.c instead, chosen at first use like the CRC
 * paths (CLEARXZ_PORTABLE=1 forces this portable code).
 */
#include <pthread.h>

#include "check/check.h"
#include "check/sha256_impl.h"
#include "common/cpu.h"

static uint32_t K[64];
static uint32_t H0[8];

/* floor(root-th root of n), for n < 2^128 and a result below 2^40. */
static uint64_t int_root(unsigned __int128 n, int root)
{
	uint64_t lo = 0, hi = (uint64_t)1 << 40;    /* lo^root <= n < hi^root */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		unsigned __int128 p = mid;
		for (int i = 1; i < root; i++)
			p *= mid;
		if (p <= n)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void build_constants(void)
{
	uint32_t primes[64];
	int count = 0;
	for (uint32_t n = 2; count < 64; n++) {
		bool prime = true;
		for (int i = 0; i < count && primes[i] * primes[i] <= n; i++)
			if (n % primes[i] == 0)
				prime = false;
		if (prime)
			primes[count++] = n;
	}
	for (int i = 0; i < 64; i++) {
		/* floor(cbrt(p) * 2^32) = floor(cbrt(p * 2^96)); keeping the
		 * low 32 bits drops the integer part. */
		unsigned __int128 n = (unsigned __int128)primes[i] << 96;
		K[i] = (uint32_t)int_root(n, 3);
	}
	for (int i = 0; i < 8; i++) {
		/* floor(sqrt(p) * 2^32) = floor(sqrt(p * 2^64)). */
		unsigned __int128 n = (unsigned __int128)primes[i] << 64;
		H0[i] = (uint32_t)int_root(n, 2);
	}
}

typedef void (*blocks_fn)(uint32_t state[8], const uint8_t *p, size_t nblocks,
			  const uint32_t k[64]);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static blocks_fn blocks;        /* written once, inside pthread_once */

static void setup(void)
{
	build_constants();
	blocks = xzc_sha256_blocks_portable;
#ifdef XZC_HAVE_SHA256_SHANI
	uint32_t need = XZC_CPU_SHA | XZC_CPU_SSSE3 | XZC_CPU_SSE41;
	if ((xzc_cpu_features() & need) == need)
		blocks = xzc_sha256_blocks_shani;
#endif
}

const uint32_t *xzc_sha256_constants(void)
{
	pthread_once(&once, setup);
	return K;
}

static inline uint32_t rotr(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

/* FIPS 180-4 4.1.2 functions. */
static inline uint32_t big_sigma0(uint32_t x)
{
	return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22);
}

static inline uint32_t big_sigma1(uint32_t x)
{
	return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25);
}

static inline uint32_t small_sigma0(uint32_t x)
{
	return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3);
}

static inline uint32_t small_sigma1(uint32_t x)
{
	return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10);
}

/*
 * One round of FIPS 180-4 6.2.2 step 3, written so that the eight working
 * variables need not be shifted along: the caller rotates the argument
 * order instead. With T1 = h + S1(e) + Ch(e,f,g) + K[t] + W[t] and
 * T2 = S0(a) + Maj(a,b,c), the spec's new e is d + T1 and its new a is
 * T1 + T2; here they are stored into d and h, which the next round then
 * treats as e and a.
 */
FORCE_INLINE void round_step(uint32_t a, uint32_t b, uint32_t c, uint32_t *d,
			     uint32_t e, uint32_t f, uint32_t g, uint32_t *h,
			     uint32_t kw)
{
	uint32_t t1 = *h + big_sigma1(e) + ((e & f) ^ (~e & g)) + kw;
	*d += t1;
	*h = t1 + big_sigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
}

/* FIPS 180-4 6.2.2: process one 512-bit block. The message schedule W is
 * kept as a ring of 16 words (W[t] only needs W[t-16 .. t-2]). */
static void compress(uint32_t state[8], const uint8_t block[64], const uint32_t k[64])
{
	uint32_t w[16];
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
	for (int t = 0; t < 64; t += 8) {
		uint32_t kw[8];
		for (int j = 0; j < 8; j++) {
			int i = (t + j) & 15;
			if (t < 16)
				w[i] = read32be(block + 4 * (t + j));
			else
				w[i] += small_sigma1(w[(i + 14) & 15]) + w[(i + 9) & 15]
					+ small_sigma0(w[(i + 1) & 15]);
			kw[j] = k[t + j] + w[i];
		}
		round_step(a, b, c, &d, e, f, g, &h, kw[0]);
		round_step(h, a, b, &c, d, e, f, &g, kw[1]);
		round_step(g, h, a, &b, c, d, e, &f, kw[2]);
		round_step(f, g, h, &a, b, c, d, &e, kw[3]);
		round_step(e, f, g, &h, a, b, c, &d, kw[4]);
		round_step(d, e, f, &g, h, a, b, &c, kw[5]);
		round_step(c, d, e, &f, g, h, a, &b, kw[6]);
		round_step(b, c, d, &e, f, g, h, &a, kw[7]);
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

void xzc_sha256_blocks_portable(uint32_t state[8], const uint8_t *p, size_t nblocks,
				const uint32_t k[64])
{
	for (size_t i = 0; i < nblocks; i++)
		compress(state, p + 64 * i, k);
}

void xzc_sha256_init(xzc_sha256_state *s)
{
	pthread_once(&once, setup);
	memcpy(s->state, H0, sizeof(H0));
	s->size = 0;
}

void xzc_sha256_update(xzc_sha256_state *s, const uint8_t *buf, size_t size)
{
	size_t fill = (size_t)(s->size % 64);
	s->size += size;
	if (fill > 0) {
		size_t n = MIN(size, 64 - fill);
		memcpy(s->block + fill, buf, n);
		buf += n;
		size -= n;
		if (fill + n < 64)
			return;
		blocks(s->state, s->block, 1, K);
	}
	if (size >= 64) {
		blocks(s->state, buf, size / 64, K);
		buf += size / 64 * 64;
		size %= 64;
	}
	if (size > 0)
		memcpy(s->block, buf, size);
}

/* FIPS 180-4 5.1.1: append bit 1, zeros to 56 mod 64 bytes, and the
 * message length in bits as a 64-bit big-endian number. */
void xzc_sha256_finish(xzc_sha256_state *s, uint8_t out[32])
{
	uint64_t bits = s->size * 8;
	size_t fill = (size_t)(s->size % 64);
	s->block[fill++] = 0x80;
	if (fill > 56) {
		memset(s->block + fill, 0, 64 - fill);
		blocks(s->state, s->block, 1, K);
		fill = 0;
	}
	memset(s->block + fill, 0, 56 - fill);
	write32be(s->block + 56, (uint32_t)(bits >> 32));
	write32be(s->block + 60, (uint32_t)bits);
	blocks(s->state, s->block, 1, K);
	for (int i = 0; i < 8; i++)
		write32be(out + 4 * i, s->state[i]);
}
