/*
 * test_lzma_enc.c -- the LZMA1 and LZMA2 encoders (lib/lzma/lzma_enc.h).
 *
 * Data from the seeded generators (tests/gen.h) is encoded with every
 * preset, every match finder and both modes; the raw output is decoded by
 * the system xz (the oracle: /usr/bin/xz --format=raw) and compared with
 * the input. The same input coded with 1-byte input and output buffers
 * must give the same bytes as one call; flushes must make all input so far
 * decodable.
 *
 * Also a tool mode for measuring by hand (not used by the suite):
 *   test_lzma_enc --encode PRESET [lzma1] < in > out.raw
 * with PRESET like 6 or 6e; decode with xz --format=raw --lzma2=dict=...
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "gen.h"

#include "lzma/lzma_dec.h"
#include "lzma/lzma_enc.h"

#define XZ "/usr/bin/xz"

typedef struct {
	size_t in_chunk;        /* input bytes per call; 0 = all at once */
	size_t out_chunk;       /* output room per call; 0 = 64 KiB */
	size_t flush_every;     /* LZMA_SYNC_FLUSH after this much; 0 = never */
} feed;

/* Drive coder c over in[0..n) as feed f says, then LZMA_FINISH.
 * Returns false (and records a failure) on an unexpected return value. */
static bool drive(xzc_coder *c, const uint8_t *in, size_t n, feed f, t_buf *out)
{
	static uint8_t obuf[1 << 16];
	const size_t ochunk = f.out_chunk ? f.out_chunk : sizeof(obuf);
	size_t ip = 0;
	size_t next_flush = f.flush_every ? f.flush_every : SIZE_MAX;
	unsigned idle = 0;
	while (true) {
		size_t end = n;
		lzma_action act = LZMA_FINISH;
		if (next_flush < n) {
			end = next_flush;
			act = LZMA_SYNC_FLUSH;
		}
		size_t in_end = f.in_chunk && ip + f.in_chunk < end
				? ip + f.in_chunk : end;
		if (in_end < end)
			act = LZMA_RUN;
		size_t op = 0;
		const size_t ip0 = ip;
		lzma_ret r = c->code(c->state, NULL, in, &ip, in_end, obuf, &op,
				     ochunk, act);
		t_buf_put(out, obuf, op);
		if (r == LZMA_STREAM_END && act == LZMA_FINISH)
			return true;
		if (r == LZMA_STREAM_END && act == LZMA_SYNC_FLUSH) {
			next_flush += f.flush_every;
			continue;
		}
		if (r != LZMA_OK) {
			t_fail(__FILE__, __LINE__, "code() returned %d", (int)r);
			return false;
		}
		idle = (op == 0 && ip == ip0) ? idle + 1 : 0;
		if (idle > 2) {
			t_fail(__FILE__, __LINE__, "no progress at %zu", ip);
			return false;
		}
	}
}

static bool encode(const lzma_options_lzma *opt, bool lzma1,
		   const uint8_t *in, size_t n, feed f, t_buf *out)
{
	xzc_coder c = XZC_CODER_INIT;
	lzma_ret r = lzma1 ? xzc_lzma1_encoder_init(&c, NULL, opt, true,
						    LZMA_VLI_UNKNOWN)
			   : xzc_lzma2_encoder_init(&c, NULL, opt);
	if (r != LZMA_OK) {
		t_fail(__FILE__, __LINE__, "init returned %d", (int)r);
		return false;
	}
	bool ok = drive(&c, in, n, f, out);
	xzc_coder_end(&c, NULL);
	return ok;
}

/* Decode raw output with clearxz's own decoder (in one call) and compare. */
static void check_with_ours(const lzma_options_lzma *opt, bool lzma1,
			    const uint8_t *in, size_t n, const t_buf *enc)
{
	xzc_coder c = XZC_CODER_INIT;
	lzma_ret r = lzma1 ? xzc_lzma1_decoder_init(&c, NULL, opt,
						    LZMA_VLI_UNKNOWN, true)
			   : xzc_lzma2_decoder_init(&c, NULL, opt);
	if (r != LZMA_OK) {
		t_fail(__FILE__, __LINE__, "decoder init returned %d", (int)r);
		return;
	}
	uint8_t *dec = malloc(n + 1);
	size_t ip = 0, op = 0;
	r = c.code(c.state, NULL, enc->data, &ip, enc->size, dec, &op, n + 1,
		   LZMA_FINISH);
	if (r != LZMA_STREAM_END || ip != enc->size || op != n
	    || (n > 0 && memcmp(dec, in, n) != 0))
		t_fail(__FILE__, __LINE__, "our decoder: ret %d, in %zu/%zu, "
		       "out %zu/%zu", (int)r, ip, enc->size, op, n);
	free(dec);
	xzc_coder_end(&c, NULL);
}

/* Decode raw output with the system xz and compare; then with ours. */
static void check_with_xz(const lzma_options_lzma *opt, bool lzma1,
			  const uint8_t *in, size_t n, const t_buf *enc)
{
	char cmd[256];
	if (lzma1)
		snprintf(cmd, sizeof(cmd), XZ " --format=raw --lzma1=dict=%u,"
			 "lc=%u,lp=%u,pb=%u -dc", opt->dict_size, opt->lc,
			 opt->lp, opt->pb);
	else
		snprintf(cmd, sizeof(cmd), XZ " --format=raw --lzma2=dict=%u -dc",
			 opt->dict_size);
	t_buf dec = { 0 };
	int st = t_run(cmd, enc->data, enc->size, &dec);
	if (st != 0)
		t_fail(__FILE__, __LINE__, "xz exit status %d", st);
	else if (dec.size != n || (n > 0 && memcmp(dec.data, in, n) != 0))
		t_fail(__FILE__, __LINE__, "xz decoded %zu bytes, differing",
		       dec.size);
	t_buf_free(&dec);
	check_with_ours(opt, lzma1, in, n, enc);
}

static void preset_opts(lzma_options_lzma *opt, uint32_t level, bool extreme)
{
	memset(opt, 0, sizeof(*opt));
	lzma_lzma_preset(opt, level | (extreme ? LZMA_PRESET_EXTREME : 0));
}

/* ---- the cases ---------------------------------------------------------- */

/* Every preset on every kind of data; the one-call output is decoded by
 * xz, and 1-byte buffers must give the same bytes (on a smaller input, the
 * 1-byte path is slow). */
static void test_presets(void)
{
	static const size_t sizes[] = { 0, 1, 3000, 70000, 300000 };
	for (uint32_t level = 0; level <= 9; ++level) {
		for (int ex = 0; ex <= 1; ++ex) {
			lzma_options_lzma opt;
			preset_opts(&opt, level, ex);
			if (level > 6)          /* same code as 6, huge tables */
				opt.dict_size = 1u << 20;
			for (int k = 0; k < GEN_KIND_COUNT; ++k) {
				for (size_t si = 0; si < ARRAY_SIZE(sizes); ++si) {
					size_t n = sizes[si];
					t_begin("lzma2 preset %u%s %s size %zu", level,
						ex ? "e" : "", gen_kind_name(k), n);
					uint8_t *in = malloc(n + 1);
					gen_fill(k, level * 100 + si, in, n);
					t_buf enc = { 0 };
					feed f = { 0, 0, 0 };
					if (encode(&opt, false, in, n, f, &enc))
						check_with_xz(&opt, false, in, n, &enc);
					t_buf_free(&enc);
					free(in);
				}
			}
		}
	}
}

/* One call vs 1-byte buffers (and odd sizes) give the same bytes. */
static void test_buffers(void)
{
	static const feed feeds[] = {
		{ 1, 1, 0 }, { 7, 3, 0 }, { 4096, 1, 0 }, { 1, 65536, 0 },
		{ 100000, 13, 0 },
	};
	for (uint32_t level = 0; level <= 6; level += 3) {
		for (int lzma1 = 0; lzma1 <= 1; ++lzma1) {
			lzma_options_lzma opt;
			preset_opts(&opt, level, false);
			const size_t n = 150000;
			uint8_t *in = malloc(n);
			gen_fill(GEN_TEXT, 77 + level, in, n);
			t_buf ref = { 0 };
			feed one = { 0, 0, 0 };
			t_begin("%s preset %u one call", lzma1 ? "lzma1" : "lzma2",
				level);
			if (encode(&opt, lzma1, in, n, one, &ref))
				check_with_xz(&opt, lzma1, in, n, &ref);
			for (size_t i = 0; i < ARRAY_SIZE(feeds); ++i) {
				t_begin("%s preset %u in %zu out %zu same bytes",
					lzma1 ? "lzma1" : "lzma2", level,
					feeds[i].in_chunk, feeds[i].out_chunk);
				t_buf enc = { 0 };
				if (encode(&opt, lzma1, in, n, feeds[i], &enc))
					CHECK(enc.size == ref.size
					      && memcmp(enc.data, ref.data, ref.size) == 0);
				t_buf_free(&enc);
			}
			t_buf_free(&ref);
			free(in);
		}
	}
}

/* Every match finder, both modes, LZMA1 and LZMA2, other lc/lp/pb. */
static void test_finders(void)
{
	static const lzma_match_finder mfs[] = {
		LZMA_MF_HC3, LZMA_MF_HC4, LZMA_MF_BT2, LZMA_MF_BT3, LZMA_MF_BT4,
	};
	static const uint32_t nices[] = { 2, 5, 32, 273 };
	for (size_t m = 0; m < ARRAY_SIZE(mfs); ++m) {
		for (int mode = LZMA_MODE_FAST; mode <= LZMA_MODE_NORMAL; ++mode) {
			for (size_t ni = 0; ni < ARRAY_SIZE(nices); ++ni) {
				for (int lzma1 = 0; lzma1 <= 1; ++lzma1) {
					lzma_options_lzma opt;
					preset_opts(&opt, 6, false);
					opt.dict_size = 1u << 16;
					opt.mf = mfs[m];
					opt.mode = (lzma_mode)mode;
					opt.nice_len = nices[ni];
					opt.depth = (uint32_t)ni * 3;
					opt.lc = (uint32_t)(m % 5);
					opt.lp = (uint32_t)((4 - opt.lc) % 3);
					opt.pb = (uint32_t)(ni % 5);
					const size_t n = 90000 + m * 1000;
					const gen_kind k = (gen_kind)((m + ni) % GEN_KIND_COUNT);
					uint8_t *in = malloc(n);
					gen_fill(k, m * 10 + ni, in, n);
					t_begin("%s mf 0x%x mode %d nice %u lc %u lp %u pb %u %s",
						lzma1 ? "lzma1" : "lzma2", (unsigned)mfs[m],
						mode, nices[ni], opt.lc, opt.lp, opt.pb,
						gen_kind_name(k));
					t_buf enc = { 0 };
					feed f = { 0, 0, 0 };
					if (encode(&opt, lzma1, in, n, f, &enc))
						check_with_xz(&opt, lzma1, in, n, &enc);
					t_buf_free(&enc);
					free(in);
				}
			}
		}
	}
}

/* Large inputs: several 2 MiB chunks (zeros), many 64 KiB chunks. */
static void test_chunks(void)
{
	static const struct { gen_kind k; size_t n; } cases[] = {
		{ GEN_ZEROS, 5u << 20 }, { GEN_RANDOM, 1u << 20 },
		{ GEN_BINARY, 3u << 20 }, { GEN_RUNS, (2u << 20) + 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); ++i) {
		for (uint32_t level = 0; level <= 6; level += 6) {
			lzma_options_lzma opt;
			preset_opts(&opt, level, false);
			const size_t n = cases[i].n;
			uint8_t *in = malloc(n);
			gen_fill(cases[i].k, 5 + i, in, n);
			t_begin("lzma2 chunks preset %u %s size %zu", level,
				gen_kind_name(cases[i].k), n);
			t_buf enc = { 0 };
			feed f = { 0, 0, 0 };
			if (encode(&opt, false, in, n, f, &enc))
				check_with_xz(&opt, false, in, n, &enc);
			t_buf_free(&enc);
			free(in);
		}
	}
}

/* Sync flushes in the middle: the output still decodes to the input, and
 * the bytes do not depend on the buffer sizes. */
static void test_flush(void)
{
	static const size_t every[] = { 1, 1000, 65536, 100001 };
	for (size_t i = 0; i < ARRAY_SIZE(every); ++i) {
		for (uint32_t level = 0; level <= 6; level += 6) {
			lzma_options_lzma opt;
			preset_opts(&opt, level, false);
			const size_t n = every[i] == 1 ? 3000 : 400000;
			uint8_t *in = malloc(n);
			gen_fill(GEN_TEXT, 9 + i, in, n);
			t_begin("lzma2 sync flush every %zu preset %u", every[i],
				level);
			t_buf ref = { 0 }, enc = { 0 };
			feed f = { 0, 0, every[i] };
			feed small = { 5, 3, every[i] };
			if (encode(&opt, false, in, n, f, &ref)) {
				check_with_xz(&opt, false, in, n, &ref);
				if (encode(&opt, false, in, n, small, &enc))
					CHECK(enc.size == ref.size
					      && memcmp(enc.data, ref.data, ref.size) == 0);
			}
			t_buf_free(&ref);
			t_buf_free(&enc);
			free(in);
		}
	}
}

static void test_props(void)
{
	t_begin("lzma2 props byte");
	static const struct { uint32_t dict; uint8_t byte; } d[] = {
		{ 4096, 0 }, { 4097, 1 }, { 6144, 1 }, { 1u << 20, 16 },
		{ (1u << 20) + 1, 17 }, { 3u << 22, 23 }, { 1u << 23, 22 },
		{ UINT32_MAX, 40 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(d); ++i) {
		lzma_options_lzma opt;
		preset_opts(&opt, 6, false);
		opt.dict_size = d[i].dict;
		uint8_t b = 0xFF;
		CHECK_RET(xzc_lzma2_props_encode(&opt, &b), LZMA_OK);
		CHECK_EQ(b, d[i].byte);
	}
	t_begin("lzma1 props bytes");
	lzma_options_lzma opt;
	preset_opts(&opt, 6, false);
	uint8_t p[5];
	CHECK_RET(xzc_lzma1_props_encode(&opt, p), LZMA_OK);
	CHECK_EQ(p[0], 0x5D);
	CHECK_EQ(p[1] | (p[2] << 8) | (p[3] << 16) | ((uint32_t)p[4] << 24),
		 1u << 23);

	t_begin("presets are xz's");
	/* dict, mode, nice, mf, depth of -0 .. -9, as `xz -vv` prints. */
	static const uint32_t want[10][5] = {
		{ 18, 1, 128, 0x03, 4 }, { 20, 1, 128, 0x04, 8 },
		{ 21, 1, 273, 0x04, 24 }, { 22, 1, 273, 0x04, 48 },
		{ 22, 2, 16, 0x14, 0 }, { 23, 2, 32, 0x14, 0 },
		{ 23, 2, 64, 0x14, 0 }, { 24, 2, 64, 0x14, 0 },
		{ 25, 2, 64, 0x14, 0 }, { 26, 2, 64, 0x14, 0 },
	};
	for (uint32_t i = 0; i < 10; ++i) {
		preset_opts(&opt, i, false);
		CHECK_EQ(opt.dict_size, 1u << want[i][0]);
		CHECK_EQ(opt.mode, want[i][1]);
		CHECK_EQ(opt.nice_len, want[i][2]);
		CHECK_EQ(opt.mf, want[i][3]);
		CHECK_EQ(opt.depth, want[i][4]);
		CHECK(opt.lc == 3 && opt.lp == 0 && opt.pb == 2);
		preset_opts(&opt, i, true);
		CHECK_EQ(opt.mode, LZMA_MODE_NORMAL);
		CHECK_EQ(opt.mf, LZMA_MF_BT4);
		CHECK_EQ(opt.nice_len, (i == 3 || i == 5) ? 192u : 273u);
		CHECK_EQ(opt.depth, (i == 3 || i == 5) ? 0u : 512u);
	}
	CHECK(lzma_lzma_preset(&opt, 10));
	CHECK(lzma_lzma_preset(&opt, 6 | (1u << 30)));
	CHECK(lzma_mf_is_supported(LZMA_MF_BT2) && !lzma_mf_is_supported(0x15));
	CHECK(lzma_mode_is_supported(LZMA_MODE_FAST)
	      && !lzma_mode_is_supported((lzma_mode)3));

	t_begin("invalid options");
	preset_opts(&opt, 6, false);
	opt.lc = 4;
	opt.lp = 1;
	xzc_coder c = XZC_CODER_INIT;
	CHECK_RET(xzc_lzma2_encoder_init(&c, NULL, &opt), LZMA_OPTIONS_ERROR);
	CHECK_EQ(xzc_lzma_encoder_memusage(&opt), UINT64_MAX);
	preset_opts(&opt, 6, false);
	opt.mf = (lzma_match_finder)0x15;
	CHECK_RET(xzc_lzma2_encoder_init(&c, NULL, &opt), LZMA_OPTIONS_ERROR);
	preset_opts(&opt, 6, false);
	opt.dict_size = 4095;
	CHECK_RET(xzc_lzma2_encoder_init(&c, NULL, &opt), LZMA_OPTIONS_ERROR);
	preset_opts(&opt, 6, false);
	CHECK(xzc_lzma_encoder_memusage(&opt) > (80u << 20)
	      && xzc_lzma_encoder_memusage(&opt) < (104u << 20));
}

/* LZMA1 with a known size: without the end marker (decoded by our decoder
 * told the size), with it (xz), and a wrong size is a programming error. */
static void test_lzma1_sizes(void)
{
	lzma_options_lzma opt;
	preset_opts(&opt, 6, false);
	const size_t n = 100000;
	uint8_t *in = malloc(n);
	gen_fill(GEN_BINARY, 3, in, n);
	for (int v = 0; v < 3; ++v) {
		/* v: 0 size known, no marker; 1 size known and marker;
		 * 2 no marker and the size not told to the encoder. */
		const bool eopm = v == 1;
		t_begin("lzma1 %s size, eopm %d", v == 2 ? "unknown" : "known",
			eopm);
		xzc_coder c = XZC_CODER_INIT;
		CHECK_RET(xzc_lzma1_encoder_init(&c, NULL, &opt, eopm,
						 v == 2 ? LZMA_VLI_UNKNOWN : n),
			  LZMA_OK);
		t_buf enc = { 0 };
		feed f = { 1000, 777, 0 };
		if (drive(&c, in, n, f, &enc)) {
			xzc_coder d = XZC_CODER_INIT;
			CHECK_RET(xzc_lzma1_decoder_init(&d, NULL, &opt, n, eopm),
				  LZMA_OK);
			uint8_t *dec = malloc(n);
			size_t ip = 0, op = 0;
			lzma_ret r = d.code(d.state, NULL, enc.data, &ip, enc.size,
					    dec, &op, n, LZMA_FINISH);
			CHECK(r == LZMA_STREAM_END && op == n && ip == enc.size
			      && memcmp(dec, in, n) == 0);
			free(dec);
			xzc_coder_end(&d, NULL);
			if (eopm)
				check_with_xz(&opt, true, in, n, &enc);
		}
		xzc_coder_end(&c, NULL);
		t_buf_free(&enc);
	}
	t_begin("lzma1 size mismatch");
	for (int more = 0; more <= 1; ++more) {
		xzc_coder c = XZC_CODER_INIT;
		CHECK_RET(xzc_lzma1_encoder_init(&c, NULL, &opt, false, 5000),
			  LZMA_OK);
		static uint8_t obuf[1 << 16];
		size_t ip = 0, op = 0;
		lzma_ret r = c.code(c.state, NULL, in, &ip, more ? 5001 : 4999,
				    obuf, &op, sizeof(obuf), LZMA_FINISH);
		CHECK_EQ(r, LZMA_PROG_ERROR);
		xzc_coder_end(&c, NULL);
	}
	t_begin("lzma1 sync flush refused");
	{
		xzc_coder c = XZC_CODER_INIT;
		CHECK_RET(xzc_lzma1_encoder_init(&c, NULL, &opt, true,
						 LZMA_VLI_UNKNOWN), LZMA_OK);
		static uint8_t obuf[64];
		size_t ip = 0, op = 0;
		CHECK_EQ(c.code(c.state, NULL, in, &ip, 10, obuf, &op,
				sizeof(obuf), LZMA_SYNC_FLUSH), LZMA_OPTIONS_ERROR);
		xzc_coder_end(&c, NULL);
	}
	free(in);
}

/* lzma_filters_update(): lc/lp/pb change after a sync flush, or in the
 * middle of a chunk (then at a later chunk boundary). */
static void update_case(uint32_t level, lzma_action mid)
{
	t_begin("lzma2 update lc/lp/pb mid-stream, preset %u, %s", level,
		mid == LZMA_RUN ? "run" : "sync flush");
	lzma_options_lzma opt;
	preset_opts(&opt, level, false);
	const size_t n = 400000;
	uint8_t *in = malloc(n);
	gen_fill(GEN_TEXT, 21, in, n);
	xzc_coder c = XZC_CODER_INIT;
	CHECK_RET(xzc_lzma2_encoder_init(&c, NULL, &opt), LZMA_OK);
	static uint8_t obuf[1 << 16];
	t_buf enc = { 0 };
	size_t ip = 0;
	lzma_ret r;
	do {
		size_t op = 0;
		r = c.code(c.state, NULL, in, &ip, n / 2, obuf, &op,
			   sizeof(obuf), mid);
		t_buf_put(&enc, obuf, op);
	} while (r == LZMA_OK && (mid != LZMA_RUN || ip < n / 2));
	CHECK_EQ(r, mid == LZMA_RUN ? LZMA_OK : LZMA_STREAM_END);
	lzma_options_lzma o2 = opt;
	o2.lc = 0;
	o2.lp = 2;
	o2.pb = 0;
	lzma_filter fl[2] = { { LZMA_FILTER_LZMA2, &o2 },
			      { LZMA_VLI_UNKNOWN, NULL } };
	CHECK_RET(c.update(c.state, NULL, fl), LZMA_OK);
	do {
		size_t op = 0;
		r = c.code(c.state, NULL, in, &ip, n, obuf, &op, sizeof(obuf),
			   LZMA_FINISH);
		t_buf_put(&enc, obuf, op);
	} while (r == LZMA_OK);
	CHECK_EQ(r, LZMA_STREAM_END);
	check_with_xz(&opt, false, in, n, &enc);
	o2.lc = 4;
	CHECK_RET(c.update(c.state, NULL, fl), LZMA_OPTIONS_ERROR);
	xzc_coder_end(&c, NULL);
	t_buf_free(&enc);
	free(in);
}

/* Random options, data, buffer sizes and flush points: the bytes must
 * not depend on the buffer sizes, and must decode (our decoder). */
static void test_random(void)
{
	static const lzma_match_finder mfs[] = {
		LZMA_MF_HC3, LZMA_MF_HC4, LZMA_MF_BT2, LZMA_MF_BT3, LZMA_MF_BT4,
	};
	uint64_t rng = 12345;
	for (int iter = 0; iter < 40; ++iter) {
		lzma_options_lzma opt;
		preset_opts(&opt, gen_below(&rng, 7), false);
		opt.dict_size = 4096u << gen_below(&rng, 8);
		opt.mf = mfs[gen_below(&rng, 5)];
		opt.mode = gen_below(&rng, 2) ? LZMA_MODE_FAST : LZMA_MODE_NORMAL;
		opt.nice_len = 2 + gen_below(&rng, 272);
		const gen_kind k = (gen_kind)gen_below(&rng, GEN_KIND_COUNT);
		const size_t n = gen_below(&rng, 300000);
		const bool lzma1 = gen_below(&rng, 4) == 0;
		feed big = { 0, 0, lzma1 ? 0 : gen_below(&rng, 3) * 40000 };
		feed small = { 1 + gen_below(&rng, 3000), 1 + gen_below(&rng, 500),
			       big.flush_every };
		t_begin("random %d: %s mf 0x%x mode %u nice %u dict %u %s "
			"size %zu flush %zu", iter, lzma1 ? "lzma1" : "lzma2",
			(unsigned)opt.mf, (unsigned)opt.mode, opt.nice_len,
			opt.dict_size, gen_kind_name(k), n, big.flush_every);
		uint8_t *in = malloc(n + 1);
		gen_fill(k, (uint64_t)iter, in, n);
		t_buf a = { 0 }, b = { 0 };
		if (encode(&opt, lzma1, in, n, big, &a)
		    && encode(&opt, lzma1, in, n, small, &b)) {
			CHECK(a.size == b.size
			      && memcmp(a.data, b.data, a.size) == 0);
			check_with_ours(&opt, lzma1, in, n, &a);
		}
		t_buf_free(&a);
		t_buf_free(&b);
		free(in);
	}
}

static void test_update(void)
{
	update_case(6, LZMA_SYNC_FLUSH);
	update_case(6, LZMA_RUN);
	update_case(1, LZMA_RUN);
}

/* ---- tool mode ------------------------------------------------------------ */

static int tool_encode(int argc, char **argv)
{
	lzma_options_lzma opt;
	preset_opts(&opt, (uint32_t)atoi(argv[2]), strchr(argv[2], 'e') != NULL);
	const bool lzma1 = argc > 3 && strcmp(argv[3], "lzma1") == 0;
	t_buf in = { 0 }, out = { 0 };
	if (!t_read_file("/dev/stdin", &in))
		return 1;
	feed f = { 0, 0, 0 };
	if (!encode(&opt, lzma1, in.data, in.size, f, &out))
		return 1;
	fwrite(out.data, 1, out.size, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--encode") == 0)
		return tool_encode(argc, argv);
	test_props();
	test_presets();
	test_buffers();
	test_finders();
	test_chunks();
	test_flush();
	test_lzma1_sizes();
	test_update();
	test_random();
	return t_done();
}
