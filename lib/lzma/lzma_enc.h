/*
 * lzma_enc.h -- the LZMA and LZMA2 encoders (lzma-specification.txt;
 * xz-file-format.txt 5.3.1 for LZMA2's chunks), as xzc_coder instances
 * for the filter chains of lib/container.
 *
 * Both encoders are the last coder of a chain: code() takes the
 * uncompressed bytes and writes the compressed ones. Actions:
 *   LZMA_RUN          code what the lookahead allows; LZMA_OK
 *   LZMA_SYNC_FLUSH,  (LZMA2) code all input, end the chunk, so that the
 *   LZMA_FULL_FLUSH,  output so far decodes to all input so far; returns
 *   LZMA_FULL_BARRIER LZMA_STREAM_END when done and all output is out.
 *                     LZMA1 cannot flush: LZMA_OPTIONS_ERROR.
 *   LZMA_FINISH       code all input, then the end: LZMA2's end marker
 *                     0x00, LZMA1's end-of-payload marker if asked;
 *                     LZMA_STREAM_END when all output is out.
 * The output bytes depend only on the input bytes, the options and where
 * flushes happened -- never on how in and out were split into calls.
 *
 * Layer rule: includes lib/common (the rest is internal to lib/lzma).
 */
#ifndef CLEARXZ_LZMA_ENC_H
#define CLEARXZ_LZMA_ENC_H

#include "common/common.h"

/* Memory the encoder allocates for these options (window, match finder,
 * coder state, buffers); UINT64_MAX when the options are invalid. */
uint64_t xzc_lzma_encoder_memusage(const lzma_options_lzma *opt);

/* LZMA1: eopm = end the data with the end-of-payload marker.
 * uncomp_size: the exact input size when known (the input must then be
 * exactly that long: LZMA_PROG_ERROR otherwise), or LZMA_VLI_UNKNOWN.
 * Without the marker and the size (LZMA1EXT without ALLOW_EOPM) the
 * decoder must learn the size elsewhere. LZMA_OPTIONS_ERROR for invalid
 * options, LZMA_MEM_ERROR. */
lzma_ret xzc_lzma1_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt, bool eopm,
				uint64_t uncomp_size);

/* LZMA2 (the payload of .xz blocks). lc + lp must be at most 4. */
lzma_ret xzc_lzma2_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt);

/* Filter properties: LZMA1's 5 bytes (the lc/lp/pb byte and the dictionary
 * size, lzma-specification.txt "lzma header"); LZMA2's one byte (the
 * dictionary size rounded up to 2^n or 3 * 2^(n-1), xz-file-format.txt
 * 5.3.1). LZMA_OPTIONS_ERROR when the options are invalid. */
lzma_ret xzc_lzma1_props_encode(const lzma_options_lzma *opt, uint8_t out[5]);
lzma_ret xzc_lzma2_props_encode(const lzma_options_lzma *opt, uint8_t out[1]);

#endif
