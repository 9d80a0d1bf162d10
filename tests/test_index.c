/*
 * test_index.c -- unit tests of the lzma_index API, the Index decoder,
 * lzma_file_info_decoder() and the filter-string functions: the cases
 * test_abi_diff.sh cannot compare with liblzma 5.4.1 (5.8 behaviour, a
 * 5.4.1 bug we do not copy), values worked out by hand from
 * xz-file-format.txt, allocator use, memory limits, and hostile input.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "testutil.h"

#define MIN_T(a, b) ((a) < (b) ? (a) : (b))

static uint32_t read32le_test(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16)
	       | ((uint32_t)p[3] << 24);
}

/* ---- an allocator that counts, and can be told to fail --------------------- */

typedef struct {
	long live;              /* allocations not yet freed */
	long calls;
	long fail_at;           /* the call number that fails (0: none) */
} counter;

static void *count_alloc(void *opaque, size_t nmemb, size_t size)
{
	counter *c = opaque;
	if (++c->calls == c->fail_at)
		return NULL;
	++c->live;
	return malloc(nmemb * size);
}

static void count_free(void *opaque, void *ptr)
{
	counter *c = opaque;
	if (ptr != NULL)
		--c->live;
	free(ptr);
}

/* ---- filter strings: what 5.8 does differently from 5.4.1 ------------------- */

static void test_strings(void)
{
	t_begin("str: riscv is listed after arm64 (5.6+)");
	char *s = NULL;
	CHECK_RET(lzma_str_list_filters(&s, LZMA_VLI_UNKNOWN, 0, NULL), LZMA_OK);
	CHECK(s != NULL && strcmp(s, "lzma2 x86 arm armthumb arm64 riscv "
			  "powerpc ia64 sparc delta") == 0);
	free(s);

	t_begin("str: riscv parses and prints");
	lzma_filter f[LZMA_FILTERS_MAX + 1];
	int pos = -1;
	CHECK(lzma_str_to_filters("riscv:start=8 lzma2:dict=1MiB", &pos, f, 0,
				  NULL) == NULL);
	CHECK_EQ(pos, 29);
	CHECK_RET(lzma_str_from_filters(&s, f, LZMA_STR_DECODER, NULL), LZMA_OK);
	CHECK(s != NULL && strcmp(s, "riscv:start=8 lzma2:dict=1MiB") == 0);
	free(s);
	lzma_filters_free(f, NULL);

	t_begin("str: error_pos may be NULL (5.8)");
	CHECK(lzma_str_to_filters("x86 lzma2", NULL, f, 0, NULL) == NULL);
	lzma_filters_free(f, NULL);
	CHECK(lzma_str_to_filters("foo", NULL, f, 0, NULL) != NULL);

	t_begin("str: a chain of five is refused (5.8)");
	lzma_filter five[6];
	for (int i = 0; i < 5; ++i)
		five[i] = (lzma_filter){ LZMA_FILTER_X86, NULL };
	five[5] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };
	s = (char *)1;
	CHECK_RET(lzma_str_from_filters(&s, five, 0, NULL), LZMA_OPTIONS_ERROR);
	CHECK(s == NULL);

	t_begin("str: random strings: an answer, a position, no leak");
	static const char alphabet[] = "lzma12x86delta:=,- 0123456789eKMGiB";
	uint64_t seed = 1;
	for (int round = 0; round < 20000; ++round) {
		char str[40];
		const size_t len = gen_below(&seed, sizeof(str));
		for (size_t k = 0; k < len; ++k)
			str[k] = alphabet[gen_below(&seed, sizeof(alphabet) - 1)];
		str[len] = '\0';
		pos = -1;
		const char *e = lzma_str_to_filters(str, &pos, f,
						    gen_below(&seed, 4), NULL);
		CHECK(pos >= 0 && (size_t)pos <= len);
		if (e == NULL) {
			CHECK_RET(lzma_str_from_filters(&s, f, LZMA_STR_ENCODER,
							NULL), LZMA_OK);
			free(s);
			lzma_filters_free(f, NULL);
		}
	}

	t_begin("str: every allocation through the allocator");
	counter c = { 0, 0, 0 };
	const lzma_allocator a = { count_alloc, count_free, &c };
	CHECK(lzma_str_to_filters("delta x86 lzma2:preset=9e", &pos, f, 0, &a)
	      == NULL);
	CHECK_EQ(c.live, 3);
	CHECK_RET(lzma_str_from_filters(&s, f, LZMA_STR_ENCODER, &a), LZMA_OK);
	count_free(&c, s);
	lzma_filters_free(f, &a);
	CHECK_EQ(c.live, 0);

	t_begin("str: out of memory, nothing leaks, filters untouched");
	for (long n = 1; n <= 3; ++n) {
		c = (counter){ 0, 0, n };
		f[0].id = 12345;
		const char *e = lzma_str_to_filters("delta x86 lzma2", &pos, f, 0,
						    &a);
		CHECK(e != NULL && strcmp(e, "Memory allocation failed") == 0);
		CHECK_EQ(c.live, 0);
		CHECK_EQ(f[0].id, 12345);
	}
}

/* ---- the index, by hand ----------------------------------------------------------- */

static void test_index_by_hand(void)
{
	t_begin("index: an empty Stream (4: 8-byte Index)");
	lzma_index *i = lzma_index_init(NULL);
	CHECK_EQ(lzma_index_size(i), 8);
	CHECK_EQ(lzma_index_file_size(i), 32);
	CHECK_EQ(lzma_index_stream_count(i), 1);
	CHECK_EQ(lzma_index_checks(i), 0);
	CHECK_EQ(lzma_index_memused(i), 408);

	t_begin("index: sizes after two Blocks");
	CHECK_RET(lzma_index_append(i, NULL, 1001, 5000), LZMA_OK);
	CHECK_RET(lzma_index_append(i, NULL, 30, 0), LZMA_OK);
	/* Index: 1 + 1 + (2+2) + (1+1) + 4 = 12. Blocks: 1004 + 32. */
	CHECK_EQ(lzma_index_size(i), 12);
	CHECK_EQ(lzma_index_total_size(i), 1036);
	CHECK_EQ(lzma_index_file_size(i), 12 + 1036 + 12 + 12);
	CHECK_EQ(lzma_index_uncompressed_size(i), 5000);

	t_begin("index: the Index bytes");
	uint8_t buf[64];
	size_t n = 0;
	CHECK_RET(lzma_index_buffer_encode(i, buf, &n, sizeof(buf)), LZMA_OK);
	CHECK_EQ(n, 12);
	const uint8_t head[8] = { 0x00, 0x02, 0xe9, 0x07, 0x88, 0x27, 0x1e, 0x00 };
	CHECK(memcmp(buf, head, 8) == 0);
	CHECK_EQ(read32le_test(buf + 8), lzma_crc32(buf, 8, 0));

	t_begin("index: cat, numbers and offsets of the second Stream");
	lzma_stream_flags fl = { .version = 0, .check = LZMA_CHECK_CRC32,
				 .backward_size = LZMA_VLI_UNKNOWN };
	CHECK_RET(lzma_index_stream_flags(i, &fl), LZMA_OK);
	CHECK_RET(lzma_index_stream_padding(i, 8), LZMA_OK);
	lzma_index *j = lzma_index_init(NULL);
	CHECK_RET(lzma_index_append(j, NULL, 100, 7), LZMA_OK);
	fl.check = LZMA_CHECK_SHA256;
	CHECK_RET(lzma_index_stream_flags(j, &fl), LZMA_OK);
	CHECK_RET(lzma_index_cat(i, j, NULL), LZMA_OK);
	CHECK_EQ(lzma_index_checks(i), (1 << 1) | (1 << 10));
	lzma_index_iter it;
	lzma_index_iter_init(&it, i);
	CHECK(!lzma_index_iter_next(&it, LZMA_INDEX_ITER_STREAM));
	CHECK(!lzma_index_iter_next(&it, LZMA_INDEX_ITER_STREAM));
	CHECK_EQ(it.stream.number, 2);
	CHECK_EQ(it.stream.compressed_offset, 1072 + 8);
	CHECK_EQ(it.stream.uncompressed_offset, 5000);
	CHECK_EQ(it.block.number_in_file, 3);
	CHECK_EQ(it.block.compressed_file_offset, 1080 + 12);
	CHECK(lzma_index_iter_next(&it, LZMA_INDEX_ITER_STREAM));

	t_begin("index: dup keeps the checks of every Stream");
	lzma_index *d = lzma_index_dup(i, NULL);
	CHECK(d != NULL && lzma_index_checks(d) == lzma_index_checks(i));
	lzma_index_end(d, NULL);

	t_begin("index: NONEMPTY_BLOCK and locate skip the empty Block");
	lzma_index_iter_rewind(&it);
	int seen = 0;
	while (!lzma_index_iter_next(&it, LZMA_INDEX_ITER_NONEMPTY_BLOCK)) {
		CHECK(it.block.uncompressed_size > 0);
		++seen;
	}
	CHECK_EQ(seen, 2);
	CHECK(!lzma_index_iter_locate(&it, 5000));
	CHECK_EQ(it.block.number_in_file, 3);
	CHECK(!lzma_index_iter_locate(&it, 4999));
	CHECK_EQ(it.block.number_in_file, 1);
	CHECK(lzma_index_iter_locate(&it, 5007));
	CHECK(lzma_index_iter_next(&it, (lzma_index_iter_mode)4));
	lzma_index_end(i, NULL);
}

/* ---- decoders ---------------------------------------------------------------- */

static void test_index_decoder(void)
{
	t_begin("index decoder: memlimit error, raise, go on");
	lzma_index *i = lzma_index_init(NULL);
	for (int k = 0; k < 1000; ++k)
		CHECK_RET(lzma_index_append(i, NULL, 40 + k, k), LZMA_OK);
	uint8_t buf[8192];
	size_t n = 0;
	CHECK_RET(lzma_index_buffer_encode(i, buf, &n, sizeof(buf)), LZMA_OK);
	lzma_index_end(i, NULL);
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_index *out = NULL;
	CHECK_RET(lzma_index_decoder(&strm, &out, 1000), LZMA_OK);
	strm.next_in = buf;
	strm.avail_in = n;
	CHECK_RET(lzma_code(&strm, LZMA_RUN), LZMA_MEMLIMIT_ERROR);
	CHECK_EQ(lzma_memusage(&strm), lzma_index_memusage(1, 1000));
	CHECK_RET(lzma_memlimit_set(&strm, 100), LZMA_MEMLIMIT_ERROR);
	CHECK_RET(lzma_memlimit_set(&strm, 1 << 20), LZMA_OK);
	CHECK_RET(lzma_code(&strm, LZMA_RUN), LZMA_STREAM_END);
	CHECK(out != NULL && lzma_index_block_count(out) == 1000);
	lzma_index_end(out, NULL);
	lzma_end(&strm);

	t_begin("index decoder: random input never crashes");
	uint64_t seed = 42;
	for (int round = 0; round < 2000; ++round) {
		uint8_t junk[64];
		const size_t len = gen_below(&seed, sizeof(junk));
		for (size_t k = 0; k < len; ++k)
			junk[k] = (uint8_t)(gen_below(&seed, 4) == 0
					    ? gen_next(&seed) : gen_below(&seed, 3));
		junk[0] = 0;
		uint64_t ml = UINT64_MAX;
		size_t ip = 0;
		lzma_index *x = NULL;
		if (lzma_index_buffer_decode(&x, &ml, NULL, junk, &ip, len)
		    == LZMA_OK)
			lzma_index_end(x, NULL);
	}
}

/* A file: Streams made by lzma_stream_buffer_encode, with padding. */
static size_t make_file(uint8_t *out, size_t cap, int streams)
{
	static uint8_t data[20000];
	gen_fill(GEN_TEXT, 7, data, sizeof(data));
	lzma_filter f[2] = { { LZMA_FILTER_LZMA2, NULL },
			     { LZMA_VLI_UNKNOWN, NULL } };
	lzma_options_lzma o;
	lzma_lzma_preset(&o, 0);
	f[0].options = &o;
	size_t pos = 0;
	for (int s = 0; s < streams; ++s) {
		if (lzma_stream_buffer_encode(f, (lzma_check)(s % 2 ? 10 : 1),
					      NULL, data, (size_t)s * 997,
					      out, &pos, cap) != LZMA_OK)
			return 0;
		for (int p = 0; p < 4 * (s % 3); ++p)
			out[pos++] = 0;
	}
	return pos;
}

/* Run lzma_file_info_decoder() over file[0..size) like xz --list. */
static lzma_ret info(const uint8_t *file, size_t size, size_t bufsize,
		     uint64_t memlimit, lzma_index **idx, const lzma_allocator *a)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	strm.allocator = a;
	lzma_ret r = lzma_file_info_decoder(&strm, idx, memlimit, size);
	size_t fpos = 0;
	for (int n = 0; r == LZMA_OK && n < 100000; ++n) {
		if (strm.avail_in == 0) {
			strm.next_in = file + fpos;
			strm.avail_in = MIN_T(size - fpos, bufsize);
			fpos += strm.avail_in;
		}
		r = lzma_code(&strm, LZMA_RUN);
		if (r == LZMA_SEEK_NEEDED) {
			CHECK(strm.seek_pos <= size);
			fpos = (size_t)strm.seek_pos;
			strm.avail_in = 0;
			r = LZMA_OK;
		}
		if (r == LZMA_MEMLIMIT_ERROR && memlimit != 1) {
			CHECK(lzma_memusage(&strm) > memlimit);
			r = lzma_memlimit_set(&strm, UINT64_MAX);
		}
	}
	lzma_end(&strm);
	return r;
}

static void test_file_info(void)
{
	static uint8_t file[400000];
	const size_t size = make_file(file, sizeof(file), 12);

	t_begin("file_info: 12 Streams with padding, any buffer size");
	const size_t sizes[] = { 1, 3, 100, 8192, 100000 };
	for (size_t k = 0; k < 5; ++k) {
		lzma_index *idx = NULL;
		CHECK_RET(info(file, size, sizes[k], UINT64_MAX, &idx, NULL),
			  LZMA_STREAM_END);
		if (idx == NULL)
			continue;
		CHECK_EQ(lzma_index_stream_count(idx), 12);
		CHECK_EQ(lzma_index_file_size(idx), size);
		CHECK_EQ(lzma_index_checks(idx), (1 << 1) | (1 << 10));
		lzma_index_end(idx, NULL);
	}

	t_begin("file_info: memlimit error, raised, finishes");
	lzma_index *idx = NULL;
	CHECK_RET(info(file, size, 4096, 2000, &idx, NULL), LZMA_STREAM_END);
	lzma_index_end(idx, NULL);

	t_begin("file_info: the allocator sees everything");
	counter c = { 0, 0, 0 };
	const lzma_allocator a = { count_alloc, count_free, &c };
	idx = NULL;
	CHECK_RET(info(file, size, 8192, UINT64_MAX, &idx, &a), LZMA_STREAM_END);
	lzma_index_end(idx, &a);
	CHECK_EQ(c.live, 0);

	t_begin("file_info: damaged files end with an error, never a crash");
	uint64_t seed = 9;
	static uint8_t bad[400000];
	for (int round = 0; round < 300; ++round) {
		const size_t len = round < 150 ? size
				   : (size_t)gen_below(&seed, (uint32_t)size);
		memcpy(bad, file, len);
		const int flips = 1 + (int)gen_below(&seed, 3);
		for (int k = 0; k < flips && len > 0; ++k)
			bad[len - 1 - gen_below(&seed, (uint32_t)MIN_T(len, 300))]
				^= (uint8_t)(1 + gen_below(&seed, 255));
		idx = NULL;
		const lzma_ret r = info(bad, len, 1 + gen_below(&seed, 9000),
					UINT64_MAX, &idx, NULL);
		CHECK(r != LZMA_OK && r != LZMA_PROG_ERROR);
		if (r == LZMA_STREAM_END)
			lzma_index_end(idx, NULL);
	}
}

/* ---- MicroLZMA (test_abi_diff.sh also checks it against liblzma) ----------- */

static void test_microlzma(void)
{
	static uint8_t data[50000], out[60000], back[50000];
	gen_fill(GEN_TEXT, 3, data, sizeof(data));
	lzma_options_lzma o;
	lzma_lzma_preset(&o, 6);
	o.dict_size = 1 << 16;

	t_begin("microlzma: fills the output, first byte is ~props");
	lzma_stream s = LZMA_STREAM_INIT;
	CHECK_RET(lzma_microlzma_encoder(&s, &o), LZMA_OK);
	s.next_in = data;
	s.avail_in = sizeof(data);
	s.next_out = out;
	s.avail_out = 3000;
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	const uint64_t unc = s.total_in, comp = s.total_out;
	CHECK(comp <= 3000 && comp > 3000 - 40 && unc > 3000);
	CHECK_EQ(out[0], (uint8_t)~0x5d);
	lzma_end(&s);

	t_begin("microlzma: decodes exactly, and up to a lower bound");
	CHECK_RET(lzma_microlzma_decoder(&s, comp, unc, 1, 1 << 16), LZMA_OK);
	s.next_in = out;
	s.avail_in = (size_t)comp;
	s.next_out = back;
	s.avail_out = sizeof(back);
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	CHECK(s.total_out == unc && memcmp(back, data, (size_t)unc) == 0);
	CHECK_RET(lzma_microlzma_decoder(&s, comp, unc / 3, 0, 1 << 16), LZMA_OK);
	s.next_in = out;
	s.avail_in = (size_t)comp;
	s.next_out = back;
	s.avail_out = sizeof(back);
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	CHECK_EQ(s.total_out, unc / 3);

	t_begin("microlzma: bad properties byte, too little output, RUN");
	const uint8_t bad[6] = { 0x00, 0, 0, 0, 0, 0 };
	CHECK_RET(lzma_microlzma_decoder(&s, 6, 10, 1, 4096), LZMA_OK);
	s.next_in = bad;
	s.avail_in = 6;
	s.next_out = back;
	s.avail_out = 10;
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_OPTIONS_ERROR);
	CHECK_RET(lzma_microlzma_encoder(&s, &o), LZMA_OK);
	s.next_in = data;
	s.avail_in = 100;
	s.next_out = out;
	s.avail_out = 5;
	CHECK_RET(lzma_code(&s, LZMA_FINISH), LZMA_PROG_ERROR);
	CHECK_RET(lzma_microlzma_encoder(&s, &o), LZMA_OK);
	s.avail_out = 100;
	CHECK_RET(lzma_code(&s, LZMA_RUN), LZMA_PROG_ERROR);
	lzma_end(&s);
}

int main(void)
{
	test_strings();
	test_index_by_hand();
	test_index_decoder();
	test_file_info();
	test_microlzma();
	return t_done();
}
