/*
 * alone_enc.c -- the .lzma format ("LZMA_Alone"; lzma-specification.txt,
 * "lzma header"): a 13-byte header, then LZMA1 data.
 *
 *   Properties (1): (pb * 5 + lp) * 9 + lc
 *   Dictionary Size (4, little-endian)
 *   Uncompressed Size (8, little-endian): all ones = unknown
 *
 * We always write "unknown" and end the data with the end marker, since a
 * stream encoder does not know the size in advance. The header's
 * dictionary size is rounded up to 2^n or 2^n + 2^(n-1), the sizes every
 * known encoder writes, so that picky decoders (lzma_auto_decoder(),
 * which tells .lzma from random bytes by such details) accept the file;
 * the encoder itself uses the size it was given, which is no larger.
 */
#include "container/container_enc.h"
#include "lzma/lzma_enc.h"

#define HEADER_SIZE 13

struct alone_enc {
	size_t header_pos;              /* header[header_pos .. 13) pending */
	uint8_t header[HEADER_SIZE];
	xzc_coder lzma;
};

/* The smallest 2^n or 3 * 2^(n-1) that is >= size, or UINT32_MAX when
 * there is none below 4 GiB. */
static uint32_t round_dict_size(uint32_t size)
{
	for (uint32_t n = 1; n < 32; ++n) {
		const uint64_t pow2 = UINT64_C(1) << n;
		if (pow2 >= size)
			return (uint32_t)pow2;
		if (pow2 + pow2 / 2 >= size)
			return (uint32_t)(pow2 + pow2 / 2);
	}
	return UINT32_MAX;
}

static lzma_ret alone_encode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	struct alone_enc *s = state;
	xzc_bufcpy(s->header, &s->header_pos, HEADER_SIZE, out, out_pos,
		   out_size);
	if (s->header_pos < HEADER_SIZE)
		return LZMA_OK;
	return s->lzma.code(s->lzma.state, a, in, in_pos, in_size, out,
			    out_pos, out_size, action);
}

static void alone_end(void *state, const lzma_allocator *a)
{
	struct alone_enc *s = state;
	xzc_coder_end(&s->lzma, a);
	xzc_free(a, s);
}

lzma_ret xzc_alone_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt)
{
	if (opt == NULL)
		return LZMA_PROG_ERROR;
	if (opt->dict_size < LZMA_DICT_SIZE_MIN)
		return LZMA_OPTIONS_ERROR;
	struct alone_enc *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	s->lzma = XZC_CODER_INIT;
	lzma_ret ret = xzc_lzma1_props_encode(opt, s->header);
	if (ret == LZMA_OK)
		ret = xzc_lzma1_encoder_init(&s->lzma, a, opt, true,
					     LZMA_VLI_UNKNOWN);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	write32le(s->header + 1, round_dict_size(opt->dict_size));
	memset(s->header + 5, 0xFF, 8);         /* size unknown */
	s->header_pos = 0;
	*c = (xzc_coder){ .state = s, .code = alone_encode, .end = alone_end };
	return LZMA_OK;
}
