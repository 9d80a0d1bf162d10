/* gen.c -- seeded test data generators; see gen.h. */
#include "gen.h"

#include <string.h>

/* splitmix64 (Steele, Lea, Flood 2014): tiny, full period 2^64, and good
 * enough statistics for test data. The constants are the published ones. */
uint64_t gen_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

uint32_t gen_below(uint64_t *state, uint32_t n)
{
	/* Multiply-shift: the bias is below 2^-32 for our n, irrelevant here. */
	return (uint32_t)(((gen_next(state) >> 32) * (uint64_t)n) >> 32);
}

const char *gen_kind_name(gen_kind kind)
{
	switch (kind) {
	case GEN_TEXT: return "text";
	case GEN_BINARY: return "binary";
	case GEN_X86: return "x86";
	case GEN_RANDOM: return "random";
	case GEN_ZEROS: return "zeros";
	case GEN_RUNS: return "runs";
	case GEN_KIND_COUNT: break;
	}
	return "?";
}

/* A writer that silently stops at the end of the buffer, so generators can
 * emit whole words/records and the last one is simply cut. */
typedef struct {
	uint8_t *buf;
	size_t pos, size;
} sink;

static void put(sink *s, uint8_t byte)
{
	if (s->pos < s->size)
		s->buf[s->pos++] = byte;
}

static void put_le(sink *s, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		put(s, (uint8_t)(v >> (8 * i)));
}

static int full(const sink *s)
{
	return s->pos >= s->size;
}

/* ---- text ---------------------------------------------------------------- */

enum { VOCAB = 1024, WORD_MAX = 12 };

/* Letters in rough English frequency order; a word's letters are drawn with
 * a bias toward the front so the text has English-like letter statistics. */
static const char letters[] = "etaoinshrdlucmfwypvbgkjqxz";

static void make_vocab(uint64_t *st, char words[VOCAB][WORD_MAX + 1])
{
	for (int w = 0; w < VOCAB; w++) {
		/* Common (low-rank) words are short, as in natural language. */
		uint32_t len = 1 + gen_below(st, w < 32 ? 4 : (w < 256 ? 7 : WORD_MAX));
		for (uint32_t i = 0; i < len; i++) {
			uint32_t r = gen_below(st, 26);
			r = gen_below(st, r + 1); /* skew toward frequent letters */
			words[w][i] = letters[r];
		}
		words[w][len] = '\0';
	}
}

/* Rank with probability roughly proportional to 1/(rank+1): a uniform
 * draw below a uniform bound gives a harmonic-like (Zipf s=1) tail. */
static uint32_t zipf_rank(uint64_t *st)
{
	uint32_t bound = 1 + gen_below(st, VOCAB);
	return gen_below(st, bound);
}

static void gen_text(uint64_t *st, sink *s)
{
	static char words[VOCAB][WORD_MAX + 1];
	make_vocab(st, words);
	while (!full(s)) {
		uint32_t line_len = 30 + gen_below(st, 70), col = 0;
		int start = 1; /* capitalize the next word */
		while (col < line_len && !full(s)) {
			const char *w = words[zipf_rank(st)];
			if (col > 0)
				put(s, ' ');
			for (size_t i = 0; w[i] != '\0'; i++) {
				char c = w[i];
				if (start && i == 0)
					c = (char)(c - 'a' + 'A');
				put(s, (uint8_t)c);
			}
			col += (uint32_t)strlen(w) + 1;
			start = 0;
			uint32_t p = gen_below(st, 20);
			if (p == 0) {
				put(s, '.');
				start = 1;
			} else if (p == 1) {
				put(s, ',');
			}
		}
		put(s, '\n');
	}
}

/* ---- binary -------------------------------------------------------------- */

static void gen_binary(uint64_t *st, sink *s)
{
	static const char *const names[] = {
		"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
	};
	uint32_t id = gen_below(st, 1000);
	uint64_t stamp = gen_next(st) >> 24;
	while (!full(s)) {
		uint32_t type = gen_below(st, 4);
		if (type == 0) {
			/* A fixed 16-byte header struct repeated verbatim: long
			 * matches at a record-sized distance. */
			put_le(s, UINT64_C(0x0000000100000010), 8);
			put_le(s, 0xFEEDu, 4);
			put_le(s, 0, 4);
			continue;
		}
		put_le(s, id++, 4);                              /* counter */
		stamp += gen_below(st, 100);
		put_le(s, stamp, 8);                             /* slowly rising */
		put_le(s, gen_below(st, 16), 2);                 /* small enum */
		put_le(s, (uint32_t)(int32_t)(gen_below(st, 200) - 100), 4);
		const char *n = names[gen_below(st, 8)];
		for (int i = 0; i < 8; i++)                      /* name[8] */
			put(s, (uint8_t)(*n ? *n++ : 0));
		if (type == 3) /* occasional float-like noise */
			put_le(s, gen_next(st), 4);
	}
}

/* ---- x86-like code ------------------------------------------------------- */

static void gen_x86(uint64_t *st, sink *s)
{
	/* A handful of call targets, so the BCJ filter's absolute-address
	 * conversion turns many different relative offsets into few values. */
	uint32_t targets[16];
	for (int i = 0; i < 16; i++)
		targets[i] = gen_below(st, 1u << 20);
	while (!full(s)) {
		uint32_t op = gen_below(st, 16);
		uint32_t pos = (uint32_t)s->pos;
		switch (op) {
		case 0: case 1: /* call rel32 */
		case 2: /* jmp rel32 */
			put(s, op == 2 ? 0xE9 : 0xE8);
			put_le(s, targets[gen_below(st, 16)] - (pos + 5), 4);
			break;
		case 3: case 4: case 5: /* REX.W mov r/m64, r64 or reverse */
			put(s, 0x48);
			put(s, op == 3 ? 0x89 : 0x8B);
			put(s, (uint8_t)(0x40 | gen_below(st, 64)));
			put(s, (uint8_t)(gen_below(st, 16) * 8)); /* disp8 */
			break;
		case 6: /* push/pop */
			put(s, (uint8_t)(0x50 + gen_below(st, 16)));
			break;
		case 7: /* jcc rel8 */
			put(s, (uint8_t)(0x70 + gen_below(st, 16)));
			put(s, (uint8_t)gen_below(st, 64));
			break;
		case 8: /* lea r64, [rip+disp32] */
			put(s, 0x48);
			put(s, 0x8D);
			put(s, 0x05);
			put_le(s, gen_below(st, 1u << 16), 4);
			break;
		case 9: /* mov r32, imm32 with a small immediate */
			put(s, (uint8_t)(0xB8 + gen_below(st, 8)));
			put_le(s, gen_below(st, 256), 4);
			break;
		case 10: /* ret + alignment padding */
			put(s, 0xC3);
			while ((s->pos & 15) != 0 && !full(s))
				put(s, 0x90);
			break;
		default: /* arithmetic r/m, r */
			put(s, (uint8_t)(gen_below(st, 8) * 8 + 1));
			put(s, (uint8_t)(0xC0 | gen_below(st, 64)));
			break;
		}
	}
}

/* ---- the rest ------------------------------------------------------------ */

static void gen_random(uint64_t *st, sink *s)
{
	while (!full(s))
		put_le(s, gen_next(st), 8);
}

static void gen_runs(uint64_t *st, sink *s)
{
	while (!full(s)) {
		uint8_t v = (uint8_t)gen_below(st, 8) * 31;
		/* Mostly short runs, sometimes long ones. */
		uint32_t len = 1 + gen_below(st, gen_below(st, 4) == 0 ? 300 : 12);
		for (uint32_t i = 0; i < len; i++)
			put(s, v);
	}
}

void gen_fill(gen_kind kind, uint64_t seed, uint8_t *buf, size_t size)
{
	/* Mix the kind into the seed so kinds with equal seeds differ. */
	uint64_t st = seed * UINT64_C(0x100000001B3) + (uint64_t)kind;
	sink s = { buf, 0, size };
	switch (kind) {
	case GEN_TEXT: gen_text(&st, &s); break;
	case GEN_BINARY: gen_binary(&st, &s); break;
	case GEN_X86: gen_x86(&st, &s); break;
	case GEN_RANDOM: gen_random(&st, &s); break;
	case GEN_RUNS: gen_runs(&st, &s); break;
	case GEN_ZEROS:
	case GEN_KIND_COUNT:
		memset(buf, 0, size);
		break;
	}
}
