/*
 * testutil.h -- the tiny test framework every tests/test_*.c uses.
 *
 * A test program prints one line per case: "PASS: name", "FAIL: name (why)"
 * or "SKIP: name (why)", and exits 1 if any case failed. tests/run.sh adds
 * the lines up. CHECK() records a failure of the current case and goes on.
 */
#ifndef CLEARXZ_TESTUTIL_H
#define CLEARXZ_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lzma.h"

/* Start a case; ends the previous one (printing its PASS/FAIL line). */
void t_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record a failure of the current case, with a reason. */
void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Mark the current case skipped, with a reason. */
void t_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* End the last case and return the exit status for main(). */
int t_done(void);

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			t_fail(__FILE__, __LINE__, "%s", #cond); \
	} while (0)

#define CHECK_EQ(a, b) \
	do { \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b); \
		if (t_a_ != t_b_) \
			t_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
			       #a, t_a_, #b, t_b_); \
	} while (0)

#define CHECK_RET(expr, want) CHECK_EQ((expr), (want))

/* Growable byte buffer for test data. */
typedef struct {
	uint8_t *data;
	size_t size;
	size_t cap;
} t_buf;

void t_buf_put(t_buf *b, const void *data, size_t size);
void t_buf_byte(t_buf *b, uint8_t byte);
void t_buf_free(t_buf *b);

/* Read a whole file; false on error. */
bool t_read_file(const char *path, t_buf *out);
/* Write a whole file; false on error. */
bool t_write_file(const char *path, const void *data, size_t size);
/* Run a shell command with data on stdin, capture stdout; returns the exit
 * status (or -1). */
int t_run(const char *cmd, const void *in, size_t in_size, t_buf *out);

/* Decode `in` with an initialized decoder strm, feeding at most in_chunk
 * input bytes and offering at most out_chunk output bytes per lzma_code()
 * call (0 = unlimited). Returns the last lzma_code() return value
 * (LZMA_STREAM_END on success); output appended to out. action is
 * LZMA_RUN until all input has been offered, then LZMA_FINISH. */
lzma_ret t_code(lzma_stream *strm, const uint8_t *in, size_t in_size,
		size_t in_chunk, size_t out_chunk, t_buf *out);

/* Directory for temporary files of this test run ($TMPDIR or /tmp). */
const char *t_tmpdir(void);

#endif
