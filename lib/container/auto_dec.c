/*
 * auto_dec.c -- pick the decoder from the first byte, as liblzma's
 * lzma_auto_decoder() does:
 *
 *   0xFD  .xz (Header Magic Bytes, xz-file-format.txt 2.1.1.1; chosen so
 *         that it cannot be the first byte of a .lzma file)
 *   0x4C  .lz ('L' of "LZIP"; as a .lzma properties byte it would mean
 *         lc + lp > 4, which .lzma decoders refuse)
 *   else  .lzma, in picky mode (it has no magic bytes)
 *
 * The .lzma decoder takes no flags, so LZMA_TELL_NO_CHECK and
 * LZMA_TELL_ANY_CHECK are answered here; with LZMA_CONCATENATED, nothing
 * may follow a .lzma stream, and the end is reported only at LZMA_FINISH.
 */
#include "container/container.h"

struct auto_dec {
	enum {
		SEQ_DETECT,
		SEQ_CODE,
		SEQ_FINISH,     /* LZMA_CONCATENATED: wait for the end */
	} seq;
	uint32_t flags;
	uint64_t memlimit;
	xzc_coder next;
};

static lzma_ret detect(struct auto_dec *s, const lzma_allocator *a,
		       uint8_t first)
{
	lzma_ret ret;
	/* Continue in SEQ_CODE even after an informational return. */
	s->seq = SEQ_CODE;
	if (first == 0xFD)
		return xzc_stream_decoder_init(&s->next, a, s->memlimit,
					       s->flags);
	if (first == 0x4C)
		return xzc_lzip_decoder_init(&s->next, a, s->memlimit,
					     s->flags);
	ret = xzc_alone_decoder_init(&s->next, a, s->memlimit, true);
	if (ret != LZMA_OK)
		return ret;
	/* .lzma has no integrity check. */
	if (s->flags & LZMA_TELL_NO_CHECK)
		return LZMA_NO_CHECK;
	if (s->flags & LZMA_TELL_ANY_CHECK)
		return LZMA_GET_CHECK;
	return LZMA_OK;
}

static lzma_ret auto_decode(void *state, const lzma_allocator *a,
			    const uint8_t *in, size_t *in_pos, size_t in_size,
			    uint8_t *out, size_t *out_pos, size_t out_size,
			    lzma_action action)
{
	struct auto_dec *s = state;
	if (s->seq == SEQ_DETECT) {
		if (*in_pos >= in_size)
			return LZMA_OK;
		const lzma_ret ret = detect(s, a, in[*in_pos]);
		if (ret != LZMA_OK)
			return ret;
	}
	if (s->seq == SEQ_CODE) {
		const lzma_ret ret = s->next.code(s->next.state, a, in, in_pos,
						  in_size, out, out_pos,
						  out_size, action);
		if (ret != LZMA_STREAM_END
		    || (s->flags & LZMA_CONCATENATED) == 0)
			return ret;
		s->seq = SEQ_FINISH;
	}
	/* The inner decoder is done. liblzma treats any byte left here as
	 * an error (for .lz too, unlike lzma_lzip_decoder() itself). */
	INPUT_CHECK(*in_pos >= in_size);
	return action == LZMA_FINISH ? LZMA_STREAM_END : LZMA_OK;
}

static void auto_end(void *state, const lzma_allocator *a)
{
	struct auto_dec *s = state;
	xzc_coder_end(&s->next, a);
	xzc_free(a, s);
}

static lzma_check auto_get_check(const void *state)
{
	const struct auto_dec *s = state;
	/* Nothing detected yet, or .lzma: no check. */
	if (s->next.get_check == NULL)
		return LZMA_CHECK_NONE;
	return s->next.get_check(s->next.state);
}

static lzma_ret auto_memconfig(void *state, uint64_t *memusage,
			       uint64_t *old_memlimit, uint64_t new_memlimit)
{
	struct auto_dec *s = state;
	lzma_ret ret = LZMA_OK;
	if (s->next.memconfig != NULL) {
		ret = s->next.memconfig(s->next.state, memusage, old_memlimit,
					new_memlimit);
	} else {
		/* No format detected yet: only the bookkeeping is used. */
		*memusage = XZC_MEMUSAGE_BASE;
		*old_memlimit = s->memlimit;
		if (new_memlimit != 0 && new_memlimit < *memusage)
			ret = LZMA_MEMLIMIT_ERROR;
	}
	if (ret == LZMA_OK && new_memlimit != 0)
		s->memlimit = new_memlimit;
	return ret;
}

lzma_ret xzc_auto_decoder_init(xzc_coder *c, const lzma_allocator *a,
			       uint64_t memlimit, uint32_t flags)
{
	if (flags & ~(uint32_t)XZC_DECODER_FLAGS)
		return LZMA_OPTIONS_ERROR;
	struct auto_dec *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	s->seq = SEQ_DETECT;
	s->flags = flags;
	s->memlimit = MAX(memlimit, 1);
	s->next = XZC_CODER_INIT;
	*c = (xzc_coder){ .state = s, .code = auto_decode, .end = auto_end,
			  .get_check = auto_get_check,
			  .memconfig = auto_memconfig };
	return LZMA_OK;
}
