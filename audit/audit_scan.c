/*
 * audit_scan.c -- what is this buffer? One decision, in one place, then the
 * buffer goes to the part that knows its kind (see the map in audit.h).
 *
 * Order matters and is deliberate:
 *   1. every item is hashed (tier 1/2 hashes work on any kind of file);
 *   2. name-scoped text checks: package records and the build injection;
 *   3. a format recognized by its magic bytes is opened, and only opened:
 *      compressed streams are decoded, archives split into members;
 *   4. ELF files are searched for the backdoor's code;
 *   5. anything else is a blob: searched for the code too (a core dump or
 *      raw image can hold it), then carved for embedded streams.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"

static bool magic(const audit_item *it, const char *m, size_t n)
{
	return it->size >= n && memcmp(it->data, m, n) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A whole item that is one compressed file: decode, scan the result under
 * the same path (the decompression is not a member of its own). */
static void whole(audit_ctx *c, const audit_item *it, enum audit_codec codec)
{
	audit_decoded d;
	if (!audit_decompress(c, codec, it->data, it->size, false, &d)) {
		c->partial++;
		return;
	}
	if (!d.complete || d.capped)
		c->partial++;
	audit_scan_child(c, it, NULL, d.out, d.out_size);
	audit_free(d.out);
}

void audit_scan(audit_ctx *c, const audit_item *it)
{
	if (it->depth > 0)
		c->members++;
	audit_match_hash(c, it);
	if (audit_pkgdb(c, it))
		return;
	if (audit_text_candidate(c, it->name))
		audit_match_text(c, it);

	if (magic(it, "\x7f" "ELF", 4)) {
		audit_match_code(c, it);
	} else if (magic(it, "\xfd" "7zXZ\0", 6)) {
		whole(c, it, CODEC_XZ);
	} else if (magic(it, "LZIP", 4)) {
		whole(c, it, CODEC_LZIP);
	} else if (magic(it, "\x1f\x8b", 2)) {
		whole(c, it, CODEC_GZIP);
	} else if (magic(it, "\x28\xb5\x2f\xfd", 4)) {
		whole(c, it, CODEC_ZSTD);
	} else if (magic(it, "!<arch>\n", 8)) {
		audit_ar(c, it);
	} else if (magic(it, "07070", 5)) {
		audit_cpio(c, it);
	} else if (magic(it, "\xed\xab\xee\xdb", 4)) {
		audit_rpm(c, it);
	} else if (audit_is_tar(it->data, it->size)) {
		audit_tar(c, it);
	} else if ((ends_with(it->name, ".lzma") || ends_with(it->name, ".tlzma"))
			&& it->size >= 13 && it->data[0] < 225) {
		/* .lzma has no magic; the name and a valid properties byte
		 * (lzma-specification.txt: lc/lp/pb, below 9*5*5) decide. */
		whole(c, it, CODEC_LZMA);
	} else {
		audit_match_code(c, it);
		audit_carve(c, it);
	}
}

/* Base name with a compression suffix dropped: "x.tar.gz" -> "x.tar". */
static void strip_suffix(const char *name, char *out, size_t cap)
{
	static const char *const suffixes[] = { ".gz", ".xz", ".zst", ".lzma", ".lz" };
	snprintf(out, cap, "%s", name);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t a = strlen(out), b = strlen(suffixes[i]);
		if (a > b && strcmp(out + a - b, suffixes[i]) == 0) {
			out[a - b] = '\0';
			return;
		}
	}
	size_t a = strlen(out);
	if (a > 4 && strcmp(out + a - 4, ".tgz") == 0)
		strcpy(out + a - 4, ".tar");
}

void audit_scan_child(audit_ctx *c, const audit_item *parent, const char *name,
		const uint8_t *data, size_t size)
{
	if (parent->depth >= c->max_depth) {
		c->partial++;   /* nested deeper than --max-depth: not looked at */
		return;
	}
	size_t plen = strlen(parent->path);
	size_t nlen = name != NULL ? strlen(name) : 0;
	char *path = audit_alloc(plen + nlen + 2);
	char base[256];
	if (path == NULL) {
		c->partial++;
		return;
	}
	audit_item child = { data, size, path, base, parent->depth + 1 };
	memcpy(path, parent->path, plen + 1);
	if (name != NULL) {
		path[plen] = '!';
		memcpy(path + plen + 1, name, nlen + 1);
		const char *slash = strrchr(name, '/');
		snprintf(base, sizeof(base), "%s", slash != NULL ? slash + 1 : name);
	} else {
		strip_suffix(parent->name, base, sizeof(base));
	}
	audit_scan(c, &child);
	audit_free(path);
}
