/*
 * bcj_arm.c -- the BCJ filters for ARM (ID 0x07), ARM-Thumb (0x08) and
 * ARM64 (0x0A): the pc-relative offset in call instructions becomes an
 * absolute address when encoding, and back when decoding. See bcj_impl.h
 * for the contract; the conversions are XZ Utils' (src/liblzma/simple/
 * arm.c, armthumb.c, arm64.c), implemented independently here.
 */
#include "filters/bcj_impl.h"

/*
 * ARM (32-bit, little-endian): BL with condition "always" is the 32-bit word
 * 0xEBxxxxxx; its 24-bit immediate counts words from pc + 8.
 */
size_t xzc_bcj_arm(uint32_t *state, uint32_t now_pos, bool encode,
		   uint8_t *buf, size_t size)
{
	(void)state;
	size_t i;
	for (i = 0; i + 4 <= size; i += 4) {
		if (buf[i + 3] != 0xEB)
			continue;
		uint32_t pc = now_pos + (uint32_t)i + 8;
		uint32_t off = (read32le(buf + i) & 0x00FFFFFF) << 2;
		uint32_t v = (encode ? off + pc : off - pc) >> 2;
		buf[i + 0] = (uint8_t)v;
		buf[i + 1] = (uint8_t)(v >> 8);
		buf[i + 2] = (uint8_t)(v >> 16);
	}
	return i;
}

/*
 * ARM-Thumb: the BL pair of 16-bit halves, first 0xF000 | high 11 bits,
 * second 0xF800 | low 11 bits (bytes: lo, hi of each half, so the marker
 * bits are in buf[i + 1] and buf[i + 3]); the 22-bit immediate counts
 * halfwords from pc + 4. A converted pair is skipped whole.
 */
size_t xzc_bcj_armthumb(uint32_t *state, uint32_t now_pos, bool encode,
			uint8_t *buf, size_t size)
{
	(void)state;
	size_t i;
	for (i = 0; i + 4 <= size; i += 2) {
		if ((buf[i + 1] & 0xF8) != 0xF0 || (buf[i + 3] & 0xF8) != 0xF8)
			continue;
		uint32_t off = ((uint32_t)(buf[i + 1] & 7) << 19)
			       | ((uint32_t)buf[i + 0] << 11)
			       | ((uint32_t)(buf[i + 3] & 7) << 8)
			       | (uint32_t)buf[i + 2];
		off <<= 1;
		uint32_t pc = now_pos + (uint32_t)i + 4;
		uint32_t v = (encode ? off + pc : off - pc) >> 1;
		buf[i + 0] = (uint8_t)(v >> 11);
		buf[i + 1] = (uint8_t)(0xF0 | ((v >> 19) & 7));
		buf[i + 2] = (uint8_t)v;
		buf[i + 3] = (uint8_t)(0xF8 | ((v >> 8) & 7));
		i += 2;
	}
	return i;
}

/*
 * ARM64: two instructions are converted.
 *  - BL (top six bits 100101): the whole 26-bit immediate (words from pc),
 *    i.e. +-128 MiB.
 *  - ADRP (bit 31 set, bits 28-24 = 10000): the 21-bit page immediate
 *    immhi:immlo (pages of 4 KiB from pc's page), but only when it is within
 *    +-512 MiB (the top four of its bits all equal), which keeps false
 *    matches in data rare. The converted value is stored in the same form:
 *    18 significant bits, sign-extended into the top three.
 */
size_t xzc_bcj_arm64(uint32_t *state, uint32_t now_pos, bool encode,
		     uint8_t *buf, size_t size)
{
	(void)state;
	size_t i;
	for (i = 0; i + 4 <= size; i += 4) {
		uint32_t ins = read32le(buf + i);
		uint32_t pc = now_pos + (uint32_t)i;
		if ((ins >> 26) == 0x25) {
			uint32_t delta = encode ? pc >> 2 : 0u - (pc >> 2);
			ins = 0x94000000 | ((ins + delta) & 0x03FFFFFF);
			write32le(buf + i, ins);
		} else if ((ins & 0x9F000000) == 0x90000000) {
			/* immlo is bits 30-29, immhi bits 23-5. */
			uint32_t imm = ((ins >> 29) & 3) | ((ins >> 3) & 0x001FFFFC);
			/* Within +-512 MiB: bits 20-17 of imm all 0 or all 1,
			 * i.e. adding 2^17 leaves bits 20-18 clear. */
			if (((imm + 0x00020000) & 0x001C0000) != 0)
				continue;
			uint32_t delta = encode ? pc >> 12 : 0u - (pc >> 12);
			uint32_t v = imm + delta;
			ins &= 0x9000001F;              /* opcode and Rd */
			ins |= (v & 3) << 29;
			ins |= (v & 0x0003FFFC) << 3;
			/* bit 17 of v, copied into immhi's top three bits */
			ins |= (0u - (v & 0x00020000)) & 0x00E00000;
			write32le(buf + i, ins);
		}
	}
	return i;
}
