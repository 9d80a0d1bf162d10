/*
 * test_abi_diff.c -- one program, built twice by tests/test_abi_diff.sh:
 * against clearxz (include/lzma.h + libclearxz.a) and against the system's
 * liblzma 5.4.1 (-DAGAINST_SYSTEM, /usr/include/lzma.h, -llzma). It calls
 * the API and prints what comes back -- return codes, header, index and
 * property bytes, filter strings, iterator fields, hashes of decoded data.
 * The script compares the two outputs group by group ("== name" lines).
 *
 * Only behaviour both libraries share is printed: nothing from 5.6 or 5.8
 * (riscv, lzma_bcj_*), and none of the cases where 5.8 deliberately differs
 * from 5.4.1 (those are in the unit tests). Compressed bytes made by an
 * encoder are not printed (the encoders need not be bit-identical); their
 * round trips are.
 *
 * Usage: test_abi_diff [DIR]  -- DIR holds sample files made by /usr/bin/xz
 * (the script creates them); without it those groups are skipped.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lzma.h>

static void group(const char *name)
{
	printf("== %s\n", name);
}

static void hex(const char *label, const uint8_t *p, size_t n)
{
	printf("%s:", label);
	for (size_t i = 0; i < n; ++i)
		printf("%02x", p[i]);
	printf("\n");
}

static unsigned long long u(uint64_t v)
{
	return (unsigned long long)v;
}

/* ---- filter strings --------------------------------------------------------- */

static const char *const chain_strings[] = {
	"6", "6e", "-6e", " 6 ", "6 x", "6ee", "10", "6f", "", "   ", "0",
	"9e", "lzma2", "x86 lzma2", "x86 lzma2:preset=6e,dict=64MiB",
	"lzma2:dict=3000", "lzma1", "lzma1:lc=4,lp=0", "lzma1:lc=4,lp=4",
	"delta:dist=300", "delta:dist=256", "delta:dist=256 lzma2",
	"lzma2:foo=1", "lzma2:dict=", "lzma2:dict=1x", "lzma2:dict=1k",
	"lzma2:dict=1KiB", "lzma2:dict=1Ki", "lzma2:dict=1kb", "lzma2:lc=5",
	"lzma2:lc=3,lp=2", "lzma2:mf=hc4,mode=fast,nice=5", "lzma2:mf=xx",
	"x86:start=16", "foo", "x86 x86 x86 x86 lzma2", "x86 x86 x86 lzma2",
	"x86--lzma2", "x86 -- lzma2", "--x86 --lzma2", "lzma2:,dict=1",
	"lzma2:dict", ":", "x86:", "lzma2:preset=", "lzma2:preset=6x",
	"lzma2:preset=10", "lzma2:dict=4GiB", "lzma2:dict=1536MiB",
	"lzma2:pb=0x1", "lzma2:pb=-1", "lzma2:dict=99999999999999999999",
	"x86=1", "lzma2 x86", " 6 x", "-6 x", "  -6ex", "-", "- ", "-x86",
	"--", "---x86 lzma2", "x86  lzma2", "x86 lzma2  ", "x86 - lzma2",
	"x86----lzma2", "x86-- lzma2", "x86 lzma2 --", "x86 lzma2--",
	"x86:start=0,,lzma2", "lzma2:dict=1MiB,,", "lzma2:dict=1MiB, lc=1",
	"lzma2:=1", "lzma2:dict==1", "lzma2:dict=1=1", "lzma2:dict=1MiB:lc=1",
	"lzma2:dict=64MiB,preset=0", "lzma2:preset=0,dict=64MiB",
	"lzma2:preset=e", "lzma2:preset=-6", "lzma2:dict=+1",
	"lzma2:dict=01MiB", "lzma2:dict=1m", "lzma2:dict=2G", "lzma2:dict=4095",
	"lzma2:mf=BT4", "lzma2:lc=0,lp=5", "lzma2:nice=1", "lzma2:nice=274",
	"lzma2:depth=4294967296", "lzma2:depth=1k", "delta:dist=0",
	"delta:dist=1 lzma2", "x86:start=4294967296 lzma2",
	"x86:start=3GiB lzma2", "arm:start=1KiB armthumb arm64 lzma2",
	"powerpc:start=4 ia64:start=16 sparc lzma2", "x86 x86 x86 x86 --",
	"x86 x86 x86 x86 ", "lzma2:preset=9e,lc=1,lp=2,pb=0",
	"delta:dist=7 lzma2:dict=1MiB,lc=0,lp=0,pb=0,mode=fast,nice=2,mf=hc3,"
	"depth=1", "x86--  ", "lzma2:dict=4294967295", "lzma2:lzma2:dict=1",
	"lzma2:dict=1GiBB", "lzma2:dict=1536Mi", "lzma2:mode=normalx",
	"lzma2:preset=9,mf=bt2,depth=0", "lzma1 x86", "x86 lzma1",
	"lzma1 lzma2", "lzma2:verylongoptionname=1", "verylongfiltername",
};

static void print_chain(const lzma_filter *f)
{
	static const uint32_t flags[] = {
		0, LZMA_STR_ENCODER, LZMA_STR_DECODER,
		LZMA_STR_ENCODER | LZMA_STR_GETOPT_LONG,
		LZMA_STR_DECODER | LZMA_STR_NO_SPACES,
	};
	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); ++k) {
		char *s = NULL;
		const lzma_ret r = lzma_str_from_filters(&s, f, flags[k], NULL);
		printf("  from %x: %d [%s]\n", flags[k], r, s ? s : "(null)");
		free(s);
	}
}

static void test_str_to_filters(void)
{
	group("str_to_filters");
	for (size_t i = 0; i < sizeof(chain_strings) / sizeof(chain_strings[0]);
	     ++i) {
		for (uint32_t fl = 0; fl < 4; ++fl) {
			lzma_filter f[LZMA_FILTERS_MAX + 1];
			int pos = -7;
			const char *e = lzma_str_to_filters(chain_strings[i],
							    &pos, f, fl, NULL);
			printf("[%s] %u -> %s @%d\n", chain_strings[i], fl,
			       e ? e : "OK", pos);
			if (e != NULL)
				continue;
			print_chain(f);
			lzma_filters_free(f, NULL);
		}
	}
	lzma_filter f[LZMA_FILTERS_MAX + 1];
	int pos = 5;
	printf("null str: %s %d\n",
	       lzma_str_to_filters(NULL, &pos, f, 0, NULL), pos);
	printf("null filters: %s %d\n",
	       lzma_str_to_filters("x86", &pos, NULL, 0, NULL), pos);
	for (uint32_t fl = 4; fl <= 0x100; fl <<= 1)
		printf("flag %x: %s %d\n", fl,
		       lzma_str_to_filters("x86", &pos, f, fl, NULL), pos);
}

static void test_str_list(void)
{
	group("str_list_filters");
	/* The full listings differ (5.8 lists riscv), so one ID at a time. */
	static const lzma_vli ids[] = {
		LZMA_FILTER_LZMA1, LZMA_FILTER_LZMA2, LZMA_FILTER_X86,
		LZMA_FILTER_ARM, LZMA_FILTER_ARMTHUMB, LZMA_FILTER_ARM64,
		LZMA_FILTER_POWERPC, LZMA_FILTER_IA64, LZMA_FILTER_SPARC,
		LZMA_FILTER_DELTA, 0x99, LZMA_FILTER_LZMA1EXT,
	};
	static const uint32_t flags[] = {
		0, 1, 0x10, 0x11, 0x20, 0x21, 0x30, 0x40, 0x50, 0x60, 0x80, 2,
		4, 8, 0x100,
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); ++i) {
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); ++k) {
			char *s = (char *)1;
			const lzma_ret r = lzma_str_list_filters(&s, ids[i],
								 flags[k], NULL);
			printf("%llx %x: %d [%s]\n", u(ids[i]), flags[k], r,
			       r == LZMA_OK ? s : (s ? "set" : "null"));
			if (r == LZMA_OK)
				free(s);
		}
	}
	printf("null: %d\n", lzma_str_list_filters(NULL, 4, 0, NULL));
}

static void from(const lzma_filter *f, uint32_t flags, const char *what)
{
	char *s = (char *)1;
	const lzma_ret r = lzma_str_from_filters(&s, f, flags, NULL);
	printf("%s %x: %d [%s]\n", what, flags, r,
	       r == LZMA_OK ? s : (s ? "set" : "null"));
	if (r == LZMA_OK)
		free(s);
}

static void test_str_from(void)
{
	group("str_from_filters");
	lzma_options_lzma o;
	lzma_lzma_preset(&o, 6);
	lzma_options_delta d = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 1 };
	lzma_options_bcj b = { .start_offset = 0 };
	lzma_filter f[5] = {
		{ LZMA_FILTER_DELTA, &d }, { LZMA_FILTER_X86, &b },
		{ LZMA_FILTER_LZMA2, &o }, { LZMA_VLI_UNKNOWN, NULL },
	};
	from(f, 0x10, "d1");
	from(f, 0x20, "d1");
	d.dist = 256, b.start_offset = 1025, o.dict_size = (1 << 20) + 1024;
	from(f, 0x10, "v");
	from(f, 0x20, "v");
	o.dict_size = 12 << 20;
	from(f, 0x10, "12M");
	o.dict_size = UINT32_MAX;
	from(f, 0x10, "max");
	f[1].options = NULL;
	from(f, 0x10, "bcjnull");
	from(f, 0, "bcjnull");
	f[2].options = NULL;
	from(f, 0, "lznull");
	from(f, 0x10, "lznull");
	f[2].options = &o;
	d.dist = 0;
	from(f, 0x10, "dist0");
	d.dist = 1;
	f[0].options = NULL;
	from(f, 0x10, "deltanull");
	f[0].options = &d;
	o.mf = (lzma_match_finder)99;
	from(f, 0x10, "mf99");
	o.mf = LZMA_MF_BT4;
	o.mode = (lzma_mode)99;
	from(f, 0x10, "mode99");
	o.mode = LZMA_MODE_NORMAL;
	o.lc = 5;
	from(f, 0x10, "lc5");
	o.lc = 3;
	o.dict_size = 1;
	from(f, 0x10, "dict1");
	o.dict_size = 1 << 20;
	f[2].id = LZMA_FILTER_LZMA1;
	from(f, 0x10, "lz1");
	from(f, 0x20, "lz1");
	f[2].id = LZMA_FILTER_LZMA1EXT;
	from(f, 0x10, "lz1ext");
	f[2].id = 0x99;
	from(f, 0, "unknown");
	f[2].id = LZMA_FILTER_LZMA2;
	for (uint32_t fl = 1; fl <= 0x100; fl <<= 1)
		from(f, fl, "flag");
	from(f, 0x30, "flag");
	from(f, 0xf0, "flag");
	f[0].id = LZMA_VLI_UNKNOWN;
	from(f, 0, "empty");
	from(NULL, 0, "nullchain");
	printf("nullstr %d\n", lzma_str_from_filters(NULL, f, 0, NULL));
}

/* ---- the index ---------------------------------------------------------------- */

static void print_iter(const lzma_index_iter *it)
{
	printf("  s%llu/%llu co%llu uo%llu cs%llu us%llu pad%llu f%s",
	       u(it->stream.number), u(it->stream.block_count),
	       u(it->stream.compressed_offset),
	       u(it->stream.uncompressed_offset),
	       u(it->stream.compressed_size), u(it->stream.uncompressed_size),
	       u(it->stream.padding), it->stream.flags ? "y" : "n");
	if (it->stream.flags)
		printf("(c%d,bs%llu)", (int)it->stream.flags->check,
		       u(it->stream.flags->backward_size));
	printf(" | b%llu/%llu cfo%llu ufo%llu cso%llu uso%llu us%llu "
	       "unp%llu ts%llu\n",
	       u(it->block.number_in_file), u(it->block.number_in_stream),
	       u(it->block.compressed_file_offset),
	       u(it->block.uncompressed_file_offset),
	       u(it->block.compressed_stream_offset),
	       u(it->block.uncompressed_stream_offset),
	       u(it->block.uncompressed_size), u(it->block.unpadded_size),
	       u(it->block.total_size));
}

static void print_index(const char *name, const lzma_index *i)
{
	printf("%s: streams %llu blocks %llu size %llu ssize %llu total %llu "
	       "file %llu unc %llu checks %x memused %llu\n", name,
	       u(lzma_index_stream_count(i)), u(lzma_index_block_count(i)),
	       u(lzma_index_size(i)), u(lzma_index_stream_size(i)),
	       u(lzma_index_total_size(i)), u(lzma_index_file_size(i)),
	       u(lzma_index_uncompressed_size(i)), lzma_index_checks(i),
	       u(lzma_index_memused(i)));
	lzma_index_iter it;
	memset(&it, 0, sizeof(it));
	for (int mode = 0; mode <= 4; ++mode) {
		lzma_index_iter_init(&it, i);
		printf(" mode %d\n", mode);
		while (!lzma_index_iter_next(&it, (lzma_index_iter_mode)mode))
			print_iter(&it);
	}
	const lzma_vli unc = lzma_index_uncompressed_size(i);
	const lzma_vli targets[] = { 0, 1, 99, 100, 101, 1000, unc - 1, unc,
				     unc + 1 };
	lzma_index_iter_init(&it, i);
	for (size_t k = 0; k < sizeof(targets) / sizeof(targets[0]); ++k) {
		const lzma_bool r = lzma_index_iter_locate(&it, targets[k]);
		printf(" locate %llu: %d\n", u(targets[k]), r);
		if (!r)
			print_iter(&it);
	}
	uint8_t buf[4096];
	size_t pos = 0;
	const lzma_ret r = lzma_index_buffer_encode(i, buf, &pos, sizeof(buf));
	printf(" encode %d %zu\n", r, pos);
	hex(" bytes", buf, pos);
}

/* A Stream's index with n Blocks of made-up sizes (some empty). */
static lzma_index *make_index(int n, int seed, lzma_check check)
{
	lzma_index *i = lzma_index_init(NULL);
	for (int k = 0; k < n; ++k) {
		const lzma_vli unp = 5 + (lzma_vli)((k * 37 + seed) % 300);
		const lzma_vli unc = (k + seed) % 4 == 0 ? 0
				     : (lzma_vli)(k * 100 + seed);
		if (lzma_index_append(i, NULL, unp, unc) != LZMA_OK)
			printf("append failed\n");
	}
	lzma_stream_flags f = { .version = 0, .check = check,
				.backward_size = lzma_index_size(i) };
	printf("stream_flags %d\n", lzma_index_stream_flags(i, &f));
	return i;
}

static void test_index_build(void)
{
	group("index_build");
	printf("memusage:");
	const lzma_vli s[] = { 0, 1, 2, 1000, UINT32_MAX, (lzma_vli)UINT32_MAX + 1 };
	const lzma_vli b[] = { 0, 1, 512, 513, 1000000, (lzma_vli)1 << 40,
			       LZMA_VLI_MAX, LZMA_VLI_MAX + 1 };
	for (size_t x = 0; x < 6; ++x)
		for (size_t y = 0; y < 8; ++y)
			printf(" %llu", u(lzma_index_memusage(s[x], b[y])));
	printf("\n");

	lzma_index *i = lzma_index_init(NULL);
	print_index("empty", i);
	printf("append bad: %d %d %d %d %d\n",
	       lzma_index_append(NULL, NULL, 10, 10),
	       lzma_index_append(i, NULL, 4, 10),
	       lzma_index_append(i, NULL, LZMA_VLI_MAX, 10),
	       lzma_index_append(i, NULL, 10, LZMA_VLI_MAX + 1),
	       lzma_index_append(i, NULL, LZMA_VLI_MAX & ~(lzma_vli)3, 1));
	printf("append big: %d %d\n",
	       lzma_index_append(i, NULL, 5, LZMA_VLI_MAX),
	       lzma_index_append(i, NULL, 5, 1));
	printf("padding: %d %d %d %d\n", lzma_index_stream_padding(i, 3),
	       lzma_index_stream_padding(i, LZMA_VLI_MAX),
	       lzma_index_stream_padding(i, LZMA_VLI_MAX - 3),
	       lzma_index_stream_padding(i, 8));
	lzma_stream_flags bad = { .version = 1 };
	printf("flags: %d %d\n", lzma_index_stream_flags(i, &bad),
	       lzma_index_stream_flags(i, NULL));
	bad.version = 0;
	bad.check = (lzma_check)16;
	printf("flags check16: %d\n", lzma_index_stream_flags(i, &bad));
	print_index("big", i);
	lzma_index_end(i, NULL);

	lzma_index *a = make_index(5, 1, LZMA_CHECK_CRC32);
	print_index("a", a);
	lzma_index *c = make_index(700, 3, LZMA_CHECK_SHA256);
	printf("padding %d\n", lzma_index_stream_padding(c, 16));
	lzma_index *e = lzma_index_init(NULL);
	lzma_index *d = lzma_index_dup(a, NULL);
	printf("pad a %d\n", lzma_index_stream_padding(a, 4));
	printf("cat %d\n", lzma_index_cat(a, e, NULL));
	printf("cat %d\n", lzma_index_cat(a, c, NULL));
	lzma_index *f = make_index(3, 2, LZMA_CHECK_CRC64);
	printf("cat %d\n", lzma_index_cat(a, f, NULL));
	printf("cat null %d\n", lzma_index_cat(a, NULL, NULL));
	print_index("cat", a);
	print_index("dup", d);
	/* Not compared: lzma_index_dup() of a multi-Stream index, whose
	 * lzma_index_checks() liblzma 5.4.1 gets wrong (it keeps only the
	 * last Stream's check; fixed upstream after 5.8). test_index.c
	 * checks ours. */
	uint8_t buf[16];
	size_t pos = 3;
	printf("small buf %d %zu\n", lzma_index_buffer_encode(d, buf, &pos, 16),
	       pos);
	lzma_index_end(a, NULL);
	lzma_index_end(d, NULL);
}

/* Decode bytes with lzma_index_buffer_decode and, in pieces of `step`
 * bytes, with lzma_index_decoder. */
static void decode_index_bytes(const char *name, const uint8_t *in,
			       size_t size, uint64_t memlimit, size_t step)
{
	lzma_index *i = (lzma_index *)1;
	uint64_t ml = memlimit;
	size_t pos = 0;
	lzma_ret r = lzma_index_buffer_decode(&i, &ml, NULL, in, &pos, size);
	printf("%s: buffer %d pos %zu ml %llu i%s", name, r, pos, u(ml),
	       i == NULL ? "NULL" : "set");
	if (r == LZMA_OK) {
		printf(" blocks %llu unc %llu", u(lzma_index_block_count(i)),
		       u(lzma_index_uncompressed_size(i)));
		lzma_index_end(i, NULL);
	}
	lzma_stream strm = LZMA_STREAM_INIT;
	i = (lzma_index *)1;
	r = lzma_index_decoder(&strm, &i, memlimit);
	printf(" | init %d i%s", r, i == NULL ? "NULL" : "set");
	size_t off = 0;
	while (r == LZMA_OK) {
		strm.next_in = in + off;
		strm.avail_in = size - off < step ? size - off : step;
		const size_t before = strm.avail_in;
		r = lzma_code(&strm, size - off <= step ? LZMA_FINISH
							: LZMA_RUN);
		off += before - strm.avail_in;
		if (r == LZMA_MEMLIMIT_ERROR) {
			printf(" memlimit usage %llu limit %llu",
			       u(lzma_memusage(&strm)),
			       u(lzma_memlimit_get(&strm)));
			r = lzma_memlimit_set(&strm, 1 << 20);
			printf(" set %d", r);
		}
	}
	printf(" -> %d off %zu i%s", r, off, i == NULL ? "NULL" : "set");
	if (r == LZMA_STREAM_END) {
		printf(" blocks %llu", u(lzma_index_block_count(i)));
		lzma_index_end(i, NULL);
	}
	printf("\n");
	lzma_end(&strm);
}

static void test_index_decode(void)
{
	group("index_decode");
	lzma_index *i = make_index(40, 5, LZMA_CHECK_CRC32);
	uint8_t buf[1024];
	size_t size = 0;
	(void)lzma_index_buffer_encode(i, buf, &size, sizeof(buf));
	lzma_index_end(i, NULL);
	decode_index_bytes("good", buf, size, UINT64_MAX, size);
	decode_index_bytes("good1", buf, size, UINT64_MAX, 1);
	decode_index_bytes("ml0", buf, size, 0, 7);
	decode_index_bytes("ml1000", buf, size, 1000, 7);
	decode_index_bytes("trunc", buf, size - 1, UINT64_MAX, 5);
	decode_index_bytes("empty", buf, 0, UINT64_MAX, 5);
	for (size_t k = 0; k < size; ++k) {
		uint8_t bad[1024];
		memcpy(bad, buf, size);
		bad[k] ^= (uint8_t)(k % 7 == 0 ? 0x80 : 0x01);
		char name[32];
		snprintf(name, sizeof(name), "flip%zu", k);
		decode_index_bytes(name, bad, size, UINT64_MAX, 16);
	}
	/* Hand-made Indexes: no Records; a Record with an Unpadded Size of
	 * 4 (below the minimum); a count bigger than the Records there. */
	const uint8_t heads[][4] = { { 0, 0, 0, 0 }, { 0, 1, 4, 0 },
				     { 0, 2, 5, 0 }, { 0, 1, 5, 0 } };
	for (size_t k = 0; k < 4; ++k) {
		uint8_t idx[8];
		memcpy(idx, heads[k], 4);
		const uint32_t crc = lzma_crc32(idx, 4, 0);
		for (int b = 0; b < 4; ++b)
			idx[4 + b] = (uint8_t)(crc >> (8 * b));
		char name[32];
		snprintf(name, sizeof(name), "made%zu", k);
		decode_index_bytes(name, idx, 8, UINT64_MAX, 3);
	}
}

/* ---- stream flags, VLIs, checks, presets ------------------------------------ */

static void test_flags(void)
{
	group("stream_flags");
	for (int c = 0; c <= 16; ++c) {
		lzma_stream_flags f = { .version = 0, .check = (lzma_check)c,
					.backward_size = 4 * (lzma_vli)(c + 1) };
		uint8_t h[12], t[12];
		const lzma_ret rh = lzma_stream_header_encode(&f, h);
		const lzma_ret rf = lzma_stream_footer_encode(&f, t);
		printf("check %d: %d %d supported %d size %u\n", c, rh, rf,
		       lzma_check_is_supported((lzma_check)c),
		       lzma_check_size((lzma_check)c));
		if (rh != LZMA_OK)
			continue;
		hex(" header", h, 12);
		hex(" footer", t, 12);
		lzma_stream_flags g, k;
		printf(" decode %d %d", lzma_stream_header_decode(&g, h),
		       lzma_stream_footer_decode(&k, t));
		printf(" cmp %d bs %llu\n", lzma_stream_flags_compare(&g, &k),
		       u(k.backward_size));
		for (int b = 0; b < 12; ++b) {
			h[b] ^= 0x10;
			t[b] ^= 0x10;
			printf(" %d/%d", lzma_stream_header_decode(&g, h),
			       lzma_stream_footer_decode(&k, t));
			h[b] ^= 0x10;
			t[b] ^= 0x10;
		}
		printf("\n");
	}
	lzma_stream_flags f = { .version = 0, .backward_size = 3 };
	uint8_t t[12];
	printf("bs3 %d\n", lzma_stream_footer_encode(&f, t));
	f.backward_size = LZMA_BACKWARD_SIZE_MAX + 4;
	printf("bsmax %d\n", lzma_stream_footer_encode(&f, t));
	lzma_stream_flags g = f;
	g.backward_size = LZMA_VLI_UNKNOWN;
	f.backward_size = 8;
	printf("cmp unknown %d\n", lzma_stream_flags_compare(&f, &g));

	group("vli");
	const lzma_vli v[] = { 0, 1, 127, 128, 16383, 16384, UINT32_MAX,
			       LZMA_VLI_MAX, LZMA_VLI_MAX + 1, LZMA_VLI_UNKNOWN };
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); ++k) {
		uint8_t b[16];
		size_t pos = 0;
		const lzma_ret r = lzma_vli_encode(v[k], NULL, b, &pos, 16);
		printf("%llu: size %u enc %d", u(v[k]), lzma_vli_size(v[k]), r);
		hex("", b, pos);
		lzma_vli out = 0;
		size_t ip = 0;
		if (r == LZMA_OK)
			printf(" dec %d", lzma_vli_decode(&out, NULL, b, &ip, pos));
		printf(" -> %llu %zu\n", u(out), ip);
	}
	const uint8_t bad[][10] = {
		{ 0x80, 0x00 }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				  0xff, 0xff, 0x01 }, { 0x80 },
	};
	for (size_t k = 0; k < 3; ++k) {
		lzma_vli out = 0;
		size_t ip = 0, vp = 0;
		printf("bad %zu: %d", k, lzma_vli_decode(&out, NULL, bad[k], &ip,
							 k == 2 ? 1 : 10));
		out = 0;
		ip = 0;
		printf(" multi %d %zu\n", lzma_vli_decode(&out, &vp, bad[k], &ip,
							  k == 2 ? 1 : 10), ip);
	}

	group("presets");
	for (uint32_t p = 0; p <= 10; ++p) {
		for (int e = 0; e < 2; ++e) {
			lzma_options_lzma o;
			memset(&o, 0, sizeof(o));
			const uint32_t preset = p | (e ? LZMA_PRESET_EXTREME : 0);
			const lzma_bool r = lzma_lzma_preset(&o, preset);
			printf("%u%s: %d", p, e ? "e" : "", r);
			if (!r)
				printf(" dict %u lc %u lp %u pb %u mode %d nice %u "
				       "mf %d depth %u", o.dict_size, o.lc, o.lp,
				       o.pb, (int)o.mode, o.nice_len, (int)o.mf,
				       o.depth);
			printf("\n");
		}
	}
	for (int m = 0; m < 0x60; ++m)
		printf("%d%d", lzma_mf_is_supported((lzma_match_finder)m),
		       lzma_mode_is_supported((lzma_mode)m));
	printf("\n");
	const lzma_vli ids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xA, 0xC, 0x21,
				 0x22, LZMA_FILTER_LZMA1, LZMA_FILTER_LZMA1EXT,
				 LZMA_VLI_UNKNOWN };
	for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); ++k)
		printf("%d%d", lzma_filter_encoder_is_supported(ids[k]),
		       lzma_filter_decoder_is_supported(ids[k]));
	printf("\n");
}

/* ---- filter properties and headers -------------------------------------------- */

static void test_properties(void)
{
	group("properties");
	const char *const chains[] = {
		"lzma2:dict=4KiB", "lzma2:dict=6KiB", "lzma2:dict=8191",
		"lzma2:dict=1536MiB", "lzma2:dict=12345678", "lzma2",
		"x86:start=16 lzma2", "delta:dist=256 arm lzma2:lc=0,lp=4,pb=0",
		"sparc powerpc ia64 lzma2", "armthumb arm64:start=4096 lzma2",
	};
	for (size_t k = 0; k < sizeof(chains) / sizeof(chains[0]); ++k) {
		lzma_filter f[LZMA_FILTERS_MAX + 1];
		int pos;
		if (lzma_str_to_filters(chains[k], &pos, f, 0, NULL) != NULL)
			continue;
		printf("%s:", chains[k]);
		for (size_t n = 0; f[n].id != LZMA_VLI_UNKNOWN; ++n) {
			uint32_t size = 99, fsize = 99;
			uint8_t p[16], ff[32];
			size_t fpos = 0;
			const lzma_ret r = lzma_properties_size(&size, &f[n]);
			printf(" [%d %u", r, size);
			if (r == LZMA_OK && lzma_properties_encode(&f[n], p)
					    == LZMA_OK)
				hex("", p, size);
			printf(" ff %d %u", lzma_filter_flags_size(&fsize, &f[n]),
			       fsize);
			if (lzma_filter_flags_encode(&f[n], ff, &fpos, 32)
			    == LZMA_OK)
				hex("", ff, fpos);
			lzma_filter back = { LZMA_VLI_UNKNOWN, NULL };
			size_t ip = 0;
			printf(" dec %d", lzma_filter_flags_decode(&back, NULL, ff,
								   &ip, fpos));
			lzma_filter two[2] = { back, { LZMA_VLI_UNKNOWN, NULL } };
			char *s = NULL;
			if (back.id != LZMA_VLI_UNKNOWN
			    && lzma_str_from_filters(&s, two, LZMA_STR_DECODER,
						     NULL) == LZMA_OK)
				printf(" %s", s);
			free(s);
			free(back.options);
			printf("]");
		}
		printf("\n");

		lzma_block block = { .version = 0, .check = LZMA_CHECK_CRC64,
				     .compressed_size = LZMA_VLI_UNKNOWN,
				     .uncompressed_size = LZMA_VLI_UNKNOWN,
				     .filters = f };
		printf(" header_size %d %u", lzma_block_header_size(&block),
		       block.header_size);
		uint8_t h[1024];
		if (lzma_block_header_encode(&block, h) == LZMA_OK)
			hex("", h, block.header_size);
		block.compressed_size = 1000;
		block.uncompressed_size = 123456;
		printf(" sized %d %u", lzma_block_header_size(&block),
		       block.header_size);
		if (lzma_block_header_encode(&block, h) == LZMA_OK)
			hex("", h, block.header_size);
		lzma_filter df[LZMA_FILTERS_MAX + 1];
		lzma_block db = { .version = 1, .check = LZMA_CHECK_CRC64,
				  .header_size = h[0] * 4u + 4, .filters = df };
		printf(" decode %d c%llu u%llu unp%llu tot%llu\n",
		       lzma_block_header_decode(&db, NULL, h),
		       u(db.compressed_size), u(db.uncompressed_size),
		       u(lzma_block_unpadded_size(&db)),
		       u(lzma_block_total_size(&db)));
		lzma_filters_free(df, NULL);
		lzma_filters_free(f, NULL);
	}
	const uint8_t lz1props[5] = { 0x5d, 0, 0, 1, 0 };
	lzma_filter f1 = { LZMA_FILTER_LZMA1, NULL };
	printf("lzma1 props %d", lzma_properties_decode(&f1, NULL, lz1props, 5));
	if (f1.options) {
		lzma_options_lzma *o = f1.options;
		printf(" dict %u lc %u lp %u pb %u", o->dict_size, o->lc, o->lp,
		       o->pb);
	}
	free(f1.options);
	printf("\nbounds %llu %llu %llu\n", u(lzma_block_buffer_bound(0)),
	       u(lzma_block_buffer_bound(1000000)),
	       u(lzma_stream_buffer_bound(1000000)));
}

/* ---- memory usage figures (xz -vv and memory limits show them) ------------- */

/* Compared as xz shows them to users (MiB, rounded up): clearxz reports
 * the bytes it really allocates, which differ from liblzma's by a few KiB
 * of coder state (its BCJ filters count a flat 1 KiB; ours keep a 4 KiB
 * staging buffer). Exact byte counts are not part of the contract. */
static unsigned long long mib_up(uint64_t bytes)
{
	return (unsigned long long)((bytes + (UINT64_C(1) << 20) - 1) >> 20);
}

static void test_memusage(void)
{
	group("decoder_memusage");
	for (uint32_t p = 0; p <= 9; ++p)
		printf("easy %u: %llu MiB\n", p, mib_up(lzma_easy_decoder_memusage(p)));
	const char *const chains[] = {
		"lzma2:dict=4KiB", "lzma2:dict=6KiB", "lzma2:dict=1536MiB",
		"lzma2", "x86 lzma2", "delta:dist=256 arm lzma2",
		"sparc powerpc ia64 lzma2", "lzma1",
	};
	for (size_t k = 0; k < sizeof(chains) / sizeof(chains[0]); ++k) {
		lzma_filter f[LZMA_FILTERS_MAX + 1];
		int pos;
		if (lzma_str_to_filters(chains[k], &pos, f, LZMA_STR_ALL_FILTERS,
					NULL) != NULL)
			continue;
		printf("raw %s: %llu MiB\n", chains[k],
		       mib_up(lzma_raw_decoder_memusage(f)));
		lzma_filters_free(f, NULL);
	}
}

/* ---- whole files ----------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(fp);
	*size = n;
	return buf;
}

/* lzma_file_info_decoder() fed the way xz --list feeds it: buffers of
 * `bufsize` from the current position, seeking when asked. */
static void file_info(const uint8_t *data, size_t size, size_t bufsize,
		      uint64_t memlimit)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_index *idx = NULL;
	lzma_ret r = lzma_file_info_decoder(&strm, &idx, memlimit, size);
	printf(" info(%zu,%llu) init %d", bufsize, u(memlimit), r);
	size_t fpos = 0;
	for (int n = 0; r == LZMA_OK && n < 1000000; ++n) {
		if (strm.avail_in == 0) {
			strm.next_in = data + fpos;
			strm.avail_in = size - fpos < bufsize ? size - fpos
							      : bufsize;
			fpos += strm.avail_in;
		}
		r = lzma_code(&strm, LZMA_RUN);
		if (r == LZMA_SEEK_NEEDED) {
			printf(" seek %llu", u(strm.seek_pos));
			fpos = (size_t)strm.seek_pos;
			strm.avail_in = 0;
			r = LZMA_OK;
		}
	}
	printf(" -> %d mem %llu\n", r, u(lzma_memusage(&strm)));
	if (r == LZMA_STREAM_END) {
		print_index(" index", idx);
		lzma_index_end(idx, NULL);
	}
	lzma_end(&strm);
}

/* Decode with a decoder that strm has been set up for; print the result
 * and a CRC32 and size of the output. */
static void decode(lzma_stream *strm, const uint8_t *in, size_t size,
		   size_t step)
{
	uint8_t out[8192];
	uint32_t crc = 0;
	uint64_t total = 0;
	lzma_ret r = LZMA_OK;
	size_t off = 0;
	while (r == LZMA_OK) {
		if (strm->avail_in == 0 && off < size) {
			strm->next_in = in + off;
			strm->avail_in = size - off < step ? size - off : step;
			off += strm->avail_in;
		}
		strm->next_out = out;
		strm->avail_out = sizeof(out);
		r = lzma_code(strm, off == size ? LZMA_FINISH : LZMA_RUN);
		crc = lzma_crc32(out, sizeof(out) - strm->avail_out, crc);
		total += sizeof(out) - strm->avail_out;
	}
	/* How much comes out before an error is found is not part of the
	 * contract; the data and the check of a good file are. */
	if (r == LZMA_STREAM_END)
		printf(" %d out %llu crc %08x check %d\n", r, u(total), crc,
		       (int)lzma_get_check(strm));
	else
		printf(" %d\n", r);
	lzma_end(strm);
}

static void test_file(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	size_t size;
	uint8_t *data = read_file(path, &size);
	if (data == NULL)
		return;
	printf("-- %s (%zu bytes)\n", name, size);
	const size_t steps[] = { 1, 4096, size + 1 };
	for (size_t k = 0; k < 3; ++k) {
		lzma_stream s = LZMA_STREAM_INIT;
		printf(" stream %d", lzma_stream_decoder(&s, UINT64_MAX,
						       LZMA_CONCATENATED
						       | LZMA_TELL_UNSUPPORTED_CHECK));
		decode(&s, data, size, steps[k]);
	}
	lzma_stream s = LZMA_STREAM_INIT;
	printf(" auto %d", lzma_auto_decoder(&s, UINT64_MAX, 0));
	decode(&s, data, size, 1000);
	printf(" alone %d", lzma_alone_decoder(&s, UINT64_MAX));
	decode(&s, data, size, size + 1);
	printf(" ml1000 %d", lzma_stream_decoder(&s, 1000, 0));
	decode(&s, data, size, size + 1);
	uint64_t ml = UINT64_MAX;
	size_t ip = 0, op = 0;
	uint8_t *out = malloc(4 << 20);
	const lzma_ret r = lzma_stream_buffer_decode(&ml, LZMA_CONCATENATED,
						     NULL, data, &ip, size, out,
						     &op, 4 << 20);
	if (r == LZMA_OK)
		printf(" buffer %d in %zu out %zu crc %08x\n", r, ip, op,
		       lzma_crc32(out, op, 0));
	else
		printf(" buffer %d in %zu out %zu\n", r, ip, op);
	free(out);
	file_info(data, size, 8192, UINT64_MAX);
	file_info(data, size, 1000, UINT64_MAX);
	file_info(data, size, 8192, 5000);
	free(data);
}

static void test_files(const char *dir)
{
	group("files");
	char path[4096];
	snprintf(path, sizeof(path), "%s/list", dir);
	FILE *fp = fopen(path, "r");
	if (fp == NULL) {
		printf("no sample files\n");
		return;
	}
	char name[256];
	while (fgets(name, sizeof(name), fp) != NULL) {
		name[strcspn(name, "\n")] = '\0';
		if (name[0] != '\0')
			test_file(dir, name);
	}
	fclose(fp);
}

/* ---- round trips through the encoders -------------------------------------------- */

static void test_round_trips(void)
{
	group("round_trips");
	static uint8_t in[100000], out[200000], back[100000];
	uint32_t x = 1;
	for (size_t k = 0; k < sizeof(in); ++k) {
		x = x * 1103515245 + 12345;
		in[k] = (uint8_t)((x >> 16) % 16 + (k % 300 < 100 ? 'a' : 0));
	}
	const char *const chains[] = { "0", "6", "x86 lzma2:dict=64KiB",
				       "delta:dist=4 lzma2:preset=1",
				       "lzma2:mf=hc4,mode=fast" };
	for (size_t k = 0; k < 5; ++k) {
		lzma_filter f[LZMA_FILTERS_MAX + 1];
		int pos;
		if (lzma_str_to_filters(chains[k], &pos, f, 0, NULL) != NULL)
			continue;
		size_t op = 0, ip = 0, bp = 0;
		lzma_ret r = lzma_stream_buffer_encode(f, LZMA_CHECK_CRC32, NULL,
						       in, sizeof(in), out, &op,
						       sizeof(out));
		uint64_t ml = UINT64_MAX;
		lzma_ret d = lzma_stream_buffer_decode(&ml, 0, NULL, out, &ip,
						       op, back, &bp,
						       sizeof(back));
		printf("%s: enc %d dec %d same %d\n", chains[k], r, d,
		       bp == sizeof(in) && memcmp(in, back, bp) == 0);
		op = ip = bp = 0;
		r = lzma_raw_buffer_encode(f, NULL, in, sizeof(in), out, &op,
					   sizeof(out));
		d = lzma_raw_buffer_decode(f, NULL, out, &ip, op, back, &bp,
					   sizeof(back));
		printf(" raw: enc %d dec %d same %d\n", r, d,
		       bp == sizeof(in) && memcmp(in, back, bp) == 0);
		lzma_filters_free(f, NULL);
	}
	size_t op = 0;
	lzma_block block = { .version = 0, .check = LZMA_CHECK_SHA256 };
	const lzma_ret r = lzma_block_uncomp_encode(&block, in, 70000, out, &op,
						    sizeof(out));
	printf("uncomp %d %zu unp %llu\n", r, op,
	       u(lzma_block_unpadded_size(&block)));
	hex("uncomp head", out, 32);
	printf("uncomp crc %08x\n", lzma_crc32(out, op, 0));
}

/* ---- MicroLZMA across the two libraries --------------------------------------
 *
 * "micro-enc DIR" writes MicroLZMA streams of generated data to DIR
 * (micro_N: uncompressed size, compressed size, 8 bytes LE each, then the
 * data); "micro-dec DIR" decodes the other library's streams and prints
 * one PASS/FAIL line each. */

static void micro_data(uint8_t *buf, size_t size)
{
	uint32_t x = 5;
	for (size_t k = 0; k < size; ++k) {
		x = x * 1103515245 + 12345;
		buf[k] = (uint8_t)("abcdefgh \n"[(x >> 16) % 10]);
	}
}

static int micro(const char *dir, bool encode)
{
	static uint8_t data[200000], buf[200000 + 16];
	micro_data(data, sizeof(data));
	const size_t outs[] = { 6, 7, 64, 1000, 4096, 70000, 200000 };
	for (size_t k = 0; k < 14; ++k) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/micro_%zu", dir, k);
		lzma_stream s = LZMA_STREAM_INIT;
		if (encode) {
			lzma_options_lzma o;
			lzma_lzma_preset(&o, k % 2 ? 6 : 0);
			o.dict_size = 1 << 16;
			o.lc = (uint32_t)(k % 3);
			if (lzma_microlzma_encoder(&s, &o) != LZMA_OK)
				return 1;
			s.next_in = data;
			s.avail_in = sizeof(data);
			s.next_out = buf + 16;
			s.avail_out = outs[k / 2];
			if (lzma_code(&s, LZMA_FINISH) != LZMA_STREAM_END)
				return 1;
			for (int b = 0; b < 8; ++b) {
				buf[b] = (uint8_t)(s.total_in >> (8 * b));
				buf[8 + b] = (uint8_t)(s.total_out >> (8 * b));
			}
			FILE *fp = fopen(path, "wb");
			if (fp == NULL)
				return 1;
			fwrite(buf, 1, 16 + s.total_out, fp);
			fclose(fp);
		} else {
			size_t size;
			uint8_t *in = read_file(path, &size);
			if (in == NULL || size < 16)
				return 1;
			uint64_t unc = 0, comp = 0;
			for (int b = 7; b >= 0; --b) {
				unc = unc << 8 | in[b];
				comp = comp << 8 | in[8 + b];
			}
			const lzma_ret r = lzma_microlzma_decoder(&s, comp, unc, 1,
								  1 << 16);
			s.next_in = in + 16;
			s.avail_in = size - 16;
			s.next_out = buf;
			s.avail_out = sizeof(buf);
			const lzma_ret d = lzma_code(&s, LZMA_FINISH);
			const bool ok = r == LZMA_OK && d == LZMA_STREAM_END
				&& s.total_out == unc && s.total_in == comp
				&& memcmp(buf, data, unc) == 0;
			printf("%s: microlzma %zu (%llu -> %llu bytes)\n",
			       ok ? "PASS" : "FAIL", k, u(unc), u(comp));
			free(in);
		}
		lzma_end(&s);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "micro-enc") == 0)
		return micro(argv[2], true);
	if (argc > 2 && strcmp(argv[1], "micro-dec") == 0)
		return micro(argv[2], false);
	test_str_to_filters();
	test_str_list();
	test_str_from();
	test_index_build();
	test_index_decode();
	test_flags();
	test_properties();
	test_round_trips();
	test_memusage();
	if (argc > 1)
		test_files(argv[1]);
	return 0;
}
