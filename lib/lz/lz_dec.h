/*
 * lz_dec.h -- the decoder's dictionary: a circular buffer holding the last
 * dict_size bytes of output, into which the LZMA decoder writes literals
 * and copies matches, and out of which decoded bytes are copied to the
 * caller's buffer.
 *
 * Layer rule: includes only lib/common.
 */
#ifndef CLEARXZ_LZ_DEC_H
#define CLEARXZ_LZ_DEC_H

#include "common/common.h"

/* Bytes allocated past `end`: a match copy may write up to 15 bytes past
 * its last byte (16-byte chunks), and those bytes must be neither history
 * still in use nor outside the allocation. */
#define LZ_DICT_SLACK 64

/*
 * Invariants (hold between calls):
 *   start <= pos <= limit <= end
 *   full <= dict_size, and end >= dict_size + LZ_DICT_SLACK, so the
 *   LZ_DICT_SLACK bytes after pos (circularly) are never history that a
 *   valid distance (< full) can reach;
 *   end is a multiple of 16, so pos % 16 equals the stream position % 16
 *   (LZMA's lp/pb masks use it) as long as a dictionary reset sets pos to 0.
 *   buf[start..pos) is decoded output not yet copied to the caller.
 */
typedef struct {
	uint8_t *buf;           /* end + LZ_DICT_SLACK bytes */
	size_t pos;             /* the next byte is written at buf[pos] */
	size_t start;           /* first byte not yet flushed to the caller */
	size_t limit;           /* decoding stops when pos reaches it */
	size_t end;             /* pos wraps to 0 here */
	size_t full;            /* bytes of valid history, <= dict_size */
	size_t dict_size;       /* largest distance + 1 the stream may use */
} lz_dict;

/* Allocate for dict_size (raised to 4 KiB as liblzma does); reuses the
 * buffer when it is already large enough. */
lzma_ret lz_dict_alloc(lz_dict *d, const lzma_allocator *a, uint64_t dict_size);
void lz_dict_free(lz_dict *d, const lzma_allocator *a);
/* Forget all history (start of stream; LZMA2 dictionary reset). Only
 * valid when everything has been flushed. */
void lz_dict_reset(lz_dict *d);
/* Memory used for a dictionary of dict_size bytes. */
uint64_t lz_dict_memusage(uint64_t dict_size);

/* Copy decoded bytes to out[*out_pos..out_size); wraps pos to 0 when the
 * buffer end is reached and everything is flushed. */
void lz_dict_flush(lz_dict *d, uint8_t *out, size_t *out_pos, size_t out_size);

/* Set limit to allow at most `max` more bytes (and never past end). */
static inline void lz_dict_set_limit(lz_dict *d, uint64_t max)
{
	size_t room = d->end - d->pos;
	d->limit = d->pos + (max < room ? (size_t)max : room);
}

/* Store uncompressed bytes (LZMA2 uncompressed chunks). Returns how many
 * were stored (limited by limit). */
size_t lz_dict_write(lz_dict *d, const uint8_t *in, size_t *in_pos, size_t in_size,
		     size_t max);

/* The byte `dist` + 1 positions back (dist 0 = the last byte).
 * Requires dist < full. */
FORCE_INLINE uint8_t lz_dict_get(const lz_dict *d, size_t dist)
{
	size_t i = d->pos - dist - 1;
	if (dist >= d->pos)
		i += d->end;
	return d->buf[i];
}

FORCE_INLINE void lz_dict_put(lz_dict *d, uint8_t byte)
{
	d->buf[d->pos++] = byte;
	if (d->full < d->dict_size)
		d->full++;
}

/* Copy a match of *len bytes at distance dist + 1 (dist < full), as much
 * as fits before limit; *len is left holding the bytes still to copy. */
void lz_dict_repeat(lz_dict *d, size_t dist, uint32_t *len);

#endif
