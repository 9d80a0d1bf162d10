/*
 * test_corrupt.c -- broken .xz, .lzma and .lz files, built in code, must be
 * rejected with the right lzma_ret; their good twins must decode.
 *
 * The categories are those of XZ Utils' bad-* test vectors (header and
 * footer magic, Stream Flags, CRC32s, Backward Size, Index count, records,
 * padding and CRC32, Block Header fields and CRC32, reserved bits, filter
 * flags, size mismatches, Check mismatch per check type, non-null
 * padding, unsupported filters, truncation, concatenation with garbage);
 * tests/xzwriter.h names the field each breakage hits and its section of
 * the .xz specification.
 *
 * Every file goes through lzma_stream_decoder (with and without
 * LZMA_CONCATENATED) and lzma_auto_decoder, each fed in one call and one
 * byte at a time; the result must be the same. Output produced before an
 * error must be a prefix of the real data. The expected codes are
 * liblzma's (checked against liblzma 5.4.1):
 *   LZMA_FORMAT_ERROR   first Stream's Header Magic Bytes wrong
 *   LZMA_OPTIONS_ERROR  reserved bits/fields set, unsupported filters or
 *                       filter properties (the file may be valid for a
 *                       newer format version)
 *   LZMA_DATA_ERROR     everything else that is corrupt
 *   LZMA_BUF_ERROR      truncated input (lzma_code's "no progress" rule)
 */
#include "testutil.h"
#include "gen.h"
#include "xzwriter.h"

#include <string.h>

typedef enum {
	DEC_STREAM,      /* lzma_stream_decoder, flags 0 */
	DEC_STREAM_CAT,  /* lzma_stream_decoder, LZMA_CONCATENATED (as xz -d) */
	DEC_AUTO_CAT,    /* lzma_auto_decoder, LZMA_CONCATENATED */
	DEC_AUTO,        /* lzma_auto_decoder, flags 0 */
	DEC_ALONE,       /* lzma_alone_decoder */
	DEC_LZIP_CAT,    /* lzma_lzip_decoder, LZMA_CONCATENATED */
} dec_kind;

static const char *const dec_names[] = {
	"stream", "stream_cat", "auto_cat", "auto", "alone", "lzip_cat",
};

static lzma_ret dec_init(lzma_stream *st, dec_kind k)
{
	switch (k) {
	case DEC_STREAM: return lzma_stream_decoder(st, UINT64_MAX, 0);
	case DEC_STREAM_CAT: return lzma_stream_decoder(st, UINT64_MAX, LZMA_CONCATENATED);
	case DEC_AUTO_CAT: return lzma_auto_decoder(st, UINT64_MAX, LZMA_CONCATENATED);
	case DEC_AUTO: return lzma_auto_decoder(st, UINT64_MAX, 0);
	case DEC_ALONE: return lzma_alone_decoder(st, UINT64_MAX);
	case DEC_LZIP_CAT: return lzma_lzip_decoder(st, UINT64_MAX, LZMA_CONCATENATED);
	}
	return LZMA_PROG_ERROR;
}

/* Decode file with decoder k, fed in chunks of `chunk` bytes (0 = all at
 * once, output likewise). Returns the result; output in *out; the input
 * left over in *left. */
static lzma_ret dec_run(dec_kind k, const uint8_t *in, size_t size, size_t chunk,
			t_buf *out, size_t *left)
{
	lzma_stream st = LZMA_STREAM_INIT;
	lzma_ret ret = dec_init(&st, k);
	if (ret == LZMA_OK)
		ret = xw_decode(&st, in, size, chunk, chunk, out, NULL);
	else
		ret = (lzma_ret)(2000 + ret); /* an init failure is never expected */
	if (left != NULL)
		*left = st.avail_in;
	lzma_end(&st);
	return ret;
}

/* The whole check: decoder k gives `want` in one call and byte by byte;
 * output is a prefix of data (all of it on success). */
/* Set while a case hits a known bug of an older liblzma: then only the
 * one-call decode is checked and a NOTE line says so. */
static bool one_call_only;

static void expect(dec_kind k, const uint8_t *in, size_t size, lzma_ret want,
		   const uint8_t *data, size_t data_size)
{
	static const size_t chunks[] = { 0, 1 };
	for (size_t c = 0; c < (one_call_only ? 1u : 2u); c++) {
		t_buf out = { 0 };
		lzma_ret got = dec_run(k, in, size, chunks[c], &out, NULL);
		if (got != want)
			t_fail(__FILE__, __LINE__, "%s decoder, %s: got %s, want %s",
			       dec_names[k], c ? "1-byte buffers" : "one call",
			       xw_ret_name(got), xw_ret_name(want));
		else if (out.size > data_size || (out.size && memcmp(out.data, data, out.size) != 0))
			t_fail(__FILE__, __LINE__, "%s decoder, %s: output is not a prefix of the data",
			       dec_names[k], c ? "1-byte buffers" : "one call");
		else if (want == LZMA_STREAM_END && out.size != data_size)
			t_fail(__FILE__, __LINE__, "%s decoder: %zu bytes out, want %zu",
			       dec_names[k], out.size, data_size);
		t_buf_free(&out);
	}
}

/* ---- .xz: one breakage at a time ------------------------------------------ */

static uint8_t d13[13], d200[200], d3000[3000];
static t_buf raw2; /* raw LZMA2 of d3000 from xz, dictionary 64 KiB */

typedef struct {
	const char *name;
	xw_block blocks[2];
	size_t nblocks;
	uint32_t padding;
	bool after_empty;   /* written after a good empty Stream */
	bool all_checks;    /* try every check type, else CRC64 only */
} layout;

/* Not const: the xz-made LZMA2 data is filled in by main(). */
static layout layouts[] = {
	{ "0blocks", { { 0 } }, 0, 0, false, false },
	{ "1block_sizes", { { .data = d13, .size = 13, .csize = true, .usize = true } },
	  1, 0, false, true },
	{ "1block_chunks", { { .data = d200, .size = 200, .chunk = 64, .dict = 18 } },
	  1, 0, false, false },
	{ "2blocks_delta_pad", { { .data = d13, .size = 13, .csize = true, .usize = true,
				   .header_pad = 4 },
				 { .data = d200, .size = 200, .delta_dist = 4, .chunk = 50 } },
	  2, 4, false, true },
	{ "second_stream", { { .data = d13, .size = 13, .csize = true, .usize = true } },
	  1, 0, true, false },
	/* Real LZMA chunks: the LZMA decoder's own error paths. */
	{ "lzma2_from_xz", { { .data = d3000, .size = sizeof(d3000), .dict = 8 } },
	  1, 0, false, true },
};
enum { LAYOUT_2BLOCKS = 3, LAYOUT_LZMA2_FROM_XZ = 5 };

static lzma_ret expected_ret(xw_break b, const layout *l)
{
	bool second_stream = l->after_empty;
	switch (b) {
	case XW_INDEX_INDICATOR:
		/* With no Blocks, the Index is 8 bytes: 01 00 00 00 + CRC32,
		 * read as a Block Header of 8 bytes whose CRC32 matches (it
		 * covers the same four bytes); it then names filter ID 0x00,
		 * which is unsupported. */
		return l->nblocks == 0 ? LZMA_OPTIONS_ERROR : LZMA_DATA_ERROR;
	case XW_GOOD:
		return LZMA_STREAM_END;
	case XW_HEADER_MAGIC:
		/* Only the first Stream decides the format. */
		return second_stream ? LZMA_DATA_ERROR : LZMA_FORMAT_ERROR;
	case XW_HEADER_FLAGS_RESERVED:
	case XW_BLOCK_FLAGS_RESERVED:
	case XW_BLOCK_HEADER_PADDING:
	case XW_FILTER_UNKNOWN_ID:
	case XW_FILTER_DELTA_LAST:
	case XW_FILTER_LZMA2_NOT_LAST:
	case XW_FILTER_LZMA2_PROPS_SIZE:
	case XW_FILTER_LZMA2_DICT:
		return LZMA_OPTIONS_ERROR;
	default:
		return LZMA_DATA_ERROR;
	}
}

static const char *check_name(uint32_t check)
{
	switch (check) {
	case 0: return "none";
	case 1: return "crc32";
	case 4: return "crc64";
	case 10: return "sha256";
	default: return "other";
	}
}

/* Build layout l with check and breakage b; false if b does not apply. */
static bool build(t_buf *f, const layout *l, uint32_t check, xw_break b, t_buf *data)
{
	if (l->after_empty) {
		xw_stream e = { .check = check };
		xw_write(f, &e);
	}
	xw_stream s = { .check = check, .blocks = l->blocks, .nblocks = l->nblocks,
			.padding = l->padding, .brk = b,
			.brk_block = l->nblocks ? l->nblocks - 1 : 0 };
	for (size_t i = 0; i < l->nblocks; i++)
		t_buf_put(data, l->blocks[i].data, l->blocks[i].size);
	return xw_write(f, &s);
}

static void test_breakages(void)
{
	static const uint32_t checks[] = { 0, 1, 4, 10 };
	for (size_t li = 0; li < sizeof(layouts) / sizeof(layouts[0]); li++) {
		const layout *l = &layouts[li];
		for (size_t ci = 0; ci < 4; ci++) {
			if (!l->all_checks && checks[ci] != 4)
				continue;
			for (int b = 0; b < XW_BREAK_COUNT; b++) {
				t_buf f = { 0 }, data = { 0 };
				if (build(&f, l, checks[ci], (xw_break)b, &data)) {
					t_begin("xz/%s/%s/%s", xw_break_name((xw_break)b), l->name,
						check_name(checks[ci]));
					lzma_ret want = expected_ret((xw_break)b, l);
					expect(DEC_STREAM_CAT, f.data, f.size, want, data.data, data.size);
					expect(DEC_AUTO_CAT, f.data, f.size, want, data.data, data.size);
					/* Without LZMA_CONCATENATED the decoder stops at the
					 * first Stream's footer and never reads the padding. */
					bool pad = b == XW_PADDING_NOT_MULTIPLE_OF_4 || b == XW_PADDING_NON_NULL;
					if (!l->after_empty)
						expect(DEC_STREAM, f.data, f.size,
						       pad ? LZMA_STREAM_END : want, data.data, data.size);
				}
				t_buf_free(&f);
				t_buf_free(&data);
			}
		}
	}
}

/* Every single-bit flip of a small .xz file is detected: every byte of it
 * is covered by a CRC32, the Check, or a field with a fixed value. */
static void test_bitflips(const layout *l)
{
	t_buf f = { 0 };
	xw_stream s = { .check = 1, .blocks = l->blocks, .nblocks = l->nblocks };
	xw_write(&f, &s);
	t_begin("xz/every_bit_flip_detected/%s (%zu bytes)", l->name, f.size);
	for (size_t i = 0; i < f.size * 8; i++) {
		f.data[i / 8] ^= (uint8_t)(1u << (i % 8));
		t_buf out = { 0 };
		lzma_ret r = dec_run(DEC_STREAM_CAT, f.data, f.size, 0, &out, NULL);
		if (r != LZMA_DATA_ERROR && r != LZMA_FORMAT_ERROR && r != LZMA_OPTIONS_ERROR &&
		    r != LZMA_BUF_ERROR)
			t_fail(__FILE__, __LINE__, "flip of bit %zu of byte %zu: %s", i % 8, i / 8,
			       xw_ret_name(r));
		t_buf_free(&out);
		f.data[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	t_buf_free(&f);
}

/* ---- concatenation, padding, garbage -------------------------------------- */

static void empty_stream(t_buf *f, uint32_t padding)
{
	xw_stream e = { .check = 1, .padding = padding };
	xw_write(f, &e);
}

static void test_concatenation(void)
{
	t_buf f = { 0 };
	size_t left = 0;

	t_begin("cat/two_empty_streams");
	empty_stream(&f, 0);
	empty_stream(&f, 0);
	expect(DEC_STREAM_CAT, f.data, f.size, LZMA_STREAM_END, NULL, 0);
	expect(DEC_AUTO_CAT, f.data, f.size, LZMA_STREAM_END, NULL, 0);

	t_begin("cat/without_flag_stops_after_first_stream");
	t_buf out = { 0 };
	CHECK_RET(dec_run(DEC_STREAM, f.data, f.size, 0, &out, &left), LZMA_STREAM_END);
	CHECK_EQ(left, 32); /* the second Stream is left unread */
	t_buf_free(&out);

	t_begin("cat/padding_between_streams");
	f.size = 0;
	empty_stream(&f, 4);
	empty_stream(&f, 8);
	expect(DEC_STREAM_CAT, f.data, f.size, LZMA_STREAM_END, NULL, 0);
	expect(DEC_AUTO_CAT, f.data, f.size, LZMA_STREAM_END, NULL, 0);

	t_begin("cat/padding_5_bytes_between_streams");
	f.size = 0;
	empty_stream(&f, 5);
	empty_stream(&f, 0);
	expect(DEC_STREAM_CAT, f.data, f.size, LZMA_DATA_ERROR, NULL, 0);
	expect(DEC_AUTO_CAT, f.data, f.size, LZMA_DATA_ERROR, NULL, 0);

	/* XZ Utils' bad-0cat-alone: .xz then an empty .lzma file. */
	t_begin("cat/xz_then_lzma");
	f.size = 0;
	empty_stream(&f, 0);
	xw_alone(&f, 0x5D, 1u << 16, 0, (const uint8_t *)"\0\0\0\0\0", 5);
	expect(DEC_STREAM_CAT, f.data, f.size, LZMA_DATA_ERROR, NULL, 0);
	expect(DEC_AUTO_CAT, f.data, f.size, LZMA_DATA_ERROR, NULL, 0);

	t_begin("cat/garbage_after_stream");
	f.size = 0;
	xw_simple(&f, 4, d13, 13, false, XW_GOOD);
	/* Twelve bytes: a Stream Header's worth, which the decoder reads
	 * whole before it looks at the magic. */
	t_buf_put(&f, "JUNKJUNKJUNK", 12);
	expect(DEC_STREAM_CAT, f.data, f.size, LZMA_DATA_ERROR, d13, 13);
	expect(DEC_AUTO_CAT, f.data, f.size, LZMA_DATA_ERROR, d13, 13);
	CHECK_RET(dec_run(DEC_STREAM, f.data, f.size, 0, &out, &left), LZMA_STREAM_END);
	CHECK_EQ(left, 12);

	/* Fewer than twelve bytes of garbage cannot be told from a cut
	 * Stream Header: "Unexpected end of input". */
	t_begin("cat/short_garbage_after_stream");
	f.size = 0;
	xw_simple(&f, 4, d13, 13, false, XW_GOOD);
	t_buf_put(&f, "JUNK", 4);
	expect(DEC_STREAM_CAT, f.data, f.size, LZMA_BUF_ERROR, d13, 13);
	t_buf_free(&out);

	t_begin("cat/empty_input");
	expect(DEC_STREAM_CAT, NULL, 0, LZMA_BUF_ERROR, NULL, 0);
	expect(DEC_STREAM, NULL, 0, LZMA_BUF_ERROR, NULL, 0);
	expect(DEC_AUTO_CAT, NULL, 0, LZMA_BUF_ERROR, NULL, 0);

	t_begin("cat/only_padding");
	f.size = 0;
	for (int i = 0; i < 12; i++)
		t_buf_byte(&f, 0);
	/* Stream Padding may only follow a Stream (2.2): not a .xz file. */
	expect(DEC_STREAM_CAT, f.data, f.size, LZMA_FORMAT_ERROR, NULL, 0);
	t_buf_free(&f);
}

/* ---- .lzma and .lz -------------------------------------------------------- */

static uint8_t text[600];
static t_buf raw; /* raw LZMA1 of text, lc=3 lp=0 pb=2, dict 64 KiB, with EOPM */

static void test_alone(void)
{
	t_buf f = { 0 };
	const size_t n = sizeof(text);
	struct {
		const char *name;
		uint8_t props;
		uint32_t dict;
		uint64_t usize;
		lzma_ret want_alone, want_auto;
	} cases[] = {
		{ "known_size_with_eopm", 0x5D, 1u << 16, n, LZMA_STREAM_END, LZMA_STREAM_END },
		{ "unknown_size_with_eopm", 0x5D, 1u << 16, XW_ALONE_UNKNOWN_SIZE,
		  LZMA_STREAM_END, LZMA_STREAM_END },
		/* The end marker comes before the promised size. */
		{ "size_too_big", 0x5D, 1u << 16, n + 1, LZMA_DATA_ERROR, LZMA_DATA_ERROR },
		/* Data goes on after the promised size, and it is no end marker. */
		{ "size_too_small", 0x5D, 1u << 16, n - 1, LZMA_DATA_ERROR, LZMA_DATA_ERROR },
		/* Properties byte 225 = (pb 5): pb must be <= 4. */
		{ "props_invalid", 225, 1u << 16, n, LZMA_FORMAT_ERROR, LZMA_FORMAT_ERROR },
		/* The auto decoder only takes dictionary sizes 2^n or 2^n + 2^(n-1)
		 * and sizes < 2^38, so as not to misdetect other data as .lzma. */
		{ "dict_odd", 0x5D, (1u << 16) + 1, n, LZMA_STREAM_END, LZMA_FORMAT_ERROR },
		{ "size_2^40", 0x5D, 1u << 16, UINT64_C(1) << 40, LZMA_DATA_ERROR,
		  LZMA_FORMAT_ERROR },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t_begin("lzma/%s", cases[i].name);
		f.size = 0;
		xw_alone(&f, cases[i].props, cases[i].dict, cases[i].usize, raw.data, raw.size);
		/* liblzma 5.4.1 fails a known size with an end marker when the
		 * input comes in small pieces (LZMA_DATA_ERROR); the file is
		 * valid and later versions decode it. */
		one_call_only = lzma_version_number() < 50080000 && cases[i].usize == n &&
				cases[i].want_alone == LZMA_STREAM_END;
		if (one_call_only)
			printf("NOTE: %s: 1-byte buffers not checked with liblzma %s\n",
			       cases[i].name, lzma_version_string());
		expect(DEC_ALONE, f.data, f.size, cases[i].want_alone, text, n);
		expect(DEC_AUTO, f.data, f.size, cases[i].want_auto, text, n);
		one_call_only = false;
	}

	/* The range coder's first byte is always 0 (lzma-specification). */
	t_begin("lzma/range_coder_first_byte");
	f.size = 0;
	xw_alone(&f, 0x5D, 1u << 16, n, raw.data, raw.size);
	f.data[13] = 0x01;
	expect(DEC_ALONE, f.data, f.size, LZMA_DATA_ERROR, text, n);

	/* .lzma cannot be concatenated: trailing bytes are an error for the
	 * auto decoder with LZMA_CONCATENATED (as xz -d). */
	t_begin("lzma/trailing_garbage");
	f.size = 0;
	xw_alone(&f, 0x5D, 1u << 16, n, raw.data, raw.size);
	t_buf_put(&f, "abc", 3);
	expect(DEC_AUTO_CAT, f.data, f.size, LZMA_DATA_ERROR, text, n);
	t_buf_free(&f);
}

/* XZ Utils' bad-1-lzma2-7: an end-of-payload marker inside an LZMA2
 * chunk. The .lzma data from xz (lc=3 lp=0 pb=2, end marker) is wrapped as
 * one LZMA chunk (control 0xE0: dictionary reset, new properties 0x5D).
 * LZMA2 never allows the marker: with the chunk's uncompressed size equal
 * to the data, the marker's bytes are left over in the chunk; one larger,
 * the marker is met before the chunk's end. Both are LZMA_DATA_ERROR. */
static void test_lzma2_eopm(void)
{
	for (size_t extra = 0; extra <= 1; extra++) {
		t_buf chunk = { 0 }, f = { 0 };
		size_t usize = sizeof(text) + extra;
		t_buf_byte(&chunk, (uint8_t)(0xE0 | ((usize - 1) >> 16)));
		t_buf_byte(&chunk, (uint8_t)((usize - 1) >> 8));
		t_buf_byte(&chunk, (uint8_t)(usize - 1));
		t_buf_byte(&chunk, (uint8_t)((raw.size - 1) >> 8));
		t_buf_byte(&chunk, (uint8_t)(raw.size - 1));
		t_buf_byte(&chunk, 0x5D);
		t_buf_put(&chunk, raw.data, raw.size);
		t_buf_byte(&chunk, 0x00);
		xw_block b = { .data = text, .size = sizeof(text), .dict = 8,
			       .raw_lzma2 = chunk.data, .raw_lzma2_size = chunk.size };
		xw_stream s = { .check = 1, .blocks = &b, .nblocks = 1 };
		xw_write(&f, &s);
		t_begin("xz/lzma2_eopm_%s", extra ? "before_chunk_end" : "after_chunk_end");
		expect(DEC_STREAM_CAT, f.data, f.size, LZMA_DATA_ERROR, text, sizeof(text));
		expect(DEC_AUTO_CAT, f.data, f.size, LZMA_DATA_ERROR, text, sizeof(text));
		t_buf_free(&chunk);
		t_buf_free(&f);
	}
}

static void test_lzip(void)
{
	t_buf f = { 0 };
	const size_t n = sizeof(text);
	for (int v = 0; v <= 1; v++) {
		for (int b = 0; b < XW_LZ_BREAK_COUNT; b++) {
			if (b == XW_LZ_MEMBER_SIZE && v == 0)
				continue; /* version 0 has no Member Size */
			lzma_ret want = b == XW_LZ_GOOD ? LZMA_STREAM_END
				      : b == XW_LZ_MAGIC ? LZMA_FORMAT_ERROR
				      : b == XW_LZ_VERSION ? LZMA_OPTIONS_ERROR
				      : LZMA_DATA_ERROR;
			t_begin("lz/v%d/%s", v, xw_lz_break_name((xw_lz_break)b));
			f.size = 0;
			xw_lzip(&f, v, 1u << 16, text, n, raw.data, raw.size, (xw_lz_break)b);
			expect(DEC_LZIP_CAT, f.data, f.size, want, text, n);
			/* The auto decoder recognizes "LZIP"; with the magic broken
			 * it falls back to .lzma, which rejects "LZIQ" as props. */
			expect(DEC_AUTO_CAT, f.data, f.size, want, text, n);
		}
	}

	t_begin("lz/two_members_v1_v0");
	f.size = 0;
	xw_lzip(&f, 1, 1u << 16, text, n, raw.data, raw.size, XW_LZ_GOOD);
	xw_lzip(&f, 0, 1u << 16, text, n, raw.data, raw.size, XW_LZ_GOOD);
	t_buf both = { 0 };
	t_buf_put(&both, text, n);
	t_buf_put(&both, text, n);
	expect(DEC_LZIP_CAT, f.data, f.size, LZMA_STREAM_END, both.data, both.size);
	expect(DEC_AUTO_CAT, f.data, f.size, LZMA_STREAM_END, both.data, both.size);
	t_buf_free(&both);

	/* lzip manual: trailing data after the last member is ignored unless
	 * it looks like the start of another member ("LZIP"). A partial magic
	 * ("LZ") at the end is left out: the manual and decoders disagree. */
	struct {
		const char *name, *tail;
		size_t tail_size;
		lzma_ret want;
	} tails[] = {
		{ "trailing_garbage", "abc", 3, LZMA_STREAM_END },
		{ "trailing_zeros", "\0\0\0\0\0", 5, LZMA_STREAM_END },
		{ "trailing_magic", "LZIP", 4, LZMA_BUF_ERROR },
		{ "trailing_magic_bad_version", "LZIP\x07", 5, LZMA_OPTIONS_ERROR },
	};
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		t_begin("lz/%s", tails[i].name);
		f.size = 0;
		xw_lzip(&f, 1, 1u << 16, text, n, raw.data, raw.size, XW_LZ_GOOD);
		t_buf_put(&f, tails[i].tail, tails[i].tail_size);
		expect(DEC_LZIP_CAT, f.data, f.size, tails[i].want, text, n);
	}
	t_buf_free(&f);
}

/* ---- truncation ----------------------------------------------------------- */

/* Every proper prefix of a valid file fails with LZMA_BUF_ERROR, in one
 * call and byte by byte, with each decoder given; never STREAM_END, never
 * a hang. */
static void truncations(const char *name, const t_buf *f, const dec_kind *decs, size_t ndecs)
{
	for (size_t d = 0; d < ndecs; d++) {
		t_begin("truncated/%s/%s (%zu prefixes)", name, dec_names[decs[d]], f->size);
		for (size_t len = 0; len < f->size; len++) {
			for (size_t chunk = 0; chunk <= 1; chunk++) {
				t_buf out = { 0 };
				lzma_ret r = dec_run(decs[d], f->data, len, chunk, &out, NULL);
				t_buf_free(&out);
				if (r != LZMA_BUF_ERROR) {
					t_fail(__FILE__, __LINE__, "prefix of %zu bytes, %s: %s, want %s",
					       len, chunk ? "1-byte buffers" : "one call",
					       xw_ret_name(r), xw_ret_name(LZMA_BUF_ERROR));
					len = f->size;
					break;
				}
			}
		}
	}
}

static void test_truncation(bool have_raw)
{
	static const dec_kind xz_decs[] = { DEC_STREAM, DEC_STREAM_CAT, DEC_AUTO_CAT };
	static const dec_kind lzma_decs[] = { DEC_ALONE, DEC_AUTO };
	static const dec_kind lz_decs[] = { DEC_LZIP_CAT, DEC_AUTO_CAT };
	t_buf f = { 0 };
	const layout *l = &layouts[LAYOUT_2BLOCKS];
	xw_stream s = { .check = 4, .blocks = l->blocks, .nblocks = 2 };
	xw_write(&f, &s);
	truncations("xz_2blocks_crc64", &f, xz_decs, 3);
	f.size = 0;
	xw_simple(&f, 10, d13, 13, true, XW_GOOD);
	truncations("xz_sha256_sizes", &f, xz_decs, 3);
	f.size = 0;
	empty_stream(&f, 0);
	truncations("xz_empty", &f, xz_decs, 3);
	/* Real LZMA chunks: input runs out in the middle of LZMA symbols. */
	f.size = 0;
	l = &layouts[LAYOUT_LZMA2_FROM_XZ];
	xw_stream s2 = { .check = 1, .blocks = l->blocks, .nblocks = 1 };
	xw_write(&f, &s2);
	truncations("xz_lzma2_from_xz", &f, xz_decs + 1, 1);
	f.size = 0;
	if (!have_raw) {
		t_buf_free(&f);
		return;
	}
	xw_alone(&f, 0x5D, 1u << 16, sizeof(text), raw.data, raw.size);
	truncations("lzma_known_size", &f, lzma_decs, 2);
	f.size = 0;
	xw_alone(&f, 0x5D, 1u << 16, XW_ALONE_UNKNOWN_SIZE, raw.data, raw.size);
	truncations("lzma_unknown_size", &f, lzma_decs, 2);
	f.size = 0;
	xw_lzip(&f, 1, 1u << 16, text, sizeof(text), raw.data, raw.size, XW_LZ_GOOD);
	truncations("lz_v1", &f, lz_decs, 2);
	f.size = 0;
	xw_lzip(&f, 0, 1u << 16, text, sizeof(text), raw.data, raw.size, XW_LZ_GOOD);
	truncations("lz_v0", &f, lz_decs, 2);
	t_buf_free(&f);
}

int main(void)
{
	gen_fill(GEN_TEXT, 1, d13, sizeof(d13));
	gen_fill(GEN_BINARY, 2, d200, sizeof(d200));
	gen_fill(GEN_TEXT, 3, text, sizeof(text));

	gen_fill(GEN_TEXT, 4, d3000, sizeof(d3000));
	bool have_raw = xw_xz_raw_lzma1(&raw, "lc=3,lp=0,pb=2,dict=64KiB", text, sizeof(text));
	/* Without xz the layout falls back to uncompressed chunks. */
	if (xw_xz_raw(&raw2, "--lzma2=preset=6,dict=64KiB", d3000, sizeof(d3000))) {
		layouts[LAYOUT_LZMA2_FROM_XZ].blocks[0].raw_lzma2 = raw2.data;
		layouts[LAYOUT_LZMA2_FROM_XZ].blocks[0].raw_lzma2_size = raw2.size;
	}

	test_breakages();
	test_bitflips(&layouts[LAYOUT_2BLOCKS]);
	test_bitflips(&layouts[LAYOUT_LZMA2_FROM_XZ]);
	test_concatenation();
	test_truncation(have_raw);
	if (have_raw) {
		test_alone();
		test_lzip();
		test_lzma2_eopm();
	} else {
		t_begin("lzma_and_lz");
		t_skip("/usr/bin/xz could not make raw LZMA1 data");
	}
	t_buf_free(&raw);
	t_buf_free(&raw2);
	return t_done();
}
