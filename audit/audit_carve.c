/*
 * audit_carve.c -- compressed streams hidden at any offset of a blob.
 *
 * Firmware images, kernels, installers and other blobs of unknown layout
 * embed compressed streams. We look for their headers at every offset and
 * try to decode from there; what decodes is scanned as a member named by
 * its offset and format: "image.bin!0x10000.xz".
 *   .xz    magic FD 37 7A 58 5A 00 (xz-file-format.txt 2.1.1.1)
 *   .lz    "LZIP" and version 0 or 1 (lzip manual, "File format")
 *   gzip   1F 8B 08 and no reserved flag bits (RFC 1952 2.3.1)
 *   .lzma  no magic: the 13-byte header must look like what encoders
 *          write (audit_lzma_header_ok) and the first byte of LZMA data is
 *          always 0 (the range coder's first byte; lzma-specification.txt)
 * Garbage that passes these tests fails to decode within a few bytes;
 * every decode is bounded by the limits of audit_decompress.c.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool audit_lzma_header_ok(const uint8_t *p, size_t avail)
{
	if (avail < 14)
		return false;
	/* properties byte (lc, lp, pb): the spec allows up to 224; nearly every
	 * encoder writes 0x5D (lc=3 lp=0 pb=2), and we carve only that. */
	if (p[0] != 0x5D)
		return false;
	/* Dictionary size: xz writes 2^n or 2^n + 2^(n-1); other encoders a
	 * power of two. 4 KiB .. 1.5 GiB. */
	uint32_t dict = le32(p + 1);
	bool shape = false;
	for (unsigned n = 12; n <= 30; n++)
		if (dict == (1u << n) || dict == (1u << n) + (1u << (n - 1)))
			shape = true;
	if (!shape)
		return false;
	/* Uncompressed size: unknown (all ones) or below 256 GiB. */
	uint32_t lo = le32(p + 5), hi = le32(p + 9);
	if (!(lo == 0xffffffff && hi == 0xffffffff) && hi >= 64)
		return false;
	return p[13] == 0;
}

/* Which decoder a header at p would need, or -1. */
static int header_at(const uint8_t *p, size_t avail)
{
	switch (p[0]) {
	case 0xfd:
		if (avail >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
			return CODEC_XZ;
		break;
	case 'L':
		if (avail >= 5 && memcmp(p, "LZIP", 4) == 0 && p[4] <= 1)
			return CODEC_LZIP;
		break;
	case 0x1f:
		if (avail >= 10 && p[1] == 0x8b && p[2] == 8 && (p[3] & 0xe0) == 0)
			return CODEC_GZIP;
		break;
	case 0x5d:
		if (audit_lzma_header_ok(p, avail))
			return CODEC_LZMA;
		break;
	default:
		break;
	}
	return -1;
}

/* Each false candidate costs a decoder set-up (a dictionary allocation for
 * .lzma). A blob built of nothing but plausible headers must not turn that
 * into hours, so carving an item stops after this many failed attempts
 * (and the item counts as scanned in part). Real images have a few. */
#define MAX_FAILED_ATTEMPTS 4096

void audit_carve(audit_ctx *c, const audit_item *it)
{
	unsigned failed = 0;
	size_t off = 0;
	while (off < it->size) {
		/* The four first bytes we care about; the rest is skipped fast. */
		const uint8_t *p = it->data + off, *end = it->data + it->size;
		while (p < end && *p != 0xfd && *p != 'L' && *p != 0x1f && *p != 0x5d)
			p++;
		if (p == end)
			break;
		off = (size_t)(p - it->data);
		int codec = header_at(p, it->size - off);
		if (codec < 0) {
			off++;
			continue;
		}
		audit_decoded d;
		size_t next = off + 1;
		if (audit_decompress(c, (enum audit_codec)codec, p, it->size - off, true, &d)) {
			if (d.out_size > 0) {
				char name[48];
				snprintf(name, sizeof(name), "0x%zx.%s", off,
						audit_codec_name((enum audit_codec)codec));
				if (d.capped)
					c->partial++;
				audit_scan_child(c, it, name, d.out, d.out_size);
			}
			if (d.complete && d.in_used > 0)
				next = off + d.in_used;
			audit_free(d.out);
		}
		if (next == off + 1 && ++failed > MAX_FAILED_ATTEMPTS) {
			c->partial++;
			break;
		}
		off = next;
	}
}
