/*
 * lzip_enc.c -- one member of the .lz format, version 1 (lzip manual,
 * "File format"):
 *
 *   "LZIP" | VN = 1 | DS (coded dictionary size) | LZMA stream
 *   | CRC32 of the data (4) | Data size (8) | Member size (8)
 *
 * all little-endian. The LZMA stream uses lc=3, lp=0, pb=2 and ends with
 * the end marker. Member size counts the whole member, header and trailer
 * included.
 *
 * DS: bits 4-0 give n, the base size 2^n (n from 12 to 29); bits 7-5 give
 * f, and the dictionary is 2^n - f * 2^n / 16. A requested size is rounded
 * up to the next such value, as lzip does, and the encoder uses that
 * rounded size (a decoder reserves it anyway, and a larger window can only
 * help).
 */
#include "container/container_enc.h"
#include "lzma/lzma_enc.h"

enum {
	HEADER_SIZE = 6,
	TRAILER_SIZE = 20,
	DICT_LOG2_MIN = 12,     /* 4 KiB */
	DICT_LOG2_MAX = 29,     /* 512 MiB */
};

struct lzip_enc {
	enum {
		SEQ_HEADER,
		SEQ_LZMA,
		SEQ_TRAILER,
	} seq;
	size_t pos;                     /* in buf during HEADER / TRAILER */
	uint8_t buf[TRAILER_SIZE];      /* the header, then the trailer */
	uint32_t crc32;                 /* of the input so far */
	uint64_t data_size;             /* input bytes so far */
	uint64_t lzma_size;             /* LZMA bytes written so far */
	xzc_coder lzma;
};

/* The DS byte for the smallest dictionary >= *size; *size becomes that
 * dictionary. The caller has checked 4 KiB <= *size <= 512 MiB. */
static uint8_t dict_code(uint32_t *size)
{
	uint32_t n = DICT_LOG2_MIN;
	while ((UINT32_C(1) << n) < *size)
		++n;
	const uint32_t base = UINT32_C(1) << n;
	uint32_t f = 0;
	/* The largest fraction that still leaves room for *size. */
	if (n > DICT_LOG2_MIN)
		for (f = 7; f > 0; --f)
			if (base - f * (base / 16) >= *size)
				break;
	*size = base - f * (base / 16);
	return (uint8_t)(n | (f << 5));
}

static void trailer_prepare(struct lzip_enc *s)
{
	write32le(s->buf, s->crc32);
	write64le(s->buf + 4, s->data_size);
	write64le(s->buf + 12, HEADER_SIZE + s->lzma_size + TRAILER_SIZE);
	s->pos = 0;
	s->seq = SEQ_TRAILER;
}

static lzma_ret lzip_encode(void *state, const lzma_allocator *a,
			    const uint8_t *in, size_t *in_pos, size_t in_size,
			    uint8_t *out, size_t *out_pos, size_t out_size,
			    lzma_action action)
{
	struct lzip_enc *s = state;
	if (s->seq == SEQ_HEADER) {
		xzc_bufcpy(s->buf, &s->pos, HEADER_SIZE, out, out_pos,
			   out_size);
		if (s->pos < HEADER_SIZE)
			return LZMA_OK;
		s->seq = SEQ_LZMA;
	}
	if (s->seq == SEQ_LZMA) {
		const size_t in_start = *in_pos, out_start = *out_pos;
		const lzma_ret ret = s->lzma.code(s->lzma.state, a, in, in_pos,
						  in_size, out, out_pos,
						  out_size, action);
		if (*in_pos > in_start)
			s->crc32 = lzma_crc32(in + in_start, *in_pos - in_start,
					      s->crc32);
		s->data_size += *in_pos - in_start;
		s->lzma_size += *out_pos - out_start;
		if (ret != LZMA_STREAM_END)
			return ret;
		trailer_prepare(s);
	}
	xzc_bufcpy(s->buf, &s->pos, TRAILER_SIZE, out, out_pos, out_size);
	return s->pos < TRAILER_SIZE ? LZMA_OK : LZMA_STREAM_END;
}

static void lzip_end(void *state, const lzma_allocator *a)
{
	struct lzip_enc *s = state;
	xzc_coder_end(&s->lzma, a);
	xzc_free(a, s);
}

lzma_ret xzc_lzip_encoder_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_options_lzma *opt)
{
	if (opt == NULL)
		return LZMA_PROG_ERROR;
	/* The format fixes lc/lp/pb and the dictionary range. */
	if (opt->lc != 3 || opt->lp != 0 || opt->pb != 2
	    || opt->dict_size < (UINT32_C(1) << DICT_LOG2_MIN)
	    || opt->dict_size > (UINT32_C(1) << DICT_LOG2_MAX))
		return LZMA_OPTIONS_ERROR;
	struct lzip_enc *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	lzma_options_lzma real = *opt;
	s->buf[0] = 'L';
	s->buf[1] = 'Z';
	s->buf[2] = 'I';
	s->buf[3] = 'P';
	s->buf[4] = 1;                          /* version */
	s->buf[5] = dict_code(&real.dict_size);
	s->lzma = XZC_CODER_INIT;
	const lzma_ret ret = xzc_lzma1_encoder_init(&s->lzma, a, &real, true,
						    LZMA_VLI_UNKNOWN);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	s->seq = SEQ_HEADER;
	s->pos = 0;
	*c = (xzc_coder){ .state = s, .code = lzip_encode, .end = lzip_end };
	return LZMA_OK;
}
