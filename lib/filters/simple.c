/*
 * simple.c -- the BCJ filters as coders of a filter chain (filters.h): the
 * part that is the same for every architecture. A BCJ filter never changes
 * the size of the data; what it needs is that an instruction is converted
 * only when all its bytes are present. The conversion function (bcj_impl.h)
 * says how many leading bytes are final; the rest -- fewer than the filter's
 * lookahead -- is kept here and presented again with the bytes that follow.
 * At the end of the data the kept tail is passed on unconverted.
 *
 * Decoder (pull): the next coder (LZMA2) writes straight into the caller's
 * out[], the new bytes are converted there, and only the unconverted tail is
 * moved into our small buffer. When out[] has too little room for that, the
 * next coder fills our buffer instead and we hand out what is final.
 *
 * Encoder (push): input is const, so it is copied into our buffer, converted
 * there, and the final part handed to the next coder (or, when there is no
 * next coder, copied to out[]).
 *
 * Actions: LZMA_RUN and LZMA_FINISH. LZMA_SYNC_FLUSH (and the other flush
 * actions) give LZMA_OPTIONS_ERROR in the encoder, as in liblzma: a BCJ
 * filter cannot flush a partial instruction predictably (liblzma's bcj.h).
 */
#include "filters/bcj_impl.h"

/* Encoder staging buffer: large enough that the next coder is called with
 * reasonably big pieces. The decoder needs only 2 * lookahead bytes. */
#define ENCODER_BUF 4096

static const xzc_bcj_info infos[] = {
	/* id                    convert            lookahead  alignment */
	{ LZMA_FILTER_X86,      xzc_bcj_x86,       5,  1 },
	{ LZMA_FILTER_POWERPC,  xzc_bcj_powerpc,   4,  4 },
	{ LZMA_FILTER_IA64,     xzc_bcj_ia64,      16, 16 },
	{ LZMA_FILTER_ARM,      xzc_bcj_arm,       4,  4 },
	{ LZMA_FILTER_ARMTHUMB, xzc_bcj_armthumb,  4,  2 },
	{ LZMA_FILTER_SPARC,    xzc_bcj_sparc,     4,  4 },
	{ LZMA_FILTER_ARM64,    xzc_bcj_arm64,     4,  4 },
	{ LZMA_FILTER_RISCV,    xzc_bcj_riscv,     8,  2 },
};

const xzc_bcj_info *xzc_bcj_find(lzma_vli id)
{
	for (size_t i = 0; i < ARRAY_SIZE(infos); i++)
		if (infos[i].id == id)
			return &infos[i];
	return NULL;
}

xzc_bcj_fn xzc_bcj_function(lzma_vli id)
{
	const xzc_bcj_info *info = xzc_bcj_find(id);
	return info != NULL ? info->convert : NULL;
}

/*
 * buf[] holds, in order:
 *     [0, pos)          converted bytes already handed on
 *     [pos, filtered)   converted (final) bytes not yet handed on
 *     [filtered, size)  bytes not yet converted (after a call of convert(),
 *                       fewer than lookahead of them)
 * so 0 <= pos <= filtered <= size <= cap. Once end_reached is set, all of
 * buf is final (filtered == size) and no more data comes from the input or
 * the next coder.
 */
typedef struct {
	xzc_bcj_fn convert;
	uint32_t conv_state[XZC_BCJ_STATE_WORDS];
	uint32_t now_pos;       /* position of buf[filtered] + start offset */
	bool end_reached;
	xzc_coder next;         /* empty: plain copy from in[] */
	size_t pos, filtered, size, cap;
	uint8_t buf[];
} simple_state;

static size_t run_convert(simple_state *s, bool encode, uint8_t *p, size_t n)
{
	size_t done = s->convert(s->conv_state, s->now_pos, encode, p, n);
	ASSERT(done <= n);
	s->now_pos += (uint32_t)done;
	return done;
}

/* Decoder: get more data into out[*out_pos..out_size) from the next coder
 * (or by copying from in[]). Sets end_reached at the end of the data; other
 * than that returns what the next coder returned. */
static lzma_ret pull(simple_state *s, const lzma_allocator *a,
		     const uint8_t *in, size_t *in_pos, size_t in_size,
		     uint8_t *out, size_t *out_pos, size_t out_size,
		     lzma_action action)
{
	if (s->next.code == NULL) {
		xzc_bufcpy(in, in_pos, in_size, out, out_pos, out_size);
		if (action == LZMA_FINISH && *in_pos == in_size)
			s->end_reached = true;
		return LZMA_OK;
	}
	lzma_ret ret = s->next.code(s->next.state, a, in, in_pos, in_size,
				    out, out_pos, out_size, action);
	if (ret == LZMA_STREAM_END) {
		s->end_reached = true;
		ret = LZMA_OK;
	}
	return ret;
}

/* Decoder with room in out[] for more than the kept tail: the tail goes to
 * out[], new data is appended there and converted in place; what is not
 * final goes back into buf[]. Sets *progress if new data arrived. */
static lzma_ret decode_direct(simple_state *s, const lzma_allocator *a,
			      const uint8_t *in, size_t *in_pos, size_t in_size,
			      uint8_t *out, size_t *out_pos, size_t out_size,
			      lzma_action action, bool *progress)
{
	size_t start = *out_pos;
	memcpy(out + start, s->buf, s->size);
	*out_pos += s->size;
	size_t before = *out_pos;
	lzma_ret ret = pull(s, a, in, in_pos, in_size, out, out_pos, out_size, action);
	*progress = *out_pos > before || s->end_reached;

	size_t len = *out_pos - start;
	size_t done = run_convert(s, false, out + start, len);
	if (s->end_reached)
		done = len;     /* the last bytes stay as they are */
	size_t rest = len - done;
	*out_pos -= rest;
	memmove(s->buf, out + *out_pos, rest);
	s->size = rest;
	s->pos = s->filtered = 0;
	return ret;
}

/* Decoder with too little room in out[]: fill buf[] and convert there. */
static lzma_ret decode_buffered(simple_state *s, const lzma_allocator *a,
				const uint8_t *in, size_t *in_pos, size_t in_size,
				lzma_action action, bool *progress)
{
	size_t before = s->size;
	lzma_ret ret = pull(s, a, in, in_pos, in_size, s->buf, &s->size, s->cap, action);
	s->filtered = run_convert(s, false, s->buf, s->size);
	if (s->end_reached)
		s->filtered = s->size;
	*progress = s->size > before || s->filtered > 0 || s->end_reached;
	return ret;
}

static lzma_ret simple_decode(void *state, const lzma_allocator *a,
			      const uint8_t *in, size_t *in_pos, size_t in_size,
			      uint8_t *out, size_t *out_pos, size_t out_size,
			      lzma_action action)
{
	simple_state *s = state;
	for (;;) {
		xzc_bufcpy(s->buf, &s->pos, s->filtered, out, out_pos, out_size);
		if (s->pos < s->filtered)
			return LZMA_OK;                 /* out[] is full */
		if (s->end_reached)
			return LZMA_STREAM_END;         /* filtered == size */

		/* Drop what was handed out; keep the unconverted tail. */
		memmove(s->buf, s->buf + s->pos, s->size - s->pos);
		s->size -= s->pos;
		s->pos = s->filtered = 0;

		size_t room = out_size - *out_pos;
		if (room == 0)
			return LZMA_OK;
		bool progress;
		lzma_ret ret = room > s->size
			? decode_direct(s, a, in, in_pos, in_size, out, out_pos,
					out_size, action, &progress)
			: decode_buffered(s, a, in, in_pos, in_size, action, &progress);
		if (ret != LZMA_OK)
			return ret;
		if (!progress)
			return LZMA_OK;                 /* needs more input */
	}
}

/* Encoder: hand buf[pos..filtered) to the next coder, or copy it to out[]
 * when there is none. last: this is the end of the data. */
static lzma_ret push(simple_state *s, const lzma_allocator *a,
		     uint8_t *out, size_t *out_pos, size_t out_size, bool last)
{
	if (s->next.code == NULL) {
		xzc_bufcpy(s->buf, &s->pos, s->filtered, out, out_pos, out_size);
		return last && s->pos == s->filtered ? LZMA_STREAM_END : LZMA_OK;
	}
	return s->next.code(s->next.state, a, s->buf, &s->pos, s->filtered,
			    out, out_pos, out_size, last ? LZMA_FINISH : LZMA_RUN);
}

static lzma_ret simple_encode(void *state, const lzma_allocator *a,
			      const uint8_t *in, size_t *in_pos, size_t in_size,
			      uint8_t *out, size_t *out_pos, size_t out_size,
			      lzma_action action)
{
	simple_state *s = state;
	if (action != LZMA_RUN && action != LZMA_FINISH)
		return LZMA_OPTIONS_ERROR;
	for (;;) {
		if (s->pos < s->filtered || s->end_reached) {
			lzma_ret ret = push(s, a, out, out_pos, out_size, s->end_reached);
			if (ret == LZMA_STREAM_END)
				/* Only valid after we said LZMA_FINISH. */
				return s->end_reached && s->pos == s->filtered
				       ? LZMA_STREAM_END : LZMA_PROG_ERROR;
			if (ret != LZMA_OK)
				return ret;
			if (s->pos < s->filtered || s->end_reached)
				return LZMA_OK;         /* out[] is full */
		}
		/* All final bytes handed on: keep only the tail. */
		memmove(s->buf, s->buf + s->filtered, s->size - s->filtered);
		s->size -= s->filtered;
		s->pos = s->filtered = 0;

		size_t n = xzc_bufcpy(in, in_pos, in_size, s->buf, &s->size, s->cap);
		bool finishing = action == LZMA_FINISH && *in_pos == in_size;
		if (n == 0 && !finishing)
			return LZMA_OK;                 /* needs more input */
		s->filtered = run_convert(s, true, s->buf, s->size);
		if (finishing) {
			s->filtered = s->size;
			s->end_reached = true;
		}
	}
}

static void simple_end(void *state, const lzma_allocator *a)
{
	simple_state *s = state;
	xzc_coder_end(&s->next, a);
	xzc_free(a, s);
}

static lzma_ret simple_init(xzc_coder *c, const lzma_allocator *a, lzma_vli id,
			    const lzma_options_bcj *opt, xzc_coder *next, bool encode)
{
	const xzc_bcj_info *info = xzc_bcj_find(id);
	if (info == NULL)
		return LZMA_OPTIONS_ERROR;
	uint32_t start = opt != NULL ? opt->start_offset : 0;
	if (start % info->alignment != 0)
		return LZMA_OPTIONS_ERROR;

	size_t cap = encode ? ENCODER_BUF : 2 * (size_t)info->lookahead;
	simple_state *s = xzc_alloc(a, sizeof(*s) + cap);
	if (s == NULL)
		return LZMA_MEM_ERROR;
	s->convert = info->convert;
	memset(s->conv_state, 0, sizeof(s->conv_state));
	s->now_pos = start;
	s->end_reached = false;
	s->pos = s->filtered = s->size = 0;
	s->cap = cap;
	s->next = XZC_CODER_INIT;
	if (next != NULL)
		xzc_coder_move(&s->next, next);

	*c = XZC_CODER_INIT;
	c->state = s;
	c->code = encode ? simple_encode : simple_decode;
	c->end = simple_end;
	return LZMA_OK;
}

lzma_ret xzc_bcj_decoder_init(xzc_coder *c, const lzma_allocator *a,
			      lzma_vli id, const lzma_options_bcj *opt,
			      xzc_coder *next)
{
	return simple_init(c, a, id, opt, next, false);
}

lzma_ret xzc_bcj_encoder_init(xzc_coder *c, const lzma_allocator *a,
			      lzma_vli id, const lzma_options_bcj *opt,
			      xzc_coder *next)
{
	return simple_init(c, a, id, opt, next, true);
}

uint64_t xzc_bcj_memusage(void)
{
	/* What an encoder allocates (a decoder needs less). */
	return sizeof(simple_state) + ENCODER_BUF;
}
