/*
 * delta.c -- the delta filter (xz-file-format.txt 5.3.3, filter ID 0x03):
 * each byte is stored as its difference from the byte `distance` positions
 * earlier (1 <= distance <= 256; bytes before the start count as zero).
 * It helps on fixed-width samples such as uncompressed audio or images.
 *
 * The last 256 bytes of the uncompressed data are kept in a ring indexed by
 * the low 8 bits of their position, so for the first bytes of a new piece
 * the byte `distance` back is history[(uint8_t)(pos - distance)]; within a
 * piece it is simply `distance` bytes earlier in the same buffer.
 *
 * Decoder (pull): the next coder writes into out[] and the new bytes are
 * decoded in place. Encoder (push): input is const, so it is encoded into a
 * staging buffer that the next coder then reads. Delta converts every byte
 * at once, so unlike the BCJ filters it supports every flush action: the
 * action is passed on when all input has been handed over.
 */
#include "filters/filters.h"

#define STAGE_SIZE 4096

typedef struct {
	xzc_coder next;         /* empty: plain copy from in[] to out[] */
	uint32_t distance;
	uint8_t pos;            /* position of the next byte, modulo 256 */
	uint8_t history[256];   /* uncompressed bytes, by position mod 256 */
	/* Encoder only: stage[stage_pos..stage_size) not yet handed on. */
	size_t stage_pos, stage_size;
	uint8_t stage[];
} delta_state;

/* Remember the last bytes of data (the n bytes that were at positions
 * pos .. pos + n - 1) in the ring. */
static void remember(delta_state *d, const uint8_t *data, size_t n)
{
	size_t keep = MIN(n, (size_t)256);
	for (size_t i = n - keep; i < n; i++)
		d->history[(uint8_t)(d->pos + i)] = data[i];
	d->pos = (uint8_t)(d->pos + n);
}

/* The byte `distance` before data[i]: in the ring for the first
 * `distance` bytes, in data itself after that. Encoding and decoding loop
 * over the two parts separately so the long second part runs without the
 * ring's index arithmetic. */
static void encode_bytes(delta_state *d, const uint8_t *in, uint8_t *out, size_t n)
{
	size_t dist = d->distance;
	size_t head = MIN(n, dist);
	for (size_t i = 0; i < head; i++)
		out[i] = (uint8_t)(in[i] - d->history[(uint8_t)(d->pos + i - dist)]);
	for (size_t i = head; i < n; i++)
		out[i] = (uint8_t)(in[i] - in[i - dist]);
	remember(d, in, n);
}

static void decode_bytes(delta_state *d, uint8_t *buf, size_t n)
{
	size_t dist = d->distance;
	size_t head = MIN(n, dist);
	for (size_t i = 0; i < head; i++)
		buf[i] = (uint8_t)(buf[i] + d->history[(uint8_t)(d->pos + i - dist)]);
	for (size_t i = head; i < n; i++)
		buf[i] = (uint8_t)(buf[i] + buf[i - dist]);
	remember(d, buf, n);
}

static lzma_ret delta_decode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	delta_state *d = state;
	size_t start = *out_pos;
	lzma_ret ret;
	if (d->next.code == NULL) {
		xzc_bufcpy(in, in_pos, in_size, out, out_pos, out_size);
		ret = action != LZMA_RUN && *in_pos == in_size
		      ? LZMA_STREAM_END : LZMA_OK;
	} else {
		ret = d->next.code(d->next.state, a, in, in_pos, in_size,
				   out, out_pos, out_size, action);
	}
	decode_bytes(d, out + start, *out_pos - start);
	return ret;
}

/* Encoder without a next coder: encode straight from in[] to out[]. */
static lzma_ret encode_last(delta_state *d, const uint8_t *in, size_t *in_pos,
			    size_t in_size, uint8_t *out, size_t *out_pos,
			    size_t out_size, lzma_action action)
{
	size_t n = MIN(in_size - *in_pos, out_size - *out_pos);
	encode_bytes(d, in + *in_pos, out + *out_pos, n);
	*in_pos += n;
	*out_pos += n;
	return action != LZMA_RUN && *in_pos == in_size ? LZMA_STREAM_END : LZMA_OK;
}

static lzma_ret delta_encode(void *state, const lzma_allocator *a,
			     const uint8_t *in, size_t *in_pos, size_t in_size,
			     uint8_t *out, size_t *out_pos, size_t out_size,
			     lzma_action action)
{
	delta_state *d = state;
	if (d->next.code == NULL)
		return encode_last(d, in, in_pos, in_size, out, out_pos,
				   out_size, action);
	for (;;) {
		/* The next coder sees the caller's action only with the
		 * last of the input, so a flush or finish covers it all. */
		bool all_in = *in_pos == in_size;
		lzma_ret ret = d->next.code(d->next.state, a, d->stage, &d->stage_pos,
					    d->stage_size, out, out_pos, out_size,
					    all_in ? action : LZMA_RUN);
		if (ret != LZMA_OK || d->stage_pos < d->stage_size)
			return ret;     /* done, error, or out[] is full */
		if (all_in)
			return LZMA_OK;
		size_t n = MIN(in_size - *in_pos, (size_t)STAGE_SIZE);
		encode_bytes(d, in + *in_pos, d->stage, n);
		*in_pos += n;
		d->stage_pos = 0;
		d->stage_size = n;
	}
}

static void delta_end(void *state, const lzma_allocator *a)
{
	delta_state *d = state;
	xzc_coder_end(&d->next, a);
	xzc_free(a, d);
}

static lzma_ret delta_init(xzc_coder *c, const lzma_allocator *a,
			   const lzma_options_delta *opt, xzc_coder *next,
			   bool encode)
{
	if (opt == NULL || opt->type != LZMA_DELTA_TYPE_BYTE
	    || opt->dist < LZMA_DELTA_DIST_MIN || opt->dist > LZMA_DELTA_DIST_MAX)
		return LZMA_OPTIONS_ERROR;
	size_t stage = encode ? STAGE_SIZE : 0;
	delta_state *d = xzc_alloc_zero(a, sizeof(*d) + stage);
	if (d == NULL)
		return LZMA_MEM_ERROR;
	d->distance = opt->dist;
	d->next = XZC_CODER_INIT;
	if (next != NULL)
		xzc_coder_move(&d->next, next);
	*c = XZC_CODER_INIT;
	c->state = d;
	c->code = encode ? delta_encode : delta_decode;
	c->end = delta_end;
	return LZMA_OK;
}

lzma_ret xzc_delta_decoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_delta *opt, xzc_coder *next)
{
	return delta_init(c, a, opt, next, false);
}

lzma_ret xzc_delta_encoder_init(xzc_coder *c, const lzma_allocator *a,
				const lzma_options_delta *opt, xzc_coder *next)
{
	return delta_init(c, a, opt, next, true);
}

uint64_t xzc_delta_memusage(void)
{
	/* What an encoder allocates (a decoder needs less). */
	return sizeof(delta_state) + STAGE_SIZE;
}
