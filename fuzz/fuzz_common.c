/* fuzz_common.c -- guarded buffers and the two-run decoder check; see
 * fuzz_common.h for what is checked and why. */
#include "fuzz_common.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Bytes before each output chunk that must stay untouched (underruns). */
#define CANARY 64
#define CANARY_BYTE 0xA5

static void fail(const char *why)
{
	fprintf(stderr, "fuzz: %s\n", why);
	abort();
}

/* Memory whose usable part ends right before a PROT_NONE page, so any access
 * past the end faults (libdeflate's fuzzers do the same). */
struct guarded {
	uint8_t *map;
	size_t map_size;
	uint8_t *end; /* the first byte of the guard page */
};

/* Make g hold at least size usable bytes. The buffers are kept from one
 * input to the next (fewer system calls per run), grown when too small. */
static void guard_reserve(struct guarded *g, size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = size == 0 ? 1 : (size + page - 1) / page;
	if (g->map != NULL && g->map_size >= (pages + 1) * page)
		return;
	if (g->map != NULL)
		munmap(g->map, g->map_size);
	g->map_size = (pages + 1) * page;
	g->map = mmap(NULL, g->map_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->map == MAP_FAILED)
		fail("mmap failed");
	g->end = g->map + pages * page;
	if (mprotect(g->end, page, PROT_NONE) != 0)
		fail("mprotect failed");
}

static struct guarded chunk_in, chunk_out, all_in, all_out;

/* What one decode produced. */
struct run {
	lzma_ret ret;     /* the last return value */
	uint8_t *out;     /* FZ_MAX_OUT bytes */
	size_t out_size;
	bool capped;      /* stopped because FZ_MAX_OUT was reached */
	uint64_t in_used; /* bytes the decoder consumed */
};

/* The informational returns after which decoding goes on (the TELL flags). */
static bool goes_on(lzma_ret ret)
{
	return ret == LZMA_OK || ret == LZMA_NO_CHECK || ret == LZMA_UNSUPPORTED_CHECK
	       || ret == LZMA_GET_CHECK;
}

/* One lzma_code() call on buffers the caller placed; checks that the stream
 * fields move together and appends the output to r. Returns bytes consumed. */
static size_t step(lzma_stream *strm, lzma_action action, const uint8_t *in, size_t n_in,
		   uint8_t *out, size_t n_out, struct run *r, lzma_ret *ret)
{
	uint64_t total_in = strm->total_in, total_out = strm->total_out;
	strm->next_in = in;
	strm->avail_in = n_in;
	strm->next_out = out;
	strm->avail_out = n_out;
	*ret = lzma_code(strm, action);
	if (strm->avail_in > n_in || strm->avail_out > n_out)
		fail("avail_in or avail_out grew");
	size_t used = n_in - strm->avail_in, made = n_out - strm->avail_out;
	if (strm->next_in != in + used || strm->next_out != out + made)
		fail("next_in/next_out do not match avail_in/avail_out");
	if (strm->total_in != total_in + used || strm->total_out != total_out + made)
		fail("total_in/total_out do not match what was consumed/produced");
	if (made > FZ_MAX_OUT - r->out_size)
		fail("internal: output beyond FZ_MAX_OUT");
	memcpy(r->out + r->out_size, out, made);
	r->out_size += made;
	r->in_used += used;
	return used;
}

/* Input in chunks of ctl[0]/ctl[1], output in chunks of ctl[2]/ctl[3]; each
 * chunk copied to (input) or offered at (output) the end of a guarded page.
 * LZMA_FINISH, once given, is given with all the rest of the input, as the
 * API requires avail_in to stay the same after it. */
static void run_chunked(fz_init_fn init, const uint8_t *ctl, const uint8_t *in,
			size_t in_size, struct run *r)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	size_t pos = 0, stalls = 0;
	unsigned k = 0;
	bool finishing = false;
	guard_reserve(&chunk_in, 64);
	guard_reserve(&chunk_out, 256 + CANARY);
	r->ret = init(&strm, ctl + 4);
	while (r->ret == LZMA_OK) {
		if (r->out_size >= FZ_MAX_CHUNKED_OUT) {
			r->capped = true;
			break;
		}
		size_t n_in = 1 + (size_t)(ctl[k & 1] & 63);
		size_t n_out = 1 + (size_t)ctl[2 + (k & 1)];
		k++;
		if (finishing || n_in >= in_size - pos) {
			n_in = in_size - pos;
			finishing = true;
		}
		if (n_out > FZ_MAX_OUT - r->out_size)
			n_out = FZ_MAX_OUT - r->out_size;
		uint8_t *next_in = chunk_in.end - n_in, *next_out = chunk_out.end - n_out;
		memcpy(next_in, in + pos, n_in);
		memset(next_out - CANARY, CANARY_BYTE, CANARY);
		size_t produced = r->out_size;
		lzma_ret ret;
		pos += step(&strm, finishing ? LZMA_FINISH : LZMA_RUN, next_in, n_in,
			    next_out, n_out, r, &ret);
		for (size_t i = 0; i < CANARY; i++)
			if (next_out[-1 - (ptrdiff_t)i] != CANARY_BYTE)
				fail("the decoder wrote before next_out");
		if (!goes_on(ret))
			r->ret = ret;
		bool progress = r->out_size != produced || strm.avail_in != n_in;
		stalls = progress ? 0 : stalls + 1;
		if (stalls == 64)
			fail("LZMA_OK 64 times without progress");
	}
	lzma_end(&strm);
}

/* All input and FZ_MAX_OUT of output space, LZMA_FINISH from the start. */
static void run_oneshot(fz_init_fn init, const uint8_t *ctl, const uint8_t *in,
			size_t in_size, struct run *r)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	size_t pos = 0, stalls = 0;
	guard_reserve(&all_in, in_size);
	guard_reserve(&all_out, FZ_MAX_OUT);
	uint8_t *start = all_in.end - in_size, *out = all_out.end - FZ_MAX_OUT;
	if (in_size != 0)
		memcpy(start, in, in_size);
	r->ret = init(&strm, ctl + 4);
	while (r->ret == LZMA_OK) {
		size_t before = r->out_size;
		lzma_ret ret;
		size_t used = step(&strm, LZMA_FINISH, start + pos, in_size - pos,
				   out + r->out_size, FZ_MAX_OUT - r->out_size, r, &ret);
		pos += used;
		if (!goes_on(ret))
			r->ret = ret;
		else if (r->out_size == FZ_MAX_OUT)
			r->capped = true;
		if (r->capped)
			break;
		stalls = r->out_size != before || used != 0 ? 0 : stalls + 1;
		if (stalls == 64)
			fail("LZMA_OK 64 times without progress");
	}
	lzma_end(&strm);
}

int fz_check_decoder(fz_init_fn init, const uint8_t *data, size_t size)
{
	uint8_t ctl[FZ_CTL] = { 0 };
	size_t n_ctl = size < FZ_CTL ? size : FZ_CTL;
	memcpy(ctl, data, n_ctl);
	static uint8_t out_a[FZ_MAX_OUT], out_b[FZ_MAX_OUT];
	struct run a = { .out = out_a }, b = { .out = out_b };
	run_chunked(init, ctl, data + n_ctl, size - n_ctl, &a);
	run_oneshot(init, ctl, data + n_ctl, size - n_ctl, &b);
	/* Output depends only on the input bytes, never on how they were
	 * split: where neither run met an error, one run's output is a prefix
	 * of the other's. After an error the output is not compared: liblzma
	 * itself returns BCJ-filtered data unfiltered when the LZMA2 data
	 * below it turns out corrupt, so the bytes then depend on the split. */
	bool end_a = a.ret == LZMA_STREAM_END, end_b = b.ret == LZMA_STREAM_END;
	bool clean_a = end_a || a.capped, clean_b = end_b || b.capped;
	size_t n = a.out_size < b.out_size ? a.out_size : b.out_size;
	if (clean_a && clean_b && n != 0 && memcmp(a.out, b.out, n) != 0)
		fail("chunked and one-shot decoding gave different bytes");
	if (!a.capped && !b.capped && end_a != end_b)
		fail("only one of chunked and one-shot decoding reached the end");
	if (end_a && end_b && (a.out_size != b.out_size || a.in_used != b.in_used))
		fail("chunked and one-shot decoding ended at different places");
	return 0;
}
