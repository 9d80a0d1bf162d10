/*
 * test_container_dec.c -- the decoders of lib/container through the public
 * API: .xz (xz-file-format.txt 2-4), .lzma, .lz, auto, raw, block, and the
 * single-call buffer functions; every input/output split (down to 1-byte
 * buffers), every check ID, every decoder flag, concatenation and padding,
 * memory limits.
 *
 * The .xz streams come from tests/xzwriter.c, which needs no compressor
 * (LZMA2 uncompressed chunks). /usr/bin/xz and lzip serve as oracles where
 * they are installed. The building blocks (VLI, headers, index) are tested
 * in test_container.c.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "xzwriter.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void put_le(t_buf *b, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; ++i)
		t_buf_byte(b, (uint8_t)(v >> (8 * i)));
}

/* Delta-encode (5.3.3.1) so that the decoder's output is the data. */
static uint8_t *delta_encode(const uint8_t *d, size_t n, uint32_t dist)
{
	uint8_t *o = malloc(n ? n : 1);
	for (size_t i = 0; i < n; ++i)
		o[i] = (uint8_t)(d[i] - (i >= dist ? d[i - dist] : 0));
	return o;
}

static void lzma2_uncompressed(t_buf *b, const uint8_t *d, size_t n,
			       size_t chunk)
{
	if (chunk == 0)
		chunk = 65536;
	for (size_t pos = 0; pos < n;) {
		const size_t k = n - pos < chunk ? n - pos : chunk;
		t_buf_byte(b, pos == 0 ? 0x01 : 0x02);
		t_buf_byte(b, (uint8_t)((k - 1) >> 8));
		t_buf_byte(b, (uint8_t)(k - 1));
		t_buf_put(b, d + pos, k);
		pos += k;
	}
	t_buf_byte(b, 0x00);
}

/* A stream of the given blocks, made by the test writer. */
static void put_stream(t_buf *b, uint32_t check, const xw_block *blocks,
		       size_t n)
{
	const xw_stream s = { .check = check, .blocks = blocks, .nblocks = n };
	CHECK(xw_write(b, &s));
}

/* The same with the first byte of block `which`'s Check flipped; false
 * (nothing written) when the check has no bytes. */
static bool put_stream_bad_check(t_buf *b, uint32_t check,
				 const xw_block *blocks, size_t n, size_t which)
{
	const xw_stream s = { .check = check, .blocks = blocks, .nblocks = n,
			      .brk = XW_CHECK, .brk_block = which };
	return xw_write(b, &s);
}

/* ---- decoding loop that also reports the informational codes -------------- */

typedef struct {
	int infos;              /* NO_CHECK / UNSUPPORTED_CHECK / GET_CHECK */
	lzma_ret last_info;
	lzma_check check_at_info;
} info_log;

static lzma_ret run(lzma_stream *s, const uint8_t *in, size_t n,
		    size_t ichunk, size_t ochunk, t_buf *out, info_log *log)
{
	static uint8_t obuf[65536];
	size_t pos = 0;
	if (ichunk == 0)
		ichunk = SIZE_MAX;
	if (ochunk == 0 || ochunk > sizeof(obuf))
		ochunk = sizeof(obuf);
	s->next_in = in;
	s->avail_in = 0;
	for (;;) {
		if (s->avail_in == 0 && pos < n) {
			const size_t k = n - pos < ichunk ? n - pos : ichunk;
			s->next_in = in + pos;
			s->avail_in = k;
			pos += k;
		}
		s->next_out = obuf;
		s->avail_out = ochunk;
		const lzma_ret r = lzma_code(s, pos == n ? LZMA_FINISH
							 : LZMA_RUN);
		t_buf_put(out, obuf, ochunk - s->avail_out);
		if (r == LZMA_NO_CHECK || r == LZMA_UNSUPPORTED_CHECK
		    || r == LZMA_GET_CHECK) {
			if (log != NULL) {
				log->infos++;
				log->last_info = r;
				log->check_at_info = lzma_get_check(s);
			}
			continue;
		}
		if (r != LZMA_OK)
			return r;
	}
}

/* The splits every streaming case runs with: {input, output} chunk sizes
 * (0 = everything at once). */
static const size_t splits[][2] = {
	{ 0, 0 }, { 1, 1 }, { 1, 0 }, { 0, 1 }, { 3, 7 }, { 7, 3 }, { 13, 64 },
};

typedef lzma_ret (*init_fn)(lzma_stream *s, uint32_t flags);

static lzma_ret init_stream(lzma_stream *s, uint32_t flags)
{
	return lzma_stream_decoder(s, UINT64_MAX, flags);
}

static lzma_ret init_auto(lzma_stream *s, uint32_t flags)
{
	return lzma_auto_decoder(s, UINT64_MAX, flags);
}

static lzma_ret init_lzip(lzma_stream *s, uint32_t flags)
{
	return lzma_lzip_decoder(s, UINT64_MAX, flags);
}

/* Decode `in` with every split; expect `want_ret` and (when it is
 * STREAM_END) output equal to want[0..want_size). */
static void decode_all_splits(init_fn init, uint32_t flags, const uint8_t *in,
			      size_t n, lzma_ret want_ret, const uint8_t *want,
			      size_t want_size)
{
	for (size_t i = 0; i < ARRAY_SIZE(splits); ++i) {
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(init(&s, flags), LZMA_OK);
		t_buf out = { 0 };
		const lzma_ret r = run(&s, in, n, splits[i][0], splits[i][1],
				       &out, NULL);
		if (r != want_ret)
			t_fail(__FILE__, __LINE__, "split %zu/%zu: ret %d, want %d",
			       splits[i][0], splits[i][1], (int)r, (int)want_ret);
		if (want_ret == LZMA_STREAM_END
		    && (out.size != want_size
			|| (want_size && memcmp(out.data, want, want_size))))
			t_fail(__FILE__, __LINE__, "split %zu/%zu: output differs",
			       splits[i][0], splits[i][1]);
		t_buf_free(&out);
		lzma_end(&s);
	}
}

/* ---- the .xz stream decoder ------------------------------------------------- */

static uint8_t data1[300], data3[5000], data_big[20000];

/* splitmix64: seeded, so every run builds the same test data. */
static uint64_t next_rand(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* text: words from a small list (compressible); else random bytes. */
static void fill(uint8_t *p, size_t n, uint64_t seed, bool text)
{
	static const char *const words[] = { "the ", "stream ", "block ",
		"index ", "padding ", "check ", "of ", "filter ", "\n" };
	size_t i = 0;
	while (i < n) {
		const uint64_t r = next_rand(&seed);
		if (!text) {
			p[i++] = (uint8_t)r;
			continue;
		}
		for (const char *w = words[r % ARRAY_SIZE(words)];
		     *w != 0 && i < n; ++w)
			p[i++] = (uint8_t)*w;
	}
}

static void make_data(void)
{
	fill(data1, sizeof(data1), 1, true);
	fill(data3, sizeof(data3), 2, true);
	fill(data_big, sizeof(data_big), 3, false);
	/* Make the large one partly compressible. */
	fill(data_big + 5000, 8000, 4, true);
}

/* Three blocks: sizes stored, an empty block, and one with no sizes, a
 * Delta filter and extra Header Padding. */
static void three_blocks(xw_block b[3])
{
	memset(b, 0, 3 * sizeof(b[0]));
	b[0] = (xw_block){ .data = data1, .size = sizeof(data1), .csize = true,
			   .usize = true, .chunk = 100 };
	b[1] = (xw_block){ .data = data1, .size = 0, .csize = true,
			   .usize = true };
	b[2] = (xw_block){ .data = data3, .size = sizeof(data3), .chunk = 1000,
			   .delta_dist = 3, .header_pad = 8, .dict = 1 };
}

static void expected_three(t_buf *want)
{
	t_buf_put(want, data1, sizeof(data1));
	t_buf_put(want, data3, sizeof(data3));
}

static lzma_ret decode_once(init_fn init, uint32_t flags, const uint8_t *in,
			    size_t n, t_buf *out, info_log *log,
			    size_t *left_in)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = init(&s, flags);
	if (r != LZMA_OK)
		return r;
	r = run(&s, in, n, 0, 0, out, log);
	if (left_in != NULL)
		*left_in = s.avail_in;
	lzma_end(&s);
	return r;
}

static void test_stream_checks(void)
{
	xw_block b[3];
	three_blocks(b);
	t_buf want = { 0 };
	expected_three(&want);
	for (uint32_t check = 0; check <= LZMA_CHECK_ID_MAX; ++check) {
		t_begin("xz: check %u, three blocks, every split", check);
		t_buf x = { 0 };
		put_stream(&x, check, b, 3);
		decode_all_splits(init_stream, 0, x.data, x.size,
				  LZMA_STREAM_END, want.data, want.size);
		/* A wrong Check: an error exactly when it can be verified. */
		t_buf y = { 0 };
		if (put_stream_bad_check(&y, check, b, 3, 2)) {
			const bool verifiable = lzma_check_is_supported(check);
			t_buf out = { 0 };
			CHECK_RET(decode_once(init_stream, 0, y.data, y.size,
					      &out, NULL, NULL),
				  verifiable ? LZMA_DATA_ERROR
					     : LZMA_STREAM_END);
			t_buf_free(&out);
			/* LZMA_IGNORE_CHECK: never verified. */
			decode_all_splits(init_stream, LZMA_IGNORE_CHECK,
					  y.data, y.size, LZMA_STREAM_END,
					  want.data, want.size);
		}
		t_buf_free(&x);
		t_buf_free(&y);
	}
	t_buf_free(&want);
}

static void test_stream_flags_tell(void)
{
	xw_block b[3];
	three_blocks(b);
	t_begin("xz: TELL_NO_CHECK / TELL_UNSUPPORTED_CHECK / TELL_ANY_CHECK");
	for (uint32_t check = 0; check <= LZMA_CHECK_ID_MAX; ++check) {
		t_buf x = { 0 };
		put_stream(&x, check, b, 3);
		const bool supported = lzma_check_is_supported(check);
		static const uint32_t flags[] = {
			LZMA_TELL_NO_CHECK, LZMA_TELL_UNSUPPORTED_CHECK,
			LZMA_TELL_ANY_CHECK, LZMA_FAIL_FAST,
		};
		for (size_t f = 0; f < ARRAY_SIZE(flags); ++f) {
			info_log log = { 0 };
			t_buf out = { 0 };
			CHECK_RET(decode_once(init_stream, flags[f], x.data,
					      x.size, &out, &log, NULL),
				  LZMA_STREAM_END);
			CHECK_EQ(out.size, sizeof(data1) + sizeof(data3));
			int want = 0;
			lzma_ret what = LZMA_OK;
			if (flags[f] == LZMA_TELL_NO_CHECK && check == 0)
				want = 1, what = LZMA_NO_CHECK;
			if (flags[f] == LZMA_TELL_UNSUPPORTED_CHECK
			    && !supported)
				want = 1, what = LZMA_UNSUPPORTED_CHECK;
			if (flags[f] == LZMA_TELL_ANY_CHECK)
				want = 1, what = LZMA_GET_CHECK;
			CHECK_EQ(log.infos, want);
			if (want) {
				CHECK_EQ(log.last_info, what);
				CHECK_EQ(log.check_at_info, check);
			}
			t_buf_free(&out);
		}
		t_buf_free(&x);
	}
	t_begin("xz: unknown flags are refused");
	{
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0x100),
			  LZMA_OPTIONS_ERROR);
		CHECK_RET(lzma_auto_decoder(&s, UINT64_MAX, 0x100),
			  LZMA_OPTIONS_ERROR);
		CHECK_RET(lzma_lzip_decoder(&s, UINT64_MAX, 0x100),
			  LZMA_OPTIONS_ERROR);
		lzma_end(&s);
	}
}

static void test_stream_concat(void)
{
	xw_block b[3];
	three_blocks(b);
	t_buf one = { 0 }, want = { 0 };
	put_stream(&one, LZMA_CHECK_CRC32, b, 3);
	expected_three(&want);

	t_begin("xz: empty stream, and a stream of one empty block");
	{
		t_buf x = { 0 };
		put_stream(&x, LZMA_CHECK_CRC64, b, 0);
		CHECK_EQ(x.size, 32);
		decode_all_splits(init_stream, 0, x.data, x.size,
				  LZMA_STREAM_END, NULL, 0);
		t_buf_free(&x);
		put_stream(&x, LZMA_CHECK_SHA256, &b[1], 1);
		decode_all_splits(init_stream, 0, x.data, x.size,
				  LZMA_STREAM_END, NULL, 0);
		t_buf_free(&x);
	}

	t_begin("xz: concatenated streams and padding, every split");
	{
		t_buf x = { 0 }, w = { 0 };
		t_buf_put(&x, one.data, one.size);
		t_buf_put(&x, "\0\0\0\0", 4);
		put_stream(&x, LZMA_CHECK_SHA256, b, 1);
		put_stream(&x, LZMA_CHECK_NONE, b, 0);
		t_buf_put(&x, "\0\0\0\0\0\0\0\0", 8);
		t_buf_put(&w, want.data, want.size);
		t_buf_put(&w, data1, sizeof(data1));
		decode_all_splits(init_stream, LZMA_CONCATENATED, x.data,
				  x.size, LZMA_STREAM_END, w.data, w.size);
		decode_all_splits(init_auto, LZMA_CONCATENATED, x.data,
				  x.size, LZMA_STREAM_END, w.data, w.size);
		/* Each stream header is announced with TELL_ANY_CHECK. */
		info_log log = { 0 };
		t_buf out = { 0 };
		CHECK_RET(decode_once(init_stream,
				      LZMA_CONCATENATED | LZMA_TELL_ANY_CHECK,
				      x.data, x.size, &out, &log, NULL),
			  LZMA_STREAM_END);
		CHECK_EQ(log.infos, 3);
		CHECK_EQ(log.check_at_info, LZMA_CHECK_NONE);
		t_buf_free(&out);
		/* Without LZMA_CONCATENATED: stop after the first stream,
		 * the rest is left unread. */
		size_t left = 0;
		CHECK_RET(decode_once(init_stream, 0, x.data, x.size, &out,
				      NULL, &left), LZMA_STREAM_END);
		CHECK_EQ(left, x.size - one.size);
		CHECK(out.size == want.size);
		t_buf_free(&out);
		t_buf_free(&x);
		t_buf_free(&w);
	}

	t_begin("xz: bad padding, bad magic, truncation");
	{
		t_buf x = { 0 }, out = { 0 };
		/* 2.2: padding not a multiple of four, at the end ... */
		t_buf_put(&x, one.data, one.size);
		t_buf_put(&x, "\0\0\0", 3);
		CHECK_RET(decode_once(init_stream, LZMA_CONCATENATED, x.data,
				      x.size, &out, NULL, NULL),
			  LZMA_DATA_ERROR);
		/* ... and before another stream. */
		t_buf_byte(&x, 0);
		t_buf_byte(&x, 0);
		t_buf_put(&x, one.data, one.size);
		CHECK_RET(decode_once(init_stream, LZMA_CONCATENATED, x.data,
				      x.size, &out, NULL, NULL),
			  LZMA_DATA_ERROR);
		t_buf_free(&x);
		/* A second stream with bad magic is corruption ... */
		t_buf_put(&x, one.data, one.size);
		t_buf_put(&x, one.data, one.size);
		x.data[one.size + 1] ^= 1;
		CHECK_RET(decode_once(init_stream, LZMA_CONCATENATED, x.data,
				      x.size, &out, NULL, NULL),
			  LZMA_DATA_ERROR);
		/* ... the first one is "not .xz". */
		CHECK_RET(decode_once(init_stream, LZMA_CONCATENATED,
				      x.data + one.size, one.size, &out, NULL,
				      NULL), LZMA_FORMAT_ERROR);
		CHECK_RET(decode_once(init_stream, LZMA_CONCATENATED,
				      (const uint8_t *)"\0\0\0\0\0\0\0\0\0\0\0\0",
				      12, &out, NULL, NULL), LZMA_FORMAT_ERROR);
		t_buf_free(&x);
		/* Truncated anywhere: no STREAM_END. */
		for (size_t cut = 0; cut < one.size; cut += 7) {
			const lzma_ret r = decode_once(init_stream, 0, one.data,
						       cut, &out, NULL, NULL);
			if (r != LZMA_BUF_ERROR)
				t_fail(__FILE__, __LINE__, "cut %zu: ret %d",
				       cut, (int)r);
		}
		t_buf_free(&out);
	}
	t_buf_free(&one);
	t_buf_free(&want);
}

/* LZMA_FINISH until something other than LZMA_OK: with the output buffer
 * exactly full, the end marker may be read by a later call. */
static lzma_ret finish(lzma_stream *s)
{
	lzma_ret r = LZMA_OK;
	for (int k = 0; k < 4 && r == LZMA_OK; ++k)
		r = lzma_code(s, LZMA_FINISH);
	return r;
}

static void test_stream_memlimit(void)
{
	t_begin("xz: memory limit, raised after MEMLIMIT_ERROR");
	xw_block b = { .data = data3, .size = sizeof(data3), .dict = 20 };
	t_buf x = { 0 };
	put_stream(&x, LZMA_CHECK_CRC64, &b, 1);
	static uint8_t out[sizeof(data3)];
	lzma_stream s = LZMA_STREAM_INIT;
	CHECK_RET(lzma_stream_decoder(&s, 1 << 20, 0), LZMA_OK);
	CHECK_EQ(lzma_memlimit_get(&s), 1 << 20);
	s.next_in = x.data;
	s.avail_in = x.size;
	s.next_out = out;
	s.avail_out = sizeof(out);
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_MEMLIMIT_ERROR);
	const uint64_t need = lzma_memusage(&s);
	CHECK(need > (4 << 20));        /* dictionary code 20: 4 MiB */
	CHECK_RET(lzma_memlimit_set(&s, need - 1), LZMA_MEMLIMIT_ERROR);
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_MEMLIMIT_ERROR);
	CHECK_RET(lzma_memlimit_set(&s, need), LZMA_OK);
	CHECK_EQ(lzma_memlimit_get(&s), need);
	CHECK_RET(finish(&s), LZMA_STREAM_END);
	CHECK(s.avail_out == 0 && memcmp(out, data3, sizeof(out)) == 0);
	lzma_end(&s);

	/* A limit of 0 acts as 1 byte. */
	CHECK_RET(lzma_stream_decoder(&s, 0, 0), LZMA_OK);
	CHECK_EQ(lzma_memlimit_get(&s), 1);
	s.next_in = x.data;
	s.avail_in = x.size;
	s.next_out = out;
	s.avail_out = sizeof(out);
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_MEMLIMIT_ERROR);
	lzma_end(&s);
	t_buf_free(&x);
}

static void test_stream_buffer(void)
{
	xw_block b[3];
	three_blocks(b);
	t_buf x = { 0 };
	t_buf_put(&x, "abc", 3);        /* in_pos starts after this */
	put_stream(&x, LZMA_CHECK_CRC32, b, 3);
	const size_t total = sizeof(data1) + sizeof(data3);
	uint8_t *out = malloc(total + 10);
	uint64_t ml = UINT64_MAX;
	size_t ip, op;

	t_begin("xz buffer: success advances both positions");
	ip = 3, op = 5;
	CHECK_RET(lzma_stream_buffer_decode(&ml, 0, NULL, x.data, &ip, x.size,
					    out, &op, total + 10), LZMA_OK);
	CHECK_EQ(ip, x.size);
	CHECK_EQ(op, total + 5);
	CHECK(memcmp(out + 5, data1, sizeof(data1)) == 0);

	t_begin("xz buffer: failures leave the positions alone");
	ip = 3, op = 0;
	CHECK_RET(lzma_stream_buffer_decode(&ml, 0, NULL, x.data, &ip, x.size,
					    out, &op, total - 1),
		  LZMA_BUF_ERROR);
	CHECK(ip == 3 && op == 0);
	/* Truncated input: liblzma restores the positions before it looks
	 * at them, so it reports LZMA_BUF_ERROR too. */
	CHECK_RET(lzma_stream_buffer_decode(&ml, 0, NULL, x.data, &ip,
					    x.size - 1, out, &op, total),
		  LZMA_BUF_ERROR);
	CHECK(ip == 3 && op == 0);
	ip = 3;
	CHECK_RET(lzma_stream_buffer_decode(&ml, 0, NULL, x.data, &ip, 3, out,
					    &op, total), LZMA_DATA_ERROR);
	CHECK_RET(lzma_stream_buffer_decode(&ml, LZMA_TELL_ANY_CHECK, NULL,
					    x.data, &ip, x.size, out, &op,
					    total), LZMA_PROG_ERROR);
	x.data[x.size - 20] ^= 1;       /* inside the Index */
	CHECK_RET(lzma_stream_buffer_decode(&ml, 0, NULL, x.data, &ip, x.size,
					    out, &op, total), LZMA_DATA_ERROR);
	CHECK(ip == 3 && op == 0);
	x.data[x.size - 20] ^= 1;
	ml = 1000;
	CHECK_RET(lzma_stream_buffer_decode(&ml, 0, NULL, x.data, &ip, x.size,
					    out, &op, total),
		  LZMA_MEMLIMIT_ERROR);
	CHECK(ml > 1000);               /* what would have been needed */
	CHECK(ip == 3 && op == 0);
	/* Each retry gets past the block that needed the reported amount;
	 * the third block needs more than the first. */
	lzma_ret r = LZMA_MEMLIMIT_ERROR;
	for (int k = 0; k < 3 && r == LZMA_MEMLIMIT_ERROR; ++k)
		r = lzma_stream_buffer_decode(&ml, 0, NULL, x.data, &ip,
					      x.size, out, &op, total);
	CHECK_RET(r, LZMA_OK);
	t_buf_free(&x);

	/* A stream without check and TELL_NO_CHECK: stops with NO_CHECK. */
	put_stream(&x, LZMA_CHECK_NONE, b, 1);
	ip = 0, op = 0;
	CHECK_RET(lzma_stream_buffer_decode(&ml, LZMA_TELL_NO_CHECK, NULL,
					    x.data, &ip, x.size, out, &op,
					    total), LZMA_NO_CHECK);
	CHECK(ip == 0 && op == 0);
	t_buf_free(&x);
	free(out);
}

/* ---- the raw decoder ------------------------------------------------------------- */

static lzma_options_lzma raw_lz = { .dict_size = 4096 };
static lzma_options_delta raw_delta = { .type = LZMA_DELTA_TYPE_BYTE,
					.dist = 3 };

static lzma_ret init_raw_lzma2(lzma_stream *s, uint32_t flags)
{
	(void)flags;
	const lzma_filter f[] = { { LZMA_FILTER_LZMA2, &raw_lz },
				  { LZMA_VLI_UNKNOWN, NULL } };
	return lzma_raw_decoder(s, f);
}

static lzma_ret init_raw_delta(lzma_stream *s, uint32_t flags)
{
	(void)flags;
	const lzma_filter f[] = { { LZMA_FILTER_DELTA, &raw_delta },
				  { LZMA_FILTER_LZMA2, &raw_lz },
				  { LZMA_VLI_UNKNOWN, NULL } };
	return lzma_raw_decoder(s, f);
}

static void test_raw(void)
{
	t_buf raw = { 0 };
	lzma2_uncompressed(&raw, data3, sizeof(data3), 700);

	t_begin("raw: LZMA2 and Delta+LZMA2, every split");
	decode_all_splits(init_raw_lzma2, 0, raw.data, raw.size,
			  LZMA_STREAM_END, data3, sizeof(data3));
	{
		uint8_t *enc = delta_encode(data3, sizeof(data3), 3);
		t_buf d = { 0 };
		lzma2_uncompressed(&d, enc, sizeof(data3), 999);
		decode_all_splits(init_raw_delta, 0, d.data, d.size,
				  LZMA_STREAM_END, data3, sizeof(data3));
		free(enc);
		t_buf_free(&d);
	}

	t_begin("raw buffer: success, small output, truncated input");
	{
		const lzma_filter f[] = { { LZMA_FILTER_LZMA2, &raw_lz },
					  { LZMA_VLI_UNKNOWN, NULL } };
		static uint8_t out[sizeof(data3) + 1];
		size_t ip = 0, op = 0;
		CHECK_RET(lzma_raw_buffer_decode(f, NULL, raw.data, &ip,
						 raw.size, out, &op,
						 sizeof(out)), LZMA_OK);
		CHECK(ip == raw.size && op == sizeof(data3));
		ip = op = 0;
		CHECK_RET(lzma_raw_buffer_decode(f, NULL, raw.data, &ip,
						 raw.size, out, &op,
						 sizeof(data3) - 1),
			  LZMA_BUF_ERROR);
		CHECK(ip == 0 && op == 0);
		/* Without the end byte: output exactly full, no more to
		 * come, so the input is what is missing. */
		CHECK_RET(lzma_raw_buffer_decode(f, NULL, raw.data, &ip,
						 raw.size - 1, out, &op,
						 sizeof(data3)),
			  LZMA_DATA_ERROR);
		CHECK_RET(lzma_raw_buffer_decode(f, NULL, raw.data, &ip,
						 raw.size - 9, out, &op,
						 sizeof(out)), LZMA_DATA_ERROR);
		CHECK(ip == 0 && op == 0);
	}

	t_buf_free(&raw);
}

/* ---- .lzma ------------------------------------------------------------------ */

static lzma_ret init_alone(lzma_stream *s, uint32_t flags)
{
	(void)flags;
	return lzma_alone_decoder(s, UINT64_MAX);
}

/* lzma-specification.txt "lzma header": props, dict size, size. */
static void put_alone_header(t_buf *b, uint8_t props, uint32_t dict,
			     uint64_t size)
{
	t_buf_byte(b, props);
	put_le(b, dict, 4);
	put_le(b, size, 8);
}

static void test_alone(void)
{
	t_buf raw = { 0 };
	t_begin("lzma: raw LZMA1 from /usr/bin/xz");
	if (t_run("/usr/bin/xz --format=raw --lzma1=preset=1,lc=3,lp=0,pb=2,dict=1MiB -c",
		  data3, sizeof(data3), &raw) != 0 || raw.size == 0) {
		t_skip("/usr/bin/xz not usable");
		t_buf_free(&raw);
		return;
	}

	t_begin("lzma: unknown size and known size with end marker");
	{
		t_buf x = { 0 };
		put_alone_header(&x, 0x5D, 1 << 20, UINT64_MAX);
		t_buf_put(&x, raw.data, raw.size);
		decode_all_splits(init_alone, 0, x.data, x.size,
				  LZMA_STREAM_END, data3, sizeof(data3));
		decode_all_splits(init_auto, 0, x.data, x.size,
				  LZMA_STREAM_END, data3, sizeof(data3));
		t_buf_free(&x);
		/* liblzma 5.4+: the end marker may follow a known size. */
		put_alone_header(&x, 0x5D, 1 << 20, sizeof(data3));
		t_buf_put(&x, raw.data, raw.size);
		decode_all_splits(init_alone, 0, x.data, x.size,
				  LZMA_STREAM_END, data3, sizeof(data3));
		t_buf_free(&x);
		/* A known size larger than the data: an error. */
		put_alone_header(&x, 0x5D, 1 << 20, sizeof(data3) + 1);
		t_buf_put(&x, raw.data, raw.size);
		t_buf out = { 0 };
		CHECK(decode_once(init_alone, 0, x.data, x.size, &out, NULL,
				  NULL) != LZMA_STREAM_END);
		t_buf_free(&out);
		t_buf_free(&x);
	}

	t_begin("lzma: header checks, picky for the auto decoder");
	{
		t_buf x = { 0 }, out = { 0 };
		/* Dictionary 5 MiB: legal, but no encoder writes it. */
		put_alone_header(&x, 0x5D, 5 << 20, UINT64_MAX);
		t_buf_put(&x, raw.data, raw.size);
		CHECK_RET(decode_once(init_alone, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_STREAM_END);
		CHECK_RET(decode_once(init_auto, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_FORMAT_ERROR);
		t_buf_free(&x);
		/* Dictionaries 3 * 2^n pass the picky check. */
		put_alone_header(&x, 0x5D, 3 << 20, UINT64_MAX);
		t_buf_put(&x, raw.data, raw.size);
		t_buf_free(&out);
		CHECK_RET(decode_once(init_auto, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_STREAM_END);
		CHECK(out.size == sizeof(data3));
		t_buf_free(&x);
		/* Known size of 256 GiB or more: picky says not .lzma. */
		put_alone_header(&x, 0x5D, 1 << 20, UINT64_C(1) << 38);
		t_buf_put(&x, raw.data, raw.size);
		CHECK_RET(decode_once(init_auto, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_FORMAT_ERROR);
		t_buf_free(&x);
		/* Properties byte out of range; lc + lp > 4. */
		put_alone_header(&x, 225, 1 << 20, UINT64_MAX);
		CHECK_RET(decode_once(init_alone, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_FORMAT_ERROR);
		t_buf_free(&x);
		put_alone_header(&x, 13, 1 << 20, UINT64_MAX);
		CHECK_RET(decode_once(init_alone, 0, x.data, 1, &out, NULL,
				      NULL), LZMA_FORMAT_ERROR);
		t_buf_free(&x);
		t_buf_free(&out);
	}

	t_begin("lzma: memory limit and auto decoder rules");
	{
		t_buf x = { 0 };
		put_alone_header(&x, 0x5D, 1 << 20, UINT64_MAX);
		t_buf_put(&x, raw.data, raw.size);
		static uint8_t out[sizeof(data3) + 1];
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(lzma_alone_decoder(&s, 1 << 19), LZMA_OK);
		s.next_in = x.data;
		s.avail_in = x.size;
		s.next_out = out;
		s.avail_out = sizeof(out);
		CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_MEMLIMIT_ERROR);
		CHECK(lzma_memusage(&s) > (1 << 20));
		CHECK_RET(lzma_memlimit_set(&s, 1 << 21), LZMA_OK);
		CHECK_RET(finish(&s), LZMA_STREAM_END);
		CHECK(s.avail_out == 1 && memcmp(out, data3, sizeof(data3)) == 0);
		lzma_end(&s);

		/* liblzma reads the end marker in the call that fills the
		 * output buffer exactly, and returns LZMA_STREAM_END. */
		t_begin("lzma: end marker read with the output buffer exactly full");
		CHECK_RET(lzma_alone_decoder(&s, UINT64_MAX), LZMA_OK);
		s.next_in = x.data;
		s.avail_in = x.size;
		s.next_out = out;
		s.avail_out = sizeof(data3);
		CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
		lzma_end(&s);

		/* Auto: .lzma has no check; TELL_* are answered. */
		info_log log = { 0 };
		t_buf o = { 0 };
		CHECK_RET(decode_once(init_auto, LZMA_TELL_NO_CHECK, x.data,
				      x.size, &o, &log, NULL), LZMA_STREAM_END);
		CHECK(log.infos == 1 && log.last_info == LZMA_NO_CHECK);
		log.infos = 0;
		CHECK_RET(decode_once(init_auto, LZMA_TELL_ANY_CHECK, x.data,
				      x.size, &o, &log, NULL), LZMA_STREAM_END);
		CHECK(log.infos == 1 && log.last_info == LZMA_GET_CHECK
		      && log.check_at_info == LZMA_CHECK_NONE);
		/* Auto + CONCATENATED: nothing may follow .lzma. */
		decode_all_splits(init_auto, LZMA_CONCATENATED, x.data, x.size,
				  LZMA_STREAM_END, data3, sizeof(data3));
		t_buf_put(&x, "\0", 1);
		CHECK_RET(decode_once(init_auto, LZMA_CONCATENATED, x.data,
				      x.size, &o, NULL, NULL), LZMA_DATA_ERROR);
		t_buf_free(&o);
		t_buf_free(&x);
	}
	t_buf_free(&raw);
}

/* ---- .lz --------------------------------------------------------------------- */

static void test_lzip(void)
{
	t_buf m = { 0 }, m2 = { 0 };
	t_begin("lzip: members from the lzip program");
	if (t_run("lzip -c", data3, sizeof(data3), &m) != 0 || m.size < 26
	    || t_run("lzip -1 -c", data1, sizeof(data1), &m2) != 0) {
		t_skip("lzip not installed");
		t_buf_free(&m);
		t_buf_free(&m2);
		return;
	}

	t_begin("lzip: one and two members, every split");
	{
		decode_all_splits(init_lzip, 0, m.data, m.size,
				  LZMA_STREAM_END, data3, sizeof(data3));
		decode_all_splits(init_auto, 0, m.data, m.size,
				  LZMA_STREAM_END, data3, sizeof(data3));
		t_buf x = { 0 }, w = { 0 };
		t_buf_put(&x, m.data, m.size);
		t_buf_put(&x, m2.data, m2.size);
		t_buf_put(&w, data3, sizeof(data3));
		t_buf_put(&w, data1, sizeof(data1));
		decode_all_splits(init_lzip, LZMA_CONCATENATED, x.data, x.size,
				  LZMA_STREAM_END, w.data, w.size);
		/* Without CONCATENATED: the first member only. */
		t_buf out = { 0 };
		size_t left = 0;
		CHECK_RET(decode_once(init_lzip, 0, x.data, x.size, &out, NULL,
				      &left), LZMA_STREAM_END);
		CHECK(out.size == sizeof(data3) && left == m2.size);
		t_buf_free(&out);
		t_buf_free(&x);
		t_buf_free(&w);
	}

	t_begin("lzip: trailing data (lzip manual; liblzma's rules)");
	{
		t_buf x = { 0 }, out = { 0 };
		size_t left = 0;
		t_buf_put(&x, m.data, m.size);
		t_buf_put(&x, "junk", 4);
		CHECK_RET(decode_once(init_lzip, LZMA_CONCATENATED, x.data,
				      x.size, &out, NULL, &left),
			  LZMA_STREAM_END);
		CHECK_EQ(left, 4);      /* left unread for the application */
		/* The auto decoder of liblzma calls trailing data an error. */
		CHECK_RET(decode_once(init_auto, LZMA_CONCATENATED, x.data,
				      x.size, &out, NULL, NULL),
			  LZMA_DATA_ERROR);
		t_buf_free(&x);
		/* 1-3 bytes that look like "LZIP" are swallowed. */
		t_buf_put(&x, m.data, m.size);
		t_buf_put(&x, "LZI", 3);
		CHECK_RET(decode_once(init_lzip, LZMA_CONCATENATED, x.data,
				      x.size, &out, NULL, &left),
			  LZMA_STREAM_END);
		CHECK_EQ(left, 0);
		t_buf_free(&x);
		/* Not .lz at all. */
		CHECK_RET(decode_once(init_lzip, LZMA_CONCATENATED,
				      (const uint8_t *)"junk", 4, &out, NULL,
				      NULL), LZMA_FORMAT_ERROR);
		t_buf_free(&out);
	}

	t_begin("lzip: trailer fields, version 0, header fields");
	{
		t_buf x = { 0 }, out = { 0 };
		const size_t crc_at = m.size - 20;
		/* CRC32 wrong: DATA_ERROR, unless LZMA_IGNORE_CHECK. */
		t_buf_put(&x, m.data, m.size);
		x.data[crc_at] ^= 1;
		CHECK_RET(decode_once(init_lzip, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_DATA_ERROR);
		decode_all_splits(init_lzip, LZMA_IGNORE_CHECK, x.data, x.size,
				  LZMA_STREAM_END, data3, sizeof(data3));
		x.data[crc_at] ^= 1;
		/* Data size and Member size are always verified. */
		x.data[crc_at + 4] ^= 1;
		CHECK_RET(decode_once(init_lzip, LZMA_IGNORE_CHECK, x.data,
				      x.size, &out, NULL, NULL),
			  LZMA_DATA_ERROR);
		x.data[crc_at + 4] ^= 1;
		x.data[crc_at + 12] ^= 1;
		CHECK_RET(decode_once(init_lzip, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_DATA_ERROR);
		x.data[crc_at + 12] ^= 1;
		/* Version 0: no Member size field. */
		x.data[4] = 0;
		decode_all_splits(init_lzip, 0, x.data, x.size - 8,
				  LZMA_STREAM_END, data3, sizeof(data3));
		/* Version 2 is not defined. */
		x.data[4] = 2;
		CHECK_RET(decode_once(init_lzip, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_OPTIONS_ERROR);
		x.data[4] = 1;
		/* Coded dictionary size 2^11 and 2^30: out of range. */
		const uint8_t ds = x.data[5];
		x.data[5] = 11;
		CHECK_RET(decode_once(init_lzip, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_DATA_ERROR);
		x.data[5] = 30;
		CHECK_RET(decode_once(init_lzip, 0, x.data, x.size, &out, NULL,
				      NULL), LZMA_DATA_ERROR);
		x.data[5] = ds;
		/* TELL_ANY_CHECK: .lz always has CRC32. */
		info_log log = { 0 };
		CHECK_RET(decode_once(init_lzip, LZMA_TELL_ANY_CHECK, x.data,
				      x.size, &out, &log, NULL),
			  LZMA_STREAM_END);
		CHECK(log.infos == 1 && log.check_at_info == LZMA_CHECK_CRC32);
		/* Memory limit, raised after the error. */
		static uint8_t o[sizeof(data3) + 1];
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(lzma_lzip_decoder(&s, 1000, 0), LZMA_OK);
		s.next_in = x.data;
		s.avail_in = x.size;
		s.next_out = o;
		s.avail_out = sizeof(o);
		CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_MEMLIMIT_ERROR);
		CHECK_RET(lzma_memlimit_set(&s, lzma_memusage(&s)), LZMA_OK);
		CHECK_RET(finish(&s), LZMA_STREAM_END);
		CHECK(memcmp(o, data3, sizeof(data3)) == 0);
		lzma_end(&s);
		t_buf_free(&out);
		t_buf_free(&x);
	}
	t_buf_free(&m);
	t_buf_free(&m2);
}

/* ---- lzma_block_decoder / lzma_block_buffer_decode and the auto decoder ---- */

static void test_block_and_auto(void)
{
	t_begin("block: lzma_block_buffer_decode and lzma_block_decoder");
	{
		xw_block k = { .data = data3, .size = sizeof(data3),
			       .chunk = 333, .delta_dist = 2 };
		t_buf st = { 0 };
		put_stream(&st, LZMA_CHECK_CRC64, &k, 1);
		/* The block starts after the 12-byte Stream Header. */
		const uint8_t *blk = st.data + 12;
		const size_t blk_room = st.size - 12;
		lzma_filter f[LZMA_FILTERS_MAX + 1];
		lzma_block b = { .version = 1, .check = LZMA_CHECK_CRC64,
				 .filters = f };
		b.header_size = lzma_block_header_size_decode(blk[0]);
		CHECK_RET(lzma_block_header_decode(&b, NULL, blk), LZMA_OK);
		lzma_block b2 = b;
		static uint8_t out[sizeof(data3)];
		size_t ip = b.header_size, op = 0;
		CHECK_RET(lzma_block_buffer_decode(&b, NULL, blk, &ip, blk_room,
						   out, &op, sizeof(out)), LZMA_OK);
		CHECK(op == sizeof(data3) && memcmp(out, data3, op) == 0);
		/* It stops at the end of the Block: the Index follows. */
		CHECK_EQ(ip, lzma_block_total_size(&b));
		CHECK_EQ(blk[ip], 0x00);
		CHECK_EQ(b.uncompressed_size, sizeof(data3));
		const size_t x_size = ip;       /* the Block alone */
		/* Too small an output buffer, truncated input. */
		ip = b2.header_size, op = 0;
		lzma_block b3 = b2;
		CHECK_RET(lzma_block_buffer_decode(&b3, NULL, blk, &ip, x_size,
						   out, &op, sizeof(out) - 1),
			  LZMA_BUF_ERROR);
		CHECK(ip == b2.header_size && op == 0);
		b3 = b2;
		CHECK_RET(lzma_block_buffer_decode(&b3, NULL, blk, &ip,
						   x_size - 1, out, &op,
						   sizeof(out)), LZMA_DATA_ERROR);
		/* Streaming, with the sizes the Index would give. */
		b3 = b2;
		CHECK_RET(lzma_block_compressed_size(
				  &b3, lzma_block_unpadded_size(&b)), LZMA_OK);
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(lzma_block_decoder(&s, &b3), LZMA_OK);
		t_buf o = { 0 };
		CHECK_RET(run(&s, blk + b3.header_size, x_size - b3.header_size,
			      1, 5, &o, NULL), LZMA_STREAM_END);
		CHECK(o.size == sizeof(data3)
		      && memcmp(o.data, data3, o.size) == 0);
		lzma_end(&s);
		t_buf_free(&o);
		for (size_t i = 0; f[i].id != LZMA_VLI_UNKNOWN; ++i)
			free(f[i].options);
		t_buf_free(&st);
	}

	t_begin("auto: before detection, check and memory limit");
	{
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(lzma_auto_decoder(&s, 1 << 20, 0), LZMA_OK);
		CHECK_EQ(lzma_get_check(&s), LZMA_CHECK_NONE);
		CHECK_EQ(lzma_memlimit_get(&s), 1 << 20);
		CHECK(lzma_memusage(&s) > 0);
		CHECK_RET(lzma_memlimit_set(&s, 1 << 30), LZMA_OK);
		CHECK_EQ(lzma_memlimit_get(&s), 1 << 30);
		CHECK_RET(lzma_memlimit_set(&s, 1), LZMA_MEMLIMIT_ERROR);
		xw_block b = { .data = data1, .size = sizeof(data1) };
		t_buf x = { 0 }, o = { 0 };
		put_stream(&x, LZMA_CHECK_SHA256, &b, 1);
		CHECK_RET(run(&s, x.data, x.size, 0, 0, &o, NULL),
			  LZMA_STREAM_END);
		CHECK_EQ(lzma_get_check(&s), LZMA_CHECK_SHA256);
		CHECK_EQ(lzma_memlimit_get(&s), 1 << 30);
		lzma_end(&s);
		t_buf_free(&x);
		t_buf_free(&o);
	}
}

/* ---- /usr/bin/xz as an oracle for the .xz decoder -------------------------- */

static void test_xz_oracle(void)
{
	static const char *const cmds[] = {
		"/usr/bin/xz -C sha256 --block-size=3000 -c",
		"/usr/bin/xz -0 -C crc32 --delta=dist=2 --lzma2 -c",
		"/usr/bin/xz -T2 -C none --block-size=4096 -c",
	};
	for (size_t i = 0; i < ARRAY_SIZE(cmds); ++i) {
		t_begin("xz oracle: %s", cmds[i]);
		t_buf x = { 0 };
		if (t_run(cmds[i], data_big, sizeof(data_big), &x) != 0) {
			t_skip("/usr/bin/xz not usable");
			t_buf_free(&x);
			continue;
		}
		decode_all_splits(init_stream, 0, x.data, x.size,
				  LZMA_STREAM_END, data_big, sizeof(data_big));
		t_buf_free(&x);
	}
}

int main(void)
{
	make_data();
	test_stream_checks();
	test_stream_flags_tell();
	test_stream_concat();
	test_stream_memlimit();
	test_stream_buffer();
	test_raw();
	test_alone();
	test_lzip();
	test_block_and_auto();
	test_xz_oracle();
	return t_done();
}
