/*
 * index.h -- the parts of the Index layer (index.c, index_dec.c) that other
 * files of the library use: the decoders behind lzma_index_decoder() and
 * lzma_file_info_decoder(), which lib/api installs in an lzma_stream.
 * The writer (xzc_index_writer) is declared in container_enc.h.
 *
 * Layer rule: includes lib/common only (through container.h).
 */
#ifndef CLEARXZ_INDEX_H
#define CLEARXZ_INDEX_H

#include "container/container.h"

/* Index Padding bytes (4.4) of the Index field that i encodes to. */
uint32_t xzc_index_padding_size(const lzma_index *i);

/* Decode one Index field (4) into a new lzma_index. *dest is set to NULL
 * now and to the index when the coder returns LZMA_STREAM_END (the caller
 * then owns it). memlimit 0 is taken as 1. Implements memconfig(). */
lzma_ret xzc_index_decoder_init(xzc_coder *c, const lzma_allocator *a,
				lzma_index **dest, uint64_t memlimit);

/* lzma_file_info_decoder(): reads the Indexes of a .xz file of file_size
 * bytes from its end. The coder writes the position to seek to into
 * *seek_pos (the stream's seek_pos) before returning LZMA_SEEK_NEEDED. */
lzma_ret xzc_file_info_decoder_init(xzc_coder *c, const lzma_allocator *a,
				    uint64_t *seek_pos, lzma_index **dest,
				    uint64_t memlimit, uint64_t file_size);

#endif
