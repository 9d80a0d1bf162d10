/*
 * filters.h -- the filters that are not compressors: delta and the BCJ
 * (branch/call/jump) converters. Each is a coder in a filter chain
 * (see xzc_coder in common.h): it owns the next coder of the chain.
 *
 * Decoder chains pull: filter i asks filter i+1 for data, then converts it
 * in place in the caller's output buffer. Encoder chains push: filter i
 * converts the input, then hands it to filter i+1.
 *
 * Layer rule: includes only lib/common.
 */
#ifndef CLEARXZ_FILTERS_H
#define CLEARXZ_FILTERS_H

#include "common/common.h"

/* All inits: on success *next has been moved into the new coder (and left
 * empty); on failure *next is untouched and still owned by the caller.
 * Options are validated here (LZMA_OPTIONS_ERROR when invalid). */

lzma_ret xzc_delta_decoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_delta *opt, xzc_coder *next);
lzma_ret xzc_delta_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_delta *opt, xzc_coder *next);

/* BCJ filters by filter ID (LZMA_FILTER_X86 ... LZMA_FILTER_RISCV).
 * opt may be NULL (start offset 0). */
lzma_ret xzc_bcj_decoder_init(xzc_coder *c, const lzma_allocator *a,
			      lzma_vli id, const lzma_options_bcj *opt,
			      xzc_coder *next);
lzma_ret xzc_bcj_encoder_init(xzc_coder *c, const lzma_allocator *a,
			      lzma_vli id, const lzma_options_bcj *opt,
			      xzc_coder *next);

/* The raw conversion of one buffer: converts what it can of buf[0..size)
 * in place and returns how many bytes are final (the rest, at most a few
 * bytes, must be presented again with more data after it).
 * now_pos is the stream position of buf[0] plus the start offset.
 * state points to XZC_BCJ_STATE_WORDS words that are all zero before the
 * first call of a stream and are kept between calls (only x86 uses them).
 * The start offset must be a multiple of the filter's alignment (1 for x86,
 * 2 ARM-Thumb and RISC-V, 16 IA-64, 4 the others); the inits check it. */
#define XZC_BCJ_STATE_WORDS 2
typedef size_t (*xzc_bcj_fn)(uint32_t *state, uint32_t now_pos, bool encode,
			     uint8_t *buf, size_t size);
xzc_bcj_fn xzc_bcj_function(lzma_vli id);   /* NULL if id is not a BCJ */

/* Memory a filter coder uses (for lzma_memusage()). */
uint64_t xzc_delta_memusage(void);
uint64_t xzc_bcj_memusage(void);

#endif
