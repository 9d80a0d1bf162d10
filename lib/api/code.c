/*
 * code.c -- lzma_code(), lzma_end() and the other calls that work on any
 * lzma_stream, whatever coder it holds.
 *
 * lzma_code() is the only place that touches next_in/avail_in/total_in and
 * the output counterparts; the coders below see plain (buffer, position,
 * size) triples. It also enforces the action sequence of liblzma's contract
 * and turns "no progress" into LZMA_BUF_ERROR.
 */
#include "api/api.h"

enum seq {
	SEQ_RUN,
	SEQ_SYNC_FLUSH,
	SEQ_FULL_FLUSH,
	SEQ_FINISH,
	SEQ_FULL_BARRIER,
	SEQ_END,        /* LZMA_STREAM_END returned for LZMA_RUN/LZMA_FINISH */
	SEQ_ERROR,      /* a fatal error was returned: only lzma_end() is valid */
};

struct lzma_internal_s {
	xzc_coder coder;
	enum seq seq;
	/* While a flush or finish is in progress, avail_in must stay what it
	 * was at the first call of that action minus what we consumed. */
	size_t avail_in;
	uint32_t actions;       /* XZC_ACT() bits the coder accepts */
	/* Set after one call that made no progress; a second such call gives
	 * LZMA_BUF_ERROR (liblzma's contract: a single no-progress call is
	 * allowed, e.g. with avail_out == 0 right after STREAM_END checks). */
	bool no_progress_once;
};

lzma_ret xzc_api_install(lzma_stream *strm, xzc_coder *c, lzma_ret init_ret,
			 uint32_t actions)
{
	if (strm == NULL) {
		xzc_coder_end(c, NULL);
		return LZMA_PROG_ERROR;
	}
	if (init_ret != LZMA_OK) {
		xzc_coder_end(c, strm->allocator);
		lzma_end(strm);
		return init_ret;
	}
	if (strm->internal == NULL) {
		strm->internal = xzc_alloc(strm->allocator, sizeof(*strm->internal));
		if (strm->internal == NULL) {
			xzc_coder_end(c, strm->allocator);
			return LZMA_MEM_ERROR;
		}
		strm->internal->coder = XZC_CODER_INIT;
	}
	xzc_coder_end(&strm->internal->coder, strm->allocator);
	xzc_coder_move(&strm->internal->coder, c);
	strm->internal->seq = SEQ_RUN;
	strm->internal->avail_in = 0;
	strm->internal->actions = actions;
	strm->internal->no_progress_once = false;
	strm->total_in = 0;
	strm->total_out = 0;
	return LZMA_OK;
}

xzc_coder *xzc_api_coder(lzma_stream *strm)
{
	if (strm == NULL || strm->internal == NULL)
		return NULL;
	return &strm->internal->coder;
}

/* Map the action to the sequence it starts or continues; PROG_ERROR if the
 * action breaks the rules of the sequence in progress. */
static lzma_ret next_seq(lzma_internal *s, lzma_action action, size_t avail_in)
{
	static const enum seq start[] = {
		[LZMA_RUN] = SEQ_RUN,
		[LZMA_SYNC_FLUSH] = SEQ_SYNC_FLUSH,
		[LZMA_FULL_FLUSH] = SEQ_FULL_FLUSH,
		[LZMA_FINISH] = SEQ_FINISH,
		[LZMA_FULL_BARRIER] = SEQ_FULL_BARRIER,
	};
	if ((unsigned)action >= ARRAY_SIZE(start)
	    || (s->actions & XZC_ACT(action)) == 0)
		return LZMA_PROG_ERROR;

	switch (s->seq) {
	case SEQ_RUN:
		s->seq = start[action];
		s->avail_in = avail_in;
		return LZMA_OK;
	case SEQ_SYNC_FLUSH:
	case SEQ_FULL_FLUSH:
	case SEQ_FINISH:
	case SEQ_FULL_BARRIER:
		/* The same action again, with the input not changed. */
		if (start[action] != s->seq || avail_in != s->avail_in)
			return LZMA_PROG_ERROR;
		return LZMA_OK;
	case SEQ_END:
		return LZMA_STREAM_END;
	case SEQ_ERROR:
	default:
		return LZMA_PROG_ERROR;
	}
}

LZMA_API(lzma_ret) lzma_code(lzma_stream *strm, lzma_action action)
{
	if (strm == NULL || strm->internal == NULL
	    || (strm->next_in == NULL && strm->avail_in != 0)
	    || (strm->next_out == NULL && strm->avail_out != 0)
	    || strm->internal->coder.code == NULL)
		return LZMA_PROG_ERROR;

	/* Reserved members must be left at their initial values so that
	 * future versions can give them a meaning (liblzma does the same). */
	if (strm->reserved_ptr1 != NULL || strm->reserved_ptr2 != NULL
	    || strm->reserved_ptr3 != NULL || strm->reserved_ptr4 != NULL
	    || strm->reserved_int2 != 0 || strm->reserved_int3 != 0
	    || strm->reserved_int4 != 0
	    || strm->reserved_enum1 != LZMA_RESERVED_ENUM
	    || strm->reserved_enum2 != LZMA_RESERVED_ENUM)
		return LZMA_OPTIONS_ERROR;

	lzma_internal *s = strm->internal;
	lzma_ret ret = next_seq(s, action, strm->avail_in);
	if (ret != LZMA_OK)
		return ret;

	/* A NULL buffer (allowed when empty) reaches the coders as a
	 * stand-in (common.h); strm keeps its NULL, as nothing can be
	 * consumed from or produced into an empty buffer. */
	size_t in_pos = 0, out_pos = 0;
	ret = s->coder.code(s->coder.state, strm->allocator,
			    xzc_nonnull_in(strm->next_in), &in_pos,
			    strm->avail_in, xzc_nonnull(strm->next_out),
			    &out_pos, strm->avail_out, action);

	if (in_pos > 0) {
		strm->next_in += in_pos;
		strm->avail_in -= in_pos;
		strm->total_in += in_pos;
	}
	if (out_pos > 0) {
		strm->next_out += out_pos;
		strm->avail_out -= out_pos;
		strm->total_out += out_pos;
	}
	s->avail_in = strm->avail_in;

	switch (ret) {
	case LZMA_OK:
		/* Two calls in a row without progress: the caller is stuck
		 * (no input left, or no output space). */
		if (in_pos == 0 && out_pos == 0) {
			if (s->no_progress_once)
				return LZMA_BUF_ERROR;
			s->no_progress_once = true;
		} else {
			s->no_progress_once = false;
		}
		break;
	case XZC_TIMED_OUT:
		s->no_progress_once = false;
		ret = LZMA_OK;
		break;
	case LZMA_STREAM_END:
		/* A finished flush returns to the running state; RUN (for
		 * decoders) and FINISH end the stream for good. */
		if (s->seq == SEQ_SYNC_FLUSH || s->seq == SEQ_FULL_FLUSH
		    || s->seq == SEQ_FULL_BARRIER)
			s->seq = SEQ_RUN;
		else
			s->seq = SEQ_END;
		s->no_progress_once = false;
		break;
	case LZMA_NO_CHECK:
	case LZMA_UNSUPPORTED_CHECK:
	case LZMA_GET_CHECK:
	case LZMA_MEMLIMIT_ERROR:
	case LZMA_SEEK_NEEDED:
		/* Not fatal: coding may continue after these. */
		s->no_progress_once = false;
		break;
	default:
		s->seq = SEQ_ERROR;
		break;
	}
	return ret;
}

LZMA_API(void) lzma_end(lzma_stream *strm)
{
	if (strm == NULL || strm->internal == NULL)
		return;
	xzc_coder_end(&strm->internal->coder, strm->allocator);
	xzc_free(strm->allocator, strm->internal);
	strm->internal = NULL;
}

LZMA_API(lzma_check) lzma_get_check(const lzma_stream *strm)
{
	if (strm == NULL || strm->internal == NULL
	    || strm->internal->coder.get_check == NULL)
		return LZMA_CHECK_NONE;
	return strm->internal->coder.get_check(strm->internal->coder.state);
}

LZMA_API(void) lzma_get_progress(lzma_stream *strm, uint64_t *progress_in,
				 uint64_t *progress_out)
{
	if (progress_in == NULL || progress_out == NULL)
		return;
	if (strm != NULL && strm->internal != NULL
	    && strm->internal->coder.get_progress != NULL) {
		strm->internal->coder.get_progress(strm->internal->coder.state,
						   progress_in, progress_out);
	} else if (strm != NULL) {
		*progress_in = strm->total_in;
		*progress_out = strm->total_out;
	}
}

/* Shared by the three memory calls: ask the coder, or report nothing. */
static lzma_ret memconfig(lzma_stream *strm, uint64_t *usage, uint64_t *limit,
			  uint64_t new_limit)
{
	*usage = 0;
	*limit = 0;
	if (strm == NULL || strm->internal == NULL
	    || strm->internal->coder.memconfig == NULL)
		return LZMA_PROG_ERROR;
	return strm->internal->coder.memconfig(strm->internal->coder.state,
					       usage, limit, new_limit);
}

LZMA_API(uint64_t) lzma_memusage(const lzma_stream *strm)
{
	uint64_t usage, limit;
	if (memconfig((lzma_stream *)strm, &usage, &limit, 0) != LZMA_OK)
		return 0;
	return usage;
}

LZMA_API(uint64_t) lzma_memlimit_get(const lzma_stream *strm)
{
	uint64_t usage, limit;
	if (memconfig((lzma_stream *)strm, &usage, &limit, 0) != LZMA_OK)
		return 0;
	return limit;
}

LZMA_API(lzma_ret) lzma_memlimit_set(lzma_stream *strm, uint64_t new_memlimit)
{
	uint64_t usage, limit;
	/* liblzma 5.2+: 0 means "as low as possible", i.e. 1 byte. */
	if (new_memlimit == 0)
		new_memlimit = 1;
	return memconfig(strm, &usage, &limit, new_memlimit);
}
