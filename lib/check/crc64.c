/*
 * crc64.c -- lzma_crc64(): the CRC64 check of the .xz format
 * (xz-file-format.txt 3.4: ECMA-182 polynomial, reflected, initial value
 * and final XOR all ones), the default check of xz.
 *
 * Same structure as crc32.c: portable slice-by-8 with tables computed at
 * first use, and on x86-64 with PCLMULQDQ a folding path chosen at first
 * use (CLEARXZ_PORTABLE=1 forces the portable path).
 */
#include <pthread.h>

#include "check/crc_impl.h"
#include "common/cpu.h"

static uint64_t table[8][256];

static void build_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint64_t r = i;
		for (int bit = 0; bit < 8; bit++)
			r = (r >> 1) ^ (XZC_CRC64_POLY_REFLECTED & (0u - (r & 1)));
		table[0][i] = r;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++) {
			uint64_t prev = table[k - 1][i];
			table[k][i] = (prev >> 8) ^ table[0][prev & 0xFF];
		}
}

uint64_t xzc_crc64_bytes(uint64_t reg, const uint8_t *buf, size_t size)
{
	for (size_t i = 0; i < size; i++)
		reg = (reg >> 8) ^ table[0][(reg ^ buf[i]) & 0xFF];
	return reg;
}

static uint64_t portable(uint64_t crc, const uint8_t *buf, size_t size)
{
	uint64_t reg = ~crc;
	while (size >= 8) {
		/* All eight register bytes meet input bytes: byte j of the
		 * block still has 7 - j shifts to go, hence table[7 - j]. */
		uint64_t a = reg ^ read64le(buf);
		reg = table[7][a & 0xFF] ^ table[6][(a >> 8) & 0xFF]
		      ^ table[5][(a >> 16) & 0xFF] ^ table[4][(a >> 24) & 0xFF]
		      ^ table[3][(a >> 32) & 0xFF] ^ table[2][(a >> 40) & 0xFF]
		      ^ table[1][(a >> 48) & 0xFF] ^ table[0][a >> 56];
		buf += 8;
		size -= 8;
	}
	return ~xzc_crc64_bytes(reg, buf, size);
}

typedef uint64_t (*crc64_fn)(uint64_t crc, const uint8_t *buf, size_t size);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static crc64_fn chosen;         /* written once, inside pthread_once */

static void setup(void)
{
	build_table();
	chosen = portable;
#ifdef XZC_HAVE_CRC_CLMUL
	if (xzc_cpu_features() & XZC_CPU_PCLMULQDQ)
		chosen = xzc_crc64_clmul;
#endif
}

uint64_t xzc_crc64_portable(uint64_t crc, const uint8_t *buf, size_t size)
{
	pthread_once(&once, setup);
	return portable(crc, buf, size);
}

extern LZMA_API(uint64_t) lzma_crc64(const uint8_t *buf, size_t size, uint64_t crc)
{
	pthread_once(&once, setup);
	if (size == 0)
		return crc;     /* buf may be NULL */
	return chosen(crc, buf, size);
}
