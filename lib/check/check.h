/*
 * check.h -- integrity checks of the .xz format (xz-file-format.txt 3.4):
 * CRC32, CRC64 and SHA-256, behind one incremental interface so the block
 * layer does not care which one a stream uses.
 *
 * Layer rule: includes only lib/common.
 */
#ifndef CLEARXZ_CHECK_H
#define CLEARXZ_CHECK_H

#include "common/common.h"

typedef struct {
	uint32_t state[8];
	uint64_t size;          /* bytes hashed so far */
	uint8_t block[64];      /* partial block, size % 64 bytes valid */
} xzc_sha256_state;

/* State of one running check. After xzc_check_finish(), result[] holds the
 * check value exactly as it is stored in the file (lzma_check_size() bytes:
 * CRC32 and CRC64 little-endian, SHA-256 big-endian as the spec says). */
typedef struct {
	lzma_check type;
	union {
		uint32_t crc32;
		uint64_t crc64;
		xzc_sha256_state sha256;
	} st;
	uint8_t result[64];
} xzc_check_state;

/* type must be a check this build supports (lzma_check_is_supported());
 * for an unsupported ID, init records it and update/finish do nothing
 * (the decoder then skips the stored value without verifying it). */
void xzc_check_init(xzc_check_state *c, lzma_check type);
void xzc_check_update(xzc_check_state *c, const uint8_t *buf, size_t size);
void xzc_check_finish(xzc_check_state *c);

void xzc_sha256_init(xzc_sha256_state *s);
void xzc_sha256_update(xzc_sha256_state *s, const uint8_t *buf, size_t size);
void xzc_sha256_finish(xzc_sha256_state *s, uint8_t out[32]);

/* lzma_crc32() and lzma_crc64() are the public entry points (lzma.h). */

#endif
