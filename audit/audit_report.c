/*
 * audit_report.c -- findings, and the verdict a person (or a program, with
 * --json) reads.
 *
 * The first line is the verdict, always: either "No trace of ..." or
 * "FOUND: ...". Then one block per finding (tier, path, what matched, its
 * public source), what to do, and notes on what could not be looked at.
 * Findings are sorted by tier and path, so the output of a scan does not
 * depend on the order the filesystem lists folders in.
 * Exit status: 0 clean, 1 found, 2 a PATH could not be scanned at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

static const char *const tier_names[] = {
	"", "backdoored binary", "malicious source", "affected package",
};

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);
	if (d == NULL) {
		perror("clearxz-audit");
		exit(2);
	}
	return d;
}

void audit_add_finding(audit_ctx *c, enum audit_tier tier, const char *path,
		const char *indicator, const char *detail, const char *source)
{
	for (size_t i = 0; i < c->nfindings; i++)
		if (strcmp(c->findings[i].path, path) == 0
				&& strcmp(c->findings[i].indicator, indicator) == 0)
			return;
	if (c->nfindings == c->findings_cap) {
		size_t cap = c->findings_cap ? c->findings_cap * 2 : 16;
		audit_finding *f = realloc(c->findings, cap * sizeof(*f));
		if (f == NULL) {
			perror("clearxz-audit");
			exit(2);
		}
		c->findings = f;
		c->findings_cap = cap;
	}
	audit_finding *f = &c->findings[c->nfindings++];
	f->tier = tier;
	f->path = dup_or_die(path);
	f->indicator = dup_or_die(indicator);
	f->detail = dup_or_die(detail);
	f->source = dup_or_die(source);
}

static int by_tier_path(const void *a, const void *b)
{
	const audit_finding *x = a, *y = b;
	if (x->tier != y->tier)
		return (int)x->tier - (int)y->tier;
	int r = strcmp(x->path, y->path);
	return r != 0 ? r : strcmp(x->indicator, y->indicator);
}

/* 41233 -> "41,233" */
static const char *grouped(uint64_t v, char buf[32])
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	int o = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

/* A path as it may be printed on a terminal: control bytes as \xNN, so a
 * hostile member name cannot move the cursor or hide a line. */
static void print_safe(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f)
			printf("\\x%02x", ch);
		else
			putchar(ch);
	}
}

static void human(const audit_ctx *c, const audit_finding *f, size_t n)
{
	char a[32], b[32], m[32];
	if (n == 0)
		printf("No trace of the xz backdoor (CVE-2024-3094) found in %s files, "
				"%s packages, %s compressed members.\n",
				grouped(c->files, a), grouped(c->packages, b), grouped(c->members, m));
	else
		printf("FOUND: %zu trace%s of the xz backdoor (CVE-2024-3094) in %s files, "
				"%s packages, %s compressed members.\n", n, n == 1 ? "" : "s",
				grouped(c->files, a), grouped(c->packages, b), grouped(c->members, m));
	bool tiers[4] = { false, false, false, false };
	for (size_t i = 0; i < n; i++) {
		printf("\n[tier %d: %s] ", f[i].tier, tier_names[f[i].tier]);
		print_safe(f[i].path);
		printf("\n    matched: %s\n    what:    %s\n    source:  %s\n",
				f[i].indicator, f[i].detail, f[i].source);
		tiers[f[i].tier] = true;
	}
	if (n > 0)
		printf("\nWhat to do:\n");
	if (tiers[TIER_BINARY])
		printf("  tier 1: a backdoored liblzma is on this machine or in this image. If a system\n"
				"    ran it (x86-64 with sshd linked to liblzma through systemd), treat that\n"
				"    system as compromised: take it off the network, rebuild it from trusted\n"
				"    media, and rotate its SSH host keys and any credentials used on it.\n");
	if (tiers[TIER_SOURCE])
		printf("  tier 2: this source carries the build-time injection. Do not build from it;\n"
				"    delete it and anything built from it, and use a fixed XZ Utils release.\n");
	if (tiers[TIER_PACKAGE])
		printf("  tier 3: a package at a backdoored version is installed or present. Upgrade\n"
				"    or downgrade xz/liblzma to your distribution's fixed version now, then\n"
				"    check the binaries (this scan) and your distribution's advisory.\n");
	if (c->unreadable > 0)
		printf("\nNote: %s files or folders could not be read%s.\n", grouped(c->unreadable, a),
				" (permission denied, or changed during the scan); run as root for a complete scan");
	if (c->partial > 0)
		printf("Note: %s files or members were damaged, sparse, cut at a size limit or nested "
				"deeper than --max-depth, and were scanned only in part.\n", grouped(c->partial, a));
	if (c->skipped_mounts > 0)
		printf("Note: %s other filesystems were not entered (use --all-filesystems).\n",
				grouped(c->skipped_mounts, a));
}

/* A JSON string: valid UTF-8 passes; control bytes and bytes that are not
 * UTF-8 are written as \u00NN (paths on Linux are bytes, not text). */
static void json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	putchar('"');
	while (*p != '\0') {
		unsigned ch = *p;
		size_t len = ch < 0x80 ? 1 : (ch & 0xe0) == 0xc0 ? 2 : (ch & 0xf0) == 0xe0 ? 3
			: (ch & 0xf8) == 0xf0 ? 4 : 0;
		bool ok = len > 0;
		for (size_t i = 1; i < len && ok; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ch == '"' || ch == '\\') {
			printf("\\%c", ch);
		} else if (ch < 0x20 || ch == 0x7f || !ok) {
			printf("\\u%04x", ch);
			len = 1;
		} else {
			fwrite(p, 1, len, stdout);
		}
		p += len;
	}
	putchar('"');
}

static void json(const audit_ctx *c, const audit_finding *f, size_t n, int status)
{
	printf("{\"cve\":\"CVE-2024-3094\",\"verdict\":\"%s\",\"exit_status\":%d,",
			n > 0 ? "found" : status == 2 ? "incomplete" : "clean", status);
	printf("\"files\":%llu,\"bytes\":%llu,\"packages\":%llu,\"members\":%llu,"
			"\"unreadable\":%llu,\"partial\":%llu,\"skipped_filesystems\":%llu,",
			(unsigned long long)c->files, (unsigned long long)c->bytes,
			(unsigned long long)c->packages, (unsigned long long)c->members,
			(unsigned long long)c->unreadable, (unsigned long long)c->partial,
			(unsigned long long)c->skipped_mounts);
	printf("\"findings\":[");
	for (size_t i = 0; i < n; i++) {
		printf("%s{\"tier\":%d,\"tier_name\":\"%s\",\"path\":", i ? "," : "",
				f[i].tier, tier_names[f[i].tier]);
		json_string(f[i].path);
		printf(",\"indicator\":");
		json_string(f[i].indicator);
		printf(",\"detail\":");
		json_string(f[i].detail);
		printf(",\"source\":");
		json_string(f[i].source);
		putchar('}');
	}
	printf("]}\n");
}

int audit_report(const audit_ctx *c)
{
	size_t n = c->nfindings;
	audit_finding *f = c->findings;
	if (n > 1)
		qsort(f, n, sizeof(*f), by_tier_path);
	int status = n > 0 ? 1 : c->could_not_scan ? 2 : 0;
	if (c->json)
		json(c, f, n, status);
	else
		human(c, f, n);
	fflush(stdout);
	return status;
}
