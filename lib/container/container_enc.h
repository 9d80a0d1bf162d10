/*
 * container_enc.h -- the encoder side of the container layer: what wraps
 * compressed data into .xz blocks (xz-file-format.txt 3), the Index (4),
 * whole .xz streams (2), .lzma files (lzma-specification.txt, "lzma header")
 * and .lz members (lzip manual, "File format").
 *
 * Data flow when encoding .xz (each arrow: the left coder owns the right
 * one and pushes input into it):
 *
 *   stream encoder -> block encoder -> filter 0 -> ... -> LZMA2 encoder
 *        |                 |
 *        |                 +-- sizes, Block Padding, Check (3.2 - 3.4)
 *        +-- Stream Header/Footer, Block Headers, the Index (2.1, 3.1, 4)
 *
 * The coders follow the xzc_coder contract of common.h. Public entry points
 * that are plain functions on buffers (lzma_block_buffer_*,
 * lzma_stream_buffer_*, lzma_index_*) live in the files of this folder; the
 * ones that install a coder in an lzma_stream live in lib/api/encoders.c.
 *
 * Layer rule: includes lib/common, lib/check, lib/filters, lib/lzma.
 */
#ifndef CLEARXZ_CONTAINER_ENC_H
#define CLEARXZ_CONTAINER_ENC_H

#include "container/container.h"

/* ---- the .xz block encoder (block_enc.c) ---------------------------------
 *
 * Encodes Compressed Data, Block Padding and Check (3.2-3.4) of one block;
 * the caller writes the Block Header (lzma_block_header_encode()) first, as
 * liblzma's lzma_block_encoder() requires. *block is the caller's and must
 * stay alive until the coder is ended; block->filters is read at init only.
 * Actions: LZMA_RUN, LZMA_SYNC_FLUSH (returns LZMA_STREAM_END when all
 * input so far is decodable; the block goes on), LZMA_FINISH. On the final
 * LZMA_STREAM_END block->compressed_size, block->uncompressed_size and
 * block->raw_check hold the real values.
 * LZMA_PROG_ERROR for a NULL block or a Check ID above 15,
 * LZMA_OPTIONS_ERROR for block->version > 1, LZMA_UNSUPPORTED_CHECK for a
 * check this build cannot compute, and what the filter chain returns.
 */
lzma_ret xzc_block_encoder_init(xzc_coder *c, const lzma_allocator *a,
				lzma_block *block);

/* ---- the Index writer (index.c) ------------------------------------------
 *
 * struct lzma_index_s and the rest of liblzma's index API are in index.c.
 * The writer below turns an lzma_index into the bytes of 4: Index
 * Indicator, Number of Records, List of Records, Index Padding, CRC32. It
 * needs no allocation, so lzma_index_buffer_encode() and the stream encoder
 * can both embed it. The index must not change while a writer runs over it.
 */
typedef struct {
	const lzma_index *index;
	enum {
		XZC_IW_START,           /* indicator and Number of Records */
		XZC_IW_RECORDS,
		XZC_IW_PADDING,
		XZC_IW_CRC32,
		XZC_IW_DONE,
	} seq;
	size_t record;                  /* the next Record to write */
	uint64_t written;               /* bytes before the CRC32 so far */
	uint32_t crc32;                 /* of those bytes */
	size_t buf_pos;                 /* buf[buf_pos .. buf_size) pending */
	size_t buf_size;
	uint8_t buf[2 * LZMA_VLI_BYTES_MAX];
} xzc_index_writer;

void xzc_index_writer_init(xzc_index_writer *w, const lzma_index *i);
/* Write what fits; true when the whole Index is out. */
bool xzc_index_writer_run(xzc_index_writer *w, uint8_t *out, size_t *out_pos,
			  size_t out_size);

/* A coder over the writer (lzma_index_encoder()): RUN and FINISH. */
lzma_ret xzc_index_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_index *i);

/* ---- whole-file encoders ----------------------------------------------------
 *
 * .xz (stream_enc.c): filters are copied (the caller's array may go away
 * after init). Actions: LZMA_RUN, LZMA_SYNC_FLUSH, LZMA_FULL_FLUSH,
 * LZMA_FULL_BARRIER, LZMA_FINISH. The coder implements update()
 * (lzma_filters_update()). Block headers carry no sizes, as xz writes them
 * in single-threaded mode.
 */
lzma_ret xzc_stream_encoder_init(xzc_coder *c, const lzma_allocator *a,
				 const lzma_filter *filters, lzma_check check);

/* .lzma (alone_enc.c): RUN and FINISH; unknown size and the end marker. */
lzma_ret xzc_alone_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt);

/* .lz version 1 (lzip_enc.c): one member; RUN and FINISH. opt must have
 * lc=3, lp=0, pb=2 (the format fixes them) and a dictionary of 4 KiB to
 * 512 MiB, which is rounded up to a size the header can express. */
lzma_ret xzc_lzip_encoder_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_options_lzma *opt);

/* Deep copy of a filter chain (liblzma's lzma_filters_copy()): dst needs
 * LZMA_FILTERS_MAX + 1 entries and is written only on success.
 * LZMA_PROG_ERROR for NULL arguments, LZMA_OPTIONS_ERROR for a chain that
 * is too long or options of a filter ID this build does not know. */
lzma_ret xzc_filters_copy(const lzma_filter *src, lzma_filter *dst,
			  const lzma_allocator *a);

#endif
