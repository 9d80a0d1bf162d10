/*
 * cpu.c -- the CPU feature probe (see cpu.h for the contract).
 *
 * On x86-64 the answer comes from CPUID (Intel SDM vol. 2A, "CPUID"):
 *   leaf 1  ECX: bit 0 SSE3, 1 PCLMULQDQ, 9 SSSE3, 19 SSE4.1, 27 OSXSAVE,
 *                28 AVX;                 EDX: bit 26 SSE2
 *   leaf 7  EBX: bit 3 BMI1, 5 AVX2, 8 BMI2, 16 AVX512F, 29 SHA,
 *                30 AVX512BW, 31 AVX512VL; ECX: bit 10 VPCLMULQDQ
 * and the instructions that use YMM/ZMM registers are reported only when the
 * OS saves those registers on a context switch (XGETBV XCR0 bits 1-2 for
 * AVX, bits 5-7 for AVX-512), otherwise they would fault or corrupt state.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/cpu.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

static uint64_t read_xcr0(void)
{
	uint32_t lo, hi;
	/* XGETBV with ECX = 0; encoded as bytes for old assemblers. */
	__asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static uint32_t probe(void)
{
	uint32_t a, b, c, d, max_leaf;
	uint32_t f = XZC_CPU_SSE2;
	uint64_t xcr0 = 0;

	if (!__get_cpuid(0, &max_leaf, &b, &c, &d))
		return f;
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return f;
	if (c & (1u << 9))
		f |= XZC_CPU_SSSE3;
	if (c & (1u << 19))
		f |= XZC_CPU_SSE41;
	if (c & (1u << 1))
		f |= XZC_CPU_PCLMULQDQ;
	if (c & (1u << 27))             /* OSXSAVE: XGETBV is usable */
		xcr0 = read_xcr0();
	bool ymm_ok = (xcr0 & 0x6) == 0x6;      /* XMM and YMM state */
	bool zmm_ok = (xcr0 & 0xe6) == 0xe6;    /* + opmask, ZMM0-15 hi, ZMM16-31 */
	if ((c & (1u << 28)) && ymm_ok)
		f |= XZC_CPU_AVX;
	if (max_leaf < 7)
		return f;
	__cpuid_count(7, 0, a, b, c, d);
	if (b & (1u << 3))
		f |= XZC_CPU_BMI1;
	if (b & (1u << 8))
		f |= XZC_CPU_BMI2;
	if (b & (1u << 29))
		f |= XZC_CPU_SHA;
	if ((b & (1u << 5)) && (f & XZC_CPU_AVX))
		f |= XZC_CPU_AVX2;
	uint32_t avx512 = (1u << 16) | (1u << 30) | (1u << 31);
	if ((b & avx512) == avx512 && zmm_ok && (f & XZC_CPU_AVX2))
		f |= XZC_CPU_AVX512;
	if ((c & (1u << 10)) && (f & XZC_CPU_AVX2))
		f |= XZC_CPU_VPCLMULQDQ;
	return f;
}
#else
static uint32_t probe(void)
{
	return 0;
}
#endif

/* 0 until the first call has finished; then XZC_CPU_PROBED | features.
 * Relaxed ordering is enough: the value is self-contained and every thread
 * that races computes the same one. */
static _Atomic uint32_t cached;

uint32_t xzc_cpu_features(void)
{
	uint32_t v = atomic_load_explicit(&cached, memory_order_relaxed);
	if (v == 0) {
		const char *env = getenv("CLEARXZ_PORTABLE");
		if (env != NULL && strcmp(env, "1") == 0)
			v = XZC_CPU_PROBED;
		else
			v = XZC_CPU_PROBED | probe();
		atomic_store_explicit(&cached, v, memory_order_relaxed);
	}
	return v & ~XZC_CPU_PROBED;
}
