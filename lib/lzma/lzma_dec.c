/*
 * lzma_dec.c -- the LZMA1 coder: the payload of .lzma and .lz files and the
 * raw LZMA1 filter. One run of range-coded data that ends either at a known
 * uncompressed size or at the end-of-payload marker (EOPM).
 */
#include "lzma/lzma_core.h"
#include "lzma/lzma_dec.h"

typedef struct {
	lz_dict dict;
	uint64_t remaining;     /* bytes still to produce, or LZMA_VLI_UNKNOWN */
	bool allow_eopm;        /* with a known size: an EOPM may follow */
	bool ended;             /* all symbols are decoded; checking the end */
	bool done;              /* the end has been verified */
	lzma_core core;         /* last: ends in the literal probabilities */
} lzma1_state;

uint64_t xzc_lzma_decoder_memusage(const lzma_options_lzma *opt)
{
	if (opt == NULL || opt->lc > LZMA_LCLP_MAX || opt->lp > LZMA_LCLP_MAX
	    || opt->lc + opt->lp > LZMA_LCLP_MAX || opt->pb > 4)
		return UINT64_MAX;
	const uint64_t own = sizeof(lzma1_state)
		+ lzma_core_literal_size(opt->lc + opt->lp)
		+ lz_dict_memusage(opt->dict_size);
	const uint64_t liblzma = opt->dict_size + XZC_LZMA1_DEC_LIBLZMA_STATE;
	return own > liblzma ? own : liblzma;
}

/* After the last symbol: verify the end of the range-coded data, and with
 * a known size and allow_eopm, accept one EOPM there. Sets s->done. */
static lzma_ret lzma1_end(lzma1_state *s, const uint8_t *in, size_t *in_pos,
			  size_t in_size)
{
	lzma_core *c = &s->core;
	bool ready;
	if (c->rem_len > 0)
		return LZMA_DATA_ERROR; /* a match runs past the known size */
	lzma_ret ret;
	/* With the range coder initialized, tmp is non-empty only while the
	 * EOPM below waits for input; the normalization was done before it.
	 * (Without it, tmp holds part of the 5 init bytes, which the
	 * normalization reads first.) */
	if (!c->rc_ready || c->tmp_size == 0) {
		ret = lzma_core_normalize(c, in, in_pos, in_size, &ready);
		if (ret != LZMA_OK || !ready)
			return ret;
	}
	if (!c->eopm && s->allow_eopm && c->code != 0) {
		/* Not finished yet: the only valid symbol left is an EOPM.
		 * Allow one byte of room and require that none is produced. */
		if (s->dict.start != s->dict.pos)
			return LZMA_OK; /* wait until the output is flushed */
		size_t before = s->dict.pos;
		lz_dict_set_limit(&s->dict, 1);
		ret = lzma_core_decode(c, &s->dict, in, in_pos, in_size);
		if (ret != LZMA_OK)
			return ret;
		if (s->dict.pos != before)
			return LZMA_DATA_ERROR;
		if (!c->eopm)
			return LZMA_OK; /* needs more input */
		ret = lzma_core_normalize(c, in, in_pos, in_size, &ready);
		if (ret != LZMA_OK || !ready)
			return ret;
	}
	INPUT_CHECK(c->code == 0);
	s->done = true;
	return LZMA_OK;
}

static lzma_ret lzma1_code(void *state, const lzma_allocator *a,
			   const uint8_t *in, size_t *in_pos, size_t in_size,
			   uint8_t *out, size_t *out_pos, size_t out_size,
			   lzma_action action)
{
	lzma1_state *s = state;
	(void)a;
	(void)action;
	for (;;) {
		lz_dict_flush(&s->dict, out, out_pos, out_size);
		if (s->done)
			return s->dict.start == s->dict.pos ? LZMA_STREAM_END : LZMA_OK;
		if (s->ended) {
			size_t in_before = *in_pos;
			lzma_ret ret = lzma1_end(s, in, in_pos, in_size);
			if (ret != LZMA_OK)
				return ret;
			if (!s->done && *in_pos == in_before)
				return LZMA_OK;
			continue;
		}
		/* Decode only what the caller can take now; but with the
		 * output exactly full and nothing pending, one byte ahead,
		 * so that an end marker right at the end of the output is
		 * seen in this call (as liblzma does). */
		uint64_t room = out_size - *out_pos;
		if (room == 0 && s->dict.start == s->dict.pos)
			room = 1;
		lz_dict_set_limit(&s->dict, MIN(room, s->remaining));
		size_t before = s->dict.pos, in_before = *in_pos;
		lzma_ret ret = lzma_core_decode(&s->core, &s->dict, in, in_pos, in_size);
		if (ret != LZMA_OK) {
			/* Hand out what was decoded before the damage, as
			 * liblzma does (xz -dc prints the good part). */
			lz_dict_flush(&s->dict, out, out_pos, out_size);
			return ret;
		}
		size_t produced = s->dict.pos - before;
		if (s->remaining != LZMA_VLI_UNKNOWN)
			s->remaining -= produced;
		if (s->core.eopm) {
			/* With a known size the marker may only come at the end. */
			if (s->remaining != LZMA_VLI_UNKNOWN
			    && (s->remaining != 0 || !s->allow_eopm))
				return LZMA_DATA_ERROR;
			s->ended = true;
		} else if (s->remaining == 0) {
			s->ended = true;
		} else if (produced == 0 && *in_pos == in_before) {
			lz_dict_flush(&s->dict, out, out_pos, out_size);
			return LZMA_OK;
		}
	}
}

static void lzma1_end_coder(void *state, const lzma_allocator *a)
{
	lzma1_state *s = state;
	lz_dict_free(&s->dict, a);
	xzc_free(a, s);
}

lzma_ret xzc_lzma1_decoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt,
				uint64_t uncomp_size, bool allow_eopm)
{
	if (xzc_lzma_decoder_memusage(opt) == UINT64_MAX)
		return LZMA_OPTIONS_ERROR;
	lzma1_state *s = xzc_alloc(a, sizeof(*s)
				   + lzma_core_literal_size(opt->lc + opt->lp));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	memset(s, 0, sizeof(*s));
	lzma_ret ret = lz_dict_alloc(&s->dict, a, opt->dict_size);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	lzma_core_reset(&s->core, opt->lc, opt->lp, opt->pb);
	/* Preset dictionaries (opt->preset_dict) are not supported by the
	 * .xz format's filters; liblzma ignores them when decoding raw LZMA1
	 * only through its own API. We reject them so nothing is silent. */
	if (opt->preset_dict != NULL && opt->preset_dict_size > 0) {
		lzma1_end_coder(s, a);
		return LZMA_OPTIONS_ERROR;
	}
	s->remaining = uncomp_size;
	s->allow_eopm = uncomp_size == LZMA_VLI_UNKNOWN || allow_eopm;
	*c = XZC_CODER_INIT;
	c->state = s;
	c->code = lzma1_code;
	c->end = lzma1_end_coder;
	return LZMA_OK;
}
