/*
 * common.h -- what every layer of the library uses: integer helpers,
 * allocation through the caller's lzma_allocator, the always-on check for
 * untrusted input, debug-only assertions, and the coder interface that every
 * stream-transforming layer implements.
 *
 * Layer rule: lib/common includes only include/lzma.h and libc.
 */
#ifndef CLEARXZ_COMMON_H
#define CLEARXZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lzma.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define FORCE_INLINE static inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * INPUT_CHECK: the one always-on check for untrusted input. Every decision
 * that depends on bytes of a compressed stream goes through it; it returns
 * LZMA_DATA_ERROR from the enclosing function. Never compiled out.
 */
#define INPUT_CHECK(cond) \
	do { \
		if (unlikely(!(cond))) \
			return LZMA_DATA_ERROR; \
	} while (0)

/*
 * ASSERT: internal invariants only (things that hold whatever the input).
 * Compiled in with -DCLEARXZ_DEBUG (the sanitizer and fuzz builds).
 * Never use it for anything that input bytes can make false.
 */
#ifdef CLEARXZ_DEBUG
#include <assert.h>
#define ASSERT(x) assert(x)
#else
#define ASSERT(x) ((void)0)
#endif

/* Size of a memory block for the memory-usage accounting. */
#define KIB ((uint64_t)1 << 10)
#define MIB ((uint64_t)1 << 20)

/* ---- allocation (lib/common/alloc.c) ------------------------------------
 * All library memory comes through these, so a caller's lzma_allocator sees
 * every allocation (CPython installs one). a may be NULL (use malloc/free).
 * Both return NULL on failure or when size is 0 would overflow nothing:
 * a size of 0 is allocated as 1 byte so NULL always means failure. */
void *xzc_alloc(const lzma_allocator *a, size_t size);
void *xzc_alloc_zero(const lzma_allocator *a, size_t size);
void xzc_free(const lzma_allocator *a, void *ptr);

/* ---- little-endian and big-endian integers ------------------------------ */
static inline uint16_t read16le(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t read32le(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16)
	       | ((uint32_t)p[3] << 24);
}

static inline uint64_t read64le(const uint8_t *p)
{
	return (uint64_t)read32le(p) | ((uint64_t)read32le(p + 4) << 32);
}

static inline uint32_t read32be(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16)
	       | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void write32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void write64le(uint8_t *p, uint64_t v)
{
	write32le(p, (uint32_t)v);
	write32le(p + 4, (uint32_t)(v >> 32));
}

static inline void write32be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Copy as much as fits from in[*in_pos..in_size) to out[*out_pos..out_size);
 * returns the number of bytes copied. */
static inline size_t xzc_bufcpy(const uint8_t *in, size_t *in_pos, size_t in_size,
				uint8_t *out, size_t *out_pos, size_t out_size)
{
	size_t n = MIN(in_size - *in_pos, out_size - *out_pos);
	if (n > 0)
		memcpy(out + *out_pos, in + *in_pos, n);
	*in_pos += n;
	*out_pos += n;
	return n;
}

/* ---- the coder interface -------------------------------------------------
 *
 * Every layer that turns a byte stream into another implements this: the
 * LZMA/LZMA2 decoders, each filter, the block and stream decoders, the .lzma
 * and .lz decoders. lzma_code() (lib/api/code.c) calls the outermost one.
 *
 * code(): consume from in[*in_pos..in_size), produce into
 *   out[*out_pos..out_size), advance both positions. Returns
 *     LZMA_OK          progress may continue (call again with more
 *                      input or output space);
 *     LZMA_STREAM_END  the stream is complete (or a flush action finished);
 *     LZMA_NO_CHECK, LZMA_UNSUPPORTED_CHECK, LZMA_GET_CHECK,
 *     LZMA_MEMLIMIT_ERROR  informational / recoverable: coding may go on
 *                      by calling again;
 *     anything else    a fatal error; the coder is not called again.
 *   A coder never returns LZMA_BUF_ERROR: lzma_code() derives that from
 *   "no progress twice in a row".
 *
 * in and out are never NULL, even when empty: liblzma lets a caller pass a
 * NULL buffer of size 0, but in C even NULL + 0 is undefined, and coders
 * offset their buffers freely. The entry points that take the caller's
 * buffers (lzma_code() and the buffer-at-once functions) swap such a NULL
 * for xzc_nonnull() before calling a coder.
 *
 * Filter chains: a filter coder that is not last in the chain owns `next`
 * (moved in at init) and pulls from it (decoder) or pushes into it (encoder).
 *
 * Ownership: `state` is allocated with the stream's allocator by the init
 * function and freed by end(). xzc_coder_end() is safe on an empty coder.
 */
/* p, or if it is NULL a stand-in that is never read or written (it is only
 * ever passed with size 0): see "in and out are never NULL" above. */
static inline uint8_t *xzc_nonnull(uint8_t *p)
{
	static uint8_t stand_in[1];
	return p != NULL ? p : stand_in;
}

static inline const uint8_t *xzc_nonnull_in(const uint8_t *p)
{
	return p != NULL ? p : xzc_nonnull(NULL);
}

typedef lzma_ret (*xzc_code_fn)(void *state, const lzma_allocator *a,
				const uint8_t *in, size_t *in_pos, size_t in_size,
				uint8_t *out, size_t *out_pos, size_t out_size,
				lzma_action action);

typedef struct xzc_coder {
	void *state;
	xzc_code_fn code;
	void (*end)(void *state, const lzma_allocator *a);
	/* Optional (NULL when not applicable): */
	lzma_check (*get_check)(const void *state);
	/* Reports memory in use and the current limit, and sets a new limit
	 * when new_memlimit != 0. Returns LZMA_MEMLIMIT_ERROR when the new
	 * limit is below what is already needed. */
	lzma_ret (*memconfig)(void *state, uint64_t *memusage,
			      uint64_t *old_memlimit, uint64_t new_memlimit);
	void (*get_progress)(void *state, uint64_t *progress_in,
			     uint64_t *progress_out);
	/* lzma_filters_update(): change options mid-stream (encoders). */
	lzma_ret (*update)(void *state, const lzma_allocator *a,
			   const lzma_filter *filters);
} xzc_coder;

#define XZC_CODER_INIT ((xzc_coder){ NULL, NULL, NULL, NULL, NULL, NULL, NULL })

static inline void xzc_coder_end(xzc_coder *c, const lzma_allocator *a)
{
	if (c->end != NULL)
		c->end(c->state, a);
	*c = XZC_CODER_INIT;
}

/* Move a coder: dst takes src's state; src becomes empty. */
static inline void xzc_coder_move(xzc_coder *dst, xzc_coder *src)
{
	*dst = *src;
	*src = XZC_CODER_INIT;
}

/* Internal return value of threaded coders: "no progress because a worker
 * has not finished in time"; lzma_code() turns it into LZMA_OK. liblzma uses
 * the same private value (its first reserved internal code). */
#define XZC_TIMED_OUT ((lzma_ret)101)

/* Largest valid VLI (the .xz format's variable-length integer). */
#define XZC_VLI_MAX (UINT64_MAX / 2)

/* Memory usage that liblzma adds for each coder's bookkeeping; used so that
 * the figures lzma_memusage() reports stay close to liblzma's. */
#define XZC_MEMUSAGE_BASE (UINT64_C(1) << 15)

#endif
