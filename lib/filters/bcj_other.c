/*
 * bcj_other.c -- the BCJ filters for big-endian PowerPC (ID 0x05),
 * IA-64 / Itanium (0x06) and SPARC (0x09). See bcj_impl.h for the contract;
 * the conversions are XZ Utils' (src/liblzma/simple/powerpc.c, ia64.c,
 * sparc.c), implemented independently here.
 */
#include "filters/bcj_impl.h"

/*
 * PowerPC: "bl" = primary opcode 18 with AA = 0 and LK = 1, i.e. the
 * big-endian word 010010 LI(24) 0 1. The 26-bit byte offset (LI << 2) is
 * relative to the instruction itself.
 */
size_t xzc_bcj_powerpc(uint32_t *state, uint32_t now_pos, bool encode,
		       uint8_t *buf, size_t size)
{
	(void)state;
	size_t i;
	for (i = 0; i + 4 <= size; i += 4) {
		uint32_t ins = read32be(buf + i);
		if ((ins & 0xFC000003) != 0x48000001)
			continue;
		uint32_t pc = now_pos + (uint32_t)i;
		uint32_t off = ins & 0x03FFFFFC;
		uint32_t v = encode ? off + pc : off - pc;
		/* The low bits of v are 0 as pc is 4-aligned; kept as is
		 * anyway (ORed into LK = 1) as liblzma does. */
		write32be(buf + i, 0x48000001 | (v & 0x03FFFFFF));
	}
	return i;
}

/*
 * SPARC: "call" is 01 disp30 (word displacement from the instruction). Only
 * calls within +-8 MiB (disp30 sign-extended from 22 bits: the word starts
 * 0x40 followed by 00xxxxxx, or 0x7F followed by 11xxxxxx) are converted,
 * and the result is stored the same way: 22 bits plus sign extension.
 */
size_t xzc_bcj_sparc(uint32_t *state, uint32_t now_pos, bool encode,
		     uint8_t *buf, size_t size)
{
	(void)state;
	size_t i;
	for (i = 0; i + 4 <= size; i += 4) {
		bool near_fwd = buf[i] == 0x40 && (buf[i + 1] & 0xC0) == 0x00;
		bool near_back = buf[i] == 0x7F && (buf[i + 1] & 0xC0) == 0xC0;
		if (!near_fwd && !near_back)
			continue;
		uint32_t pc = now_pos + (uint32_t)i;
		uint32_t off = read32be(buf + i) << 2;  /* drops the 01 opcode */
		uint32_t v = (encode ? off + pc : off - pc) >> 2;
		uint32_t sign = (0u - ((v >> 22) & 1)) << 22;
		v = 0x40000000 | (sign & 0x3FFFFFFF) | (v & 0x003FFFFF);
		write32be(buf + i, v);
	}
	return i;
}

/*
 * IA-64: code comes in 16-byte bundles: a 5-bit template, then three 41-bit
 * instruction slots (bits 5-45, 46-86, 87-127, little-endian). The template
 * says which slots are branch (B) units; slot_mask[template] has bit s set
 * for those slots. A slot with opcode 5 (bits 37-40) and bits 9-11 zero is
 * taken as an IP-relative call; its 21-bit immediate (imm20b at bits 13-32,
 * sign at bit 36) counts 16-byte bundles from the bundle.
 */
static const uint8_t slot_mask[32] = {
	/* templates 0x10-0x11 MIB, 0x12-0x13 MBB, 0x16-0x17 BBB,
	 * 0x18-0x19 MMB, 0x1C-0x1D MFB; the others have no B slot. */
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	4, 4, 6, 6, 0, 0, 7, 7,
	4, 4, 0, 0, 4, 4, 0, 0,
};

static void ia64_slot(uint8_t *bundle, uint32_t bit_pos, uint32_t pc, bool encode)
{
	/* The 41-bit slot lies within 6 bytes starting at bit_pos / 8. */
	uint8_t *p = bundle + bit_pos / 8;
	uint32_t shift = bit_pos % 8;
	uint64_t raw = 0;
	for (int j = 0; j < 6; j++)
		raw |= (uint64_t)p[j] << (8 * j);
	uint64_t ins = raw >> shift;

	/* opcode (bits 37-40 of the slot) 5 and bits 9-11 zero */
	if (((ins >> 37) & 0xF) != 0x5 || ((ins >> 9) & 0x7) != 0)
		return;
	uint32_t off = (uint32_t)((ins >> 13) & 0xFFFFF);
	off |= (uint32_t)((ins >> 36) & 1) << 20;
	off <<= 4;
	uint32_t v = (encode ? off + pc : off - pc) >> 4;

	ins &= ~((uint64_t)0x8FFFFF << 13);     /* imm20b and the sign bit 36 */
	ins |= (uint64_t)(v & 0xFFFFF) << 13;
	ins |= (uint64_t)((v >> 20) & 1) << 36;

	raw &= ((uint64_t)1 << shift) - 1;      /* bits below the slot */
	raw |= ins << shift;
	for (int j = 0; j < 6; j++)
		p[j] = (uint8_t)(raw >> (8 * j));
}

size_t xzc_bcj_ia64(uint32_t *state, uint32_t now_pos, bool encode,
		    uint8_t *buf, size_t size)
{
	(void)state;
	size_t i;
	for (i = 0; i + 16 <= size; i += 16) {
		uint32_t slots = slot_mask[buf[i] & 0x1F];
		uint32_t pc = now_pos + (uint32_t)i;
		for (uint32_t s = 0; s < 3; s++)
			if (slots & (1u << s))
				ia64_slot(buf + i, 5 + 41 * s, pc, encode);
	}
	return i;
}
