/*
 * file_info.c -- lzma_file_info_decoder(): the combined Index of a whole
 * .xz file, read from its end, without decompressing anything. This is
 * what xz --list runs.
 *
 * A .xz file is Streams, each followed by optional Stream Padding
 * (xz-file-format.txt 2, 2.2). Only the end of a Stream can be found
 * directly, so the file is walked backwards:
 *
 *   1. decode the first Stream Header (offset 0): is this .xz at all?
 *   2. from the current end, skip Stream Padding (zero 4-byte words, 2.2);
 *   3. decode the Stream Footer before it (2.1.2); its Backward Size gives
 *      where the Index starts;
 *   4. decode the Index (4); the sum of its Blocks' sizes gives where the
 *      Stream starts;
 *   5. decode that Stream Header and compare it with the footer (2.1.3);
 *      prepend this Stream's index to the ones found so far
 *      (lzma_index_cat()); if the Stream starts at offset 0 we are done,
 *      else its start is the new end: go to 2.
 *
 * The caller feeds the file from offset 0 and seeks when asked
 * (LZMA_SEEK_NEEDED, strm->seek_pos). To need few seeks, the end of the
 * region being examined is read into an 8 KiB window; the padding, the
 * footer, a small Index and the previous Stream's Header are then usually
 * all in it. Positions wanted inside the caller's current input buffer are
 * reached without asking. The window and the seek positions are chosen as
 * liblzma 5.4 chooses them, so that xz --list does the same reads.
 */
#include "container/index.h"

#define HEADER_SIZE LZMA_STREAM_HEADER_SIZE
#define WINDOW_SIZE 8192

/* The smallest Stream: Header, an Index with no Records (8 bytes), Footer. */
#define STREAM_SIZE_MIN (2 * HEADER_SIZE + 8)

typedef struct {
	enum {
		FI_FIRST_HEADER,        /* 1 */
		FI_PADDING,             /* 2 */
		FI_FOOTER,              /* 3 */
		FI_INDEX,               /* 4 */
		FI_HEADER,              /* 5 */
	} seq;
	uint64_t *seek_pos;             /* the stream's seek_pos */
	lzma_index **dest;
	uint64_t memlimit;
	uint64_t file_size;
	uint64_t next_pos;              /* file offset of the next input byte */

	/* The window: file bytes [win_start, win_start + win_len), being
	 * filled up to win_want bytes. */
	uint64_t win_start;
	size_t win_len, win_want;
	uint8_t win[WINDOW_SIZE];

	lzma_stream_flags first_header; /* of the Stream at offset 0 */
	lzma_stream_flags footer;       /* of the Stream being examined */
	uint64_t end;                   /* everything from here on is done */
	uint64_t padding;               /* Stream Padding after that Stream */
	uint64_t stream_end;            /* end of its Footer */
	uint64_t index_pos;             /* next Index byte to decode */
	xzc_coder index_decoder;
	lzma_index *this_index;         /* decoded Index of that Stream */
	lzma_index *combined;           /* the Streams after it, combined */
} file_info;

/* One call's view of the input, with file offsets. */
typedef struct {
	const uint8_t *in;
	size_t *in_pos;
	size_t in_start, in_size;
	uint64_t base;                  /* file offset of in[in_start] */
} input;

static uint64_t in_offset(const input *ip)
{
	return ip->base + (*ip->in_pos - ip->in_start);
}

/* Move to file offset target: inside the current buffer (or just after
 * it) by moving in_pos; otherwise by asking the caller. true if the caller
 * must seek; the rest of the buffer then counts as used, as in liblzma. */
static bool seek_to(file_info *fi, input *ip, uint64_t target)
{
	if (target >= ip->base
	    && target - ip->base <= ip->in_size - ip->in_start) {
		*ip->in_pos = ip->in_start + (size_t)(target - ip->base);
		fi->next_pos = target;
		return false;
	}
	*fi->seek_pos = target;
	*ip->in_pos = ip->in_size;
	fi->next_pos = target;
	return true;
}

/* Make the window [max(low, end - WINDOW_SIZE), end); window_fill() then
 * reads it. */
static void window_load(file_info *fi, uint64_t end, uint64_t low)
{
	fi->win_start = end - low > WINDOW_SIZE ? end - WINDOW_SIZE : low;
	fi->win_len = 0;
	fi->win_want = (size_t)(end - fi->win_start);
}

static uint64_t window_end(const file_info *fi)
{
	return fi->win_start + fi->win_len;
}

/* Complete the window if it is not. LZMA_STREAM_END when it is full,
 * LZMA_OK when more input is needed, LZMA_SEEK_NEEDED to seek. */
static lzma_ret window_fill(file_info *fi, input *ip)
{
	if (fi->win_len == fi->win_want)
		return LZMA_STREAM_END;
	if (in_offset(ip) != window_end(fi) && seek_to(fi, ip, window_end(fi)))
		return LZMA_SEEK_NEEDED;
	xzc_bufcpy(ip->in, ip->in_pos, ip->in_size, fi->win, &fi->win_len,
		   fi->win_want);
	return fi->win_len == fi->win_want ? LZMA_STREAM_END : LZMA_OK;
}

/* Unless the window holds bytes just before end, load the window that
 * ends there (for the padding scan of step 2). */
static void window_for_padding(file_info *fi)
{
	if (!(fi->win_start < fi->end && fi->end <= window_end(fi)))
		window_load(fi, fi->end, HEADER_SIZE);
}

/* 1: the Stream Header at offset 0 decides whether this is .xz. */
static lzma_ret first_header(file_info *fi, input *ip)
{
	if (fi->file_size < HEADER_SIZE)
		return LZMA_FORMAT_ERROR;
	const lzma_ret ret = window_fill(fi, ip);
	if (ret != LZMA_STREAM_END)
		return ret;
	const lzma_ret r = lzma_stream_header_decode(&fi->first_header,
						     fi->win);
	if (r != LZMA_OK)
		return r;
	/* A file is whole Streams and padding: a multiple of four bytes,
	 * and at least a Header and a Footer. */
	INPUT_CHECK(fi->file_size % 4 == 0
		    && fi->file_size >= 2 * HEADER_SIZE);
	fi->end = fi->file_size;
	fi->padding = 0;
	window_for_padding(fi);
	fi->seq = FI_PADDING;
	return LZMA_OK;
}

/* 2: skip zero words backwards from fi->end, inside the window. */
static lzma_ret padding(file_info *fi, input *ip)
{
	const lzma_ret ret = window_fill(fi, ip);
	if (ret != LZMA_STREAM_END)
		return ret;
	uint64_t pos = fi->end;
	while (pos > fi->win_start
	       && read32le(fi->win + (pos - 4 - fi->win_start)) == 0)
		pos -= 4;
	fi->padding += fi->end - pos;
	fi->end = pos;
	if (pos == fi->win_start) {
		/* All zeros so far: read further back, but not into the
		 * first Stream Header. */
		INPUT_CHECK(pos > HEADER_SIZE);
		window_load(fi, pos, HEADER_SIZE);
		return LZMA_OK;
	}
	INPUT_CHECK(pos >= STREAM_SIZE_MIN);
	fi->stream_end = pos;
	if (pos - HEADER_SIZE < fi->win_start)
		window_load(fi, pos, HEADER_SIZE);
	fi->seq = FI_FOOTER;
	return LZMA_OK;
}

/* 3: the Stream Footer; then start on the Index it points to. */
static lzma_ret footer(file_info *fi, input *ip, const lzma_allocator *a)
{
	lzma_ret ret = window_fill(fi, ip);
	if (ret != LZMA_STREAM_END)
		return ret;
	const uint64_t start = fi->stream_end - HEADER_SIZE;
	ret = lzma_stream_footer_decode(&fi->footer,
					fi->win + (start - fi->win_start));
	if (ret != LZMA_OK)     /* no footer magic: corrupt, not "not .xz" */
		return ret == LZMA_FORMAT_ERROR ? LZMA_DATA_ERROR : ret;
	/* The Index and a Stream Header must fit before the footer. */
	INPUT_CHECK(start - HEADER_SIZE >= fi->footer.backward_size);
	fi->index_pos = start - fi->footer.backward_size;

	const uint64_t used = fi->combined == NULL
			      ? 0 : lzma_index_memused(fi->combined);
	ret = xzc_index_decoder_init(&fi->index_decoder, a, &fi->this_index,
				     fi->memlimit > used
				     ? fi->memlimit - used : 1);
	if (ret != LZMA_OK)
		return ret;
	fi->seq = FI_INDEX;
	return LZMA_OK;
}

/* Feed Index bytes buf[0 .. n) to the Index decoder; *used gets how many
 * it took. The Index must end exactly where the footer begins. */
static lzma_ret index_feed(file_info *fi, const uint8_t *buf, size_t n,
			   size_t *used, const lzma_allocator *a)
{
	*used = 0;
	const lzma_ret ret = fi->index_decoder.code(fi->index_decoder.state,
						    a, buf, used, n,
						    xzc_nonnull(NULL), NULL, 0,
						    LZMA_RUN);
	fi->index_pos += *used;
	const bool at_footer = fi->index_pos == fi->stream_end - HEADER_SIZE;
	if (ret == LZMA_STREAM_END)
		return at_footer ? LZMA_STREAM_END : LZMA_DATA_ERROR;
	if (ret == LZMA_OK && at_footer)
		return LZMA_DATA_ERROR;         /* Index longer than said */
	return ret;
}

/* 4: the Index, from the window when it is there, else from the input. */
static lzma_ret index_field(file_info *fi, input *ip, const lzma_allocator *a)
{
	const uint64_t stop = fi->stream_end - HEADER_SIZE;
	size_t used;
	lzma_ret ret;
	if (fi->index_pos >= fi->win_start && stop <= window_end(fi)) {
		ret = index_feed(fi, fi->win + (fi->index_pos - fi->win_start),
				 (size_t)(stop - fi->index_pos), &used, a);
	} else {
		if (in_offset(ip) != fi->index_pos
		    && seek_to(fi, ip, fi->index_pos))
			return LZMA_SEEK_NEEDED;
		const size_t n = (size_t)MIN((uint64_t)(ip->in_size
							 - *ip->in_pos),
					     stop - fi->index_pos);
		ret = index_feed(fi, ip->in + *ip->in_pos, n, &used, a);
		*ip->in_pos += used;
	}
	if (ret != LZMA_STREAM_END)
		return ret;
	xzc_coder_end(&fi->index_decoder, a);

	/* The Stream starts before its Blocks and its Header. */
	const uint64_t index_start = stop - fi->footer.backward_size;
	const uint64_t blocks = lzma_index_total_size(fi->this_index);
	INPUT_CHECK(index_start >= blocks + HEADER_SIZE);
	fi->end = index_start - blocks - HEADER_SIZE;
	/* Unless this is the first Stream, a whole Stream must fit before. */
	INPUT_CHECK(fi->end == 0 || fi->end >= STREAM_SIZE_MIN);
	if (fi->end != 0 && !(fi->end >= fi->win_start
			      && fi->end + HEADER_SIZE <= window_end(fi)))
		window_load(fi, fi->end + HEADER_SIZE, MIN(fi->end,
							   HEADER_SIZE));
	fi->seq = FI_HEADER;
	return LZMA_OK;
}

/* 5: the Stream Header must agree with the footer (2.1.3). Then this
 * Stream's index goes in front of the ones already found. */
static lzma_ret header(file_info *fi, input *ip, const lzma_allocator *a)
{
	lzma_stream_flags h = fi->first_header;
	if (fi->end != 0) {
		lzma_ret ret = window_fill(fi, ip);
		if (ret != LZMA_STREAM_END)
			return ret;
		ret = lzma_stream_header_decode(&h, fi->win + (fi->end
							      - fi->win_start));
		if (ret != LZMA_OK)
			return ret == LZMA_FORMAT_ERROR ? LZMA_DATA_ERROR : ret;
	}
	lzma_ret ret = lzma_stream_flags_compare(&h, &fi->footer);
	if (ret != LZMA_OK)
		return ret;
	ret = lzma_index_stream_flags(fi->this_index, &fi->footer);
	if (ret == LZMA_OK)
		ret = lzma_index_stream_padding(fi->this_index, fi->padding);
	if (ret == LZMA_OK && fi->combined != NULL)
		ret = lzma_index_cat(fi->this_index, fi->combined, a);
	if (ret != LZMA_OK)
		return ret;
	fi->combined = fi->this_index;
	fi->this_index = NULL;

	if (fi->end == 0) {
		*fi->dest = fi->combined;
		fi->combined = NULL;
		return LZMA_STREAM_END;
	}
	fi->padding = 0;
	window_for_padding(fi);
	fi->seq = FI_PADDING;
	return LZMA_OK;
}

static lzma_ret file_info_code(void *state, const lzma_allocator *a,
			       const uint8_t *in, size_t *in_pos,
			       size_t in_size, uint8_t *out, size_t *out_pos,
			       size_t out_size, lzma_action action)
{
	(void)out;
	(void)out_pos;
	(void)out_size;
	(void)action;
	file_info *fi = state;
	/* Never look at input beyond the end of the file. */
	if (in_size - *in_pos > fi->file_size - fi->next_pos)
		in_size = *in_pos + (size_t)(fi->file_size - fi->next_pos);
	input ip = { in, in_pos, *in_pos, in_size, fi->next_pos };

	lzma_ret ret = LZMA_OK;
	while (ret == LZMA_OK) {
		const size_t before = *in_pos;
		const unsigned seq = (unsigned)fi->seq;
		switch (fi->seq) {
		case FI_FIRST_HEADER: ret = first_header(fi, &ip); break;
		case FI_PADDING: ret = padding(fi, &ip); break;
		case FI_FOOTER: ret = footer(fi, &ip, a); break;
		case FI_INDEX: ret = index_field(fi, &ip, a); break;
		case FI_HEADER: default: ret = header(fi, &ip, a); break;
		}
		if (ret == LZMA_SEEK_NEEDED)
			return ret;
		/* Stop when a step neither moved nor consumed anything. */
		if (ret == LZMA_OK && *in_pos == before && (unsigned)fi->seq == seq
		    && *in_pos == in_size)
			break;
	}
	if (ret == LZMA_STREAM_END)
		*in_pos = in_size;      /* as liblzma: the buffer is used */
	fi->next_pos = ip.base + (*in_pos - ip.in_start);
	return ret;
}

static void file_info_end(void *state, const lzma_allocator *a)
{
	file_info *fi = state;
	xzc_coder_end(&fi->index_decoder, a);
	lzma_index_end(fi->this_index, a);
	lzma_index_end(fi->combined, a);
	xzc_free(a, fi);
}

/* Memory in use: the Indexes decoded so far, and the one being decoded.
 * Never 0, so that lzma_memusage() can report success. */
static lzma_ret file_info_memconfig(void *state, uint64_t *memusage,
				    uint64_t *old_memlimit,
				    uint64_t new_memlimit)
{
	file_info *fi = state;
	const uint64_t combined = fi->combined == NULL
				  ? 0 : lzma_index_memused(fi->combined);
	uint64_t current = 0, dummy;
	const bool decoding = fi->this_index == NULL && fi->seq == FI_INDEX
			      && fi->index_decoder.memconfig != NULL;
	if (fi->this_index != NULL)
		current = lzma_index_memused(fi->this_index);
	else if (decoding)
		(void)fi->index_decoder.memconfig(fi->index_decoder.state,
						  &current, &dummy, 0);
	*memusage = combined + current;
	if (*memusage == 0)
		*memusage = lzma_index_memusage(1, 0);
	*old_memlimit = fi->memlimit;
	if (new_memlimit == 0)
		return LZMA_OK;
	if (new_memlimit < *memusage)
		return LZMA_MEMLIMIT_ERROR;
	if (decoding)
		(void)fi->index_decoder.memconfig(fi->index_decoder.state,
						  &current, &dummy,
						  new_memlimit - combined);
	fi->memlimit = new_memlimit;
	return LZMA_OK;
}

lzma_ret xzc_file_info_decoder_init(xzc_coder *c, const lzma_allocator *a,
				    uint64_t *seek_pos, lzma_index **dest,
				    uint64_t memlimit, uint64_t file_size)
{
	if (dest == NULL || file_size > LZMA_VLI_MAX)
		return LZMA_PROG_ERROR;
	file_info *fi = xzc_alloc(a, sizeof(*fi));
	if (fi == NULL)
		return LZMA_MEM_ERROR;
	memset(fi, 0, offsetof(file_info, win));
	memset(&fi->first_header, 0,
	       sizeof(*fi) - offsetof(file_info, first_header));
	fi->seq = FI_FIRST_HEADER;
	fi->seek_pos = seek_pos;
	fi->dest = dest;
	fi->memlimit = MAX(memlimit, 1);
	fi->file_size = file_size;
	fi->index_decoder = XZC_CODER_INIT;
	window_load(fi, HEADER_SIZE, 0);
	*c = (xzc_coder){ .state = fi, .code = file_info_code,
			  .end = file_info_end,
			  .memconfig = file_info_memconfig };
	return LZMA_OK;
}
