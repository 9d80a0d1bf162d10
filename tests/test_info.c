/*
 * test_info.c -- lib/api/info.c: version, check IDs and sizes, physical
 * memory and CPU threads. The machine facts are compared with independent
 * sources: /proc/meminfo for RAM, the nproc tool (which also counts the
 * affinity mask) for threads.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void version(void)
{
	t_begin("version: number and string are 5.8.1 stable");
	CHECK_EQ(lzma_version_number(), 50080012);
	CHECK_EQ(lzma_version_number(), LZMA_VERSION);
	CHECK(strcmp(lzma_version_string(), "5.8.1") == 0);
	CHECK(strcmp(lzma_version_string(), LZMA_VERSION_STRING) == 0);
}

/* Spec 3.4: sizes of the Check field by ID, written out as a table. */
static void check_size(void)
{
	static const uint32_t want[16] = {
		0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64
	};
	t_begin("lzma_check_size: every ID 0..15, and beyond");
	for (unsigned int id = 0; id < 16; id++)
		CHECK_EQ(lzma_check_size((lzma_check)id), want[id]);
	CHECK_EQ(lzma_check_size((lzma_check)16), UINT32_MAX);
	CHECK_EQ(lzma_check_size((lzma_check)0x7FFFFFFF), UINT32_MAX);
}

static void check_supported(void)
{
	t_begin("lzma_check_is_supported: none, CRC32, CRC64, SHA-256 only");
	for (unsigned int id = 0; id < 40; id++) {
		bool want = id == LZMA_CHECK_NONE || id == LZMA_CHECK_CRC32
			    || id == LZMA_CHECK_CRC64 || id == LZMA_CHECK_SHA256;
		CHECK_EQ(lzma_check_is_supported((lzma_check)id) != 0, want);
	}
	CHECK(!lzma_check_is_supported((lzma_check)0x7FFFFFFF));
}

/* MemTotal in /proc/meminfo is the same page count the kernel reports to
 * sysconf(_SC_PHYS_PAGES), in KiB. */
static void physmem(void)
{
	t_buf b = { 0 };
	uint64_t mem = lzma_physmem();
	t_begin("lzma_physmem equals MemTotal of /proc/meminfo");
	CHECK(mem >= ((uint64_t)16 << 20));
	if (!t_read_file("/proc/meminfo", &b)) {
		t_skip("no /proc/meminfo");
		return;
	}
	t_buf_byte(&b, 0);
	const char *p = strstr((const char *)b.data, "MemTotal:");
	CHECK(p != NULL);
	if (p != NULL) {
		unsigned long long kib = strtoull(p + 9, NULL, 10);
		CHECK(mem == (uint64_t)kib * 1024);
	}
	t_buf_free(&b);
}

static void cputhreads(void)
{
	t_buf out = { 0 };
	uint32_t n = lzma_cputhreads();
	t_begin("lzma_cputhreads equals nproc");
	CHECK(n >= 1);
	if (t_run("nproc", NULL, 0, &out) != 0 || out.size == 0) {
		t_skip("nproc not available");
		t_buf_free(&out);
		return;
	}
	t_buf_byte(&out, 0);
	CHECK_EQ(n, strtoul((const char *)out.data, NULL, 10));
	t_buf_free(&out);
}

int main(void)
{
	version();
	check_size();
	check_supported();
	physmem();
	cputhreads();
	return t_done();
}
