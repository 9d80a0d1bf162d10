/*
 * mt_dec.c -- the multithreaded .xz decoder (lzma_stream_decoder_mt()).
 *
 * The API thread parses the container with the parser stream_dec.c uses
 * (container/stream_parse.c; xz-file-format.txt 2-4: stream header, block
 * headers, Index, footer, stream padding). What differs is what happens
 * to a Block:
 *
 *  - THREADED: its header stores both Compressed Size and Uncompressed Size
 *    (3.1.3, 3.1.4) and the job fits memlimit_threading. The API thread
 *    copies the Block's remaining bytes (Compressed Data, Block Padding,
 *    Check) into a job, submits it and goes on parsing the next Block, so
 *    many Blocks -- also of later concatenated Streams -- decode at once.
 *    A worker decodes into the job's output buffer of exactly Uncompressed
 *    Size bytes and publishes how much is final; the API thread copies the
 *    oldest job's output to the caller as soon as it is there.
 *  - DIRECT: a header without sizes, or too much memory for threading. The
 *    API thread waits until every earlier job is handed out, then decodes
 *    the Block itself, streaming, like the single-threaded decoder.
 *
 * Since the header sizes are verified by the Block decoder (3.1.3: a
 * mismatch is an error) they can go into the Index check (4.3) as soon as
 * the header is read.
 *
 * Errors keep their place in the output: an error of Block k (found by a
 * worker) or of the container after it (found by the parser) is returned
 * after all output of the Blocks before it -- unless LZMA_FAIL_FAST, which
 * returns the first error any thread found at the next lzma_code() call.
 *
 * Memory: a threaded job costs its input, its output and its decoder's
 * memory; jobs are started only while the sum stays within
 * memlimit_threading (at least one job is always allowed), which is how
 * that limit lowers the parallelism without ever failing. memlimit_stop
 * is the hard limit, checked for direct-mode Blocks (LZMA_MEMLIMIT_ERROR,
 * recoverable by raising it with lzma_memlimit_set()).
 */
#include "threads/threads.h"
#include "container/container.h"

/* A worker publishes its progress after at most this much output, so the
 * first Block's data reaches the caller while it is being decoded. */
#define PUBLISH_CHUNK ((size_t)1 << 18)

enum seq {
	SEQ_JOB_ALLOC = XZC_SEQ_OWN,    /* wait for room for one more job */
	SEQ_JOB_FILL,           /* copy the Block's bytes into the job */
	SEQ_DIRECT_WAIT,        /* wait until the ordered queue is empty */
	SEQ_DIRECT_RUN,
	SEQ_DRAIN_ERROR,        /* parser error: hand out the rest first */
};

struct dec_job {
	mt_task task;                   /* first member: the pool's view */
	struct dec_job *next;           /* [api] ordered queue link */
	bool submitted;                 /* [api] handed to the pool */
	uint64_t cost;                  /* [api] memory counted for it */
	size_t copied;                  /* [api] out bytes handed out */
	size_t in_filled;               /* [api] in bytes copied so far */

	/* Set up by the API thread before submission; then the worker's
	 * until "done" (the coder keeps &block). */
	lzma_block block;
	xzc_coder coder;
	uint8_t *in;                    /* Compressed Data, padding, Check */
	size_t in_size;
	uint8_t *out;                   /* [worker] writes, [api] reads */
	size_t out_size;                /* out[0..decoded) after the lock */
	const lzma_allocator *allocator;        /* in, out and coder's */

	size_t decoded;                 /* [lock] final bytes of out */
	size_t in_used;                 /* [lock] for lzma_get_progress() */
	bool done;                      /* [lock] worker finished with it */
	lzma_ret ret;                   /* [lock] when done: END or error */
};

struct mt_dec {
	mt_pool pool;
	mt_cache cache;                 /* the jobs' allocator */
	/* [api], like every field below. The container parser (shared with
	 * stream_dec.c); p.seq is this decoder's state, an enum seq from
	 * XZC_SEQ_OWN on. */
	xzc_stream_parser p;
	uint32_t timeout;
	uint32_t max_jobs;              /* jobs in the queue at most */
	lzma_ret pending;               /* parser error for SEQ_DRAIN_ERROR */

	uint64_t block_mem;             /* decoder memory of s->p.block */

	xzc_coder direct;               /* the direct-mode Block decoder */
	uint64_t direct_mem;

	/* The ordered queue: Blocks in file order, oldest first. */
	struct dec_job *head;
	struct dec_job *tail;
	struct dec_job *filling;        /* the tail, while SEQ_JOB_FILL */
	uint32_t jobs;
	uint64_t jobs_mem;              /* sum of their cost */

	uint64_t memlimit_threading;    /* <= memlimit_stop */
	uint64_t memlimit_threading_asked;
	uint64_t memlimit_stop;

	uint64_t total_in;              /* input consumed */
	uint64_t total_out;             /* output handed out */
};

/* ---- the worker's side ---------------------------------------------------- */

/* Decode one chunk; returns LZMA_OK to go on, LZMA_STREAM_END when the
 * Block is complete, or an error. */
static lzma_ret decode_chunk(struct dec_job *j, size_t *in_pos,
			     size_t *out_pos)
{
	const size_t in0 = *in_pos, out0 = *out_pos;
	const size_t limit = *out_pos + MIN(PUBLISH_CHUNK,
					    j->out_size - *out_pos);
	lzma_ret ret = j->coder.code(j->coder.state, j->allocator, j->in,
				     in_pos, j->in_size, j->out, out_pos,
				     limit, LZMA_FINISH);
	if (ret == LZMA_STREAM_END) {
		/* The header's sizes cover exactly the Block (3.1.3). */
		INPUT_CHECK(*in_pos == j->in_size && *out_pos == j->out_size);
		return LZMA_STREAM_END;
	}
	if (ret != LZMA_OK)
		return ret == LZMA_MEMLIMIT_ERROR ? LZMA_PROG_ERROR : ret;
	/* All input is there: a decoder that moves nothing wants bytes the
	 * Block does not have or output beyond Uncompressed Size. */
	INPUT_CHECK(*in_pos != in0 || *out_pos != out0);
	return LZMA_OK;
}

static void job_run(mt_task *task, mt_pool *p)
{
	struct dec_job *j = (struct dec_job *)task;
	size_t in_pos = 0, out_pos = 0;
	for (;;) {
		const lzma_ret ret = decode_chunk(j, &in_pos, &out_pos);
		const bool finished = ret != LZMA_OK;
		/* The coder is ours; free its memory before "done", after
		 * which the API thread may free the job. */
		if (finished)
			xzc_coder_end(&j->coder, j->allocator);
		pthread_mutex_lock(&p->lock);
		j->decoded = out_pos;
		j->in_used = in_pos;
		if (finished) {
			j->ret = ret;
			if (ret != LZMA_STREAM_END
			    && p->first_error == LZMA_OK)
				p->first_error = ret;
			j->done = true;         /* last touch of j */
		}
		mt_pool_publish_locked(p);
		const bool stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (finished || stop)
			return;
	}
}

/* ---- the ordered queue (API thread) ------------------------------------- */

static void job_free(struct dec_job *j, const lzma_allocator *a)
{
	xzc_coder_end(&j->coder, j->allocator);
	xzc_free(j->allocator, j->in);
	xzc_free(j->allocator, j->out);
	xzc_free(a, j);
}

/* Copy what the oldest jobs have decoded; retire finished ones. Returns a
 * worker's error when its job reaches the head, after the job's output
 * before the error. */
static lzma_ret drain(struct mt_dec *s, const lzma_allocator *a,
		      uint8_t *out, size_t *out_pos, size_t out_size)
{
	while (s->head != NULL && s->head->submitted) {
		struct dec_job *j = s->head;
		pthread_mutex_lock(&s->pool.lock);
		const size_t decoded = j->decoded;
		const bool done = j->done;
		const lzma_ret ret = j->ret;
		pthread_mutex_unlock(&s->pool.lock);

		const size_t before = *out_pos;
		xzc_bufcpy(j->out, &j->copied, decoded, out, out_pos, out_size);
		s->total_out += *out_pos - before;
		if (!done || j->copied < decoded)
			return LZMA_OK;
		if (ret != LZMA_STREAM_END)
			return ret;
		s->head = j->next;
		if (s->head == NULL)
			s->tail = NULL;
		--s->jobs;
		s->jobs_mem -= j->cost;
		job_free(j, a);
	}
	return LZMA_OK;
}

/* ---- the parser's states -------------------------------------------------- */

/* a + b, or UINT64_MAX when that overflows. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Can s->p.block go to a worker, and at what memory cost? Not without
 * both sizes in its header, nor when it would not fit in memory. */
static bool job_cost(const struct mt_dec *s, uint64_t *cost)
{
	const lzma_block *b = &s->p.block;
	if (b->compressed_size == LZMA_VLI_UNKNOWN
	    || b->uncompressed_size == LZMA_VLI_UNKNOWN)
		return false;
	const lzma_vli total = lzma_block_total_size(b);
	if (total == 0 || total == LZMA_VLI_UNKNOWN)
		return false;   /* invalid: direct mode reports it */
	const uint64_t in_size = total - b->header_size;
	if (in_size > SIZE_MAX || b->uncompressed_size > SIZE_MAX)
		return false;
	*cost = add_sat(add_sat(in_size, b->uncompressed_size),
			add_sat(s->block_mem, sizeof(struct dec_job)));
	return *cost <= s->memlimit_threading;
}

/* A Block starts with an empty dictionary (xz-file-format.txt 3.3: each
 * Block is decoded independently), so no valid distance reaches back past
 * its Uncompressed Size: a dictionary larger than that would only cost
 * memory (an 8 MiB one for each 1 MiB Block of xz -6 -T2) and lower the
 * number of Blocks memlimit_threading lets decode at once. */
static void cap_dictionary(lzma_filter *filters, lzma_vli uncompressed_size)
{
	if (uncompressed_size == LZMA_VLI_UNKNOWN)
		return;
	const uint32_t cap = (uint32_t)MAX(MIN(uncompressed_size, UINT32_MAX),
					   LZMA_DICT_SIZE_MIN);
	for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i) {
		if (filters[i].id != LZMA_FILTER_LZMA1
		    && filters[i].id != LZMA_FILTER_LZMA2)
			continue;
		lzma_options_lzma *opt = filters[i].options;
		if (opt != NULL && opt->dict_size > cap)
			opt->dict_size = cap;
	}
}

static lzma_ret block_init(struct mt_dec *s, const lzma_allocator *a)
{
	const lzma_ret ret = xzc_parser_block_header_decode(&s->p, a);
	if (ret != LZMA_OK)
		return ret;
	cap_dictionary(s->p.filters, s->p.block.uncompressed_size);
	s->block_mem = xzc_raw_coder_memusage(s->p.filters, false);
	if (s->block_mem == UINT64_MAX)
		return LZMA_OPTIONS_ERROR;
	uint64_t cost;
	s->p.seq = job_cost(s, &cost) ? SEQ_JOB_ALLOC : SEQ_DIRECT_WAIT;
	return LZMA_OK;
}

/* Create the job for s->p.block once there is room; leave the state
 * unchanged (a stall) while there is not. */
static lzma_ret job_alloc(struct mt_dec *s, const lzma_allocator *a)
{
	uint64_t cost;
	if (!job_cost(s, &cost)) {      /* the limit was lowered since */
		s->p.seq = SEQ_DIRECT_WAIT;
		return LZMA_OK;
	}
	if (s->jobs > 0 && (s->jobs >= s->max_jobs
			    || s->jobs_mem > s->memlimit_threading
			    || cost > s->memlimit_threading - s->jobs_mem))
		return LZMA_OK;
	struct dec_job *j = xzc_alloc_zero(a, sizeof(*j));
	if (j == NULL)
		return LZMA_MEM_ERROR;
	j->block = s->p.block;
	j->coder = XZC_CODER_INIT;
	j->allocator = &s->cache.allocator;
	j->in_size = (size_t)(lzma_block_total_size(&s->p.block)
			      - s->p.block.header_size);
	j->out_size = (size_t)s->p.block.uncompressed_size;
	j->in = xzc_alloc(j->allocator, j->in_size);
	j->out = xzc_alloc(j->allocator, j->out_size);
	lzma_ret ret = LZMA_MEM_ERROR;
	if (j->in != NULL && j->out != NULL)
		ret = xzc_block_decoder_init(&j->coder, j->allocator,
					     &j->block);
	if (ret == LZMA_OK)
		ret = lzma_index_hash_append(s->p.index_hash,
					     lzma_block_unpadded_size(&s->p.block),
					     s->p.block.uncompressed_size);
	if (ret != LZMA_OK) {
		job_free(j, a);
		if (ret != LZMA_MEM_ERROR)
			return ret;
		/* Too big to hold in memory at once: stream it. */
		s->p.seq = SEQ_DIRECT_WAIT;
		return LZMA_OK;
	}
	xzc_filters_free(s->p.filters, a);
	j->block.filters = NULL;
	j->cost = cost;
	j->task.run = job_run;
	if (s->tail == NULL)
		s->head = j;
	else
		s->tail->next = j;
	s->tail = j;
	++s->jobs;
	s->jobs_mem += cost;
	s->filling = j;
	s->p.seq = SEQ_JOB_FILL;
	return LZMA_OK;
}

static lzma_ret job_fill(struct mt_dec *s, const uint8_t *in, size_t *in_pos,
			 size_t in_size)
{
	struct dec_job *j = s->filling;
	xzc_bufcpy(in, in_pos, in_size, j->in, &j->in_filled, j->in_size);
	if (j->in_filled < j->in_size)
		return LZMA_OK;
	const lzma_ret ret = mt_pool_submit(&s->pool, &j->task);
	if (ret != LZMA_OK)
		return ret;
	j->submitted = true;
	s->filling = NULL;
	s->p.seq = XZC_SEQ_BLOCK_HEADER;
	return LZMA_OK;
}

static lzma_ret direct_wait(struct mt_dec *s, const lzma_allocator *a)
{
	if (s->head != NULL)
		return LZMA_OK;                 /* stall until drained */
	s->direct_mem = s->block_mem;
	if (s->block_mem > s->memlimit_stop)
		return LZMA_MEMLIMIT_ERROR;     /* retried after raising */
	xzc_coder_end(&s->direct, a);
	const lzma_ret ret = xzc_block_decoder_init(&s->direct, a, &s->p.block);
	xzc_filters_free(s->p.filters, a);
	s->p.block.filters = NULL;
	if (ret != LZMA_OK)
		return ret;
	s->p.seq = SEQ_DIRECT_RUN;
	return LZMA_OK;
}

static lzma_ret direct_run(struct mt_dec *s, const lzma_allocator *a,
			   const uint8_t *in, size_t *in_pos, size_t in_size,
			   uint8_t *out, size_t *out_pos, size_t out_size,
			   lzma_action action)
{
	const size_t out0 = *out_pos;
	lzma_ret ret = s->direct.code(s->direct.state, a, in, in_pos, in_size,
				      out, out_pos, out_size, action);
	s->total_out += *out_pos - out0;
	if (ret != LZMA_STREAM_END)
		return ret;
	ret = lzma_index_hash_append(s->p.index_hash,
				     lzma_block_unpadded_size(&s->p.block),
				     s->p.block.uncompressed_size);
	if (ret != LZMA_OK)
		return ret;
	xzc_coder_end(&s->direct, a);
	s->direct_mem = 0;
	s->p.seq = XZC_SEQ_BLOCK_HEADER;
	return LZMA_OK;
}

/* Run the state s->p.seq once. */
static lzma_ret step(struct mt_dec *s, const lzma_allocator *a,
		     const uint8_t *in, size_t *in_pos, size_t in_size,
		     uint8_t *out, size_t *out_pos, size_t out_size,
		     lzma_action action)
{
	switch (s->p.seq) {
	case XZC_SEQ_BLOCK_INIT:
		return block_init(s, a);
	case SEQ_JOB_ALLOC:
		return job_alloc(s, a);
	case SEQ_JOB_FILL:
		return job_fill(s, in, in_pos, in_size);
	case SEQ_DIRECT_WAIT:
		return direct_wait(s, a);
	case SEQ_DIRECT_RUN:
		return direct_run(s, a, in, in_pos, in_size, out, out_pos,
				  out_size, action);
	case XZC_SEQ_END:       /* all parsed: hand out the rest */
		return s->head == NULL ? LZMA_STREAM_END : LZMA_OK;
	case SEQ_DRAIN_ERROR:
		return s->head == NULL ? s->pending : LZMA_OK;
	}
	return xzc_parser_step(&s->p, a, in, in_pos, in_size, action);
}

static bool is_informational(lzma_ret ret)
{
	return ret == LZMA_NO_CHECK || ret == LZMA_UNSUPPORTED_CHECK
	       || ret == LZMA_GET_CHECK || ret == LZMA_MEMLIMIT_ERROR;
}

/* The parser stalled and cannot go on by itself: is there a worker whose
 * progress would let this call do more? Waiting is worth it when the
 * parser waits for the queue (room, direct mode, the end), or when the
 * caller has no input to give (LZMA_FINISH, or a call that has done
 * nothing yet -- returning would count towards LZMA_BUF_ERROR). */
static bool worth_waiting(const struct mt_dec *s, bool in_left,
			  lzma_action action, bool progressed)
{
	if (s->head == NULL || !s->head->submitted)
		return false;
	if (s->p.seq == SEQ_JOB_ALLOC || s->p.seq == SEQ_DIRECT_WAIT
	    || s->p.seq == XZC_SEQ_END || s->p.seq == SEQ_DRAIN_ERROR)
		return true;
	return !in_left && (action == LZMA_FINISH || !progressed);
}

static lzma_ret dec_code(void *state, const lzma_allocator *a,
			 const uint8_t *in, size_t *in_pos, size_t in_size,
			 uint8_t *out, size_t *out_pos, size_t out_size,
			 lzma_action action)
{
	struct mt_dec *s = state;
	const size_t in_start = *in_pos, out_start = *out_pos;
	struct timespec deadline;
	bool have_deadline = false;
	lzma_ret ret;
	for (;;) {
		const uint64_t seen = mt_pool_seq(&s->pool);
		ret = drain(s, a, out, out_pos, out_size);
		if (ret != LZMA_OK)
			break;
		if (s->p.flags & LZMA_FAIL_FAST) {
			pthread_mutex_lock(&s->pool.lock);
			ret = s->pool.first_error;
			pthread_mutex_unlock(&s->pool.lock);
			if (ret != LZMA_OK)
				break;
		}
		const unsigned seq0 = s->p.seq;
		const size_t in0 = *in_pos, out0 = *out_pos;
		ret = step(s, a, in, in_pos, in_size, out, out_pos, out_size,
			   action);
		s->total_in += *in_pos - in0;
		if (ret == LZMA_STREAM_END || is_informational(ret))
			break;
		if (ret != LZMA_OK) {
			/* A parser error keeps its place after the output
			 * of the Blocks before it. */
			if ((s->p.flags & LZMA_FAIL_FAST) || s->head == NULL
			    || s->p.seq == SEQ_DRAIN_ERROR || s->p.seq == SEQ_DIRECT_RUN)
				break;
			s->pending = ret;
			s->p.seq = SEQ_DRAIN_ERROR;
			continue;
		}
		if (s->p.seq != seq0 || *in_pos != in0 || *out_pos != out0)
			continue;
		/* Stalled. */
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
	return ret;
}

static void dec_end(void *state, const lzma_allocator *a)
{
	struct mt_dec *s = state;
	/* Join every worker first: after this no thread touches a job. */
	mt_pool_end(&s->pool);
	while (s->head != NULL) {
		struct dec_job *j = s->head;
		s->head = j->next;
		job_free(j, a);
	}
	xzc_coder_end(&s->direct, a);
	xzc_parser_end(&s->p, a);
	mt_cache_end(&s->cache);
	xzc_free(a, s);
}

static lzma_check dec_get_check(const void *state)
{
	const struct mt_dec *s = state;
	return s->p.stream_flags.check;
}

static lzma_ret dec_memconfig(void *state, uint64_t *memusage,
			      uint64_t *old_memlimit, uint64_t new_memlimit)
{
	struct mt_dec *s = state;
	*memusage = XZC_MEMUSAGE_BASE + s->jobs_mem
		    + MAX(s->direct_mem, s->block_mem);
	*old_memlimit = s->memlimit_stop;
	if (new_memlimit != 0) {
		if (new_memlimit < *memusage)
			return LZMA_MEMLIMIT_ERROR;
		s->memlimit_stop = new_memlimit;
		s->memlimit_threading = MIN(s->memlimit_threading_asked,
					    new_memlimit);
		mt_cache_set_budget(&s->cache, s->memlimit_threading);
	}
	return LZMA_OK;
}

/* Input consumed so far, and output produced: handed out plus what the
 * workers have decoded that is still waiting in the queue. */
static void dec_progress(void *state, uint64_t *progress_in,
			 uint64_t *progress_out)
{
	struct mt_dec *s = state;
	uint64_t waiting = 0;
	pthread_mutex_lock(&s->pool.lock);
	for (const struct dec_job *j = s->head; j != NULL; j = j->next)
		if (j->submitted)
			waiting += j->decoded - j->copied;
	pthread_mutex_unlock(&s->pool.lock);
	*progress_in = s->total_in;
	*progress_out = s->total_out + waiting;
}

lzma_ret xzc_mt_decoder_init(xzc_coder *c, const lzma_allocator *a,
			     const lzma_mt *options)
{
	if (options == NULL)
		return LZMA_PROG_ERROR;
	if ((options->flags & ~(uint32_t)XZC_DECODER_FLAGS) != 0
	    || options->threads == 0 || options->threads > MT_THREADS_MAX)
		return LZMA_OPTIONS_ERROR;
	struct mt_dec *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	/* 0 means "as little as possible" for both limits (liblzma). */
	s->memlimit_stop = MAX(options->memlimit_stop, 1);
	s->memlimit_threading_asked = MAX(options->memlimit_threading, 1);
	s->memlimit_threading = MIN(s->memlimit_threading_asked,
				    s->memlimit_stop);
	if (mt_cache_init(&s->cache, a, s->memlimit_threading) != LZMA_OK) {
		xzc_free(a, s);
		return LZMA_MEM_ERROR;
	}
	if (xzc_parser_init(&s->p, a, options->flags) != LZMA_OK
	    || mt_pool_init(&s->pool, a, options->threads) != LZMA_OK) {
		xzc_parser_end(&s->p, a);
		mt_cache_end(&s->cache);
		xzc_free(a, s);
		return LZMA_MEM_ERROR;
	}
	s->timeout = options->timeout;
	/* Two jobs per thread: one decoding, one being read in or waiting
	 * to be handed out, so no worker idles while the caller copies. */
	s->max_jobs = 2 * options->threads;
	s->direct = XZC_CODER_INIT;
	*c = (xzc_coder){ .state = s, .code = dec_code, .end = dec_end,
			  .get_check = dec_get_check,
			  .memconfig = dec_memconfig,
			  .get_progress = dec_progress };
	return LZMA_OK;
}
