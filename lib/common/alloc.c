/*
 * alloc.c -- every allocation of the library goes through the caller's
 * lzma_allocator when one is given (lzma_stream.allocator), else malloc.
 */
#include <stdlib.h>

#include "common/common.h"

void *xzc_alloc(const lzma_allocator *a, size_t size)
{
	/* liblzma's contract: alloc() is called with nmemb == 1. A size of 0
	 * is raised to 1 so that NULL always means "out of memory". */
	if (size == 0)
		size = 1;
	if (a != NULL && a->alloc != NULL)
		return a->alloc(a->opaque, 1, size);
	return malloc(size);
}

void *xzc_alloc_zero(const lzma_allocator *a, size_t size)
{
	void *p;
	if (a != NULL && a->alloc != NULL) {
		p = xzc_alloc(a, size);
		if (p != NULL)
			memset(p, 0, size);
		return p;
	}
	return calloc(1, size == 0 ? 1 : size);
}

void xzc_free(const lzma_allocator *a, void *ptr)
{
	if (a != NULL && a->free != NULL)
		a->free(a->opaque, ptr);
	else
		free(ptr);
}
