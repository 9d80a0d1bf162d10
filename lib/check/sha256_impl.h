/*
 * sha256_impl.h -- the SHA-256 block functions behind xzc_sha256_update(),
 * for the dispatch in sha256.c and for the tests.
 *
 * Each processes nblocks 64-byte blocks at p into state (FIPS 180-4 6.2.2);
 * k is the table of the 64 round constants (computed in sha256.c).
 *
 * Layer rule: includes only lib/common.
 */
#ifndef CLEARXZ_SHA256_IMPL_H
#define CLEARXZ_SHA256_IMPL_H

#include "common/common.h"

void xzc_sha256_blocks_portable(uint32_t state[8], const uint8_t *p, size_t nblocks,
				const uint32_t k[64]);

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define XZC_HAVE_SHA256_SHANI 1
/* lib/check/x86/sha256_shani.c. Requires XZC_CPU_SHA, SSSE3 and SSE4.1. */
void xzc_sha256_blocks_shani(uint32_t state[8], const uint8_t *p, size_t nblocks,
			     const uint32_t k[64]);
#endif

/* The round constants, for the tests (builds them on first use). */
const uint32_t *xzc_sha256_constants(void);

#endif
