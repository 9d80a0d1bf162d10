/*
 * mt_enc.c -- the multithreaded .xz encoder (lzma_stream_encoder_mt()).
 *
 * The API thread cuts the input into Blocks of block_size bytes (a
 * LZMA_FULL_FLUSH or LZMA_FULL_BARRIER, and LZMA_FINISH, end the current
 * Block early), gives each to a worker, and writes the finished Blocks in
 * input order between the Stream Header and the Index it builds from
 * them (xz-file-format.txt 2, 3, 4).
 *
 * Each Block is compressed from scratch by a fresh encoder with the same
 * options, and nothing about a Block depends on which worker ran it or
 * when. So the output bytes depend only on the input, the options, the
 * block size and where the caller flushed -- never on the thread count or
 * the timing (tests/test_threads.c checks 1 to 4 threads give equal bytes).
 *
 * A worker compresses into its job's output buffer after room for the
 * largest Block Header; when the Block is complete its real sizes are
 * known and the header, with Compressed Size and Uncompressed Size
 * (3.1.3, 3.1.4), is written right in front of the data. A threaded
 * decoder can therefore split the work by Blocks. If the compressed form
 * would be larger than LZMA2's stored form, the Block is stored instead
 * (lzma_block_uncomp_encode()), as liblzma does.
 */
#include "threads/threads.h"
#include "container/container_enc.h"

/* A worker checks for lzma_end() and publishes progress after each chunk
 * of this much input. */
#define ENCODE_CHUNK ((size_t)1 << 20)

/* liblzma's limit: block_size times the thread count fits in 64 bits. */
#define BLOCK_SIZE_MAX (UINT64_MAX / MT_THREADS_MAX)

/* The stored form of n bytes in LZMA2: 64 KiB chunks with a 3-byte header
 * each, and the end byte (xz-file-format.txt 5.3.1). */
static uint64_t stored_size(uint64_t n)
{
	return n + (n + 0xFFFF) / 0x10000 * 3 + 1;
}

struct enc_job {
	mt_task task;                   /* first member: the pool's view */
	struct enc_job *next;           /* [api] ordered queue link */
	bool submitted;                 /* [api] */
	size_t copied;                  /* [api] output bytes handed out */
	const struct mt_enc *owner;     /* [init] its check */
	/* [api] until submitted, then the worker's: the chain of this Block
	 * (lzma_filters_update() may change the next Blocks' chain). */
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	const lzma_allocator *allocator;        /* [init] in and out */
	/* [init] The encoder's own: its match finder wants zeroed memory,
	 * which calloc gives for free and a recycled block does not. */
	const lzma_allocator *caller;

	/* [api] until submitted, then read by the worker. */
	uint8_t *in;
	size_t in_size;

	/* [worker] until done, then read by the API thread. */
	uint8_t *out;
	size_t out_cap;
	size_t out_start;               /* the Block is out[start, end) */
	size_t out_end;
	lzma_block block;               /* real sizes after encoding */

	size_t in_used;                 /* [lock] progress */
	bool done;                      /* [lock] the worker let go of it */
	lzma_ret ret;                   /* [lock] LZMA_OK or an error */
};

enum seq { SEQ_BLOCKS, SEQ_INDEX, SEQ_FOOTER, SEQ_END };

struct mt_enc {
	mt_pool pool;
	mt_cache cache;                 /* the jobs' allocator */
	lzma_filter filters[LZMA_FILTERS_MAX + 1];      /* [api] next jobs' */
	/* [init]: read by the workers. */
	lzma_check check;
	uint64_t block_size;

	enum seq seq;                   /* [api], like every field below */
	uint32_t timeout;
	uint32_t max_jobs;
	struct enc_job *head;           /* the ordered queue, oldest first */
	struct enc_job *tail;
	struct enc_job *filling;        /* the tail, while taking input */
	uint32_t jobs;
	lzma_index *index;              /* the Blocks handed out */
	xzc_index_writer iw;
	uint8_t hdr[LZMA_STREAM_HEADER_SIZE];   /* header, later footer */
	size_t hdr_pos;
	uint64_t total_in;              /* input of retired jobs */
	uint64_t total_out;
};

/* ---- the worker's side ---------------------------------------------------- */

/* Compress j->in with the streaming Block encoder into out after room for
 * the largest header. LZMA_BUF_ERROR: larger than the stored form.
 * XZC_TIMED_OUT: lzma_end() asked to stop (the job is abandoned and
 * nobody sees this value). */
static lzma_ret encode_compressed(struct enc_job *j, mt_pool *p)
{
	const struct mt_enc *s = j->owner;
	j->block = (lzma_block){ .version = 1, .check = s->check,
				 .filters = j->filters,
				 .compressed_size = LZMA_VLI_UNKNOWN,
				 .uncompressed_size = LZMA_VLI_UNKNOWN };
	xzc_coder coder = XZC_CODER_INIT;
	lzma_ret ret = xzc_block_encoder_init(&coder, j->caller, &j->block);
	size_t in_pos = 0, out_pos = LZMA_BLOCK_HEADER_SIZE_MAX;
	/* Data, Block Padding and Check no larger than the stored form. */
	const size_t limit = LZMA_BLOCK_HEADER_SIZE_MAX
			     + (size_t)stored_size(j->in_size) + 3
			     + lzma_check_size(s->check);
	while (ret == LZMA_OK) {
		const size_t in_lim = in_pos + MIN(ENCODE_CHUNK,
						   j->in_size - in_pos);
		const lzma_action action = in_lim == j->in_size ? LZMA_FINISH
								: LZMA_RUN;
		const size_t in0 = in_pos, out0 = out_pos;
		ret = coder.code(coder.state, j->caller, j->in, &in_pos,
				 in_lim, j->out, &out_pos, limit, action);
		if (ret == LZMA_OK && out_pos == limit)
			ret = LZMA_BUF_ERROR;
		else if (ret == LZMA_OK && in_pos == in0 && out_pos == out0)
			ret = LZMA_PROG_ERROR;  /* an encoder must progress */
		pthread_mutex_lock(&p->lock);
		j->in_used = in_pos;
		if (p->stop)
			ret = XZC_TIMED_OUT;
		pthread_mutex_unlock(&p->lock);
	}
	xzc_coder_end(&coder, j->caller);
	if (ret != LZMA_STREAM_END)
		return ret;
	/* 3.1: now that the sizes are known, the header goes in front. */
	ret = lzma_block_header_size(&j->block);
	if (ret != LZMA_OK)
		return ret;
	j->out_start = LZMA_BLOCK_HEADER_SIZE_MAX - j->block.header_size;
	j->out_end = out_pos;
	return lzma_block_header_encode(&j->block, j->out + j->out_start);
}

static void job_run(mt_task *task, mt_pool *p)
{
	struct enc_job *j = (struct enc_job *)task;
	lzma_ret ret = encode_compressed(j, p);
	if (ret == XZC_TIMED_OUT)
		return;                 /* stopping: the owner frees j */
	if (ret == LZMA_BUF_ERROR) {
		j->block = (lzma_block){ .version = 1,
					 .check = j->owner->check };
		j->out_start = j->out_end = 0;
		ret = lzma_block_uncomp_encode(&j->block, j->in, j->in_size,
					       j->out, &j->out_end,
					       j->out_cap);
	}
	pthread_mutex_lock(&p->lock);
	j->ret = ret;
	if (ret != LZMA_OK && p->first_error == LZMA_OK)
		p->first_error = ret;
	j->done = true;                 /* last touch of j */
	mt_pool_publish_locked(p);
	pthread_mutex_unlock(&p->lock);
}

/* ---- the API thread --------------------------------------------------------- */

static void job_free(struct enc_job *j, const lzma_allocator *a)
{
	xzc_filters_free(j->filters, a);
	xzc_free(j->allocator, j->in);
	xzc_free(j->allocator, j->out);
	xzc_free(a, j);
}

/* Hand out the Stream Header (or footer), then finished Blocks in order;
 * each retired Block becomes a Record of the Index (4.3). */
static lzma_ret drain(struct mt_enc *s, const lzma_allocator *a,
		      uint8_t *out, size_t *out_pos, size_t out_size)
{
	const size_t out0 = *out_pos;
	xzc_bufcpy(s->hdr, &s->hdr_pos, sizeof(s->hdr), out, out_pos,
		   out_size);
	lzma_ret ret = LZMA_OK;
	while (s->hdr_pos == sizeof(s->hdr) && s->head != NULL
	       && s->head->submitted) {
		struct enc_job *j = s->head;
		pthread_mutex_lock(&s->pool.lock);
		const bool done = j->done;
		ret = j->ret;
		pthread_mutex_unlock(&s->pool.lock);
		if (!done || ret != LZMA_OK)
			break;
		const size_t size = j->out_end - j->out_start;
		xzc_bufcpy(j->out + j->out_start, &j->copied, size, out,
			   out_pos, out_size);
		if (j->copied < size)
			break;
		ret = lzma_index_append(s->index, a,
					lzma_block_unpadded_size(&j->block),
					j->block.uncompressed_size);
		if (ret != LZMA_OK)
			break;
		s->total_in += j->in_size;
		s->head = j->next;
		if (s->head == NULL)
			s->tail = NULL;
		--s->jobs;
		job_free(j, a);
	}
	s->total_out += *out_pos - out0;
	return ret;
}

static lzma_ret submit(struct mt_enc *s)
{
	struct enc_job *j = s->filling;
	j->out_cap = LZMA_BLOCK_HEADER_SIZE_MAX
		     + lzma_block_buffer_bound(j->in_size);
	j->out = xzc_alloc(j->allocator, j->out_cap);
	if (j->out == NULL)
		return LZMA_MEM_ERROR;
	const lzma_ret ret = mt_pool_submit(&s->pool, &j->task);
	if (ret != LZMA_OK)
		return ret;
	j->submitted = true;
	s->filling = NULL;
	return LZMA_OK;
}

/* Take input into the Block being filled; start a new one when there is
 * room in the queue (a stall otherwise). */
static lzma_ret take_input(struct mt_enc *s, const lzma_allocator *a,
			   const uint8_t *in, size_t *in_pos, size_t in_size)
{
	if (s->filling == NULL) {
		if (s->jobs >= s->max_jobs)
			return LZMA_OK;
		struct enc_job *j = xzc_alloc_zero(a, sizeof(*j));
		if (j == NULL)
			return LZMA_MEM_ERROR;
		for (size_t i = 0; i <= LZMA_FILTERS_MAX; ++i)
			j->filters[i].id = LZMA_VLI_UNKNOWN;
		/* Untouched pages cost nothing: the full size at once. */
		j->allocator = &s->cache.allocator;
		j->caller = a;
		j->in = xzc_alloc(j->allocator, (size_t)s->block_size);
		const lzma_ret ret = j->in == NULL ? LZMA_MEM_ERROR
				     : xzc_filters_copy(s->filters, j->filters, a);
		if (ret != LZMA_OK) {
			job_free(j, a);
			return ret;
		}
		j->owner = s;
		j->task.run = job_run;
		if (s->tail == NULL)
			s->head = j;
		else
			s->tail->next = j;
		s->tail = j;
		++s->jobs;
		s->filling = j;
	}
	struct enc_job *j = s->filling;
	xzc_bufcpy(in, in_pos, in_size, j->in, &j->in_size,
		   (size_t)s->block_size);
	return j->in_size == s->block_size ? submit(s) : LZMA_OK;
}

static lzma_ret step(struct mt_enc *s, const lzma_allocator *a,
		     const uint8_t *in, size_t *in_pos, size_t in_size,
		     uint8_t *out, size_t *out_pos, size_t out_size,
		     lzma_action action)
{
	switch (s->seq) {
	case SEQ_BLOCKS:
		if (*in_pos < in_size)
			return take_input(s, a, in, in_pos, in_size);
		if (action == LZMA_RUN)
			return LZMA_OK;
		if (s->filling != NULL) {
			const lzma_ret ret = submit(s);
			if (ret != LZMA_OK)
				return ret;
		}
		/* A barrier does not wait for the output (liblzma). */
		if (action == LZMA_FULL_BARRIER)
			return LZMA_STREAM_END;
		if (s->head != NULL || s->hdr_pos < sizeof(s->hdr))
			return LZMA_OK;
		if (action == LZMA_FULL_FLUSH)
			return LZMA_STREAM_END;
		xzc_index_writer_init(&s->iw, s->index);
		s->seq = SEQ_INDEX;
		return LZMA_OK;
	case SEQ_INDEX: {
		if (!xzc_index_writer_run(&s->iw, out, out_pos, out_size))
			return LZMA_OK;
		/* 2.1.2: the footer repeats the flags; Backward Size. */
		const lzma_stream_flags flags = {
			.version = 0, .check = s->check,
			.backward_size = lzma_index_size(s->index) };
		if (lzma_stream_footer_encode(&flags, s->hdr) != LZMA_OK)
			return LZMA_PROG_ERROR;
		s->hdr_pos = 0;
		s->seq = SEQ_FOOTER;
		return LZMA_OK;
	}
	case SEQ_FOOTER:
		if (s->hdr_pos < sizeof(s->hdr))
			return LZMA_OK;
		s->seq = SEQ_END;
		return LZMA_STREAM_END;
	case SEQ_END:
		return LZMA_STREAM_END;
	}
	return LZMA_PROG_ERROR;
}

static bool worth_waiting(const struct mt_enc *s, bool in_left,
			  lzma_action action, bool progressed)
{
	if (s->head == NULL || !s->head->submitted)
		return false;
	if (in_left)            /* the queue is full: wait for room */
		return s->filling == NULL && s->jobs >= s->max_jobs;
	return action != LZMA_RUN || !progressed;
}

static lzma_ret enc_code(void *state, const lzma_allocator *a,
			 const uint8_t *in, size_t *in_pos, size_t in_size,
			 uint8_t *out, size_t *out_pos, size_t out_size,
			 lzma_action action)
{
	struct mt_enc *s = state;
	const size_t in_start = *in_pos, out_start = *out_pos;
	struct timespec deadline;
	bool have_deadline = false;
	for (;;) {
		const uint64_t seen = mt_pool_seq(&s->pool);
		lzma_ret ret = drain(s, a, out, out_pos, out_size);
		if (ret != LZMA_OK)
			return ret;
		const enum seq seq0 = s->seq;
		const size_t in0 = *in_pos, out0 = *out_pos;
		ret = step(s, a, in, in_pos, in_size, out, out_pos, out_size,
			   action);
		if (ret != LZMA_OK)
			return ret;
		if (s->seq != seq0 || *in_pos != in0 || *out_pos != out0)
			continue;
		const bool progressed = *in_pos != in_start
					|| *out_pos != out_start;
		if (*out_pos == out_size
		    || !worth_waiting(s, *in_pos < in_size, action, progressed))
			return LZMA_OK;
		if (s->timeout != 0 && !have_deadline) {
			mt_deadline(&deadline, s->timeout);
			have_deadline = true;
		}
		pthread_mutex_lock(&s->pool.lock);
		const bool woke = mt_pool_wait_locked(
			&s->pool, seen, have_deadline ? &deadline : NULL);
		pthread_mutex_unlock(&s->pool.lock);
		if (!woke)
			return progressed ? LZMA_OK : XZC_TIMED_OUT;
	}
}

static void enc_end(void *state, const lzma_allocator *a)
{
	struct mt_enc *s = state;
	/* Join every worker first: after this no thread touches a job. */
	mt_pool_end(&s->pool);
	while (s->head != NULL) {
		struct enc_job *j = s->head;
		s->head = j->next;
		job_free(j, a);
	}
	lzma_index_end(s->index, a);
	xzc_filters_free(s->filters, a);
	mt_cache_end(&s->cache);
	xzc_free(a, s);
}

static void enc_progress(void *state, uint64_t *progress_in,
			 uint64_t *progress_out)
{
	struct mt_enc *s = state;
	uint64_t in = s->total_in;
	pthread_mutex_lock(&s->pool.lock);
	for (const struct enc_job *j = s->head; j != NULL; j = j->next)
		if (j->submitted)
			in += j->in_used;
	pthread_mutex_unlock(&s->pool.lock);
	*progress_in = in;
	*progress_out = s->total_out;
}

/* lzma_filters_update(): as in liblzma's threaded encoder, only between
 * Blocks (no Block taking input: right after LZMA_FULL_BARRIER or
 * LZMA_FULL_FLUSH, or before the first input); the next Blocks use the new
 * chain, Blocks already cut keep theirs. The Block size stays. */
static lzma_ret enc_update(void *state, const lzma_allocator *a,
			   const lzma_filter *filters)
{
	struct mt_enc *s = state;
	if (s->seq != SEQ_BLOCKS || s->filling != NULL)
		return LZMA_PROG_ERROR;
	lzma_filter tmp[LZMA_FILTERS_MAX + 1];
	const lzma_ret ret = xzc_filters_copy(filters, tmp, a);
	if (ret != LZMA_OK)
		return ret;
	xzc_filters_free(s->filters, a);
	memcpy(s->filters, tmp, sizeof(tmp));
	return LZMA_OK;
}

/* ---- options ------------------------------------------------------------- */

LZMA_API(uint64_t) lzma_mt_block_size(const lzma_filter *filters)
{
	if (filters == NULL)
		return UINT64_MAX;
	uint64_t max = 0;
	for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i) {
		if (i == LZMA_FILTERS_MAX || xzc_filter_find(filters[i].id) == NULL)
			return UINT64_MAX;
		if (filters[i].id != LZMA_FILTER_LZMA2)
			continue;       /* only LZMA2 asks for a size */
		const lzma_options_lzma *opt = filters[i].options;
		if (opt == NULL)
			return UINT64_MAX;
		/* Three dictionaries, at least 1 MiB: small Blocks would
		 * cost ratio, as each starts with an empty dictionary. */
		max = MAX(max, MAX((uint64_t)opt->dict_size * 3, MIB));
	}
	return max;
}

/* Check the options; the chain to use is *chain (preset_chain when
 * options->filters is NULL), the Block size *block_size. */
static lzma_ret get_options(const lzma_mt *o, lzma_options_lzma *preset_opt,
			    lzma_filter preset_chain[2],
			    const lzma_filter **chain, uint64_t *block_size)
{
	if (o == NULL)
		return LZMA_PROG_ERROR;
	if (o->flags != 0 || o->threads == 0 || o->threads > MT_THREADS_MAX)
		return LZMA_OPTIONS_ERROR;
	if (o->filters != NULL) {
		*chain = o->filters;
	} else {
		if (lzma_lzma_preset(preset_opt, o->preset))
			return LZMA_OPTIONS_ERROR;
		preset_chain[0] = (lzma_filter){ LZMA_FILTER_LZMA2, preset_opt };
		preset_chain[1] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };
		*chain = preset_chain;
	}
	if (xzc_raw_coder_memusage(*chain, true) == UINT64_MAX)
		return LZMA_OPTIONS_ERROR;
	if ((unsigned)o->check > LZMA_CHECK_ID_MAX)
		return LZMA_PROG_ERROR;
	if (!lzma_check_is_supported(o->check))
		return LZMA_UNSUPPORTED_CHECK;
	*block_size = o->block_size != 0 ? o->block_size
					 : lzma_mt_block_size(*chain);
	if (*block_size == 0 || *block_size > BLOCK_SIZE_MAX)
		return LZMA_OPTIONS_ERROR;
	if (*block_size > SIZE_MAX / 4
	    || lzma_block_buffer_bound((size_t)*block_size) == 0)
		return LZMA_MEM_ERROR;
	return LZMA_OK;
}

/* At most this many jobs in the queue: one per thread being compressed
 * and the one taking input. */
static uint32_t max_jobs(uint32_t threads)
{
	return threads + 1;
}

uint64_t xzc_mt_encoder_memusage(const lzma_mt *options)
{
	lzma_options_lzma preset_opt;
	lzma_filter preset_chain[2];
	const lzma_filter *chain;
	uint64_t block_size;
	if (get_options(options, &preset_opt, preset_chain, &chain,
			&block_size) != LZMA_OK)
		return UINT64_MAX;
	/* Per thread an encoder; per job its input and output buffers. */
	const uint64_t encoder = xzc_raw_coder_memusage(chain, true);
	const uint64_t job = block_size + LZMA_BLOCK_HEADER_SIZE_MAX
			     + lzma_block_buffer_bound((size_t)block_size)
			     + sizeof(struct enc_job);
	const uint64_t threads = options->threads;
	if (encoder > UINT64_MAX / 4 / threads
	    || job > UINT64_MAX / 4 / (threads + 1))
		return UINT64_MAX;
	return XZC_MEMUSAGE_BASE + sizeof(struct mt_enc)
	       + threads * encoder + max_jobs(options->threads) * job;
}

lzma_ret xzc_mt_encoder_init(xzc_coder *c, const lzma_allocator *a,
			     const lzma_mt *options)
{
	lzma_options_lzma preset_opt;
	lzma_filter preset_chain[2];
	const lzma_filter *chain;
	uint64_t block_size;
	lzma_ret ret = get_options(options, &preset_opt, preset_chain, &chain,
				   &block_size);
	if (ret != LZMA_OK)
		return ret;
	struct mt_enc *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	for (size_t i = 0; i <= LZMA_FILTERS_MAX; ++i)
		s->filters[i].id = LZMA_VLI_UNKNOWN;
	ret = xzc_filters_copy(chain, s->filters, a);
	if (ret != LZMA_OK) {
		xzc_free(a, s);
		return ret;
	}
	/* The cache may keep what the jobs are allowed to hold at most. */
	if (mt_cache_init(&s->cache, a, xzc_mt_encoder_memusage(options))
	    != LZMA_OK) {
		xzc_filters_free(s->filters, a);
		xzc_free(a, s);
		return LZMA_MEM_ERROR;
	}
	s->index = lzma_index_init(a);
	if (s->index == NULL
	    || mt_pool_init(&s->pool, a, options->threads) != LZMA_OK) {
		lzma_index_end(s->index, a);
		xzc_filters_free(s->filters, a);
		mt_cache_end(&s->cache);
		xzc_free(a, s);
		return LZMA_MEM_ERROR;
	}
	s->check = options->check;
	s->block_size = block_size;
	s->timeout = options->timeout;
	s->max_jobs = max_jobs(options->threads);
	s->seq = SEQ_BLOCKS;
	/* 2.1.1: the Stream Header goes out first. */
	const lzma_stream_flags flags = { .version = 0, .check = s->check };
	if (lzma_stream_header_encode(&flags, s->hdr) != LZMA_OK) {
		enc_end(s, a);
		return LZMA_PROG_ERROR;
	}
	*c = (xzc_coder){ .state = s, .code = enc_code, .end = enc_end,
			  .get_progress = enc_progress, .update = enc_update };
	return LZMA_OK;
}
