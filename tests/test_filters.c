/*
 * test_filters.c -- delta and the BCJ filters (lib/filters/).
 *
 * The oracle is the system liblzma (loaded with dlopen so its symbols never
 * meet ours): lzma_raw_buffer_encode() with the chain [filter, LZMA2], then
 * lzma_raw_buffer_decode() of that with [LZMA2] alone, gives exactly the
 * bytes the filter's encoder produced. For every filter and several start
 * offsets, on seeded data full of each architecture's branch instructions:
 *   - our encoder gives those bytes, and our decoder restores the input,
 *     with whole buffers and with 1-byte (and odd-sized) pieces;
 *   - in chains [our decoder -> a test "copy" coder] and
 *     [our encoder -> copy coder] whose copy coder moves only a few bytes
 *     per call, so the buffering of unconverted tails is exercised;
 *   - the 5.8 buffer functions lzma_bcj_{x86,arm64,riscv}_{encode,decode}.
 * The system liblzma is 5.4 on the test machine, which has no RISC-V
 * filter: RISC-V is checked against conversions derived here from the
 * RISC-V ISA definitions of JAL and AUIPC (independent of the filter code),
 * plus round trips on instruction-like and random data.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "filters/filters.h"
#include "filters/bcj_impl.h"

#if LZMA_VERSION < 50070010
size_t lzma_bcj_x86_encode(uint32_t start_offset, uint8_t *buf, size_t size);
size_t lzma_bcj_x86_decode(uint32_t start_offset, uint8_t *buf, size_t size);
size_t lzma_bcj_arm64_encode(uint32_t start_offset, uint8_t *buf, size_t size);
size_t lzma_bcj_arm64_decode(uint32_t start_offset, uint8_t *buf, size_t size);
size_t lzma_bcj_riscv_encode(uint32_t start_offset, uint8_t *buf, size_t size);
size_t lzma_bcj_riscv_decode(uint32_t start_offset, uint8_t *buf, size_t size);
#endif

/* ---- seeded data --------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return (uint32_t)(rng() % n);
}

static void put32le(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put32be(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

/* A small signed offset, as real branches mostly have. */
static uint32_t near_offset(uint32_t bits)
{
	uint32_t v = rnd(1u << bits);
	return rnd(2) ? v : 0u - v;
}

static void gen_x86(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t r = rnd(16);
		if (r < 3 && i + 5 <= n) {
			p[i] = r == 0 ? 0xE9 : 0xE8;
			put32le(p + i + 1, near_offset(rnd(2) ? 16 : 24));
			/* sometimes overlap the next candidate */
			i += rnd(3) == 0 ? rnd(4) : 4;
		} else {
			p[i] = r < 5 ? (uint8_t)(rnd(2) ? 0x00 : 0xFF) : (uint8_t)rng();
		}
	}
}

static void gen_words(uint8_t *p, size_t n, uint32_t (*word)(void), bool be)
{
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		(be ? put32be : put32le)(p + i, word());
	for (; i < n; i++)
		p[i] = (uint8_t)rng();
}

static uint32_t arm_word(void)
{
	return rnd(3) == 0 ? 0xEB000000 | (near_offset(20) & 0xFFFFFF) : (uint32_t)rng();
}

static uint32_t ppc_word(void)
{
	return rnd(3) == 0 ? 0x48000001 | (near_offset(22) & 0x03FFFFFC) : (uint32_t)rng();
}

static uint32_t sparc_word(void)
{
	switch (rnd(4)) {
	case 0: return 0x40000000 | rnd(1u << 22);
	case 1: return 0x7FC00000 | rnd(1u << 22);
	default: return (uint32_t)rng();
	}
}

static uint32_t arm64_word(void)
{
	switch (rnd(5)) {
	case 0: return 0x94000000 | (near_offset(22) & 0x03FFFFFF);
	case 1: {
		/* ADRP: immlo bits 30-29, immhi bits 23-5 */
		uint32_t imm = near_offset(rnd(2) ? 12 : 20) & 0x1FFFFF;
		return 0x90000000 | ((imm & 3) << 29) | ((imm >> 2) << 5) | rnd(32);
	}
	default: return (uint32_t)rng();
	}
}

static void gen_thumb(uint8_t *p, size_t n)
{
	size_t i = 0;
	for (; i + 4 <= n; i += 2) {
		if (rnd(3) == 0) {
			uint32_t v = near_offset(18) & 0x3FFFFF;
			p[i + 0] = (uint8_t)(v >> 11);
			p[i + 1] = (uint8_t)(0xF0 | ((v >> 19) & 7));
			p[i + 2] = (uint8_t)v;
			p[i + 3] = (uint8_t)(0xF8 | ((v >> 8) & 7));
			i += 2;
		} else {
			p[i] = (uint8_t)rng();
			p[i + 1] = (uint8_t)rng();
		}
	}
	for (; i < n; i++)
		p[i] = (uint8_t)rng();
}

static void gen_ia64(uint8_t *p, size_t n)
{
	static const uint8_t tmpl[] = { 0x10, 0x11, 0x12, 0x13, 0x16, 0x17,
					0x18, 0x19, 0x1C, 0x1D, 0x00, 0x08 };
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rng();
	for (size_t i = 0; i + 16 <= n; i += 16) {
		p[i] = (uint8_t)((p[i] & 0xE0) | tmpl[rnd(sizeof(tmpl))]);
		for (uint32_t s = 0; s < 3; s++) {
			if (rnd(2))
				continue;
			/* Make slot s look like an IP-relative branch: bits
			 * 37-40 = 5 and bits 9-11 = 0 of the 41-bit slot. */
			uint32_t base = 5 + 41 * s;
			for (uint32_t b = 9; b <= 11; b++)
				p[i + (base + b) / 8] &= (uint8_t)~(1u << ((base + b) % 8));
			for (uint32_t b = 37; b <= 40; b++) {
				uint32_t bit = (0x5u >> (b - 37)) & 1;
				uint8_t *q = &p[i + (base + b) / 8];
				*q = (uint8_t)((*q & ~(1u << ((base + b) % 8)))
					       | (bit << ((base + b) % 8)));
			}
		}
	}
}

static void gen_riscv(uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i + 8 <= n) {
		uint32_t rd = 1 + rnd(31);
		switch (rnd(8)) {
		case 0: /* JAL ra/t0 */
			put32le(p + i, 0x6F | ((rnd(2) ? 1u : 5u) << 7) | (near_offset(18) << 12));
			i += 4;
			break;
		case 1: /* AUIPC rd + I-type with rs1 = rd */
		case 2:
			put32le(p + i, 0x17 | (rd << 7) | (near_offset(12) << 12));
			put32le(p + i + 4, 0x13 | (rnd(32) << 7) | (rd << 15) | ((uint32_t)rng() << 20));
			i += 8;
			break;
		case 3: /* AUIPC x2 (the special form) and x0 */
			put32le(p + i, 0x17 | (rnd(2) ? 2u << 7 : 0) | ((uint32_t)rng() & 0xFFFFF000));
			i += 4;
			break;
		case 4: /* 16-bit compressed */
			p[i] = (uint8_t)rng();
			p[i + 1] = (uint8_t)rng();
			i += 2;
			break;
		default:
			put32le(p + i, (uint32_t)rng() | 3);
			i += 4;
			break;
		}
	}
	for (; i < n; i++)
		p[i] = (uint8_t)rng();
}

static void gen_for(lzma_vli id, uint8_t *p, size_t n)
{
	switch (id) {
	case LZMA_FILTER_X86: gen_x86(p, n); break;
	case LZMA_FILTER_POWERPC: gen_words(p, n, ppc_word, true); break;
	case LZMA_FILTER_IA64: gen_ia64(p, n); break;
	case LZMA_FILTER_ARM: gen_words(p, n, arm_word, false); break;
	case LZMA_FILTER_ARMTHUMB: gen_thumb(p, n); break;
	case LZMA_FILTER_SPARC: gen_words(p, n, sparc_word, true); break;
	case LZMA_FILTER_ARM64: gen_words(p, n, arm64_word, false); break;
	case LZMA_FILTER_RISCV: gen_riscv(p, n); break;
	default: /* delta: smooth samples */
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)(i * 3 + rnd(5));
		break;
	}
}

/* ---- the system liblzma as oracle ----------------------------------------- */

typedef lzma_ret (*raw_enc_fn)(const lzma_filter *, const lzma_allocator *,
			       const uint8_t *, size_t, uint8_t *, size_t *, size_t);
typedef lzma_ret (*raw_dec_fn)(const lzma_filter *, const lzma_allocator *,
			       const uint8_t *, size_t *, size_t, uint8_t *,
			       size_t *, size_t);
typedef lzma_bool (*preset_fn)(lzma_options_lzma *, uint32_t);

static struct {
	void *handle;
	raw_enc_fn enc;
	raw_dec_fn dec;
	preset_fn preset;
} sys;

static bool sys_open(void)
{
	sys.handle = dlopen("liblzma.so.5", RTLD_NOW | RTLD_LOCAL);
	if (sys.handle == NULL)
		return false;
	sys.enc = (raw_enc_fn)dlsym(sys.handle, "lzma_raw_buffer_encode");
	sys.dec = (raw_dec_fn)dlsym(sys.handle, "lzma_raw_buffer_decode");
	sys.preset = (preset_fn)dlsym(sys.handle, "lzma_lzma_preset");
	return sys.enc != NULL && sys.dec != NULL && sys.preset != NULL;
}

/* The system filter's encoding of in[] into out[] (same size); returns the
 * liblzma status (LZMA_OPTIONS_ERROR when it does not know the filter). */
static lzma_ret sys_filter(lzma_vli id, void *opt, const uint8_t *in, size_t n,
			   uint8_t *out)
{
	lzma_options_lzma lz;
	sys.preset(&lz, 0);
	lzma_filter chain[3] = { { id, opt }, { LZMA_FILTER_LZMA2, &lz },
				 { LZMA_VLI_UNKNOWN, NULL } };
	size_t cap = n + n / 2 + 4096, comp_size = 0;
	uint8_t *comp = malloc(cap);
	lzma_ret ret = sys.enc(chain, NULL, in, n, comp, &comp_size, cap);
	if (ret == LZMA_OK) {
		size_t in_pos = 0, out_pos = 0;
		ret = sys.dec(chain + 1, NULL, comp, &in_pos, comp_size, out, &out_pos, n);
		if (ret == LZMA_OK && out_pos != n)
			ret = LZMA_DATA_ERROR;
	}
	free(comp);
	return ret;
}

/* ---- driving our coders --------------------------------------------------- */

/* A stand-in for the next coder of a chain: copies at most `step` bytes per
 * call (0 = unlimited) and ends at LZMA_FINISH once the input is used up. */
typedef struct {
	size_t step;
} copy_state;

static lzma_ret copy_code(void *state, const lzma_allocator *a,
			  const uint8_t *in, size_t *in_pos, size_t in_size,
			  uint8_t *out, size_t *out_pos, size_t out_size,
			  lzma_action action)
{
	copy_state *c = state;
	(void)a;
	size_t lim = in_size;
	if (c->step != 0 && in_size - *in_pos > c->step)
		lim = *in_pos + c->step;
	xzc_bufcpy(in, in_pos, lim, out, out_pos, out_size);
	return action != LZMA_RUN && *in_pos == in_size ? LZMA_STREAM_END : LZMA_OK;
}

static void copy_end(void *state, const lzma_allocator *a)
{
	xzc_free(a, state);
}

static xzc_coder make_copy(size_t step)
{
	xzc_coder c = XZC_CODER_INIT;
	copy_state *s = xzc_alloc(NULL, sizeof(*s));
	s->step = step;
	c.state = s;
	c.code = copy_code;
	c.end = copy_end;
	return c;
}

/* Run coder c over in[] with pieces of at most in_chunk / out_chunk bytes
 * (0 = all); LZMA_RUN until all input is offered, then LZMA_FINISH until
 * LZMA_STREAM_END. Returns the final status; LZMA_BUF_ERROR if it stalls. */
static lzma_ret drive(xzc_coder *c, const uint8_t *in, size_t n, size_t in_chunk,
		      size_t out_chunk, t_buf *out)
{
	uint8_t tmp[1 << 16];
	size_t in_pos = 0;
	int stalls = 0;
	if (in_chunk == 0)
		in_chunk = SIZE_MAX;
	if (out_chunk == 0 || out_chunk > sizeof(tmp))
		out_chunk = sizeof(tmp);
	for (;;) {
		size_t lim = n - in_pos > in_chunk ? in_pos + in_chunk : n;
		lzma_action act = lim == n ? LZMA_FINISH : LZMA_RUN;
		size_t out_pos = 0, before = in_pos;
		lzma_ret ret = c->code(c->state, NULL, in, &in_pos, lim, tmp, &out_pos,
				       out_chunk, act);
		t_buf_put(out, tmp, out_pos);
		if (ret != LZMA_OK)
			return ret;
		stalls = in_pos == before && out_pos == 0 ? stalls + 1 : 0;
		if (stalls > 3)
			return LZMA_BUF_ERROR;
	}
}

typedef lzma_ret (*init_fn)(xzc_coder *, lzma_vli, void *, xzc_coder *);

static lzma_ret bcj_enc(xzc_coder *c, lzma_vli id, void *opt, xzc_coder *next)
{
	return id == LZMA_FILTER_DELTA ? xzc_delta_encoder_init(c, NULL, opt, next)
				       : xzc_bcj_encoder_init(c, NULL, id, opt, next);
}

static lzma_ret bcj_dec(xzc_coder *c, lzma_vli id, void *opt, xzc_coder *next)
{
	return id == LZMA_FILTER_DELTA ? xzc_delta_decoder_init(c, NULL, opt, next)
				       : xzc_bcj_decoder_init(c, NULL, id, opt, next);
}

/* One run: init (with a copy coder as next when copy_step != SIZE_MAX),
 * drive, compare with want. */
static void run_one(init_fn init, lzma_vli id, void *opt, size_t copy_step,
		    const uint8_t *in, size_t n, size_t in_chunk, size_t out_chunk,
		    const uint8_t *want, const char *what)
{
	xzc_coder c = XZC_CODER_INIT, next = XZC_CODER_INIT;
	if (copy_step != SIZE_MAX)
		next = make_copy(copy_step);
	lzma_ret ret = init(&c, id, opt, &next);
	if (ret != LZMA_OK) {
		t_fail(__FILE__, __LINE__, "%s: init returned %d", what, (int)ret);
		xzc_coder_end(&next, NULL);
		return;
	}
	CHECK(next.code == NULL);       /* moved into the filter */
	t_buf out = { 0 };
	ret = drive(&c, in, n, in_chunk, out_chunk, &out);
	if (ret != LZMA_STREAM_END)
		t_fail(__FILE__, __LINE__, "%s: status %d (in %zu/out %zu pieces)",
		       what, (int)ret, in_chunk, out_chunk);
	else if (out.size != n || (n > 0 && memcmp(out.data, want, n) != 0))
		t_fail(__FILE__, __LINE__, "%s: wrong bytes (in %zu/out %zu pieces, size %zu)",
		       what, in_chunk, out_chunk, out.size);
	t_buf_free(&out);
	xzc_coder_end(&c, NULL);
}

/* Encoder and decoder of one filter, against the expected encoding. */
static void check_both_ways(lzma_vli id, void *opt, const uint8_t *data,
			    const uint8_t *enc, size_t n, bool quick)
{
	static const size_t pieces[][2] = {
		{ 0, 0 }, { 1, 1 }, { 1, 0 }, { 0, 1 }, { 7, 3 }, { 3, 7 },
		{ 4096, 13 }, { 13, 4096 }, { 5000, 0 },
	};
	size_t count = quick ? 3 : ARRAY_SIZE(pieces);
	for (size_t k = 0; k < count; k++) {
		size_t ic = pieces[k][0], oc = pieces[k][1];
		run_one(bcj_enc, id, opt, SIZE_MAX, data, n, ic, oc, enc, "encoder");
		run_one(bcj_dec, id, opt, SIZE_MAX, enc, n, ic, oc, data, "decoder");
	}
	/* In chains, with a next coder that moves 1, 3 or unlimited bytes. */
	static const size_t steps[] = { 1, 3, 0 };
	for (size_t k = 0; k < ARRAY_SIZE(steps); k++) {
		run_one(bcj_dec, id, opt, steps[k], enc, n, 1, 1, data, "decoder chain 1/1");
		run_one(bcj_dec, id, opt, steps[k], enc, n, 0, 5, data, "decoder chain");
		run_one(bcj_enc, id, opt, steps[k], data, n, 1, 1, enc, "encoder chain 1/1");
		run_one(bcj_enc, id, opt, steps[k], data, n, 0, 0, enc, "encoder chain");
	}
}

static const struct {
	lzma_vli id;
	const char *name;
	uint32_t align;
} bcjs[] = {
	{ LZMA_FILTER_X86, "x86", 1 },
	{ LZMA_FILTER_POWERPC, "powerpc", 4 },
	{ LZMA_FILTER_IA64, "ia64", 16 },
	{ LZMA_FILTER_ARM, "arm", 4 },
	{ LZMA_FILTER_ARMTHUMB, "armthumb", 2 },
	{ LZMA_FILTER_SPARC, "sparc", 4 },
	{ LZMA_FILTER_ARM64, "arm64", 4 },
	{ LZMA_FILTER_RISCV, "riscv", 2 },
};

/* Sizes: the tails (0..40) and one large buffer. */
static void test_bcj_against_system(size_t f)
{
	enum { BIG = 70000 };
	uint8_t *data = malloc(BIG), *enc = malloc(BIG);
	const uint32_t starts[] = { 0, 16, 4096, 0xFFFFFFF0u, 0x7FFFFFF0u };
	for (size_t s = 0; s < ARRAY_SIZE(starts); s++) {
		t_begin("%s start %#x: same bytes as liblzma, streaming and chains",
			bcjs[f].name, starts[s]);
		lzma_options_bcj opt = { .start_offset = starts[s] };
		for (size_t n = 0; n <= 40 || n == BIG; n = n < 40 ? n + 1 : n == 40 ? BIG : BIG + 1) {
			rng_state = bcjs[f].id * 1000 + n + s;
			gen_for(bcjs[f].id, data, n);
			if (sys_filter(bcjs[f].id, &opt, data, n, enc) != LZMA_OK) {
				t_fail(__FILE__, __LINE__, "system liblzma failed (size %zu)", n);
				break;
			}
			check_both_ways(bcjs[f].id, &opt, data, enc, n, n != BIG);
			if (n == BIG)
				break;
		}
	}
	free(data);
	free(enc);
}

static void test_delta_against_system(void)
{
	enum { BIG = 50000 };
	uint8_t *data = malloc(BIG), *enc = malloc(BIG);
	const uint32_t dists[] = { 1, 2, 3, 4, 7, 16, 100, 255, 256 };
	for (size_t k = 0; k < ARRAY_SIZE(dists); k++) {
		t_begin("delta dist %u: same bytes as liblzma, streaming and chains", dists[k]);
		lzma_options_delta opt = { .type = LZMA_DELTA_TYPE_BYTE, .dist = dists[k] };
		size_t sizes[] = { 0, 1, 5, 300, BIG };
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			rng_state = 77 + i + k;
			gen_for(LZMA_FILTER_DELTA, data, sizes[i]);
			if (sys_filter(LZMA_FILTER_DELTA, &opt, data, sizes[i], enc) != LZMA_OK) {
				t_fail(__FILE__, __LINE__, "system liblzma failed");
				break;
			}
			check_both_ways(LZMA_FILTER_DELTA, &opt, data, enc, sizes[i],
					sizes[i] != BIG);
		}
	}
	free(data);
	free(enc);
}

/* ---- RISC-V without an oracle library -------------------------------------- */

/* J-type immediate as the ISA defines it: inst[31] = imm[20],
 * inst[30:21] = imm[10:1], inst[20] = imm[11], inst[19:12] = imm[19:12]. */
static uint32_t jal(uint32_t rd, uint32_t imm)
{
	return 0x6F | (rd << 7) | (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3FF) << 21)
	       | (((imm >> 11) & 1) << 20) | (((imm >> 12) & 0xFF) << 12);
}

static void test_riscv_known(void)
{
	uint8_t buf[16], want[16];
	t_begin("riscv: JAL and AUIPC pairs as the ISA defines them");
	/* JAL ra, -0x1234 at position 0x100 + start 0x10000: the target
	 * 0x10100 - 0x1234 is stored as bits 20-17 in byte 1's high nibble,
	 * bits 16-9 in byte 2, bits 8-1 in byte 3. */
	uint32_t pc = 0x10100, off = 0u - 0x1234u, target = pc + off;
	memset(buf, 0, sizeof(buf));
	put32le(buf, jal(1, off));
	memcpy(want, buf, sizeof(buf));
	want[1] = (uint8_t)((want[1] & 0x0F) | ((target >> 13) & 0xF0));
	want[2] = (uint8_t)(target >> 9);
	want[3] = (uint8_t)(target >> 1);
	/* At most 7 bytes are left at the end; the zeros here are not
	 * instructions, so the scan stops at 10. */
	CHECK_EQ(lzma_bcj_riscv_encode(pc, buf, 16), 10);
	CHECK(memcmp(buf, want, 16) == 0);
	CHECK_EQ(lzma_bcj_riscv_decode(pc, buf, 16), 10);
	CHECK_EQ(read32le(buf), jal(1, off));
	/* JAL x3 is not a call: unchanged. */
	put32le(buf, jal(3, off));
	lzma_bcj_riscv_encode(pc, buf, 16);
	CHECK_EQ(read32le(buf), jal(3, off));

	/* AUIPC a0, 0x12345 ; ADDI a1, a0, -42 at pc: the address is
	 * pc + 0x12345000 - 42; word 1 becomes AUIPC x2 carrying ADDI's low
	 * 20 bits, word 2 the address big-endian. */
	uint32_t auipc = 0x17 | (10u << 7) | (0x12345u << 12);
	uint32_t addi = 0x13 | (11u << 7) | (10u << 15) | ((0u - 42u) << 20);
	memset(buf, 0, sizeof(buf));
	put32le(buf, auipc);
	put32le(buf + 4, addi);
	CHECK_EQ(lzma_bcj_riscv_encode(pc, buf, 16), 10);
	CHECK_EQ(read32le(buf), 0x17 | (2u << 7) | (addi << 12));
	CHECK_EQ(read32be(buf + 4), pc + 0x12345000u - 42u);
	lzma_bcj_riscv_decode(pc, buf, 16);
	CHECK_EQ(read32le(buf), auipc);
	CHECK_EQ(read32le(buf + 4), addi);
	/* Fewer than 8 bytes: nothing processed. */
	CHECK_EQ(lzma_bcj_riscv_encode(0, buf, 7), 0);
}

static void test_riscv_roundtrip(void)
{
	enum { BIG = 60000 };
	uint8_t *data = malloc(BIG), *enc = malloc(BIG), *back = malloc(BIG);
	const uint32_t starts[] = { 0, 2, 4096, 0xFFFFFFF0u };
	for (size_t s = 0; s < ARRAY_SIZE(starts); s++) {
		t_begin("riscv start %#x: round trips, streaming and chains", starts[s]);
		lzma_options_bcj opt = { .start_offset = starts[s] };
		for (int kind = 0; kind < 2; kind++) {
			rng_state = 4242 + s + (uint64_t)kind;
			if (kind == 0)
				gen_riscv(data, BIG);
			else
				for (size_t i = 0; i < BIG; i++)
					data[i] = (uint8_t)rng();
			memcpy(enc, data, BIG);
			size_t done = lzma_bcj_riscv_encode(starts[s], enc, BIG);
			CHECK(done <= BIG && BIG - done <= 7);
			CHECK(kind == 1 || memcmp(enc, data, BIG) != 0);
			memcpy(back, enc, BIG);
			lzma_bcj_riscv_decode(starts[s], back, BIG);
			CHECK(memcmp(back, data, BIG) == 0);
			check_both_ways(LZMA_FILTER_RISCV, &opt, data, enc, BIG, false);
		}
	}
	free(data);
	free(enc);
	free(back);
}

/* ---- the 5.8 buffer functions --------------------------------------------- */

static void test_buffer_api(void)
{
	enum { N = 20000 };
	uint8_t *data = malloc(N), *enc = malloc(N), *mine = malloc(N);
	t_begin("lzma_bcj_x86/arm64 buffer functions equal liblzma's filter");
	for (int arch = 0; arch < 2; arch++) {
		lzma_vli id = arch == 0 ? LZMA_FILTER_X86 : LZMA_FILTER_ARM64;
		uint32_t start = arch == 0 ? 12345 : 4096 * 3;
		lzma_options_bcj opt = { .start_offset = start };
		rng_state = 99 + (uint64_t)arch;
		gen_for(id, data, N);
		CHECK_EQ(sys_filter(id, &opt, data, N, enc), LZMA_OK);
		memcpy(mine, data, N);
		size_t done = arch == 0 ? lzma_bcj_x86_encode(start, mine, N)
					: lzma_bcj_arm64_encode(start + 1, mine, N);
		CHECK(N - done <= (arch == 0 ? 4u : 3u));
		CHECK(memcmp(mine, enc, N) == 0);
		done = arch == 0 ? lzma_bcj_x86_decode(start, mine, N)
				 : lzma_bcj_arm64_decode(start + 3, mine, N);
		CHECK(N - done <= (arch == 0 ? 4u : 3u));
		CHECK(memcmp(mine, data, N) == 0);
	}
	CHECK_EQ(lzma_bcj_x86_encode(0, NULL, 0), 0);
	CHECK_EQ(lzma_bcj_x86_encode(0, data, 4), 0);
	free(data);
	free(enc);
	free(mine);
}

/* ---- options and actions --------------------------------------------------- */

static void test_options(void)
{
	xzc_coder c = XZC_CODER_INIT, next = make_copy(0);
	t_begin("options: alignment, distance, unknown IDs, sync flush");
	for (size_t f = 0; f < ARRAY_SIZE(bcjs); f++) {
		for (uint32_t s = 1; s < 16; s++) {
			lzma_options_bcj opt = { .start_offset = s };
			lzma_ret want = s % bcjs[f].align == 0 ? LZMA_OK : LZMA_OPTIONS_ERROR;
			lzma_ret ret = xzc_bcj_decoder_init(&c, NULL, bcjs[f].id, &opt, NULL);
			CHECK_EQ(ret, want);
			if (ret == LZMA_OK)
				xzc_coder_end(&c, NULL);
		}
		CHECK(xzc_bcj_function(bcjs[f].id) != NULL);
	}
	CHECK(xzc_bcj_function(LZMA_FILTER_LZMA2) == NULL);
	CHECK(xzc_bcj_function(LZMA_FILTER_DELTA) == NULL);
	/* A failed init leaves next with the caller. */
	lzma_options_bcj bad = { .start_offset = 2 };
	CHECK_EQ(xzc_bcj_encoder_init(&c, NULL, LZMA_FILTER_ARM, &bad, &next), LZMA_OPTIONS_ERROR);
	CHECK(next.code != NULL);
	CHECK_EQ(xzc_bcj_encoder_init(&c, NULL, LZMA_FILTER_LZMA2, NULL, &next), LZMA_OPTIONS_ERROR);
	CHECK(next.code != NULL);
	lzma_options_delta d0 = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 0 };
	lzma_options_delta d257 = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 257 };
	CHECK_EQ(xzc_delta_encoder_init(&c, NULL, &d0, &next), LZMA_OPTIONS_ERROR);
	CHECK_EQ(xzc_delta_decoder_init(&c, NULL, &d257, &next), LZMA_OPTIONS_ERROR);
	CHECK_EQ(xzc_delta_decoder_init(&c, NULL, NULL, &next), LZMA_OPTIONS_ERROR);
	CHECK(next.code != NULL);

	/* NULL options = start offset 0. */
	CHECK_EQ(xzc_bcj_encoder_init(&c, NULL, LZMA_FILTER_X86, NULL, &next), LZMA_OK);
	CHECK(next.code == NULL);
	/* BCJ encoders refuse LZMA_SYNC_FLUSH, as liblzma's do. */
	uint8_t in[8] = { 0 }, out[8];
	size_t ip = 0, op = 0;
	CHECK_EQ(c.code(c.state, NULL, in, &ip, 8, out, &op, 8, LZMA_SYNC_FLUSH),
		 LZMA_OPTIONS_ERROR);
	xzc_coder_end(&c, NULL);

	/* Delta passes LZMA_SYNC_FLUSH on; everything comes out. */
	lzma_options_delta d1 = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 1 };
	next = make_copy(0);
	CHECK_EQ(xzc_delta_encoder_init(&c, NULL, &d1, &next), LZMA_OK);
	const uint8_t five[5] = { 1, 2, 4, 7, 11 };
	ip = op = 0;
	CHECK_EQ(c.code(c.state, NULL, five, &ip, 5, out, &op, 8, LZMA_SYNC_FLUSH),
		 LZMA_STREAM_END);
	CHECK_EQ(op, 5);
	CHECK(out[0] == 1 && out[1] == 1 && out[2] == 2 && out[3] == 3 && out[4] == 4);
	xzc_coder_end(&c, NULL);

	CHECK(xzc_bcj_memusage() > 0 && xzc_bcj_memusage() < 65536);
	CHECK(xzc_delta_memusage() > 256 && xzc_delta_memusage() < 65536);
}

/* Decode random data with every filter: no crash, sizes kept, and encoding
 * the result gives the data back where the filter is a bijection on it. */
static void test_random_data(void)
{
	enum { N = 30000 };
	uint8_t *data = malloc(N);
	t_begin("random data through every decoder in 1-byte pieces");
	for (size_t f = 0; f < ARRAY_SIZE(bcjs); f++) {
		rng_state = 555 + f;
		for (size_t i = 0; i < N; i++)
			data[i] = (uint8_t)rng();
		xzc_coder c = XZC_CODER_INIT, next = make_copy(2);
		CHECK_EQ(xzc_bcj_decoder_init(&c, NULL, bcjs[f].id, NULL, &next), LZMA_OK);
		t_buf out = { 0 };
		CHECK_EQ(drive(&c, data, N, 1, 1, &out), LZMA_STREAM_END);
		CHECK_EQ(out.size, N);
		t_buf_free(&out);
		xzc_coder_end(&c, NULL);
	}
	free(data);
}

int main(void)
{
	if (!sys_open()) {
		t_begin("filters against the system liblzma");
		t_skip("system liblzma.so.5 not found");
	} else {
		for (size_t f = 0; f < ARRAY_SIZE(bcjs); f++) {
			if (bcjs[f].id == LZMA_FILTER_RISCV) {
				uint8_t probe[8] = { 0 }, out[8];
				lzma_options_bcj o = { 0 };
				if (sys_filter(LZMA_FILTER_RISCV, &o, probe, 8, out) != LZMA_OK)
					continue;       /* liblzma < 5.6 */
			}
			test_bcj_against_system(f);
		}
		test_delta_against_system();
		test_buffer_api();
	}
	test_riscv_known();
	test_riscv_roundtrip();
	test_options();
	test_random_data();
	return t_done();
}
