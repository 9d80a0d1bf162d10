/*
 * mt_pool.c -- the worker pool both threaded coders share: a FIFO of tasks,
 * up to max_threads workers that take them in order, and one condition
 * variable on which the API thread waits for "some job progressed".
 *
 * Threads start lazily, one per submission while every started worker is
 * busy, so the pool never holds more threads than there were tasks at once.
 * Workers block every signal: signals are for the application's threads
 * (the xz tool handles SIGINT in its main thread).
 */
#include <errno.h>
#include <signal.h>

#include "threads/threads.h"

/* The clock of all waits: monotonic, so a change of the wall clock does
 * not stretch or cut lzma_mt.timeout. */
#define MT_CLOCK CLOCK_MONOTONIC

static void *worker_main(void *arg)
{
	mt_pool *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->fifo_head == NULL) {
			++p->idle;
			pthread_cond_wait(&p->work_cond, &p->lock);
			--p->idle;
		}
		if (p->stop)
			break;
		mt_task *t = p->fifo_head;
		p->fifo_head = t->next;
		if (p->fifo_head == NULL)
			p->fifo_tail = NULL;
		--p->fifo_count;
		t->next = NULL;
		pthread_mutex_unlock(&p->lock);
		/* From here until run() publishes "done", the task's job is
		 * this worker's; after that it must not be touched. */
		t->run(t, p);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

lzma_ret mt_pool_init(mt_pool *p, const lzma_allocator *a,
		      uint32_t max_threads)
{
	memset(p, 0, sizeof(*p));
	p->allocator = a;
	p->max_threads = max_threads;
	p->first_error = LZMA_OK;
	p->threads = xzc_alloc(a, sizeof(pthread_t) * max_threads);
	if (p->threads == NULL)
		return LZMA_MEM_ERROR;

	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr) != 0)
		goto fail_free;
	if (pthread_condattr_setclock(&attr, MT_CLOCK) != 0
	    || pthread_mutex_init(&p->lock, NULL) != 0) {
		pthread_condattr_destroy(&attr);
		goto fail_free;
	}
	if (pthread_cond_init(&p->work_cond, &attr) != 0)
		goto fail_mutex;
	if (pthread_cond_init(&p->done_cond, &attr) != 0) {
		pthread_cond_destroy(&p->work_cond);
		goto fail_mutex;
	}
	pthread_condattr_destroy(&attr);
	p->started = true;
	return LZMA_OK;

fail_mutex:
	pthread_condattr_destroy(&attr);
	pthread_mutex_destroy(&p->lock);
fail_free:
	xzc_free(a, p->threads);
	p->threads = NULL;
	return LZMA_MEM_ERROR;
}

/* With the lock held: start one more worker. */
static bool start_worker(mt_pool *p)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	const int err = pthread_create(&p->threads[p->nthreads], NULL,
				       worker_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0)
		return false;
	++p->nthreads;
	return true;
}

lzma_ret mt_pool_submit(mt_pool *p, mt_task *t)
{
	pthread_mutex_lock(&p->lock);
	t->next = NULL;
	if (p->fifo_tail == NULL)
		p->fifo_head = t;
	else
		p->fifo_tail->next = t;
	p->fifo_tail = t;
	++p->fifo_count;
	/* More waiting tasks than idle workers: add a worker if allowed. A
	 * failed start is fine while another worker exists to run it. */
	if (p->fifo_count > p->idle && p->nthreads < p->max_threads
	    && !start_worker(p) && p->nthreads == 0) {
		p->fifo_head = p->fifo_tail = NULL;
		p->fifo_count = 0;
		pthread_mutex_unlock(&p->lock);
		return LZMA_MEM_ERROR;
	}
	pthread_cond_signal(&p->work_cond);
	pthread_mutex_unlock(&p->lock);
	return LZMA_OK;
}

void mt_pool_end(mt_pool *p)
{
	if (!p->started) {
		xzc_free(p->allocator, p->threads);
		p->threads = NULL;
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	p->fifo_head = p->fifo_tail = NULL;
	p->fifo_count = 0;
	pthread_cond_broadcast(&p->work_cond);
	pthread_mutex_unlock(&p->lock);
	for (uint32_t i = 0; i < p->nthreads; ++i)
		pthread_join(p->threads[i], NULL);
	p->nthreads = 0;
	pthread_cond_destroy(&p->done_cond);
	pthread_cond_destroy(&p->work_cond);
	pthread_mutex_destroy(&p->lock);
	xzc_free(p->allocator, p->threads);
	p->threads = NULL;
	p->started = false;
}

void mt_pool_publish_locked(mt_pool *p)
{
	++p->progress_seq;
	pthread_cond_broadcast(&p->done_cond);
}

bool mt_pool_wait_locked(mt_pool *p, uint64_t seen,
			 const struct timespec *deadline)
{
	while (p->progress_seq == seen) {
		if (deadline == NULL) {
			pthread_cond_wait(&p->done_cond, &p->lock);
		} else if (pthread_cond_timedwait(&p->done_cond, &p->lock,
						  deadline) == ETIMEDOUT) {
			return p->progress_seq != seen;
		}
	}
	return true;
}

uint64_t mt_pool_seq(mt_pool *p)
{
	pthread_mutex_lock(&p->lock);
	const uint64_t seq = p->progress_seq;
	pthread_mutex_unlock(&p->lock);
	return seq;
}

void mt_deadline(struct timespec *ts, uint32_t ms)
{
	clock_gettime(MT_CLOCK, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_nsec -= 1000000000L;
		++ts->tv_sec;
	}
}
