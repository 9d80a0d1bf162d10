/*
 * block_enc.c -- encode one .xz Block (xz-file-format.txt 3): the coder for
 * Compressed Data, Block Padding and Check (3.2-3.4), and liblzma's
 * single-call block functions, which also write the Block Header (3.1).
 *
 * The sizes: Compressed Size counts the filter chain's output only;
 * Unpadded Size = header + Compressed Data + Check; the whole block is
 * padded to a multiple of four (3.3). Every size must stay a valid VLI, so
 * the Compressed Data may be at most COMPRESSED_SIZE_MAX bytes.
 */
#include "container/container_enc.h"
#include "check/check.h"

/* The largest Compressed Size whose Block, with the largest header and
 * check, still has a valid Unpadded Size that is a multiple of four. */
#define COMPRESSED_SIZE_MAX \
	((LZMA_VLI_MAX - LZMA_BLOCK_HEADER_SIZE_MAX - LZMA_CHECK_SIZE_MAX) \
	 & ~(lzma_vli)3)

struct block_enc {
	enum {
		SEQ_DATA,       /* the filter chain runs */
		SEQ_PADDING,    /* 3.3 */
		SEQ_CHECK,      /* 3.4 */
	} seq;
	xzc_coder chain;
	lzma_block *block;              /* the caller's; sizes written back */
	lzma_vli compressed;            /* output of the chain so far */
	lzma_vli uncompressed;          /* input so far */
	size_t check_pos;               /* bytes of the Check written */
	xzc_check_state check;
};

static lzma_ret encode_data(struct block_enc *s, const lzma_allocator *a,
			    const uint8_t *in, size_t *in_pos, size_t in_size,
			    uint8_t *out, size_t *out_pos, size_t out_size,
			    lzma_action action)
{
	/* The input must fit in Uncompressed Size (a VLI). */
	if (LZMA_VLI_MAX - s->uncompressed < in_size - *in_pos)
		return LZMA_DATA_ERROR;
	const size_t in_start = *in_pos, out_start = *out_pos;
	const lzma_ret ret = s->chain.code(s->chain.state, a, in, in_pos,
					   in_size, out, out_pos, out_size,
					   action);
	const size_t in_used = *in_pos - in_start;
	const size_t out_used = *out_pos - out_start;
	if (COMPRESSED_SIZE_MAX - s->compressed < out_used)
		return LZMA_DATA_ERROR;
	s->compressed += out_used;
	s->uncompressed += in_used;
	if (in_used > 0)
		xzc_check_update(&s->check, in + in_start, in_used);

	/* A finished sync flush leaves the block open. */
	if (ret != LZMA_STREAM_END || action != LZMA_FINISH)
		return ret;
	/* The caller (the stream encoder) builds its Index from these. */
	s->block->compressed_size = s->compressed;
	s->block->uncompressed_size = s->uncompressed;
	s->seq = SEQ_PADDING;
	return LZMA_STREAM_END;
}

static lzma_ret block_encode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	struct block_enc *s = state;
	if (s->seq == SEQ_DATA) {
		const lzma_ret ret = encode_data(s, a, in, in_pos, in_size,
						 out, out_pos, out_size,
						 action);
		if (ret != LZMA_STREAM_END || s->seq == SEQ_DATA)
			return ret;
	}
	if (s->seq == SEQ_PADDING) {
		/* 3.3: zero bytes up to a multiple of four. compressed now
		 * counts the padding too; the real size is in *block. */
		while ((s->compressed & 3) != 0) {
			if (*out_pos >= out_size)
				return LZMA_OK;
			out[(*out_pos)++] = 0x00;
			++s->compressed;
		}
		if (s->block->check == LZMA_CHECK_NONE)
			return LZMA_STREAM_END;
		xzc_check_finish(&s->check);
		memcpy(s->block->raw_check, s->check.result,
		       lzma_check_size(s->block->check));
		s->seq = SEQ_CHECK;
	}
	const size_t check_size = lzma_check_size(s->block->check);
	xzc_bufcpy(s->check.result, &s->check_pos, check_size, out, out_pos,
		   out_size);
	return s->check_pos < check_size ? LZMA_OK : LZMA_STREAM_END;
}

static void block_end(void *state, const lzma_allocator *a)
{
	struct block_enc *s = state;
	xzc_coder_end(&s->chain, a);
	xzc_free(a, s);
}

/* lzma_filters_update() in the middle of a block: only the chain can
 * take new options (LZMA2's lc/lp/pb); the header is already out. */
static lzma_ret block_update(void *state, const lzma_allocator *a,
			     const lzma_filter *filters)
{
	struct block_enc *s = state;
	if (s->seq != SEQ_DATA || s->chain.update == NULL)
		return LZMA_PROG_ERROR;
	return s->chain.update(s->chain.state, a, filters);
}

lzma_ret xzc_block_encoder_init(xzc_coder *c, const lzma_allocator *a,
				lzma_block *block)
{
	if (block == NULL)
		return LZMA_PROG_ERROR;
	/* What the other fields mean depends on the version. */
	if (block->version > 1)
		return LZMA_OPTIONS_ERROR;
	if ((unsigned)block->check > LZMA_CHECK_ID_MAX)
		return LZMA_PROG_ERROR;
	/* Without the check function we could not write a valid Block. */
	if (!lzma_check_is_supported(block->check))
		return LZMA_UNSUPPORTED_CHECK;

	struct block_enc *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	s->seq = SEQ_DATA;
	s->chain = XZC_CODER_INIT;
	s->block = block;
	xzc_check_init(&s->check, block->check);
	const lzma_ret ret = xzc_raw_encoder_init(&s->chain, a, block->filters);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	*c = (xzc_coder){ .state = s, .code = block_encode, .end = block_end,
			  .update = block_update };
	return LZMA_OK;
}

/* ---- single-call encoding ------------------------------------------------ */

/* LZMA2 (xz-file-format.txt 5.3.1) stores incompressible data in
 * uncompressed chunks of at most 64 KiB, each with a 3-byte header, and
 * ends with one 0x00 byte. */
#define LZMA2_UNCOMP_CHUNK (UINT32_C(1) << 16)
#define LZMA2_UNCOMP_HEADER 3

/* The LZMA2 size of in_size bytes stored uncompressed: an upper bound on
 * what the block functions ever write as Compressed Data. 0 when that
 * would not be a valid Compressed Size. */
static lzma_vli lzma2_uncompressed_size(uint64_t in_size)
{
	if (in_size > COMPRESSED_SIZE_MAX)
		return 0;
	const uint64_t chunks = (in_size + LZMA2_UNCOMP_CHUNK - 1)
				/ LZMA2_UNCOMP_CHUNK;
	const uint64_t overhead = chunks * LZMA2_UNCOMP_HEADER + 1;
	if (COMPRESSED_SIZE_MAX - overhead < in_size)
		return 0;
	return in_size + overhead;
}

/* The largest Block Header (both sizes as 9-byte VLIs, one LZMA2 filter
 * flags of 3 bytes), the CRC32, the largest Check, padding: liblzma's
 * bound, so that buffers sized by either library fit both. */
#define BLOCK_OVERHEAD_BOUND \
	((1 + 1 + 2 * LZMA_VLI_BYTES_MAX + 3 + 4 + LZMA_CHECK_SIZE_MAX + 3) \
	 & ~(size_t)3)

LZMA_API(size_t) lzma_block_buffer_bound(size_t uncompressed_size)
{
	const lzma_vli data = lzma2_uncompressed_size(uncompressed_size);
	if (data == 0)
		return 0;
	const uint64_t bound = ((data + 3) & ~(lzma_vli)3)
			       + BLOCK_OVERHEAD_BOUND;
	return bound > SIZE_MAX ? 0 : (size_t)bound;
}

/* Compress with the block's own chain into out, header first. Returns
 * LZMA_BUF_ERROR when the result would be larger than the stored form
 * (block->compressed_size holds that size on entry) or does not fit;
 * *out_pos is then unchanged. */
static lzma_ret encode_compressed(lzma_block *block, const lzma_allocator *a,
				  const uint8_t *in, size_t in_size,
				  uint8_t *out, size_t *out_pos,
				  size_t out_size)
{
	/* The header size is computed with the stored form's size, the
	 * largest Compressed Size we accept: the real one is smaller and
	 * fits in the room reserved (Header Padding fills the rest). */
	lzma_ret ret = lzma_block_header_size(block);
	if (ret != LZMA_OK)
		return ret;
	if (out_size - *out_pos <= block->header_size)
		return LZMA_BUF_ERROR;
	const size_t header_pos = *out_pos;
	size_t pos = header_pos + block->header_size;
	size_t limit = out_size;
	if (limit - pos > block->compressed_size)
		limit = pos + (size_t)block->compressed_size;

	xzc_coder chain = XZC_CODER_INIT;
	ret = xzc_raw_encoder_init(&chain, a, block->filters);
	if (ret == LZMA_OK) {
		size_t in_pos = 0;
		ret = chain.code(chain.state, a, in, &in_pos, in_size, out,
				 &pos, limit, LZMA_FINISH);
	}
	xzc_coder_end(&chain, a);
	if (ret == LZMA_OK)
		return LZMA_BUF_ERROR;          /* the output room ran out */
	if (ret != LZMA_STREAM_END)
		return ret;

	block->compressed_size = pos - header_pos - block->header_size;
	if (lzma_block_header_encode(block, out + header_pos) != LZMA_OK)
		return LZMA_PROG_ERROR;
	*out_pos = pos;
	return LZMA_OK;
}

/* The fallback: LZMA2 uncompressed chunks, announced in the header as a
 * plain LZMA2 filter with the smallest dictionary (a decoder needs none,
 * but LZMA2 must name one). block->compressed_size is the stored form's
 * size on entry. */
static lzma_ret encode_stored(lzma_block *block, const uint8_t *in,
			      size_t in_size, uint8_t *out, size_t *out_pos,
			      size_t out_size)
{
	lzma_options_lzma lzma2 = { .dict_size = LZMA_DICT_SIZE_MIN };
	lzma_filter filters[2] = {
		{ .id = LZMA_FILTER_LZMA2, .options = &lzma2 },
		{ .id = LZMA_VLI_UNKNOWN, .options = NULL },
	};
	lzma_filter *const caller_filters = block->filters;
	block->filters = filters;
	lzma_ret ret = LZMA_OK;
	if (lzma_block_header_size(block) != LZMA_OK)
		ret = LZMA_PROG_ERROR;
	else if (out_size - *out_pos
		 < block->header_size + block->compressed_size)
		ret = LZMA_BUF_ERROR;
	else if (lzma_block_header_encode(block, out + *out_pos) != LZMA_OK)
		ret = LZMA_PROG_ERROR;
	block->filters = caller_filters;
	if (ret != LZMA_OK)
		return ret;

	size_t pos = *out_pos + block->header_size;
	uint8_t control = 0x01;         /* the first chunk resets the dict */
	for (size_t done = 0; done < in_size;) {
		const size_t n = MIN(in_size - done, LZMA2_UNCOMP_CHUNK);
		out[pos++] = control;
		out[pos++] = (uint8_t)((n - 1) >> 8);
		out[pos++] = (uint8_t)(n - 1);
		memcpy(out + pos, in + done, n);
		pos += n;
		done += n;
		control = 0x02;
	}
	out[pos++] = 0x00;              /* end of LZMA2 data */
	*out_pos = pos;
	return LZMA_OK;
}

static lzma_ret block_buffer_encode(lzma_block *block, const lzma_allocator *a,
				    const uint8_t *in, size_t in_size,
				    uint8_t *out, size_t *out_pos,
				    size_t out_size, bool try_compress)
{
	if (block == NULL || (in == NULL && in_size != 0) || out == NULL
	    || out_pos == NULL || *out_pos > out_size)
		return LZMA_PROG_ERROR;
	in = xzc_nonnull_in(in);        /* common.h: coders never see NULL */
	if (block->version > 1)
		return LZMA_OPTIONS_ERROR;
	if ((unsigned)block->check > LZMA_CHECK_ID_MAX
	    || (try_compress && block->filters == NULL))
		return LZMA_PROG_ERROR;
	if (!lzma_check_is_supported(block->check))
		return LZMA_UNSUPPORTED_CHECK;

	/* A Block is a multiple of four bytes: room beyond the last whole
	 * multiple can never be used. Reserve the Check's room now. */
	out_size -= (out_size - *out_pos) & 3;
	const size_t check_size = lzma_check_size(block->check);
	if (out_size - *out_pos <= check_size)
		return LZMA_BUF_ERROR;
	out_size -= check_size;

	block->uncompressed_size = in_size;
	block->compressed_size = lzma2_uncompressed_size(in_size);
	if (block->compressed_size == 0)
		return LZMA_DATA_ERROR;

	const size_t start = *out_pos;
	lzma_ret ret = LZMA_BUF_ERROR;
	if (try_compress)
		ret = encode_compressed(block, a, in, in_size, out, out_pos,
					out_size);
	if (ret == LZMA_BUF_ERROR) {
		/* Incompressible (or no room for the compressed form):
		 * the stored form still makes a valid Block if it fits. */
		block->compressed_size = lzma2_uncompressed_size(in_size);
		ret = encode_stored(block, in, in_size, out, out_pos,
				    out_size);
	}
	if (ret != LZMA_OK) {
		*out_pos = start;
		return ret;
	}

	/* Block Padding: the room was kept by rounding out_size down. */
	for (lzma_vli n = block->compressed_size; (n & 3) != 0; ++n)
		out[(*out_pos)++] = 0x00;
	if (check_size > 0) {
		xzc_check_state check;
		xzc_check_init(&check, block->check);
		xzc_check_update(&check, in, in_size);
		xzc_check_finish(&check);
		memcpy(block->raw_check, check.result, check_size);
		memcpy(out + *out_pos, check.result, check_size);
		*out_pos += check_size;
	}
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_block_buffer_encode(lzma_block *block,
					    const lzma_allocator *a,
					    const uint8_t *in, size_t in_size,
					    uint8_t *out, size_t *out_pos,
					    size_t out_size)
{
	return block_buffer_encode(block, a, in, in_size, out, out_pos,
				   out_size, true);
}

/* Only the stored form; block->filters is not used (may be NULL). */
LZMA_API(lzma_ret) lzma_block_uncomp_encode(lzma_block *block,
					    const uint8_t *in, size_t in_size,
					    uint8_t *out, size_t *out_pos,
					    size_t out_size)
{
	return block_buffer_encode(block, NULL, in, in_size, out, out_pos,
				   out_size, false);
}
