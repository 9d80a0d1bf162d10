/*
 * mt_cache.c -- a recycling allocator for the threaded coders' jobs.
 *
 * Every Block a threaded coder handles needs the same large buffers again:
 * its input, its output, and its coder's dictionary or match finder. Got
 * fresh from malloc each time they are fresh pages from the kernel, and
 * every first touch of a page is a page fault (measured on xz -6 -T2
 * files with 1 MiB Blocks: three times the faults of xz, and about a tenth
 * of the threaded decoder's CPU time). The cache keeps a few freed large
 * blocks and hands them out again for requests of about the same size.
 *
 * Memory contract: live (handed out) plus cached bytes never exceed the
 * budget the owner sets; a block that would break it is freed at once.
 * So the cache only keeps memory the coder was allowed to hold anyway.
 */
#include "threads/threads.h"

/* In front of every block handed out: its usable size. The header keeps
 * the malloc alignment of what follows. */
typedef union {
	size_t cap;
	max_align_t align;
} cache_header;

static void *cache_alloc(void *opaque, size_t nmemb, size_t size)
{
	mt_cache *c = opaque;
	if (nmemb != 0 && size > (SIZE_MAX - sizeof(cache_header)) / nmemb)
		return NULL;
	size *= nmemb;
	void *block = NULL;
	size_t cap = size;
	pthread_mutex_lock(&c->lock);
	if (size >= MT_CACHE_MIN) {
		/* Best fit, and never more than 1/8 above the request, so
		 * live memory stays close to what the owner accounted. */
		size_t best = c->count;
		for (size_t i = 0; i < c->count; ++i)
			if (c->slot[i].cap >= size
			    && c->slot[i].cap - size <= size / 8
			    && (best == c->count
				|| c->slot[i].cap < c->slot[best].cap))
				best = i;
		if (best < c->count) {
			block = c->slot[best].block;
			cap = c->slot[best].cap;
			c->cached -= cap;
			c->slot[best] = c->slot[--c->count];
		}
	}
	c->live += cap;
	pthread_mutex_unlock(&c->lock);
	if (block == NULL) {
		block = xzc_alloc(c->under, sizeof(cache_header) + size);
		if (block == NULL) {
			pthread_mutex_lock(&c->lock);
			c->live -= cap;
			pthread_mutex_unlock(&c->lock);
			return NULL;
		}
	}
	((cache_header *)block)->cap = cap;
	return (cache_header *)block + 1;
}

static void cache_free(void *opaque, void *ptr)
{
	mt_cache *c = opaque;
	if (ptr == NULL)
		return;
	cache_header *block = (cache_header *)ptr - 1;
	const size_t cap = block->cap;
	pthread_mutex_lock(&c->lock);
	c->live -= cap;
	const bool keep = cap >= MT_CACHE_MIN && c->count < MT_CACHE_SLOTS
			  && c->live + c->cached <= c->budget
			  && cap <= c->budget - c->live - c->cached;
	if (keep) {
		c->slot[c->count].block = block;
		c->slot[c->count].cap = cap;
		++c->count;
		c->cached += cap;
	}
	pthread_mutex_unlock(&c->lock);
	if (!keep)
		xzc_free(c->under, block);
}

lzma_ret mt_cache_init(mt_cache *c, const lzma_allocator *under,
		       uint64_t budget)
{
	memset(c, 0, sizeof(*c));
	if (pthread_mutex_init(&c->lock, NULL) != 0)
		return LZMA_MEM_ERROR;
	c->under = under;
	c->budget = budget;
	c->allocator = (lzma_allocator){ .alloc = cache_alloc,
					 .free = cache_free, .opaque = c };
	return LZMA_OK;
}

void mt_cache_set_budget(mt_cache *c, uint64_t budget)
{
	pthread_mutex_lock(&c->lock);
	c->budget = budget;
	pthread_mutex_unlock(&c->lock);
}

void mt_cache_end(mt_cache *c)
{
	for (size_t i = 0; i < c->count; ++i)
		xzc_free(c->under, c->slot[i].block);
	c->count = 0;
	pthread_mutex_destroy(&c->lock);
}
