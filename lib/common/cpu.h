/*
 * cpu.h -- which optional CPU instructions this machine has, for the few
 * places (lib/check/x86/, later the match finders) that have a faster path
 * than portable C.
 *
 * The probe runs at the first call, never before main (no constructor, no
 * IFUNC: see STYLE.md "What the 2024 backdoor used"). Its answer is cached.
 *
 * Test-only switch: when the environment variable CLEARXZ_PORTABLE is "1"
 * at the first call, no optional feature is reported, so every caller takes
 * its portable C path. The tests run each program both ways.
 *
 * Layer rule: lib/common includes only include/lzma.h and libc.
 */
#ifndef CLEARXZ_CPU_H
#define CLEARXZ_CPU_H

#include <stdint.h>

/* One bit per feature. Only bits for features that the OS also enabled
 * (XGETBV) are set, so a caller may use the instructions directly. */
#define XZC_CPU_SSE2        (1u << 0)   /* always on x86-64 */
#define XZC_CPU_SSSE3       (1u << 1)
#define XZC_CPU_SSE41       (1u << 2)
#define XZC_CPU_PCLMULQDQ   (1u << 3)
#define XZC_CPU_AVX         (1u << 4)   /* CPU and OS support YMM state */
#define XZC_CPU_AVX2        (1u << 5)
#define XZC_CPU_BMI1        (1u << 6)
#define XZC_CPU_BMI2        (1u << 7)
#define XZC_CPU_AVX512      (1u << 8)   /* F + BW + VL, OS saves ZMM state */
#define XZC_CPU_VPCLMULQDQ  (1u << 9)   /* 256-bit VPCLMULQDQ (needs AVX2) */
#define XZC_CPU_SHA         (1u << 10)  /* SHA-1/SHA-256 extensions (SHA-NI) */

/* Bit set in the cached word once the probe has run (never returned). */
#define XZC_CPU_PROBED      (1u << 31)

/* The feature bits of this CPU (0 on other architectures, or when
 * CLEARXZ_PORTABLE=1 was set at the first call). Thread-safe: two threads
 * calling it first at the same time both probe and store the same value. */
uint32_t xzc_cpu_features(void);

#endif
