/*
 * test_interop.c -- the library decodes, byte for byte, what /usr/bin/xz and
 * lzip write.
 *
 * Inputs come from seeded generators (below): text-like, binary-like (with
 * the branch instructions each BCJ filter rewrites), random, highly
 * repetitive, empty and one byte, at sizes around the LZMA2 chunk limits
 * (an uncompressed chunk carries at most 64 KiB, a compressed chunk at most
 * 2 MiB of output and 64 KiB of LZMA data: xz-file-format.txt section 5.3.1
 * names LZMA2; the chunk header limits are those of the LZMA2 format).
 *
 * Each input is compressed by an external tool with one setting (a preset,
 * a filter chain, a check, a block size, threads, a container format), then
 * decoded through the public API by each decoder that can read the format,
 * with several splits of the input and output buffers. One line per cell:
 *     PASS: xz -6 --check=crc32 | text-20000 | stream | in 1 out 1
 *
 * The >4 GiB streamed case (zeros through `xz -0 -T2`, output counted, not
 * stored) takes about 25 s of two cores with liblzma 5.4.1; CLEARXZ_SLOW=0
 * skips it (for sanitizer builds, where it is several times slower).
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KiB ((size_t)1024)
#define MiB (KiB * 1024)

/* ---- seeded generators -------------------------------------------------- */

/* splitmix64: a tiny PRNG whose output depends only on the seed. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

enum kind { K_TEXT, K_BINARY, K_RANDOM, K_REPEAT };

/* Text: words built from syllables, picked with a skew so that a few words
 * are frequent (as in prose), in sentences and lines of about 70 columns. */
static void gen_text(uint64_t *s, uint8_t *buf, size_t size)
{
	static const char *const syl[] = {
		"ka", "lo", "mi", "ne", "ru", "sta", "ten", "vor", "qui", "ab",
		"es", "dal", "pro", "ing", "the", "and", "ver", "ment", "ion", "ox",
	};
	char words[256][16];
	for (int w = 0; w < 256; w++) {
		int n = 1 + (int)(rnd(s) % 3);
		words[w][0] = '\0';
		for (int i = 0; i < n; i++)
			strcat(words[w], syl[rnd(s) % 20]);
	}
	size_t pos = 0, col = 0;
	bool cap = true;
	while (pos < size) {
		uint64_t r = rnd(s);
		const char *w = words[((r & 255) * ((r >> 8) & 255)) >> 8];
		for (size_t i = 0; w[i] != '\0' && pos < size; i++, col++)
			buf[pos++] = (uint8_t)(i == 0 && cap ? w[i] - 'a' + 'A' : w[i]);
		cap = (r >> 16) % 9 == 0;
		if (cap && pos < size)
			buf[pos++] = '.', col++;
		if (pos < size) {
			buf[pos++] = col > 70 ? '\n' : ' ';
			col = col > 70 ? 0 : col + 1;
		}
	}
}

static void put32(uint8_t *p, uint32_t v, bool big)
{
	for (int i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* One 16-byte "instruction bundle" of the binary generator: branches in the
 * encodings the BCJ filters look for (x86 E8/E9 rel32, ARM BL, ARM-Thumb
 * BL pair, ARM64 BL/ADRP, PowerPC "bl", SPARC "call", an IA-64 bundle
 * template with a branch slot), or common x86 filler bytes. */
static void gen_bundle(uint64_t *s, uint8_t *b)
{
	static const uint8_t filler[] = { 0x48, 0x89, 0xC3, 0x8B, 0x45, 0x00,
					  0x0F, 0x1F, 0x44, 0x00, 0x00, 0xC3 };
	uint64_t r = rnd(s);
	uint32_t imm = (uint32_t)(r >> 32) & 0xFFFF;
	for (int i = 0; i < 16; i++)
		b[i] = filler[(r >> (i % 8)) % sizeof(filler)];
	switch (r % 8) {
	case 0: b[3] = 0xE8; put32(b + 4, (uint32_t)(int32_t)(int16_t)imm, false); break;
	case 1: put32(b, 0xEB000000u | imm, false); put32(b + 8, 0xEB000000u | (imm * 3), false); break;
	case 2: b[0] = (uint8_t)imm; b[1] = 0xF0 | (imm >> 12); b[2] = (uint8_t)(imm >> 4); b[3] = 0xF8; break;
	case 3: put32(b, 0x94000000u | imm, false); put32(b + 4, 0x90000000u | (imm << 5), false); break;
	case 4: put32(b, 0x48000001u | (imm << 2), true); break;
	case 5: put32(b, 0x40000000u | imm, true); put32(b + 8, 0x7FC00000u | imm, true); break;
	case 6: /* template 0x10/0x11: slot 2 (bits 87..127) is a branch
		 * unit slot; opcode 5 in its bits 37..40, btype 0 in 9..11. */
		b[0] = 0x10 | (uint8_t)(r >> 20 & 1); b[12] &= 0xF8;
		b[14] = (uint8_t)imm; b[15] = 0x50 | (imm & 0x0F); break;
	default: break;
	}
}

/* Binary: a mix of code bundles, tables of growing little-endian integers,
 * and copies of earlier stretches with a changed byte (LZ matches). */
static void gen_binary(uint64_t *s, uint8_t *buf, size_t size)
{
	size_t pos = 0;
	uint32_t counter = (uint32_t)rnd(s);
	while (pos < size) {
		uint8_t piece[256];
		uint64_t r = rnd(s);
		size_t n = sizeof(piece);
		if (r % 10 < 6) {
			for (size_t i = 0; i < n; i += 16)
				gen_bundle(s, piece + i);
		} else if (r % 10 < 8 || pos < n) {
			for (size_t i = 0; i < n; i += 4)
				put32(piece + i, counter += 1 + (uint32_t)(r >> 40) % 7, false);
		} else {
			size_t from = (size_t)(r >> 16) % (pos - n + 1);
			memcpy(piece, buf + from, n);
			piece[(r >> 8) % n] ^= 0x5A;
		}
		if (n > size - pos)
			n = size - pos;
		memcpy(buf + pos, piece, n);
		pos += n;
	}
}

/* Repetitive: one 1000-byte stretch of text over and over, with a byte
 * changed every ~50 KB. It compresses so well that xz's LZMA2 chunks end at
 * the 2 MiB uncompressed limit, not at the 64 KiB compressed limit. */
static void gen_repeat(uint64_t *s, uint8_t *buf, size_t size)
{
	uint8_t unit[1000];
	gen_text(s, unit, sizeof(unit));
	for (size_t pos = 0; pos < size; pos++)
		buf[pos] = unit[pos % sizeof(unit)];
	for (size_t pos = 0; pos < size; pos += 40000 + rnd(s) % 20000)
		buf[pos] ^= 0x20;
}

static uint8_t *gen(enum kind kind, uint64_t seed, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	uint64_t s = seed;
	if (buf == NULL) {
		perror("malloc");
		exit(2);
	}
	switch (kind) {
	case K_TEXT: gen_text(&s, buf, size); break;
	case K_BINARY: gen_binary(&s, buf, size); break;
	case K_RANDOM:
		for (size_t i = 0; i < size; i++)
			buf[i] = (uint8_t)(rnd(&s) >> 32);
		break;
	case K_REPEAT: gen_repeat(&s, buf, size); break;
	}
	return buf;
}

/* ---- the inputs, in sets that a setting picks from ----------------------- */

enum {
	S_EDGE = 1,   /* empty, one byte */
	S_BASIC = 2,  /* text, binary, random; a few tens of KB */
	S_CHUNK = 4,  /* random around 64 KiB: uncompressed chunk limit */
	S_BIG = 8,    /* repetitive around 2 MiB: chunk output limit */
	S_TEXT = 16,  /* 300 KB of text: several compressed chunks */
	S_BIN = 32,   /* the binary input only (BCJ filters) */
	S_SMALL = 64, /* text and binary only (slow presets) */
};

struct input {
	const char *name;
	enum kind kind;
	uint64_t seed;
	size_t size;
	unsigned sets;
};

static const struct input inputs[] = {
	{ "empty", K_TEXT, 1, 0, S_EDGE | S_BIN },
	{ "one-byte", K_RANDOM, 2, 1, S_EDGE | S_BIN },
	{ "text-20000", K_TEXT, 3, 20000, S_BASIC | S_SMALL },
	{ "binary-40000", K_BINARY, 4, 40000, S_BASIC | S_BIN | S_SMALL },
	{ "random-30000", K_RANDOM, 5, 30000, S_BASIC },
	{ "random-65535", K_RANDOM, 6, 64 * KiB - 1, S_CHUNK },
	{ "random-65536", K_RANDOM, 7, 64 * KiB, S_CHUNK },
	{ "random-65537", K_RANDOM, 8, 64 * KiB + 1, S_CHUNK },
	{ "repeat-2MiB-1", K_REPEAT, 9, 2 * MiB - 1, S_BIG },
	{ "repeat-2MiB", K_REPEAT, 10, 2 * MiB, S_BIG },
	{ "repeat-2MiB+1", K_REPEAT, 11, 2 * MiB + 1, S_BIG },
	{ "text-300000", K_TEXT, 12, 300000, S_TEXT },
	{ "binary-300000", K_BINARY, 13, 300000, S_TEXT | S_BIN },
};
#define N_INPUTS (sizeof(inputs) / sizeof(inputs[0]))

/* ---- raw filter chains: one description gives xz's options and ours ----- */

struct rawf {
	uint64_t id;     /* LZMA_FILTER_* ; LZMA_VLI_UNKNOWN ends a chain */
	uint32_t val;    /* LZMA1/2: preset level; delta: dist; BCJ: start */
	uint32_t dict;   /* LZMA1/2: dictionary size, 0 = the preset's */
	int lc, lp, pb;  /* LZMA1/2: -1 = the preset's (3, 0, 2) */
};

#define END { LZMA_VLI_UNKNOWN, 0, 0, 0, 0, 0 }
#define LZ(id, p) { id, p, 0, -1, -1, -1 }
static const struct rawf raw_l2_0[] = { LZ(LZMA_FILTER_LZMA2, 0), END };
static const struct rawf raw_l2_6[] = { LZ(LZMA_FILTER_LZMA2, 6), END };
static const struct rawf raw_l2_dict4k[] = {
	{ LZMA_FILTER_LZMA2, 6, 4096, -1, -1, -1 }, END };
static const struct rawf raw_l1_1[] = { LZ(LZMA_FILTER_LZMA1, 1), END };
static const struct rawf raw_l1_lclppb[] = {
	{ LZMA_FILTER_LZMA1, 6, 0, 0, 2, 1 }, END };
static const struct rawf raw_l1_lc4[] = {
	{ LZMA_FILTER_LZMA1, 2, 65536, 4, 0, 4 }, END };
static const struct rawf raw_x86[] = {
	{ LZMA_FILTER_X86, 0, 0, 0, 0, 0 }, LZ(LZMA_FILTER_LZMA2, 6), END };
static const struct rawf raw_arm64_start[] = {
	{ LZMA_FILTER_ARM64, 4100, 0, 0, 0, 0 }, LZ(LZMA_FILTER_LZMA2, 6), END };
static const struct rawf raw_delta3[] = {
	{ LZMA_FILTER_DELTA, 3, 0, 0, 0, 0 }, LZ(LZMA_FILTER_LZMA2, 1), END };
static const struct rawf raw_three[] = {
	{ LZMA_FILTER_DELTA, 1, 0, 0, 0, 0 }, { LZMA_FILTER_POWERPC, 0, 0, 0, 0, 0 },
	LZ(LZMA_FILTER_LZMA1, 3), END };

static const struct {
	uint64_t id;
	const char *opt;
} filter_names[] = {
	{ LZMA_FILTER_LZMA1, "lzma1" }, { LZMA_FILTER_LZMA2, "lzma2" },
	{ LZMA_FILTER_DELTA, "delta" }, { LZMA_FILTER_X86, "x86" },
	{ LZMA_FILTER_POWERPC, "powerpc" }, { LZMA_FILTER_IA64, "ia64" },
	{ LZMA_FILTER_ARM, "arm" }, { LZMA_FILTER_ARMTHUMB, "armthumb" },
	{ LZMA_FILTER_ARM64, "arm64" }, { LZMA_FILTER_SPARC, "sparc" },
};

static const char *filter_opt(uint64_t id)
{
	for (size_t i = 0; i < sizeof(filter_names) / sizeof(filter_names[0]); i++)
		if (filter_names[i].id == id)
			return filter_names[i].opt;
	return "?";
}

/* xz's command-line options for a raw chain, e.g. "--x86 --lzma2=preset=6". */
static void raw_args(const struct rawf *f, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (; f->id != LZMA_VLI_UNKNOWN; f++) {
		const char *name = filter_opt(f->id);
		if (f->id == LZMA_FILTER_LZMA1 || f->id == LZMA_FILTER_LZMA2) {
			n += (size_t)snprintf(out + n, cap - n, " --%s=preset=%u", name, f->val);
			if (f->dict != 0)
				n += (size_t)snprintf(out + n, cap - n, ",dict=%u", f->dict);
			if (f->lc >= 0)
				n += (size_t)snprintf(out + n, cap - n, ",lc=%d,lp=%d,pb=%d",
						      f->lc, f->lp, f->pb);
		} else if (f->id == LZMA_FILTER_DELTA) {
			n += (size_t)snprintf(out + n, cap - n, " --delta=dist=%u", f->val);
		} else if (f->val != 0) {
			n += (size_t)snprintf(out + n, cap - n, " --%s=start=%u", name, f->val);
		} else {
			n += (size_t)snprintf(out + n, cap - n, " --%s", name);
		}
	}
}

/* The decoder's side of a raw chain. The LZMA decoder needs only the
 * dictionary size and lc/lp/pb; the preset dictionary sizes are xz's
 * (-0: 256 KiB, -1: 1 MiB, -2: 2 MiB, -3/-4: 4 MiB, -5/-6: 8 MiB, -7: 16,
 * -8: 32, -9: 64 MiB). Options live in the caller's arrays. */
struct raw_opts {
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	lzma_options_lzma lzma[LZMA_FILTERS_MAX];
	lzma_options_delta delta[LZMA_FILTERS_MAX];
	lzma_options_bcj bcj[LZMA_FILTERS_MAX];
};

static void raw_filters(const struct rawf *f, struct raw_opts *o)
{
	static const uint32_t dict_mib4[10] = { 1, 4, 8, 16, 16, 32, 32, 64, 128, 256 };
	int i = 0;
	memset(o, 0, sizeof(*o));
	for (; f->id != LZMA_VLI_UNKNOWN; f++, i++) {
		o->filters[i].id = f->id;
		if (f->id == LZMA_FILTER_LZMA1 || f->id == LZMA_FILTER_LZMA2) {
			lzma_options_lzma *l = &o->lzma[i];
			l->dict_size = f->dict ? f->dict : dict_mib4[f->val] * (uint32_t)(MiB / 4);
			l->lc = f->lc >= 0 ? (uint32_t)f->lc : 3;
			l->lp = f->lp >= 0 ? (uint32_t)f->lp : 0;
			l->pb = f->pb >= 0 ? (uint32_t)f->pb : 2;
			o->filters[i].options = l;
		} else if (f->id == LZMA_FILTER_DELTA) {
			o->delta[i].type = LZMA_DELTA_TYPE_BYTE;
			o->delta[i].dist = f->val;
			o->filters[i].options = &o->delta[i];
		} else {
			o->bcj[i].start_offset = f->val;
			o->filters[i].options = &o->bcj[i];
		}
	}
	o->filters[i].id = LZMA_VLI_UNKNOWN;
}

/* ---- the compression settings ------------------------------------------- */

enum fmt { F_XZ, F_LZMA, F_LZIP, F_RAW };

struct setting {
	enum fmt fmt;
	const char *args;           /* xz or lzip arguments; NULL for raw */
	unsigned sets;              /* which inputs */
	const struct rawf *raw;     /* F_RAW: the chain */
	bool cat2;                  /* two streams (or members) back to back */
};

#define XZ(args, sets) { F_XZ, args, sets, NULL, false }
#define BCJ S_EDGE | S_BIN
static const struct setting settings[] = {
	/* Every preset; the slow ones on small inputs. */
	XZ("-0", S_EDGE | S_BASIC | S_CHUNK | S_BIG | S_TEXT),
	XZ("-1", S_BASIC), XZ("-2", S_BASIC), XZ("-3", S_BASIC), XZ("-4", S_BASIC),
	XZ("-5", S_BASIC),
	XZ("-6", S_EDGE | S_BASIC | S_CHUNK | S_BIG | S_TEXT),
	XZ("-7", S_SMALL), XZ("-8", S_SMALL), XZ("-9", S_SMALL),
	XZ("-0e", S_BASIC), XZ("-6e", S_SMALL), XZ("-9e", S_SMALL),
	/* Every BCJ filter, without and with a start offset (xz requires the
	 * offset to be a multiple of the filter's instruction alignment). */
	XZ("--x86 --lzma2", BCJ), XZ("--x86=start=12345 --lzma2", BCJ),
	XZ("--powerpc --lzma2", BCJ), XZ("--powerpc=start=4100 --lzma2", BCJ),
	XZ("--ia64 --lzma2", BCJ), XZ("--ia64=start=4112 --lzma2", BCJ),
	XZ("--arm --lzma2", BCJ), XZ("--arm=start=4100 --lzma2", BCJ),
	XZ("--armthumb --lzma2", BCJ), XZ("--armthumb=start=4098 --lzma2", BCJ),
	XZ("--arm64 --lzma2", BCJ), XZ("--arm64=start=4100 --lzma2", BCJ),
	XZ("--sparc --lzma2", BCJ), XZ("--sparc=start=4100 --lzma2", BCJ),
	/* Delta, and chains of two and three filters before LZMA2. */
	XZ("--delta=dist=1 --lzma2", S_EDGE | S_BASIC),
	XZ("--delta=dist=2 --lzma2", S_BASIC), XZ("--delta=dist=4 --lzma2", S_BASIC),
	XZ("--delta=dist=7 --lzma2", S_BASIC), XZ("--delta=dist=256 --lzma2", S_BASIC),
	XZ("--delta=dist=4 --x86 --lzma2", S_BASIC),
	XZ("--x86 --delta=dist=2 --lzma2=preset=1", S_BIN),
	XZ("--arm64=start=4096 --delta=dist=4 --lzma2", S_BIN),
	XZ("--delta=dist=1 --x86 --arm --lzma2", S_BIN),
	/* LZMA2 options: the smallest dictionary (the window wraps), odd
	 * literal context, match finders. */
	XZ("--lzma2=dict=4KiB", S_BASIC | S_BIG | S_TEXT),
	XZ("--lzma2=preset=6,lc=0,lp=4,pb=0", S_BASIC),
	XZ("--lzma2=preset=6,lc=4,lp=0,pb=4", S_BASIC | S_TEXT),
	XZ("--lzma2=mode=fast,mf=hc4,dict=64KiB", S_BASIC | S_TEXT),
	XZ("--lzma2=mf=bt2,nice=273,dict=1MiB", S_BASIC),
	/* Every check. */
	XZ("-1 --check=none", S_EDGE | S_BASIC | S_CHUNK),
	XZ("-1 --check=crc32", S_EDGE | S_BASIC | S_CHUNK),
	XZ("-1 --check=crc64", S_EDGE | S_BASIC | S_CHUNK),
	XZ("-1 --check=sha256", S_EDGE | S_BASIC | S_CHUNK),
	/* Several blocks; block sizes in the headers (-T2). */
	XZ("-1 --block-size=10000", S_EDGE | S_BASIC | S_CHUNK | S_TEXT),
	XZ("-0 --block-size=65536", S_CHUNK | S_BIG),
	XZ("-1 --block-list=1000,5000,0", S_BASIC),
	XZ("-0 -T2", S_EDGE | S_BASIC | S_BIG),
	XZ("-6 -T2 --block-size=20000", S_BASIC | S_TEXT),
	/* Concatenated streams with stream padding between them. */
	{ F_XZ, "-1", S_EDGE | S_BASIC, NULL, true },
	{ F_XZ, "-0 --check=none", S_BASIC, NULL, true },
	/* .lzma */
	{ F_LZMA, "-0", S_EDGE | S_BASIC | S_CHUNK | S_BIG, NULL, false },
	{ F_LZMA, "-6", S_EDGE | S_BASIC | S_TEXT, NULL, false },
	{ F_LZMA, "-9", S_SMALL, NULL, false },
	{ F_LZMA, "--lzma1=preset=6,lc=0,lp=4,pb=0", S_BASIC, NULL, false },
	{ F_LZMA, "--lzma1=preset=2,lc=4,lp=0,pb=4,dict=4KiB", S_BASIC | S_TEXT, NULL, false },
	/* raw */
	{ F_RAW, NULL, S_EDGE | S_BASIC | S_CHUNK | S_BIG, raw_l2_0, false },
	{ F_RAW, NULL, S_BASIC | S_TEXT, raw_l2_6, false },
	{ F_RAW, NULL, S_BASIC | S_BIG, raw_l2_dict4k, false },
	{ F_RAW, NULL, S_EDGE | S_BASIC, raw_l1_1, false },
	{ F_RAW, NULL, S_BASIC, raw_l1_lclppb, false },
	{ F_RAW, NULL, S_BASIC | S_TEXT, raw_l1_lc4, false },
	{ F_RAW, NULL, S_BIN, raw_x86, false },
	{ F_RAW, NULL, S_BIN, raw_arm64_start, false },
	{ F_RAW, NULL, S_BASIC, raw_delta3, false },
	{ F_RAW, NULL, S_BIN, raw_three, false },
	/* .lz: several levels, the smallest dictionary, members of 100 kB. */
	{ F_LZIP, "-0", S_EDGE | S_BASIC | S_CHUNK | S_BIG, NULL, false },
	{ F_LZIP, "-6", S_BASIC | S_TEXT, NULL, false },
	{ F_LZIP, "-9", S_SMALL, NULL, false },
	{ F_LZIP, "-s 4KiB -m 16", S_BASIC | S_TEXT, NULL, false },
	{ F_LZIP, "-0 -b 100KiB", S_BIG | S_TEXT, NULL, false },
	{ F_LZIP, "-1", S_EDGE | S_BASIC, NULL, true },
};
#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]))
static const struct setting riscv = XZ("--riscv=start=4100 --lzma2", BCJ);

/* ---- decoding with a given split of the buffers ------------------------- */

enum dec {
	D_STREAM, D_AUTO, D_ALONE, D_LZIP, D_RAW, D_STREAM_BUF, D_RAW_BUF
};
static const char *const dec_names[] = {
	"stream", "auto", "alone", "lzip", "raw", "stream_buffer", "raw_buffer"
};

struct split {
	size_t in, out; /* bytes per lzma_code() call; 0 = all */
};
static const struct split splits[] = { { 0, 0 }, { 1, 1 }, { 7, 13 }, { 4093, 1021 } };
#define N_SPLITS (sizeof(splits) / sizeof(splits[0]))

static lzma_ret dec_init(lzma_stream *strm, enum dec d, uint32_t flags,
			 const lzma_filter *filters)
{
	switch (d) {
	case D_STREAM: return lzma_stream_decoder(strm, UINT64_MAX, flags);
	case D_AUTO: return lzma_auto_decoder(strm, UINT64_MAX, flags);
	case D_ALONE: return lzma_alone_decoder(strm, UINT64_MAX);
	case D_LZIP: return lzma_lzip_decoder(strm, UINT64_MAX, flags);
	case D_RAW: return lzma_raw_decoder(strm, filters);
	default: return LZMA_PROG_ERROR;
	}
}

/* Decode `in` feeding sp.in bytes and offering sp.out bytes per call,
 * appending to out. Stops with an error (instead of looping) when the
 * decoder makes no progress for 64 calls or writes more than `limit`. */
static lzma_ret dec_split(lzma_stream *strm, const uint8_t *in, size_t in_size,
			  struct split sp, size_t limit, t_buf *out)
{
	size_t out_cap = sp.out ? sp.out : limit + 1;
	uint8_t *obuf = malloc(out_cap);
	size_t in_pos = 0, stalls = 0;
	lzma_ret ret = LZMA_PROG_ERROR;
	if (obuf == NULL)
		return LZMA_MEM_ERROR;
	strm->avail_in = 0;
	while (stalls < 64 && out->size <= limit) {
		if (strm->avail_in == 0) {
			size_t n = in_size - in_pos;
			if (sp.in != 0 && n > sp.in)
				n = sp.in;
			strm->next_in = in + in_pos;
			strm->avail_in = n;
			in_pos += n;
		}
		size_t avail_in = strm->avail_in;
		strm->next_out = obuf;
		strm->avail_out = out_cap;
		ret = lzma_code(strm, in_pos == in_size ? LZMA_FINISH : LZMA_RUN);
		size_t produced = out_cap - strm->avail_out;
		t_buf_put(out, obuf, produced);
		if (ret != LZMA_OK)
			break;
		stalls = produced == 0 && avail_in == strm->avail_in ? stalls + 1 : 0;
	}
	free(obuf);
	return ret == LZMA_OK ? LZMA_PROG_ERROR : ret;
}

/* Report the first difference between the decoded and the expected bytes. */
static void compare(const t_buf *got, const uint8_t *want, size_t want_size)
{
	size_t n = got->size < want_size ? got->size : want_size;
	size_t i = 0;
	while (i < n && got->data[i] == want[i])
		i++;
	if (i < n)
		t_fail(__FILE__, __LINE__, "first difference at byte %zu of %zu", i, want_size);
	else if (got->size != want_size)
		t_fail(__FILE__, __LINE__, "decoded %zu bytes, expected %zu", got->size, want_size);
}

/* One matrix cell: decoder d with split sp on one compressed stream. */
static void cell(const char *label, enum dec d, uint32_t flags, const lzma_filter *filters,
		 struct split sp, const t_buf *comp, const uint8_t *want, size_t want_size)
{
	t_buf got = { 0 };
	if (d == D_STREAM_BUF || d == D_RAW_BUF) {
		t_begin("%s | %s", label, dec_names[d]);
		size_t in_pos = 0, out_pos = 0;
		uint64_t memlimit = UINT64_MAX;
		uint8_t *obuf = malloc(want_size + 1);
		lzma_ret ret = d == D_STREAM_BUF
			? lzma_stream_buffer_decode(&memlimit, flags, NULL, comp->data, &in_pos,
						    comp->size, obuf, &out_pos, want_size + 1)
			: lzma_raw_buffer_decode(filters, NULL, comp->data, &in_pos, comp->size,
						 obuf, &out_pos, want_size + 1);
		CHECK_RET(ret, LZMA_OK);
		CHECK_EQ(in_pos, comp->size);
		t_buf_put(&got, obuf, out_pos);
		free(obuf);
	} else {
		lzma_stream strm = LZMA_STREAM_INIT;
		t_begin("%s | %s | in %zu out %zu", label, dec_names[d], sp.in, sp.out);
		CHECK_RET(dec_init(&strm, d, flags, filters), LZMA_OK);
		lzma_ret ret = dec_split(&strm, comp->data, comp->size, sp, want_size, &got);
		CHECK_RET(ret, LZMA_STREAM_END);
		/* Every decoder here ends exactly at the end of the input. */
		CHECK_EQ(strm.total_in, comp->size);
		CHECK_EQ(strm.total_out, got.size);
		lzma_end(&strm);
	}
	compare(&got, want, want_size);
	t_buf_free(&got);
}

/* Run the tool on the input; false (and a FAIL line) if it fails. */
static bool compress(const char *label, const char *cmd, const uint8_t *in, size_t size,
		     t_buf *out)
{
	int st = t_run(cmd, in, size, out);
	if (st != 0) {
		t_begin("%s | compress", label);
		t_fail(__FILE__, __LINE__, "`%s` exited with %d", cmd, st);
		return false;
	}
	return true;
}

static void run_setting(const struct setting *st, const struct input *inp, bool have_lzip)
{
	static const char *const fmt_opt[] = { "", "--format=lzma ", "", "--format=raw " };
	char args[512], cmd[768], label[768];
	uint8_t *data = gen(inp->kind, inp->seed, inp->size);
	t_buf comp = { 0 }, want = { 0 };
	struct raw_opts ro;

	if (st->fmt == F_RAW) {
		raw_args(st->raw, args, sizeof(args));
		raw_filters(st->raw, &ro);
	} else {
		snprintf(args, sizeof(args), " %s", st->args);
	}
	const char *tool = st->fmt == F_LZIP ? "lzip" : "xz";
	snprintf(cmd, sizeof(cmd), "%s -c -q %s%s", st->fmt == F_LZIP ? "lzip" : "/usr/bin/xz",
		 fmt_opt[st->fmt], args + 1);
	snprintf(label, sizeof(label), "%s %s%s%s | %s", tool, fmt_opt[st->fmt], args + 1,
		 st->cat2 ? " (x2)" : "", inp->name);
	if (st->fmt == F_LZIP && !have_lzip) {
		t_begin("%s", label);
		t_skip("lzip is not installed");
		goto out;
	}
	if (!compress(label, cmd, data, inp->size, &comp))
		goto out;
	t_buf_put(&want, data, inp->size);
	if (st->cat2) {
		/* xz-file-format.txt 2.2: Stream Padding is a multiple of four
		 * null bytes; lzip members simply follow each other. */
		if (st->fmt == F_XZ)
			t_buf_put(&comp, "\0\0\0\0\0\0\0\0", 8);
		if (!compress(label, cmd, data, inp->size, &comp))
			goto out;
		t_buf_put(&want, data, inp->size);
	}
	uint32_t flags = st->cat2 ? LZMA_CONCATENATED : 0;
	for (size_t s = 0; s < N_SPLITS; s++) {
		switch (st->fmt) {
		case F_XZ:
			cell(label, D_STREAM, flags, NULL, splits[s], &comp, want.data, want.size);
			break;
		case F_LZMA:
			cell(label, D_ALONE, 0, NULL, splits[s], &comp, want.data, want.size);
			break;
		case F_LZIP:
			cell(label, D_LZIP, LZMA_CONCATENATED, NULL, splits[s], &comp, want.data,
			     want.size);
			break;
		case F_RAW:
			cell(label, D_RAW, 0, ro.filters, splits[s], &comp, want.data, want.size);
			break;
		}
		if (st->fmt != F_RAW)
			cell(label, D_AUTO, LZMA_CONCATENATED, NULL, splits[s], &comp, want.data,
			     want.size);
	}
	if (st->fmt == F_XZ)
		cell(label, D_STREAM_BUF, flags, NULL, splits[0], &comp, want.data, want.size);
	if (st->fmt == F_RAW)
		cell(label, D_RAW_BUF, 0, ro.filters, splits[0], &comp, want.data, want.size);
out:
	t_buf_free(&comp);
	t_buf_free(&want);
	free(data);
}

/* >4 GiB of zeros through `xz -0 -T2`, decoded while counting: the
 * uncompressed size passes 2^32 (32-bit counters would wrap). */
static void big_stream(void)
{
	static const char cmd[] = "head -c 4300000000 /dev/zero | /usr/bin/xz -0 -T2 -c";
	static uint8_t in[65536], out[65536], zero[65536];
	lzma_stream strm = LZMA_STREAM_INIT;
	uint64_t total = 0;
	bool nonzero = false, eof = false;
	lzma_ret ret = LZMA_OK;

	t_begin("xz -0 -T2 | zeros-4300000000 | stream | counted");
	if (getenv("CLEARXZ_SLOW") != NULL && strcmp(getenv("CLEARXZ_SLOW"), "0") == 0) {
		t_skip("CLEARXZ_SLOW=0");
		return;
	}
	FILE *p = popen(cmd, "r");
	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_RET(lzma_stream_decoder(&strm, UINT64_MAX, 0), LZMA_OK);
	while (ret == LZMA_OK) {
		if (strm.avail_in == 0 && !eof) {
			strm.next_in = in;
			strm.avail_in = fread(in, 1, sizeof(in), p);
			eof = strm.avail_in == 0;
		}
		strm.next_out = out;
		strm.avail_out = sizeof(out);
		ret = lzma_code(&strm, eof ? LZMA_FINISH : LZMA_RUN);
		size_t n = sizeof(out) - strm.avail_out;
		nonzero |= memcmp(out, zero, n) != 0;
		total += n;
	}
	CHECK_RET(ret, LZMA_STREAM_END);
	CHECK_EQ(total, UINT64_C(4300000000));
	CHECK(!nonzero);
	CHECK_EQ(strm.total_out, UINT64_C(4300000000));
	lzma_end(&strm);
	CHECK_EQ(pclose(p), 0);
}

int main(void)
{
	bool have_lzip = system("command -v lzip > /dev/null 2>&1") == 0;
	size_t cells = 0;
	for (size_t s = 0; s < N_SETTINGS; s++)
		for (size_t i = 0; i < N_INPUTS; i++)
			if (settings[s].sets & inputs[i].sets) {
				run_setting(&settings[s], &inputs[i], have_lzip);
				cells++;
			}
	/* RISC-V BCJ arrived in xz 5.6; the system xz may not know it. */
	if (system("/usr/bin/xz -c --riscv --lzma2 < /dev/null > /dev/null 2>&1") == 0) {
		for (size_t i = 0; i < N_INPUTS; i++)
			if (riscv.sets & inputs[i].sets) {
				run_setting(&riscv, &inputs[i], have_lzip);
				cells++;
			}
	} else {
		t_begin("xz --riscv --lzma2");
		t_skip("/usr/bin/xz has no --riscv");
	}
	big_stream();
	printf("# interop: %zu (setting, input) pairs\n", cells);
	return t_done();
}
