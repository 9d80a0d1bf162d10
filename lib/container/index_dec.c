/*
 * index_dec.c -- decode an Index field (xz-file-format.txt 4) into an
 * lzma_index: lzma_index_decoder()'s coder and lzma_index_buffer_decode().
 *
 *   Index Indicator 0x00 (4.1) | Number of Records, VLI (4.2)
 *   | Records: Unpadded Size, Uncompressed Size, VLIs (4.3)
 *   | Index Padding, 0-3 zero bytes (4.4) | CRC32 of all before it (4.5)
 *
 * Every byte comes from an untrusted file: each field is checked through
 * INPUT_CHECK, and the memory limit is checked as soon as the Number of
 * Records is known (a hostile count must not make us allocate).
 */
#include "container/index.h"

#define UNPADDED_SIZE_MIN ((lzma_vli)5)
#define UNPADDED_SIZE_MAX (LZMA_VLI_MAX & ~(lzma_vli)3)

typedef struct {
	enum {
		SEQ_INDICATOR,
		SEQ_COUNT,
		SEQ_MEMLIMIT,           /* count known; check it fits */
		SEQ_UNPADDED,
		SEQ_UNCOMPRESSED,
		SEQ_PADDING_INIT,
		SEQ_PADDING,
		SEQ_CRC32,
	} seq;
	lzma_index *index;              /* being built; ours until the end */
	lzma_index **dest;              /* where it goes at the end */
	uint64_t memlimit;
	lzma_vli count;                 /* Number of Records */
	lzma_vli remaining;             /* Records still to read */
	lzma_vli unpadded;              /* of the Record being read */
	lzma_vli vli;                   /* the VLI being read */
	size_t pos;                     /* in the VLI, padding or CRC32 */
	uint32_t crc32;                 /* of the bytes before the CRC32 */
} index_decoder;

/* Read one VLI (multi-call). LZMA_STREAM_END when complete, LZMA_OK when
 * more input is needed, LZMA_DATA_ERROR when invalid (1.2). */
static lzma_ret read_vli(index_decoder *d, const uint8_t *in, size_t *in_pos,
			 size_t in_size, lzma_vli *out)
{
	const lzma_ret ret = lzma_vli_decode(&d->vli, &d->pos, in, in_pos,
					     in_size);
	if (ret == LZMA_STREAM_END) {
		*out = d->vli;
		d->vli = 0;
		d->pos = 0;
	}
	return ret == LZMA_OK || ret == LZMA_STREAM_END ? ret
							: LZMA_DATA_ERROR;
}

/* One step of the state machine; consumes at most a field. */
static lzma_ret step(index_decoder *d, const lzma_allocator *a,
		     const uint8_t *in, size_t *in_pos, size_t in_size)
{
	lzma_ret ret;
	lzma_vli v;
	switch (d->seq) {
	case SEQ_INDICATOR:
		INPUT_CHECK(in[(*in_pos)++] == 0x00);
		d->seq = SEQ_COUNT;
		return LZMA_OK;
	case SEQ_COUNT:
		ret = read_vli(d, in, in_pos, in_size, &d->count);
		if (ret != LZMA_STREAM_END)
			return ret;
		d->remaining = d->count;
		d->seq = SEQ_MEMLIMIT;
		return LZMA_OK;
	case SEQ_MEMLIMIT:
		if (lzma_index_memusage(1, d->count) > d->memlimit)
			return LZMA_MEMLIMIT_ERROR;
		d->seq = d->count == 0 ? SEQ_PADDING_INIT : SEQ_UNPADDED;
		return LZMA_OK;
	case SEQ_UNPADDED:
		ret = read_vli(d, in, in_pos, in_size, &d->unpadded);
		if (ret != LZMA_STREAM_END)
			return ret;
		INPUT_CHECK(d->unpadded >= UNPADDED_SIZE_MIN
			    && d->unpadded <= UNPADDED_SIZE_MAX);
		d->seq = SEQ_UNCOMPRESSED;
		return LZMA_OK;
	case SEQ_UNCOMPRESSED:
		ret = read_vli(d, in, in_pos, in_size, &v);
		if (ret != LZMA_STREAM_END)
			return ret;
		ret = lzma_index_append(d->index, a, d->unpadded, v);
		if (ret != LZMA_OK)
			return ret;
		d->seq = --d->remaining == 0 ? SEQ_PADDING_INIT : SEQ_UNPADDED;
		return LZMA_OK;
	case SEQ_PADDING_INIT:
		d->pos = xzc_index_padding_size(d->index);
		d->seq = SEQ_PADDING;
		return LZMA_OK;
	case SEQ_PADDING:
		if (d->pos == 0) {
			d->seq = SEQ_CRC32;
			return LZMA_OK;
		}
		INPUT_CHECK(in[(*in_pos)++] == 0x00);
		--d->pos;
		return LZMA_OK;
	case SEQ_CRC32:
	default:
		/* The byte counts as read even when it is wrong. */
		++*in_pos;
		INPUT_CHECK(in[*in_pos - 1]
			    == (uint8_t)(d->crc32 >> (8 * d->pos)));
		if (++d->pos < 4)
			return LZMA_OK;
		*d->dest = d->index;
		d->index = NULL;
		return LZMA_STREAM_END;
	}
}

static lzma_ret index_decode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	(void)out;
	(void)out_pos;
	(void)out_size;
	(void)action;
	index_decoder *d = state;
	if (d->index == NULL)
		return LZMA_PROG_ERROR;         /* called after the end */

	const size_t start = *in_pos;
	lzma_ret ret = LZMA_OK;
	bool crc_stage = d->seq == SEQ_CRC32;
	while (ret == LZMA_OK) {
		/* States that consume nothing run even without input. */
		const bool needs_input = d->seq != SEQ_MEMLIMIT
			&& d->seq != SEQ_PADDING_INIT
			&& !(d->seq == SEQ_PADDING && d->pos == 0);
		if (needs_input && *in_pos == in_size)
			break;
		if (d->seq == SEQ_CRC32 && !crc_stage) {
			/* Everything before the CRC32 field is covered. */
			d->crc32 = lzma_crc32(in + start, *in_pos - start,
					      d->crc32);
			crc_stage = true;
		}
		ret = step(d, a, in, in_pos, in_size);
	}
	if (!crc_stage)
		d->crc32 = lzma_crc32(in + start, *in_pos - start, d->crc32);
	return ret;
}

static void index_decoder_end(void *state, const lzma_allocator *a)
{
	index_decoder *d = state;
	lzma_index_end(d->index, a);
	xzc_free(a, d);
}

static lzma_ret index_decoder_memconfig(void *state, uint64_t *memusage,
					uint64_t *old_memlimit,
					uint64_t new_memlimit)
{
	index_decoder *d = state;
	/* As liblzma counts it: the Records still to come (0 before the
	 * Number of Records and after the last Record). */
	*memusage = lzma_index_memusage(1, d->remaining);
	*old_memlimit = d->memlimit;
	if (new_memlimit != 0) {
		if (new_memlimit < *memusage)
			return LZMA_MEMLIMIT_ERROR;
		d->memlimit = new_memlimit;
	}
	return LZMA_OK;
}

static lzma_ret decoder_reset(index_decoder *d, const lzma_allocator *a,
			      lzma_index **dest, uint64_t memlimit)
{
	*d = (index_decoder){ .seq = SEQ_INDICATOR, .dest = dest,
			      .memlimit = MAX(memlimit, 1) };
	*dest = NULL;
	d->index = lzma_index_init(a);
	return d->index == NULL ? LZMA_MEM_ERROR : LZMA_OK;
}

lzma_ret xzc_index_decoder_init(xzc_coder *c, const lzma_allocator *a,
				lzma_index **dest, uint64_t memlimit)
{
	if (dest == NULL)
		return LZMA_PROG_ERROR;
	index_decoder *d = xzc_alloc(a, sizeof(*d));
	if (d == NULL)
		return LZMA_MEM_ERROR;
	const lzma_ret ret = decoder_reset(d, a, dest, memlimit);
	if (ret != LZMA_OK) {
		xzc_free(a, d);
		return ret;
	}
	*c = (xzc_coder){ .state = d, .code = index_decode,
			  .end = index_decoder_end,
			  .memconfig = index_decoder_memconfig };
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_index_buffer_decode(lzma_index **i, uint64_t *memlimit,
					    const lzma_allocator *a,
					    const uint8_t *in, size_t *in_pos,
					    size_t in_size)
{
	if (i == NULL || memlimit == NULL || in == NULL || in_pos == NULL
	    || *in_pos > in_size)
		return LZMA_PROG_ERROR;
	index_decoder d;
	lzma_ret ret = decoder_reset(&d, a, i, *memlimit);
	if (ret != LZMA_OK)
		return ret;
	const size_t start = *in_pos;
	ret = index_decode(&d, a, in, in_pos, in_size, NULL, NULL, 0,
			   LZMA_RUN);
	if (ret == LZMA_STREAM_END)
		return LZMA_OK;
	/* On any error: no index, input position restored. Input that
	 * ends inside the Index is corrupt, not "more needed". */
	lzma_index_end(d.index, a);
	*i = NULL;
	*in_pos = start;
	if (ret == LZMA_OK)
		ret = LZMA_DATA_ERROR;
	else if (ret == LZMA_MEMLIMIT_ERROR)
		*memlimit = lzma_index_memusage(1, d.count);
	return ret;
}
