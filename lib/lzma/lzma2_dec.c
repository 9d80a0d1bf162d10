/*
 * lzma2_dec.c -- LZMA2: a sequence of chunks, each either stored
 * uncompressed or LZMA-compressed, ending with a 0x00 byte.
 *
 * Chunk header (the first byte is the "control" byte):
 *   0x00               end of the LZMA2 data
 *   0x01               uncompressed chunk, dictionary reset
 *   0x02               uncompressed chunk, no reset
 *                        then 2 bytes: size - 1 (big-endian)
 *   0x80 | r << 5 | u  LZMA chunk; u = bits 16..20 of (uncompressed size - 1)
 *                        r = 0: nothing reset        r = 1: state reset
 *                        r = 2: state reset + new properties
 *                        r = 3: as 2 + dictionary reset
 *                        then 2 bytes: uncompressed size - 1, low 16 bits
 *                             2 bytes: compressed size - 1
 *                             1 byte:  lc/lp/pb (r >= 2 only)
 *   0x03..0x7F         invalid
 * Rules (as XZ Utils enforces them): the first chunk resets the dictionary;
 * after a dictionary reset the next LZMA chunk sets new properties; every
 * LZMA chunk starts a fresh range coder whose data ends exactly at the
 * compressed size, with no end marker.
 */
#include "lzma/lzma_core.h"
#include "lzma/lzma_dec.h"

enum l2_seq {
	L2_CONTROL,
	L2_USIZE_1,     /* uncompressed size, bits 8..15 */
	L2_USIZE_2,     /* uncompressed size, bits 0..7 */
	L2_CSIZE_1,
	L2_CSIZE_2,
	L2_PROPS,
	L2_LZMA,        /* decoding the LZMA data of a chunk */
	L2_LZMA_END,    /* chunk fully decoded: verify the range coder's end */
	L2_COPY,        /* copying an uncompressed chunk */
	L2_DONE,
};

typedef struct {
	enum l2_seq seq;
	uint8_t control;        /* control byte of the current chunk */
	uint32_t usize;         /* uncompressed bytes left in the chunk */
	uint32_t csize;         /* compressed bytes left in the chunk */
	bool need_dict_reset;
	bool need_props;
	uint32_t lc, lp, pb;    /* properties of the last chunk that set them */
	lz_dict dict;
	lzma_core core;         /* last: literal probabilities follow */
} lzma2_state;

/* The properties byte of an LZMA chunk: (pb * 5 + lp) * 9 + lc. */
bool xzc_lzma_lclppb_decode(lzma_options_lzma *opt, uint8_t byte)
{
	if (byte > (4 * 5 + 4) * 9 + 8)
		return false;
	opt->pb = byte / (9 * 5);
	byte = (uint8_t)(byte - opt->pb * 9 * 5);
	opt->lp = byte / 9;
	opt->lc = byte - opt->lp * 9;
	return opt->lc + opt->lp <= LZMA_LCLP_MAX;
}

uint64_t xzc_lzma2_decoder_memusage(const lzma_options_lzma *opt)
{
	if (opt == NULL)
		return UINT64_MAX;
	/* lzma_dec.h: the larger of our allocation and liblzma's figure. */
	const uint64_t own = sizeof(lzma2_state)
		+ lzma_core_literal_size(LZMA_LCLP_MAX)
		+ lz_dict_memusage(opt->dict_size);
	const uint64_t liblzma = opt->dict_size + XZC_LZMA2_DEC_LIBLZMA_STATE;
	return own > liblzma ? own : liblzma;
}

static lzma_ret l2_control(lzma2_state *s, uint8_t control)
{
	s->control = control;
	if (control == 0x00) {
		s->seq = L2_DONE;
		return LZMA_OK;
	}
	if (control >= 0xE0 || control == 0x01) {
		/* Safe: control bytes are read only when all is flushed. */
		lz_dict_reset(&s->dict);
		s->need_dict_reset = false;
		s->need_props = true;
	} else {
		INPUT_CHECK(!s->need_dict_reset);
	}
	if (control >= 0x80) {
		s->usize = (uint32_t)(control & 0x1F) << 16;
		if (control < 0xC0) {
			INPUT_CHECK(!s->need_props);
			if (control >= 0xA0)
				lzma_core_reset(&s->core, s->lc, s->lp, s->pb);
		}
	} else {
		INPUT_CHECK(control <= 0x02);
		s->usize = 0;
	}
	s->seq = L2_USIZE_1;
	return LZMA_OK;
}

/* Consume one header byte of the chunk. */
static lzma_ret l2_header_byte(lzma2_state *s, uint8_t b)
{
	switch (s->seq) {
	case L2_CONTROL:
		return l2_control(s, b);
	case L2_USIZE_1:
		s->usize |= (uint32_t)b << 8;
		s->seq = L2_USIZE_2;
		return LZMA_OK;
	case L2_USIZE_2:
		s->usize = (s->usize | b) + 1;
		s->seq = s->control >= 0x80 ? L2_CSIZE_1 : L2_COPY;
		return LZMA_OK;
	case L2_CSIZE_1:
		s->csize = (uint32_t)b << 8;
		s->seq = L2_CSIZE_2;
		return LZMA_OK;
	case L2_CSIZE_2:
		s->csize = (s->csize | b) + 1;
		s->seq = s->control >= 0xC0 ? L2_PROPS : L2_LZMA;
		if (s->seq == L2_LZMA)
			lzma_core_reset_rc(&s->core);
		return LZMA_OK;
	case L2_PROPS: {
		lzma_options_lzma o;
		INPUT_CHECK(xzc_lzma_lclppb_decode(&o, b));
		s->lc = o.lc;
		s->lp = o.lp;
		s->pb = o.pb;
		lzma_core_reset(&s->core, o.lc, o.lp, o.pb);
		s->need_props = false;
		s->seq = L2_LZMA;
		return LZMA_OK;
	}
	default:
		return LZMA_PROG_ERROR;
	}
}

/* Decode LZMA data of the current chunk; input limited to the chunk. */
static lzma_ret l2_lzma(lzma2_state *s, const uint8_t *in, size_t *in_pos,
			size_t in_size, size_t out_room)
{
	size_t limit = *in_pos + MIN(in_size - *in_pos, (size_t)s->csize);
	size_t in_before = *in_pos, before = s->dict.pos;
	lzma_ret ret;
	bool ready = true;

	if (s->seq == L2_LZMA) {
		lz_dict_set_limit(&s->dict, MIN(out_room, (size_t)s->usize));
		ret = lzma_core_decode(&s->core, &s->dict, in, in_pos, limit);
		s->usize -= (uint32_t)(s->dict.pos - before);
		s->csize -= (uint32_t)(*in_pos - in_before);
		if (ret != LZMA_OK)
			return ret;
		INPUT_CHECK(!s->core.eopm);     /* LZMA2 has no end marker */
		if (s->usize > 0) {
			/* Out of chunk data before the chunk's end: corrupt. */
			INPUT_CHECK(!(s->core.need_input && s->csize == 0));
			return LZMA_OK;
		}
		INPUT_CHECK(s->core.rem_len == 0);
		s->seq = L2_LZMA_END;
		in_before = *in_pos;
	}
	ret = lzma_core_normalize(&s->core, in, in_pos, limit, &ready);
	s->csize -= (uint32_t)(*in_pos - in_before);
	if (ret != LZMA_OK)
		return ret;
	if (!ready) {
		INPUT_CHECK(s->csize > 0);
		return LZMA_OK;
	}
	/* The chunk's data must end exactly here, with code == 0. */
	INPUT_CHECK(s->csize == 0 && s->core.code == 0);
	s->seq = L2_CONTROL;
	return LZMA_OK;
}

static lzma_ret lzma2_code(void *state, const lzma_allocator *a,
			   const uint8_t *in, size_t *in_pos, size_t in_size,
			   uint8_t *out, size_t *out_pos, size_t out_size,
			   lzma_action action)
{
	lzma2_state *s = state;
	lzma_ret ret = LZMA_OK;
	(void)a;
	(void)action;
	for (;;) {
		lz_dict_flush(&s->dict, out, out_pos, out_size);
		size_t in_before = *in_pos, dict_before = s->dict.pos;
		switch (s->seq) {
		case L2_DONE:
			return s->dict.start == s->dict.pos ? LZMA_STREAM_END : LZMA_OK;
		case L2_CONTROL:
			/* A reset may follow: read it only when all is flushed. */
			if (s->dict.start != s->dict.pos || *in_pos == in_size)
				return LZMA_OK;
			ret = l2_header_byte(s, in[(*in_pos)++]);
			break;
		case L2_USIZE_1:
		case L2_USIZE_2:
		case L2_CSIZE_1:
		case L2_CSIZE_2:
		case L2_PROPS:
			if (*in_pos == in_size)
				return LZMA_OK;
			ret = l2_header_byte(s, in[(*in_pos)++]);
			break;
		case L2_LZMA:
		case L2_LZMA_END:
			ret = l2_lzma(s, in, in_pos, in_size, out_size - *out_pos);
			break;
		case L2_COPY:
			lz_dict_set_limit(&s->dict, MIN(out_size - *out_pos, (size_t)s->usize));
			s->usize -= (uint32_t)lz_dict_write(&s->dict, in, in_pos, in_size,
							    s->usize);
			if (s->usize == 0)
				s->seq = L2_CONTROL;
			break;
		}
		if (ret != LZMA_OK) {
			/* Hand out what was decoded before the damage, as
			 * liblzma does (xz -dc prints the good part). */
			lz_dict_flush(&s->dict, out, out_pos, out_size);
			return ret;
		}
		if (*in_pos == in_before && s->dict.pos == dict_before
		    && s->seq != L2_CONTROL && s->seq != L2_DONE) {
			lz_dict_flush(&s->dict, out, out_pos, out_size);
			return LZMA_OK;
		}
	}
}

static void lzma2_end(void *state, const lzma_allocator *a)
{
	lzma2_state *s = state;
	lz_dict_free(&s->dict, a);
	xzc_free(a, s);
}

lzma_ret xzc_lzma2_decoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_lzma *opt)
{
	if (opt == NULL)
		return LZMA_OPTIONS_ERROR;
	lzma2_state *s = xzc_alloc(a, sizeof(*s) + lzma_core_literal_size(LZMA_LCLP_MAX));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	memset(s, 0, sizeof(*s));
	lzma_ret ret = lz_dict_alloc(&s->dict, a, opt->dict_size);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	s->seq = L2_CONTROL;
	s->need_dict_reset = true;
	s->need_props = true;
	*c = XZC_CODER_INIT;
	c->state = s;
	c->code = lzma2_code;
	c->end = lzma2_end;
	return LZMA_OK;
}
