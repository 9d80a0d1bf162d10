/* xzwriter.c -- test .xz writer with breakages, .lzma/.lz builders; see
 * xzwriter.h. Section numbers refer to xz-file-format.txt. */
#include "xzwriter.h"

#include <stdlib.h>
#include <string.h>

/* ---- CRC32, CRC64 (spec section 6), tables built at first use ----------- */

static uint32_t crc32_table[256];
static uint64_t crc64_table[256];

uint32_t xw_crc32(const uint8_t *buf, size_t size, uint32_t crc)
{
	/* Reflected CRC-32 of IEEE 802.3, polynomial 0xEDB88320. */
	if (crc32_table[1] == 0) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t r = i;
			for (int k = 0; k < 8; k++)
				r = (r >> 1) ^ (0xEDB88320u & (0u - (r & 1)));
			crc32_table[i] = r;
		}
	}
	crc = ~crc;
	for (size_t i = 0; i < size; i++)
		crc = crc32_table[(crc ^ buf[i]) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

uint64_t xw_crc64(const uint8_t *buf, size_t size, uint64_t crc)
{
	/* Reflected CRC-64 of ECMA-182, polynomial 0xC96C5795D7870F42. */
	if (crc64_table[1] == 0) {
		for (uint32_t i = 0; i < 256; i++) {
			uint64_t r = i;
			for (int k = 0; k < 8; k++)
				r = (r >> 1) ^ (UINT64_C(0xC96C5795D7870F42) & (0 - (r & 1)));
			crc64_table[i] = r;
		}
	}
	crc = ~crc;
	for (size_t i = 0; i < size; i++)
		crc = crc64_table[(crc ^ buf[i]) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

/* ---- SHA-256 (FIPS 180-4) ------------------------------------------------- */

/* The constants are the first 32 bits of the fractional parts of the
 * square roots (H0) and cube roots (K) of the first primes (FIPS 180-4
 * 4.2.2, 5.3.3); computed here with exact integer roots instead of being
 * pasted as numbers. */
static uint32_t sha_k[64], sha_h0[8];

static uint32_t frac_root(uint32_t p, int cube)
{
	/* Largest x with x^e <= p * 2^(32e): x = floor(root(p) * 2^32). */
	typedef unsigned __int128 u128;
	u128 target = (u128)p << (cube ? 96 : 64);
	uint64_t lo = 0, hi = (uint64_t)1 << 40;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		u128 v = (u128)mid * mid;
		if (cube)
			v *= mid;
		if (v <= target)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (uint32_t)lo; /* drop the integer part */
}

static void sha_init_tables(void)
{
	uint32_t n = 0;
	for (uint32_t p = 2; n < 64; p++) {
		bool prime = true;
		for (uint32_t d = 2; d * d <= p; d++)
			if (p % d == 0)
				prime = false;
		if (!prime)
			continue;
		if (n < 8)
			sha_h0[n] = frac_root(p, 0);
		sha_k[n++] = frac_root(p, 1);
	}
}

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha_block(uint32_t h[8], const uint8_t blk[64])
{
	uint32_t w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
		       (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, h, sizeof(v));
	for (int i = 0; i < 64; i++) {
		uint32_t s1 = ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + s1 + ch + sha_k[i] + w[i];
		uint32_t s0 = ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + s0 + maj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

void xw_sha256(const uint8_t *buf, size_t size, uint8_t digest[32])
{
	uint32_t h[8];
	uint8_t tail[128] = { 0 };
	if (sha_k[0] == 0)
		sha_init_tables();
	memcpy(h, sha_h0, sizeof(h));
	size_t whole = size & ~(size_t)63, rest = size - whole;
	for (size_t i = 0; i < whole; i += 64)
		sha_block(h, buf + i);
	/* Padding (5.1.1): 0x80, zeros, then the bit length big-endian. */
	if (rest != 0)
		memcpy(tail, buf + whole, rest);
	tail[rest] = 0x80;
	size_t tlen = rest + 9 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)size * 8;
	for (int i = 0; i < 8; i++)
		tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
	for (size_t i = 0; i < tlen; i += 64)
		sha_block(h, tail + i);
	for (int i = 0; i < 32; i++)
		digest[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

void xw_sha256_hex(const uint8_t *buf, size_t size, char hex[65])
{
	uint8_t d[32];
	xw_sha256(buf, size, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* ---- small writers -------------------------------------------------------- */

static void put_le(t_buf *b, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		t_buf_byte(b, (uint8_t)(v >> (8 * i)));
}

/* 1.2 Multibyte Integers: seven bits per byte, low first, 0x80 = more. */
static void put_vli(t_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		t_buf_byte(b, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	t_buf_byte(b, (uint8_t)v);
}

/* Uncompressed Size, written well or with one of the VLI breakages. */
static void put_vli_broken(t_buf *b, uint64_t v, xw_break brk)
{
	if (brk == XW_VLI_NOT_MINIMAL) {
		put_vli(b, v);
		b->data[b->size - 1] |= 0x80; /* say "more follows"... */
		t_buf_byte(b, 0x00);          /* ...and add nothing */
	} else if (brk == XW_VLI_TOO_LONG) {
		for (int i = 0; i < 9; i++)
			t_buf_byte(b, (uint8_t)(((v >> (7 * i)) & 0x7F) | 0x80));
		t_buf_byte(b, 0x01); /* a tenth byte */
	} else {
		put_vli(b, v);
	}
}

uint32_t xw_check_size(uint32_t check)
{
	/* 2.1.1.2: 0 -> 0, 1..3 -> 4, 4..6 -> 8, 7..9 -> 16, 10..12 -> 32,
	 * 13..15 -> 64 bytes. */
	check &= 0x0F;
	if (check == 0)
		return 0;
	return 4u << ((check - 1) / 3);
}

const char *xw_break_name(xw_break brk)
{
	static const char *const names[] = {
		"good", "header_magic", "header_flags_reserved", "header_crc",
		"block_flags_reserved", "block_no_filter_flags",
		"block_filter_truncated", "block_header_padding",
		"block_header_crc", "block_csize_zero", "block_csize_big",
		"block_csize_small", "block_csize_huge", "block_usize_big",
		"block_usize_small", "vli_not_minimal", "vli_too_long",
		"filter_unknown_id", "filter_delta_last",
		"filter_lzma2_not_last", "filter_lzma2_props_size",
		"filter_lzma2_dict", "lzma2_no_dict_reset",
		"lzma2_reserved_control", "lzma2_no_props", "lzma2_bad_props",
		"lzma2_chunk_short", "block_padding", "check",
		"index_indicator", "index_count_more", "index_count_fewer",
		"index_unpadded", "index_unpadded_zero", "index_usize",
		"index_padding", "index_crc", "footer_crc",
		"footer_backward_size", "footer_flags_mismatch", "footer_magic",
		"padding_not_multiple_of_4", "padding_non_null",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == XW_BREAK_COUNT,
		       "one name per breakage");
	return (unsigned)brk < XW_BREAK_COUNT ? names[brk] : "?";
}

/* ---- Block ---------------------------------------------------------------- */

/* 3.2 Compressed Data as LZMA2 uncompressed chunks: control byte, then the
 * chunk's uncompressed size minus one as 16-bit big endian, then the bytes.
 * The first chunk must reset the dictionary (0x01); 0x00 ends the data. */
static bool lzma2_data(t_buf *out, const uint8_t *data, size_t size,
		       uint32_t chunk, xw_break brk)
{
	if (chunk == 0 || chunk > 65536)
		chunk = 65536;
	if (size == 0 && (brk == XW_LZMA2_NO_DICT_RESET || brk == XW_LZMA2_RESERVED_CONTROL))
		return false;
	for (size_t pos = 0; pos < size;) {
		size_t n = size - pos < chunk ? size - pos : chunk;
		uint8_t ctl = pos == 0 ? 0x01 : 0x02;
		if (pos == 0 && brk == XW_LZMA2_NO_DICT_RESET)
			ctl = 0x02;
		if (pos == 0 && brk == XW_LZMA2_RESERVED_CONTROL)
			ctl = 0x03;
		t_buf_byte(out, ctl);
		t_buf_byte(out, (uint8_t)((n - 1) >> 8));
		t_buf_byte(out, (uint8_t)(n - 1));
		t_buf_put(out, data + pos, n);
		pos += n;
	}
	t_buf_byte(out, 0x00);
	return true;
}

/* Raw LZMA2 from xz, copied with the first chunk broken as asked. The
 * chunk header (3.2, LZMA2): control byte; for LZMA chunks (>= 0x80) the
 * bits 5-6 say what is reset (1 state, 2 state + new properties, 3 also
 * the dictionary), then 16 more bits of uncompressed size - 1, compressed
 * size - 1 (16 bits) and, with new properties, the properties byte. */
static bool lzma2_raw(t_buf *out, const uint8_t *raw, size_t size, xw_break brk)
{
	size_t start = out->size;
	t_buf_put(out, raw, size);
	uint8_t *c = out->data + start;
	bool lzma = size >= 6 && c[0] >= 0x80;
	switch (brk) {
	case XW_LZMA2_NO_DICT_RESET:
		if (size < 1 || c[0] == 0x00)
			return false;
		/* Uncompressed 0x01 -> 0x02; LZMA: keep the new properties but
		 * drop the dictionary reset. */
		c[0] = c[0] == 0x01 ? 0x02 : (uint8_t)((c[0] & 0x9F) | 0x40);
		return true;
	case XW_LZMA2_RESERVED_CONTROL:
		if (size < 1)
			return false;
		c[0] = 0x03;
		return true;
	case XW_LZMA2_NO_PROPS:
		if (!lzma || (c[0] & 0x60) < 0x40)
			return false;
		c[0] = (uint8_t)((c[0] & 0x9F) | 0x20);
		memmove(c + 5, c + 6, size - 6); /* drop the properties byte */
		out->size--;
		return true;
	case XW_LZMA2_BAD_PROPS:
		if (!lzma || (c[0] & 0x60) < 0x40)
			return false;
		c[5] = 225;
		return true;
	case XW_LZMA2_CHUNK_SHORT: {
		if (!lzma)
			return false;
		uint32_t csize = ((uint32_t)c[3] << 8 | c[4]) + 1;
		if (csize < 2)
			return false;
		csize -= 2;
		c[3] = (uint8_t)(csize >> 8);
		c[4] = (uint8_t)csize;
		return true;
	}
	default:
		return true;
	}
}

/* 5.3.3.1: the Delta encoder stores each byte minus the byte dist earlier
 * (zeros before the start), so the decoder's sum restores it. */
static uint8_t *delta_encode(const uint8_t *data, size_t size, uint32_t dist)
{
	uint8_t *enc = malloc(size ? size : 1);
	if (enc == NULL)
		abort();
	for (size_t i = 0; i < size; i++)
		enc[i] = (uint8_t)(data[i] - (i >= dist ? data[i - dist] : 0));
	return enc;
}

/* 3.1.5 / 5.3: the List of Filter Flags: ID, Size of Properties, Properties,
 * each filter in the order the encoder applies them. */
static void filter_flags(t_buf *h, const xw_block *b, xw_break brk)
{
	uint8_t lzma2_props = brk == XW_FILTER_LZMA2_DICT ? 41 : b->dict;
	if (brk == XW_FILTER_UNKNOWN_ID) {
		put_vli(h, 0x7F); /* 5.4: not a defined ID */
		put_vli(h, 0);
	}
	if (b->delta_dist != 0 || brk == XW_FILTER_DELTA_LAST) {
		put_vli(h, 0x03); /* 5.3.3 Delta: one byte, distance - 1 */
		put_vli(h, 1);
		t_buf_byte(h, (uint8_t)((b->delta_dist ? b->delta_dist : 1) - 1));
		if (brk == XW_FILTER_DELTA_LAST)
			return;
	}
	int n = brk == XW_FILTER_LZMA2_NOT_LAST ? 2 : 1;
	for (int i = 0; i < n; i++) {
		put_vli(h, 0x21); /* 5.3.1 LZMA2: one byte, dictionary size */
		put_vli(h, brk == XW_FILTER_LZMA2_PROPS_SIZE ? 2 : 1);
		t_buf_byte(h, lzma2_props);
		if (brk == XW_FILTER_LZMA2_PROPS_SIZE)
			t_buf_byte(h, 0);
	}
}

static int filter_count(const xw_block *b, xw_break brk)
{
	switch (brk) {
	case XW_FILTER_DELTA_LAST: return 1;
	case XW_FILTER_UNKNOWN_ID: return b->delta_dist ? 3 : 2;
	case XW_FILTER_LZMA2_NOT_LAST: return b->delta_dist ? 3 : 2;
	default: return b->delta_dist ? 2 : 1;
	}
}

/* 3.1 Block Header. csize is the real size of Compressed Data. */
static bool block_header(t_buf *out, const xw_block *b, uint64_t csize, xw_break brk)
{
	t_buf h = { 0 };
	bool has_c = b->csize || (brk >= XW_BLOCK_CSIZE_ZERO && brk <= XW_BLOCK_CSIZE_HUGE) ||
		     brk == XW_BLOCK_NO_FILTER_FLAGS;
	bool has_u = b->usize || brk == XW_BLOCK_USIZE_BIG || brk == XW_BLOCK_USIZE_SMALL ||
		     brk == XW_VLI_NOT_MINIMAL || brk == XW_VLI_TOO_LONG ||
		     brk == XW_BLOCK_NO_FILTER_FLAGS;
	if (brk == XW_BLOCK_FILTER_TRUNCATED)
		has_c = has_u = false;
	if (brk == XW_BLOCK_USIZE_SMALL && b->size == 0)
		return false;
	/* 3.1.2 Block Flags: number of filters - 1, reserved, sizes present. */
	uint8_t flags = (uint8_t)(filter_count(b, brk) - 1);
	if (has_c)
		flags |= 0x40;
	if (has_u)
		flags |= 0x80;
	if (brk == XW_BLOCK_FLAGS_RESERVED)
		flags |= 0x04;
	t_buf_byte(&h, 0); /* 3.1.1 size, filled in below */
	t_buf_byte(&h, flags);
	if (has_c) {
		uint64_t c = csize;
		if (brk == XW_BLOCK_CSIZE_ZERO)
			c = 0;
		else if (brk == XW_BLOCK_CSIZE_BIG)
			c = csize + 1;
		else if (brk == XW_BLOCK_CSIZE_SMALL)
			c = csize - 1;
		else if (brk == XW_BLOCK_CSIZE_HUGE)
			c = (UINT64_C(1) << 63) - 1;
		put_vli(&h, c);
	}
	if (has_u) {
		uint64_t u = b->size;
		if (brk == XW_BLOCK_USIZE_BIG)
			u++;
		else if (brk == XW_BLOCK_USIZE_SMALL)
			u--;
		put_vli_broken(&h, u, brk);
	}
	if (brk == XW_BLOCK_NO_FILTER_FLAGS) {
		/* Header ends right after the sizes: both must be one byte so
		 * that no padding (which would read as a filter) is needed. */
		if (h.size != 4) {
			t_buf_free(&h);
			return false;
		}
	} else if (brk == XW_BLOCK_FILTER_TRUNCATED) {
		put_vli(&h, 0x21);
		put_vli(&h, 1); /* property byte promised, header ends here */
	} else {
		filter_flags(&h, b, brk);
		/* 3.1.6 Header Padding: nulls to a multiple of four, plus the
		 * extra padding asked for. */
		uint32_t extra = b->header_pad;
		if (brk == XW_BLOCK_HEADER_PADDING && (h.size % 4) == 0 && extra == 0)
			extra = 4;
		while (h.size % 4 != 0)
			t_buf_byte(&h, 0);
		for (uint32_t i = 0; i < extra; i++)
			t_buf_byte(&h, 0);
		if (brk == XW_BLOCK_HEADER_PADDING)
			h.data[h.size - 1] = 0x01;
	}
	size_t total = h.size + 4;
	if (total > 1024 || total % 4 != 0) {
		t_buf_free(&h);
		return false;
	}
	h.data[0] = (uint8_t)(total / 4 - 1); /* 3.1.1: real size = (v + 1) * 4 */
	uint32_t crc = xw_crc32(h.data, h.size, 0); /* 3.1.7 */
	if (brk == XW_BLOCK_HEADER_CRC)
		crc ^= 1;
	put_le(&h, crc, 4);
	t_buf_put(out, h.data, h.size);
	t_buf_free(&h);
	return true;
}

/* 3.4 Check of the uncompressed data; IDs we do not implement are written
 * as zeros of the right size (a decoder cannot verify them anyway). */
static void put_check(t_buf *out, uint32_t check, const uint8_t *data, size_t size,
		      bool broken)
{
	size_t start = out->size;
	uint8_t digest[32];
	switch (check) {
	case 0x01:
		put_le(out, xw_crc32(data, size, 0), 4);
		break;
	case 0x04:
		put_le(out, xw_crc64(data, size, 0), 8);
		break;
	case 0x0A:
		xw_sha256(data, size, digest);
		t_buf_put(out, digest, 32);
		break;
	default:
		for (uint32_t i = 0; i < xw_check_size(check); i++)
			t_buf_byte(out, 0);
		break;
	}
	if (broken)
		out->data[start] ^= 0x01;
}

/* A whole Block (3): header, data, padding, check. Its Unpadded Size
 * (4.3.1: header + compressed data + check) goes to *unpadded. */
static bool write_block(t_buf *out, const xw_block *b, uint32_t check, xw_break brk,
			uint64_t *unpadded)
{
	t_buf data = { 0 };
	const uint8_t *src = b->data;
	uint8_t *enc = NULL;
	bool ok;
	if (b->raw_lzma2 != NULL) {
		ok = lzma2_raw(&data, b->raw_lzma2, b->raw_lzma2_size, brk);
	} else {
		if (b->delta_dist != 0)
			src = enc = delta_encode(b->data, b->size, b->delta_dist);
		ok = brk != XW_LZMA2_NO_PROPS && brk != XW_LZMA2_BAD_PROPS &&
		     brk != XW_LZMA2_CHUNK_SHORT &&
		     lzma2_data(&data, src, b->size, b->chunk, brk);
		free(enc);
	}
	size_t start = out->size;
	ok = ok && block_header(out, b, data.size, brk);
	uint32_t pad = (uint32_t)((4 - data.size % 4) % 4);
	if (brk == XW_BLOCK_PADDING && pad == 0)
		ok = false;
	if (brk == XW_CHECK && xw_check_size(check) == 0)
		ok = false;
	if (ok) {
		size_t hsize = out->size - start;
		t_buf_put(out, data.data, data.size);
		for (uint32_t i = 0; i < pad; i++) /* 3.3 Block Padding */
			t_buf_byte(out, brk == XW_BLOCK_PADDING && i == pad - 1 ? 0x01 : 0x00);
		put_check(out, check, b->data, b->size, brk == XW_CHECK);
		*unpadded = hsize + data.size + xw_check_size(check);
	}
	t_buf_free(&data);
	return ok;
}

/* ---- Stream --------------------------------------------------------------- */

/* 2.1.1 Stream Header. */
static void stream_header(t_buf *out, uint32_t check, xw_break brk)
{
	uint8_t flags[2] = { 0x00, (uint8_t)(check & 0x0F) };
	static const uint8_t magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0x00 };
	t_buf_put(out, magic, 6);
	if (brk == XW_HEADER_MAGIC)
		out->data[out->size - 1] = 0x01;
	if (brk == XW_HEADER_FLAGS_RESERVED)
		flags[1] |= 0x10;
	t_buf_put(out, flags, 2);
	uint32_t crc = xw_crc32(flags, 2, 0);
	put_le(out, brk == XW_HEADER_CRC ? crc ^ 1 : crc, 4);
}

/* 4 Index, with records (unpadded size, uncompressed size) per Block. */
static bool write_index(t_buf *out, const xw_stream *s, const uint64_t *unpadded)
{
	t_buf ix = { 0 };
	size_t n = s->nblocks;
	bool record_brk = s->brk == XW_INDEX_UNPADDED || s->brk == XW_INDEX_UNPADDED_ZERO ||
			  s->brk == XW_INDEX_USIZE;
	if ((s->brk == XW_INDEX_COUNT_FEWER && n == 0) || (record_brk && s->brk_block >= n))
		return false;
	t_buf_byte(&ix, s->brk == XW_INDEX_INDICATOR ? 0x01 : 0x00); /* 4.1 */
	size_t count = n + (s->brk == XW_INDEX_COUNT_MORE) - (s->brk == XW_INDEX_COUNT_FEWER);
	put_vli(&ix, count); /* 4.2 */
	for (size_t i = 0; i < n && i < count; i++) { /* 4.3 */
		uint64_t up = unpadded[i], us = s->blocks[i].size;
		if (i == s->brk_block) {
			if (s->brk == XW_INDEX_UNPADDED)
				up += 4;
			else if (s->brk == XW_INDEX_UNPADDED_ZERO)
				up = 0;
			else if (s->brk == XW_INDEX_USIZE)
				us++;
		}
		put_vli(&ix, up);
		put_vli(&ix, us);
	}
	if (s->brk == XW_INDEX_COUNT_MORE) {
		/* The record of a Block that is not there: a one-byte Block
		 * with an 8-byte header, 4 bytes of LZMA2 and the check. */
		put_vli(&ix, 12 + xw_check_size(s->check));
		put_vli(&ix, 1);
	}
	bool ok = true;
	if (s->brk == XW_INDEX_PADDING && ix.size % 4 == 0)
		ok = false;
	while (ix.size % 4 != 0) /* 4.4 Index Padding */
		t_buf_byte(&ix, s->brk == XW_INDEX_PADDING && (ix.size + 1) % 4 == 0 ? 0x01 : 0x00);
	uint32_t crc = xw_crc32(ix.data, ix.size, 0); /* 4.5 */
	put_le(&ix, s->brk == XW_INDEX_CRC ? crc ^ 1 : crc, 4);
	if (ok)
		t_buf_put(out, ix.data, ix.size);
	t_buf_free(&ix);
	return ok;
}

/* 2.1.2 Stream Footer; index_size is the real size of the Index. */
static void stream_footer(t_buf *out, uint32_t check, size_t index_size, xw_break brk)
{
	uint8_t f[6];
	uint32_t backward = (uint32_t)(index_size / 4 - 1); /* 2.1.2.2 */
	if (brk == XW_FOOTER_BACKWARD_SIZE)
		backward++;
	for (int i = 0; i < 4; i++)
		f[i] = (uint8_t)(backward >> (8 * i));
	f[4] = 0x00;
	f[5] = (uint8_t)(check & 0x0F);
	if (brk == XW_FOOTER_FLAGS_MISMATCH)
		f[5] ^= 0x01;
	uint32_t crc = xw_crc32(f, 6, 0); /* 2.1.2.1 */
	put_le(out, brk == XW_FOOTER_CRC ? crc ^ 1 : crc, 4);
	t_buf_put(out, f, 6);
	t_buf_byte(out, 'Y');
	t_buf_byte(out, brk == XW_FOOTER_MAGIC ? 'Y' : 'Z');
}

bool xw_write(t_buf *out, const xw_stream *s)
{
	t_buf st = { 0 };
	uint64_t *unpadded = calloc(s->nblocks + 1, sizeof(uint64_t));
	bool ok = unpadded != NULL;
	bool block_brk = s->brk >= XW_BLOCK_FLAGS_RESERVED && s->brk <= XW_CHECK;
	if (block_brk && s->brk_block >= s->nblocks)
		ok = false;
	stream_header(&st, s->check, s->brk);
	for (size_t i = 0; ok && i < s->nblocks; i++)
		ok = write_block(&st, &s->blocks[i], s->check,
				 i == s->brk_block ? s->brk : XW_GOOD, &unpadded[i]);
	size_t index_start = st.size;
	ok = ok && write_index(&st, s, unpadded);
	if (ok)
		stream_footer(&st, s->check, st.size - index_start, s->brk);
	/* 2.2 Stream Padding: null bytes, a multiple of four in total. */
	uint32_t pad = s->padding + (s->brk == XW_PADDING_NOT_MULTIPLE_OF_4);
	if (s->brk == XW_PADDING_NON_NULL && pad == 0)
		ok = false;
	for (uint32_t i = 0; i < pad; i++)
		t_buf_byte(&st, s->brk == XW_PADDING_NON_NULL && i == pad - 1 ? 0x01 : 0x00);
	if (ok)
		t_buf_put(out, st.data, st.size);
	t_buf_free(&st);
	free(unpadded);
	return ok;
}

bool xw_simple(t_buf *out, uint32_t check, const uint8_t *data, size_t size,
	       bool sizes, xw_break brk)
{
	xw_block b = { .data = data, .size = size, .csize = sizes, .usize = sizes };
	xw_stream s = { .check = check, .blocks = &b, .nblocks = 1, .brk = brk };
	return xw_write(out, &s);
}

/* ---- .lzma and .lz -------------------------------------------------------- */

bool xw_xz_raw(t_buf *out, const char *filters, const uint8_t *data, size_t size)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "/usr/bin/xz --format=raw %s -c", filters);
	return t_run(cmd, data, size, out) == 0;
}

bool xw_xz_raw_lzma1(t_buf *out, const char *opts, const uint8_t *data, size_t size)
{
	char filters[256];
	snprintf(filters, sizeof(filters), "--lzma1=%s", opts);
	return xw_xz_raw(out, filters, data, size);
}

void xw_alone(t_buf *out, uint8_t props, uint32_t dict_size, uint64_t usize,
	      const uint8_t *raw, size_t raw_size)
{
	t_buf_byte(out, props);
	put_le(out, dict_size, 4);
	put_le(out, usize, 8);
	t_buf_put(out, raw, raw_size);
}

const char *xw_lz_break_name(xw_lz_break brk)
{
	static const char *const names[] = {
		"good", "magic", "version", "dict_small", "dict_large", "crc",
		"data_size", "member_size",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == XW_LZ_BREAK_COUNT,
		       "one name per breakage");
	return (unsigned)brk < XW_LZ_BREAK_COUNT ? names[brk] : "?";
}

/* lzip "DS" byte: bits 4-0 give base = 2^n (n 12..29), bits 7-5 how many
 * sixteenths of base to take away. Smallest coded size >= dict_size. */
static uint8_t lzip_dict_byte(uint32_t dict_size)
{
	for (uint32_t n = 12; n <= 29; n++)
		for (uint32_t w = 7; w <= 7; w--) {
			uint32_t base = UINT32_C(1) << n;
			if (base - w * (base / 16) >= dict_size)
				return (uint8_t)(n | (w << 5));
		}
	return 29;
}

void xw_lzip(t_buf *out, int version, uint32_t dict_size,
	     const uint8_t *data, size_t size,
	     const uint8_t *raw, size_t raw_size, xw_lz_break brk)
{
	uint8_t ds = lzip_dict_byte(dict_size);
	if (brk == XW_LZ_DICT_SMALL)
		ds = 11;
	else if (brk == XW_LZ_DICT_LARGE)
		ds = 30;
	t_buf_put(out, brk == XW_LZ_MAGIC ? "LZIQ" : "LZIP", 4);
	t_buf_byte(out, (uint8_t)(brk == XW_LZ_VERSION ? 2 : version));
	t_buf_byte(out, ds);
	t_buf_put(out, raw, raw_size);
	uint32_t crc = xw_crc32(data, size, 0);
	put_le(out, brk == XW_LZ_CRC ? crc ^ 1 : crc, 4);
	put_le(out, size + (brk == XW_LZ_DATA_SIZE), 8);
	if (version >= 1)
		put_le(out, 6 + raw_size + 20 + (brk == XW_LZ_MEMBER_SIZE), 8);
}

/* ---- driving a decoder ---------------------------------------------------- */

lzma_ret xw_decode(lzma_stream *strm, const uint8_t *in, size_t in_size,
		   size_t in_chunk, size_t out_chunk, t_buf *out, lzma_ret *told)
{
	static uint8_t obuf[65536];
	size_t in_pos = 0;
	unsigned idle = 0;
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
		size_t avail_before = strm->avail_in;
		strm->next_out = obuf;
		strm->avail_out = out_chunk;
		lzma_ret ret = lzma_code(strm, action);
		size_t produced = out_chunk - strm->avail_out;
		t_buf_put(out, obuf, produced);
		if (told != NULL && (ret == LZMA_NO_CHECK || ret == LZMA_UNSUPPORTED_CHECK ||
				     ret == LZMA_GET_CHECK)) {
			if (*told == LZMA_OK)
				*told = ret;
			ret = LZMA_OK;
			idle = 0;
		} else if (ret != LZMA_OK) {
			return ret;
		} else if (produced == 0 && strm->avail_in == avail_before) {
			if (++idle >= 100)
				return XW_HANG;
		} else {
			idle = 0;
		}
		if (out->size > ((size_t)256 << 20))
			return XW_TOO_MUCH;
	}
}

const char *xw_ret_name(lzma_ret ret)
{
	switch ((int)ret) {
	case LZMA_OK: return "LZMA_OK";
	case LZMA_STREAM_END: return "LZMA_STREAM_END";
	case LZMA_NO_CHECK: return "LZMA_NO_CHECK";
	case LZMA_UNSUPPORTED_CHECK: return "LZMA_UNSUPPORTED_CHECK";
	case LZMA_GET_CHECK: return "LZMA_GET_CHECK";
	case LZMA_MEM_ERROR: return "LZMA_MEM_ERROR";
	case LZMA_MEMLIMIT_ERROR: return "LZMA_MEMLIMIT_ERROR";
	case LZMA_FORMAT_ERROR: return "LZMA_FORMAT_ERROR";
	case LZMA_OPTIONS_ERROR: return "LZMA_OPTIONS_ERROR";
	case LZMA_DATA_ERROR: return "LZMA_DATA_ERROR";
	case LZMA_BUF_ERROR: return "LZMA_BUF_ERROR";
	case LZMA_PROG_ERROR: return "LZMA_PROG_ERROR";
	case 1000: return "hang (no progress)";
	case 1001: return "too much output";
	default: return "unknown lzma_ret";
	}
}
