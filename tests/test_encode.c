/*
 * test_encode.c -- the container encoders: .xz streams (every preset and
 * check, flush actions, lzma_filters_update()), .xz blocks and the Index,
 * .lzma, .lz (clearxz_lzip_encoder()), raw chains, and the single-call
 * functions with their bounds.
 *
 * Oracles: /usr/bin/xz (xz -dc, xz -t, xz --format=lzma -dc, xz --robot
 * --list for the block count), /usr/bin/lzip (lzip -t, lzip -dc) and
 * clearxz's own decoders. Determinism: the same input gives the same bytes
 * again, and with 1-byte input and output buffers the same bytes as with
 * one call. Data comes from the seeded generators of gen.h.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "gen.h"
#include "clearxz.h"

#define XZ "/usr/bin/xz"
#define LZIP "/usr/bin/lzip"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MIN_SZ(a, b) ((a) < (b) ? (a) : (b))

typedef enum { FMT_XZ, FMT_LZMA, FMT_LZIP } format;

static const char *const format_name[] = { "xz", "lzma", "lz" };
static const char *const check_name[] = {
	[LZMA_CHECK_NONE] = "none", [LZMA_CHECK_CRC32] = "crc32",
	[LZMA_CHECK_CRC64] = "crc64", [LZMA_CHECK_SHA256] = "sha256",
};
static const lzma_check checks[4] = {
	LZMA_CHECK_NONE, LZMA_CHECK_CRC32, LZMA_CHECK_CRC64, LZMA_CHECK_SHA256,
};

/* A flush action given when the input position reaches pos. */
typedef struct {
	size_t pos;
	lzma_action action;
} flush_point;

static uint8_t *make_data(gen_kind kind, uint64_t seed, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);
	gen_fill(kind, seed, p, size);
	return p;
}

static bool have(const char *path)
{
	return access(path, X_OK) == 0;
}

/* ---- driving an encoder ---------------------------------------------------- */

/* Call lzma_code(action) over in[*pos .. end) until it returns
 * LZMA_STREAM_END (flush, finish) or, for LZMA_RUN, the input is used.
 * in_chunk: input bytes per call with LZMA_RUN (0 = all); a flush or
 * finish gets the rest at once, as avail_in must not change during it,
 * so with in_chunk != 0 the input is first fed with LZMA_RUN.
 * out_chunk: output room per call (0 = 64 KiB). */
static lzma_ret pump(lzma_stream *s, const uint8_t *in, size_t *pos,
		     size_t end, size_t in_chunk, size_t out_chunk,
		     lzma_action action, t_buf *out)
{
	static uint8_t obuf[1 << 16];
	const size_t oc = out_chunk ? out_chunk : sizeof(obuf);
	if (action != LZMA_RUN && in_chunk != 0) {
		const lzma_ret r = pump(s, in, pos, end, in_chunk, out_chunk,
					LZMA_RUN, out);
		if (r != LZMA_OK)
			return r;
	}
	unsigned stuck = 0;
	while (true) {
		size_t avail = end - *pos;
		if (action == LZMA_RUN) {
			if (avail == 0)
				return LZMA_OK;
			if (in_chunk != 0 && avail > in_chunk)
				avail = in_chunk;
		}
		/* in may be NULL (empty input): liblzma allows that with
		 * avail_in == 0, and NULL + 0 is undefined in C. */
		s->next_in = in != NULL ? in + *pos : NULL;
		s->avail_in = avail;
		s->next_out = obuf;
		s->avail_out = oc;
		const lzma_ret r = lzma_code(s, action);
		const size_t used = avail - s->avail_in;
		const size_t produced = oc - s->avail_out;
		t_buf_put(out, obuf, produced);
		*pos += used;
		if (r != LZMA_OK)
			return r;
		if (used == 0 && produced == 0) {
			if (++stuck > 4)
				return LZMA_BUF_ERROR;
		} else {
			stuck = 0;
		}
	}
}

/* Encode in[0..n) with an initialized encoder: the flush points in
 * order, then LZMA_FINISH. LZMA_STREAM_END on success. */
static lzma_ret encode_with(lzma_stream *s, const uint8_t *in, size_t n,
			    size_t in_chunk, size_t out_chunk,
			    const flush_point *fp, size_t nfp, t_buf *out)
{
	size_t pos = 0;
	for (size_t i = 0; i <= nfp; ++i) {
		const size_t end = i < nfp ? fp[i].pos : n;
		const lzma_action act = i < nfp ? fp[i].action : LZMA_FINISH;
		const lzma_ret r = pump(s, in, &pos, end, in_chunk, out_chunk,
					act, out);
		if (r != LZMA_STREAM_END)
			return r == LZMA_OK ? LZMA_PROG_ERROR : r;
	}
	return LZMA_STREAM_END;
}

/* Initialize s as an encoder of format f (check only for .xz). */
static lzma_ret init_encoder(lzma_stream *s, format f, uint32_t preset,
			     lzma_check check)
{
	lzma_options_lzma opt;
	if (f == FMT_XZ)
		return lzma_easy_encoder(s, preset, check);
	if (lzma_lzma_preset(&opt, preset))
		return LZMA_OPTIONS_ERROR;
	return f == FMT_LZMA ? lzma_alone_encoder(s, &opt)
			     : clearxz_lzip_encoder(s, &opt);
}

/* One encoding as a case step; false (and a failure) when it fails. */
static bool encode(format f, uint32_t preset, lzma_check check,
		   const uint8_t *in, size_t n, size_t in_chunk,
		   size_t out_chunk, const flush_point *fp, size_t nfp,
		   t_buf *out)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = init_encoder(&s, f, preset, check);
	if (r != LZMA_OK) {
		t_fail(__FILE__, __LINE__, "init returned %d", (int)r);
		return false;
	}
	r = encode_with(&s, in, n, in_chunk, out_chunk, fp, nfp, out);
	lzma_end(&s);
	if (r != LZMA_STREAM_END) {
		t_fail(__FILE__, __LINE__, "encoding returned %d", (int)r);
		return false;
	}
	return true;
}

/* ---- decoding with the oracles --------------------------------------------- */

static bool same(const t_buf *b, const uint8_t *data, size_t n)
{
	return b->size == n && (n == 0 || memcmp(b->data, data, n) == 0);
}

/* The external decoder(s) of format f must give back in[0..n). */
static void check_external(format f, const t_buf *enc, const uint8_t *in,
			   size_t n)
{
	t_buf dec = { 0 };
	int st;
	if (f == FMT_XZ) {
		st = t_run(XZ " -dc", enc->data, enc->size, &dec);
		if (st != 0 || !same(&dec, in, n))
			t_fail(__FILE__, __LINE__, "xz -dc: status %d, %zu of "
			       "%zu bytes", st, dec.size, n);
		st = t_run(XZ " -t", enc->data, enc->size, NULL);
		if (st != 0)
			t_fail(__FILE__, __LINE__, "xz -t: status %d", st);
	} else if (f == FMT_LZMA) {
		st = t_run(XZ " --format=lzma -dc", enc->data, enc->size, &dec);
		if (st != 0 || !same(&dec, in, n))
			t_fail(__FILE__, __LINE__, "xz --format=lzma -dc: "
			       "status %d", st);
	} else if (have(LZIP)) {
		st = t_run(LZIP " -t", enc->data, enc->size, NULL);
		if (st != 0)
			t_fail(__FILE__, __LINE__, "lzip -t: status %d", st);
		st = t_run(LZIP " -dc", enc->data, enc->size, &dec);
		if (st != 0 || !same(&dec, in, n))
			t_fail(__FILE__, __LINE__, "lzip -dc: status %d", st);
	}
	t_buf_free(&dec);
}

/* clearxz's own decoder of format f must give back in[0..n). */
static void check_own(format f, const t_buf *enc, const uint8_t *in, size_t n)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = f == FMT_XZ ? lzma_stream_decoder(&s, UINT64_MAX, 0)
		     : f == FMT_LZMA ? lzma_alone_decoder(&s, UINT64_MAX)
		     : lzma_lzip_decoder(&s, UINT64_MAX, 0);
	CHECK_RET(r, LZMA_OK);
	t_buf dec = { 0 };
	r = t_code(&s, enc->data, enc->size, 0, 0, &dec);
	if (r != LZMA_STREAM_END || !same(&dec, in, n))
		t_fail(__FILE__, __LINE__, "own %s decoder: ret %d, %zu of "
		       "%zu bytes", format_name[f], (int)r, dec.size, n);
	lzma_end(&s);
	t_buf_free(&dec);

	/* The auto decoder must recognize every format we write. */
	s = (lzma_stream)LZMA_STREAM_INIT;
	CHECK_RET(lzma_auto_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	dec = (t_buf){ 0 };
	r = t_code(&s, enc->data, enc->size, 0, 0, &dec);
	if (r != LZMA_STREAM_END || !same(&dec, in, n))
		t_fail(__FILE__, __LINE__, "auto decoder: ret %d", (int)r);
	lzma_end(&s);
	t_buf_free(&dec);
}

static void check_both(format f, const t_buf *enc, const uint8_t *in,
		       size_t n)
{
	check_external(f, enc, in, n);
	check_own(f, enc, in, n);
}

/* Blocks in an .xz file, from xz --robot --list ("totals" line, field 3);
 * --list cannot read stdin, so the file goes to a temporary path. */
static long xz_block_count(const t_buf *enc)
{
	char path[4096], cmd[4200];
	snprintf(path, sizeof(path), "%s/clearxz-test-encode-%ld.xz",
		 t_tmpdir(), (long)getpid());
	snprintf(cmd, sizeof(cmd), XZ " --robot --list '%s'", path);
	t_buf out = { 0 };
	long blocks = -1;
	if (t_write_file(path, enc->data, enc->size)
	    && t_run(cmd, "", 0, &out) == 0) {
		t_buf_byte(&out, 0);
		const char *p = strstr((const char *)out.data, "totals\t");
		if (p != NULL)
			sscanf(p, "totals\t%*d\t%ld", &blocks);
	}
	unlink(path);
	t_buf_free(&out);
	return blocks;
}

/* ---- cases ------------------------------------------------------------------ */

/* Every preset in every format; the .xz ones cycle through the checks. */
static void test_presets(void)
{
	const size_t n = 150000;
	for (uint32_t level = 0; level <= 9; ++level) {
		uint8_t *in = make_data(level % 2 ? GEN_BINARY : GEN_TEXT,
					level, n);
		for (format f = FMT_XZ; f <= FMT_LZIP; ++f) {
			const lzma_check check = checks[level % 4];
			t_begin("preset %u %s%s%s", level, format_name[f],
				f == FMT_XZ ? " " : "",
				f == FMT_XZ ? check_name[check] : "");
			if (f == FMT_LZIP && !have(LZIP))
				t_skip("no %s", LZIP);
			t_buf enc = { 0 };
			if (encode(f, level, check, in, n, 0, 0, NULL, 0, &enc))
				check_both(f, &enc, in, n);
			t_buf_free(&enc);
		}
		free(in);
	}
	static const uint32_t extreme[] = { 0, 3, 5, 6, 9 };
	const size_t m = 60000;
	for (size_t i = 0; i < ARRAY_LEN(extreme); ++i) {
		const uint32_t preset = extreme[i] | LZMA_PRESET_EXTREME;
		uint8_t *in = make_data(GEN_TEXT, 100 + i, m);
		for (format f = FMT_XZ; f <= FMT_LZIP; ++f) {
			t_begin("preset %ue %s", extreme[i], format_name[f]);
			if (f == FMT_LZIP && !have(LZIP))
				t_skip("no %s", LZIP);
			t_buf enc = { 0 };
			if (encode(f, preset, LZMA_CHECK_CRC64, in, m, 0, 0,
				   NULL, 0, &enc))
				check_both(f, &enc, in, m);
			t_buf_free(&enc);
		}
		free(in);
	}
}

/* Every check over every kind of data. */
static void test_checks_and_kinds(void)
{
	const size_t n = 90000;
	for (gen_kind k = 0; k < GEN_KIND_COUNT; ++k) {
		uint8_t *in = make_data(k, 7 + k, n);
		for (size_t c = 0; c < 4; ++c) {
			t_begin("xz %s %s", gen_kind_name(k),
				check_name[checks[c]]);
			t_buf enc = { 0 };
			if (encode(FMT_XZ, 1, checks[c], in, n, 0, 0, NULL, 0,
				   &enc))
				check_both(FMT_XZ, &enc, in, n);
			t_buf_free(&enc);
		}
		for (format f = FMT_LZMA; f <= FMT_LZIP; ++f) {
			t_begin("%s %s", format_name[f], gen_kind_name(k));
			if (f == FMT_LZIP && !have(LZIP))
				t_skip("no %s", LZIP);
			t_buf enc = { 0 };
			if (encode(f, 2, 0, in, n, 0, 0, NULL, 0, &enc))
				check_both(f, &enc, in, n);
			t_buf_free(&enc);
		}
		free(in);
	}
}

/* 1-byte (and odd-sized) buffers give the bytes of one call; the same
 * input encoded again gives the same bytes. */
static void test_streaming(void)
{
	const size_t n = 24000;
	uint8_t *in = make_data(GEN_TEXT, 42, n);
	static const uint32_t presets[] = { 0, 6 | LZMA_PRESET_EXTREME, 6 };
	static const size_t chunks[][2] = { { 1, 1 }, { 7, 13 }, { 4096, 1 } };
	for (size_t p = 0; p < ARRAY_LEN(presets); ++p)
		for (format f = FMT_XZ; f <= FMT_LZIP; ++f) {
			t_begin("streaming %s preset %u%s", format_name[f],
				presets[p] & LZMA_PRESET_LEVEL_MASK,
				presets[p] & LZMA_PRESET_EXTREME ? "e" : "");
			t_buf one = { 0 }, again = { 0 };
			if (!encode(f, presets[p], LZMA_CHECK_CRC32, in, n, 0,
				    0, NULL, 0, &one)
			    || !encode(f, presets[p], LZMA_CHECK_CRC32, in, n,
				       0, 0, NULL, 0, &again))
				continue;
			if (one.size != again.size
			    || memcmp(one.data, again.data, one.size) != 0)
				t_fail(__FILE__, __LINE__, "not deterministic");
			for (size_t c = 0; c < ARRAY_LEN(chunks); ++c) {
				t_buf split = { 0 };
				if (encode(f, presets[p], LZMA_CHECK_CRC32, in,
					   n, chunks[c][0], chunks[c][1], NULL,
					   0, &split)
				    && (split.size != one.size
					|| memcmp(split.data, one.data,
						  one.size) != 0))
					t_fail(__FILE__, __LINE__, "in %zu / out "
					       "%zu differs from one call",
					       chunks[c][0], chunks[c][1]);
				t_buf_free(&split);
			}
			check_own(f, &one, in, n);
			t_buf_free(&one);
			t_buf_free(&again);
		}
	free(in);
}

/* Random flush points with each flush action (and all mixed); the output
 * decodes to the input, FULL_FLUSH / FULL_BARRIER start new Blocks, and
 * 1-byte buffers give the bytes of one call with the same flushes. */
static void test_flushes(void)
{
	static const lzma_action actions[] = {
		LZMA_SYNC_FLUSH, LZMA_FULL_FLUSH, LZMA_FULL_BARRIER, LZMA_RUN,
	};
	static const char *const names[] = {
		"sync_flush", "full_flush", "full_barrier", "mixed",
	};
	const size_t n = 200000;
	uint8_t *in = make_data(GEN_TEXT, 99, n);
	for (size_t a = 0; a < 2 * ARRAY_LEN(actions); ++a) {
		/* The fast parser first, then the normal one. */
		const uint32_t preset = a < ARRAY_LEN(actions) ? 1 : 6;
		t_begin("flush %s preset %u", names[a % ARRAY_LEN(actions)],
			preset);
		uint64_t rng = 1234 + a;
		flush_point fp[10];
		size_t nfp = 0;
		size_t prev = 0;
		for (size_t i = 0; i < ARRAY_LEN(fp); ++i) {
			/* Increasing positions; some equal (a flush with
			 * nothing new to flush). */
			size_t pos = prev + (gen_below(&rng, 4) == 0 ? 0
					     : gen_below(&rng, 40000));
			pos = MIN_SZ(pos, n);
			const lzma_action base = actions[a % ARRAY_LEN(actions)];
			const lzma_action act = base != LZMA_RUN
				? base : actions[gen_below(&rng, 3)];
			fp[nfp++] = (flush_point){ pos, act };
			prev = pos;
		}
		t_buf enc = { 0 };
		if (!encode(FMT_XZ, preset, LZMA_CHECK_CRC64, in, n, 0, 0, fp,
			    nfp, &enc)) {
			t_buf_free(&enc);
			continue;
		}
		check_both(FMT_XZ, &enc, in, n);

		/* Expected Blocks: input segments separated by full
		 * flushes or barriers, counting only non-empty ones. */
		long expect = 0;
		size_t seg_start = 0;
		for (size_t i = 0; i <= nfp; ++i) {
			const bool ends = i == nfp
					  || fp[i].action != LZMA_SYNC_FLUSH;
			const size_t pos = i == nfp ? n : fp[i].pos;
			if (ends) {
				expect += pos > seg_start;
				seg_start = pos;
			}
		}
		/* The plans are meant to make several Blocks. */
		CHECK(expect == 1 ? actions[a % ARRAY_LEN(actions)]
				    == LZMA_SYNC_FLUSH
				  : expect >= 3);
		const long got = xz_block_count(&enc);
		if (got != expect)
			t_fail(__FILE__, __LINE__, "%ld Blocks, expected %ld",
			       got, expect);

		t_buf split = { 0 };
		if (encode(FMT_XZ, preset, LZMA_CHECK_CRC64, in, n, 1, 1, fp,
			   nfp, &split)
		    && (split.size != enc.size
			|| memcmp(split.data, enc.data, enc.size) != 0))
			t_fail(__FILE__, __LINE__, "1-byte buffers differ");
		t_buf_free(&split);
		t_buf_free(&enc);
	}
	free(in);
}

/* After LZMA_SYNC_FLUSH (and LZMA_FULL_FLUSH) returns LZMA_STREAM_END, the
 * output so far decodes to all input so far, for the .xz and the raw
 * LZMA2 encoder, in both parser modes. */
static void test_flush_decodable(void)
{
	const size_t n = 120000;
	uint8_t *in = make_data(GEN_TEXT, 5150, n);
	static const uint32_t presets[] = { 0, 6 };
	for (size_t p = 0; p < ARRAY_LEN(presets); ++p)
		for (int raw = 0; raw <= 1; ++raw) {
			t_begin("flush makes input decodable: %s preset %u",
				raw ? "raw lzma2" : "xz", presets[p]);
			lzma_options_lzma opt;
			lzma_lzma_preset(&opt, presets[p]);
			lzma_filter chain[2] = { { LZMA_FILTER_LZMA2, &opt },
						 { LZMA_VLI_UNKNOWN, NULL } };
			lzma_stream s = LZMA_STREAM_INIT;
			CHECK_RET(raw ? lzma_raw_encoder(&s, chain)
				  : lzma_stream_encoder(&s, chain,
							LZMA_CHECK_CRC64),
				  LZMA_OK);
			t_buf enc = { 0 };
			size_t pos = 0;
			uint64_t rng = 77 + p;
			for (int k = 0; k < 6; ++k) {
				const size_t end = MIN_SZ(
					pos + 1 + gen_below(&rng, 25000), n);
				const lzma_action act = !raw && (k & 1)
					? LZMA_FULL_FLUSH : LZMA_SYNC_FLUSH;
				CHECK_RET(pump(&s, in, &pos, end, 0, 0, act,
					       &enc), LZMA_STREAM_END);
				/* A new decoder reads what is out so far. */
				lzma_stream d = LZMA_STREAM_INIT;
				CHECK_RET(raw ? lzma_raw_decoder(&d, chain)
					  : lzma_stream_decoder(&d, UINT64_MAX,
								0), LZMA_OK);
				uint8_t *out = malloc(n);
				d.next_in = enc.data;
				d.avail_in = enc.size;
				d.next_out = out;
				d.avail_out = n;
				const lzma_ret r = lzma_code(&d, LZMA_RUN);
				CHECK(r == LZMA_OK);
				CHECK(d.total_out == pos
				      && memcmp(out, in, pos) == 0);
				CHECK_EQ(d.avail_in, 0);
				lzma_end(&d);
				free(out);
			}
			CHECK_RET(pump(&s, in, &pos, n, 0, 0, LZMA_FINISH,
				       &enc), LZMA_STREAM_END);
			lzma_end(&s);
			if (!raw)
				check_both(FMT_XZ, &enc, in, n);
			t_buf_free(&enc);
		}
	free(in);
}

/* Empty input: the .xz result is xz's own 32-byte empty Stream. */
static void test_empty(void)
{
	static const char *const opt[] = { "none", "crc32", "crc64", "sha256" };
	for (size_t c = 0; c < 4; ++c) {
		t_begin("empty xz %s", check_name[checks[c]]);
		t_buf enc = { 0 }, ref = { 0 };
		char cmd[128];
		snprintf(cmd, sizeof(cmd), XZ " -C %s -c", opt[c]);
		if (encode(FMT_XZ, 6, checks[c], NULL, 0, 0, 0, NULL, 0, &enc)) {
			CHECK_EQ(enc.size, 32);
			if (t_run(cmd, "", 0, &ref) != 0
			    || ref.size != enc.size
			    || memcmp(ref.data, enc.data, ref.size) != 0)
				t_fail(__FILE__, __LINE__, "differs from xz's");
			check_own(FMT_XZ, &enc, NULL, 0);
		}
		/* With a buffer: the same bytes. */
		uint8_t buf[64];
		size_t pos = 0;
		CHECK_RET(lzma_easy_buffer_encode(6, checks[c], NULL, NULL, 0,
						  buf, &pos, sizeof(buf)),
			  LZMA_OK);
		CHECK(pos == enc.size && memcmp(buf, enc.data, pos) == 0);
		t_buf_free(&enc);
		t_buf_free(&ref);
	}
	for (format f = FMT_LZMA; f <= FMT_LZIP; ++f) {
		t_begin("empty %s", format_name[f]);
		if (f == FMT_LZIP && !have(LZIP))
			t_skip("no %s", LZIP);
		t_buf enc = { 0 };
		if (encode(f, 6, 0, NULL, 0, 0, 0, NULL, 0, &enc))
			check_both(f, &enc, NULL, 0);
		t_buf_free(&enc);
	}
}

/* Block Header, Compressed Data, Padding and Check of a Block written by
 * lzma_block_buffer_encode() or lzma_block_uncomp_encode() decode with
 * lzma_block_header_decode() + lzma_block_buffer_decode(). */
static void check_block_roundtrip(const uint8_t *blk, size_t size,
				  lzma_check check, const uint8_t *in,
				  size_t n)
{
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	lzma_block b = { .version = 1, .check = check, .filters = filters };
	b.header_size = lzma_block_header_size_decode(blk[0]);
	CHECK_RET(lzma_block_header_decode(&b, NULL, blk), LZMA_OK);
	CHECK_EQ(b.uncompressed_size, n);
	CHECK_EQ(lzma_block_total_size(&b), size);
	uint8_t *out = malloc(n + 1);
	size_t in_pos = b.header_size, out_pos = 0;
	CHECK_RET(lzma_block_buffer_decode(&b, NULL, blk, &in_pos, size, out,
					   &out_pos, n + 1), LZMA_OK);
	CHECK(out_pos == n && memcmp(out, in, n) == 0);
	CHECK_EQ(in_pos, size);
	lzma_filters_free(filters, NULL);
	free(out);
}

static void test_block_buffer(void)
{
	static const struct { gen_kind kind; size_t n; } data[] = {
		{ GEN_TEXT, 100000 }, { GEN_RANDOM, 150000 }, { GEN_RUNS, 1 },
		{ GEN_TEXT, 0 },
	};
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 3);
	lzma_filter chain[2] = {
		{ .id = LZMA_FILTER_LZMA2, .options = &opt },
		{ .id = LZMA_VLI_UNKNOWN, .options = NULL },
	};
	for (size_t d = 0; d < ARRAY_LEN(data); ++d) {
		const size_t n = data[d].n;
		uint8_t *in = make_data(data[d].kind, d, n);
		const size_t bound = lzma_block_buffer_bound(n);
		uint8_t *out = malloc(bound + 8);
		for (int uncomp = 0; uncomp <= 1; ++uncomp) {
			t_begin("block buffer %s %zu%s",
				gen_kind_name(data[d].kind), n,
				uncomp ? " uncomp" : "");
			lzma_block b = { .version = 0, .check = LZMA_CHECK_SHA256,
					 .filters = chain };
			size_t pos = 3;         /* an offset must be kept */
			const lzma_ret r = uncomp
				? lzma_block_uncomp_encode(&b, in, n, out, &pos,
							   bound + 3)
				: lzma_block_buffer_encode(&b, NULL, in, n, out,
							   &pos, bound + 3);
			CHECK_RET(r, LZMA_OK);
			if (r != LZMA_OK)
				continue;
			CHECK(pos - 3 <= bound);
			CHECK_EQ(lzma_block_total_size(&b), pos - 3);
			/* Incompressible data falls back to stored chunks,
			 * which the bound always holds. */
			if (data[d].kind == GEN_RANDOM)
				CHECK(b.compressed_size
				      == n + 3 * ((n + 65535) / 65536) + 1);
			check_block_roundtrip(out + 3, pos - 3, b.check, in, n);

			/* One byte less than needed: LZMA_BUF_ERROR and
			 * *out_pos unchanged. Block sizes are multiples of
			 * four, so take four away. */
			const size_t need = pos;
			pos = 3;
			CHECK_RET(uncomp
				  ? lzma_block_uncomp_encode(&b, in, n, out,
							     &pos, need - 4)
				  : lzma_block_buffer_encode(&b, NULL, in, n,
							     out, &pos,
							     need - 4),
				  LZMA_BUF_ERROR);
			CHECK_EQ(pos, 3);
		}
		free(out);
		free(in);
	}
}

/* The bounds equal liblzma 5.4.1's (values printed by a probe linked with
 * the system's liblzma), so buffers sized by either library fit both. */
static void test_bounds(void)
{
	t_begin("buffer bounds as liblzma");
	static const size_t in[] = { 0, 1, 65536, 65537, 1000000 };
	static const size_t block[] = { 96, 100, 65632, 65636, 1000144 };
	static const size_t stream[] = { 144, 148, 65680, 65684, 1000192 };
	for (size_t i = 0; i < ARRAY_LEN(in); ++i) {
		CHECK_EQ(lzma_block_buffer_bound(in[i]), block[i]);
		CHECK_EQ(lzma_stream_buffer_bound(in[i]), stream[i]);
	}
	CHECK_EQ(lzma_stream_buffer_bound(SIZE_MAX), 0);
	CHECK_EQ(lzma_block_buffer_bound(SIZE_MAX), 0);
	CHECK_EQ(lzma_easy_encoder_memusage(10), UINT32_MAX);
	/* Within 10% of liblzma's figures for -0, -6, -9. */
	CHECK(lzma_easy_encoder_memusage(0) < 2855431ULL * 11 / 10
	      && lzma_easy_encoder_memusage(0) > 2855431ULL * 9 / 10);
	CHECK(lzma_easy_encoder_memusage(6) < 97620491ULL * 11 / 10
	      && lzma_easy_encoder_memusage(6) > 97620491ULL * 9 / 10);
	CHECK(lzma_easy_encoder_memusage(9) < 705794571ULL * 11 / 10
	      && lzma_easy_encoder_memusage(9) > 705794571ULL * 9 / 10);
	CHECK(lzma_easy_decoder_memusage(6) < 8454200ULL * 11 / 10
	      && lzma_easy_decoder_memusage(6) > 8454200ULL * 9 / 10);

	for (int kind = 0; kind < 2; ++kind) {
		const size_t n = 200000;
		uint8_t *data = make_data(kind ? GEN_RANDOM : GEN_TEXT, 5, n);
		t_begin("easy buffer encode %s", kind ? "random" : "text");
		const size_t bound = lzma_stream_buffer_bound(n);
		uint8_t *out = malloc(bound);
		size_t pos = 0;
		CHECK_RET(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL,
						  data, n, out, &pos, bound),
			  LZMA_OK);
		t_buf enc = { 0 };
		t_buf_put(&enc, out, pos);
		check_both(FMT_XZ, &enc, data, n);
		/* Too small by one: LZMA_BUF_ERROR, *out_pos unchanged. */
		const size_t need = pos;
		pos = 0;
		CHECK_RET(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL,
						  data, n, out, &pos, need - 1),
			  LZMA_BUF_ERROR);
		CHECK_EQ(pos, 0);
		pos = 0;
		CHECK_RET(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL,
						  data, n, out, &pos, need),
			  LZMA_OK);
		CHECK_EQ(pos, need);
		t_buf_free(&enc);
		free(out);
		free(data);
	}
}

/* Raw chains: the bytes of lzma_raw_encoder() and lzma_raw_buffer_encode()
 * decode with xz --format=raw and our raw decoder. */
static void test_raw(void)
{
	const size_t n = 70000;
	uint8_t *in = make_data(GEN_X86, 3, n);
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 1);
	static const struct {
		lzma_vli id;
		const char *xzopt;
	} kinds[] = {
		{ LZMA_FILTER_LZMA2, "--lzma2=preset=1" },
		{ LZMA_FILTER_LZMA1, "--lzma1=preset=1" },
	};
	for (size_t k = 0; k < ARRAY_LEN(kinds); ++k) {
		t_begin("raw %s", k == 0 ? "lzma2" : "lzma1");
		lzma_filter chain[3] = {
			{ .id = LZMA_FILTER_X86, .options = NULL },
			{ .id = kinds[k].id, .options = &opt },
			{ .id = LZMA_VLI_UNKNOWN, .options = NULL },
		};
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(lzma_raw_encoder(&s, chain), LZMA_OK);
		t_buf enc = { 0 }, dec = { 0 };
		CHECK_RET(encode_with(&s, in, n, 1000, 777, NULL, 0, &enc),
			  LZMA_STREAM_END);
		lzma_end(&s);
		char cmd[128];
		snprintf(cmd, sizeof(cmd), XZ " --format=raw --x86 %s -dc",
			 kinds[k].xzopt);
		const int st = t_run(cmd, enc.data, enc.size, &dec);
		if (st != 0 || !same(&dec, in, n))
			t_fail(__FILE__, __LINE__, "%s: status %d", cmd, st);

		const size_t cap = n + n / 2 + 1024;
		uint8_t *out = malloc(cap);
		size_t pos = 0;
		CHECK_RET(lzma_raw_buffer_encode(chain, NULL, in, n, out, &pos,
						 cap), LZMA_OK);
		CHECK(pos == enc.size && memcmp(out, enc.data, pos) == 0);
		const size_t need = pos;
		pos = 0;
		CHECK_RET(lzma_raw_buffer_encode(chain, NULL, in, n, out, &pos,
						 need - 1), LZMA_BUF_ERROR);
		CHECK_EQ(pos, 0);

		uint8_t *back = malloc(n);
		size_t ip = 0, op = 0;
		CHECK_RET(lzma_raw_buffer_decode(chain, NULL, enc.data, &ip,
						 enc.size, back, &op, n),
			  LZMA_OK);
		CHECK(op == n && memcmp(back, in, n) == 0);
		free(back);
		free(out);
		t_buf_free(&enc);
		t_buf_free(&dec);
	}
	free(in);
}

/* LZMA1EXT: with LZMA_LZMA1EXT_ALLOW_EOPM the bytes of plain LZMA1; without
 * it no end marker, and a decoder told the size reads the data back. */
static void test_lzma1ext(void)
{
	t_begin("raw lzma1ext");
	const size_t n = 50000;
	uint8_t *in = make_data(GEN_BINARY, 12, n);
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 2);
	lzma_filter chain[2] = { { LZMA_FILTER_LZMA1, &opt },
				 { LZMA_VLI_UNKNOWN, NULL } };
	const size_t cap = n + n / 2 + 1024;
	uint8_t *plain = malloc(cap), *ext = malloc(cap), *back = malloc(n);
	size_t plain_size = 0, ext_size = 0;
	CHECK_RET(lzma_raw_buffer_encode(chain, NULL, in, n, plain, &plain_size,
					 cap), LZMA_OK);
	chain[0].id = LZMA_FILTER_LZMA1EXT;
	opt.ext_flags = LZMA_LZMA1EXT_ALLOW_EOPM;
	CHECK_RET(lzma_raw_buffer_encode(chain, NULL, in, n, ext, &ext_size,
					 cap), LZMA_OK);
	CHECK(ext_size == plain_size && memcmp(ext, plain, ext_size) == 0);

	opt.ext_flags = 0;
	ext_size = 0;
	CHECK_RET(lzma_raw_buffer_encode(chain, NULL, in, n, ext, &ext_size,
					 cap), LZMA_OK);
	CHECK(ext_size < plain_size);   /* no end marker */
	lzma_set_ext_size(opt, n);
	size_t ip = 0, op = 0;
	CHECK_RET(lzma_raw_buffer_decode(chain, NULL, ext, &ip, ext_size, back,
					 &op, n), LZMA_OK);
	CHECK(op == n && memcmp(back, in, n) == 0);
	opt.ext_flags = 2;              /* unknown flag */
	ext_size = 0;
	CHECK_RET(lzma_raw_buffer_encode(chain, NULL, in, n, ext, &ext_size,
					 cap), LZMA_OPTIONS_ERROR);
	free(plain);
	free(ext);
	free(back);
	free(in);
}

/* Filter chains in .xz: BCJ and delta before LZMA2. */
static void test_chains(void)
{
	const size_t n = 120000;
	uint8_t *in = make_data(GEN_X86, 11, n);
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 6);
	lzma_options_delta delta = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 4 };
	lzma_options_bcj bcj = { .start_offset = 16 };
	const lzma_filter chains[][4] = {
		{ { LZMA_FILTER_X86, NULL }, { LZMA_FILTER_LZMA2, &opt },
		  { LZMA_VLI_UNKNOWN, NULL } },
		{ { LZMA_FILTER_DELTA, &delta }, { LZMA_FILTER_LZMA2, &opt },
		  { LZMA_VLI_UNKNOWN, NULL } },
		{ { LZMA_FILTER_ARM64, &bcj }, { LZMA_FILTER_DELTA, &delta },
		  { LZMA_FILTER_LZMA2, &opt }, { LZMA_VLI_UNKNOWN, NULL } },
	};
	static const char *const names[] = { "x86", "delta", "arm64+delta" };
	for (size_t c = 0; c < ARRAY_LEN(chains); ++c) {
		t_begin("xz chain %s", names[c]);
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(lzma_stream_encoder(&s, chains[c], LZMA_CHECK_CRC32),
			  LZMA_OK);
		t_buf enc = { 0 };
		CHECK_RET(encode_with(&s, in, n, 3333, 0, NULL, 0, &enc),
			  LZMA_STREAM_END);
		lzma_end(&s);
		check_both(FMT_XZ, &enc, in, n);
		t_buf_free(&enc);
	}
	free(in);
}

/* A Block written with lzma_block_encoder() after its header, read back
 * with lzma_block_decoder(). */
static void test_block_encoder(void)
{
	t_begin("block encoder");
	const size_t n = 80000;
	uint8_t *in = make_data(GEN_BINARY, 21, n);
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 2);
	lzma_filter chain[2] = { { LZMA_FILTER_LZMA2, &opt },
				 { LZMA_VLI_UNKNOWN, NULL } };
	lzma_block b = { .version = 1, .check = LZMA_CHECK_CRC64,
			 .compressed_size = LZMA_VLI_UNKNOWN,
			 .uncompressed_size = LZMA_VLI_UNKNOWN,
			 .filters = chain };
	CHECK_RET(lzma_block_header_size(&b), LZMA_OK);
	t_buf enc = { 0 };
	uint8_t hdr[LZMA_BLOCK_HEADER_SIZE_MAX];
	CHECK_RET(lzma_block_header_encode(&b, hdr), LZMA_OK);
	t_buf_put(&enc, hdr, b.header_size);
	lzma_stream s = LZMA_STREAM_INIT;
	CHECK_RET(lzma_block_encoder(&s, &b), LZMA_OK);
	const flush_point fp[] = { { 30000, LZMA_SYNC_FLUSH } };
	CHECK_RET(encode_with(&s, in, n, 999, 0, fp, 1, &enc), LZMA_STREAM_END);
	/* The encoder does not take full flushes (liblzma's rule). */
	lzma_end(&s);
	CHECK_EQ(b.uncompressed_size, n);
	CHECK_EQ(lzma_block_total_size(&b), enc.size);

	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	lzma_block d = { .version = 1, .check = LZMA_CHECK_CRC64,
			 .filters = filters };
	d.header_size = lzma_block_header_size_decode(enc.data[0]);
	CHECK_RET(lzma_block_header_decode(&d, NULL, enc.data), LZMA_OK);
	CHECK_RET(lzma_block_decoder(&s, &d), LZMA_OK);
	t_buf dec = { 0 };
	CHECK_RET(t_code(&s, enc.data + d.header_size,
			 enc.size - d.header_size, 0, 0, &dec),
		  LZMA_STREAM_END);
	CHECK(same(&dec, in, n));
	CHECK(memcmp(d.raw_check, b.raw_check, 8) == 0);
	lzma_end(&s);
	lzma_filters_free(filters, NULL);
	t_buf_free(&dec);
	t_buf_free(&enc);

	t_begin("block encoder rejects full flush");
	lzma_block b2 = b;
	CHECK_RET(lzma_block_encoder(&s, &b2), LZMA_OK);
	s.next_in = in;
	s.avail_in = 10;
	uint8_t out[64];
	s.next_out = out;
	s.avail_out = sizeof(out);
	CHECK_RET(lzma_code(&s, LZMA_FULL_FLUSH), LZMA_PROG_ERROR);
	lzma_end(&s);
	free(in);
}

/* The Index of three Records, written by lzma_index_buffer_encode(), is
 * accepted by lzma_index_hash (the decoder's verifier) for the same
 * Records; the sizes follow xz-file-format.txt 4. */
static void test_index(void)
{
	t_begin("index encode");
	static const lzma_vli rec[][2] = {
		{ 100, 1000 }, { 5, 0 }, { 70000, 1u << 20 },
	};
	lzma_index *i = lzma_index_init(NULL);
	lzma_index_hash *h = lzma_index_hash_init(NULL, NULL);
	CHECK(i != NULL && h != NULL);
	for (size_t k = 0; k < ARRAY_LEN(rec); ++k) {
		CHECK_RET(lzma_index_append(i, NULL, rec[k][0], rec[k][1]),
			  LZMA_OK);
		CHECK_RET(lzma_index_hash_append(h, rec[k][0], rec[k][1]),
			  LZMA_OK);
	}
	CHECK_RET(lzma_index_append(i, NULL, 4, 1), LZMA_PROG_ERROR);
	CHECK_EQ(lzma_index_block_count(i), 3);
	/* 1 + 1 + (1+2) + (1+1) + (3+3) + 4 = 18 -> 20. */
	CHECK_EQ(lzma_index_size(i), 20);
	CHECK_EQ(lzma_index_size(i), lzma_index_hash_size(h));
	CHECK_EQ(lzma_index_total_size(i), 100 + 8 + 70000);
	CHECK_EQ(lzma_index_uncompressed_size(i), 1000 + (1u << 20));
	CHECK_EQ(lzma_index_stream_size(i), 24 + 70108 + 20);
	uint8_t buf[64];
	size_t pos = 0;
	CHECK_RET(lzma_index_buffer_encode(i, buf, &pos, 19), LZMA_BUF_ERROR);
	CHECK_EQ(pos, 0);
	CHECK_RET(lzma_index_buffer_encode(i, buf, &pos, sizeof(buf)), LZMA_OK);
	CHECK_EQ(pos, 20);
	size_t in_pos = 0;
	CHECK_RET(lzma_index_hash_decode(h, buf, &in_pos, pos),
		  LZMA_STREAM_END);

	/* The streaming encoder writes the same bytes, 1 byte at a time. */
	lzma_stream s = LZMA_STREAM_INIT;
	CHECK_RET(lzma_index_encoder(&s, i), LZMA_OK);
	t_buf enc = { 0 };
	CHECK_RET(encode_with(&s, NULL, 0, 0, 1, NULL, 0, &enc),
		  LZMA_STREAM_END);
	CHECK(enc.size == 20 && memcmp(enc.data, buf, 20) == 0);
	lzma_end(&s);
	t_buf_free(&enc);
	lzma_index_hash_end(h, NULL);
	lzma_index_end(i, NULL);
}

/* lzma_filters_update(): new lc/lp/pb inside a Block, a new preset after
 * a full flush; xz and our decoder read the result. */
static void test_update(void)
{
	t_begin("filters update");
	const size_t n = 150000;
	uint8_t *in = make_data(GEN_TEXT, 77, n);
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 6);
	lzma_filter chain[2] = { { LZMA_FILTER_LZMA2, &opt },
				 { LZMA_VLI_UNKNOWN, NULL } };
	lzma_stream s = LZMA_STREAM_INIT;
	CHECK_RET(lzma_stream_encoder(&s, chain, LZMA_CHECK_CRC32), LZMA_OK);
	t_buf enc = { 0 };
	size_t pos = 0;
	CHECK_RET(pump(&s, in, &pos, 50000, 0, 0, LZMA_RUN, &enc), LZMA_OK);
	opt.lc = 0;
	opt.lp = 2;
	opt.pb = 0;
	CHECK_RET(lzma_filters_update(&s, chain), LZMA_OK);
	CHECK_RET(pump(&s, in, &pos, 100000, 0, 0, LZMA_FULL_FLUSH, &enc),
		  LZMA_STREAM_END);
	lzma_lzma_preset(&opt, 0);
	CHECK_RET(lzma_filters_update(&s, chain), LZMA_OK);
	opt.lc = 5;     /* invalid: lc + lp > 4 */
	CHECK_RET(lzma_filters_update(&s, chain), LZMA_OPTIONS_ERROR);
	CHECK_RET(pump(&s, in, &pos, n, 0, 0, LZMA_FINISH, &enc),
		  LZMA_STREAM_END);
	lzma_end(&s);
	check_both(FMT_XZ, &enc, in, n);
	CHECK_EQ(xz_block_count(&enc), 2);
	t_buf_free(&enc);
	free(in);
}

/* Header details of .lz and .lzma: the coded dictionary sizes. */
static void test_headers(void)
{
	static const struct {
		uint32_t dict;
		uint8_t lz;             /* DS byte, lzip manual */
		uint32_t lzma;          /* .lzma header's dictionary size */
	} dicts[] = {
		{ 4096, 0x0C, 4096 },
		{ 4097, 0xED, 6144 },
		{ 5u << 20, 0xD7, 6u << 20 },
		{ 8u << 20, 0x17, 8u << 20 },
		{ 100000, 0x71, 131072 },
	};
	const size_t n = 30000;
	uint8_t *in = make_data(GEN_TEXT, 8, n);
	for (size_t d = 0; d < ARRAY_LEN(dicts); ++d) {
		t_begin("dictionary %u in .lz and .lzma headers",
			dicts[d].dict);
		lzma_options_lzma opt;
		lzma_lzma_preset(&opt, 1);
		opt.dict_size = dicts[d].dict;
		lzma_stream s = LZMA_STREAM_INIT;
		t_buf lz = { 0 }, alone = { 0 };
		CHECK_RET(clearxz_lzip_encoder(&s, &opt), LZMA_OK);
		CHECK_RET(encode_with(&s, in, n, 0, 0, NULL, 0, &lz),
			  LZMA_STREAM_END);
		CHECK_RET(lzma_alone_encoder(&s, &opt), LZMA_OK);
		CHECK_RET(encode_with(&s, in, n, 0, 0, NULL, 0, &alone),
			  LZMA_STREAM_END);
		lzma_end(&s);
		CHECK(lz.size > 26 && memcmp(lz.data, "LZIP\1", 5) == 0);
		CHECK_EQ(lz.data[5], dicts[d].lz);
		CHECK(alone.size > 13);
		CHECK_EQ(alone.data[0], 0x5D);          /* lc 3 lp 0 pb 2 */
		CHECK_EQ(alone.data[1] | alone.data[2] << 8
			 | alone.data[3] << 16 | (uint32_t)alone.data[4] << 24,
			 dicts[d].lzma);
		for (int k = 5; k < 13; ++k)
			CHECK_EQ(alone.data[k], 0xFF);
		if (have(LZIP))
			check_external(FMT_LZIP, &lz, in, n);
		check_external(FMT_LZMA, &alone, in, n);
		t_buf_free(&lz);
		t_buf_free(&alone);
	}
	free(in);
}

static void test_errors(void)
{
	t_begin("encoder init errors");
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 1);
	lzma_filter chain[2] = { { LZMA_FILTER_LZMA2, &opt },
				 { LZMA_VLI_UNKNOWN, NULL } };
	CHECK_RET(lzma_stream_encoder(&s, chain, (lzma_check)16),
		  LZMA_PROG_ERROR);
	CHECK_RET(lzma_stream_encoder(&s, chain, (lzma_check)2),
		  LZMA_UNSUPPORTED_CHECK);
	CHECK_RET(lzma_stream_encoder(&s, NULL, LZMA_CHECK_CRC32),
		  LZMA_PROG_ERROR);
	CHECK_RET(lzma_easy_encoder(&s, 10, LZMA_CHECK_CRC32),
		  LZMA_OPTIONS_ERROR);
	CHECK_RET(lzma_easy_encoder(&s, 6 | 0x100, LZMA_CHECK_CRC32),
		  LZMA_OPTIONS_ERROR);
	/* LZMA1 has a reserved ID: it cannot be in a .xz Block. */
	chain[0].id = LZMA_FILTER_LZMA1;
	CHECK_RET(lzma_stream_encoder(&s, chain, LZMA_CHECK_CRC32),
		  LZMA_PROG_ERROR);
	chain[0].id = LZMA_FILTER_LZMA2;
	opt.lc = 4;
	opt.lp = 1;
	CHECK_RET(lzma_stream_encoder(&s, chain, LZMA_CHECK_CRC32),
		  LZMA_OPTIONS_ERROR);
	CHECK_RET(clearxz_lzip_encoder(&s, &opt), LZMA_OPTIONS_ERROR);
	lzma_lzma_preset(&opt, 1);
	opt.dict_size = 4095;
	CHECK_RET(lzma_alone_encoder(&s, &opt), LZMA_OPTIONS_ERROR);
	CHECK_RET(clearxz_lzip_encoder(&s, &opt), LZMA_OPTIONS_ERROR);
	opt.dict_size = (512u << 20) + 1;
	CHECK_RET(clearxz_lzip_encoder(&s, &opt), LZMA_OPTIONS_ERROR);
	CHECK_RET(lzma_alone_encoder(&s, NULL), LZMA_PROG_ERROR);
	CHECK(lzma_filter_encoder_is_supported(LZMA_FILTER_LZMA2));
	CHECK(lzma_filter_encoder_is_supported(LZMA_FILTER_LZMA1));
	CHECK(lzma_filter_encoder_is_supported(LZMA_FILTER_X86));
	CHECK(!lzma_filter_encoder_is_supported(0x7777));
	lzma_end(&s);

	t_begin("encoder action errors");
	lzma_lzma_preset(&opt, 1);
	uint8_t out[64], in[4] = { 1, 2, 3, 4 };
	CHECK_RET(lzma_alone_encoder(&s, &opt), LZMA_OK);
	s.next_in = in;
	s.avail_in = sizeof(in);
	s.next_out = out;
	s.avail_out = sizeof(out);
	CHECK_RET(lzma_code(&s, LZMA_SYNC_FLUSH), LZMA_PROG_ERROR);
	/* A raw LZMA1 chain cannot flush. */
	chain[0].id = LZMA_FILTER_LZMA1;
	CHECK_RET(lzma_raw_encoder(&s, chain), LZMA_OK);
	s.next_in = in;
	s.avail_in = sizeof(in);
	s.next_out = out;
	s.avail_out = sizeof(out);
	CHECK_RET(lzma_code(&s, LZMA_SYNC_FLUSH), LZMA_OPTIONS_ERROR);
	lzma_end(&s);
	/* Updating a coder that cannot: PROG_ERROR. */
	CHECK_RET(lzma_alone_encoder(&s, &opt), LZMA_OK);
	chain[0].id = LZMA_FILTER_LZMA2;
	CHECK_RET(lzma_filters_update(&s, chain), LZMA_PROG_ERROR);
	lzma_end(&s);

	t_begin("filters copy");
	lzma_options_delta delta = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 7 };
	lzma_filter src[3] = { { LZMA_FILTER_DELTA, &delta },
			       { LZMA_FILTER_LZMA2, &opt },
			       { LZMA_VLI_UNKNOWN, NULL } };
	lzma_filter dst[LZMA_FILTERS_MAX + 1];
	CHECK_RET(lzma_filters_copy(src, dst, NULL), LZMA_OK);
	CHECK(dst[0].id == LZMA_FILTER_DELTA && dst[0].options != &delta
	      && memcmp(dst[0].options, &delta, sizeof(delta)) == 0);
	CHECK(dst[1].id == LZMA_FILTER_LZMA2
	      && memcmp(dst[1].options, &opt, sizeof(opt)) == 0);
	CHECK(dst[2].id == LZMA_VLI_UNKNOWN);
	lzma_filters_free(dst, NULL);
	CHECK(dst[0].id == LZMA_VLI_UNKNOWN && dst[0].options == NULL);
	src[0].id = 0x7777;     /* unknown, with options */
	CHECK_RET(lzma_filters_copy(src, dst, NULL), LZMA_OPTIONS_ERROR);
}

/* A caller's allocator sees every allocation, and everything is freed by
 * lzma_end() (CPython installs its own allocator). */
static size_t live_blocks, total_allocs;

static void *count_alloc(void *opaque, size_t nmemb, size_t size)
{
	(void)opaque;
	++live_blocks;
	++total_allocs;
	return malloc(nmemb * size);
}

static void count_free(void *opaque, void *ptr)
{
	(void)opaque;
	if (ptr != NULL)
		--live_blocks;
	free(ptr);
}

static void test_allocator(void)
{
	static const lzma_allocator counting = { count_alloc, count_free, NULL };
	const size_t n = 80000;
	uint8_t *in = make_data(GEN_TEXT, 31, n);
	const flush_point fp[] = {
		{ 20000, LZMA_SYNC_FLUSH }, { 40000, LZMA_FULL_FLUSH },
		{ 60000, LZMA_FULL_BARRIER },
	};
	for (format f = FMT_XZ; f <= FMT_LZIP; ++f) {
		t_begin("allocator %s", format_name[f]);
		live_blocks = total_allocs = 0;
		lzma_stream s = LZMA_STREAM_INIT;
		s.allocator = &counting;
		CHECK_RET(init_encoder(&s, f, 3, LZMA_CHECK_SHA256), LZMA_OK);
		t_buf enc = { 0 };
		CHECK_RET(encode_with(&s, in, n, 0, 0, fp,
				      f == FMT_XZ ? ARRAY_LEN(fp) : 0, &enc),
			  LZMA_STREAM_END);
		lzma_end(&s);
		CHECK(total_allocs > 0);
		CHECK_EQ(live_blocks, 0);
		check_own(f, &enc, in, n);
		t_buf_free(&enc);
	}
	t_begin("allocator buffer encoders");
	live_blocks = total_allocs = 0;
	const size_t cap = lzma_stream_buffer_bound(n);
	uint8_t *out = malloc(cap);
	size_t pos = 0;
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 2);
	lzma_filter chain[2] = { { LZMA_FILTER_LZMA2, &opt },
				 { LZMA_VLI_UNKNOWN, NULL } };
	CHECK_RET(lzma_stream_buffer_encode(chain, LZMA_CHECK_CRC32, &counting,
					    in, n, out, &pos, cap), LZMA_OK);
	pos = 0;
	CHECK_RET(lzma_raw_buffer_encode(chain, &counting, in, n, out, &pos,
					 cap), LZMA_OK);
	CHECK(total_allocs > 0);
	CHECK_EQ(live_blocks, 0);
	free(out);
	free(in);
}

int main(void)
{
	if (!have(XZ)) {
		t_begin("encode");
		t_skip("no %s", XZ);
		return t_done();
	}
	test_errors();
	test_empty();
	test_bounds();
	test_block_buffer();
	test_block_encoder();
	test_index();
	test_headers();
	test_raw();
	test_lzma1ext();
	test_chains();
	test_update();
	test_allocator();
	test_streaming();
	test_flushes();
	test_flush_decodable();
	test_checks_and_kinds();
	test_presets();
	return t_done();
}
