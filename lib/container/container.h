/*
 * container.h -- the container layer: everything around the compressed
 * payload. The .xz format (xz-file-format.txt): variable-length integers
 * (1.2), stream header and footer (2.1), block header and block (3), index
 * (4), filter chains (5). The foreign formats .lzma (lzma-specification.txt,
 * "lzma header") and .lz (lzip manual, "File format"). And the raw filter
 * chain that every one of them feeds its payload through.
 *
 * Data flow when decoding .xz (each arrow: the left coder owns the right
 * one and pulls output from it):
 *
 *   stream decoder -> block decoder -> filter 0 -> ... -> LZMA2 decoder
 *        |                 |
 *        |                 +-- sizes, block padding, check (3.2 - 3.4)
 *        +-- stream header/footer, block headers, index_hash (2.1, 3.1, 4)
 *
 * Public entry points of this layer that are plain functions on buffers
 * (lzma_vli_*, lzma_stream_header_*, lzma_block_header_*, lzma_index_hash_*,
 * lzma_filter_flags_*, lzma_properties_*) are defined in the files of this
 * folder. The ones that create an lzma_stream coder live in lib/api and call
 * the xzc_*_init() functions below.
 *
 * Layer rule: includes lib/common, lib/check, lib/filters, lib/lzma.
 */
#ifndef CLEARXZ_CONTAINER_H
#define CLEARXZ_CONTAINER_H

#include "common/common.h"

/* Filter IDs from 2^62 up are for implementation-internal use and must
 * never appear in a List of Filter Flags (xz-file-format.txt 3.1.5). */
#define XZC_FILTER_RESERVED_START (UINT64_C(1) << 62)

/* The decoder flags liblzma's .xz, .lz and auto decoders accept. */
#define XZC_DECODER_FLAGS \
	(LZMA_TELL_NO_CHECK | LZMA_TELL_UNSUPPORTED_CHECK \
	 | LZMA_TELL_ANY_CHECK | LZMA_IGNORE_CHECK | LZMA_CONCATENATED \
	 | LZMA_FAIL_FAST)

/* ---- the filter registry (filter_chain.c) --------------------------------
 *
 * One row per filter ID, for both directions. A row says where the filter
 * may stand in a chain (xz-file-format.txt 5.2) and how to create its coder,
 * read and write its properties (5.3) and estimate its memory.
 *
 * Function pointers that are NULL mean "not available in this build": the
 * encoder fields stay NULL until the encoders land, and the chain builder
 * then answers LZMA_OPTIONS_ERROR, just as for an unknown filter ID.
 */
typedef struct {
	lzma_vli id;

	/* Chain rules, xz-file-format.txt 5.2. */
	bool non_last_ok;       /* may be followed by another filter */
	bool last_ok;           /* may end a chain (can mark its own end) */
	bool changes_size;      /* at most 3 such filters in a chain */

	/* Create the coder of one chain element. next is the already built
	 * rest of the chain (empty for the last filter); on success it has
	 * been moved into c. f->options has been checked by memusage() to be
	 * valid for this filter. */
	lzma_ret (*decoder_init)(xzc_coder *c, const lzma_allocator *a,
				 const lzma_filter *f, xzc_coder *next);
	lzma_ret (*encoder_init)(xzc_coder *c, const lzma_allocator *a,
				 const lzma_filter *f, xzc_coder *next);

	/* Memory the coder needs for these options, or UINT64_MAX when the
	 * options are invalid (this is also the options validator). */
	uint64_t (*decoder_memusage)(const void *options);
	uint64_t (*encoder_memusage)(const void *options);

	/* Filter Properties (5.3): decode allocates *options with a (leaves
	 * NULL when the filter takes no options); size/encode write them. */
	lzma_ret (*props_decode)(void **options, const lzma_allocator *a,
				 const uint8_t *props, size_t props_size);
	lzma_ret (*props_size)(uint32_t *size, const void *options);
	lzma_ret (*props_encode)(const void *options, uint8_t *out);
} xzc_filter_info;

/* The row for id, or NULL when the ID is unknown. */
const xzc_filter_info *xzc_filter_find(lzma_vli id);

/* Check a chain against 5.2: 1..4 filters terminated by LZMA_VLI_UNKNOWN,
 * every ID known, only the last one a "last" filter, at most 3 that change
 * the size. *count gets the number of filters. LZMA_PROG_ERROR for an empty
 * or NULL chain, LZMA_OPTIONS_ERROR for a chain the rules reject. */
lzma_ret xzc_filters_validate(const lzma_filter *filters, size_t *count);

/* Build the coder of a whole chain, last filter first, so that filter 0 is
 * the outermost coder (the one lzma_code() talks to). */
lzma_ret xzc_raw_decoder_init(xzc_coder *c, const lzma_allocator *a,
			      const lzma_filter *filters);
lzma_ret xzc_raw_encoder_init(xzc_coder *c, const lzma_allocator *a,
			      const lzma_filter *filters);

/* Memory a chain needs: the sum of its filters plus XZC_MEMUSAGE_BASE,
 * as liblzma counts it; UINT64_MAX for an invalid chain or options. */
uint64_t xzc_raw_coder_memusage(const lzma_filter *filters, bool encoder);

/* Free the options of filters[0..] up to LZMA_VLI_UNKNOWN (at most
 * LZMA_FILTERS_MAX), and set each id to LZMA_VLI_UNKNOWN. */
void xzc_filters_free(lzma_filter *filters, const lzma_allocator *a);

/* Verify a Stream Footer (xz-file-format.txt 2.1.2) against what the
 * stream decoders saw: magic (bad magic inside a stream is corruption,
 * 2.1.2.4), Backward Size equal to the real Index size (2.1.2.2) and the
 * same flags as the Stream Header (2.1.2.3). Shared by the single- and
 * multithreaded .xz decoders. */
lzma_ret xzc_stream_footer_verify(const uint8_t footer[LZMA_STREAM_HEADER_SIZE],
				  const lzma_stream_flags *header,
				  const lzma_index_hash *index_hash);

/* ---- the .xz stream parser (stream_parse.c) -------------------------------
 *
 * What both .xz decoders (stream_dec.c, threads/mt_dec.c) read the same
 * way: Stream Header (2.1.1), the bytes of each Block Header (3.1), Index
 * (4, checked by index_hash), Stream Footer (2.1.2), Stream Padding (2.2).
 * In XZC_SEQ_BLOCK_INIT buffer[] holds a complete Block Header of
 * block.header_size bytes; from there the decoder runs its own states
 * (numbered from XZC_SEQ_OWN) and sets XZC_SEQ_BLOCK_HEADER when it is
 * done with the Block, after adding it to index_hash (4.3).
 */
enum {
	XZC_SEQ_STREAM_HEADER,
	XZC_SEQ_BLOCK_HEADER,
	XZC_SEQ_BLOCK_INIT,     /* the decoder's: a header is in buffer[] */
	XZC_SEQ_INDEX,
	XZC_SEQ_STREAM_FOOTER,
	XZC_SEQ_STREAM_PADDING,
	XZC_SEQ_END,            /* the file ended where it may */
	XZC_SEQ_OWN,            /* the decoders' own states start here */
};

typedef struct {
	unsigned seq;
	uint32_t flags;                 /* LZMA_TELL_*, LZMA_IGNORE_CHECK ... */
	bool first_stream;              /* bad magic: FORMAT_ERROR only here */
	lzma_block block;               /* of the current Block Header */
	lzma_filter filters[LZMA_FILTERS_MAX + 1];      /* its chain */
	lzma_stream_flags stream_flags; /* of the current stream's header */
	lzma_index_hash *index_hash;    /* Blocks of the current stream */
	/* Bytes collected in buffer[]; in STREAM_PADDING, the padding
	 * length modulo 4. */
	size_t pos;
	uint8_t buffer[LZMA_BLOCK_HEADER_SIZE_MAX];
} xzc_stream_parser;

/* LZMA_MEM_ERROR, or LZMA_OK with seq = XZC_SEQ_STREAM_HEADER. */
lzma_ret xzc_parser_init(xzc_stream_parser *p, const lzma_allocator *a,
			 uint32_t flags);
void xzc_parser_end(xzc_stream_parser *p, const lzma_allocator *a);
/* Run the parser's state p->seq once (not BLOCK_INIT, END or a decoder's
 * own: LZMA_PROG_ERROR). Returns LZMA_OK, an error, or after a Stream
 * Header the LZMA_TELL_* code the caller asked for. */
lzma_ret xzc_parser_step(xzc_stream_parser *p, const lzma_allocator *a,
			 const uint8_t *in, size_t *in_pos, size_t in_size,
			 lzma_action action);
/* In XZC_SEQ_BLOCK_INIT: decode buffer[] into block and filters (3.1),
 * with the stream's check and LZMA_IGNORE_CHECK. */
lzma_ret xzc_parser_block_header_decode(xzc_stream_parser *p,
					const lzma_allocator *a);

/* ---- the .xz block decoder (block_dec.c) ---------------------------------
 *
 * Decodes Compressed Data, Block Padding and Check of one block (3.2-3.4)
 * whose header has been parsed into *block by lzma_block_header_decode().
 * The coder keeps the pointer: *block must stay alive until the coder is
 * ended. On LZMA_STREAM_END, block->compressed_size and
 * block->uncompressed_size hold the real sizes and block->raw_check the
 * stored check. block->ignore_check (with version >= 1) skips verification.
 * A check ID this build does not support is skipped without verifying.
 */
lzma_ret xzc_block_decoder_init(xzc_coder *c, const lzma_allocator *a,
				lzma_block *block);

/* ---- whole-file decoders ---------------------------------------------------
 *
 * memlimit 0 is treated as 1 (nothing fits), like liblzma. flags: any of
 * XZC_DECODER_FLAGS (LZMA_OPTIONS_ERROR for others). Each coder implements
 * memconfig(); the .xz, .lz and auto decoders implement get_check(). When a
 * decoder needs more memory than the limit it returns LZMA_MEMLIMIT_ERROR
 * and can be called again after the limit has been raised.
 */
lzma_ret xzc_stream_decoder_init(xzc_coder *c, const lzma_allocator *a,
				 uint64_t memlimit, uint32_t flags);

/* .lzma. picky: reject headers that are legal but that no known encoder
 * writes (dictionary size not 2^n or 2^n + 2^(n-1), known size >= 256 GiB),
 * so that lzma_auto_decoder() does not take random data for .lzma.
 * lzma_alone_decoder() is not picky. */
lzma_ret xzc_alone_decoder_init(xzc_coder *c, const lzma_allocator *a,
				uint64_t memlimit, bool picky);

lzma_ret xzc_lzip_decoder_init(xzc_coder *c, const lzma_allocator *a,
			       uint64_t memlimit, uint32_t flags);

lzma_ret xzc_auto_decoder_init(xzc_coder *c, const lzma_allocator *a,
			       uint64_t memlimit, uint32_t flags);

#endif
