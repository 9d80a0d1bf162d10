/*
 * microlzma.c -- the MicroLZMA encoder and decoder (see microlzma.h),
 * built on the LZMA1 encoder core and the LZMA1 decoder.
 */
#include "lzma/microlzma.h"
#include "lzma/lzma_dec.h"
#include "lzma/lzma_enc_internal.h"

/* The smallest output: the properties byte in place of the range coder's
 * first byte, and the four other bytes of the range coder's flush. */
#define MICROLZMA_OUT_MIN 6

static uint8_t props_byte(uint32_t lc, uint32_t lp, uint32_t pb)
{
	return (uint8_t)((pb * 5 + lp) * 9 + lc);
}

/* ---- encoder -------------------------------------------------------------- */

typedef struct {
	lzma_enc *e;
	uint8_t props;
} micro_enc;

static lzma_ret micro_encode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	(void)a;
	micro_enc *m = state;
	lzma_enc *e = m->e;
	if (action != LZMA_FINISH || out_size - *out_pos < MICROLZMA_OUT_MIN)
		return LZMA_PROG_ERROR;

	/* Code straight into the caller's buffer: xzc_lzma_enc_run() stops
	 * before a symbol could take the output (flush included) beyond
	 * out_limit. The input is offered in window-sized pieces; what
	 * counts as used is what was coded, not what the window took. */
	const size_t in_start = *in_pos;
	rce_reset(&e->rc, out + *out_pos);
	e->chunk_uncomp = 0;
	const uint64_t out_limit = out_size - *out_pos;
	/* chunk_uncomp is 32-bit: stay below 4 GiB of coded input. */
	const uint32_t in_limit = UINT32_MAX - 2 * LZ_MATCH_LEN_MAX;
	size_t offered = in_start;
	enc_status st;
	do {
		offered += lz_enc_fill(&e->mf, in + offered, in_size - offered,
				       LZ_FINISH);
		st = xzc_lzma_enc_run(e, out_limit, in_limit);
	} while (st == ENC_NEED_INPUT);
	rce_flush(&e->rc);

	*in_pos = in_start + e->chunk_uncomp;
	/* The range coder's first byte is always 0x00; MicroLZMA puts the
	 * negated properties there. */
	out[*out_pos] = (uint8_t)~m->props;
	*out_pos += e->rc.out_pos;
	return LZMA_STREAM_END;
}

static void micro_enc_end(void *state, const lzma_allocator *a)
{
	micro_enc *m = state;
	xzc_lzma_enc_destroy(m->e, a);
	xzc_free(a, m);
}

lzma_ret xzc_microlzma_encoder_init(xzc_coder *c, const lzma_allocator *a,
				    const lzma_options_lzma *opt)
{
	if (opt == NULL)
		return LZMA_PROG_ERROR;
	micro_enc *m = xzc_alloc(a, sizeof(*m));
	if (m == NULL)
		return LZMA_MEM_ERROR;
	const lzma_ret ret = xzc_lzma_enc_create(&m->e, a, opt);
	if (ret != LZMA_OK) {
		xzc_free(a, m);
		return ret;
	}
	m->props = props_byte(opt->lc, opt->lp, opt->pb);
	*c = (xzc_coder){ .state = m, .code = micro_encode,
			  .end = micro_enc_end };
	return LZMA_OK;
}

/* ---- decoder -------------------------------------------------------------- */

typedef struct {
	xzc_coder lzma;                 /* created at the first byte */
	bool started;
	bool exact;
	uint64_t comp_left;             /* compressed bytes not yet read */
	uint64_t uncomp_size;
	uint64_t uncomp_done;
	uint32_t dict_size;
} micro_dec;

/* The first byte: the properties; the LZMA1 decoder gets the 0x00 that
 * the range coder wrote there. */
static lzma_ret micro_start(micro_dec *m, const lzma_allocator *a,
			    uint8_t first)
{
	lzma_options_lzma opt;
	memset(&opt, 0, sizeof(opt));
	if (!xzc_lzma_lclppb_decode(&opt, (uint8_t)~first))
		return LZMA_OPTIONS_ERROR;
	opt.dict_size = m->dict_size;
	/* With an exact size the data must end exactly there; with a lower
	 * bound, the decoder runs on (as if the size were unknown) and we
	 * stop it at the bound. */
	lzma_ret ret = xzc_lzma1_decoder_init(&m->lzma, a, &opt,
					      m->exact ? m->uncomp_size
						       : LZMA_VLI_UNKNOWN,
					      !m->exact);
	if (ret != LZMA_OK)
		return ret;
	static const uint8_t zero = 0x00;
	size_t pos = 0, out_pos = 0;
	ret = m->lzma.code(m->lzma.state, a, &zero, &pos, 1, xzc_nonnull(NULL),
			   &out_pos, 0, LZMA_RUN);
	m->started = true;
	if (ret != LZMA_OK || pos != 1)
		return ret == LZMA_OK ? LZMA_PROG_ERROR : ret;
	return LZMA_OK;
}

static lzma_ret micro_decode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	micro_dec *m = state;
	if (in_size - *in_pos > m->comp_left)
		in_size = *in_pos + (size_t)m->comp_left;
	if (!m->started) {
		if (*in_pos == in_size)
			return m->comp_left == 0 ? LZMA_DATA_ERROR : LZMA_OK;
		const lzma_ret ret = micro_start(m, a, in[*in_pos]);
		if (ret != LZMA_OK)
			return ret;
		++*in_pos;
		--m->comp_left;
	}
	if (out_size - *out_pos > m->uncomp_size - m->uncomp_done)
		out_size = *out_pos + (size_t)(m->uncomp_size - m->uncomp_done);
	const size_t in_start = *in_pos, out_start = *out_pos;
	lzma_ret ret = m->lzma.code(m->lzma.state, a, in, in_pos, in_size, out,
				    out_pos, out_size, action);
	m->comp_left -= *in_pos - in_start;
	m->uncomp_done += *out_pos - out_start;
	if (ret == LZMA_OK && !m->exact && m->uncomp_done == m->uncomp_size)
		ret = LZMA_STREAM_END;
	return ret;
}

static void micro_dec_end(void *state, const lzma_allocator *a)
{
	micro_dec *m = state;
	xzc_coder_end(&m->lzma, a);
	xzc_free(a, m);
}

lzma_ret xzc_microlzma_decoder_init(xzc_coder *c, const lzma_allocator *a,
				    uint64_t comp_size, uint64_t uncomp_size,
				    bool uncomp_size_is_exact,
				    uint32_t dict_size)
{
	if (uncomp_size > LZMA_VLI_MAX)
		return LZMA_OPTIONS_ERROR;
	micro_dec *m = xzc_alloc(a, sizeof(*m));
	if (m == NULL)
		return LZMA_MEM_ERROR;
	*m = (micro_dec){ .lzma = XZC_CODER_INIT, .exact = uncomp_size_is_exact,
			  .comp_left = comp_size, .uncomp_size = uncomp_size,
			  .dict_size = dict_size };
	*c = (xzc_coder){ .state = m, .code = micro_decode,
			  .end = micro_dec_end };
	return LZMA_OK;
}
