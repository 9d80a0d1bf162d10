/*
 * block_header.c -- the Block Header of the .xz format (xz-file-format.txt
 * 3.1) and the size arithmetic of a Block (3, 4.3.1):
 *
 *   Block Header Size (1) | Block Flags (1) | [Compressed Size VLI]
 *   | [Uncompressed Size VLI] | Filter Flags x (1..4) | zero padding | CRC32
 *
 *   Unpadded Size = header + Compressed Data + Check
 *   Total Size    = Unpadded Size rounded up to a multiple of four
 *
 * Error codes follow liblzma's: a CRC32 mismatch or a broken field is
 * LZMA_DATA_ERROR; reserved bits, unknown filters or non-zero Header
 * Padding are LZMA_OPTIONS_ERROR ("a newer format", 3.1.2 and 3.1.6 say a
 * new field may be present); a caller's inconsistent lzma_block is
 * LZMA_PROG_ERROR.
 */
#include "container/container.h"

/* The largest Unpadded Size keeps the Total Size (rounded up to four) a
 * valid VLI (1.2, 4.3.1). */
#define UNPADDED_SIZE_MAX (LZMA_VLI_MAX & ~(lzma_vli)3)

/* Block Flags (3.1.2). */
#define FLAG_FILTER_COUNT 0x03
#define FLAG_RESERVED     0x3C
#define FLAG_COMPRESSED   0x40
#define FLAG_UNCOMPRESSED 0x80

LZMA_API(lzma_vli) lzma_block_unpadded_size(const lzma_block *block)
{
	/* This is also the validator of every field but Uncompressed Size
	 * and the filters, so it checks even when the size is unknown. */
	if (block == NULL || block->version > 1
	    || block->header_size < LZMA_BLOCK_HEADER_SIZE_MIN
	    || block->header_size > LZMA_BLOCK_HEADER_SIZE_MAX
	    || (block->header_size & 3) != 0
	    || !lzma_vli_is_valid(block->compressed_size)
	    || block->compressed_size == 0
	    || (unsigned)block->check > LZMA_CHECK_ID_MAX)
		return 0;
	if (block->compressed_size == LZMA_VLI_UNKNOWN)
		return LZMA_VLI_UNKNOWN;
	const lzma_vli unpadded = block->compressed_size + block->header_size
				  + lzma_check_size(block->check);
	if (unpadded > UNPADDED_SIZE_MAX)
		return 0;
	return unpadded;
}

LZMA_API(lzma_vli) lzma_block_total_size(const lzma_block *block)
{
	lzma_vli size = lzma_block_unpadded_size(block);
	if (size != LZMA_VLI_UNKNOWN)
		size = (size + 3) & ~(lzma_vli)3;
	return size;
}

/* Derive Compressed Size from an Unpadded Size found in the Index, and
 * check it against the header's when the header had one. */
LZMA_API(lzma_ret) lzma_block_compressed_size(lzma_block *block,
					      lzma_vli unpadded_size)
{
	if (lzma_block_unpadded_size(block) == 0)
		return LZMA_PROG_ERROR;
	const uint32_t overhead = block->header_size
				  + lzma_check_size(block->check);
	/* Compressed Size must be non-zero (3.1.3). */
	if (unpadded_size <= overhead)
		return LZMA_DATA_ERROR;
	const lzma_vli compressed = unpadded_size - overhead;
	if (block->compressed_size != LZMA_VLI_UNKNOWN
	    && block->compressed_size != compressed)
		return LZMA_DATA_ERROR;
	block->compressed_size = compressed;
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_block_header_size(lzma_block *block)
{
	if (block->version > 1)
		return LZMA_OPTIONS_ERROR;

	uint32_t size = 1 + 1 + 4;      /* size byte, flags, CRC32 */
	if (block->compressed_size != LZMA_VLI_UNKNOWN) {
		const uint32_t n = lzma_vli_size(block->compressed_size);
		if (n == 0 || block->compressed_size == 0)
			return LZMA_PROG_ERROR;
		size += n;
	}
	if (block->uncompressed_size != LZMA_VLI_UNKNOWN) {
		const uint32_t n = lzma_vli_size(block->uncompressed_size);
		if (n == 0)
			return LZMA_PROG_ERROR;
		size += n;
	}
	if (block->filters == NULL || block->filters[0].id == LZMA_VLI_UNKNOWN)
		return LZMA_PROG_ERROR;
	for (size_t i = 0; block->filters[i].id != LZMA_VLI_UNKNOWN; ++i) {
		if (i == LZMA_FILTERS_MAX)
			return LZMA_PROG_ERROR;
		uint32_t n;
		const lzma_ret ret = lzma_filter_flags_size(&n,
							    &block->filters[i]);
		if (ret != LZMA_OK)
			return ret;
		size += n;
	}
	/* Sizes are not checked against the limits here: an encoder may
	 * reserve room with a too large Compressed Size and fill in the
	 * real one later (as liblzma allows). */
	block->header_size = (size + 3) & ~UINT32_C(3);
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_block_header_encode(const lzma_block *block,
					    uint8_t *out)
{
	if (lzma_block_unpadded_size(block) == 0
	    || !lzma_vli_is_valid(block->uncompressed_size))
		return LZMA_PROG_ERROR;

	const size_t crc_pos = block->header_size - 4;
	size_t pos = 2;
	out[0] = (uint8_t)(crc_pos / 4);        /* 3.1.1: size / 4 - 1 */
	out[1] = 0x00;
	if (block->compressed_size != LZMA_VLI_UNKNOWN) {
		const lzma_ret ret = lzma_vli_encode(block->compressed_size,
						     NULL, out, &pos, crc_pos);
		if (ret != LZMA_OK)
			return ret;
		out[1] |= FLAG_COMPRESSED;
	}
	if (block->uncompressed_size != LZMA_VLI_UNKNOWN) {
		const lzma_ret ret = lzma_vli_encode(block->uncompressed_size,
						     NULL, out, &pos, crc_pos);
		if (ret != LZMA_OK)
			return ret;
		out[1] |= FLAG_UNCOMPRESSED;
	}
	if (block->filters == NULL || block->filters[0].id == LZMA_VLI_UNKNOWN)
		return LZMA_PROG_ERROR;
	size_t n = 0;
	for (; block->filters[n].id != LZMA_VLI_UNKNOWN; ++n) {
		if (n == LZMA_FILTERS_MAX)
			return LZMA_PROG_ERROR;
		const lzma_ret ret = lzma_filter_flags_encode(
			&block->filters[n], out, &pos, crc_pos);
		if (ret != LZMA_OK)
			return ret;
	}
	out[1] |= (uint8_t)(n - 1);
	memset(out + pos, 0, crc_pos - pos);    /* Header Padding, 3.1.6 */
	write32le(out + crc_pos, lzma_crc32(out, crc_pos, 0));
	return LZMA_OK;
}

/* Parse the List of Filter Flags and the Header Padding of a header whose
 * CRC32 has been verified. in_size excludes the CRC32 field. */
static lzma_ret parse_filters(lzma_block *block, const lzma_allocator *a,
			      const uint8_t *in, size_t *pos, size_t in_size)
{
	const size_t count = (size_t)(in[1] & FLAG_FILTER_COUNT) + 1;
	for (size_t i = 0; i < count; ++i) {
		const lzma_ret ret = lzma_filter_flags_decode(
			&block->filters[i], a, in, pos, in_size);
		if (ret != LZMA_OK)
			return ret;
	}
	/* 3.1.6: non-zero padding may be a field we do not know. */
	for (; *pos < in_size; ++*pos)
		if (in[*pos] != 0x00)
			return LZMA_OPTIONS_ERROR;
	return LZMA_OK;
}

/* The caller has set block->header_size from in[0]
 * (lzma_block_header_size_decode()), block->check from the Stream Flags
 * and block->filters to an array of LZMA_FILTERS_MAX + 1 entries. */
LZMA_API(lzma_ret) lzma_block_header_decode(lzma_block *block,
					    const lzma_allocator *a,
					    const uint8_t *in)
{
	if (block == NULL || block->filters == NULL || in == NULL)
		return LZMA_PROG_ERROR;
	/* Leave the array freeable whatever happens below. */
	for (size_t i = 0; i <= LZMA_FILTERS_MAX; ++i) {
		block->filters[i].id = LZMA_VLI_UNKNOWN;
		block->filters[i].options = NULL;
	}
	if (block->version > 1)
		block->version = 1;     /* the newest we know */
	block->ignore_check = false;

	if (block->header_size < LZMA_BLOCK_HEADER_SIZE_MIN
	    || lzma_block_header_size_decode(in[0]) != block->header_size
	    || (unsigned)block->check > LZMA_CHECK_ID_MAX)
		return LZMA_PROG_ERROR;

	const size_t in_size = block->header_size - 4;
	if (lzma_crc32(in, in_size, 0) != read32le(in + in_size))
		return LZMA_DATA_ERROR;
	if ((in[1] & FLAG_RESERVED) != 0)
		return LZMA_OPTIONS_ERROR;

	size_t pos = 2;
	lzma_ret ret;
	block->compressed_size = LZMA_VLI_UNKNOWN;
	if (in[1] & FLAG_COMPRESSED) {
		ret = lzma_vli_decode(&block->compressed_size, NULL, in, &pos,
				      in_size);
		if (ret != LZMA_OK)
			return ret;
		/* Non-zero, and the whole Block must stay a valid VLI
		 * (3.1.3); the unpadded size helper checks both. */
		if (lzma_block_unpadded_size(block) == 0)
			return LZMA_DATA_ERROR;
	}
	block->uncompressed_size = LZMA_VLI_UNKNOWN;
	if (in[1] & FLAG_UNCOMPRESSED) {
		ret = lzma_vli_decode(&block->uncompressed_size, NULL, in, &pos,
				      in_size);
		if (ret != LZMA_OK)
			return ret;
	}
	ret = parse_filters(block, a, in, &pos, in_size);
	if (ret != LZMA_OK)
		xzc_filters_free(block->filters, a);
	return ret;
}
