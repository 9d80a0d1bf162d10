/*
 * alone_dec.c -- the .lzma format of LZMA Utils and the LZMA SDK
 * (lzma-specification.txt, "lzma header"): a 13-byte header, then one raw
 * LZMA1 stream.
 *
 *   byte 0      lc/lp/pb as (pb * 5 + lp) * 9 + lc
 *   bytes 1-4   dictionary size, 32-bit LE
 *   bytes 5-12  uncompressed size, 64-bit LE; all ones = unknown, and the
 *               data then ends with the end marker
 *
 * With a known size the end marker may still follow the last byte (liblzma
 * 5.4 and later accept that). The header has no magic bytes, so a "picky"
 * mode (used by the auto decoder) turns away headers no encoder writes.
 */
#include "container/container.h"
#include "lzma/lzma_dec.h"

#define HEADER_SIZE 13

struct alone_dec {
	enum {
		SEQ_HEADER,     /* collecting the 13 bytes */
		SEQ_CODER_INIT, /* separate: retried after MEMLIMIT_ERROR */
		SEQ_CODE,
	} seq;
	bool picky;
	size_t pos;                     /* header bytes read into buffer[] */
	uint8_t buffer[HEADER_SIZE];
	lzma_options_lzma opt;
	uint64_t uncompressed_size;     /* LZMA_VLI_UNKNOWN if not stored */
	uint64_t memlimit;
	uint64_t memusage;
	xzc_coder lzma;
};

/* The dictionary sizes encoders write: 2^n or 2^n + 2^(n-1) (and 0 or all
 * ones, which liblzma also lets through). Anything else is most likely
 * not a .lzma file at all. */
static bool dict_size_plausible(uint32_t d)
{
	if (d == 0 || d == UINT32_MAX)
		return true;
	while ((d & 1) == 0)
		d >>= 1;
	return d == 1 || d == 3;
}

/* Take the header one byte at a time and check each field when its last
 * byte arrives, so that data that is not .lzma is refused as early as
 * liblzma refuses it (and with the same bytes consumed: a refused
 * properties or dictionary byte is left unread). */
static lzma_ret parse_header(struct alone_dec *s, const uint8_t *in,
			     size_t *in_pos, size_t in_size)
{
	while (s->pos < HEADER_SIZE) {
		if (*in_pos >= in_size)
			return LZMA_OK;
		s->buffer[s->pos] = in[*in_pos];
		if (s->pos == 0 && !xzc_lzma_lclppb_decode(&s->opt, in[*in_pos]))
			return LZMA_FORMAT_ERROR;
		if (s->pos == 4) {
			s->opt.dict_size = read32le(s->buffer + 1);
			if (s->picky && !dict_size_plausible(s->opt.dict_size))
				return LZMA_FORMAT_ERROR;
		}
		++*in_pos;
		++s->pos;
	}
	s->uncompressed_size = read64le(s->buffer + 5);
	/* A known size of 256 GiB or more: no real file, so picky mode
	 * takes it for something else. */
	if (s->picky && s->uncompressed_size != LZMA_VLI_UNKNOWN
	    && s->uncompressed_size >= (UINT64_C(1) << 38))
		return LZMA_FORMAT_ERROR;
	const uint64_t need = xzc_lzma_decoder_memusage(&s->opt);
	if (need == UINT64_MAX)
		return LZMA_OPTIONS_ERROR;
	s->memusage = need + XZC_MEMUSAGE_BASE;
	s->seq = SEQ_CODER_INIT;
	return LZMA_OK;
}

static lzma_ret alone_decode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	struct alone_dec *s = state;
	if (s->seq == SEQ_HEADER) {
		const lzma_ret ret = parse_header(s, in, in_pos, in_size);
		if (ret != LZMA_OK || s->seq == SEQ_HEADER)
			return ret;
	}
	if (s->seq == SEQ_CODER_INIT) {
		if (s->memusage > s->memlimit)
			return LZMA_MEMLIMIT_ERROR;
		/* The end marker is allowed after a known size too. */
		const lzma_ret ret = xzc_lzma1_decoder_init(
			&s->lzma, a, &s->opt, s->uncompressed_size, true);
		if (ret != LZMA_OK)
			return ret;
		s->seq = SEQ_CODE;
	}
	return s->lzma.code(s->lzma.state, a, in, in_pos, in_size, out,
			    out_pos, out_size, action);
}

static void alone_end(void *state, const lzma_allocator *a)
{
	struct alone_dec *s = state;
	xzc_coder_end(&s->lzma, a);
	xzc_free(a, s);
}

static lzma_ret alone_memconfig(void *state, uint64_t *memusage,
				uint64_t *old_memlimit, uint64_t new_memlimit)
{
	struct alone_dec *s = state;
	*memusage = s->memusage;
	*old_memlimit = s->memlimit;
	if (new_memlimit != 0) {
		if (new_memlimit < s->memusage)
			return LZMA_MEMLIMIT_ERROR;
		s->memlimit = new_memlimit;
	}
	return LZMA_OK;
}

lzma_ret xzc_alone_decoder_init(xzc_coder *c, const lzma_allocator *a,
				uint64_t memlimit, bool picky)
{
	struct alone_dec *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	s->seq = SEQ_HEADER;
	s->picky = picky;
	s->memlimit = MAX(memlimit, 1);
	s->memusage = XZC_MEMUSAGE_BASE;
	s->lzma = XZC_CODER_INIT;
	*c = (xzc_coder){ .state = s, .code = alone_decode, .end = alone_end,
			  .memconfig = alone_memconfig };
	return LZMA_OK;
}
