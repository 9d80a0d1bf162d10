/*
 * test_api.c -- the lzma_code() contract and the decoder API around it, as
 * liblzma defines it: argument and action checks (LZMA_PROG_ERROR), the
 * "no progress" rule (LZMA_BUF_ERROR), memory limits, integrity check
 * reporting flags, concatenated Streams, and the single-call decoders'
 * error positions. Inputs are built by tests/xzwriter.c.
 */
#include "testutil.h"
#include "gen.h"
#include "xzwriter.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint8_t data[1000];

/* Keep calling lzma_code(action) with the input already in strm, output
 * appended to out, until it returns something other than LZMA_OK or makes
 * no progress twice. */
static lzma_ret code_on(lzma_stream *s, lzma_action action, t_buf *out)
{
	uint8_t buf[4096];
	for (int idle = 0; idle < 4;) {
		size_t in_before = s->avail_in;
		s->next_out = buf;
		s->avail_out = sizeof(buf);
		lzma_ret r = lzma_code(s, action);
		t_buf_put(out, buf, sizeof(buf) - s->avail_out);
		if (r != LZMA_OK)
			return r;
		idle = s->avail_out == sizeof(buf) && s->avail_in == in_before ? idle + 1 : 0;
	}
	return XW_HANG;
}

static void check_data(const t_buf *out, const uint8_t *want, size_t size)
{
	CHECK_EQ(out->size, size);
	if (out->size == size)
		CHECK(memcmp(out->data, want, size) == 0);
}

/* ---- argument and action checks -------------------------------------------- */

static void test_prog_errors(void)
{
	lzma_stream s = LZMA_STREAM_INIT;
	uint8_t byte = 0;

	/* liblzma (5.4.1 at least) dereferences a NULL strm and crashes;
	 * clearxz returns LZMA_PROG_ERROR. The call runs in a child process
	 * so a crash is reported, not fatal; built against the system
	 * liblzma (-DTEST_WITH_SYSTEM_LIBLZMA) a crash is a known SKIP. */
	t_begin("api/code_null_strm");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit((int)lzma_code(NULL, LZMA_RUN));
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		t_fail(__FILE__, __LINE__, "fork/waitpid failed");
	} else if (WIFSIGNALED(status) || WEXITSTATUS(status) != LZMA_PROG_ERROR) {
#ifdef TEST_WITH_SYSTEM_LIBLZMA
		/* A crash (or a sanitizer's exit after one). */
		t_skip("lzma_code(NULL) crashes in the system liblzma");
#else
		if (WIFSIGNALED(status))
			t_fail(__FILE__, __LINE__, "lzma_code(NULL) died of signal %d",
			       WTERMSIG(status));
		else
			CHECK_EQ(WEXITSTATUS(status), LZMA_PROG_ERROR);
#endif
	} else {
		CHECK_EQ(WEXITSTATUS(status), LZMA_PROG_ERROR);
	}

	t_begin("api/code_uninitialized");
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_PROG_ERROR);
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_PROG_ERROR);

	t_begin("api/init_null_strm");
	CHECK_RET(lzma_stream_decoder(NULL, UINT64_MAX, 0), LZMA_PROG_ERROR);
	CHECK_RET(lzma_auto_decoder(NULL, UINT64_MAX, 0), LZMA_PROG_ERROR);
	CHECK_RET(lzma_alone_decoder(NULL, UINT64_MAX), LZMA_PROG_ERROR);
	CHECK_RET(lzma_lzip_decoder(NULL, UINT64_MAX, 0), LZMA_PROG_ERROR);

	t_begin("api/init_unsupported_flags");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0x80000000u), LZMA_OPTIONS_ERROR);
	CHECK_RET(lzma_auto_decoder(&s, UINT64_MAX, 0x80000000u), LZMA_OPTIONS_ERROR);
	CHECK_RET(lzma_lzip_decoder(&s, UINT64_MAX, 0x80000000u), LZMA_OPTIONS_ERROR);
	lzma_end(&s);

	t_begin("api/init_all_known_flags");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX,
				      LZMA_TELL_NO_CHECK | LZMA_TELL_UNSUPPORTED_CHECK |
				      LZMA_TELL_ANY_CHECK | LZMA_IGNORE_CHECK |
				      LZMA_CONCATENATED | LZMA_FAIL_FAST), LZMA_OK);
	lzma_end(&s);

	t_begin("api/raw_decoder_bad_filters");
	lzma_filter unknown[] = { { .id = 0x7F, .options = NULL },
				  { .id = LZMA_VLI_UNKNOWN, .options = NULL } };
	CHECK_RET(lzma_raw_decoder(&s, NULL), LZMA_PROG_ERROR);
	CHECK_RET(lzma_raw_decoder(&s, unknown), LZMA_OPTIONS_ERROR);
	lzma_end(&s);

	t_begin("api/null_buffers_with_nonzero_avail");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = NULL;
	s.avail_in = 5;
	s.next_out = &byte;
	s.avail_out = 1;
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_PROG_ERROR);
	lzma_end(&s);
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = &byte;
	s.avail_in = 1;
	s.next_out = NULL;
	s.avail_out = 5;
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_PROG_ERROR);
	lzma_end(&s);

	/* Decoders support only LZMA_RUN and LZMA_FINISH. */
	static const lzma_action bad_actions[] = {
		LZMA_SYNC_FLUSH, LZMA_FULL_FLUSH, LZMA_FULL_BARRIER, (lzma_action)99,
	};
	for (size_t i = 0; i < sizeof(bad_actions) / sizeof(bad_actions[0]); i++) {
		t_begin("api/decoder_rejects_action_%d", (int)bad_actions[i]);
		CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
		s.next_in = NULL;
		s.avail_in = 0;
		s.next_out = &byte;
		s.avail_out = 1;
		CHECK_RET(lzma_code(&s, bad_actions[i]), LZMA_PROG_ERROR);
		lzma_end(&s);
	}
}

/* After LZMA_FINISH the application may not go back to LZMA_RUN nor add
 * input: the decoder was told that the input is complete. */
static void test_action_sequence(void)
{
	t_buf f = { 0 }, out = { 0 };
	lzma_stream s = LZMA_STREAM_INIT;
	xw_simple(&f, 1, data, 100, false, XW_GOOD);
	uint8_t obuf[16];

	t_begin("api/run_after_finish");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = 20; /* header and a little more */
	s.next_out = obuf;
	s.avail_out = sizeof(obuf);
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_OK);
	s.avail_in = f.size - (size_t)(s.next_in - f.data);
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_PROG_ERROR);
	lzma_end(&s);

	t_begin("api/more_input_after_finish");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = 20;
	s.next_out = obuf;
	s.avail_out = sizeof(obuf);
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_OK);
	s.avail_in = f.size - (size_t)(s.next_in - f.data);
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_PROG_ERROR);
	lzma_end(&s);

	t_begin("api/code_after_stream_end");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = f.size;
	CHECK_RET(code_on(&s, LZMA_FINISH, &out), LZMA_STREAM_END);
	check_data(&out, data, 100);
	CHECK_EQ(s.total_in, f.size);
	CHECK_EQ(s.total_out, 100);
	s.next_out = obuf;
	s.avail_out = sizeof(obuf);
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	lzma_end(&s);

	t_begin("api/end_twice_and_reuse");
	lzma_end(&s);
	lzma_end(&s);
	CHECK_RET(lzma_alone_decoder(&s, UINT64_MAX), LZMA_OK);
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK); /* re-init */
	out.size = 0;
	s.next_in = f.data;
	s.avail_in = f.size;
	CHECK_RET(code_on(&s, LZMA_RUN, &out), LZMA_STREAM_END);
	check_data(&out, data, 100);
	lzma_end(&s);
	t_buf_free(&out);
	t_buf_free(&f);
}

/* lzma_code() returns LZMA_BUF_ERROR on the second call in a row that can
 * make no progress; it is not fatal: more input continues the stream. */
static void test_buf_error(void)
{
	t_buf f = { 0 }, out = { 0 };
	lzma_stream s = LZMA_STREAM_INIT;
	xw_simple(&f, 4, data, 300, true, XW_GOOD);
	uint8_t obuf[512];

	t_begin("api/buf_error_no_input");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = 50;
	s.next_out = obuf;
	s.avail_out = sizeof(obuf);
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_OK);
	CHECK_EQ(s.avail_in, 0);
	size_t got = sizeof(obuf) - s.avail_out;
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_OK);
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_BUF_ERROR);
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_BUF_ERROR);
	t_buf_put(&out, obuf, got);
	s.next_in = f.data + 50;
	s.avail_in = f.size - 50;
	CHECK_RET(code_on(&s, LZMA_RUN, &out), LZMA_STREAM_END);
	check_data(&out, data, 300);
	lzma_end(&s);

	t_begin("api/buf_error_no_output_space");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = f.size;
	s.next_out = obuf;
	s.avail_out = 10;
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_OK);
	CHECK_EQ(s.avail_out, 0);
	s.avail_out = 0;
	size_t avail_in = s.avail_in;
	lzma_ret r = lzma_code(&s, LZMA_RUN);
	/* The decoder may still consume some input without output room. */
	if (s.avail_in == avail_in) {
		CHECK_RET(r, LZMA_OK);
		CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_BUF_ERROR);
	}
	lzma_end(&s);

	t_begin("api/truncated_finish_is_buf_error");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = f.size - 1;
	out.size = 0;
	CHECK_RET(code_on(&s, LZMA_FINISH, &out), LZMA_BUF_ERROR);
	lzma_end(&s);
	t_buf_free(&out);
	t_buf_free(&f);
}

/* ---- memory limits ----------------------------------------------------------- */

/* A decoder over the limit stops with LZMA_MEMLIMIT_ERROR, says how much
 * it needs in lzma_memusage(), and goes on once lzma_memlimit_set() allows
 * it. */
static void memlimit_case(const char *name, const t_buf *f, const uint8_t *want, size_t size,
			  int kind, uint64_t need_at_least)
{
	lzma_stream s = LZMA_STREAM_INIT;
	t_buf out = { 0 };
	const uint64_t limit = 1 << 20;
	t_begin("api/memlimit/%s", name);
	lzma_ret r = kind == 0 ? lzma_stream_decoder(&s, limit, 0)
		   : kind == 1 ? lzma_auto_decoder(&s, limit, 0)
		   : kind == 2 ? lzma_alone_decoder(&s, limit)
		   : lzma_lzip_decoder(&s, limit, 0);
	CHECK_RET(r, LZMA_OK);
	CHECK_EQ(lzma_memlimit_get(&s), limit);
	s.next_in = f->data;
	s.avail_in = f->size;
	CHECK_RET(code_on(&s, LZMA_FINISH, &out), LZMA_MEMLIMIT_ERROR);
	CHECK(lzma_memusage(&s) >= need_at_least);
	/* Below what the decoder now knows it needs: refused. */
	CHECK_RET(lzma_memlimit_set(&s, limit / 2), LZMA_MEMLIMIT_ERROR);
	CHECK_RET(lzma_memlimit_set(&s, lzma_memusage(&s) + (64 << 20)), LZMA_OK);
	CHECK_RET(code_on(&s, LZMA_FINISH, &out), LZMA_STREAM_END);
	check_data(&out, want, size);
	CHECK(lzma_memusage(&s) >= need_at_least);
	CHECK(lzma_memlimit_get(&s) >= need_at_least);
	lzma_end(&s);
	t_buf_free(&out);
}

static void test_memlimit(void)
{
	t_buf f = { 0 }, raw = { 0 };
	/* LZMA2 dictionary byte 22 = 2^(22/2 + 12) = 8 MiB (5.3.1). */
	xw_block b = { .data = data, .size = sizeof(data), .dict = 22 };
	xw_stream st = { .check = 1, .blocks = &b, .nblocks = 1 };
	xw_write(&f, &st);
	memlimit_case("xz", &f, data, sizeof(data), 0, 8 << 20);
	memlimit_case("xz_auto", &f, data, sizeof(data), 1, 8 << 20);

	t_begin("api/memlimit_set_below_usage");
	lzma_stream s = LZMA_STREAM_INIT;
	t_buf out = { 0 };
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = 40; /* past the Block Header: the dictionary exists */
	CHECK_RET(code_on(&s, LZMA_RUN, &out), LZMA_BUF_ERROR);
	CHECK(lzma_memusage(&s) >= (8 << 20));
	CHECK_RET(lzma_memlimit_set(&s, 1 << 20), LZMA_MEMLIMIT_ERROR);
	CHECK_EQ(lzma_memlimit_get(&s), UINT64_MAX);
	lzma_end(&s);
	t_buf_free(&out);

	t_begin("api/memusage_of_no_stream");
	CHECK_EQ(lzma_memusage(NULL), 0);
	CHECK_EQ(lzma_memlimit_get(NULL), 0);
	CHECK_RET(lzma_memlimit_set(NULL, 1 << 20), LZMA_PROG_ERROR);

	if (xw_xz_raw_lzma1(&raw, "lc=3,lp=0,pb=2,dict=64KiB", data, sizeof(data))) {
		/* The header's dictionary size decides the memory. */
		f.size = 0;
		xw_alone(&f, 0x5D, 64u << 20, sizeof(data), raw.data, raw.size);
		memlimit_case("lzma", &f, data, sizeof(data), 2, 64 << 20);
		f.size = 0;
		xw_lzip(&f, 1, 64u << 20, data, sizeof(data), raw.data, raw.size, XW_LZ_GOOD);
		memlimit_case("lz", &f, data, sizeof(data), 3, 64 << 20);
	}
	t_buf_free(&raw);
	t_buf_free(&f);
}

/* ---- integrity checks ---------------------------------------------------------- */

/* Decode f with flags one byte at a time; every "tell" return is recorded
 * with lzma_get_check() at that moment and the output size then. */
static lzma_ret decode_telling(const t_buf *f, uint32_t flags, t_buf *out, lzma_ret *told,
			       uint32_t *check_then, size_t *out_then)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = lzma_stream_decoder(&s, UINT64_MAX, flags);
	*told = LZMA_OK;
	for (size_t pos = 0; r == LZMA_OK;) {
		uint8_t byte;
		s.next_in = f->data + pos;
		s.avail_in = pos < f->size ? 1 : 0;
		s.next_out = &byte;
		s.avail_out = 1;
		r = lzma_code(&s, pos < f->size ? LZMA_RUN : LZMA_FINISH);
		pos += pos < f->size ? 1 - s.avail_in : 0;
		t_buf_put(out, &byte, 1 - s.avail_out);
		if (r == LZMA_GET_CHECK || r == LZMA_NO_CHECK || r == LZMA_UNSUPPORTED_CHECK) {
			if (*told == LZMA_OK) {
				*told = r;
				*check_then = lzma_get_check(&s);
				*out_then = out->size;
			}
			r = LZMA_OK;
		}
	}
	lzma_end(&s);
	return r;
}

static void test_checks(void)
{
	static const uint32_t ids[] = { 0, 1, 2, 4, 10, 15 };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		uint32_t id = ids[i];
		bool supported = id == 0 || id == 1 || id == 4 || id == 10;
		t_buf f = { 0 }, out = { 0 };
		lzma_ret told;
		uint32_t check = 99;
		size_t out_then = 99;
		xw_simple(&f, id, data, 200, false, XW_GOOD);

		t_begin("api/check_%u/tell_any_check", id);
		CHECK_RET(decode_telling(&f, LZMA_TELL_ANY_CHECK, &out, &told, &check, &out_then),
			  LZMA_STREAM_END);
		CHECK_RET(told, LZMA_GET_CHECK);
		CHECK_EQ(check, id);
		CHECK_EQ(out_then, 0); /* told right after the Stream Header */
		check_data(&out, data, 200);

		t_begin("api/check_%u/tell_no_check", id);
		out.size = 0;
		CHECK_RET(decode_telling(&f, LZMA_TELL_NO_CHECK, &out, &told, &check, &out_then),
			  LZMA_STREAM_END);
		CHECK_RET(told, id == 0 ? LZMA_NO_CHECK : LZMA_OK);
		check_data(&out, data, 200);

		/* Unknown check IDs (2.1.1.2 "Reserved") are reported, then the
		 * data decodes without verification. */
		t_begin("api/check_%u/tell_unsupported_check", id);
		out.size = 0;
		CHECK_RET(decode_telling(&f, LZMA_TELL_UNSUPPORTED_CHECK, &out, &told, &check,
					 &out_then), LZMA_STREAM_END);
		CHECK_RET(told, supported ? LZMA_OK : LZMA_UNSUPPORTED_CHECK);
		check_data(&out, data, 200);

		t_begin("api/check_%u/no_flags", id);
		out.size = 0;
		CHECK_RET(decode_telling(&f, 0, &out, &told, &check, &out_then), LZMA_STREAM_END);
		CHECK_RET(told, LZMA_OK);
		check_data(&out, data, 200);

		t_begin("api/check_%u/is_supported_and_size", id);
		CHECK_EQ(lzma_check_is_supported((lzma_check)id), supported);
		CHECK_EQ(lzma_check_size((lzma_check)id), xw_check_size(id));

		if (id != 0 && supported) {
			t_begin("api/check_%u/ignore_check", id);
			f.size = 0;
			out.size = 0;
			xw_simple(&f, id, data, 200, false, XW_CHECK);
			CHECK_RET(decode_telling(&f, LZMA_IGNORE_CHECK, &out, &told, &check,
						 &out_then), LZMA_STREAM_END);
			check_data(&out, data, 200);
			out.size = 0;
			CHECK_RET(decode_telling(&f, 0, &out, &told, &check, &out_then),
				  LZMA_DATA_ERROR);
		}
		t_buf_free(&f);
		t_buf_free(&out);
	}
	t_begin("api/check_ids_out_of_range");
	CHECK(!lzma_check_is_supported((lzma_check)16));
	CHECK_EQ(lzma_check_size((lzma_check)16), UINT32_MAX);
}

/* lzma_crc32/lzma_crc64 agree with the tests' own CRCs, in one call and
 * continued piece by piece. */
static void test_crc(void)
{
	t_begin("api/crc32_crc64_match_reference");
	CHECK_EQ(lzma_crc32((const uint8_t *)"123456789", 9, 0), 0xCBF43926u);
	CHECK(lzma_crc64((const uint8_t *)"123456789", 9, 0) == UINT64_C(0x995DC9BBDF1939FA));
	for (size_t n = 0; n <= sizeof(data); n += 1 + n / 3) {
		CHECK_EQ(lzma_crc32(data, n, 0), xw_crc32(data, n, 0));
		CHECK(lzma_crc64(data, n, 0) == xw_crc64(data, n, 0));
		uint32_t c32 = lzma_crc32(data, n / 3, 0);
		uint64_t c64 = lzma_crc64(data, n / 3, 0);
		CHECK_EQ(lzma_crc32(data + n / 3, n - n / 3, c32), xw_crc32(data, n, 0));
		CHECK(lzma_crc64(data + n / 3, n - n / 3, c64) == xw_crc64(data, n, 0));
	}

	t_begin("api/version_number_matches_string");
	uint32_t v = lzma_version_number();
	char want[32];
	snprintf(want, sizeof(want), "%u.%u.%u", v / 10000000, v / 10000 % 1000, v / 10 % 1000);
	CHECK(strncmp(lzma_version_string(), want, strlen(want)) == 0);
}

/* ---- concatenated Streams ------------------------------------------------------- */

static void test_concatenated(void)
{
	t_buf f = { 0 }, out = { 0 }, both = { 0 };
	lzma_stream s = LZMA_STREAM_INIT;
	xw_simple(&f, 1, data, 300, false, XW_GOOD);
	size_t first = f.size;
	t_buf_put(&f, "\0\0\0\0", 4); /* Stream Padding (2.2) */
	xw_simple(&f, 10, data + 300, 400, true, XW_GOOD);
	t_buf_put(&both, data, 700);

	t_begin("api/concatenated/without_flag");
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = f.size;
	CHECK_RET(code_on(&s, LZMA_RUN, &out), LZMA_STREAM_END);
	check_data(&out, data, 300);
	CHECK_EQ(s.avail_in, f.size - first); /* stops right after the footer */
	lzma_end(&s);

	t_begin("api/concatenated/with_flag");
	out.size = 0;
	CHECK_RET(lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = f.size;
	/* With LZMA_CONCATENATED only LZMA_FINISH can end the decoding: more
	 * Streams could follow. */
	CHECK_RET(code_on(&s, LZMA_RUN, &out), LZMA_BUF_ERROR);
	CHECK_EQ(s.avail_in, 0);
	CHECK_RET(code_on(&s, LZMA_FINISH, &out), LZMA_STREAM_END);
	check_data(&out, both.data, both.size);
	lzma_end(&s);

	t_begin("api/concatenated/auto_decoder");
	out.size = 0;
	CHECK_RET(lzma_auto_decoder(&s, UINT64_MAX, LZMA_CONCATENATED), LZMA_OK);
	s.next_in = f.data;
	s.avail_in = f.size;
	CHECK_RET(code_on(&s, LZMA_FINISH, &out), LZMA_STREAM_END);
	check_data(&out, both.data, both.size);
	lzma_end(&s);

	t_begin("api/concatenated/tell_any_check_per_stream");
	out.size = 0;
	lzma_ret told;
	uint32_t check = 0;
	size_t out_then = 0;
	CHECK_RET(decode_telling(&f, LZMA_CONCATENATED | LZMA_TELL_ANY_CHECK, &out, &told,
				 &check, &out_then), LZMA_STREAM_END);
	CHECK_EQ(check, 1); /* the first Stream's check is told first */
	check_data(&out, both.data, both.size);

	t_buf_free(&f);
	t_buf_free(&out);
	t_buf_free(&both);
}

/* ---- single-call decoders ------------------------------------------------------- */

/* *in_pos and *out_pos move only on success. */
static void test_stream_buffer_decode(void)
{
	t_buf f = { 0 };
	uint8_t out[1200];
	size_t in_pos, out_pos;
	uint64_t memlimit = UINT64_MAX;
	t_buf_put(&f, "xyz", 3); /* decoding starts at *in_pos */
	xw_simple(&f, 4, data, 500, false, XW_GOOD);

	t_begin("api/stream_buffer_decode/good");
	in_pos = 3;
	out_pos = 7;
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, 0, NULL, f.data, &in_pos, f.size,
					    out, &out_pos, sizeof(out)), LZMA_OK);
	CHECK_EQ(in_pos, f.size);
	CHECK_EQ(out_pos, 507);
	CHECK(memcmp(out + 7, data, 500) == 0);

	t_begin("api/stream_buffer_decode/stops_after_stream");
	t_buf g = { 0 };
	t_buf_put(&g, f.data, f.size);
	t_buf_put(&g, "tail", 4);
	in_pos = 3;
	out_pos = 0;
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, 0, NULL, g.data, &in_pos, g.size,
					    out, &out_pos, sizeof(out)), LZMA_OK);
	CHECK_EQ(in_pos, f.size);
	t_buf_free(&g);

	/* liblzma's own comment says truncated input is LZMA_DATA_ERROR, but
	 * it restores *in_pos before testing "all input consumed", so it
	 * returns LZMA_BUF_ERROR (5.4.1); either is accepted. */
	t_begin("api/stream_buffer_decode/truncated");
	for (size_t cut = 1; cut < f.size - 3; cut += 7) {
		in_pos = 3;
		out_pos = 0;
		lzma_ret r = lzma_stream_buffer_decode(&memlimit, 0, NULL, f.data, &in_pos,
						       f.size - cut, out, &out_pos, sizeof(out));
		CHECK(r == LZMA_DATA_ERROR || r == LZMA_BUF_ERROR);
		CHECK_EQ(in_pos, 3);
		CHECK_EQ(out_pos, 0);
	}
	CHECK_EQ(in_pos, 3);
	CHECK_EQ(out_pos, 0);

	t_begin("api/stream_buffer_decode/output_too_small");
	in_pos = 3;
	out_pos = 0;
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, 0, NULL, f.data, &in_pos, f.size,
					    out, &out_pos, 499), LZMA_BUF_ERROR);
	CHECK_EQ(in_pos, 3);
	CHECK_EQ(out_pos, 0);

	t_begin("api/stream_buffer_decode/corrupt");
	f.size = 3;
	xw_simple(&f, 4, data, 500, false, XW_CHECK);
	in_pos = 3;
	out_pos = 0;
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, 0, NULL, f.data, &in_pos, f.size,
					    out, &out_pos, sizeof(out)), LZMA_DATA_ERROR);
	CHECK_EQ(in_pos, 3);
	CHECK_EQ(out_pos, 0);

	t_begin("api/stream_buffer_decode/memlimit");
	f.size = 0;
	xw_block b = { .data = data, .size = 500, .dict = 22 }; /* 8 MiB */
	xw_stream st = { .check = 1, .blocks = &b, .nblocks = 1 };
	xw_write(&f, &st);
	in_pos = 0;
	out_pos = 0;
	memlimit = 1 << 20;
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, 0, NULL, f.data, &in_pos, f.size,
					    out, &out_pos, sizeof(out)), LZMA_MEMLIMIT_ERROR);
	CHECK(memlimit >= (8 << 20)); /* the amount needed is reported */
	CHECK_EQ(in_pos, 0);
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, 0, NULL, f.data, &in_pos, f.size,
					    out, &out_pos, sizeof(out)), LZMA_OK);
	CHECK_EQ(out_pos, 500);

	t_begin("api/stream_buffer_decode/bad_args");
	memlimit = UINT64_MAX;
	in_pos = 0;
	out_pos = 0;
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, 0, NULL, f.data, NULL, f.size,
					    out, &out_pos, sizeof(out)), LZMA_PROG_ERROR);
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, LZMA_TELL_ANY_CHECK, NULL, f.data,
					    &in_pos, f.size, out, &out_pos, sizeof(out)),
		  LZMA_PROG_ERROR);
	in_pos = f.size + 1; /* past the end */
	CHECK_RET(lzma_stream_buffer_decode(&memlimit, 0, NULL, f.data, &in_pos, f.size,
					    out, &out_pos, sizeof(out)), LZMA_PROG_ERROR);
	t_buf_free(&f);
}

static void test_raw_buffer_decode(void)
{
	/* Raw LZMA2 (3.2): one uncompressed chunk with dictionary reset
	 * holding 100 bytes, then the end marker. */
	t_buf r = { 0 };
	uint8_t out[200];
	size_t in_pos, out_pos;
	t_buf_byte(&r, 0x01);
	t_buf_byte(&r, 0x00);
	t_buf_byte(&r, 99);
	t_buf_put(&r, data, 100);
	t_buf_byte(&r, 0x00);
	lzma_options_lzma opt;
	memset(&opt, 0, sizeof(opt));
	opt.dict_size = 1 << 16;
	lzma_filter filters[] = { { .id = LZMA_FILTER_LZMA2, .options = &opt },
				  { .id = LZMA_VLI_UNKNOWN, .options = NULL } };

	t_begin("api/raw_buffer_decode/good");
	in_pos = 0;
	out_pos = 0;
	CHECK_RET(lzma_raw_buffer_decode(filters, NULL, r.data, &in_pos, r.size,
					 out, &out_pos, sizeof(out)), LZMA_OK);
	CHECK_EQ(in_pos, r.size);
	CHECK_EQ(out_pos, 100);
	CHECK(memcmp(out, data, 100) == 0);

	t_begin("api/raw_buffer_decode/output_too_small");
	in_pos = 0;
	out_pos = 0;
	CHECK_RET(lzma_raw_buffer_decode(filters, NULL, r.data, &in_pos, r.size,
					 out, &out_pos, 99), LZMA_BUF_ERROR);
	CHECK_EQ(in_pos, 0);
	CHECK_EQ(out_pos, 0);

	t_begin("api/raw_buffer_decode/truncated");
	in_pos = 0;
	out_pos = 0;
	CHECK_RET(lzma_raw_buffer_decode(filters, NULL, r.data, &in_pos, r.size - 1,
					 out, &out_pos, sizeof(out)), LZMA_DATA_ERROR);
	CHECK_EQ(in_pos, 0);
	CHECK_EQ(out_pos, 0);

	t_begin("api/raw_buffer_decode/corrupt");
	r.data[0] = 0x03; /* reserved LZMA2 control byte */
	in_pos = 0;
	out_pos = 0;
	CHECK_RET(lzma_raw_buffer_decode(filters, NULL, r.data, &in_pos, r.size,
					 out, &out_pos, sizeof(out)), LZMA_DATA_ERROR);
	CHECK_EQ(in_pos, 0);
	CHECK_EQ(out_pos, 0);

	t_begin("api/raw_buffer_decode/lzma1_from_xz");
	t_buf raw = { 0 };
	if (xw_xz_raw_lzma1(&raw, "lc=3,lp=0,pb=2,dict=64KiB", data, 150)) {
		opt.lc = 3;
		opt.lp = 0;
		opt.pb = 2;
		filters[0].id = LZMA_FILTER_LZMA1;
		in_pos = 0;
		out_pos = 0;
		CHECK_RET(lzma_raw_buffer_decode(filters, NULL, raw.data, &in_pos, raw.size,
						 out, &out_pos, sizeof(out)), LZMA_OK);
		CHECK_EQ(in_pos, raw.size);
		CHECK_EQ(out_pos, 150);
		CHECK(memcmp(out, data, 150) == 0);
	} else {
		t_skip("/usr/bin/xz could not make raw LZMA1 data");
	}
	t_buf_free(&raw);
	t_buf_free(&r);
}

int main(void)
{
	gen_fill(GEN_TEXT, 7, data, sizeof(data));
	test_prog_errors();
	test_action_sequence();
	test_buf_error();
	test_memlimit();
	test_checks();
	test_crc();
	test_concatenated();
	test_stream_buffer_decode();
	test_raw_buffer_decode();
	return t_done();
}
