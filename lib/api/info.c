/*
 * info.c -- the functions that describe the library and the machine:
 * version, which integrity checks exist and their sizes, physical memory
 * and usable CPU threads. None of them allocates or fails hard: "unknown"
 * is reported as 0 (physmem, cputhreads) or UINT32_MAX (check size of an
 * impossible ID), as liblzma's API documents.
 */
#include <sched.h>
#include <unistd.h>

#include "common/common.h"

LZMA_API(uint32_t) lzma_version_number(void)
{
	return LZMA_VERSION;
}

LZMA_API(const char *) lzma_version_string(void)
{
	return LZMA_VERSION_STRING;
}

/*
 * The checks this library computes. The format defines IDs 0..15 (spec
 * 2.1.1.2); only these four are assigned, the rest are reserved and a
 * decoder skips them without verifying (LZMA_UNSUPPORTED_CHECK).
 */
LZMA_API(lzma_bool) lzma_check_is_supported(lzma_check check)
{
	switch ((unsigned int)check) {
	case LZMA_CHECK_NONE:
	case LZMA_CHECK_CRC32:
	case LZMA_CHECK_CRC64:
	case LZMA_CHECK_SHA256:
		return 1;
	default:
		return 0;
	}
}

/*
 * Spec 3.4: the size of the Check field depends only on the ID, also for
 * reserved IDs, so a decoder can skip checks it cannot verify. The IDs
 * come in groups of three: 1-3 have 4 bytes, 4-6 have 8, 7-9 have 16,
 * 10-12 have 32, 13-15 have 64; ID 0 has none.
 */
LZMA_API(uint32_t) lzma_check_size(lzma_check check)
{
	unsigned int id = (unsigned int)check;

	if (id > LZMA_CHECK_ID_MAX)
		return UINT32_MAX;
	if (id == 0)
		return 0;
	return UINT32_C(4) << ((id - 1) / 3);
}

/* Physical RAM: page count times page size, or 0 when the system does not
 * say (sysconf returns -1) or the product would overflow. */
LZMA_API(uint64_t) lzma_physmem(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	long page_size = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || page_size <= 0)
		return 0;
	if ((uint64_t)pages > UINT64_MAX / (uint64_t)page_size)
		return 0;
	return (uint64_t)pages * (uint64_t)page_size;
}

/*
 * Threads this process may run on: the CPUs in its affinity mask (what
 * taskset or a container's cpuset allows), else the online CPU count, else
 * 0 (unknown). The mask has room for CPU_SETSIZE (1024) CPUs; on larger
 * machines sched_getaffinity() fails and the online count is used.
 */
LZMA_API(uint32_t) lzma_cputhreads(void)
{
	cpu_set_t set;
	long online;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		int n = CPU_COUNT(&set);
		if (n > 0)
			return (uint32_t)n;
	}
	online = sysconf(_SC_NPROCESSORS_ONLN);
	if (online > 0 && online <= (long)UINT32_MAX)
		return (uint32_t)online;
	return 0;
}
