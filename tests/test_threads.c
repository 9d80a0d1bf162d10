/*
 * test_threads.c -- the threads layer (lib/threads): the multithreaded .xz
 * decoder and encoder.
 *
 * Decoder: files written by /usr/bin/xz -T2 --block-size (every Block
 * Header stores both sizes, so Blocks go to workers) and by xz -T1 (no
 * sizes: direct mode), alone and concatenated, decoded with 1..4 threads
 * and several input/output splits (down to one byte of input per call);
 * corrupt Blocks and a corrupt Index report the error in its place;
 * lzma_end() in the middle of decoding; memlimit_stop (hard, recoverable)
 * and memlimit_threading (never fails); LZMA_TELL_ANY_CHECK; progress.
 *
 * Encoder: 1, 2, 3 and 4 threads and any input split give identical bytes
 * (the output depends only on input, options and block size); the output
 * decodes with /usr/bin/xz and with the single-threaded decoder; every
 * Block Header stores both sizes; LZMA_FULL_FLUSH / LZMA_FULL_BARRIER end
 * Blocks; lzma_end() mid-stream; options and memusage; lzma_filters_update()
 * between Blocks changes the chain of the next ones only.
 *
 * The job allocator (mt_cache.c): reuse of freed large blocks, its budget
 * (live + kept bytes never above it), small blocks never kept.
 *
 * Nothing here measures time: a timeout case only checks that decoding
 * still completes when lzma_code() returns early.
 */
#include "testutil.h"
#include "gen.h"
#include "threads/threads.h"

#include <stdlib.h>
#include <string.h>

#define KiB ((size_t)1024)
#define MIN_SZ(a, b) ((a) < (b) ? (a) : (b))

/* ---- helpers ---------------------------------------------------------------- */

/* The input of most cases: text, binary records and a random stretch (so
 * some Blocks are stored uncompressed), ~1 MiB. */
static void make_data(t_buf *b, uint64_t seed)
{
	static const struct { gen_kind kind; size_t size; } parts[] = {
		{ GEN_TEXT, 400 * KiB }, { GEN_BINARY, 300 * KiB },
		{ GEN_RANDOM, 150 * KiB }, { GEN_RUNS, 170 * KiB + 13 },
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); ++i) {
		uint8_t *p = malloc(parts[i].size);
		gen_fill(parts[i].kind, seed + i, p, parts[i].size);
		t_buf_put(b, p, parts[i].size);
		free(p);
	}
}

static bool sys_xz(const char *args, const t_buf *in, t_buf *out)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "xz -q -c %s", args);
	return t_run(cmd, in->data, in->size, out) == 0;
}

static bool same(const t_buf *a, const uint8_t *b, size_t b_size)
{
	return a->size == b_size && (b_size == 0 || memcmp(a->data, b, b_size) == 0);
}

static lzma_mt dec_opts(uint32_t threads, uint32_t flags)
{
	lzma_mt mt;
	memset(&mt, 0, sizeof(mt));
	mt.threads = threads;
	mt.flags = flags;
	mt.memlimit_threading = UINT64_MAX;
	mt.memlimit_stop = UINT64_MAX;
	return mt;
}

/* Decode in with the threaded decoder; the last lzma_code() return. */
static lzma_ret mt_decode(const lzma_mt *mt, const t_buf *in, size_t in_chunk,
			  size_t out_chunk, t_buf *out)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_ret ret = lzma_stream_decoder_mt(&strm, mt);
	if (ret == LZMA_OK)
		ret = t_code(&strm, in->data, in->size, in_chunk, out_chunk, out);
	lzma_end(&strm);
	return ret;
}

static lzma_ret st_decode(const t_buf *in, uint32_t flags, t_buf *out)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_ret ret = lzma_stream_decoder(&strm, UINT64_MAX, flags);
	if (ret == LZMA_OK)
		ret = t_code(&strm, in->data, in->size, 0, 0, out);
	lzma_end(&strm);
	return ret;
}

/* ---- decoder ------------------------------------------------------------------ */

static void dec_splits(const t_buf *data, const t_buf *xz, const char *what)
{
	static const struct { uint32_t threads; size_t in, out; } runs[] = {
		{ 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 0 }, { 4, 0, 0 },
		{ 2, 1, 0 }, { 3, 4099, 7 }, { 4, 0, 1000 }, { 1, 1, 13 },
	};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); ++i) {
		t_begin("mt_dec %s threads=%u in_chunk=%zu out_chunk=%zu", what,
			runs[i].threads, runs[i].in, runs[i].out);
		const lzma_mt mt = dec_opts(runs[i].threads, 0);
		t_buf out = { 0 };
		CHECK_RET(mt_decode(&mt, xz, runs[i].in, runs[i].out, &out),
			  LZMA_STREAM_END);
		CHECK(same(&out, data->data, data->size));
		t_buf_free(&out);
	}
}

static void dec_concatenated(const t_buf *data, const t_buf *t2,
			     const t_buf *t1)
{
	/* [-T2 stream][stream padding][-T1 stream][-T2 stream] */
	t_buf cat = { 0 }, want = { 0 };
	t_buf_put(&cat, t2->data, t2->size);
	for (int i = 0; i < 8; ++i)
		t_buf_byte(&cat, 0);
	t_buf_put(&cat, t1->data, t1->size);
	t_buf_put(&cat, t2->data, t2->size);
	for (int i = 0; i < 3; ++i)
		t_buf_put(&want, data->data, data->size);
	for (uint32_t threads = 1; threads <= 4; threads += 3) {
		t_begin("mt_dec concatenated T2+pad+T1+T2 threads=%u", threads);
		const lzma_mt mt = dec_opts(threads, LZMA_CONCATENATED);
		t_buf out = { 0 };
		CHECK_RET(mt_decode(&mt, &cat, 65536, 0, &out), LZMA_STREAM_END);
		CHECK(same(&out, want.data, want.size));
		t_buf_free(&out);
	}
	t_begin("mt_dec without LZMA_CONCATENATED stops after one stream");
	const lzma_mt mt = dec_opts(3, 0);
	t_buf out = { 0 };
	CHECK_RET(mt_decode(&mt, &cat, 0, 0, &out), LZMA_STREAM_END);
	CHECK(same(&out, data->data, data->size));
	t_buf_free(&out);

	t_begin("mt_dec concatenated, padding not a multiple of 4");
	t_buf bad = { 0 };
	t_buf_put(&bad, t2->data, t2->size);
	for (int i = 0; i < 3; ++i)
		t_buf_byte(&bad, 0);            /* 2.2: must be 4n bytes */
	const lzma_mt mtc = dec_opts(2, LZMA_CONCATENATED);
	CHECK_RET(mt_decode(&mtc, &bad, 0, 0, &out), LZMA_DATA_ERROR);
	t_buf_free(&out);
	t_buf_free(&bad);
	t_buf_free(&cat);
	t_buf_free(&want);
}

/* Is a a prefix of b? */
static bool is_prefix(const t_buf *a, const t_buf *b)
{
	return a->size <= b->size && (a->size == 0
				      || memcmp(a->data, b->data, a->size) == 0);
}

static void dec_corrupt(const t_buf *data, const t_buf *xz)
{
	/* A byte in the middle of the file lies in some Block's Compressed
	 * Data (the Blocks are most of the file): flip it. */
	t_buf bad = { 0 };
	t_buf_put(&bad, xz->data, xz->size);
	bad.data[bad.size / 2] ^= 0x55;
	t_buf st = { 0 };
	const lzma_ret st_ret = st_decode(&bad, 0, &st);
	for (uint32_t flags = 0; flags <= LZMA_FAIL_FAST; flags += LZMA_FAIL_FAST) {
		for (uint32_t threads = 1; threads <= 4; ++threads) {
			t_begin("mt_dec corrupt middle block threads=%u%s", threads,
				flags ? " FAIL_FAST" : "");
			const lzma_mt mt = dec_opts(threads, flags);
			t_buf out = { 0 };
			const lzma_ret ret = mt_decode(&mt, &bad, 1000, 0, &out);
			CHECK(st_ret != LZMA_STREAM_END && st_ret != LZMA_OK);
			CHECK_RET(ret, st_ret);
			/* The same bytes as the single-threaded decoder, as
			 * far as both got (a corrupt Block may yield some
			 * wrong bytes before the error shows). */
			CHECK(is_prefix(&out, &st) || is_prefix(&st, &out));
			/* The Blocks before the corrupt one come out first. */
			if (!flags)
				CHECK(out.size >= 100 * KiB);
			t_buf_free(&out);
		}
	}
	t_buf_free(&st);

	/* The Index's CRC32 (the 4 bytes before the 12-byte footer): an
	 * error found by the parser after every Block -- all data first. */
	t_buf_free(&bad);
	t_buf_put(&bad, xz->data, xz->size);
	bad.data[bad.size - 12 - 2] ^= 0x01;
	for (uint32_t threads = 1; threads <= 4; threads += 3) {
		t_begin("mt_dec corrupt Index CRC32 threads=%u: all data, then error",
			threads);
		const lzma_mt mt = dec_opts(threads, 0);
		t_buf out = { 0 };
		CHECK_RET(mt_decode(&mt, &bad, 0, 0, &out), LZMA_DATA_ERROR);
		CHECK(same(&out, data->data, data->size));
		t_buf_free(&out);
	}
	t_buf_free(&bad);
}

/* The end of the first Block: its CRC64's last byte. 0 if not found. */
static size_t first_block_end(const t_buf *xz)
{
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	lzma_block b;
	memset(&b, 0, sizeof(b));
	b.version = 1;
	b.check = LZMA_CHECK_CRC64;
	b.filters = filters;
	const size_t pos = LZMA_STREAM_HEADER_SIZE;
	b.header_size = lzma_block_header_size_decode(xz->data[pos]);
	if (lzma_block_header_decode(&b, NULL, xz->data + pos) != LZMA_OK)
		return 0;
	for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i)
		free(filters[i].options);
	return pos + (size_t)lzma_block_total_size(&b);
}

static void dec_ignore_check(const t_buf *data, const t_buf *xz)
{
	t_buf bad = { 0 };
	t_buf_put(&bad, xz->data, xz->size);
	const size_t end = first_block_end(xz);
	t_begin("mt_dec wrong CRC64 in block 1: error; LZMA_IGNORE_CHECK decodes");
	CHECK(end > 100 && end < xz->size);
	if (end > 100 && end < xz->size) {
		bad.data[end - 1] ^= 0x80;      /* the Check's last byte */
		lzma_mt mt = dec_opts(3, 0);
		t_buf out = { 0 };
		CHECK_RET(mt_decode(&mt, &bad, 0, 0, &out), LZMA_DATA_ERROR);
		t_buf_free(&out);
		mt = dec_opts(3, LZMA_IGNORE_CHECK);
		CHECK_RET(mt_decode(&mt, &bad, 0, 0, &out), LZMA_STREAM_END);
		CHECK(same(&out, data->data, data->size));
		t_buf_free(&out);
	}
	t_buf_free(&bad);
}

/* lzma_end() while workers run: with data read in, output half taken. */
static void dec_end_midway(const t_buf *xz)
{
	static const size_t cuts[] = { 1, 100, 3, 2 };   /* xz->size / cut */
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); ++c) {
		for (uint32_t threads = 1; threads <= 4; threads += 3) {
			t_begin("mt_dec lzma_end after %zu of %zu input bytes threads=%u",
				xz->size / cuts[c], xz->size, threads);
			const lzma_mt mt = dec_opts(threads, 0);
			lzma_stream strm = LZMA_STREAM_INIT;
			CHECK_RET(lzma_stream_decoder_mt(&strm, &mt), LZMA_OK);
			uint8_t buf[4096];
			strm.next_in = xz->data;
			strm.avail_in = xz->size / cuts[c];
			for (int i = 0; i < 3; ++i) {
				strm.next_out = buf;
				strm.avail_out = sizeof(buf);
				const lzma_ret ret = lzma_code(&strm, LZMA_RUN);
				CHECK(ret == LZMA_OK || ret == LZMA_BUF_ERROR);
			}
			/* With all input read, several Blocks of 100000
			 * bytes are in flight in threaded mode. */
			if (cuts[c] == 1 && threads == 4)
				CHECK(lzma_memusage(&strm) > 300000);
			lzma_end(&strm);
		}
	}
}

static void dec_memlimits(const t_buf *data, const t_buf *xz)
{
	t_begin("mt_dec memlimit_stop=1KiB: LZMA_MEMLIMIT_ERROR, then raise it");
	lzma_mt mt = dec_opts(2, 0);
	mt.memlimit_stop = KiB;
	lzma_stream strm = LZMA_STREAM_INIT;
	CHECK_RET(lzma_stream_decoder_mt(&strm, &mt), LZMA_OK);
	uint8_t *out = malloc(data->size + 1);
	strm.next_in = xz->data;
	strm.avail_in = xz->size;
	strm.next_out = out;
	strm.avail_out = data->size + 1;
	lzma_ret ret = lzma_code(&strm, LZMA_FINISH);
	CHECK_RET(ret, LZMA_MEMLIMIT_ERROR);
	CHECK_EQ(lzma_memlimit_get(&strm), KiB);
	CHECK(lzma_memusage(&strm) > KiB);
	CHECK_RET(lzma_memlimit_set(&strm, KiB), LZMA_MEMLIMIT_ERROR);
	CHECK_RET(lzma_memlimit_set(&strm, UINT64_MAX), LZMA_OK);
	for (int i = 0; i < 1000 && ret != LZMA_STREAM_END
			&& (ret == LZMA_OK || ret == LZMA_MEMLIMIT_ERROR); ++i)
		ret = lzma_code(&strm, LZMA_FINISH);
	CHECK_RET(ret, LZMA_STREAM_END);
	CHECK_EQ(strm.total_out, data->size);
	CHECK(memcmp(out, data->data, data->size) == 0);
	uint64_t pin = 0, pout = 0;
	lzma_get_progress(&strm, &pin, &pout);
	CHECK_EQ(pin, xz->size);
	CHECK_EQ(pout, data->size);
	lzma_end(&strm);
	free(out);

	/* memlimit_threading only lowers the parallelism: 1 byte (no job
	 * fits: all direct), about one job, and 0 (taken as 1). */
	static const uint64_t lims[] = { 1, 400 * KiB, 0, 3 * 1024 * KiB };
	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); ++i) {
		t_begin("mt_dec memlimit_threading=%llu threads=3 never fails",
			(unsigned long long)lims[i]);
		mt = dec_opts(3, 0);
		mt.memlimit_threading = lims[i];
		t_buf o = { 0 };
		CHECK_RET(mt_decode(&mt, xz, 0, 0, &o), LZMA_STREAM_END);
		CHECK(same(&o, data->data, data->size));
		t_buf_free(&o);
	}
}

static void dec_misc(const t_buf *data, const t_buf *xz)
{
	t_begin("mt_dec options: NULL, threads=0, unknown flag, too many threads");
	lzma_stream strm = LZMA_STREAM_INIT;
	CHECK_RET(lzma_stream_decoder_mt(&strm, NULL), LZMA_PROG_ERROR);
	lzma_mt mt = dec_opts(0, 0);
	CHECK_RET(lzma_stream_decoder_mt(&strm, &mt), LZMA_OPTIONS_ERROR);
	mt = dec_opts(2, 0x4000);
	CHECK_RET(lzma_stream_decoder_mt(&strm, &mt), LZMA_OPTIONS_ERROR);
	mt = dec_opts(16385, 0);
	CHECK_RET(lzma_stream_decoder_mt(&strm, &mt), LZMA_OPTIONS_ERROR);
	lzma_end(&strm);

	t_begin("mt_dec LZMA_TELL_ANY_CHECK returns LZMA_GET_CHECK first");
	mt = dec_opts(2, LZMA_TELL_ANY_CHECK);
	CHECK_RET(lzma_stream_decoder_mt(&strm, &mt), LZMA_OK);
	uint8_t *out = malloc(data->size);
	strm.next_in = xz->data;
	strm.avail_in = xz->size;
	strm.next_out = out;
	strm.avail_out = data->size;
	CHECK_RET(lzma_code(&strm, LZMA_FINISH), LZMA_GET_CHECK);
	CHECK_EQ(lzma_get_check(&strm), LZMA_CHECK_CRC64);
	lzma_ret ret = LZMA_OK;
	for (int i = 0; i < 1000 && ret == LZMA_OK; ++i)
		ret = lzma_code(&strm, LZMA_FINISH);
	CHECK_RET(ret, LZMA_STREAM_END);
	CHECK(memcmp(out, data->data, data->size) == 0);
	lzma_end(&strm);

	t_begin("mt_dec timeout=1ms still completes");
	mt = dec_opts(4, 0);
	mt.timeout = 1;
	CHECK_RET(lzma_stream_decoder_mt(&strm, &mt), LZMA_OK);
	strm.next_in = xz->data;
	strm.avail_in = xz->size;
	strm.next_out = out;
	strm.avail_out = data->size;
	ret = LZMA_OK;
	for (long i = 0; i < 10000000 && ret == LZMA_OK; ++i)
		ret = lzma_code(&strm, LZMA_FINISH);
	CHECK_RET(ret, LZMA_STREAM_END);
	CHECK(memcmp(out, data->data, data->size) == 0);
	lzma_end(&strm);
	free(out);
}

/* ---- encoder ------------------------------------------------------------------ */

static lzma_mt enc_opts(uint32_t threads, uint32_t preset, uint64_t block_size)
{
	lzma_mt mt;
	memset(&mt, 0, sizeof(mt));
	mt.threads = threads;
	mt.preset = preset;
	mt.block_size = block_size;
	mt.check = LZMA_CHECK_CRC64;
	return mt;
}

/* Encode data; flush_at (if not 0): a flush action there. */
static lzma_ret mt_encode(const lzma_mt *mt, const uint8_t *data, size_t size,
			  size_t in_chunk, size_t flush_at, lzma_action flush,
			  t_buf *out)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_ret ret = lzma_stream_encoder_mt(&strm, mt);
	uint8_t buf[65536];
	size_t pos = 0;
	bool flushed = flush_at == 0;
	if (in_chunk == 0)
		in_chunk = SIZE_MAX;
	while (ret == LZMA_OK) {
		const size_t stop = flushed ? size : flush_at;
		if (strm.avail_in == 0 && pos < stop) {
			strm.next_in = data + pos;
			strm.avail_in = MIN_SZ(in_chunk, stop - pos);
			pos += strm.avail_in;
		}
		lzma_action action = LZMA_RUN;
		if (pos == stop && strm.avail_in == 0 && !flushed)
			action = flush;
		else if (pos == size && flushed)
			action = LZMA_FINISH;
		strm.next_out = buf;
		strm.avail_out = sizeof(buf);
		ret = lzma_code(&strm, action);
		t_buf_put(out, buf, sizeof(buf) - strm.avail_out);
		if (ret == LZMA_STREAM_END && action != LZMA_FINISH) {
			flushed = true;
			ret = LZMA_OK;
		}
	}
	lzma_end(&strm);
	return ret;
}

/* Walk the Blocks of a one-stream .xz file: all headers must store both
 * sizes. Returns the number of Blocks, or -1. */
static long count_sized_blocks(const t_buf *xz)
{
	size_t pos = LZMA_STREAM_HEADER_SIZE;
	long n = 0;
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	while (pos < xz->size && xz->data[pos] != 0x00) {
		lzma_block b;
		memset(&b, 0, sizeof(b));
		b.version = 1;
		b.check = LZMA_CHECK_CRC64;
		b.filters = filters;
		b.header_size = lzma_block_header_size_decode(xz->data[pos]);
		if (pos + b.header_size > xz->size
		    || lzma_block_header_decode(&b, NULL, xz->data + pos) != LZMA_OK)
			return -1;
		for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i)
			free(filters[i].options);
		if (b.compressed_size == LZMA_VLI_UNKNOWN
		    || b.uncompressed_size == LZMA_VLI_UNKNOWN)
			return -1;
		pos += lzma_block_total_size(&b);
		++n;
	}
	return n;
}

static void enc_check_decodes(const t_buf *xz, const uint8_t *data, size_t size)
{
	t_buf o = { 0 };
	CHECK(t_run("xz -dc", xz->data, xz->size, &o) == 0);
	CHECK(same(&o, data, size));
	t_buf_free(&o);
	CHECK_RET(st_decode(xz, 0, &o), LZMA_STREAM_END);
	CHECK(same(&o, data, size));
	t_buf_free(&o);
	const lzma_mt mt = dec_opts(3, 0);
	CHECK_RET(mt_decode(&mt, xz, 0, 0, &o), LZMA_STREAM_END);
	CHECK(same(&o, data, size));
	t_buf_free(&o);
}

static void enc_determinism(const t_buf *data)
{
	const size_t bs = 100000;
	t_buf ref = { 0 };
	t_begin("mt_enc preset 1 block_size=%zu threads=1: decodes, sized blocks", bs);
	lzma_mt mt = enc_opts(1, 1, bs);
	CHECK_RET(mt_encode(&mt, data->data, data->size, 0, 0, LZMA_RUN, &ref),
		  LZMA_STREAM_END);
	enc_check_decodes(&ref, data->data, data->size);
	CHECK_EQ(count_sized_blocks(&ref), (long)((data->size + bs - 1) / bs));

	static const struct { uint32_t threads; size_t in_chunk; } runs[] = {
		{ 2, 0 }, { 3, 0 }, { 4, 0 }, { 2, 1 }, { 3, 7777 }, { 1, 65536 },
	};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); ++i) {
		t_begin("mt_enc threads=%u in_chunk=%zu: same bytes as threads=1",
			runs[i].threads, runs[i].in_chunk);
		mt = enc_opts(runs[i].threads, 1, bs);
		t_buf out = { 0 };
		CHECK_RET(mt_encode(&mt, data->data, data->size, runs[i].in_chunk,
				    0, LZMA_RUN, &out), LZMA_STREAM_END);
		CHECK(same(&out, ref.data, ref.size));
		t_buf_free(&out);
	}
	t_buf_free(&ref);

	static const lzma_action flushes[] = { LZMA_FULL_FLUSH, LZMA_FULL_BARRIER };
	for (size_t f = 0; f < 2; ++f) {
		t_buf one = { 0 };
		for (uint32_t threads = 1; threads <= 3; threads += 2) {
			t_begin("mt_enc %s at 250000, threads=%u",
				f ? "LZMA_FULL_BARRIER" : "LZMA_FULL_FLUSH", threads);
			mt = enc_opts(threads, 1, bs);
			t_buf out = { 0 };
			CHECK_RET(mt_encode(&mt, data->data, data->size, 30000, 250000,
					    flushes[f], &out), LZMA_STREAM_END);
			enc_check_decodes(&out, data->data, data->size);
			/* The flush ends a Block: Blocks restart after it. */
			CHECK_EQ(count_sized_blocks(&out),
				 (long)((250000 + bs - 1) / bs
					+ (data->size - 250000 + bs - 1) / bs));
			if (threads == 1)
				t_buf_put(&one, out.data, out.size);
			else
				CHECK(same(&out, one.data, one.size));
			t_buf_free(&out);
		}
		t_buf_free(&one);
	}
}

static void enc_misc(const t_buf *data)
{
	t_begin("mt_enc empty input");
	lzma_mt mt = enc_opts(2, 6, 0);
	t_buf out = { 0 };
	CHECK_RET(mt_encode(&mt, NULL, 0, 0, 0, LZMA_RUN, &out), LZMA_STREAM_END);
	enc_check_decodes(&out, NULL, 0);
	t_buf_free(&out);

	t_begin("mt_enc preset 0, block_size 0 (1 MiB), 3 threads, sha256");
	mt = enc_opts(3, 0, 0);
	mt.check = LZMA_CHECK_SHA256;
	CHECK_RET(mt_encode(&mt, data->data, data->size, 0, 0, LZMA_RUN, &out),
		  LZMA_STREAM_END);
	t_buf o = { 0 };
	CHECK(t_run("xz -dc", out.data, out.size, &o) == 0);
	CHECK(same(&o, data->data, data->size));
	t_buf_free(&o);
	t_buf_free(&out);

	t_begin("mt_enc random data: stored blocks decode");
	uint8_t *rnd = malloc(300 * KiB);
	gen_fill(GEN_RANDOM, 99, rnd, 300 * KiB);
	mt = enc_opts(2, 6, 64 * KiB);
	CHECK_RET(mt_encode(&mt, rnd, 300 * KiB, 0, 0, LZMA_RUN, &out),
		  LZMA_STREAM_END);
	enc_check_decodes(&out, rnd, 300 * KiB);
	CHECK(out.size < 300 * KiB + 2 * KiB);
	t_buf_free(&out);
	free(rnd);

	t_begin("lzma_mt_block_size: 3 x dictionary, at least 1 MiB");
	lzma_options_lzma opt;
	CHECK(!lzma_lzma_preset(&opt, 6));
	lzma_filter chain[2] = { { LZMA_FILTER_LZMA2, &opt },
				 { LZMA_VLI_UNKNOWN, NULL } };
	CHECK_EQ(lzma_mt_block_size(chain), 3 * opt.dict_size);
	CHECK(!lzma_lzma_preset(&opt, 0));
	CHECK_EQ(lzma_mt_block_size(chain), 1024 * KiB);

	t_begin("mt_enc options and memusage");
	mt = enc_opts(1, 6, 0);
	const uint64_t m1 = lzma_stream_encoder_mt_memusage(&mt);
	mt.threads = 4;
	const uint64_t m4 = lzma_stream_encoder_mt_memusage(&mt);
	CHECK(m1 > lzma_easy_encoder_memusage(6) && m4 > m1 && m4 != UINT64_MAX);
	mt.threads = 0;
	CHECK_EQ(lzma_stream_encoder_mt_memusage(&mt), UINT64_MAX);
	lzma_stream strm = LZMA_STREAM_INIT;
	CHECK_RET(lzma_stream_encoder_mt(&strm, &mt), LZMA_OPTIONS_ERROR);
	mt = enc_opts(2, 6, 0);
	mt.flags = 1;
	CHECK_RET(lzma_stream_encoder_mt(&strm, &mt), LZMA_OPTIONS_ERROR);
	mt = enc_opts(2, 77, 0);
	CHECK_RET(lzma_stream_encoder_mt(&strm, &mt), LZMA_OPTIONS_ERROR);
	mt = enc_opts(2, 6, 0);
	mt.check = (lzma_check)16;
	CHECK_RET(lzma_stream_encoder_mt(&strm, &mt), LZMA_PROG_ERROR);
	mt = enc_opts(2, 1, 0);
	CHECK_RET(lzma_stream_encoder_mt(&strm, &mt), LZMA_OK);
	CHECK_RET(lzma_code(&strm, LZMA_SYNC_FLUSH), LZMA_PROG_ERROR);
	lzma_end(&strm);

	t_begin("mt_enc progress and lzma_end mid-stream");
	for (uint32_t threads = 1; threads <= 4; threads += 3) {
		mt = enc_opts(threads, 1, 50000);
		CHECK_RET(lzma_stream_encoder_mt(&strm, &mt), LZMA_OK);
		uint8_t buf[1000];
		strm.next_in = data->data;
		strm.avail_in = data->size / 2;
		strm.next_out = buf;
		strm.avail_out = sizeof(buf);
		CHECK_RET(lzma_code(&strm, LZMA_RUN), LZMA_OK);
		uint64_t pin = 1, pout = 1;
		lzma_get_progress(&strm, &pin, &pout);
		CHECK(pin <= data->size / 2 && pout <= sizeof(buf));
		lzma_end(&strm);
	}
}

/* Run lzma_code() with `action` over in[0..size) until it says STREAM_END
 * (or an error), appending the output to out. */
static lzma_ret code_all(lzma_stream *strm, const uint8_t *in, size_t size,
			 lzma_action action, t_buf *out)
{
	uint8_t buf[4096];
	strm->next_in = in;
	strm->avail_in = size;
	for (;;) {
		strm->next_out = buf;
		strm->avail_out = sizeof(buf);
		const lzma_ret ret = lzma_code(strm, action);
		t_buf_put(out, buf, sizeof(buf) - strm->avail_out);
		if (ret != LZMA_OK)
			return ret;
		if (action == LZMA_RUN && strm->avail_in == 0)
			return LZMA_OK;
	}
}

/* The ID of the first filter of each Block, in order, into ids[0..max). */
static size_t block_first_filters(const t_buf *xz, lzma_vli *ids, size_t max)
{
	size_t pos = LZMA_STREAM_HEADER_SIZE, n = 0;
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	while (n < max && pos < xz->size && xz->data[pos] != 0x00) {
		lzma_block b = { .version = 1, .check = LZMA_CHECK_CRC64,
				 .filters = filters };
		b.header_size = lzma_block_header_size_decode(xz->data[pos]);
		if (pos + b.header_size > xz->size
		    || lzma_block_header_decode(&b, NULL, xz->data + pos) != LZMA_OK)
			break;
		ids[n++] = filters[0].id;
		for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i)
			free(filters[i].options);
		pos += lzma_block_total_size(&b);
	}
	return n;
}

static void enc_update(const t_buf *data)
{
	t_begin("mt_enc lzma_filters_update between Blocks (after a barrier)");
	lzma_options_lzma opt;
	CHECK(!lzma_lzma_preset(&opt, 0));
	lzma_options_delta delta = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 4 };
	const lzma_filter chain[3] = { { LZMA_FILTER_DELTA, &delta },
				       { LZMA_FILTER_LZMA2, &opt },
				       { LZMA_VLI_UNKNOWN, NULL } };
	lzma_mt mt = enc_opts(2, 1, 100000);
	lzma_stream strm = LZMA_STREAM_INIT;
	CHECK_RET(lzma_stream_encoder_mt(&strm, &mt), LZMA_OK);
	t_buf out = { 0 };
	const size_t half = data->size / 2;     /* not a multiple of 100000 */
	CHECK_RET(code_all(&strm, data->data, half, LZMA_RUN, &out), LZMA_OK);
	/* A Block is taking input: no change inside it. */
	CHECK_RET(lzma_filters_update(&strm, chain), LZMA_PROG_ERROR);
	CHECK_RET(code_all(&strm, NULL, 0, LZMA_FULL_BARRIER, &out),
		  LZMA_STREAM_END);
	CHECK_RET(lzma_filters_update(&strm, chain), LZMA_OK);
	CHECK_RET(code_all(&strm, data->data + half, data->size - half,
			   LZMA_FINISH, &out), LZMA_STREAM_END);
	/* After the end: nothing to change. */
	CHECK_RET(lzma_filters_update(&strm, chain), LZMA_PROG_ERROR);
	lzma_end(&strm);
	enc_check_decodes(&out, data->data, data->size);
	lzma_vli ids[64];
	const size_t n = block_first_filters(&out, ids, 64);
	const size_t before = (half + 99999) / 100000;
	CHECK(n > before);
	for (size_t i = 0; i < n; ++i)
		CHECK_EQ(ids[i], i < before ? LZMA_FILTER_LZMA2 : LZMA_FILTER_DELTA);
	t_buf_free(&out);
}

/* ---- the job allocator ----------------------------------------------------- */

static bool cache_within_budget(mt_cache *c)
{
	return c->live + c->cached <= c->budget;
}

static void cache_cases(void)
{
	t_begin("mt_cache: reuse, best fit, budget, small blocks");
	mt_cache c;
	CHECK_RET(mt_cache_init(&c, NULL, 300 * KiB), LZMA_OK);
	const lzma_allocator *a = &c.allocator;
	uint8_t *x = a->alloc(a->opaque, 1, 100 * KiB);
	uint8_t *y = a->alloc(a->opaque, 1, 100 * KiB);
	uint8_t *small = a->alloc(a->opaque, 1, 1000);
	CHECK(x != NULL && y != NULL && small != NULL);
	memset(x, 1, 100 * KiB);        /* the whole size is usable */
	CHECK_EQ(c.live, 200 * KiB + 1000);
	a->free(a->opaque, small);      /* never kept */
	a->free(a->opaque, x);
	a->free(a->opaque, y);
	CHECK_EQ(c.count, 2);
	CHECK_EQ(c.cached, 200 * KiB);
	CHECK_EQ(c.live, 0);
	/* 90 KiB takes a kept 100 KiB block (within 1/8), 200 KiB does not. */
	uint8_t *p = a->alloc(a->opaque, 1, 90 * KiB);
	CHECK(p == x || p == y);
	uint8_t *q = a->alloc(a->opaque, 1, 200 * KiB);
	CHECK(q != NULL && q != x && q != y);
	/* 70 KiB would waste 30 of the kept 100 KiB block: fresh. Live
	 * memory may exceed the budget (it only limits what is kept). */
	uint8_t *r = a->alloc(a->opaque, 1, 70 * KiB);
	CHECK(r != x && r != y);
	CHECK_EQ(c.count, 1);
	a->free(a->opaque, q);          /* over the budget: freed */
	CHECK(cache_within_budget(&c));
	a->free(a->opaque, p);
	a->free(a->opaque, r);
	CHECK(cache_within_budget(&c));
	CHECK_EQ(c.live, 0);
	/* A lower budget keeps nothing more. */
	mt_cache_set_budget(&c, 0);
	uint8_t *z = a->alloc(a->opaque, 1, 300 * KiB);
	a->free(a->opaque, z);
	CHECK(c.cached <= 300 * KiB);
	CHECK(a->alloc(a->opaque, SIZE_MAX / 2, 4) == NULL);    /* overflow */
	a->free(a->opaque, NULL);
	mt_cache_end(&c);
}

int main(void)
{
	t_buf data = { 0 }, t2 = { 0 }, t1 = { 0 };
	make_data(&data, 1);
	cache_cases();
	t_begin("xz -T2 --block-size=100000 and xz -T1 make the inputs");
	const bool have_xz = sys_xz("-1 -T2 --block-size=100000", &data, &t2)
			     && sys_xz("-1 -T1", &data, &t1);
	if (!have_xz) {
		t_skip("/usr/bin/xz not usable");
	} else {
		dec_splits(&data, &t2, "xz-T2");
		dec_splits(&data, &t1, "xz-T1(direct)");
		dec_concatenated(&data, &t2, &t1);
		dec_corrupt(&data, &t2);
		dec_ignore_check(&data, &t2);
		dec_end_midway(&t2);
		dec_memlimits(&data, &t2);
		dec_misc(&data, &t2);
		enc_determinism(&data);
		enc_misc(&data);
		enc_update(&data);
	}
	t_buf_free(&data);
	t_buf_free(&t2);
	t_buf_free(&t1);
	return t_done();
}
