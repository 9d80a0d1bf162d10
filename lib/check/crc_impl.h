/*
 * crc_impl.h -- the implementations behind lzma_crc32() and lzma_crc64(),
 * for the dispatch in crc32.c / crc64.c and for the tests, which compare
 * every path against the others.
 *
 * All take and return the CRC as the public functions do (liblzma's
 * convention: the value of the CRC so far, 0 to start; the pre- and
 * post-inversion of the register is done inside).
 *
 * Layer rule: includes only lib/common.
 */
#ifndef CLEARXZ_CRC_IMPL_H
#define CLEARXZ_CRC_IMPL_H

#include "common/common.h"

/* CRC-32 of ISO-HDLC / ITU-T V.42 (xz-file-format.txt 3.4 "CRC32"):
 * polynomial 0x04C11DB7, processed bit-reflected (0xEDB88320). */
#define XZC_CRC32_POLY_REFLECTED UINT32_C(0xEDB88320)
/* CRC-64 of ECMA-182 (xz-file-format.txt 3.4 "CRC64"):
 * polynomial 0x42F0E1EBA9EA3693, processed bit-reflected. */
#define XZC_CRC64_POLY_REFLECTED UINT64_C(0xC96C5795D7870F42)

/* Portable C, slice-by-8 (tables built at first use). */
uint32_t xzc_crc32_portable(uint32_t crc, const uint8_t *buf, size_t size);
uint64_t xzc_crc64_portable(uint64_t crc, const uint8_t *buf, size_t size);

/* Byte-at-a-time on the raw (inverted) register, using the tables; for the
 * short heads and tails of the accelerated paths. The tables must have been
 * built (any call of the portable function or the dispatcher does it). */
uint32_t xzc_crc32_bytes(uint32_t reg, const uint8_t *buf, size_t size);
uint64_t xzc_crc64_bytes(uint64_t reg, const uint8_t *buf, size_t size);

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define XZC_HAVE_CRC_CLMUL 1
/* lib/check/x86/crc_clmul.c: folding with carry-less multiplication.
 * Require XZC_CPU_PCLMULQDQ (cpu.h; SSE2 is part of x86-64) and, like the
 * _bytes functions they use for heads and tails, the tables built. */
uint32_t xzc_crc32_clmul(uint32_t crc, const uint8_t *buf, size_t size);
uint64_t xzc_crc64_clmul(uint64_t crc, const uint8_t *buf, size_t size);
#endif

#endif
