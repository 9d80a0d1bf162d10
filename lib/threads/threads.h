/*
 * threads.h -- the threads layer: one worker pool (mt_pool.c) and the two
 * coders built on it, the multithreaded .xz decoder (mt_dec.c) and encoder
 * (mt_enc.c).
 *
 * The shape of both coders is the same, and small on purpose:
 *
 *   API thread (lzma_code)                    workers (mt_pool.c)
 *   ----------------------                    -------------------
 *   cut the input into Blocks  ---- task ---> code one Block from its
 *   keep an ORDERED QUEUE of                  own input buffer into its
 *   jobs, oldest first                        own output buffer, publish
 *   copy the oldest job's output  <-- done -- progress under pool.lock
 *   to the caller, retire it
 *
 * A job belongs to the API thread, which allocates it, puts it in the
 * ordered queue, submits it to the pool and -- only after the worker has
 * said "done", or after every worker thread has been joined -- frees it.
 * A worker never frees a job and never touches it after publishing "done".
 * That single rule is what keeps lzma_end() at any moment free of
 * use-after-free (compare xz's CVE-2025-31115, a threaded decoder that
 * freed a buffer a worker still used).
 *
 * Locking: one mutex per coder (pool.lock). Every field shared between
 * the API thread and a worker says so in a comment "[lock]"; fields marked
 * "[api]" are touched by the API thread only; "[worker]" by the one worker
 * running the job, between submission and "done"; "[init]" are written
 * before the first worker starts and read-only afterwards.
 *
 * Layer rule: includes lib/common and lib/container.
 */
#ifndef CLEARXZ_THREADS_H
#define CLEARXZ_THREADS_H

#include <pthread.h>
#include <time.h>

#include "common/common.h"

/* liblzma's limit on lzma_mt.threads. */
#define MT_THREADS_MAX 16384

/* ---- the worker pool (mt_pool.c) ---------------------------------------- */

typedef struct mt_pool mt_pool;
typedef struct mt_task mt_task;

/* Embedded as the first member of a job. run() is called by a worker
 * without the lock held; it publishes its results under the lock. */
struct mt_task {
	mt_task *next;                          /* [lock] FIFO link */
	void (*run)(mt_task *task, mt_pool *pool);
};

struct mt_pool {
	pthread_mutex_t lock;
	/* Workers sleep here until the FIFO is not empty or stop is set. */
	pthread_cond_t work_cond;
	/* The API thread sleeps here until progress_seq changes. */
	pthread_cond_t done_cond;

	mt_task *fifo_head;                     /* [lock] tasks not started */
	mt_task *fifo_tail;                     /* [lock] */
	uint32_t fifo_count;                    /* [lock] */
	uint32_t idle;                          /* [lock] workers waiting */
	bool stop;                              /* [lock] lzma_end() began */
	uint64_t progress_seq;                  /* [lock] ++ on each publish */
	lzma_ret first_error;                   /* [lock] first worker error */

	uint32_t max_threads;                   /* [init] */
	uint32_t nthreads;                      /* [api] threads started */
	pthread_t *threads;                     /* [api] max_threads slots */
	const lzma_allocator *allocator;        /* [init] */
	bool started;                           /* [api] lock/conds exist */
};

/* Prepare a pool of up to max_threads workers; no thread starts yet
 * (they start at the first submissions, so a one-Block file never
 * creates more than one). LZMA_MEM_ERROR on failure. */
lzma_ret mt_pool_init(mt_pool *p, const lzma_allocator *a,
		      uint32_t max_threads);

/* Queue a task; start another worker if all are busy and the limit is not
 * reached. LZMA_MEM_ERROR only if no worker exists and none could start
 * (the task is then not queued). */
lzma_ret mt_pool_submit(mt_pool *p, mt_task *t);

/* Stop: tasks not yet started are dropped, running ones stop at their next
 * publish, every thread is joined. Afterwards no worker runs, so the owner
 * may free every job. Safe on a pool that was never started. */
void mt_pool_end(mt_pool *p);

/* With the lock held: wake the API thread (a job progressed). */
void mt_pool_publish_locked(mt_pool *p);

/* With the lock held: wait until progress_seq != seen or the deadline
 * (NULL: none) passes. Returns false on timeout. */
bool mt_pool_wait_locked(mt_pool *p, uint64_t seen,
			 const struct timespec *deadline);

/* The current progress_seq (takes the lock). */
uint64_t mt_pool_seq(mt_pool *p);

/* now + ms on the clock the pool waits with. */
void mt_deadline(struct timespec *ts, uint32_t ms);

/* ---- the job allocator (mt_cache.c) -------------------------------------- */

/* Blocks smaller than this are not worth keeping (malloc recycles them). */
#define MT_CACHE_MIN ((size_t)64 << 10)
/* Enough for every large buffer of the jobs one coder holds at once. */
#define MT_CACHE_SLOTS 32

/* A lzma_allocator that keeps up to MT_CACHE_SLOTS freed blocks of at
 * least MT_CACHE_MIN bytes for reuse. Safe to use from any thread.
 * Invariant: live + cached <= budget whenever a block is kept. */
typedef struct {
	lzma_allocator allocator;               /* [init] give this to jobs */
	const lzma_allocator *under;            /* [init] NULL: malloc */
	pthread_mutex_t lock;
	uint64_t budget;                        /* [lock] */
	uint64_t live;                          /* [lock] bytes handed out */
	uint64_t cached;                        /* [lock] bytes kept */
	size_t count;                           /* [lock] slots in use */
	struct {
		void *block;
		size_t cap;
	} slot[MT_CACHE_SLOTS];                 /* [lock] */
} mt_cache;

lzma_ret mt_cache_init(mt_cache *c, const lzma_allocator *under,
		       uint64_t budget);
void mt_cache_set_budget(mt_cache *c, uint64_t budget);
/* Frees the kept blocks; every block handed out must be freed first. */
void mt_cache_end(mt_cache *c);

/* ---- the coders ------------------------------------------------------------
 * Both follow the xzc_coder contract (common.h); lib/api/threads_api.c
 * installs them. While a worker has not finished in time (lzma_mt.timeout)
 * code() returns XZC_TIMED_OUT, which lzma_code() reports as LZMA_OK. */

/* Threaded .xz decoder. LZMA_OPTIONS_ERROR for unknown flags or a thread
 * count outside 1..MT_THREADS_MAX; LZMA_PROG_ERROR for NULL options. */
lzma_ret xzc_mt_decoder_init(xzc_coder *c, const lzma_allocator *a,
			     const lzma_mt *options);

/* Threaded .xz encoder (actions RUN, FULL_FLUSH, FULL_BARRIER, FINISH). */
lzma_ret xzc_mt_encoder_init(xzc_coder *c, const lzma_allocator *a,
			     const lzma_mt *options);

/* lzma_stream_encoder_mt_memusage(): UINT64_MAX for invalid options. */
uint64_t xzc_mt_encoder_memusage(const lzma_mt *options);

#endif
