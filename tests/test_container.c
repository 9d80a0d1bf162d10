/*
 * test_container.c -- unit tests of lib/container's building blocks:
 * variable-length integers (xz-file-format.txt 1.2), Stream Header and
 * Footer (2.1), Block Header and block sizes (3.1, 4.3.1), Index
 * verification (4) and the filter registry (5). The decoders themselves are
 * tested in test_container_dec.c.
 *
 * Expected bytes are built here, with CRC32 computed bit by bit
 * (xz-file-format.txt 6), independent of the library.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "common/common.h"      /* ARRAY_SIZE, read32le, write32le */

/* ---- independent helpers ------------------------------------------------- */

static uint32_t crc32_bitwise(const uint8_t *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	for (size_t i = 0; i < n; ++i) {
		crc ^= p[i];
		for (int k = 0; k < 8; ++k)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

static void put_le(t_buf *b, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; ++i)
		t_buf_byte(b, (uint8_t)(v >> (8 * i)));
}

/* 1.2: seven bits per byte, high bit = more bytes follow. */
static void put_vli(t_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		t_buf_byte(b, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	t_buf_byte(b, (uint8_t)v);
}

static size_t vli_len(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		++n;
	}
	return n;
}

typedef struct {
	uint64_t unpadded, uncompressed;
} rec;

static void put_stream_flags_field(t_buf *b, uint32_t check)
{
	t_buf_byte(b, 0);
	t_buf_byte(b, (uint8_t)check);
}

/* Append the Index (4); returns its size. */
static size_t put_index(t_buf *b, const rec *r, size_t n)
{
	t_buf x = { 0 };
	t_buf_byte(&x, 0x00);
	put_vli(&x, n);
	for (size_t i = 0; i < n; ++i) {
		put_vli(&x, r[i].unpadded);
		put_vli(&x, r[i].uncompressed);
	}
	while (x.size % 4 != 0)
		t_buf_byte(&x, 0);
	put_le(&x, crc32_bitwise(x.data, x.size, 0), 4);
	t_buf_put(b, x.data, x.size);
	const size_t size = x.size;
	t_buf_free(&x);
	return size;
}

/* ---- VLI (xz-file-format.txt 1.2) ----------------------------------------- */

static void test_vli(void)
{
	static const uint64_t values[] = {
		0, 1, 127, 128, 255, 16383, 16384, UINT64_C(1) << 35,
		(UINT64_C(1) << 56) - 1, UINT64_C(1) << 56, LZMA_VLI_MAX,
	};
	t_begin("vli: single-call round trips and minimal sizes");
	for (size_t i = 0; i < ARRAY_SIZE(values); ++i) {
		uint8_t buf[LZMA_VLI_BYTES_MAX];
		size_t pos = 0;
		CHECK_RET(lzma_vli_encode(values[i], NULL, buf, &pos,
					  sizeof(buf)), LZMA_OK);
		CHECK_EQ(pos, vli_len(values[i]));
		CHECK_EQ(lzma_vli_size(values[i]), vli_len(values[i]));
		t_buf ref = { 0 };
		put_vli(&ref, values[i]);
		CHECK(ref.size == pos && memcmp(ref.data, buf, pos) == 0);
		t_buf_free(&ref);
		lzma_vli v = 12345;
		size_t in_pos = 0;
		CHECK_RET(lzma_vli_decode(&v, NULL, buf, &in_pos, pos), LZMA_OK);
		CHECK_EQ(in_pos, pos);
		CHECK(v == values[i]);
	}

	t_begin("vli: multi-call, one byte at a time");
	for (size_t i = 0; i < ARRAY_SIZE(values); ++i) {
		uint8_t buf[LZMA_VLI_BYTES_MAX];
		size_t vpos = 0, out_pos = 0;
		lzma_ret r = LZMA_OK;
		while (r == LZMA_OK) {
			const size_t lim = out_pos + 1;
			r = lzma_vli_encode(values[i], &vpos, buf, &out_pos, lim);
		}
		CHECK_RET(r, LZMA_STREAM_END);
		CHECK_EQ(out_pos, vli_len(values[i]));
		lzma_vli v = 0;
		size_t in_pos = 0;
		vpos = 0;
		r = LZMA_OK;
		while (r == LZMA_OK) {
			const size_t lim = in_pos + 1;
			r = lzma_vli_decode(&v, &vpos, buf, &in_pos, lim);
		}
		CHECK_RET(r, LZMA_STREAM_END);
		CHECK(v == values[i]);
		CHECK_EQ(vpos, out_pos);
	}

	t_begin("vli: non-minimal and over-long encodings are rejected");
	{
		/* 0x80 0x00: zero written in two bytes. */
		const uint8_t two_zero[] = { 0x80, 0x00 };
		/* 0xFF 0x00: 127 with a needless trailing 0x00. */
		const uint8_t trail[] = { 0xFF, 0x00 };
		/* Ten bytes: more than 63 bits. */
		const uint8_t ten[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					0x80, 0x80, 0x80, 0x01 };
		lzma_vli v;
		size_t pos = 0;
		CHECK_RET(lzma_vli_decode(&v, NULL, two_zero, &pos, 2),
			  LZMA_DATA_ERROR);
		pos = 0;
		CHECK_RET(lzma_vli_decode(&v, NULL, trail, &pos, 2),
			  LZMA_DATA_ERROR);
		pos = 0;
		CHECK_RET(lzma_vli_decode(&v, NULL, ten, &pos, 10),
			  LZMA_DATA_ERROR);
		CHECK_EQ(pos, 9);
		size_t vpos = 0;
		pos = 0;
		CHECK_RET(lzma_vli_decode(&v, &vpos, ten, &pos, 10),
			  LZMA_DATA_ERROR);
		/* 0x00 alone is the minimal encoding of zero. */
		pos = 0;
		CHECK_RET(lzma_vli_decode(&v, NULL, two_zero + 1, &pos, 1),
			  LZMA_OK);
		CHECK(v == 0);
	}

	t_begin("vli: truncation, overflow and misuse");
	{
		uint8_t buf[LZMA_VLI_BYTES_MAX] = { 0x80 };
		lzma_vli v;
		size_t pos = 0, vpos = 0;
		/* Single-call: a buffer that ends inside the integer. */
		CHECK_RET(lzma_vli_decode(&v, NULL, buf, &pos, 1),
			  LZMA_DATA_ERROR);
		pos = 0;
		CHECK_RET(lzma_vli_decode(&v, NULL, buf, &pos, 0),
			  LZMA_DATA_ERROR);
		/* Multi-call: no input is "no progress". */
		CHECK_RET(lzma_vli_decode(&v, &vpos, buf, &pos, 0),
			  LZMA_BUF_ERROR);
		/* Multi-call: *vli inconsistent with *vli_pos. */
		v = 1000;
		vpos = 1;
		pos = 0;
		CHECK_RET(lzma_vli_decode(&v, &vpos, buf, &pos, 1),
			  LZMA_PROG_ERROR);
		/* Above 2^63 - 1. */
		pos = 0;
		CHECK_RET(lzma_vli_encode(LZMA_VLI_MAX + 1, NULL, buf, &pos,
					  sizeof(buf)), LZMA_PROG_ERROR);
		CHECK_EQ(lzma_vli_size(LZMA_VLI_MAX + 1), 0);
		CHECK_EQ(lzma_vli_size(LZMA_VLI_UNKNOWN), 0);
		/* Single-call encode without room: the caller's bug. */
		pos = 0;
		CHECK_RET(lzma_vli_encode(300, NULL, buf, &pos, 1),
			  LZMA_PROG_ERROR);
		pos = 1;
		CHECK_RET(lzma_vli_encode(1, NULL, buf, &pos, 1),
			  LZMA_PROG_ERROR);
		/* Multi-call encode without room: no progress. */
		vpos = 0;
		CHECK_RET(lzma_vli_encode(1, &vpos, buf, &pos, 1),
			  LZMA_BUF_ERROR);
	}
}

/* ---- Stream Header and Footer (2.1.1, 2.1.2) ------------------------------ */

static void test_stream_flags(void)
{
	t_begin("stream flags: encode/decode every check ID");
	for (uint32_t id = 0; id <= LZMA_CHECK_ID_MAX; ++id) {
		lzma_stream_flags f = { .version = 0, .check = id,
					.backward_size = 4 * (id + 1) };
		uint8_t h[LZMA_STREAM_HEADER_SIZE], g[LZMA_STREAM_HEADER_SIZE];
		CHECK_RET(lzma_stream_header_encode(&f, h), LZMA_OK);
		CHECK_RET(lzma_stream_footer_encode(&f, g), LZMA_OK);
		/* Compare with bytes built here. */
		t_buf ref = { 0 };
		t_buf_put(&ref, "\xFD" "7zXZ\0", 6);
		put_stream_flags_field(&ref, id);
		put_le(&ref, crc32_bitwise(ref.data + 6, 2, 0), 4);
		CHECK(memcmp(ref.data, h, 12) == 0);
		t_buf_free(&ref);
		CHECK_EQ(g[4], id);     /* stored backward size = real/4 - 1 */
		CHECK(g[10] == 'Y' && g[11] == 'Z');
		CHECK_EQ(read32le(g), crc32_bitwise(g + 4, 6, 0));

		lzma_stream_flags dh, dg;
		CHECK_RET(lzma_stream_header_decode(&dh, h), LZMA_OK);
		CHECK_RET(lzma_stream_footer_decode(&dg, g), LZMA_OK);
		CHECK_EQ(dh.check, id);
		CHECK(dh.backward_size == LZMA_VLI_UNKNOWN);
		CHECK_EQ(dg.check, id);
		CHECK_EQ(dg.backward_size, 4 * (id + 1));
		CHECK_RET(lzma_stream_flags_compare(&dh, &dg), LZMA_OK);
	}

	t_begin("stream flags: broken fields");
	{
		lzma_stream_flags f = { .version = 0, .check = LZMA_CHECK_CRC64,
					.backward_size = 8 };
		uint8_t h[12], g[12], x[12];
		lzma_stream_flags d;
		CHECK_RET(lzma_stream_header_encode(&f, h), LZMA_OK);
		CHECK_RET(lzma_stream_footer_encode(&f, g), LZMA_OK);
		/* Header Magic Bytes: not .xz. */
		memcpy(x, h, 12);
		x[5] = 1;
		CHECK_RET(lzma_stream_header_decode(&d, x), LZMA_FORMAT_ERROR);
		/* CRC32 off by one bit: corrupt. */
		memcpy(x, h, 12);
		x[8] ^= 1;
		CHECK_RET(lzma_stream_header_decode(&d, x), LZMA_DATA_ERROR);
		/* A reserved bit with a matching CRC32: unsupported. */
		for (int bit = 4; bit < 8; ++bit) {
			memcpy(x, h, 12);
			x[7] |= (uint8_t)(1 << bit);
			write32le(x + 8, crc32_bitwise(x + 6, 2, 0));
			CHECK_RET(lzma_stream_header_decode(&d, x),
				  LZMA_OPTIONS_ERROR);
		}
		memcpy(x, h, 12);
		x[6] = 1;
		write32le(x + 8, crc32_bitwise(x + 6, 2, 0));
		CHECK_RET(lzma_stream_header_decode(&d, x), LZMA_OPTIONS_ERROR);
		/* Footer Magic Bytes, CRC32, reserved bits. */
		memcpy(x, g, 12);
		x[11] = 'Y';
		CHECK_RET(lzma_stream_footer_decode(&d, x), LZMA_FORMAT_ERROR);
		memcpy(x, g, 12);
		x[4] ^= 1;
		CHECK_RET(lzma_stream_footer_decode(&d, x), LZMA_DATA_ERROR);
		memcpy(x, g, 12);
		x[9] |= 0x80;
		write32le(x, crc32_bitwise(x + 4, 6, 0));
		CHECK_RET(lzma_stream_footer_decode(&d, x), LZMA_OPTIONS_ERROR);
	}

	t_begin("stream flags: encoder argument checks and compare");
	{
		uint8_t g[12];
		lzma_stream_flags f = { .version = 0, .check = 0 };
		static const lzma_vli bad_sizes[] = {
			0, 2, 5, LZMA_BACKWARD_SIZE_MAX + 4, LZMA_VLI_UNKNOWN };
		for (size_t i = 0; i < ARRAY_SIZE(bad_sizes); ++i) {
			f.backward_size = bad_sizes[i];
			CHECK_RET(lzma_stream_footer_encode(&f, g),
				  LZMA_PROG_ERROR);
		}
		f.backward_size = LZMA_BACKWARD_SIZE_MAX;
		CHECK_RET(lzma_stream_footer_encode(&f, g), LZMA_OK);
		CHECK_EQ(read32le(g + 4), UINT32_MAX);
		f.version = 1;
		CHECK_RET(lzma_stream_header_encode(&f, g), LZMA_OPTIONS_ERROR);
		f.version = 0;
		f.check = 16;
		CHECK_RET(lzma_stream_header_encode(&f, g), LZMA_PROG_ERROR);

		lzma_stream_flags a = { .check = 1, .backward_size = 8 };
		lzma_stream_flags b = { .check = 1,
					.backward_size = LZMA_VLI_UNKNOWN };
		CHECK_RET(lzma_stream_flags_compare(&a, &b), LZMA_OK);
		b.backward_size = 12;
		CHECK_RET(lzma_stream_flags_compare(&a, &b), LZMA_DATA_ERROR);
		b.backward_size = 8;
		b.check = 4;
		CHECK_RET(lzma_stream_flags_compare(&a, &b), LZMA_DATA_ERROR);
		b.check = 1;
		b.version = 1;
		CHECK_RET(lzma_stream_flags_compare(&a, &b), LZMA_OPTIONS_ERROR);
		b.version = 0;
		b.backward_size = 7;
		CHECK_RET(lzma_stream_flags_compare(&a, &b), LZMA_PROG_ERROR);
	}
}

/* ---- Block Header (3.1) ------------------------------------------------------ */

/* Build a header with the library, decode it back, compare. */
static void block_header_roundtrip(lzma_vli csize, lzma_vli usize,
				   const lzma_filter *chain, size_t nf)
{
	lzma_filter f[LZMA_FILTERS_MAX + 1];
	memcpy(f, chain, sizeof(f[0]) * nf);
	f[nf].id = LZMA_VLI_UNKNOWN;
	lzma_block b = { .version = 0, .check = LZMA_CHECK_CRC32,
			 .compressed_size = csize, .uncompressed_size = usize,
			 .filters = f };
	CHECK_RET(lzma_block_header_size(&b), LZMA_OK);
	uint32_t expect = 2 + 4;
	if (csize != LZMA_VLI_UNKNOWN)
		expect += lzma_vli_size(csize);
	if (usize != LZMA_VLI_UNKNOWN)
		expect += lzma_vli_size(usize);
	for (size_t i = 0; i < nf; ++i) {
		uint32_t n;
		CHECK_RET(lzma_filter_flags_size(&n, &f[i]), LZMA_OK);
		expect += n;
	}
	CHECK_EQ(b.header_size, (expect + 3) & ~3u);
	uint8_t buf[LZMA_BLOCK_HEADER_SIZE_MAX];
	CHECK_RET(lzma_block_header_encode(&b, buf), LZMA_OK);
	CHECK_EQ(lzma_block_header_size_decode(buf[0]), b.header_size);
	CHECK_EQ(read32le(buf + b.header_size - 4),
		 crc32_bitwise(buf, b.header_size - 4, 0));

	lzma_filter d[LZMA_FILTERS_MAX + 1];
	lzma_block db = { .version = 1, .check = LZMA_CHECK_CRC32,
			  .header_size = b.header_size, .filters = d };
	CHECK_RET(lzma_block_header_decode(&db, NULL, buf), LZMA_OK);
	CHECK(db.compressed_size == csize);
	CHECK(db.uncompressed_size == usize);
	for (size_t i = 0; i < nf; ++i)
		CHECK(d[i].id == f[i].id);
	CHECK(d[nf].id == LZMA_VLI_UNKNOWN);
	/* Options come back as the properties describe them. */
	for (size_t i = 0; i < nf; ++i) {
		if (f[i].id == LZMA_FILTER_LZMA2) {
			const lzma_options_lzma *o = d[i].options;
			CHECK(o != NULL && o->dict_size
			      == ((const lzma_options_lzma *)f[i].options)->dict_size);
		} else if (f[i].id == LZMA_FILTER_DELTA) {
			const lzma_options_delta *o = d[i].options;
			CHECK(o != NULL && o->dist
			      == ((const lzma_options_delta *)f[i].options)->dist);
		} else {
			const lzma_options_bcj *in = f[i].options;
			const lzma_options_bcj *o = d[i].options;
			if (in == NULL || in->start_offset == 0)
				CHECK(o == NULL);
			else
				CHECK(o != NULL && o->start_offset == in->start_offset);
		}
		free(d[i].options);
	}
}

/* A header built here (not by the library) with one field changed. */
static lzma_ret decode_raw_header(t_buf *h, bool fix_crc)
{
	while ((h->size + 4) % 4 != 0)
		t_buf_byte(h, 0);
	h->data[0] = (uint8_t)((h->size + 4) / 4 - 1);
	put_le(h, crc32_bitwise(h->data, h->size, 0) ^ (fix_crc ? 0 : 1), 4);
	lzma_filter d[LZMA_FILTERS_MAX + 1];
	lzma_block b = { .version = 1, .check = LZMA_CHECK_NONE,
			 .header_size = (uint32_t)h->size, .filters = d };
	const lzma_ret r = lzma_block_header_decode(&b, NULL, h->data);
	for (size_t i = 0; i < LZMA_FILTERS_MAX; ++i) {
		/* After any result the array must be safe to free. */
		if (d[i].id == LZMA_VLI_UNKNOWN) {
			CHECK(d[i].options == NULL);
			break;
		}
		free(d[i].options);
	}
	t_buf_free(h);
	return r;
}

static void test_block_header(void)
{
	lzma_options_lzma lz = { .dict_size = 1 << 20 };
	lzma_options_delta de = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 7 };
	lzma_options_bcj bo = { .start_offset = 0x10000 };
	lzma_options_bcj b0 = { .start_offset = 0 };
	const lzma_filter only[] = { { LZMA_FILTER_LZMA2, &lz } };
	const lzma_filter two[] = { { LZMA_FILTER_DELTA, &de },
				    { LZMA_FILTER_LZMA2, &lz } };
	const lzma_filter four[] = { { LZMA_FILTER_X86, &bo },
				     { LZMA_FILTER_ARM, &b0 },
				     { LZMA_FILTER_DELTA, &de },
				     { LZMA_FILTER_LZMA2, &lz } };
	static const lzma_vli sizes[] = { LZMA_VLI_UNKNOWN, 1, 127, 128,
					  123456789, LZMA_VLI_MAX / 2 };

	t_begin("block header: every optional field round-trips");
	for (size_t i = 0; i < ARRAY_SIZE(sizes); ++i)
		for (size_t j = 0; j < ARRAY_SIZE(sizes); ++j) {
			block_header_roundtrip(sizes[i], sizes[j], only, 1);
			block_header_roundtrip(sizes[i], sizes[j], two, 2);
			block_header_roundtrip(sizes[i], sizes[j], four, 4);
		}

	t_begin("block header: reserved bits, padding, CRC32");
	for (int bit = 2; bit <= 5; ++bit) {
		/* 3.1.2: bits 2-5 of Block Flags are reserved. */
		t_buf h = { 0 };
		t_buf_byte(&h, 0);
		t_buf_byte(&h, (uint8_t)(1 << bit));
		t_buf_put(&h, "\x21\x01\x10", 3);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OPTIONS_ERROR);
	}
	{
		t_buf h = { 0 };        /* the good one */
		t_buf_put(&h, "\x00\x00\x21\x01\x10", 5);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OK);
		t_buf_put(&h, "\x00\x00\x21\x01\x10", 5);
		CHECK_RET(decode_raw_header(&h, false), LZMA_DATA_ERROR);
		/* 3.1.6: Header Padding must be null. */
		t_buf_put(&h, "\x00\x00\x21\x01\x10\x00\x01", 7);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OPTIONS_ERROR);
		/* 3.1.3: Compressed Size zero. */
		t_buf_put(&h, "\x00\x40\x00\x21\x01\x10", 6);
		CHECK_RET(decode_raw_header(&h, true), LZMA_DATA_ERROR);
		/* 1.2: a non-minimal Uncompressed Size. */
		t_buf_put(&h, "\x00\x80\x85\x00\x21\x01\x10", 7);
		CHECK_RET(decode_raw_header(&h, true), LZMA_DATA_ERROR);
		/* Two filters announced; the second one's ID runs into
		 * the CRC32 field. */
		t_buf_put(&h, "\x00\x01\x21\x01\x10\x80\x80\x80", 8);
		CHECK_RET(decode_raw_header(&h, true), LZMA_DATA_ERROR);
		/* Size of Properties beyond the header. */
		t_buf_put(&h, "\x00\x00\x21\x09\x10", 5);
		CHECK_RET(decode_raw_header(&h, true), LZMA_DATA_ERROR);
		/* 3.1.5: IDs from 2^62 are reserved (LZMA1's internal ID). */
		t_buf_put(&h, "\x00\x00\x81\x80\x80\x80\x80\x80\x80\x80\x40\x00",
			  12);
		CHECK_RET(decode_raw_header(&h, true), LZMA_DATA_ERROR);
		/* An ID nobody defined: unsupported. */
		t_buf_put(&h, "\x00\x00\x7F\x00", 4);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OPTIONS_ERROR);
		/* LZMA2 properties: reserved bits, size 41, wrong length. */
		t_buf_put(&h, "\x00\x00\x21\x01\x40", 5);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OPTIONS_ERROR);
		t_buf_put(&h, "\x00\x00\x21\x01\x29", 5);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OPTIONS_ERROR);
		t_buf_put(&h, "\x00\x00\x21\x02\x10\x00", 6);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OPTIONS_ERROR);
		/* BCJ properties of 3 bytes; Delta of 2. */
		t_buf_put(&h, "\x00\x01\x04\x03\x01\x02\x03\x21\x01\x10", 10);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OPTIONS_ERROR);
		t_buf_put(&h, "\x00\x01\x03\x02\x01\x02\x21\x01\x10", 9);
		CHECK_RET(decode_raw_header(&h, true), LZMA_OPTIONS_ERROR);
	}

	t_begin("block header: caller errors");
	{
		lzma_filter f[2] = { { LZMA_FILTER_LZMA2, &lz },
				     { LZMA_VLI_UNKNOWN, NULL } };
		lzma_block b = { .version = 2, .filters = f,
				 .compressed_size = LZMA_VLI_UNKNOWN,
				 .uncompressed_size = LZMA_VLI_UNKNOWN };
		CHECK_RET(lzma_block_header_size(&b), LZMA_OPTIONS_ERROR);
		b.version = 0;
		b.compressed_size = 0;
		CHECK_RET(lzma_block_header_size(&b), LZMA_PROG_ERROR);
		b.compressed_size = LZMA_VLI_UNKNOWN;
		CHECK_RET(lzma_block_header_size(&b), LZMA_OK);
		uint8_t buf[LZMA_BLOCK_HEADER_SIZE_MAX];
		CHECK_RET(lzma_block_header_encode(&b, buf), LZMA_OK);
		lzma_filter d[LZMA_FILTERS_MAX + 1];
		lzma_block db = { .check = 0, .header_size = b.header_size + 4,
				  .filters = d };
		/* header_size must match the first byte. */
		CHECK_RET(lzma_block_header_decode(&db, NULL, buf),
			  LZMA_PROG_ERROR);
		lzma_filter five[6] = {
			{ LZMA_FILTER_X86, NULL }, { LZMA_FILTER_X86, NULL },
			{ LZMA_FILTER_X86, NULL }, { LZMA_FILTER_X86, NULL },
			{ LZMA_FILTER_LZMA2, &lz }, { LZMA_VLI_UNKNOWN, NULL } };
		b.filters = five;
		CHECK_RET(lzma_block_header_size(&b), LZMA_PROG_ERROR);
	}

	t_begin("block: unpadded, total and compressed size");
	{
		lzma_block b = { .version = 0, .header_size = 12,
				 .check = LZMA_CHECK_CRC64,
				 .compressed_size = 101,
				 .uncompressed_size = LZMA_VLI_UNKNOWN };
		CHECK_EQ(lzma_block_unpadded_size(&b), 12 + 101 + 8);
		CHECK_EQ(lzma_block_total_size(&b), 124);
		b.compressed_size = LZMA_VLI_UNKNOWN;
		CHECK(lzma_block_unpadded_size(&b) == LZMA_VLI_UNKNOWN);
		CHECK(lzma_block_total_size(&b) == LZMA_VLI_UNKNOWN);
		CHECK_RET(lzma_block_compressed_size(&b, 121), LZMA_OK);
		CHECK_EQ(b.compressed_size, 101);
		CHECK_RET(lzma_block_compressed_size(&b, 122), LZMA_DATA_ERROR);
		CHECK_RET(lzma_block_compressed_size(&b, 20), LZMA_DATA_ERROR);
		b.compressed_size = LZMA_VLI_UNKNOWN;
		CHECK_RET(lzma_block_compressed_size(&b, 20), LZMA_DATA_ERROR);
		b.header_size = 10;     /* not a multiple of 4 */
		CHECK_EQ(lzma_block_unpadded_size(&b), 0);
		b.header_size = 12;
		b.compressed_size = LZMA_VLI_MAX;
		CHECK_EQ(lzma_block_unpadded_size(&b), 0);
		b.compressed_size = 0;
		CHECK_EQ(lzma_block_unpadded_size(&b), 0);
		CHECK_EQ(lzma_block_unpadded_size(NULL), 0);
	}
}

/* ---- Index verification (4) --------------------------------------------------- */

/* Feed idx to a fresh index_hash that saw the blocks r[0..n). */
static lzma_ret index_check(const rec *r, size_t n, const uint8_t *idx,
			    size_t size, size_t chunk)
{
	lzma_index_hash *ih = lzma_index_hash_init(NULL, NULL);
	for (size_t i = 0; i < n; ++i)
		CHECK_RET(lzma_index_hash_append(ih, r[i].unpadded,
						 r[i].uncompressed), LZMA_OK);
	lzma_ret ret = LZMA_OK;
	size_t pos = 0;
	while (ret == LZMA_OK && pos < size) {
		const size_t lim = chunk == 0 || size - pos < chunk ? size
								  : pos + chunk;
		ret = lzma_index_hash_decode(ih, idx, &pos, lim);
	}
	if (ret == LZMA_STREAM_END)
		CHECK_EQ(lzma_index_hash_size(ih), size);
	lzma_index_hash_end(ih, NULL);
	return ret;
}

static void test_index_hash(void)
{
	const rec blocks[] = { { 5, 0 }, { 1000, 70000 }, { 129, 1 << 20 },
			       { 4242, 3 } };
	const size_t n = ARRAY_SIZE(blocks);

	t_begin("index: matching index, whole and byte by byte");
	for (size_t k = 0; k <= n; ++k) {
		t_buf idx = { 0 };
		put_index(&idx, blocks, k);
		CHECK_RET(index_check(blocks, k, idx.data, idx.size, 0),
			  LZMA_STREAM_END);
		CHECK_RET(index_check(blocks, k, idx.data, idx.size, 1),
			  LZMA_STREAM_END);
		CHECK_RET(index_check(blocks, k, idx.data, idx.size, 3),
			  LZMA_STREAM_END);
		t_buf_free(&idx);
	}

	t_begin("index: each mismatch is DATA_ERROR");
	{
		rec r[ARRAY_SIZE(blocks)];
		t_buf idx = { 0 };
		/* 4.2: one Record fewer / more than Blocks. */
		put_index(&idx, blocks, n - 1);
		CHECK_RET(index_check(blocks, n, idx.data, idx.size, 1),
			  LZMA_DATA_ERROR);
		t_buf_free(&idx);
		put_index(&idx, blocks, n);
		CHECK_RET(index_check(blocks, n - 1, idx.data, idx.size, 1),
			  LZMA_DATA_ERROR);
		t_buf_free(&idx);
		/* 4.3.1 / 4.3.2: one size off. */
		memcpy(r, blocks, sizeof(r));
		r[1].unpadded += 4;
		put_index(&idx, r, n);
		CHECK_RET(index_check(blocks, n, idx.data, idx.size, 0),
			  LZMA_DATA_ERROR);
		t_buf_free(&idx);
		memcpy(r, blocks, sizeof(r));
		r[3].uncompressed -= 1;
		put_index(&idx, r, n);
		CHECK_RET(index_check(blocks, n, idx.data, idx.size, 0),
			  LZMA_DATA_ERROR);
		t_buf_free(&idx);
		/* The same sums in another order: only the hash sees it. */
		memcpy(r, blocks, sizeof(r));
		r[1] = blocks[3];
		r[3] = blocks[1];
		put_index(&idx, r, n);
		CHECK_RET(index_check(blocks, n, idx.data, idx.size, 0),
			  LZMA_DATA_ERROR);
		t_buf_free(&idx);
		/* 4.3.1: Unpadded Size below 5. */
		memcpy(r, blocks, sizeof(r));
		r[0].unpadded = 4;
		put_index(&idx, r, n);
		CHECK_RET(index_check(blocks, n, idx.data, idx.size, 0),
			  LZMA_DATA_ERROR);
		t_buf_free(&idx);
		/* 4.1, 4.4, 4.5: indicator, padding, CRC32. */
		put_index(&idx, blocks, n);
		idx.data[0] = 1;
		CHECK_RET(index_check(blocks, n, idx.data, idx.size, 0),
			  LZMA_DATA_ERROR);
		idx.data[0] = 0;
		idx.data[idx.size - 1] ^= 0x80;
		CHECK_RET(index_check(blocks, n, idx.data, idx.size, 1),
			  LZMA_DATA_ERROR);
		t_buf_free(&idx);
		const rec one[1] = { { 129, 1 } };
		put_index(&idx, one, 1);        /* 1+1+2+1+4 = 9: 3 padding */
		CHECK_EQ(idx.size, 12);
		CHECK_RET(index_check(one, 1, idx.data, idx.size, 0),
			  LZMA_STREAM_END);
		idx.data[6] = 1;
		write32le(idx.data + 8, crc32_bitwise(idx.data, 8, 0));
		CHECK_RET(index_check(one, 1, idx.data, idx.size, 0),
			  LZMA_DATA_ERROR);
		t_buf_free(&idx);
	}

	t_begin("index: append argument checks and size limits");
	{
		lzma_index_hash *ih = lzma_index_hash_init(NULL, NULL);
		CHECK_RET(lzma_index_hash_append(ih, 4, 0), LZMA_PROG_ERROR);
		CHECK_RET(lzma_index_hash_append(ih, 5, LZMA_VLI_MAX + 1),
			  LZMA_PROG_ERROR);
		CHECK_RET(lzma_index_hash_append(ih, LZMA_VLI_MAX, 0),
			  LZMA_PROG_ERROR);
		/* Two blocks whose sizes add up beyond 2^63: corrupt. */
		CHECK_RET(lzma_index_hash_append(ih, LZMA_VLI_MAX / 2, 0),
			  LZMA_OK);
		CHECK_RET(lzma_index_hash_append(ih, LZMA_VLI_MAX / 2, 0),
			  LZMA_DATA_ERROR);
		/* Reuse the allocation for a new stream. */
		CHECK(lzma_index_hash_init(ih, NULL) == ih);
		CHECK_EQ(lzma_index_hash_size(ih), 8);
		const uint8_t empty[8] = { 0, 0, 0, 0, 0x1C, 0xDF, 0x44, 0x21 };
		size_t pos = 0;
		CHECK_RET(lzma_index_hash_decode(ih, empty, &pos, 8),
			  LZMA_STREAM_END);
		CHECK_RET(lzma_index_hash_append(ih, 8, 0), LZMA_PROG_ERROR);
		pos = 0;
		CHECK_RET(lzma_index_hash_decode(ih, empty, &pos, 0),
			  LZMA_BUF_ERROR);
		lzma_index_hash_end(ih, NULL);
	}
}

/* ---- the filter registry (xz-file-format.txt 5) ------------------------- */

static lzma_options_lzma raw_lz = { .dict_size = 4096 };
static lzma_options_delta raw_delta = { .type = LZMA_DELTA_TYPE_BYTE,
					.dist = 3 };

static void test_filter_registry(void)
{
	t_begin("filter chains: validation and memory estimates");
	{
		lzma_options_bcj bcj = { 0 };
		const lzma_filter ok4[] = {
			{ LZMA_FILTER_X86, NULL }, { LZMA_FILTER_DELTA, &raw_delta },
			{ LZMA_FILTER_ARM64, &bcj }, { LZMA_FILTER_LZMA2, &raw_lz },
			{ LZMA_VLI_UNKNOWN, NULL } };
		const lzma_filter five[] = {
			{ LZMA_FILTER_X86, NULL }, { LZMA_FILTER_X86, NULL },
			{ LZMA_FILTER_X86, NULL }, { LZMA_FILTER_X86, NULL },
			{ LZMA_FILTER_LZMA2, &raw_lz }, { LZMA_VLI_UNKNOWN, NULL } };
		const lzma_filter delta_last[] = {
			{ LZMA_FILTER_DELTA, &raw_delta }, { LZMA_VLI_UNKNOWN, NULL } };
		const lzma_filter lzma_first[] = {
			{ LZMA_FILTER_LZMA2, &raw_lz }, { LZMA_FILTER_DELTA, &raw_delta },
			{ LZMA_VLI_UNKNOWN, NULL } };
		const lzma_filter unknown[] = {
			{ 0x7F, NULL }, { LZMA_FILTER_LZMA2, &raw_lz },
			{ LZMA_VLI_UNKNOWN, NULL } };
		const lzma_filter no_opts[] = {
			{ LZMA_FILTER_LZMA2, NULL }, { LZMA_VLI_UNKNOWN, NULL } };
		const lzma_filter empty[] = { { LZMA_VLI_UNKNOWN, NULL } };
		CHECK(lzma_raw_decoder_memusage(ok4) > 4096);
		CHECK(lzma_raw_decoder_memusage(ok4) != UINT64_MAX);
		CHECK(lzma_raw_decoder_memusage(five) == UINT64_MAX);
		CHECK(lzma_raw_decoder_memusage(delta_last) == UINT64_MAX);
		CHECK(lzma_raw_decoder_memusage(lzma_first) == UINT64_MAX);
		CHECK(lzma_raw_decoder_memusage(unknown) == UINT64_MAX);
		CHECK(lzma_raw_decoder_memusage(no_opts) == UINT64_MAX);
		CHECK(lzma_raw_decoder_memusage(empty) == UINT64_MAX);
		lzma_stream s = LZMA_STREAM_INIT;
		CHECK_RET(lzma_raw_decoder(&s, ok4), LZMA_OK);
		CHECK_RET(lzma_raw_decoder(&s, five), LZMA_OPTIONS_ERROR);
		CHECK_RET(lzma_raw_decoder(&s, delta_last), LZMA_OPTIONS_ERROR);
		CHECK_RET(lzma_raw_decoder(&s, lzma_first), LZMA_OPTIONS_ERROR);
		CHECK_RET(lzma_raw_decoder(&s, unknown), LZMA_OPTIONS_ERROR);
		CHECK_RET(lzma_raw_decoder(&s, no_opts), LZMA_PROG_ERROR);
		CHECK_RET(lzma_raw_decoder(&s, empty), LZMA_PROG_ERROR);
		lzma_end(&s);
	}

	t_begin("filter registry: support and properties");
	{
		static const lzma_vli ids[] = {
			LZMA_FILTER_LZMA1, LZMA_FILTER_LZMA1EXT, LZMA_FILTER_LZMA2,
			LZMA_FILTER_DELTA, LZMA_FILTER_X86, LZMA_FILTER_POWERPC,
			LZMA_FILTER_IA64, LZMA_FILTER_ARM, LZMA_FILTER_ARMTHUMB,
			LZMA_FILTER_ARM64, LZMA_FILTER_SPARC };
		for (size_t i = 0; i < ARRAY_SIZE(ids); ++i)
			CHECK(lzma_filter_decoder_is_supported(ids[i]));
		CHECK(!lzma_filter_decoder_is_supported(0x7F));
		CHECK(!lzma_filter_decoder_is_supported(LZMA_VLI_UNKNOWN));

		lzma_filter f = { LZMA_FILTER_LZMA2, NULL };
		CHECK_RET(lzma_properties_decode(&f, NULL,
						 (const uint8_t *)"\x28", 1),
			  LZMA_OK);
		CHECK(f.options != NULL && ((lzma_options_lzma *)f.options)
		      ->dict_size == UINT32_MAX);
		free(f.options);
		f.id = LZMA_FILTER_X86;
		CHECK_RET(lzma_properties_decode(&f, NULL,
						 (const uint8_t *)"\0\0\0\0", 4),
			  LZMA_OK);
		CHECK(f.options == NULL);
		f.id = LZMA_FILTER_DELTA;
		CHECK_RET(lzma_properties_decode(&f, NULL,
						 (const uint8_t *)"\xFF", 1),
			  LZMA_OK);
		CHECK(f.options != NULL && ((lzma_options_delta *)f.options)
		      ->dist == 256);
		free(f.options);
		f.id = 0x7F;
		CHECK_RET(lzma_properties_decode(&f, NULL, NULL, 0),
			  LZMA_OPTIONS_ERROR);

		/* LZMA2 properties encode the smallest size that holds
		 * the dictionary (5.3.1). */
		static const uint32_t dicts[][2] = {
			{ 1, 4096 }, { 4096, 4096 }, { 4097, 6144 },
			{ 6144, 6144 }, { (1 << 20) + 1, 3 << 19 },
			{ 3u << 30, 3u << 30 }, { (3u << 30) + 1, UINT32_MAX },
			{ UINT32_MAX, UINT32_MAX } };
		for (size_t i = 0; i < ARRAY_SIZE(dicts); ++i) {
			lzma_options_lzma o = { .dict_size = dicts[i][0] };
			lzma_filter e = { LZMA_FILTER_LZMA2, &o }, d = e;
			uint32_t size = 0;
			uint8_t p[1];
			CHECK_RET(lzma_properties_size(&size, &e), LZMA_OK);
			CHECK_EQ(size, 1);
			CHECK_RET(lzma_properties_encode(&e, p), LZMA_OK);
			CHECK_RET(lzma_properties_decode(&d, NULL, p, 1), LZMA_OK);
			CHECK_EQ(((lzma_options_lzma *)d.options)->dict_size,
				 dicts[i][1]);
			free(d.options);
		}
		lzma_filter u = { 0x7F, NULL };
		uint32_t size;
		CHECK_RET(lzma_properties_size(&size, &u), LZMA_OPTIONS_ERROR);
		u.id = LZMA_VLI_UNKNOWN;
		CHECK_RET(lzma_properties_size(&size, &u), LZMA_PROG_ERROR);
	}
}


int main(void)
{
	test_vli();
	test_stream_flags();
	test_block_header();
	test_index_hash();
	test_filter_registry();
	return t_done();
}
