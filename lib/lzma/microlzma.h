/*
 * microlzma.h -- MicroLZMA, the LZMA1 variant of the EROFS file system
 * (liblzma 5.4+'s lzma_microlzma_encoder()/decoder(); xz-embedded has a
 * decoder): raw LZMA1 data without an end marker whose first byte -- the
 * range coder's first output byte, always 0x00 -- is replaced by the
 * bitwise negation of the lc/lp/pb properties byte
 * ((pb * 5 + lp) * 9 + lc, lzma-specification.txt "lzma header"). The
 * uncompressed and compressed sizes and the dictionary size are stored by
 * the container, not in the data.
 *
 * Layer rule: includes lib/common (the coders use the LZMA encoder and
 * decoder of this folder).
 */
#ifndef CLEARXZ_MICROLZMA_H
#define CLEARXZ_MICROLZMA_H

#include "common/common.h"

/* The encoder codes as much input as fits into the output in one call with
 * LZMA_FINISH (any other action: LZMA_PROG_ERROR; so is less than 6 bytes
 * of output space) and returns LZMA_STREAM_END; *in_pos tells how much
 * input was coded. LZMA_OPTIONS_ERROR for invalid options. */
lzma_ret xzc_microlzma_encoder_init(xzc_coder *c, const lzma_allocator *a,
				    const lzma_options_lzma *opt);

/* comp_size: the exact size of the data; uncomp_size: its exact
 * uncompressed size, or with uncomp_size_is_exact false a size not beyond
 * it (decoding stops there). */
lzma_ret xzc_microlzma_decoder_init(xzc_coder *c, const lzma_allocator *a,
				    uint64_t comp_size, uint64_t uncomp_size,
				    bool uncomp_size_is_exact,
				    uint32_t dict_size);

#endif
