/*
 * audit_pkgdb.c -- tier 3: packages at a backdoored version.
 *
 * Reads the package records a system or a package file carries, all plain
 * text, and compares name and version exactly with the PKG entries of the
 * indicator list:
 *   dpkg   /var/lib/dpkg/status (and any "status"/"control" file of stanzas:
 *          the control file inside a .deb is the same format)
 *   apk    /lib/apk/db/installed (P: name, V: version, blank line between)
 *   pacman /var/lib/pacman/local/NAME-VER/desc (%NAME%, %VERSION% blocks)
 *   .PKGINFO of Alpine .apk and Arch .pkg.tar.* files ("pkgname = x")
 *   rpm    headers of .rpm files, parsed in audit_archive.c
 * Exact comparison is the point: fixed builds such as 5.6.1+really5.4.5-1
 * still contain "5.6.1" and must not match.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"

/* Values longer than this are not package names or versions we look for. */
#define FIELD_MAX 128

void audit_pkg_check(audit_ctx *c, const audit_item *it, const char *format,
		const char *name, const char *version)
{
	c->packages++;
	bool pkginfo = strcmp(format, "pkginfo") == 0;
	for (size_t i = 0; i < c->ind.npkg; i++) {
		const audit_pkg *p = &c->ind.pkg[i];
		bool fmt_ok = strcmp(p->format, format) == 0
			|| (pkginfo && (strcmp(p->format, "apk") == 0
					|| strcmp(p->format, "pacman") == 0));
		if (!fmt_ok || strcmp(p->name, name) != 0 || strcmp(p->version, version) != 0)
			continue;
		char id[2 * FIELD_MAX + 16], detail[2 * FIELD_MAX + 64];
		snprintf(id, sizeof(id), "%s:%s=%s", p->format, name, version);
		snprintf(detail, sizeof(detail), "package %s %s is a backdoored version",
				name, version);
		audit_add_finding(c, TIER_PACKAGE, it->path, id, detail, p->source);
	}
}

/* The line at *pos (up to '\n' or end); advances *pos past it. */
static size_t next_line(const uint8_t *d, size_t size, size_t *pos, const uint8_t **line)
{
	size_t s = *pos, e = s;
	while (e < size && d[e] != '\n')
		e++;
	*line = d + s;
	*pos = e < size ? e + 1 : e;
	return e - s;
}

/* If line starts with key, copies the trimmed rest into out. */
static bool field(const uint8_t *line, size_t len, const char *key, char out[FIELD_MAX])
{
	size_t kl = strlen(key);
	if (len < kl || memcmp(line, key, kl) != 0)
		return false;
	size_t s = kl, e = len;
	while (s < e && (line[s] == ' ' || line[s] == '\t'))
		s++;
	while (e > s && (line[e - 1] == ' ' || line[e - 1] == '\r' || line[e - 1] == '\t'))
		e--;
	if (e - s >= FIELD_MAX)
		e = s;  /* too long to be one of ours: treat as empty */
	memcpy(out, line + s, e - s);
	out[e - s] = '\0';
	return true;
}

/* dpkg status: "install ok installed" etc.; "not-installed" and
 * "config-files" mean no files of the package are on the system. */
static bool dpkg_present(const char *status)
{
	if (status[0] == '\0')
		return true;  /* a control file: no status, the package itself */
	return strstr(status, "not-installed") == NULL && strstr(status, "config-files") == NULL;
}

/* Stanzas of "Key: value" lines separated by blank lines (deb822), with
 * name_key/version_key naming the fields: dpkg and apk share this shape. */
static void stanzas(audit_ctx *c, const audit_item *it, const char *format,
		const char *name_key, const char *version_key)
{
	char name[FIELD_MAX] = "", version[FIELD_MAX] = "", status[FIELD_MAX] = "";
	size_t pos = 0;
	while (pos <= it->size) {
		const uint8_t *line;
		bool at_end = pos == it->size;
		size_t len = at_end ? 0 : next_line(it->data, it->size, &pos, &line);
		if (len == 0 || (len == 1 && line[0] == '\r')) {
			if (name[0] != '\0' && version[0] != '\0'
					&& (strcmp(format, "dpkg") != 0 || dpkg_present(status)))
				audit_pkg_check(c, it, format, name, version);
			name[0] = version[0] = status[0] = '\0';
			if (at_end)
				break;
			continue;
		}
		if (!field(line, len, name_key, name) && !field(line, len, version_key, version))
			field(line, len, "Status:", status);
	}
}

/* pacman desc: "%NAME%\nxz\n\n%VERSION%\n5.6.1-1\n". */
static void pacman_desc(audit_ctx *c, const audit_item *it)
{
	char name[FIELD_MAX] = "", version[FIELD_MAX] = "", dummy[FIELD_MAX];
	char *want = NULL;
	size_t pos = 0;
	while (pos < it->size) {
		const uint8_t *line;
		size_t len = next_line(it->data, it->size, &pos, &line);
		if (want != NULL && len > 0) {
			field(line, len, "", want);
			want = NULL;
		} else if (field(line, len, "%NAME%", dummy)) {
			want = name;
		} else if (field(line, len, "%VERSION%", dummy)) {
			want = version;
		}
	}
	if (name[0] != '\0' && version[0] != '\0')
		audit_pkg_check(c, it, "pacman", name, version);
}

/* .PKGINFO: "pkgname = xz" and "pkgver = 5.6.1-1" (pacman: pkgver-pkgrel). */
static void pkginfo(audit_ctx *c, const audit_item *it)
{
	char name[FIELD_MAX] = "", version[FIELD_MAX] = "";
	size_t pos = 0;
	while (pos < it->size) {
		const uint8_t *line;
		size_t len = next_line(it->data, it->size, &pos, &line);
		char v[FIELD_MAX];
		if (field(line, len, "pkgname =", v))
			memcpy(name, v, sizeof(v));
		else if (field(line, len, "pkgver =", v))
			memcpy(version, v, sizeof(v));
	}
	if (name[0] != '\0' && version[0] != '\0')
		audit_pkg_check(c, it, "pkginfo", name, version);
}

static bool starts(const audit_item *it, const char *s)
{
	size_t n = strlen(s);
	return it->size >= n && memcmp(it->data, s, n) == 0;
}

bool audit_pkgdb(audit_ctx *c, const audit_item *it)
{
	const char *n = it->name;
	/* Not status-old: dpkg's backup of the state before the last run. */
	if ((strcmp(n, "status") == 0 || strcmp(n, "control") == 0)
			&& starts(it, "Package:")) {
		stanzas(c, it, "dpkg", "Package:", "Version:");
		return true;
	}
	if (strcmp(n, "installed") == 0 && (starts(it, "C:") || starts(it, "P:"))) {
		stanzas(c, it, "apk", "P:", "V:");
		return true;
	}
	if (strcmp(n, "desc") == 0 && starts(it, "%")) {
		pacman_desc(c, it);
		return true;
	}
	if (strcmp(n, ".PKGINFO") == 0) {
		pkginfo(c, it);
		return true;
	}
	return false;
}
