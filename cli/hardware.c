/*
 * hardware.c -- memory usage limits and the thread count.
 *
 * Three limits, as in xz: compression, decompression, and the soft limit
 * for multithreaded decompression (which only lowers the thread count).
 * Zero means "no limit". When no limit for multithreaded work is given,
 * a quarter of the physical memory is used, like xz 5.4 and later.
 */
#include "cli.h"

#include <stdio.h>

static uint64_t limit_compress;
static uint64_t limit_decompress;
static uint64_t limit_mt_decompress;
static bool compress_set;
static uint64_t physmem_bytes;
static uint32_t hw_threads;

void xzc_hw_init(void)
{
	physmem_bytes = lzma_physmem();
	hw_threads = lzma_cputhreads();
	if (hw_threads == 0)
		hw_threads = 1;
}

uint64_t xzc_hw_physmem(void)
{
	return physmem_bytes;
}

uint32_t xzc_hw_threads(void)
{
	return hw_threads;
}

void xzc_hw_set_memlimit_compress(uint64_t v)
{
	limit_compress = v;
	compress_set = v != 0;
}

void xzc_hw_set_memlimit_decompress(uint64_t v)
{
	limit_decompress = v;
}

void xzc_hw_set_memlimit_mt_decompress(uint64_t v)
{
	limit_mt_decompress = v;
}

bool xzc_hw_memlimit_compress_set(void)
{
	return compress_set;
}

uint64_t xzc_hw_memlimit_compress(void)
{
	return limit_compress ? limit_compress : UINT64_MAX;
}

uint64_t xzc_hw_memlimit_decompress(void)
{
	return limit_decompress ? limit_decompress : UINT64_MAX;
}

/* The default soft limit for threads: a quarter of RAM (xz's choice: it
 * leaves room for the rest of the system, and one thread is always
 * allowed). It never exceeds the hard decompression limit. */
static uint64_t mt_default(void)
{
	uint64_t v = physmem_bytes / 4;
	if (v == 0)
		v = (uint64_t)1 << 30;
	return v;
}

uint64_t xzc_hw_memlimit_mt_decompress(void)
{
	uint64_t v = limit_mt_decompress ? limit_mt_decompress : mt_default();
	uint64_t hard = xzc_hw_memlimit_decompress();
	return v < hard ? v : hard;
}

/* Threaded compression: the --memlimit-compress limit, or the soft
 * default (the same quarter of RAM; decompression limits play no part). */
uint64_t xzc_hw_memlimit_mt_compress(void)
{
	return limit_compress ? limit_compress : mt_default();
}

static void print_limit(const char *label, uint64_t v)
{
	if (v == 0 || v == UINT64_MAX)
		printf("  %-32s  Disabled\n", label);
	else
		printf("  %-32s  %llu MiB (%llu B)\n", label,
		       (unsigned long long)xzc_round_up_mib(v),
		       (unsigned long long)v);
}

void xzc_hw_print_info_memory(void)
{
	uint64_t mt = xzc_hw_memlimit_mt_decompress();
	uint64_t t0 = xzc_hw_memlimit_mt_compress();
	if (xzc_opt.robot) {
		printf("%llu\t%llu\t%llu\t%llu\t%llu\t%u\n",
		       (unsigned long long)physmem_bytes,
		       (unsigned long long)limit_compress,
		       (unsigned long long)limit_decompress,
		       (unsigned long long)mt, (unsigned long long)t0,
		       (unsigned)hw_threads);
		return;
	}
	printf("Hardware information:\n");
	printf("  %-32s  %llu MiB (%llu B)\n", "Amount of physical memory (RAM):",
	       (unsigned long long)(physmem_bytes >> 20),
	       (unsigned long long)physmem_bytes);
	printf("  %-32s  %u\n", "Number of processor threads:",
	       (unsigned)hw_threads);
	printf("\nMemory usage limits:\n");
	print_limit("Compression:", limit_compress);
	print_limit("Decompression:", limit_decompress);
	print_limit("Multi-threaded decompression:", mt);
	print_limit("Default for -T0:", t0);
}
