/*
 * xzwriter.h -- a small, standalone .xz writer for tests, able to break
 * one field at a time; plus .lzma and .lz container builders.
 *
 * Section numbers are those of the .xz file format specification
 * (xz-file-format.txt, version 1.x), "lzma" refers to the .lzma header as
 * the LZMA SDK defines it, and "lzip" to the lzip manual's "File format".
 *
 * The writer needs no compressor: Compressed Data is LZMA2 made of
 * uncompressed chunks only (control byte 0x01 = uncompressed with
 * dictionary reset, 0x02 = uncompressed without reset, 0x00 = end), which
 * every LZMA2 decoder must accept. Checks (CRC32, CRC64, SHA-256) are
 * computed here, independent of the library under test.
 *
 * Each breakage changes exactly one field and keeps every other field,
 * including the CRC32s that cover the broken one, consistent; so a decoder
 * that rejects the file can only have rejected it for that field.
 */
#ifndef CLEARXZ_XZWRITER_H
#define CLEARXZ_XZWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "testutil.h"

typedef enum {
	XW_GOOD = 0,
	/* 2.1.1.1 Header Magic Bytes: the last magic byte is 0x01. */
	XW_HEADER_MAGIC,
	/* 2.1.1.2 Stream Flags: a reserved bit (0x10 of the second byte) set
	 * in the Stream Header (the footer keeps the good flags). */
	XW_HEADER_FLAGS_RESERVED,
	/* 2.1.1.3 CRC32 of the Stream Header is off by one bit. */
	XW_HEADER_CRC,
	/* 3.1.2 Block Flags: reserved bit 0x04 set. */
	XW_BLOCK_FLAGS_RESERVED,
	/* 3.1.5 Block Header has Compressed and Uncompressed Size but ends
	 * before the List of Filter Flags (needs both sizes < 128). */
	XW_BLOCK_NO_FILTER_FLAGS,
	/* 3.1.5 Block Header ends in the middle of the LZMA2 Filter Flags:
	 * ID and Size of Properties are there, the property byte is not. */
	XW_BLOCK_FILTER_TRUNCATED,
	/* 3.1.6 Header Padding: a non-null byte (a field unknown to us). */
	XW_BLOCK_HEADER_PADDING,
	/* 3.1.7 CRC32 of the Block Header is off by one bit. */
	XW_BLOCK_HEADER_CRC,
	/* 3.1.3 Compressed Size is zero (it must be non-zero). */
	XW_BLOCK_CSIZE_ZERO,
	/* 3.1.3 Compressed Size is one more than the real size. */
	XW_BLOCK_CSIZE_BIG,
	/* 3.1.3 Compressed Size is one less than the real size. */
	XW_BLOCK_CSIZE_SMALL,
	/* 3.1.3 Compressed Size is 2^63 - 1: the Block could not fit in a
	 * Stream (whose total size must stay below 2^63, section 2.1). */
	XW_BLOCK_CSIZE_HUGE,
	/* 3.1.4 Uncompressed Size is one more than the real size. */
	XW_BLOCK_USIZE_BIG,
	/* 3.1.4 Uncompressed Size is one less than the real size (needs
	 * non-empty data). */
	XW_BLOCK_USIZE_SMALL,
	/* 1.2 Multibyte Integers: Uncompressed Size written with a needless
	 * trailing 0x00 continuation byte (not the shortest encoding). */
	XW_VLI_NOT_MINIMAL,
	/* 1.2 Multibyte Integers: Uncompressed Size written in ten bytes
	 * (the maximum is nine). */
	XW_VLI_TOO_LONG,
	/* 5.3 / 5.4 Filter ID 0x7F is not defined: unsupported. */
	XW_FILTER_UNKNOWN_ID,
	/* 5.3.3 / 5.1 Delta alone: only LZMA2 may be the last filter. */
	XW_FILTER_DELTA_LAST,
	/* 5.3.1 LZMA2 twice: LZMA2 may only be the last filter. */
	XW_FILTER_LZMA2_NOT_LAST,
	/* 5.3.1 LZMA2 Size of Properties is 2 (must be 1). */
	XW_FILTER_LZMA2_PROPS_SIZE,
	/* 5.3.1 LZMA2 dictionary size byte 41 (valid values are 0..40). */
	XW_FILTER_LZMA2_DICT,
	/* 3.2 LZMA2: the first chunk is uncompressed without dictionary reset
	 * (0x02): the first chunk must reset the dictionary. */
	XW_LZMA2_NO_DICT_RESET,
	/* 3.2 LZMA2: the first chunk has the reserved control byte 0x03. */
	XW_LZMA2_RESERVED_CONTROL,
	/* 3.2 LZMA2 (needs raw_lzma2 data from xz): the first LZMA chunk
	 * resets the state without new properties (control 0xA0, and its
	 * properties byte removed): LZMA properties are not known yet. */
	XW_LZMA2_NO_PROPS,
	/* 3.2 LZMA2 (needs raw_lzma2): the first LZMA chunk's properties
	 * byte is 225, beyond (4 * 5 + 4) * 9 + 8 = 224. */
	XW_LZMA2_BAD_PROPS,
	/* 3.2 LZMA2 (needs raw_lzma2): the first LZMA chunk's compressed
	 * size is one less than it is (the range decoder runs short). */
	XW_LZMA2_CHUNK_SHORT,
	/* 3.3 Block Padding: a non-null byte (needs padding to exist). */
	XW_BLOCK_PADDING,
	/* 3.4 Check: the first byte of the Check is wrong (needs a check). */
	XW_CHECK,
	/* 4.1 Index Indicator is 0x01 instead of 0x00 (read as a Block Header
	 * that is cut by the index). */
	XW_INDEX_INDICATOR,
	/* 4.2 Number of Records one more than there are Blocks (an extra
	 * record is written, as if a Block were missing). */
	XW_INDEX_COUNT_MORE,
	/* 4.2 Number of Records one less than there are Blocks (the last
	 * record is left out; needs a Block). */
	XW_INDEX_COUNT_FEWER,
	/* 4.3.1 Unpadded Size of a record is 4 more than the Block's. */
	XW_INDEX_UNPADDED,
	/* 4.3.1 Unpadded Size of a record is zero (the minimum is 5). */
	XW_INDEX_UNPADDED_ZERO,
	/* 4.3.2 Uncompressed Size of a record is one more than the Block's. */
	XW_INDEX_USIZE,
	/* 4.4 Index Padding: a non-null byte (needs padding to exist). */
	XW_INDEX_PADDING,
	/* 4.5 CRC32 of the Index is off by one bit. */
	XW_INDEX_CRC,
	/* 2.1.2.1 CRC32 of the Stream Footer is off by one bit. */
	XW_FOOTER_CRC,
	/* 2.1.2.2 Backward Size is one unit (4 bytes) too big. */
	XW_FOOTER_BACKWARD_SIZE,
	/* 2.1.2.3 Stream Flags of the footer differ from the header's (the
	 * Check ID's lowest bit is flipped; CRC32 is correct). */
	XW_FOOTER_FLAGS_MISMATCH,
	/* 2.1.2.4 Footer Magic Bytes: 'Y' 'Y' instead of 'Y' 'Z'. */
	XW_FOOTER_MAGIC,
	/* 2.2 Stream Padding: one null byte more, not a multiple of four. */
	XW_PADDING_NOT_MULTIPLE_OF_4,
	/* 2.2 Stream Padding: the last padding byte is 0x01 (needs padding);
	 * read as the start of another Stream's Header Magic Bytes. */
	XW_PADDING_NON_NULL,
	XW_BREAK_COUNT
} xw_break;

/* Name of a breakage ("header_magic", ...), for case names. */
const char *xw_break_name(xw_break brk);

/* One Block: its uncompressed data and how its header is written. */
typedef struct {
	const uint8_t *data;
	size_t size;
	bool csize;           /* store Compressed Size (3.1.3) */
	bool usize;           /* store Uncompressed Size (3.1.4) */
	uint32_t header_pad;  /* extra Header Padding bytes, a multiple of 4 (3.1.6) */
	uint32_t delta_dist;  /* 0: LZMA2 alone; 1..256: Delta (5.3.3) then LZMA2 */
	uint32_t chunk;       /* max uncompressed bytes per LZMA2 chunk, 1..65536; 0 = 65536 */
	uint8_t dict;         /* LZMA2 dictionary size byte, 0..40 (5.3.1) */
	/* If not NULL: Compressed Data is this raw LZMA2 stream (e.g. from
	 * xw_xz_raw()) instead of uncompressed chunks; it must decode to
	 * data/size (without delta_dist) and fit a dictionary of `dict`. */
	const uint8_t *raw_lzma2;
	size_t raw_lzma2_size;
} xw_block;

/* One Stream: its check, its Blocks, the Stream Padding after it, and the
 * one field to break. */
typedef struct {
	uint32_t check;          /* Check ID 0..15 (2.1.1.2); any ID is written */
	const xw_block *blocks;
	size_t nblocks;
	uint32_t padding;        /* Stream Padding after the footer (2.2) */
	xw_break brk;
	size_t brk_block;        /* the Block that a Block breakage hits */
} xw_stream;

/* Append the Stream to out. Returns false (and appends nothing) if the
 * breakage cannot apply to this Stream (e.g. XW_CHECK with check 0). */
bool xw_write(t_buf *out, const xw_stream *s);

/* Shorthand: one Stream with one Block of data (both sizes stored when
 * sizes is true), the given check and breakage. */
bool xw_simple(t_buf *out, uint32_t check, const uint8_t *data, size_t size,
	       bool sizes, xw_break brk);

/* Size in bytes of the Check field for a Check ID (2.1.1.2 table). */
uint32_t xw_check_size(uint32_t check);

/* Checks computed here, independent of the library under test (section 6
 * of the spec for CRC32/CRC64; FIPS 180-4 for SHA-256). */
uint32_t xw_crc32(const uint8_t *buf, size_t size, uint32_t crc);
uint64_t xw_crc64(const uint8_t *buf, size_t size, uint64_t crc);
void xw_sha256(const uint8_t *buf, size_t size, uint8_t digest[32]);
/* Lowercase hex of a SHA-256, into hex[65]. */
void xw_sha256_hex(const uint8_t *buf, size_t size, char hex[65]);

/* ---- .lzma and .lz containers around real LZMA1 data ---------------------- */

/* Raw data made by "/usr/bin/xz --format=raw FILTERS -c", e.g. FILTERS =
 * "--lzma2=preset=6,dict=64KiB". False if xz failed. */
bool xw_xz_raw(t_buf *out, const char *filters, const uint8_t *data, size_t size);

/* Raw LZMA1 data (with end-of-payload marker) of data, made by
 * "/usr/bin/xz --format=raw --lzma1=OPTS". False if xz failed. */
bool xw_xz_raw_lzma1(t_buf *out, const char *opts, const uint8_t *data, size_t size);

#define XW_ALONE_UNKNOWN_SIZE UINT64_MAX

/* A .lzma file: properties byte ((pb * 5 + lp) * 9 + lc), dictionary size
 * (32-bit LE), uncompressed size (64-bit LE, all ones = unknown), then the
 * raw LZMA1 data. */
void xw_alone(t_buf *out, uint8_t props, uint32_t dict_size, uint64_t usize,
	      const uint8_t *raw, size_t raw_size);

typedef enum {
	XW_LZ_GOOD = 0,
	XW_LZ_MAGIC,         /* "LZIQ" instead of "LZIP" */
	XW_LZ_VERSION,       /* version 2: not defined by the lzip manual */
	XW_LZ_DICT_SMALL,    /* coded dictionary size 2 KiB (minimum is 4 KiB) */
	XW_LZ_DICT_LARGE,    /* coded dictionary size 1 GiB (maximum is 512 MiB) */
	XW_LZ_CRC,           /* trailer CRC32 of the data is wrong */
	XW_LZ_DATA_SIZE,     /* trailer Data Size is one too big */
	XW_LZ_MEMBER_SIZE,   /* trailer Member Size is one too big (v1 only) */
	XW_LZ_BREAK_COUNT
} xw_lz_break;

const char *xw_lz_break_name(xw_lz_break brk);

/* An lzip member (version 0 or 1) around raw LZMA1 data made with lc=3,
 * lp=0, pb=2 and an end marker: header "LZIP", version, coded dictionary
 * size; trailer CRC32 and size of the uncompressed data, and (v1) the
 * member size. data/size is the uncompressed data (for the trailer). */
void xw_lzip(t_buf *out, int version, uint32_t dict_size,
	     const uint8_t *data, size_t size,
	     const uint8_t *raw, size_t raw_size, xw_lz_break brk);

/* ---- driving a decoder ---------------------------------------------------- */

/* Like t_code() but bounded: if lzma_code() returns LZMA_OK 100 times in
 * a row without consuming input or producing output, give up and return
 * XW_HANG, so a looping decoder fails a test instead of hanging it; more
 * than 256 MiB of output returns XW_TOO_MUCH. in_chunk/out_chunk: bytes
 * offered per call (0 = all). If told is not NULL, LZMA_NO_CHECK,
 * LZMA_UNSUPPORTED_CHECK and LZMA_GET_CHECK do not stop decoding: the
 * first of them is stored in *told (which the caller sets to LZMA_OK). */
#define XW_HANG ((lzma_ret)1000)
#define XW_TOO_MUCH ((lzma_ret)1001)
lzma_ret xw_decode(lzma_stream *strm, const uint8_t *in, size_t in_size,
		   size_t in_chunk, size_t out_chunk, t_buf *out, lzma_ret *told);

/* Name of an lzma_ret ("LZMA_DATA_ERROR"), for messages. */
const char *xw_ret_name(lzma_ret ret);

#endif
