/*
 * bcj_riscv.c -- the RISC-V BCJ filter (ID 0x0B, XZ Utils 5.6.0 and later),
 * for RV32/RV64 code of either endianness (instructions are always
 * little-endian) with or without 16-bit compressed instructions, so the
 * scan moves in 2-byte steps. See bcj_impl.h for the contract; the
 * conversion is XZ Utils' (src/liblzma/simple/riscv.c, whose long comment
 * explains the design), implemented independently here.
 *
 * Two kinds of instructions are converted:
 *
 *  JAL with rd = x1 (ra) or x5 (t0), i.e. calls: the 20-bit J-type
 *  immediate (scrambled as imm[20|10:1|11|19:12] in bits 31-12) becomes the
 *  absolute target, stored big-endian-like: target bits 20-17 in the high
 *  nibble of byte 1, bits 16-9 in byte 2, bits 8-1 in byte 3.
 *
 *  AUIPC rd, hi20 followed by a 32-bit instruction whose rs1 (bits 19-15)
 *  is that rd (the pair computes pc + hi20 * 4096 + sign-extended imm12 of
 *  the second instruction). The encoder rewrites the pair into
 *      word 1: AUIPC opcode, rd = x2, bits 31-12 = bits 19-0 of inst2
 *      word 2: the absolute address, big-endian
 *  and the decoder recognises that form by rd = x2 (an AUIPC into the stack
 *  pointer is practically never real code). To keep the filter reversible
 *  on any data, an AUIPC with rd = x2 that is *not* a converted pair in the
 *  encoder's input (and likewise a real pair in the decoder's input) is
 *  swapped with the other form by a cheap "fake" conversion without the
 *  address arithmetic. AUIPC with rd = x0 (reserved / landing pads) is
 *  never a pair.
 */
#include "filters/bcj_impl.h"

/* Nonzero unless inst2 is a 32-bit instruction (low opcode bits 11) whose
 * rs1 (bits 19-15) equals the AUIPC's rd (bits 11-7): shifting the AUIPC
 * left by 8 lines its rd up with rs1, and subtracting 3 clears the opcode
 * bits exactly when both are set. */
static inline uint32_t not_pair(uint32_t auipc, uint32_t inst2)
{
	return ((auipc << 8) ^ (inst2 - 3)) & 0xF8003;
}

/* For an AUIPC whose rd is x0 or x2: true unless it is the encoder's special
 * form, that is rd == x2, bits 13-12 (the packed inst2's opcode low bits)
 * both set, and the packed rs1 (bits 31-27) neither x0 nor x2. Subtracting
 * 0x3117 clears opcode, rd = x2 and bits 13-12 exactly when they hold those
 * values; the shift keeps only bits 13-0 of the result. */
static inline bool not_special(uint32_t auipc, uint32_t rs1)
{
	return (uint32_t)((auipc - 0x3117) << 18) >= (rs1 & 0x1D);
}

/* JAL with rd = x1 or x5: opcode 1101111 plus rd bit 0 gives byte 0xEF;
 * of rd's bits 4-1 (low nibble of byte 1) only bit 2 may be set. */
static inline bool is_call_jal(const uint8_t *p)
{
	return p[0] == 0xEF && (p[1] & 0x0D) == 0;
}

static size_t riscv_encode(uint32_t now_pos, uint8_t *buf, size_t size)
{
	if (size < 8)
		return 0;
	size_t i;
	for (i = 0; i <= size - 8; i += 2) {
		uint32_t pc = now_pos + (uint32_t)i;
		if (is_call_jal(buf + i)) {
			uint32_t b1 = buf[i + 1], b2 = buf[i + 2], b3 = buf[i + 3];
			/* J-type: bits 31|30-21|20|19-12 = imm 20|10-1|11|19-12 */
			uint32_t off = ((b1 & 0xF0) << 8)       /* imm 15-12 */
				       | ((b2 & 0x0F) << 16)    /* imm 19-16 */
				       | ((b2 & 0x10) << 7)     /* imm 11 */
				       | ((b2 & 0xE0) >> 4)     /* imm 3-1 */
				       | ((b3 & 0x7F) << 4)     /* imm 10-4 */
				       | ((b3 & 0x80) << 13);   /* imm 20 */
			uint32_t addr = off + pc;
			buf[i + 1] = (uint8_t)((b1 & 0x0F) | ((addr >> 13) & 0xF0));
			buf[i + 2] = (uint8_t)(addr >> 9);
			buf[i + 3] = (uint8_t)(addr >> 1);
			i += 2;         /* 4 bytes used */
			continue;
		}
		if ((buf[i] & 0x7F) != 0x17)
			continue;
		uint32_t inst = read32le(buf + i);
		if (inst & 0xE80) {
			/* rd is neither x0 nor x2: a real pair? */
			uint32_t inst2 = read32le(buf + i + 4);
			if (not_pair(inst, inst2)) {
				/* Skip 6 bytes so that no conversion can start
				 * at i + 4 and turn this into a pair behind the
				 * decoder's back (bits that a conversion at
				 * i + 6 changes are not looked at here). */
				i += 4;
				continue;
			}
			/* hi20 * 4096 plus the sign-extended imm12 of inst2 */
			uint32_t addr = (inst & 0xFFFFF000) + (inst2 >> 20)
					- ((inst2 >> 19) & 0x1000);
			addr += pc;
			write32le(buf + i, 0x17 | (2u << 7) | (inst2 << 12));
			write32be(buf + i + 4, addr);
		} else {
			/* rd is x0 or x2: swap the special form with a
			 * "fake" pair (no sign extension, no address
			 * arithmetic, little-endian) so the decoder's
			 * reverse swap restores it. */
			uint32_t rs1 = inst >> 27;
			if (not_special(inst, rs1)) {
				i += 2;
				continue;
			}
			uint32_t word2 = read32le(buf + i + 4);
			uint32_t fake2 = (inst >> 12) | (word2 << 20);
			write32le(buf + i, 0x17 | (rs1 << 7) | (word2 & 0xFFFFF000));
			write32le(buf + i + 4, fake2);
		}
		i += 6;                 /* 8 bytes used */
	}
	return i;
}

static size_t riscv_decode(uint32_t now_pos, uint8_t *buf, size_t size)
{
	if (size < 8)
		return 0;
	size_t i;
	for (i = 0; i <= size - 8; i += 2) {
		uint32_t pc = now_pos + (uint32_t)i;
		if (is_call_jal(buf + i)) {
			uint32_t b1 = buf[i + 1], b2 = buf[i + 2], b3 = buf[i + 3];
			uint32_t addr = ((b1 & 0xF0) << 13) | (b2 << 9) | (b3 << 1);
			uint32_t off = addr - pc;
			buf[i + 1] = (uint8_t)((b1 & 0x0F) | ((off >> 8) & 0xF0));
			buf[i + 2] = (uint8_t)(((off >> 16) & 0x0F) | ((off >> 7) & 0x10)
					       | ((off << 4) & 0xE0));
			buf[i + 3] = (uint8_t)(((off >> 4) & 0x7F) | ((off >> 13) & 0x80));
			i += 2;
			continue;
		}
		if ((buf[i] & 0x7F) != 0x17)
			continue;
		uint32_t inst = read32le(buf + i);
		uint32_t inst2;
		if (inst & 0xE80) {
			/* A fake pair made by the encoder (or data that
			 * looks like one): back to the rd = x2 form. */
			inst2 = read32le(buf + i + 4);
			if (not_pair(inst, inst2)) {
				i += 4;
				continue;
			}
			uint32_t addr = (inst & 0xFFFFF000) + (inst2 >> 20);
			inst = 0x17 | (2u << 7) | (inst2 << 12);
			inst2 = addr;
		} else {
			/* The special form: rebuild AUIPC + inst2. */
			uint32_t rs1 = inst >> 27;
			if (not_special(inst, rs1)) {
				i += 2;
				continue;
			}
			uint32_t off = read32be(buf + i + 4) - pc;
			inst2 = (inst >> 12) | (off << 20);
			/* inst2's imm12 is sign-extended by the CPU, so
			 * AUIPC's part is rounded to the nearest 4 KiB. */
			inst = 0x17 | (rs1 << 7) | ((off + 0x800) & 0xFFFFF000);
		}
		write32le(buf + i, inst);
		write32le(buf + i + 4, inst2);
		i += 6;
	}
	return i;
}

size_t xzc_bcj_riscv(uint32_t *state, uint32_t now_pos, bool encode,
		     uint8_t *buf, size_t size)
{
	(void)state;
	return encode ? riscv_encode(now_pos, buf, size)
	              : riscv_decode(now_pos, buf, size);
}
