/*
 * check.c -- one incremental interface over the integrity checks of the
 * .xz format (xz-file-format.txt 3.4), for the block encoder and decoder.
 * The stored form of each check is the spec's: CRC32 and CRC64 as
 * little-endian integers, SHA-256 as its 32-byte digest.
 */
#include "check/check.h"

void xzc_check_init(xzc_check_state *c, lzma_check type)
{
	c->type = type;
	memset(c->result, 0, sizeof(c->result));
	switch (type) {
	case LZMA_CHECK_CRC32:
		c->st.crc32 = 0;
		break;
	case LZMA_CHECK_CRC64:
		c->st.crc64 = 0;
		break;
	case LZMA_CHECK_SHA256:
		xzc_sha256_init(&c->st.sha256);
		break;
	default:
		/* LZMA_CHECK_NONE or an ID this build does not verify:
		 * update and finish do nothing. */
		break;
	}
}

void xzc_check_update(xzc_check_state *c, const uint8_t *buf, size_t size)
{
	switch (c->type) {
	case LZMA_CHECK_CRC32:
		c->st.crc32 = lzma_crc32(buf, size, c->st.crc32);
		break;
	case LZMA_CHECK_CRC64:
		c->st.crc64 = lzma_crc64(buf, size, c->st.crc64);
		break;
	case LZMA_CHECK_SHA256:
		xzc_sha256_update(&c->st.sha256, buf, size);
		break;
	default:
		break;
	}
}

void xzc_check_finish(xzc_check_state *c)
{
	switch (c->type) {
	case LZMA_CHECK_CRC32:
		write32le(c->result, c->st.crc32);
		break;
	case LZMA_CHECK_CRC64:
		write64le(c->result, c->st.crc64);
		break;
	case LZMA_CHECK_SHA256:
		xzc_sha256_finish(&c->st.sha256, c->result);
		break;
	default:
		break;
	}
}
