/*
 * audit_budget.c -- the one allocator for everything an input can make the
 * auditor allocate (decoded members, decoder state of zlib and liblzma).
 *
 * Why one allocator: a hostile file decides how much we try to allocate, so
 * the total is capped here, in one place, instead of at every call site.
 * Blocks are kept on a list so that a scan aborted by SIGBUS (a mapped file
 * truncated under us, see audit_walk.c) can release all it held at once.
 */
#include <stdlib.h>

#include "audit.h"

/* Header before every block. Keeps 16-byte alignment of the user part. */
typedef struct block {
	struct block *prev, *next;
	size_t size;
	size_t pad;
} block;

static block *head;          /* most recent block first */
static uint64_t in_use;      /* sum of user sizes of live blocks */
static uint64_t budget;

void audit_budget_init(uint64_t limit)
{
	budget = limit;
}

static void link_block(block *b)
{
	b->prev = NULL;
	b->next = head;
	if (head != NULL)
		head->prev = b;
	head = b;
}

static void unlink_block(block *b)
{
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		head = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
}

void *audit_alloc(size_t size)
{
	if (size > budget - in_use || size > SIZE_MAX - sizeof(block))
		return NULL;
	block *b = malloc(sizeof(block) + size);
	if (b == NULL)
		return NULL;
	b->size = size;
	in_use += size;
	link_block(b);
	return b + 1;
}

void audit_free(void *p)
{
	if (p == NULL)
		return;
	block *b = (block *)p - 1;
	unlink_block(b);
	in_use -= b->size;
	free(b);
}

void *audit_realloc(void *p, size_t size)
{
	if (p == NULL)
		return audit_alloc(size);
	block *b = (block *)p - 1;
	if (size > b->size && size - b->size > budget - in_use)
		return NULL;
	if (size > SIZE_MAX - sizeof(block))
		return NULL;
	unlink_block(b);
	block *nb = realloc(b, sizeof(block) + size);
	if (nb == NULL) {
		link_block(b);
		return NULL;
	}
	in_use = in_use - nb->size + size;
	nb->size = size;
	link_block(nb);
	return nb + 1;
}

uint64_t audit_budget_in_use(void)
{
	return in_use;
}

void audit_free_all(void)
{
	while (head != NULL)
		audit_free(head + 1);
}
