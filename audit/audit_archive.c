/*
 * audit_archive.c -- archives whose members we scan one by one:
 *   tar   POSIX ustar/pax and GNU (POSIX.1-2008 "pax" chapter; GNU tar manual)
 *   ar    System V/GNU and BSD variants (.deb packages, static .a libraries)
 *   cpio  "newc"/"crc" and "odc" (RPM payloads; the initramfs format)
 *   rpm   lead, signature header and header (RPM file format documentation),
 *         then the payload, a compressed cpio archive
 * Members are slices of the parent buffer (no copy). Every length read
 * from a header is checked against the bytes that are really there; a
 * member that runs past the end is scanned as far as it goes and counted
 * as partial. Parsing stops at the first header that does not check out.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"

#define NAME_MAX_LEN 4096   /* longer member names are cut (display only) */

/* Octal number in a fixed field: leading spaces, digits, then space/NUL.
 * GNU base-256 (first byte 0x80) for big sizes. false on anything else. */
static bool octal_field(const uint8_t *f, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (len > 0 && (f[0] & 0x80)) {
		for (size_t i = 1; i < len; i++) {
			if (v >> 55)
				return false;
			v = v << 8 | f[i];
		}
		*out = v;
		return true;
	}
	size_t i = 0;
	while (i < len && f[i] == ' ')
		i++;
	size_t digits = 0;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
		if (v >> 60)
			return false;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	if (i < len && f[i] != ' ' && f[i] != '\0')
		return false;
	*out = v;
	return digits > 0 || i == len;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* ustar header checksum (field at 148): sum of the header bytes with the
 * field itself counted as spaces; old tars summed signed chars. */
static bool tar_checksum_ok(const uint8_t *h)
{
	uint64_t stored;
	if (!octal_field(h + 148, 8, &stored))
		return false;
	uint64_t usum = 0;
	int64_t ssum = 0;
	for (int i = 0; i < 512; i++) {
		uint8_t b = (i >= 148 && i < 156) ? ' ' : h[i];
		usum += b;
		ssum += (int8_t)b;
	}
	return stored == usum || (int64_t)stored == ssum;
}

bool audit_is_tar(const uint8_t *data, size_t size)
{
	return size >= 512 && !all_zero(data, 512) && tar_checksum_ok(data);
}

/* Copies a name, dropping a leading "./" (display and glob matching). */
static void set_name(char *dst, const uint8_t *src, size_t len)
{
	size_t n = strnlen((const char *)src, len);
	while (n >= 2 && src[0] == '.' && src[1] == '/') {
		src += 2;
		n -= 2;
	}
	if (n >= NAME_MAX_LEN)
		n = NAME_MAX_LEN - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* pax extended header records "LEN key=value\n": returns the path value. */
static bool pax_path(const uint8_t *p, size_t len, char *name)
{
	size_t off = 0;
	while (off < len) {
		uint64_t rl = 0;
		size_t i = off;
		while (i < len && p[i] >= '0' && p[i] <= '9' && rl < len)
			rl = rl * 10 + (uint64_t)(p[i++] - '0');
		/* The record must hold its own length digits, the space and
		 * at least the closing newline. */
		if (rl == 0 || rl > len - off || i >= len || p[i] != ' ' || i + 1 >= off + rl)
			return false;
		const uint8_t *kv = p + i + 1;
		size_t kvlen = off + rl - (i + 1);
		if (kvlen > 5 && memcmp(kv, "path=", 5) == 0) {
			set_name(name, kv + 5, kvlen - 6);   /* without the '\n' */
			return true;
		}
		off += rl;
	}
	return false;
}

void audit_tar(audit_ctx *c, const audit_item *it)
{
	static char name[NAME_MAX_LEN];
	char long_name[NAME_MAX_LEN] = "";
	size_t off = 0;
	while (off + 512 <= it->size) {
		const uint8_t *h = it->data + off;
		if (all_zero(h, 512)) {    /* end blocks; Alpine .apk segments go on */
			off += 512;
			continue;
		}
		uint64_t len;
		if (!tar_checksum_ok(h) || !octal_field(h + 124, 12, &len))
			break;
		size_t avail = it->size - off - 512;
		bool cut = len > avail;
		size_t have = cut ? avail : (size_t)len;
		const uint8_t *body = h + 512;
		uint8_t type = h[156];
		if (type == 'L') {                          /* GNU long name */
			set_name(long_name, body, have);
		} else if (type == 'x') {                   /* pax per-file header */
			if (!pax_path(body, have, long_name))
				long_name[0] = '\0';
		} else if (type == '0' || type == '\0' || type == '7') {
			if (long_name[0] != '\0') {
				memcpy(name, long_name, sizeof(long_name));
			} else {
				char base[101];
				set_name(base, h, 100);
				if (memcmp(h + 257, "ustar", 5) == 0 && h[345] != '\0') {
					char prefix[156];
					set_name(prefix, h + 345, 155);
					snprintf(name, sizeof(name), "%s/%s", prefix, base);
				} else {
					snprintf(name, sizeof(name), "%s", base);
				}
			}
			long_name[0] = '\0';
			if (cut)
				c->partial++;
			if (name[0] != '\0')
				audit_scan_child(c, it, name, body, have);
		} else {
			long_name[0] = '\0';                    /* dirs, links, devices */
		}
		if (cut)
			break;
		off += 512 + (size_t)((len + 511) / 512 * 512);
	}
}

/* Decimal field of an ar header. */
static bool dec_field(const uint8_t *f, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0, digits = 0;
	for (; i < len && f[i] >= '0' && f[i] <= '9'; i++, digits++) {
		if (v > UINT64_MAX / 10 - 10)
			return false;
		v = v * 10 + (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ')
			return false;
	*out = v;
	return digits > 0;
}

/* Member name of an ar header: GNU "name/", "/N" into the "//" table, or BSD
 * "#1/N" (name in the first N bytes of the data; *skip set to N). */
static void ar_name(const uint8_t *h, const uint8_t *table, size_t table_len,
		const uint8_t *body, size_t have, char *name, size_t *skip)
{
	size_t n = 16;
	while (n > 0 && h[n - 1] == ' ')
		n--;
	*skip = 0;
	uint64_t v;
	if (n > 1 && h[0] == '/' && dec_field(h + 1, 15, &v)) {
		if (v < table_len) {
			size_t e = (size_t)v;
			while (e < table_len && table[e] != '/' && table[e] != '\n')
				e++;
			set_name(name, table + v, e - (size_t)v);
			return;
		}
		n = 0;
	} else if (n > 3 && memcmp(h, "#1/", 3) == 0 && dec_field(h + 3, 13, &v)) {
		*skip = v < have ? (size_t)v : have;
		set_name(name, body, *skip);
		return;
	}
	if (n > 1 && h[n - 1] == '/')
		n--;
	set_name(name, h, n);
}

void audit_ar(audit_ctx *c, const audit_item *it)
{
	static char name[NAME_MAX_LEN];
	const uint8_t *table = NULL;
	size_t table_len = 0;
	size_t off = 8;   /* after "!<arch>\n" */
	while (off + 60 <= it->size) {
		const uint8_t *h = it->data + off;
		uint64_t len;
		if (h[58] != '`' || h[59] != '\n' || !dec_field(h + 48, 10, &len))
			break;
		size_t avail = it->size - off - 60;
		bool cut = len > avail;
		size_t have = cut ? avail : (size_t)len;
		const uint8_t *body = h + 60;
		if (memcmp(h, "//              ", 16) == 0) {
			table = body;
			table_len = have;
		} else if (memcmp(h, "/               ", 16) != 0 && memcmp(h, "/SYM64/", 7) != 0
				&& memcmp(h, "__.SYMDEF", 9) != 0) {
			size_t skip;
			ar_name(h, table, table_len, body, have, name, &skip);
			if (cut)
				c->partial++;
			audit_scan_child(c, it, name[0] ? name : "?", body + skip, have - skip);
		}
		if (cut)
			break;
		off += 60 + (size_t)len + (size_t)(len & 1);
	}
}

static bool hex_field(const uint8_t *f, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		uint8_t ch = f[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0'
			: ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
			: ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

/* One cpio header at off; fills mode, name span, data span; returns the
 * offset of the next header or 0 when this is not a valid header. */
static size_t cpio_header(const uint8_t *d, size_t size, size_t off, uint64_t *mode,
		size_t *name_off, size_t *name_len, size_t *data_off, uint64_t *data_len)
{
	const uint8_t *h = d + off;
	uint64_t namesize;
	size_t hdr;
	bool newc = size - off >= 110 && (memcmp(h, "070701", 6) == 0 || memcmp(h, "070702", 6) == 0);
	if (newc) {
		/* newc: 13 fields of 8 hex digits; mode is field 2, filesize 7, namesize 12. */
		hdr = 110;
		if (!hex_field(h + 14, 8, mode) || !hex_field(h + 54, 8, data_len)
				|| !hex_field(h + 94, 8, &namesize))
			return 0;
	} else if (size - off >= 76 && memcmp(h, "070707", 6) == 0) {
		/* odc: octal; mode at 18, namesize at 59, filesize at 65. */
		hdr = 76;
		if (!octal_field(h + 18, 6, mode) || !octal_field(h + 59, 6, &namesize)
				|| !octal_field(h + 65, 11, data_len))
			return 0;
	} else {
		return 0;
	}
	if (namesize == 0 || namesize > size - off - hdr)
		return 0;
	*name_off = off + hdr;
	*name_len = (size_t)namesize - 1;   /* without the NUL */
	size_t dpos = off + hdr + (size_t)namesize;
	if (newc)
		dpos = (dpos + 3) & ~(size_t)3;   /* header+name padded to 4 */
	if (dpos > size)
		return 0;
	*data_off = dpos;
	size_t have = *data_len > size - dpos ? size - dpos : (size_t)*data_len;
	size_t next = dpos + have;
	if (newc)
		next = (next + 3) & ~(size_t)3;
	return next > off ? next : 0;
}

void audit_cpio(audit_ctx *c, const audit_item *it)
{
	static char name[NAME_MAX_LEN];
	size_t off = 0;
	while (off < it->size) {
		uint64_t mode, len;
		size_t noff, nlen, doff;
		size_t next = cpio_header(it->data, it->size, off, &mode, &noff, &nlen, &doff, &len);
		if (next == 0)
			break;
		set_name(name, it->data + noff, nlen);
		if (strcmp(name, "TRAILER!!!") == 0)
			break;
		size_t have = len > it->size - doff ? it->size - doff : (size_t)len;
		if (have < len)
			c->partial++;
		if ((mode & 0170000) == 0100000 && name[0] != '\0')
			audit_scan_child(c, it, name, it->data + doff, have);
		if (have < len || next > it->size)
			break;
		off = next;
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An rpm header structure at off: returns its total length or 0. */
static size_t rpm_header_len(const uint8_t *d, size_t size, size_t off)
{
	if (size < off || size - off < 16 || be32(d + off) != 0x8eade801)
		return 0;
	uint64_t il = be32(d + off + 8), dl = be32(d + off + 12);
	uint64_t len = 16 + il * 16 + dl;
	return il < 65536 && len <= size - off ? (size_t)len : 0;
}

/* The string of tag in the header at off (type 6 STRING), or "". */
static void rpm_string(const uint8_t *d, size_t off, uint32_t tag, char *out, size_t cap)
{
	uint32_t il = be32(d + off + 8), dl = be32(d + off + 12);
	const uint8_t *idx = d + off + 16, *store = idx + (size_t)il * 16;
	out[0] = '\0';
	for (uint32_t i = 0; i < il; i++) {
		const uint8_t *e = idx + (size_t)i * 16;
		uint32_t o = be32(e + 8);
		if (be32(e) != tag || be32(e + 4) != 6 || o >= dl)
			continue;
		size_t n = strnlen((const char *)store + o, dl - o);
		if (n == dl - o || n >= cap)
			return;   /* no NUL inside the store, or too long */
		memcpy(out, store + o, n);
		out[n] = '\0';
		return;
	}
}

void audit_rpm(audit_ctx *c, const audit_item *it)
{
	/* 96-byte lead, then the signature header padded to 8, then the header. */
	size_t sig = rpm_header_len(it->data, it->size, 96);
	if (sig == 0)
		return;
	size_t hoff = 96 + ((sig + 7) & ~(size_t)7);
	size_t hlen = rpm_header_len(it->data, it->size, hoff);
	if (hlen == 0)
		return;
	char name[128], version[128];
	rpm_string(it->data, hoff, 1000, name, sizeof(name));     /* RPMTAG_NAME */
	rpm_string(it->data, hoff, 1001, version, sizeof(version)); /* RPMTAG_VERSION */
	if (name[0] != '\0' && version[0] != '\0')
		audit_pkg_check(c, it, "rpm", name, version);
	size_t poff = hoff + hlen;
	audit_scan_child(c, it, NULL, it->data + poff, it->size - poff);
}
