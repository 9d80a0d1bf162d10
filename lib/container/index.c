/*
 * index.c -- liblzma's lzma_index: the Blocks of one or more .xz Streams
 * held in memory (xz-file-format.txt 4), what the encoder appends to, what
 * the Index decoder and lzma_file_info_decoder() build, and what xz --list
 * prints. Also the writer that turns an lzma_index into the bytes of an
 * Index field (4.1-4.5), used by the stream encoder and
 * lzma_index_encoder()/lzma_index_buffer_encode().
 *
 * Layout: one flat array of Records for the whole file, in file order, and
 * one array of Streams, each owning a contiguous run of the Records. That
 * makes the Index writer a walk over one array (an Index lists the Blocks
 * of all Streams, 4), lzma_index_cat() an append, and lzma_index_iter an
 * (stream, record) pair of indexes, which stays valid when the arrays
 * move. Each Record keeps running sums within its Stream, so locating an
 * uncompressed offset is two binary searches.
 *
 * Semantics follow liblzma's documentation (lzma/index.h) and were checked
 * against liblzma 5.4.1 (tests/test_abi_diff.sh): which checks fail with
 * which error, the sizes, the iterator's fields, and lzma_index_memusage(),
 * whose numbers xz --list shows and memory limits compare against.
 */
#include "container/container_enc.h"
#include "container/index.h"

/* 4.3.1: the smallest Unpadded Size liblzma accepts is 5; rounded up to
 * 4 (the Total Size) it must stay a valid VLI. */
#define UNPADDED_SIZE_MIN ((lzma_vli)5)
#define UNPADDED_SIZE_MAX (LZMA_VLI_MAX & ~(lzma_vli)3)

/* One Block. The sums run over the Blocks of its Stream up to and
 * including this one; Total Size is the Unpadded Size rounded up to 4
 * (3.3: Block Padding). */
typedef struct {
	lzma_vli unpadded_size;
	lzma_vli uncompressed_size;
	lzma_vli total_end;             /* sum of Total Sizes */
	lzma_vli uncompressed_end;      /* sum of Uncompressed Sizes */
} index_record;

/* One Stream: records[first .. first + count) of the index. */
typedef struct {
	size_t first;
	size_t count;
	lzma_vli number;                /* 1 for the first Stream */
	lzma_vli block_number_base;     /* Blocks in earlier Streams */
	lzma_vli compressed_offset;     /* of its Stream Header in the file */
	lzma_vli uncompressed_offset;
	lzma_vli list_size;             /* bytes of its List of Records */
	lzma_vli padding;               /* Stream Padding after it */
	bool flags_set;                 /* lzma_index_stream_flags() called */
	lzma_stream_flags flags;
} index_stream;

struct lzma_index_s {
	index_record *records;
	size_t record_count, record_cap;
	index_stream *streams;          /* at least one */
	size_t stream_count, stream_cap;
	/* Over all Streams: */
	lzma_vli uncompressed_size;
	lzma_vli total_size;            /* sum of the Blocks' Total Sizes */
	lzma_vli list_size;             /* List of Records if in one Index */
	uint32_t checks;                /* of all Streams but the last */
};

/* liblzma's memory accounting for an index (lzma_index_memusage()): a
 * fixed part, a part per Stream, and a part per group of 512 Blocks. The
 * constants are liblzma's on 64-bit systems so that memory limits (and the
 * figures xz --list prints) mean the same with either library; our own
 * layout uses less (32 bytes per Block, 136 per Stream). */
#define MEM_INDEX_BASE UINT64_C(112)
#define MEM_PER_STREAM UINT64_C(296)
#define MEM_PER_GROUP UINT64_C(8288)
#define BLOCKS_PER_GROUP 512

static lzma_vli ceil4(lzma_vli v)
{
	return (v + 3) & ~(lzma_vli)3;
}

/* Size of an Index field without its padding (4.1-4.5). */
static lzma_vli index_size_unpadded(lzma_vli count, lzma_vli list_size)
{
	return 1 + lzma_vli_size(count) + list_size + 4;
}

static lzma_vli index_size(lzma_vli count, lzma_vli list_size)
{
	return ceil4(index_size_unpadded(count, list_size));
}

static index_stream *last_stream(const lzma_index *i)
{
	return &i->streams[i->stream_count - 1];
}

/* Sums over the Blocks of s (0 without Blocks). */
static lzma_vli stream_blocks_size(const lzma_index *i, const index_stream *s)
{
	return s->count == 0 ? 0 : i->records[s->first + s->count - 1].total_end;
}

static lzma_vli stream_uncompressed(const lzma_index *i, const index_stream *s)
{
	return s->count == 0
	       ? 0 : i->records[s->first + s->count - 1].uncompressed_end;
}

/* Header + Blocks + Index + Footer of one Stream (padding excluded). */
static lzma_vli stream_compressed(const lzma_index *i, const index_stream *s)
{
	return 2 * LZMA_STREAM_HEADER_SIZE + stream_blocks_size(i, s)
	       + index_size(s->count, s->list_size);
}

/* The file size if the last Stream had these values, or LZMA_VLI_UNKNOWN
 * if that is too big. Two steps so that no sum can wrap around. */
static lzma_vli file_size_with(lzma_vli stream_offset, lzma_vli blocks_size,
			       lzma_vli count, lzma_vli list_size,
			       lzma_vli padding)
{
	lzma_vli size = stream_offset + 2 * LZMA_STREAM_HEADER_SIZE + padding
			+ ceil4(blocks_size);
	if (size > LZMA_VLI_MAX)
		return LZMA_VLI_UNKNOWN;
	size += index_size(count, list_size);
	return size > LZMA_VLI_MAX ? LZMA_VLI_UNKNOWN : size;
}

/* Make room for `more` elements in an array of `size`-byte elements;
 * false if memory runs out. Used for both arrays. */
static bool reserve(const lzma_allocator *a, void **array, size_t *cap,
		    size_t count, size_t more, size_t size)
{
	if (*cap - count >= more)
		return true;
	if (more > SIZE_MAX / size - count)
		return false;
	size_t new_cap = *cap < 16 ? 16 : *cap;
	while (new_cap < count + more)
		new_cap = new_cap > SIZE_MAX / size / 2 ? count + more
							: new_cap * 2;
	void *p = xzc_alloc(a, new_cap * size);
	if (p == NULL)
		return false;
	if (count > 0)
		memcpy(p, *array, count * size);
	xzc_free(a, *array);
	*array = p;
	*cap = new_cap;
	return true;
}

static void stream_init(index_stream *s, lzma_vli number,
			lzma_vli block_base, size_t first,
			lzma_vli compressed_offset, lzma_vli uncompressed_offset)
{
	*s = (index_stream){
		.first = first,
		.number = number,
		.block_number_base = block_base,
		.compressed_offset = compressed_offset,
		.uncompressed_offset = uncompressed_offset,
	};
}

/* ---- construction --------------------------------------------------------- */

LZMA_API(uint64_t) lzma_index_memusage(lzma_vli streams, lzma_vli blocks)
{
	/* liblzma caps the Streams at UINT32_MAX and refuses any total
	 * that would not fit in 64 bits. */
	if (streams == 0 || streams > UINT32_MAX || blocks > LZMA_VLI_MAX)
		return UINT64_MAX;
	const uint64_t groups = (blocks + BLOCKS_PER_GROUP - 1)
				/ BLOCKS_PER_GROUP;
	if (groups > UINT64_MAX / MEM_PER_GROUP)
		return UINT64_MAX;
	const uint64_t streams_mem = streams * MEM_PER_STREAM;
	const uint64_t groups_mem = groups * MEM_PER_GROUP;
	if (UINT64_MAX - streams_mem < groups_mem
	    || UINT64_MAX - streams_mem - groups_mem < MEM_INDEX_BASE)
		return UINT64_MAX;
	return MEM_INDEX_BASE + streams_mem + groups_mem;
}

LZMA_API(uint64_t) lzma_index_memused(const lzma_index *i)
{
	return lzma_index_memusage(i->stream_count, i->record_count);
}

LZMA_API(lzma_index *) lzma_index_init(const lzma_allocator *a)
{
	lzma_index *i = xzc_alloc_zero(a, sizeof(*i));
	if (i == NULL)
		return NULL;
	void *streams = NULL;
	if (!reserve(a, &streams, &i->stream_cap, 0, 1, sizeof(index_stream))) {
		xzc_free(a, i);
		return NULL;
	}
	i->streams = streams;
	i->stream_count = 1;
	stream_init(&i->streams[0], 1, 0, 0, 0, 0);
	return i;
}

LZMA_API(void) lzma_index_end(lzma_index *i, const lzma_allocator *a)
{
	if (i == NULL)
		return;
	xzc_free(a, i->records);
	xzc_free(a, i->streams);
	xzc_free(a, i);
}

LZMA_API(lzma_ret) lzma_index_append(lzma_index *i, const lzma_allocator *a,
				     lzma_vli unpadded_size,
				     lzma_vli uncompressed_size)
{
	if (i == NULL || unpadded_size < UNPADDED_SIZE_MIN
	    || unpadded_size > UNPADDED_SIZE_MAX
	    || uncompressed_size > LZMA_VLI_MAX)
		return LZMA_PROG_ERROR;

	index_stream *s = last_stream(i);
	const lzma_vli blocks = stream_blocks_size(i, s);
	const lzma_vli uncomp = stream_uncompressed(i, s);
	const lzma_vli list_add = lzma_vli_size(unpadded_size)
				  + lzma_vli_size(uncompressed_size);

	/* The same limits, checked in the same order, as liblzma: the
	 * Stream's sizes, the file size, and the Backward Size (2.1.2.2)
	 * of an Index holding every Block. */
	if (uncomp + uncompressed_size > LZMA_VLI_MAX
	    || blocks + unpadded_size > UNPADDED_SIZE_MAX
	    || file_size_with(s->compressed_offset, blocks + unpadded_size,
			      s->count + 1, s->list_size + list_add,
			      s->padding) == LZMA_VLI_UNKNOWN
	    || index_size(i->record_count + 1, i->list_size + list_add)
	       > LZMA_BACKWARD_SIZE_MAX)
		return LZMA_DATA_ERROR;

	void *records = i->records;
	if (!reserve(a, &records, &i->record_cap, i->record_count, 1,
		     sizeof(index_record)))
		return LZMA_MEM_ERROR;
	i->records = records;
	i->records[i->record_count++] = (index_record){
		.unpadded_size = unpadded_size,
		.uncompressed_size = uncompressed_size,
		.total_end = blocks + ceil4(unpadded_size),
		.uncompressed_end = uncomp + uncompressed_size,
	};
	++s->count;
	s->list_size += list_add;
	i->list_size += list_add;
	i->uncompressed_size += uncompressed_size;
	i->total_size += ceil4(unpadded_size);
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_index_stream_flags(lzma_index *i,
					   const lzma_stream_flags *flags)
{
	if (i == NULL || flags == NULL)
		return LZMA_PROG_ERROR;
	/* Comparing the flags with themselves validates them. */
	const lzma_ret ret = lzma_stream_flags_compare(flags, flags);
	if (ret != LZMA_OK)
		return ret;
	last_stream(i)->flags = *flags;
	last_stream(i)->flags_set = true;
	return LZMA_OK;
}

LZMA_API(uint32_t) lzma_index_checks(const lzma_index *i)
{
	uint32_t checks = i->checks;
	const index_stream *s = last_stream(i);
	if (s->flags_set)
		checks |= UINT32_C(1) << s->flags.check;
	return checks;
}

LZMA_API(lzma_ret) lzma_index_stream_padding(lzma_index *i, lzma_vli padding)
{
	if (i == NULL || padding > LZMA_VLI_MAX || (padding & 3) != 0)
		return LZMA_PROG_ERROR;
	index_stream *s = last_stream(i);
	if (file_size_with(s->compressed_offset, stream_blocks_size(i, s),
			   s->count, s->list_size, 0) + padding > LZMA_VLI_MAX)
		return LZMA_DATA_ERROR;
	s->padding = padding;
	return LZMA_OK;
}

/* ---- sizes ----------------------------------------------------------------- */

LZMA_API(lzma_vli) lzma_index_stream_count(const lzma_index *i)
{
	return i->stream_count;
}

LZMA_API(lzma_vli) lzma_index_block_count(const lzma_index *i)
{
	return i->record_count;
}

LZMA_API(lzma_vli) lzma_index_size(const lzma_index *i)
{
	return index_size(i->record_count, i->list_size);
}

LZMA_API(lzma_vli) lzma_index_total_size(const lzma_index *i)
{
	return i->total_size;
}

LZMA_API(lzma_vli) lzma_index_stream_size(const lzma_index *i)
{
	return 2 * LZMA_STREAM_HEADER_SIZE + i->total_size
	       + lzma_index_size(i);
}

LZMA_API(lzma_vli) lzma_index_file_size(const lzma_index *i)
{
	const index_stream *s = last_stream(i);
	return file_size_with(s->compressed_offset, stream_blocks_size(i, s),
			      s->count, s->list_size, s->padding);
}

LZMA_API(lzma_vli) lzma_index_uncompressed_size(const lzma_index *i)
{
	return i->uncompressed_size;
}

/* Padding bytes of the Index field of i (4.4); for the decoders. */
uint32_t xzc_index_padding_size(const lzma_index *i)
{
	return (uint32_t)(ceil4(index_size_unpadded(i->record_count,
						    i->list_size))
			  - index_size_unpadded(i->record_count,
						i->list_size));
}

/* ---- combining and copying -------------------------------------------------- */

LZMA_API(lzma_ret) lzma_index_cat(lzma_index *dest, lzma_index *src,
				  const lzma_allocator *a)
{
	if (dest == NULL || src == NULL)
		return LZMA_PROG_ERROR;
	const lzma_vli dest_file = lzma_index_file_size(dest);
	if (dest_file + lzma_index_file_size(src) > LZMA_VLI_MAX
	    || dest->uncompressed_size + src->uncompressed_size > LZMA_VLI_MAX
	    || ceil4(index_size_unpadded(dest->record_count, dest->list_size)
		     + index_size_unpadded(src->record_count, src->list_size))
	       > LZMA_BACKWARD_SIZE_MAX
	    || dest->stream_count + src->stream_count > UINT32_MAX)
		return LZMA_DATA_ERROR;

	/* Allocate first: on failure both indexes are unchanged. */
	void *records = dest->records, *streams = dest->streams;
	if (!reserve(a, &records, &dest->record_cap, dest->record_count,
		     src->record_count, sizeof(index_record)))
		return LZMA_MEM_ERROR;
	dest->records = records;
	if (!reserve(a, &streams, &dest->stream_cap, dest->stream_count,
		     src->stream_count, sizeof(index_stream)))
		return LZMA_MEM_ERROR;
	dest->streams = streams;

	if (src->record_count > 0)
		memcpy(dest->records + dest->record_count, src->records,
		       src->record_count * sizeof(index_record));
	for (size_t k = 0; k < src->stream_count; ++k) {
		index_stream s = src->streams[k];
		s.first += dest->record_count;
		s.number += dest->stream_count;
		s.block_number_base += dest->record_count;
		s.compressed_offset += dest_file;
		s.uncompressed_offset += dest->uncompressed_size;
		dest->streams[dest->stream_count + k] = s;
	}
	/* The last Stream of dest is no longer last: its check moves into
	 * the summary (lzma_index_checks()). */
	dest->checks = lzma_index_checks(dest) | src->checks;
	dest->stream_count += src->stream_count;
	dest->record_count += src->record_count;
	dest->uncompressed_size += src->uncompressed_size;
	dest->total_size += src->total_size;
	dest->list_size += src->list_size;
	lzma_index_end(src, a);
	return LZMA_OK;
}

LZMA_API(lzma_index *) lzma_index_dup(const lzma_index *src,
				      const lzma_allocator *a)
{
	if (src == NULL)
		return NULL;
	lzma_index *i = xzc_alloc(a, sizeof(*i));
	if (i == NULL)
		return NULL;
	*i = *src;
	i->records = xzc_alloc(a, MAX(src->record_count, 1)
				  * sizeof(index_record));
	i->streams = xzc_alloc(a, src->stream_count * sizeof(index_stream));
	if (i->records == NULL || i->streams == NULL) {
		lzma_index_end(i, a);
		return NULL;
	}
	if (src->record_count > 0)
		memcpy(i->records, src->records,
		       src->record_count * sizeof(index_record));
	memcpy(i->streams, src->streams,
	       src->stream_count * sizeof(index_stream));
	i->record_cap = MAX(src->record_count, 1);
	i->stream_cap = src->stream_count;
	return i;
}

/* ---- the iterator ---------------------------------------------------------
 *
 * internal[ITER_INDEX].p   the index
 * internal[ITER_STREAM].s  0 before the first element, else Stream + 1
 * internal[ITER_RECORD].s  the Block within that Stream (when it has any)
 */
enum { ITER_INDEX, ITER_STREAM, ITER_RECORD };

/* Fill the public fields for (stream, record). The block fields are left
 * as they were when the Stream has no Blocks, as liblzma does. */
static void iter_fill(lzma_index_iter *it)
{
	const lzma_index *i = it->internal[ITER_INDEX].p;
	const index_stream *s = &i->streams[it->internal[ITER_STREAM].s - 1];
	const size_t r = it->internal[ITER_RECORD].s;

	it->stream.flags = s->flags_set ? &s->flags : NULL;
	it->stream.number = s->number;
	it->stream.block_count = s->count;
	it->stream.compressed_offset = s->compressed_offset;
	it->stream.uncompressed_offset = s->uncompressed_offset;
	it->stream.compressed_size = stream_compressed(i, s);
	it->stream.uncompressed_size = stream_uncompressed(i, s);
	it->stream.padding = s->padding;
	if (s->count == 0)
		return;

	const index_record *rec = &i->records[s->first + r];
	const lzma_vli comp_start = r == 0 ? 0 : rec[-1].total_end;
	const lzma_vli uncomp_start = r == 0 ? 0 : rec[-1].uncompressed_end;
	it->block.number_in_stream = r + 1;
	it->block.number_in_file = r + 1 + s->block_number_base;
	it->block.compressed_stream_offset = LZMA_STREAM_HEADER_SIZE
					     + comp_start;
	it->block.uncompressed_stream_offset = uncomp_start;
	it->block.compressed_file_offset = s->compressed_offset
					   + LZMA_STREAM_HEADER_SIZE
					   + comp_start;
	it->block.uncompressed_file_offset = s->uncompressed_offset
					     + uncomp_start;
	it->block.uncompressed_size = rec->uncompressed_size;
	it->block.unpadded_size = rec->unpadded_size;
	it->block.total_size = ceil4(rec->unpadded_size);
}

LZMA_API(void) lzma_index_iter_init(lzma_index_iter *it, const lzma_index *i)
{
	it->internal[ITER_INDEX].p = i;
	lzma_index_iter_rewind(it);
}

LZMA_API(void) lzma_index_iter_rewind(lzma_index_iter *it)
{
	it->internal[ITER_STREAM].s = 0;
	it->internal[ITER_RECORD].s = 0;
}

/* One step in `mode` from (*s, *r); false at the end. *s is 1-based. In a
 * Block mode, Streams without Blocks are passed over. */
static bool iter_step(const lzma_index *i, lzma_index_iter_mode mode,
		      size_t *s, size_t *r)
{
	const bool blocks_only = mode >= LZMA_INDEX_ITER_BLOCK;
	if (*s != 0 && mode != LZMA_INDEX_ITER_STREAM
	    && *r + 1 < i->streams[*s - 1].count) {
		++*r;
		return true;
	}
	*r = 0;
	do {
		if (*s == i->stream_count)
			return false;
		++*s;
	} while (blocks_only && i->streams[*s - 1].count == 0);
	return true;
}

LZMA_API(lzma_bool) lzma_index_iter_next(lzma_index_iter *it,
					 lzma_index_iter_mode mode)
{
	if ((unsigned)mode > LZMA_INDEX_ITER_NONEMPTY_BLOCK)
		return true;
	const lzma_index *i = it->internal[ITER_INDEX].p;
	size_t s = it->internal[ITER_STREAM].s;
	size_t r = it->internal[ITER_RECORD].s;
	do {
		if (!iter_step(i, mode, &s, &r))
			return true;
	} while (mode == LZMA_INDEX_ITER_NONEMPTY_BLOCK
		 && i->records[i->streams[s - 1].first + r]
			    .uncompressed_size == 0);
	it->internal[ITER_STREAM].s = s;
	it->internal[ITER_RECORD].s = r;
	iter_fill(it);
	return false;
}

LZMA_API(lzma_bool) lzma_index_iter_locate(lzma_index_iter *it,
					   lzma_vli target)
{
	const lzma_index *i = it->internal[ITER_INDEX].p;
	if (target >= i->uncompressed_size)
		return true;

	/* The last Stream starting at or before target holds it (the ones
	 * after it start after target; empty ones in between start at the
	 * same offset and are skipped by taking the last). */
	size_t lo = 0, hi = i->stream_count;
	while (hi - lo > 1) {
		const size_t mid = lo + (hi - lo) / 2;
		if (i->streams[mid].uncompressed_offset <= target)
			lo = mid;
		else
			hi = mid;
	}
	const index_stream *s = &i->streams[lo];
	target -= s->uncompressed_offset;

	/* The first Block whose end is past target: never an empty one. */
	size_t left = 0, right = s->count - 1;
	while (left < right) {
		const size_t mid = left + (right - left) / 2;
		if (i->records[s->first + mid].uncompressed_end <= target)
			left = mid + 1;
		else
			right = mid;
	}
	it->internal[ITER_STREAM].s = lo + 1;
	it->internal[ITER_RECORD].s = left;
	iter_fill(it);
	return false;
}

/* ---- writing the Index field (4) -------------------------------------------- */

void xzc_index_writer_init(xzc_index_writer *w, const lzma_index *i)
{
	*w = (xzc_index_writer){ .index = i, .seq = XZC_IW_START };
}

static void put_vli(xzc_index_writer *w, lzma_vli v)
{
	/* Cannot fail: v is a valid VLI (append() checked) and buf has
	 * room for two. */
	(void)lzma_vli_encode(v, NULL, w->buf, &w->buf_size, sizeof(w->buf));
}

/* Put the next field into buf and advance seq. Everything but the CRC32
 * itself is covered by the CRC32 (4.5). */
static void next_field(xzc_index_writer *w)
{
	const lzma_index *i = w->index;
	w->buf_pos = 0;
	w->buf_size = 0;
	switch (w->seq) {
	case XZC_IW_START:
		w->buf[w->buf_size++] = 0x00;           /* 4.1 Indicator */
		put_vli(w, i->record_count);            /* 4.2 */
		w->seq = i->record_count > 0 ? XZC_IW_RECORDS : XZC_IW_PADDING;
		break;
	case XZC_IW_RECORDS: {                          /* 4.3 */
		const index_record *r = &i->records[w->record];
		put_vli(w, r->unpadded_size);
		put_vli(w, r->uncompressed_size);
		if (++w->record == i->record_count)
			w->seq = XZC_IW_PADDING;
		break;
	}
	case XZC_IW_PADDING:                            /* 4.4 */
		while (((w->written + w->buf_size) & 3) != 0)
			w->buf[w->buf_size++] = 0x00;
		w->seq = XZC_IW_CRC32;
		break;
	case XZC_IW_CRC32:                              /* 4.5 */
		write32le(w->buf, w->crc32);
		w->buf_size = 4;
		w->seq = XZC_IW_DONE;
		return;
	case XZC_IW_DONE:
		return;
	}
	w->crc32 = lzma_crc32(w->buf, w->buf_size, w->crc32);
	w->written += w->buf_size;
}

bool xzc_index_writer_run(xzc_index_writer *w, uint8_t *out, size_t *out_pos,
			  size_t out_size)
{
	while (true) {
		xzc_bufcpy(w->buf, &w->buf_pos, w->buf_size, out, out_pos,
			   out_size);
		if (w->buf_pos < w->buf_size)
			return false;
		if (w->seq == XZC_IW_DONE)
			return true;
		next_field(w);
	}
}

static lzma_ret index_encode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	(void)a;
	(void)in;
	(void)in_pos;
	(void)in_size;
	(void)action;
	return xzc_index_writer_run(state, out, out_pos, out_size)
	       ? LZMA_STREAM_END : LZMA_OK;
}

static void index_encoder_end(void *state, const lzma_allocator *a)
{
	xzc_free(a, state);
}

lzma_ret xzc_index_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_index *i)
{
	if (i == NULL)
		return LZMA_PROG_ERROR;
	xzc_index_writer *w = xzc_alloc(a, sizeof(*w));
	if (w == NULL)
		return LZMA_MEM_ERROR;
	xzc_index_writer_init(w, i);
	*c = (xzc_coder){ .state = w, .code = index_encode,
			  .end = index_encoder_end };
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_index_buffer_encode(const lzma_index *i, uint8_t *out,
					    size_t *out_pos, size_t out_size)
{
	if (i == NULL || out == NULL || out_pos == NULL || *out_pos > out_size)
		return LZMA_PROG_ERROR;
	/* All or nothing: nothing is written when it does not fit. */
	if (out_size - *out_pos < lzma_index_size(i))
		return LZMA_BUF_ERROR;
	xzc_index_writer w;
	xzc_index_writer_init(&w, i);
	return xzc_index_writer_run(&w, out, out_pos, out_size)
	       ? LZMA_OK : LZMA_PROG_ERROR;
}
