/*
 * block_dec.c -- decode one .xz Block after its header (xz-file-format.txt
 * 3.2 Compressed Data, 3.3 Block Padding, 3.4 Check).
 *
 * The filter chain decodes Compressed Data; this layer keeps it inside the
 * sizes the header promised, verifies them when the chain ends, reads the
 * Block Padding (zero bytes up to a multiple of four) and compares the
 * Check with the one computed over the output.
 */
#include "container/container.h"
#include "check/check.h"

struct block_dec {
	enum {
		SEQ_DATA,       /* the filter chain runs */
		SEQ_PADDING,    /* 3.3 */
		SEQ_CHECK,      /* 3.4 */
	} seq;
	xzc_coder chain;
	lzma_block *block;              /* the caller's; sizes written back */
	/* Bytes seen so far; always <= the limits below. */
	lzma_vli compressed;
	lzma_vli uncompressed;
	/* The header's sizes, or the largest sizes the format allows when
	 * the header leaves them out, so a chain can never run past them. */
	lzma_vli compressed_limit;
	lzma_vli uncompressed_limit;
	size_t check_pos;               /* bytes of the Check read */
	bool ignore_check;
	xzc_check_state check;
};

/* A header size that is present must match the real one (3.1.3, 3.1.4). */
static bool size_matches(lzma_vli real, lzma_vli header)
{
	return header == LZMA_VLI_UNKNOWN || header == real;
}

static lzma_ret decode_data(struct block_dec *s, const lzma_allocator *a,
			    const uint8_t *in, size_t *in_pos, size_t in_size,
			    uint8_t *out, size_t *out_pos, size_t out_size,
			    lzma_action action)
{
	const size_t in_start = *in_pos, out_start = *out_pos;
	/* Never hand the chain more than the block can still hold. */
	const size_t in_stop = in_start + (size_t)MIN(
		(lzma_vli)(in_size - in_start),
		s->compressed_limit - s->compressed);
	const size_t out_stop = out_start + (size_t)MIN(
		(lzma_vli)(out_size - out_start),
		s->uncompressed_limit - s->uncompressed);

	const lzma_ret ret = s->chain.code(s->chain.state, a, in, in_pos,
					   in_stop, out, out_pos, out_stop,
					   action);
	const size_t out_used = *out_pos - out_start;
	s->compressed += *in_pos - in_start;
	s->uncompressed += out_used;
	if (!s->ignore_check && out_used > 0)
		xzc_check_update(&s->check, out + out_start, out_used);

	if (ret == LZMA_OK) {
		const bool comp_done = s->compressed == s->block->compressed_size;
		const bool uncomp_done =
			s->uncompressed == s->block->uncompressed_size;
		/* Both sizes reached but the chain did not see its end. */
		INPUT_CHECK(!(comp_done && uncomp_done));
		/* All input the header allows is used, yet the chain could
		 * not fill the output it was offered: it wants more. */
		INPUT_CHECK(!(comp_done && *out_pos < out_size));
		/* All output produced, input is there, yet no end: the
		 * chain would need to produce more than the header says. */
		INPUT_CHECK(!(uncomp_done && *in_pos < in_size));
		return LZMA_OK;
	}
	if (ret != LZMA_STREAM_END)
		return ret;

	INPUT_CHECK(size_matches(s->compressed, s->block->compressed_size));
	INPUT_CHECK(size_matches(s->uncompressed,
				 s->block->uncompressed_size));
	/* The caller (the stream decoder) records these in its index. */
	s->block->compressed_size = s->compressed;
	s->block->uncompressed_size = s->uncompressed;
	s->seq = SEQ_PADDING;
	return LZMA_STREAM_END;
}

static lzma_ret block_decode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	struct block_dec *s = state;
	if (s->seq == SEQ_DATA) {
		const lzma_ret ret = decode_data(s, a, in, in_pos, in_size,
						 out, out_pos, out_size,
						 action);
		if (ret != LZMA_STREAM_END)
			return ret;
	}
	if (s->seq == SEQ_PADDING) {
		/* 3.3: zero bytes up to a multiple of four. compressed now
		 * counts the padding too; the real size is in *block. */
		while ((s->compressed & 3) != 0) {
			if (*in_pos >= in_size)
				return LZMA_OK;
			++s->compressed;
			INPUT_CHECK(in[(*in_pos)++] == 0x00);
		}
		if (s->block->check == LZMA_CHECK_NONE)
			return LZMA_STREAM_END;
		if (!s->ignore_check)
			xzc_check_finish(&s->check);
		s->seq = SEQ_CHECK;
	}
	const size_t check_size = lzma_check_size(s->block->check);
	xzc_bufcpy(in, in_pos, in_size, s->block->raw_check, &s->check_pos,
		   check_size);
	if (s->check_pos < check_size)
		return LZMA_OK;
	/* 3.4: verify when asked to and when this build knows the check;
	 * an unknown one is skipped (the stream decoder reported it). */
	if (!s->ignore_check && lzma_check_is_supported(s->block->check))
		INPUT_CHECK(memcmp(s->block->raw_check, s->check.result,
				   check_size) == 0);
	return LZMA_STREAM_END;
}

static void block_end(void *state, const lzma_allocator *a)
{
	struct block_dec *s = state;
	xzc_coder_end(&s->chain, a);
	xzc_free(a, s);
}

lzma_ret xzc_block_decoder_init(xzc_coder *c, const lzma_allocator *a,
				lzma_block *block)
{
	/* Everything but the filters is checked here; the chain builder
	 * checks those. */
	if (lzma_block_unpadded_size(block) == 0
	    || !lzma_vli_is_valid(block->uncompressed_size))
		return LZMA_PROG_ERROR;

	struct block_dec *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	s->seq = SEQ_DATA;
	s->chain = XZC_CODER_INIT;
	s->block = block;
	/* Without a Compressed Size, the largest one that keeps the whole
	 * Block (with padding and Check) a valid VLI and a multiple of 4. */
	s->compressed_limit = block->compressed_size != LZMA_VLI_UNKNOWN
		? block->compressed_size
		: (LZMA_VLI_MAX & ~(lzma_vli)3) - block->header_size
		  - lzma_check_size(block->check);
	s->uncompressed_limit = block->uncompressed_size != LZMA_VLI_UNKNOWN
		? block->uncompressed_size : LZMA_VLI_MAX;
	s->ignore_check = block->version >= 1 && block->ignore_check;
	xzc_check_init(&s->check, block->check);

	const lzma_ret ret = xzc_raw_decoder_init(&s->chain, a, block->filters);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	*c = (xzc_coder){ .state = s, .code = block_decode, .end = block_end };
	return LZMA_OK;
}
