/*
 * index_hash.c -- verify a stream's Index (xz-file-format.txt 4) against the
 * blocks actually decoded, in constant memory.
 *
 * The decoder appends (Unpadded Size, Uncompressed Size) of each block as it
 * finishes it; when the Index arrives, its Records are summed the same way.
 * The two lists must be equal (4.3). Instead of keeping every pair we keep,
 * for each list, the sums and a SHA-256 of the pairs in order -- the
 * method 4.3 suggests ("calculating for example SHA-256 of both the real
 * size values and the List of Records, then comparing the hash values").
 *
 * This is liblzma's public lzma_index_hash API; the stream decoder uses it.
 */
#include "container/container.h"
#include "check/check.h"

/* 4.3.1: the Unpadded Size of a real block is at least 5; and the rounded
 * Total Size must stay a valid VLI. */
#define UNPADDED_SIZE_MIN ((lzma_vli)5)
#define UNPADDED_SIZE_MAX (LZMA_VLI_MAX & ~(lzma_vli)3)

/* What is summed over one list (the blocks seen, or the Records read). */
struct sums {
	lzma_vli blocks_size;           /* sum of Unpadded Sizes rounded to 4 */
	lzma_vli uncompressed_size;
	lzma_vli count;
	lzma_vli list_size;             /* bytes of the List of Records */
	xzc_sha256_state hash;          /* over the pairs, in order */
};

struct lzma_index_hash_s {
	enum {
		SEQ_BLOCK,              /* appending blocks; Index not begun */
		SEQ_COUNT,              /* Number of Records (4.2) */
		SEQ_UNPADDED,           /* a Record's Unpadded Size (4.3.1) */
		SEQ_UNCOMPRESSED,       /* a Record's Uncompressed Size */
		SEQ_PADDING_INIT,
		SEQ_PADDING,            /* Index Padding (4.4) */
		SEQ_CRC32,              /* CRC32 (4.5) */
	} seq;
	struct sums blocks;
	struct sums records;
	lzma_vli remaining;             /* Records still to read */
	lzma_vli unpadded;              /* the current Record's fields */
	lzma_vli uncompressed;
	size_t pos;                     /* in a VLI, the padding or the CRC32 */
	uint32_t crc32;                 /* of the Index bytes so far */
};

static lzma_vli ceil4(lzma_vli v)
{
	return (v + 3) & ~(lzma_vli)3;
}

/* Index size without padding: indicator, count, records, CRC32 (4). */
static lzma_vli index_size_unpadded(lzma_vli count, lzma_vli list_size)
{
	return 1 + lzma_vli_size(count) + list_size + 4;
}

static void sums_add(struct sums *s, lzma_vli unpadded, lzma_vli uncompressed)
{
	uint8_t pair[16];
	write64le(pair, unpadded);
	write64le(pair + 8, uncompressed);
	xzc_sha256_update(&s->hash, pair, sizeof(pair));
	s->blocks_size += ceil4(unpadded);
	s->uncompressed_size += uncompressed;
	s->list_size += lzma_vli_size(unpadded) + lzma_vli_size(uncompressed);
	++s->count;
}

LZMA_API(lzma_index_hash *) lzma_index_hash_init(lzma_index_hash *ih,
						 const lzma_allocator *a)
{
	if (ih == NULL) {
		ih = xzc_alloc(a, sizeof(*ih));
		if (ih == NULL)
			return NULL;
	}
	memset(ih, 0, sizeof(*ih));
	ih->seq = SEQ_BLOCK;
	xzc_sha256_init(&ih->blocks.hash);
	xzc_sha256_init(&ih->records.hash);
	return ih;
}

LZMA_API(void) lzma_index_hash_end(lzma_index_hash *ih,
				   const lzma_allocator *a)
{
	xzc_free(a, ih);
}

LZMA_API(lzma_vli) lzma_index_hash_size(const lzma_index_hash *ih)
{
	/* What Backward Size in the Stream Footer must say (2.1.2.2). */
	return ceil4(index_size_unpadded(ih->blocks.count,
					 ih->blocks.list_size));
}

LZMA_API(lzma_ret) lzma_index_hash_append(lzma_index_hash *ih,
					  lzma_vli unpadded_size,
					  lzma_vli uncompressed_size)
{
	if (ih == NULL || ih->seq != SEQ_BLOCK
	    || unpadded_size < UNPADDED_SIZE_MIN
	    || unpadded_size > UNPADDED_SIZE_MAX
	    || uncompressed_size > LZMA_VLI_MAX)
		return LZMA_PROG_ERROR;

	sums_add(&ih->blocks, unpadded_size, uncompressed_size);

	/* 2.1: the stream and its Index have size limits; a stream whose
	 * blocks already break them is corrupt. Each sum stays below 2^63
	 * after this check, so the next addition cannot overflow. */
	const struct sums *b = &ih->blocks;
	const lzma_vli index_size = ceil4(index_size_unpadded(b->count,
							      b->list_size));
	if (b->blocks_size > LZMA_VLI_MAX
	    || b->uncompressed_size > LZMA_VLI_MAX
	    || index_size > LZMA_BACKWARD_SIZE_MAX
	    || LZMA_STREAM_HEADER_SIZE * 2 + b->blocks_size + index_size
	       > LZMA_VLI_MAX)
		return LZMA_DATA_ERROR;
	return LZMA_OK;
}

/* One Record field has been read; check it and move on. */
static lzma_ret record_field_done(lzma_index_hash *ih)
{
	if (ih->seq == SEQ_UNPADDED) {
		if (ih->unpadded < UNPADDED_SIZE_MIN
		    || ih->unpadded > UNPADDED_SIZE_MAX)
			return LZMA_DATA_ERROR;
		ih->seq = SEQ_UNCOMPRESSED;
		return LZMA_OK;
	}
	sums_add(&ih->records, ih->unpadded, ih->uncompressed);
	/* The Records may never exceed what the blocks add up to; this also
	 * keeps the sums from overflowing. */
	if (ih->records.blocks_size > ih->blocks.blocks_size
	    || ih->records.uncompressed_size > ih->blocks.uncompressed_size
	    || ih->records.list_size > ih->blocks.list_size)
		return LZMA_DATA_ERROR;
	ih->seq = --ih->remaining == 0 ? SEQ_PADDING_INIT : SEQ_UNPADDED;
	return LZMA_OK;
}

/* After the padding: both lists must be the same (4.3). */
static bool lists_equal(lzma_index_hash *ih)
{
	const struct sums *b = &ih->blocks, *r = &ih->records;
	if (b->blocks_size != r->blocks_size
	    || b->uncompressed_size != r->uncompressed_size
	    || b->list_size != r->list_size || b->count != r->count)
		return false;
	uint8_t hb[32], hr[32];
	xzc_sha256_finish(&ih->blocks.hash, hb);
	xzc_sha256_finish(&ih->records.hash, hr);
	return memcmp(hb, hr, sizeof(hb)) == 0;
}

/* Decode the fields of the Index up to the CRC32. Returns LZMA_OK when the
 * input ran out or the CRC32 field is next (seq == SEQ_CRC32). */
static lzma_ret decode_fields(lzma_index_hash *ih, const uint8_t *in,
			      size_t *in_pos, size_t in_size)
{
	lzma_ret ret;
	while (*in_pos < in_size && ih->seq != SEQ_CRC32) {
		switch (ih->seq) {
		case SEQ_BLOCK:
			/* 4.1: the Index Indicator is 0x00. */
			INPUT_CHECK(in[(*in_pos)++] == 0x00);
			ih->seq = SEQ_COUNT;
			break;
		case SEQ_COUNT:
			ret = lzma_vli_decode(&ih->remaining, &ih->pos, in,
					      in_pos, in_size);
			if (ret != LZMA_STREAM_END)
				return ret;
			ih->pos = 0;
			/* 4.2: as many Records as blocks were decoded. */
			INPUT_CHECK(ih->remaining == ih->blocks.count);
			ih->seq = ih->remaining == 0 ? SEQ_PADDING_INIT
						     : SEQ_UNPADDED;
			break;
		case SEQ_UNPADDED:
		case SEQ_UNCOMPRESSED:
			ret = lzma_vli_decode(ih->seq == SEQ_UNPADDED
					      ? &ih->unpadded : &ih->uncompressed,
					      &ih->pos, in, in_pos, in_size);
			if (ret != LZMA_STREAM_END)
				return ret;
			ih->pos = 0;
			ret = record_field_done(ih);
			if (ret != LZMA_OK)
				return ret;
			break;
		case SEQ_PADDING_INIT:
			ih->pos = (size_t)((4 - index_size_unpadded(
				ih->records.count, ih->records.list_size)) & 3);
			ih->seq = SEQ_PADDING;
			break;
		case SEQ_PADDING:
			if (ih->pos > 0) {
				--ih->pos;
				/* 4.4: Index Padding is null bytes. */
				INPUT_CHECK(in[(*in_pos)++] == 0x00);
				break;
			}
			INPUT_CHECK(lists_equal(ih));
			ih->seq = SEQ_CRC32;
			break;
		case SEQ_CRC32:
			break;
		}
	}
	/* The comparison may be due with no input left (no padding). */
	if (ih->seq == SEQ_PADDING && ih->pos == 0) {
		INPUT_CHECK(lists_equal(ih));
		ih->seq = SEQ_CRC32;
	}
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_index_hash_decode(lzma_index_hash *ih,
					  const uint8_t *in, size_t *in_pos,
					  size_t in_size)
{
	/* liblzma's contract: no input at all is "no progress". */
	if (*in_pos >= in_size)
		return LZMA_BUF_ERROR;

	if (ih->seq != SEQ_CRC32) {
		const size_t start = *in_pos;
		const lzma_ret ret = decode_fields(ih, in, in_pos, in_size);
		/* The CRC32 covers every byte of the Index before it (4.5). */
		ih->crc32 = lzma_crc32(in + start, *in_pos - start, ih->crc32);
		if (ret != LZMA_OK)
			return ret;
		if (ih->seq != SEQ_CRC32)
			return LZMA_OK;
	}
	/* The stored CRC32, little-endian, compared byte by byte so that it
	 * may arrive split over calls. */
	for (; ih->pos < 4; ++ih->pos) {
		if (*in_pos >= in_size)
			return LZMA_OK;
		INPUT_CHECK(in[(*in_pos)++]
			    == (uint8_t)(ih->crc32 >> (8 * ih->pos)));
	}
	return LZMA_STREAM_END;
}
