/*
 * test_lzma_dec.c -- the LZMA1 and LZMA2 decoders on their own (below the
 * container layer), against data compressed by /usr/bin/xz (raw format)
 * and 7zz (.lzma with a known size and no end marker), with every split of
 * input and output, plus truncated and bit-flipped streams.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "api/api.h"
#include "lzma/lzma_dec.h"

/* ---- seeded data ------------------------------------------------------ */

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* splitmix64: good enough spread for test data, fully deterministic */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

enum kind { K_TEXT, K_RANDOM, K_ZEROS, K_PATTERN, K_MIXED, K_COUNT };
static const char *kind_name[] = { "text", "random", "zeros", "pattern", "mixed" };

static void fill(enum kind k, uint64_t seed, uint8_t *buf, size_t size)
{
	static const char *words[] = { "the ", "lzma ", "range ", "coder ", "of ",
		"match ", "literal\n", "distance ", "state ", "a ", "xz ", "dictionary " };
	rng_state = seed;
	size_t i = 0;
	while (i < size) {
		switch (k) {
		case K_TEXT: {
			const char *w = words[rng() % 12];
			while (*w && i < size)
				buf[i++] = (uint8_t)*w++;
			break;
		}
		case K_RANDOM:
			buf[i++] = (uint8_t)rng();
			break;
		case K_ZEROS:
			buf[i++] = 0;
			break;
		case K_PATTERN:
			/* short periods exercise overlapping match copies */
			buf[i] = (uint8_t)(i % (1 + (seed % 13)));
			i++;
			break;
		case K_MIXED: {
			/* runs of random bytes and copies from far back */
			size_t n = 1 + rng() % 300;
			if (i > 1000 && rng() % 2) {
				size_t from = rng() % (i - 1);
				for (size_t j = 0; j < n && i < size; j++)
					buf[i++] = buf[from + j];
			} else {
				for (size_t j = 0; j < n && i < size; j++)
					buf[i++] = (uint8_t)(rng() % 40 + 'A');
			}
			break;
		}
		default:
			return;
		}
	}
}

/* ---- decoding through lzma_code() -------------------------------------- */

enum coder { C_LZMA2, C_LZMA1 };

static lzma_ret decode(enum coder which, const lzma_options_lzma *opt,
		       uint64_t size, bool allow_eopm,
		       const uint8_t *in, size_t in_size, size_t in_chunk,
		       size_t out_chunk, t_buf *out)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	xzc_coder c = XZC_CODER_INIT;
	lzma_ret ret = which == C_LZMA2
		? xzc_lzma2_decoder_init(&c, NULL, opt)
		: xzc_lzma1_decoder_init(&c, NULL, opt, size, allow_eopm);
	ret = xzc_api_install(&strm, &c, ret, XZC_ACTIONS_DECODER);
	if (ret != LZMA_OK)
		return ret;
	ret = t_code(&strm, in, in_size, in_chunk, out_chunk, out);
	lzma_end(&strm);
	return ret;
}

static bool compress_with(const char *cmd, const uint8_t *in, size_t size, t_buf *out)
{
	return t_run(cmd, in, size, out) == 0;
}

static void check_roundtrip(const char *what, enum coder which,
			    const lzma_options_lzma *opt, uint64_t known,
			    bool allow_eopm, const uint8_t *orig, size_t size,
			    const uint8_t *comp, size_t comp_size)
{
	static const size_t splits[][2] = { { 0, 0 }, { 1, 1 }, { 1, 0 }, { 0, 1 },
					    { 7, 3 }, { 33, 65537 }, { 4096, 31 } };
	for (size_t i = 0; i < ARRAY_SIZE(splits); i++) {
		/* Byte-at-a-time is slow on big inputs; it is covered on the
		 * smaller ones. */
		if (size > 300000 && (splits[i][0] == 1 || splits[i][1] == 1))
			continue;
		t_begin("%s in=%zu out=%zu", what, splits[i][0], splits[i][1]);
		t_buf out = { 0 };
		lzma_ret ret = decode(which, opt, known, allow_eopm, comp, comp_size,
				      splits[i][0], splits[i][1], &out);
		CHECK_RET(ret, LZMA_STREAM_END);
		CHECK_EQ(out.size, size);
		CHECK(out.size == size && (size == 0 || memcmp(out.data, orig, size) == 0));
		t_buf_free(&out);
	}
}

/* Every prefix must fail or wait (never claim the end), and random bit
 * flips must never crash or hang (run under the sanitizers in CI). */
static void check_hostile(const char *what, enum coder which,
			  const lzma_options_lzma *opt, uint64_t known,
			  const uint8_t *comp, size_t comp_size, size_t orig_size)
{
	t_begin("%s truncated", what);
	for (size_t cut = 0; cut < comp_size; cut += 1 + comp_size / 200) {
		t_buf out = { 0 };
		lzma_ret ret = decode(which, opt, known, true, comp, cut, 0, 0, &out);
		if (ret == LZMA_STREAM_END && out.size == orig_size && known == LZMA_VLI_UNKNOWN)
			t_fail(__FILE__, __LINE__, "prefix %zu of %zu decoded as complete",
			       cut, comp_size);
		t_buf_free(&out);
	}
	t_begin("%s bit flips", what);
	uint8_t *bad = malloc(comp_size);
	rng_state = comp_size;
	for (int n = 0; n < 200; n++) {
		memcpy(bad, comp, comp_size);
		size_t at = rng() % comp_size;
		bad[at] ^= (uint8_t)(1u << (rng() % 8));
		t_buf out = { 0 };
		lzma_ret ret = decode(which, opt, known, true, bad, comp_size,
				      n % 2 ? 0 : 5, n % 3 ? 0 : 7, &out);
		CHECK(ret == LZMA_STREAM_END || ret == LZMA_DATA_ERROR
		      || ret == LZMA_BUF_ERROR);
		CHECK(out.size <= orig_size + 273 || known == LZMA_VLI_UNKNOWN);
		t_buf_free(&out);
	}
	free(bad);
}

static void test_lzma2(void)
{
	static const size_t sizes[] = { 0, 1, 100, 65535, 65536, 65537,
					2 * 1024 * 1024 + 1, 3000000 };
	static const char *opts[] = {
		"preset=0", "preset=1", "preset=6,dict=1MiB", "preset=9e,dict=4MiB",
		"preset=6,lc=0,lp=4,pb=4,dict=64KiB", "preset=6,lc=4,lp=0,pb=0",
		"preset=3,dict=4KiB",
	};
	char cmd[256], what[256];
	for (size_t si = 0; si < ARRAY_SIZE(sizes); si++) {
		size_t size = sizes[si];
		uint8_t *data = malloc(size + 1);
		for (int k = 0; k < K_COUNT; k++) {
			for (size_t oi = 0; oi < ARRAY_SIZE(opts); oi++) {
				/* Big inputs: one kind for each of three options
				 * is enough (the small ones cover the rest). */
				if (size > 100000 && ((size_t)k != oi % K_COUNT || oi > 2))
					continue;
				fill((enum kind)k, si * 31 + (uint64_t)k, data, size);
				snprintf(cmd, sizeof(cmd),
					 "xz --format=raw --lzma2=%s -c -T1", opts[oi]);
				t_buf comp = { 0 };
				snprintf(what, sizeof(what), "lzma2 %s %s size=%zu",
					 opts[oi], kind_name[k], size);
				if (!compress_with(cmd, data, size, &comp)) {
					t_begin("%s", what);
					t_fail(__FILE__, __LINE__, "xz failed: %s", cmd);
					continue;
				}
				/* The decoder only needs a dictionary as large
				 * as the encoder's. */
				lzma_options_lzma opt = { .dict_size = 8u << 20 };
				check_roundtrip(what, C_LZMA2, &opt, 0, false, data, size,
						comp.data, comp.size);
				if (size > 0 && size <= 65537 && oi < 2)
					check_hostile(what, C_LZMA2, &opt, 0, comp.data,
						      comp.size, size);
				t_buf_free(&comp);
			}
		}
		free(data);
	}
}

static void test_lzma1(void)
{
	static const size_t sizes[] = { 0, 1, 5000, 70000, 1500000 };
	char what[256];
	for (size_t si = 0; si < ARRAY_SIZE(sizes); si++) {
		size_t size = sizes[si];
		uint8_t *data = malloc(size + 1);
		enum kind k = (enum kind)(si % K_COUNT);
		fill(k, 77 + si, data, size);
		lzma_options_lzma opt = { .dict_size = 1u << 20, .lc = 3, .lp = 0, .pb = 2 };

		/* xz's raw LZMA1 ends with the end marker (size unknown). */
		t_buf comp = { 0 };
		compress_with("xz --format=raw --lzma1=preset=6,dict=1MiB -c -T1",
			      data, size, &comp);
		snprintf(what, sizeof(what), "lzma1 eopm %s size=%zu", kind_name[k], size);
		check_roundtrip(what, C_LZMA1, &opt, LZMA_VLI_UNKNOWN, true, data,
				size, comp.data, comp.size);
		/* The same data with the size known and the marker allowed. */
		snprintf(what, sizeof(what), "lzma1 size+eopm %s size=%zu",
			 kind_name[k], size);
		check_roundtrip(what, C_LZMA1, &opt, size, true, data, size,
				comp.data, comp.size);
		/* Known size, marker present but not allowed: an error. */
		t_begin("lzma1 eopm not allowed size=%zu", size);
		t_buf out = { 0 };
		CHECK_RET(decode(C_LZMA1, &opt, size, false, comp.data, comp.size,
				 0, 0, &out), LZMA_DATA_ERROR);
		t_buf_free(&out);
		if (size > 0 && size < 100000)
			check_hostile(what, C_LZMA1, &opt, LZMA_VLI_UNKNOWN,
				      comp.data, comp.size, size);
		t_buf_free(&comp);

		/* 7-Zip's .lzma: known size in the header, no end marker. */
		t_buf lz = { 0 };
		snprintf(what, sizeof(what), "lzma1 7zz known-size %s size=%zu",
			 kind_name[k], size);
		if (t_run("command -v 7zz >/dev/null", NULL, 0, NULL) != 0) {
			t_begin("%s", what);
			t_skip("7zz not installed");
		} else if (compress_with("7zz a -tlzma -mx=5 -si -so dummy 2>/dev/null",
					 data, size, &lz) && lz.size >= 13) {
			lzma_options_lzma o7 = { 0 };
			CHECK(xzc_lzma_lclppb_decode(&o7, lz.data[0]));
			o7.dict_size = read32le(lz.data + 1);
			uint64_t known = read64le(lz.data + 5);
			t_begin("%s header size", what);
			CHECK_EQ(known, size);
			check_roundtrip(what, C_LZMA1, &o7, known, true, data, size,
					lz.data + 13, lz.size - 13);
		}
		t_buf_free(&lz);
		free(data);
	}
}

/* Known size 0: the data is only the 5 range-coder init bytes (0 and a zero
 * code). Fed a byte at a time, all five must be read before the end is
 * declared (a bug once ended after the first byte; found by fuzz_alone). */
static void test_empty_known_size(void)
{
	static const uint8_t five_zeros[5] = { 0 };
	lzma_options_lzma opt = { .dict_size = 4096, .lc = 0, .lp = 0, .pb = 0 };
	for (size_t n = 0; n <= 5; n++) {
		t_begin("lzma1 known size 0, %zu of 5 init bytes, 1-byte input", n);
		lzma_stream strm = LZMA_STREAM_INIT;
		xzc_coder c = XZC_CODER_INIT;
		lzma_ret ret = xzc_api_install(&strm, &c,
			xzc_lzma1_decoder_init(&c, NULL, &opt, 0, true),
			XZC_ACTIONS_DECODER);
		CHECK_RET(ret, LZMA_OK);
		t_buf out = { 0 };
		ret = t_code(&strm, five_zeros, n, 1, 0, &out);
		if (n == 5) {
			CHECK_RET(ret, LZMA_STREAM_END);
			CHECK_EQ(strm.total_in, 5);
		} else {
			CHECK(ret != LZMA_STREAM_END);
		}
		CHECK_EQ(out.size, 0);
		t_buf_free(&out);
		lzma_end(&strm);
	}
}

int main(void)
{
	test_empty_known_size();
	test_lzma2();
	test_lzma1();
	return t_done();
}
