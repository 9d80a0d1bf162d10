/*
 * stream_flags.c -- Stream Header and Stream Footer of the .xz format
 * (xz-file-format.txt 2.1.1 and 2.1.2), 12 bytes each:
 *
 *   header:  magic FD 37 7A 58 5A 00 | Stream Flags (2) | CRC32 of the flags
 *   footer:  CRC32 | Backward Size (4) | Stream Flags (2) | magic 59 5A
 *
 * The CRC32 of the footer covers Backward Size and Stream Flags.
 *
 * Error codes follow liblzma's, which let a caller tell apart "not .xz"
 * (LZMA_FORMAT_ERROR: magic), "corrupt" (LZMA_DATA_ERROR: CRC32) and "a
 * newer format version" (LZMA_OPTIONS_ERROR: reserved bits set although the
 * CRC32 matched; 2.1.1.3 explains why the CRC is checked first).
 */
#include "container/container.h"

static const uint8_t header_magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0x00 };
static const uint8_t footer_magic[2] = { 'Y', 'Z' };

/* Offsets inside the 12-byte structures. */
enum {
	HDR_FLAGS = 6,
	HDR_CRC = 8,
	FTR_CRC = 0,
	FTR_BACKWARD = 4,
	FTR_FLAGS = 8,
	FTR_MAGIC = 10,
	FLAGS_SIZE = 2,
};

/* 2.1.1.2: the first byte is 0x00, the high nibble of the second is
 * reserved, the low nibble is the Check ID. */
static bool flags_decode(lzma_stream_flags *f, const uint8_t *in)
{
	if (in[0] != 0x00 || (in[1] & 0xF0) != 0)
		return false;
	f->version = 0;
	f->check = (lzma_check)(in[1] & 0x0F);
	return true;
}

static bool flags_encode(const lzma_stream_flags *f, uint8_t *out)
{
	if ((unsigned)f->check > LZMA_CHECK_ID_MAX)
		return false;
	out[0] = 0x00;
	out[1] = (uint8_t)f->check;
	return true;
}

/* 2.1.2.2: stored as (real / 4 - 1) in 32 bits, so the real size is a
 * multiple of 4 in [4, 2^34]. */
static bool backward_size_valid(lzma_vli size)
{
	return size >= LZMA_BACKWARD_SIZE_MIN && size <= LZMA_BACKWARD_SIZE_MAX
	       && (size & 3) == 0;
}

LZMA_API(lzma_ret) lzma_stream_header_decode(lzma_stream_flags *options,
					     const uint8_t *in)
{
	if (memcmp(in, header_magic, sizeof(header_magic)) != 0)
		return LZMA_FORMAT_ERROR;
	if (lzma_crc32(in + HDR_FLAGS, FLAGS_SIZE, 0) != read32le(in + HDR_CRC))
		return LZMA_DATA_ERROR;
	if (!flags_decode(options, in + HDR_FLAGS))
		return LZMA_OPTIONS_ERROR;
	/* The header has no Backward Size; UNKNOWN makes
	 * lzma_stream_flags_compare() skip it. */
	options->backward_size = LZMA_VLI_UNKNOWN;
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_stream_footer_decode(lzma_stream_flags *options,
					     const uint8_t *in)
{
	if (memcmp(in + FTR_MAGIC, footer_magic, sizeof(footer_magic)) != 0)
		return LZMA_FORMAT_ERROR;
	if (lzma_crc32(in + FTR_BACKWARD, 4 + FLAGS_SIZE, 0)
	    != read32le(in + FTR_CRC))
		return LZMA_DATA_ERROR;
	if (!flags_decode(options, in + FTR_FLAGS))
		return LZMA_OPTIONS_ERROR;
	options->backward_size =
		((lzma_vli)read32le(in + FTR_BACKWARD) + 1) * 4;
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_stream_header_encode(const lzma_stream_flags *options,
					     uint8_t *out)
{
	if (options->version != 0)
		return LZMA_OPTIONS_ERROR;
	memcpy(out, header_magic, sizeof(header_magic));
	if (!flags_encode(options, out + HDR_FLAGS))
		return LZMA_PROG_ERROR;
	write32le(out + HDR_CRC, lzma_crc32(out + HDR_FLAGS, FLAGS_SIZE, 0));
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_stream_footer_encode(const lzma_stream_flags *options,
					     uint8_t *out)
{
	if (options->version != 0)
		return LZMA_OPTIONS_ERROR;
	if (!backward_size_valid(options->backward_size))
		return LZMA_PROG_ERROR;
	write32le(out + FTR_BACKWARD,
		  (uint32_t)(options->backward_size / 4 - 1));
	if (!flags_encode(options, out + FTR_FLAGS))
		return LZMA_PROG_ERROR;
	write32le(out + FTR_CRC,
		  lzma_crc32(out + FTR_BACKWARD, 4 + FLAGS_SIZE, 0));
	memcpy(out + FTR_MAGIC, footer_magic, sizeof(footer_magic));
	return LZMA_OK;
}

/* 2.1.2.3: the footer's flags must equal the header's. Backward Size is
 * compared only when both sides know it (a decoded header never does). */
LZMA_API(lzma_ret) lzma_stream_flags_compare(const lzma_stream_flags *a,
					     const lzma_stream_flags *b)
{
	if (a->version != 0 || b->version != 0)
		return LZMA_OPTIONS_ERROR;
	if ((unsigned)a->check > LZMA_CHECK_ID_MAX
	    || (unsigned)b->check > LZMA_CHECK_ID_MAX)
		return LZMA_PROG_ERROR;
	if (a->check != b->check)
		return LZMA_DATA_ERROR;
	if (a->backward_size != LZMA_VLI_UNKNOWN
	    && b->backward_size != LZMA_VLI_UNKNOWN) {
		if (!backward_size_valid(a->backward_size)
		    || !backward_size_valid(b->backward_size))
			return LZMA_PROG_ERROR;
		if (a->backward_size != b->backward_size)
			return LZMA_DATA_ERROR;
	}
	return LZMA_OK;
}

lzma_ret xzc_stream_footer_verify(const uint8_t footer[LZMA_STREAM_HEADER_SIZE],
				  const lzma_stream_flags *header,
				  const lzma_index_hash *index_hash)
{
	lzma_stream_flags flags;
	lzma_ret ret = lzma_stream_footer_decode(&flags, footer);
	if (ret != LZMA_OK)
		return ret == LZMA_FORMAT_ERROR ? LZMA_DATA_ERROR : ret;
	INPUT_CHECK(lzma_index_hash_size(index_hash) == flags.backward_size);
	return lzma_stream_flags_compare(header, &flags);
}
