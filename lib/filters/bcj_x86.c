/*
 * bcj_x86.c -- the x86 BCJ filter (filter ID 0x04): converts the 32-bit
 * relative target of CALL (opcode E8) and JMP (E9) to an absolute address
 * when encoding, and back when decoding, so that repeated calls of one
 * function become repeated byte strings for LZMA to find.
 *
 * What counts as a convertible instruction is a heuristic, and decoder and
 * encoder must apply the same one to stay in step:
 *   - the byte after the 4-byte operand's low three bytes (the operand's
 *     most significant byte, buf[i + 4]) must be 0x00 or 0xFF, i.e. the
 *     target is within +-16 MiB -- true for real calls, rare for data;
 *   - E8/E9 bytes seen in the 5 bytes before this one make it less likely
 *     that this one is an opcode (it may sit inside the earlier one's
 *     operand). `mask` remembers them: once aged to the current E8/E9,
 *     bit k (1..3) set means an unconverted E8/E9 was k bytes back, and bit
 *     k + 4 that its operand top byte was 0x00/0xFF too.
 *     Only a few mask patterns allow a conversion (see allowed()).
 *   - when an earlier E8/E9 was 1, 2 or 3 bytes back, its operand bytes
 *     overlap ours; a converted value whose byte at that overlap position is
 *     0x00/0xFF would change how the decoder sees the earlier one, so the
 *     value is flipped and converted once more (see the proof below that
 *     once is enough).
 * The algorithm is Igor Pavlov's, as in XZ Utils (src/liblzma/simple/x86.c);
 * this is an independent implementation, tested against liblzma byte for
 * byte.
 *
 * State (XZC_BCJ_STATE_WORDS): state[0] = mask, state[1] = stream position
 * of the last E8/E9 seen. All-zero is the initial state: while mask is 0
 * the old position cannot matter, as aging a zero mask by any distance
 * leaves it 0. (liblzma starts with position -5, to the same effect.)
 */
#include "filters/bcj_impl.h"

static inline bool is_msbyte(uint8_t b)
{
	return b == 0x00 || b == 0xFF;
}

/* Which patterns of earlier E8/E9 bytes (mask >> 1, as explained above)
 * still allow a conversion: none, or exactly one 1, 2 or 3 bytes back. */
static inline bool allowed(uint32_t m)
{
	return m == 0 || m == 1 || m == 2 || m == 4;
}

/* For an allowed nonzero pattern, k (1..3) such that bits 24 - 8k .. 31 - 8k
 * of our operand are where the earlier E8/E9's operand has its top byte. */
static inline uint32_t overlap_byte(uint32_t m)
{
	return m == 1 ? 1 : m == 2 ? 2 : 3;
}

size_t xzc_bcj_x86(uint32_t *state, uint32_t now_pos, bool encode,
		   uint8_t *buf, size_t size)
{
	uint32_t mask = state[0];
	uint32_t prev_pos = state[1];

	if (size < 5)
		return 0;
	/* Only distances of up to 5 matter; clamping keeps the subtraction
	 * below from wrapping into a small number after a long gap. */
	if (now_pos - prev_pos > 5)
		prev_pos = now_pos - 5;

	size_t i = 0;
	while (i <= size - 5) {
		if (buf[i] != 0xE8 && buf[i] != 0xE9) {
			i++;
			continue;
		}
		uint32_t pos = now_pos + (uint32_t)i;
		uint32_t dist = pos - prev_pos;
		prev_pos = pos;
		if (dist > 5) {
			mask = 0;
		} else {
			/* Age the remembered opcodes by dist bytes; the 0x77
			 * drops the ones that fall out of the 4-byte window. */
			for (uint32_t k = 0; k < dist; k++)
				mask = (mask & 0x77) << 1;
		}

		uint8_t top = buf[i + 4];
		if (!is_msbyte(top) || !allowed(mask >> 1)) {
			i++;
			mask |= 1;
			if (is_msbyte(top))
				mask |= 0x10;
			continue;
		}

		uint32_t src = read32le(buf + i + 1);
		uint32_t here = pos + 5;        /* address of the next instruction */
		uint32_t dest = encode ? src + here : src - here;
		if (mask != 0) {
			/* The earlier E8/E9's operand top byte X, k bytes
			 * back, lies in our operand at bits 24-8k..31-8k and is
			 * neither 0x00 nor 0xFF (else mask bit k + 4 would be
			 * set and allowed() false). If the converted value has
			 * 0x00/0xFF there, invert the bits below its top and
			 * convert again. liblzma writes this as a loop; one
			 * round is all it ever takes: with s = 32 - 8k and
			 * everything mod 2^s, the new value is
			 * ~(src + c) + c = ~src (or ~(src - c) - c = ~src when
			 * decoding), whose top byte there is ~X, not 0x00 or
			 * 0xFF -- so the loop would stop, and this cannot hang. */
			uint32_t k = overlap_byte(mask >> 1);
			if (is_msbyte((uint8_t)(dest >> (24 - k * 8)))) {
				src = dest ^ ((UINT32_C(1) << (32 - k * 8)) - 1);
				dest = encode ? src + here : src - here;
			}
		}
		/* Store 25 bits: the top byte becomes 0x00 or 0xFF from bit 24,
		 * which keeps the 0x00/0xFF test true for the decoder. */
		buf[i + 1] = (uint8_t)dest;
		buf[i + 2] = (uint8_t)(dest >> 8);
		buf[i + 3] = (uint8_t)(dest >> 16);
		buf[i + 4] = (dest >> 24) & 1 ? 0xFF : 0x00;
		i += 5;
		mask = 0;
	}

	state[0] = mask;
	state[1] = prev_pos;
	return i;
}
