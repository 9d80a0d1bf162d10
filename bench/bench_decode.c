/*
 * bench_decode.c -- library-level decoding speed: the CPU time of decoding
 * .xz files from memory into memory with lzma_stream_decoder, so the CLI's
 * file I/O is not counted. Built twice by bench/run.sh: against clearxz's
 * libclearxz.a and against the system liblzma, measured in the same run.
 *     bench_decode RUNS FILE.xz...
 * For each file prints "NAME UNCOMPRESSED_BYTES BEST_CPU_SECONDS" (the best
 * of RUNS decodes). Exit status 1 if a file does not decode.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lzma.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n;
	*size = 0;
	if (f == NULL)
		return NULL;
	do {
		if (*size == cap) {
			cap = cap ? cap * 2 : (size_t)1 << 20;
			uint8_t *p = realloc(buf, cap);
			if (p == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + *size, 1, cap - *size, f);
		*size += n;
	} while (n != 0);
	fclose(f);
	return buf;
}

/* Decode in to a 1 MiB output buffer that is reused, as a streaming
 * application would; returns the uncompressed size, or 0 on error. */
static uint64_t decode(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_size)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	if (lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return 0;
	strm.next_in = in;
	strm.avail_in = in_size;
	lzma_ret ret;
	do {
		strm.next_out = out;
		strm.avail_out = out_size;
		ret = lzma_code(&strm, LZMA_FINISH);
	} while (ret == LZMA_OK);
	uint64_t total = strm.total_out;
	lzma_end(&strm);
	return ret == LZMA_STREAM_END ? total : 0;
}

int main(int argc, char **argv)
{
	static uint8_t out[1 << 20];
	if (argc < 3) {
		fprintf(stderr, "usage: bench_decode RUNS FILE.xz...\n");
		return 2;
	}
	int runs = atoi(argv[1]), bad = 0;
	for (int i = 2; i < argc; i++) {
		size_t size;
		uint8_t *in = read_all(argv[i], &size);
		double best = 1e30;
		uint64_t total = 0;
		for (int r = 0; r < runs && in != NULL; r++) {
			double t0 = cpu_now();
			total = decode(in, size, out, sizeof(out));
			double t = cpu_now() - t0;
			if (t < best)
				best = t;
		}
		if (in == NULL || total == 0) {
			fprintf(stderr, "bench_decode: %s does not decode\n", argv[i]);
			bad = 1;
		} else {
			const char *base = strrchr(argv[i], '/');
			printf("%s %llu %.6f\n", base ? base + 1 : argv[i],
			       (unsigned long long)total, best);
		}
		free(in);
	}
	return bad;
}
