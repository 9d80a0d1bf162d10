/*
 * test_conformance.c -- XZ Utils' test vectors behave as MANIFEST.tsv says.
 *
 * The vectors are not in this tree (no binary files, house rule 1): they
 * are read from ../shared/testdata/xz-tests beside the repository, or from
 * $CLEARXZ_TESTDATA. Without them this test prints one SKIP line.
 *
 * MANIFEST.tsv columns: name, sha256 of the file, bytes, expected (good /
 * bad / unsupported), sha256 and size of the decompressed output (good
 * files), exit status of xz 5.4.1 and 5.8.3, notes (xz's message).
 *
 * Each vector is decoded the way "xz -dc" does it: .xz with
 * lzma_stream_decoder(LZMA_CONCATENATED | LZMA_TELL_UNSUPPORTED_CHECK),
 * .lzma with lzma_alone_decoder, .lz with lzma_lzip_decoder
 * (LZMA_CONCATENATED), and .xz and .lzma also with lzma_auto_decoder; each
 * in one call and with 1-byte buffers.
 *   good:        LZMA_STREAM_END and the listed sha256 of the output
 *   bad:         the lzma_ret behind xz's message: "Compressed data is
 *                corrupt" = LZMA_DATA_ERROR, "Unexpected end of input" =
 *                LZMA_BUF_ERROR, "File format not recognized" =
 *                LZMA_FORMAT_ERROR, "Unsupported options" = LZMA_OPTIONS_ERROR
 *   unsupported: exit 2 (unsupported check): LZMA_UNSUPPORTED_CHECK is
 *                reported, then the data decodes to the listed output;
 *                exit 1: LZMA_OPTIONS_ERROR
 */
#include "testutil.h"
#include "xzwriter.h"

#include <stdlib.h>
#include <string.h>

enum { F_NAME, F_SHA, F_BYTES, F_EXPECTED, F_OUT_SHA, F_OUT_BYTES, F_RC541, F_RC583, F_NOTES,
       F_COUNT };

typedef enum { DEC_NATIVE, DEC_AUTO } dec_kind;

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static lzma_ret dec_init(lzma_stream *st, const char *name, dec_kind k)
{
	const uint32_t flags = LZMA_CONCATENATED | LZMA_TELL_UNSUPPORTED_CHECK;
	if (k == DEC_AUTO)
		return lzma_auto_decoder(st, UINT64_MAX, flags);
	if (ends_with(name, ".lzma"))
		return lzma_alone_decoder(st, UINT64_MAX);
	if (ends_with(name, ".lz"))
		return lzma_lzip_decoder(st, UINT64_MAX, LZMA_CONCATENATED);
	return lzma_stream_decoder(st, UINT64_MAX, flags);
}

/* The lzma_ret behind xz's message in the notes column (see above). */
static lzma_ret ret_for_message(const char *notes)
{
	static const struct {
		const char *msg;
		lzma_ret ret;
	} map[] = {
		{ "Compressed data is corrupt", LZMA_DATA_ERROR },
		{ "Unexpected end of input", LZMA_BUF_ERROR },
		{ "File format not recognized", LZMA_FORMAT_ERROR },
		{ "Unsupported options", LZMA_OPTIONS_ERROR },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strstr(notes, map[i].msg) != NULL)
			return map[i].ret;
	return LZMA_PROG_ERROR; /* unknown: never matches a real result */
}

/* For "unsupported" files that decode with a warning: the sha256 of the
 * output, written in the notes as "output sha256 HEX (N bytes)". */
static bool warn_output_sha(const char *notes, char sha[65])
{
	const char *p = strstr(notes, "output sha256 ");
	if (p == NULL)
		return false;
	p += strlen("output sha256 ");
	if (strlen(p) < 64)
		return false;
	memcpy(sha, p, 64);
	sha[64] = '\0';
	return true;
}

/* Decode one vector with decoder k in both buffer modes and compare. */
static void check_vector(char **f, const t_buf *file, dec_kind k, bool one_call_only)
{
	const char *expected = f[F_EXPECTED];
	lzma_ret want = LZMA_STREAM_END, want_told = LZMA_OK;
	char want_sha[65] = "";
	if (strcmp(expected, "good") == 0) {
		snprintf(want_sha, sizeof(want_sha), "%s", f[F_OUT_SHA]);
	} else if (strcmp(expected, "unsupported") == 0 && strcmp(f[F_RC583], "2") == 0) {
		want_told = LZMA_UNSUPPORTED_CHECK;
		if (!warn_output_sha(f[F_NOTES], want_sha))
			t_fail(__FILE__, __LINE__, "no output sha256 in the notes");
	} else {
		want = ret_for_message(f[F_NOTES]);
	}
	for (size_t chunk = 0; chunk <= (one_call_only ? 0u : 1u); chunk++) {
		const char *mode = chunk ? "1-byte buffers" : "one call";
		const char *dname = k == DEC_AUTO ? "auto decoder" : "format's decoder";
		lzma_stream st = LZMA_STREAM_INIT;
		t_buf out = { 0 };
		lzma_ret told = LZMA_OK, got = dec_init(&st, f[F_NAME], k);
		if (got != LZMA_OK) {
			t_fail(__FILE__, __LINE__, "%s: init failed: %s", dname, xw_ret_name(got));
			return;
		}
		got = xw_decode(&st, file->data, file->size, chunk, chunk, &out, &told);
		lzma_end(&st);
		char sha[65];
		xw_sha256_hex(out.data, out.size, sha);
		t_buf_free(&out);
		if (got != want || told != want_told)
			t_fail(__FILE__, __LINE__, "%s, %s: got %s (told %s), want %s (told %s)",
			       dname, mode, xw_ret_name(got), xw_ret_name(told),
			       xw_ret_name(want), xw_ret_name(want_told));
		else if (want == LZMA_STREAM_END && strcmp(sha, want_sha) != 0)
			t_fail(__FILE__, __LINE__, "%s, %s: output sha256 %s, want %s",
			       dname, mode, sha, want_sha);
	}
}

/* Split a line at tabs into f[0..F_COUNT); false if too few fields. */
static bool split(char *line, char **f)
{
	for (int i = 0; i < F_COUNT; i++) {
		f[i] = line;
		char *tab = strchr(line, '\t');
		if (tab == NULL)
			return i == F_COUNT - 1;
		*tab = '\0';
		line = tab + 1;
	}
	return true;
}

static void run_vector(const char *dir, char **f)
{
	char path[4096];
	t_buf file = { 0 };
	t_begin("vector/%s", f[F_NAME]);
	snprintf(path, sizeof(path), "%s/%s", dir, f[F_NAME]);
	if (!t_read_file(path, &file)) {
		t_fail(__FILE__, __LINE__, "cannot read %s", path);
		return;
	}
	char sha[65];
	xw_sha256_hex(file.data, file.size, sha);
	if (strcmp(sha, f[F_SHA]) != 0) {
		t_fail(__FILE__, __LINE__, "file sha256 %s differs from the manifest", sha);
	} else {
		/* liblzma before 5.8 fails a .lzma with known size and end
		 * marker when the input comes in pieces; the file is valid. */
		bool quirk = lzma_version_number() < 50080000 &&
			     strncmp(f[F_NAME], "good-known_size-with_eopm", 25) == 0;
		if (quirk)
			printf("NOTE: %s: 1-byte buffers not checked with liblzma %s\n",
			       f[F_NAME], lzma_version_string());
		check_vector(f, &file, DEC_NATIVE, quirk);
		/* Not .lz: with LZMA_CONCATENATED liblzma's auto decoder
		 * rejects trailing data after the last lzip member
		 * (LZMA_DATA_ERROR), which "xz -dc" and the lzip decoder
		 * ignore. */
		if (!ends_with(f[F_NAME], ".lz"))
			check_vector(f, &file, DEC_AUTO, quirk);
	}
	t_buf_free(&file);
}

int main(void)
{
	const char *dir = getenv("CLEARXZ_TESTDATA");
	if (dir == NULL || *dir == '\0')
		dir = "../shared/testdata/xz-tests";
	char path[4096];
	t_buf man = { 0 };
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	if (!t_read_file(path, &man)) {
		t_begin("conformance");
		t_skip("no test vectors: %s not found (set CLEARXZ_TESTDATA)", path);
		return t_done();
	}
	t_buf_byte(&man, '\0');
	int vectors = 0;
	char *save = NULL;
	for (char *line = strtok_r((char *)man.data, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[F_COUNT];
		if (line[0] == '#' || strncmp(line, "name\t", 5) == 0)
			continue;
		if (!split(line, f)) {
			t_begin("manifest");
			t_fail(__FILE__, __LINE__, "malformed line: %.60s", line);
			continue;
		}
		run_vector(dir, f);
		vectors++;
	}
	t_begin("manifest_lists_vectors");
	CHECK(vectors > 0);
	t_buf_free(&man);
	return t_done();
}
