/* testutil.c -- see testutil.h. */
#include "testutil.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char t_name[256];
static bool t_open, t_failed, t_skipped;
static int t_any_failed;

static void t_end_case(void)
{
	if (!t_open)
		return;
	if (t_failed)
		t_any_failed = 1;
	else if (!t_skipped)
		printf("PASS: %s\n", t_name);
	t_open = false;
	fflush(stdout);
}

void t_begin(const char *fmt, ...)
{
	va_list ap;
	t_end_case();
	va_start(ap, fmt);
	vsnprintf(t_name, sizeof(t_name), fmt, ap);
	va_end(ap);
	t_open = true;
	t_failed = false;
	t_skipped = false;
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	if (t_failed)
		return; /* one FAIL line per case */
	t_failed = true;
	printf("FAIL: %s (%s:%d: ", t_open ? t_name : "?", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
	t_any_failed = 1;
}

void t_skip(const char *fmt, ...)
{
	va_list ap;
	if (t_failed || t_skipped)
		return;
	t_skipped = true;
	printf("SKIP: %s (", t_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
}

int t_done(void)
{
	t_end_case();
	return t_any_failed;
}

void t_buf_put(t_buf *b, const void *data, size_t size)
{
	if (b->size + size > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->size + size)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (b->data == NULL) {
			perror("realloc");
			exit(2);
		}
		b->cap = cap;
	}
	if (size)
		memcpy(b->data + b->size, data, size);
	b->size += size;
}

void t_buf_byte(t_buf *b, uint8_t byte)
{
	t_buf_put(b, &byte, 1);
}

void t_buf_free(t_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->size = b->cap = 0;
}

bool t_read_file(const char *path, t_buf *out)
{
	FILE *f = fopen(path, "rb");
	uint8_t tmp[65536];
	size_t n;
	if (f == NULL)
		return false;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		t_buf_put(out, tmp, n);
	bool ok = !ferror(f);
	fclose(f);
	return ok;
}

bool t_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return false;
	bool ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok;
}

const char *t_tmpdir(void)
{
	const char *d = getenv("TMPDIR");
	return d != NULL && *d != '\0' ? d : "/tmp";
}

int t_run(const char *cmd, const void *in, size_t in_size, t_buf *out)
{
	/* Input goes through a temporary file so that no deadlock between
	 * writing stdin and reading stdout is possible. */
	char path[4096];
	snprintf(path, sizeof(path), "%s/clearxz-t-run-%ld", t_tmpdir(), (long)getpid());
	if (!t_write_file(path, in, in_size))
		return -1;
	char full[8192];
	snprintf(full, sizeof(full), "(%s) < '%s'", cmd, path);
	FILE *p = popen(full, "r");
	if (p == NULL) {
		unlink(path);
		return -1;
	}
	uint8_t tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), p)) > 0)
		if (out != NULL)
			t_buf_put(out, tmp, n);
	int st = pclose(p);
	unlink(path);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

lzma_ret t_code(lzma_stream *strm, const uint8_t *in, size_t in_size,
		size_t in_chunk, size_t out_chunk, t_buf *out)
{
	uint8_t obuf[65536];
	size_t in_pos = 0;
	lzma_ret ret;
	int stuck = 0;      /* calls in a row without progress */
	if (in_chunk == 0)
		in_chunk = SIZE_MAX;
	if (out_chunk == 0 || out_chunk > sizeof(obuf))
		out_chunk = sizeof(obuf);
	strm->next_in = in;
	strm->avail_in = 0;
	for (;;) {
		if (strm->avail_in == 0 && in_pos < in_size) {
			size_t n = in_size - in_pos < in_chunk ? in_size - in_pos : in_chunk;
			strm->next_in = in + in_pos;
			strm->avail_in = n;
			in_pos += n;
		}
		lzma_action action = in_pos == in_size ? LZMA_FINISH : LZMA_RUN;
		strm->next_out = obuf;
		strm->avail_out = out_chunk;
		size_t avail_before = strm->avail_in;
		ret = lzma_code(strm, action);
		t_buf_put(out, obuf, out_chunk - strm->avail_out);
		if (ret != LZMA_OK)
			return ret;
		/* A coder that never returns without progress would hang the
		 * test: report it as a programming error instead. */
		if (strm->avail_in == avail_before && strm->avail_out == out_chunk) {
			if (++stuck > 100)
				return LZMA_PROG_ERROR;
		} else {
			stuck = 0;
		}
	}
}
