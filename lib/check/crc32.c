/*
 * crc32.c -- lzma_crc32(): the CRC32 of the .xz format (xz-file-format.txt
 * 3.4, and the CRC32 fields of stream and block headers, 2.1.1.2, 3.1.7).
 *
 * The portable path is "slice-by-8": table[0] is the usual byte-at-a-time
 * table; table[k][b] is the CRC contribution of byte b followed by k zero
 * bytes, so eight input bytes are folded in with eight independent lookups
 * per step instead of a chain of eight. The tables are computed at first use
 * (pthread_once), never pasted. On x86-64 with PCLMULQDQ a folding path
 * (lib/check/x86/crc_clmul.c) is chosen at first use instead; the test-only
 * switch CLEARXZ_PORTABLE=1 (lib/common/cpu.h) forces the portable path.
 */
#include <pthread.h>

#include "check/crc_impl.h"
#include "common/cpu.h"

static uint32_t table[8][256];

static void build_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t r = i;
		/* One bit at a time: the definition of a reflected CRC. */
		for (int bit = 0; bit < 8; bit++)
			r = (r >> 1) ^ (XZC_CRC32_POLY_REFLECTED & (0u - (r & 1)));
		table[0][i] = r;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++) {
			uint32_t prev = table[k - 1][i];
			table[k][i] = (prev >> 8) ^ table[0][prev & 0xFF];
		}
}

uint32_t xzc_crc32_bytes(uint32_t reg, const uint8_t *buf, size_t size)
{
	for (size_t i = 0; i < size; i++)
		reg = (reg >> 8) ^ table[0][(reg ^ buf[i]) & 0xFF];
	return reg;
}

static uint32_t portable(uint32_t crc, const uint8_t *buf, size_t size)
{
	uint32_t reg = ~crc;
	while (size >= 8) {
		/* Reflected CRC: the low byte of the register meets the first
		 * input byte; the byte that is 7 positions earlier than the end
		 * of the block has 7 more shifts to go, hence table[7]. */
		uint32_t a = reg ^ read32le(buf);
		uint32_t b = read32le(buf + 4);
		reg = table[7][a & 0xFF] ^ table[6][(a >> 8) & 0xFF]
		      ^ table[5][(a >> 16) & 0xFF] ^ table[4][a >> 24]
		      ^ table[3][b & 0xFF] ^ table[2][(b >> 8) & 0xFF]
		      ^ table[1][(b >> 16) & 0xFF] ^ table[0][b >> 24];
		buf += 8;
		size -= 8;
	}
	return ~xzc_crc32_bytes(reg, buf, size);
}

typedef uint32_t (*crc32_fn)(uint32_t crc, const uint8_t *buf, size_t size);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static crc32_fn chosen;         /* written once, inside pthread_once */

static void setup(void)
{
	build_table();
	chosen = portable;
#ifdef XZC_HAVE_CRC_CLMUL
	if (xzc_cpu_features() & XZC_CPU_PCLMULQDQ)
		chosen = xzc_crc32_clmul;
#endif
}

uint32_t xzc_crc32_portable(uint32_t crc, const uint8_t *buf, size_t size)
{
	pthread_once(&once, setup);
	return portable(crc, buf, size);
}

extern LZMA_API(uint32_t) lzma_crc32(const uint8_t *buf, size_t size, uint32_t crc)
{
	pthread_once(&once, setup);
	if (size == 0)
		return crc;     /* buf may be NULL */
	return chosen(crc, buf, size);
}
