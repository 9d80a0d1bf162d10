/*
 * lzma_dec.h -- the LZMA and LZMA2 decoders (lzma-specification.txt;
 * xz-file-format.txt 5.3.1 for LZMA2's chunks).
 *
 * Layer rule: includes lib/common, lib/rangecoder, lib/lz.
 */
#ifndef CLEARXZ_LZMA_DEC_H
#define CLEARXZ_LZMA_DEC_H

#include "common/common.h"

/* Memory the decoder needs for these options (dictionary + state);
 * UINT64_MAX when the options are invalid. The figure is the larger of
 * what clearxz allocates and what liblzma reports, so that memory limits
 * and "xz -lvv" give liblzma's numbers and are never below the truth:
 * liblzma reports the dictionary size plus a fixed figure for its decoder
 * state, the same for every lc/lp/pb (measured with the system liblzma
 * 5.4.1 on x86-64: lzma_raw_decoder_memusage() minus its 32 KiB base). */
uint64_t xzc_lzma_decoder_memusage(const lzma_options_lzma *opt);
#define XZC_LZMA1_DEC_LIBLZMA_STATE UINT64_C(32640)

/* The same for LZMA2 (only opt->dict_size matters). */
uint64_t xzc_lzma2_decoder_memusage(const lzma_options_lzma *opt);
#define XZC_LZMA2_DEC_LIBLZMA_STATE UINT64_C(32824)

/* LZMA1 (the .lzma and .lz payload and the raw LZMA1/LZMA1EXT filters).
 * uncomp_size: the exact uncompressed size, or LZMA_VLI_UNKNOWN when the
 * data must end with the end-of-payload marker (EOPM).
 * allow_eopm: with a known size, whether an EOPM may follow the last byte.
 * The decoder never reads input past the end of its range-coded data, so a
 * container can parse what follows (the .lz member trailer). */
lzma_ret xzc_lzma1_decoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt,
				uint64_t uncomp_size, bool allow_eopm);

/* LZMA2 (the .xz payload): opt->dict_size is the only field used. */
lzma_ret xzc_lzma2_decoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt);

/* Filter properties (xz-file-format.txt 5.3.1, lzma-specification.txt
 * "lzma header"). Decode allocates *opt with a; encode writes the bytes.
 * lzma1 props: 5 bytes (lc/lp/pb byte + dict size); lzma2 props: 1 byte. */
lzma_ret xzc_lzma1_props_decode(void **opt, const lzma_allocator *a,
				const uint8_t *props, size_t props_size);
lzma_ret xzc_lzma2_props_decode(void **opt, const lzma_allocator *a,
				const uint8_t *props, size_t props_size);
/* lc/lp/pb from the first byte of LZMA1 properties; false if invalid. */
bool xzc_lzma_lclppb_decode(lzma_options_lzma *opt, uint8_t byte);

#endif
