/*
 * lz_dec.c -- the decoder's dictionary (see lz_dec.h).
 */
#include "lz/lz_dec.h"

/* liblzma raises tiny dictionaries to 4 KiB; so do we, so that memory
 * figures and behaviour on odd headers match. */
#define LZ_DICT_MIN 4096

static size_t dict_end_for(uint64_t dict_size)
{
	if (dict_size < LZ_DICT_MIN)
		dict_size = LZ_DICT_MIN;
	/* A multiple of 16 (pos % 16 is the stream position's low bits). */
	return (size_t)((dict_size + LZ_DICT_SLACK + 15) & ~(uint64_t)15);
}

uint64_t lz_dict_memusage(uint64_t dict_size)
{
	return (uint64_t)dict_end_for(dict_size) + LZ_DICT_SLACK;
}

lzma_ret lz_dict_alloc(lz_dict *d, const lzma_allocator *a, uint64_t dict_size)
{
	/* The allocation must fit size_t with room for the slack. */
	if (dict_size > SIZE_MAX - 4 * LZ_DICT_SLACK - 16)
		return LZMA_MEM_ERROR;
	size_t end = dict_end_for(dict_size);
	if (d->buf == NULL || d->end != end) {
		xzc_free(a, d->buf);
		d->buf = xzc_alloc(a, end + LZ_DICT_SLACK);
		if (d->buf == NULL) {
			d->end = 0;
			return LZMA_MEM_ERROR;
		}
		d->end = end;
	}
	d->dict_size = dict_size < LZ_DICT_MIN ? LZ_DICT_MIN : (size_t)dict_size;
	lz_dict_reset(d);
	return LZMA_OK;
}

void lz_dict_free(lz_dict *d, const lzma_allocator *a)
{
	xzc_free(a, d->buf);
	d->buf = NULL;
	d->end = 0;
}

void lz_dict_reset(lz_dict *d)
{
	d->pos = 0;
	d->start = 0;
	d->limit = 0;
	d->full = 0;
}

void lz_dict_flush(lz_dict *d, uint8_t *out, size_t *out_pos, size_t out_size)
{
	size_t n = MIN(d->pos - d->start, out_size - *out_pos);
	if (n > 0) {
		memcpy(out + *out_pos, d->buf + d->start, n);
		*out_pos += n;
		d->start += n;
	}
	if (d->start == d->end) {
		d->pos = 0;
		d->start = 0;
		d->limit = 0;
	}
}

size_t lz_dict_write(lz_dict *d, const uint8_t *in, size_t *in_pos, size_t in_size,
		     size_t max)
{
	size_t n = MIN(in_size - *in_pos, d->limit - d->pos);
	n = MIN(n, max);
	memcpy(d->buf + d->pos, in + *in_pos, n);
	*in_pos += n;
	d->pos += n;
	d->full = MIN(d->full + n, d->dict_size);
	return n;
}

/* Copy n bytes forward where the source may overlap the destination
 * (dist + 1 < n): a repeating pattern of period dist + 1. */
static void copy_overlap(uint8_t *dst, const uint8_t *src, size_t n, size_t period)
{
	if (period == 1) {
		memset(dst, *src, n);
		return;
	}
	if (period >= 16) {
		/* Each 16-byte chunk reads only bytes already written. May
		 * write up to 15 bytes past dst + n (into the slack). */
		for (size_t i = 0; i < n; i += 16)
			memcpy(dst + i, src + i, 16);
		return;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

void lz_dict_repeat(lz_dict *d, size_t dist, uint32_t *len)
{
	size_t n = MIN((size_t)*len, d->limit - d->pos);
	*len -= (uint32_t)n;
	d->full = MIN(d->full + n, d->dict_size);

	size_t back = dist + 1;
	if (back <= d->pos) {
		/* Source is before pos in the buffer: no wrap. */
		uint8_t *dst = d->buf + d->pos;
		const uint8_t *src = dst - back;
		if (back >= n)
			memcpy(dst, src, n);
		else
			copy_overlap(dst, src, n, back);
		d->pos += n;
		return;
	}
	/* The source starts before the buffer's wrap point: copy the part up
	 * to end, then continue from the start of the buffer. */
	size_t src = d->pos + d->end - back;
	while (n > 0) {
		size_t chunk = MIN(n, d->end - src);
		memmove(d->buf + d->pos, d->buf + src, chunk);
		d->pos += chunk;
		n -= chunk;
		src = 0;
		/* The source has wrapped to the start of the buffer, `back`
		 * bytes behind pos: the rest is a plain forward copy. */
		if (n > 0) {
			size_t b = d->pos - src;
			if (b >= n)
				memcpy(d->buf + d->pos, d->buf + src, n);
			else
				copy_overlap(d->buf + d->pos, d->buf + src, n, b);
			d->pos += n;
			n = 0;
		}
	}
}
