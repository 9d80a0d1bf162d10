/*
 * audit_indicators.c -- the indicator list: loading it and matching hashes
 * and source text against it.
 *
 * The data lives in indicators.def, one entry per line with its public
 * source. Why a .def file of macro calls: it is plain text a reviewer reads
 * line by line, the compiler takes it as it is (no generator, nothing
 * generated), and the same syntax is read at run time by --indicators, so
 * both paths go through one validating function, add_entry().
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
/* SHA-256 is the library's (lib/check: FIPS 180-4, SHA-NI when the CPU has
 * it, tested against the FIPS vectors in tests/test_check.c). A second copy
 * here would be one more thing to review; hashing is most of the CPU time
 * of a scan, so the fast path matters. This is the auditor's only use of an
 * internal library interface. */
#include "check/check.h"

typedef struct {
	char kind;              /* 'C' CODE, 'H' HASH, 'T' TEXT, 'P' PKG */
	const char *arg[4];     /* unused ones are NULL */
} raw_entry;

static const raw_entry builtin[] = {
#define CODE(rule, hex, src)          { 'C', { rule, hex, src, NULL } },
#define HASH(tier, sha, what, src)    { 'H', { tier, sha, what, src } },
#define TEXT(rule, glob, needle, src) { 'T', { rule, glob, needle, src } },
#define PKG(fmt, name, ver, src)      { 'P', { fmt, name, ver, src } },
#include "indicators.def"
#undef CODE
#undef HASH
#undef TEXT
#undef PKG
};

static char *dup_str(const char *s)
{
	char *d = strdup(s);
	if (d == NULL) {
		perror("clearxz-audit");
		exit(2);
	}
	return d;
}

static void *grow(void *arr, size_t n, size_t elem)
{
	void *p = realloc(arr, (n + 1) * elem);
	if (p == NULL) {
		perror("clearxz-audit");
		exit(2);
	}
	return p;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* "f3 0f ?? 1e" or "f30f??1e" -> bytes and care mask. Returns false on
 * anything else. Picks the longest run of fixed bytes as the anchor. */
static bool parse_pattern(const char *hex, audit_code *c)
{
	size_t cap = strlen(hex) / 2 + 1;
	c->bytes = malloc(cap);
	c->care = malloc(cap);
	if (c->bytes == NULL || c->care == NULL)
		return false;
	c->len = 0;
	for (const char *p = hex; *p != '\0';) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (p[0] == '?' && p[1] == '?') {
			c->bytes[c->len] = 0;
			c->care[c->len++] = 0;
		} else if (hexval(p[0]) >= 0 && p[1] != '\0' && hexval(p[1]) >= 0) {
			c->bytes[c->len] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
			c->care[c->len++] = 1;
		} else {
			return false;
		}
		p += 2;
	}
	c->anchor = c->anchor_len = 0;
	for (size_t i = 0; i < c->len;) {
		size_t j = i;
		while (j < c->len && c->care[j])
			j++;
		if (j - i > c->anchor_len) {
			c->anchor = i;
			c->anchor_len = j - i;
		}
		i = j + 1;
	}
	return c->anchor_len >= 4;
}

static bool parse_sha(const char *hex, uint8_t out[32])
{
	if (strlen(hex) != 64)
		return false;
	for (int i = 0; i < 32; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* Validates one entry and adds it. where names it in error messages. */
static bool add_entry(audit_indicators *ind, const raw_entry *e, const char *where)
{
	const char *const *a = e->arg;
	switch (e->kind) {
	case 'C': {
		audit_code c = { .rule = dup_str(a[0]), .source = dup_str(a[2]) };
		if (!parse_pattern(a[1], &c)) {
			fprintf(stderr, "clearxz-audit: %s: bad byte pattern "
					"(hex pairs, ?? for any byte, 4 fixed bytes in a row)\n", where);
			return false;
		}
		ind->code = grow(ind->code, ind->ncode, sizeof(c));
		ind->code[ind->ncode++] = c;
		return true;
	}
	case 'H': {
		audit_hash h = { .what = dup_str(a[2]), .source = dup_str(a[3]) };
		if (strcmp(a[0], "binary") == 0)
			h.tier = TIER_BINARY;
		else if (strcmp(a[0], "source") == 0)
			h.tier = TIER_SOURCE;
		else {
			fprintf(stderr, "clearxz-audit: %s: tier must be \"binary\" or \"source\"\n", where);
			return false;
		}
		if (!parse_sha(a[1], h.sha256)) {
			fprintf(stderr, "clearxz-audit: %s: SHA-256 must be 64 hex digits\n", where);
			return false;
		}
		ind->hash = grow(ind->hash, ind->nhash, sizeof(h));
		ind->hash[ind->nhash++] = h;
		return true;
	}
	case 'T': {
		if (a[2][0] == '\0') {
			fprintf(stderr, "clearxz-audit: %s: empty needle\n", where);
			return false;
		}
		audit_text t = { dup_str(a[0]), dup_str(a[1]), dup_str(a[2]), dup_str(a[3]) };
		ind->text = grow(ind->text, ind->ntext, sizeof(t));
		ind->text[ind->ntext++] = t;
		return true;
	}
	case 'P': {
		const char *f = a[0];
		if (strcmp(f, "dpkg") != 0 && strcmp(f, "apk") != 0
				&& strcmp(f, "pacman") != 0 && strcmp(f, "rpm") != 0) {
			fprintf(stderr, "clearxz-audit: %s: format must be dpkg, apk, pacman or rpm\n", where);
			return false;
		}
		audit_pkg p = { dup_str(a[0]), dup_str(a[1]), dup_str(a[2]), dup_str(a[3]) };
		ind->pkg = grow(ind->pkg, ind->npkg, sizeof(p));
		ind->pkg[ind->npkg++] = p;
		return true;
	}
	default:
		return false;
	}
}

int audit_indicators_builtin(audit_indicators *ind)
{
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		char where[64];
		snprintf(where, sizeof(where), "built-in entry %zu", i + 1);
		if (!add_entry(ind, &builtin[i], where))
			return -1;
	}
	return 0;
}

/* Reads one "C string" at *pp into out (cap bytes). Returns false on a
 * syntax error or an overlong string. */
static bool read_cstring(const char **pp, char *out, size_t cap)
{
	const char *p = *pp;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '"')
		return false;
	size_t n = 0;
	while (*p != '"') {
		char ch = *p++;
		if (ch == '\0' || ch == '\n')
			return false;
		if (ch == '\\') {
			ch = *p++;
			if (ch == 't')
				ch = '\t';
			else if (ch == 'n')
				ch = '\n';
			else if (ch != '\\' && ch != '"')
				return false;
		}
		if (n + 1 >= cap)
			return false;
		out[n++] = ch;
	}
	out[n] = '\0';
	*pp = p + 1;
	return true;
}

/* One line "KIND("a", "b", ...)" -> entry; strings point into buf. */
static bool parse_line(const char *line, raw_entry *e, char buf[4][1024])
{
	static const struct { const char *word; char kind; int nargs; } kinds[] = {
		{ "CODE(", 'C', 3 }, { "HASH(", 'H', 4 }, { "TEXT(", 'T', 4 }, { "PKG(", 'P', 4 },
	};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t wl = strlen(kinds[k].word);
		if (strncmp(line, kinds[k].word, wl) != 0)
			continue;
		const char *p = line + wl;
		e->kind = kinds[k].kind;
		for (int i = 0; i < 4; i++)
			e->arg[i] = NULL;
		for (int i = 0; i < kinds[k].nargs; i++) {
			if (i > 0) {
				while (*p == ' ')
					p++;
				if (*p++ != ',')
					return false;
			}
			if (!read_cstring(&p, buf[i], sizeof(buf[i])))
				return false;
			e->arg[i] = buf[i];
		}
		while (*p == ' ')
			p++;
		return *p == ')';
	}
	return false;
}

int audit_indicators_load(audit_indicators *ind, const char *file)
{
	FILE *f = fopen(file, "r");
	if (f == NULL) {
		fprintf(stderr, "clearxz-audit: %s: %s\n", file, strerror(errno));
		return -1;
	}
	char line[8192];
	static char buf[4][1024];
	unsigned lineno = 0;
	int ret = 0;
	while (ret == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\n' || *s == '\0' || strncmp(s, "//", 2) == 0)
			continue;
		char where[300];
		snprintf(where, sizeof(where), "%s:%u", file, lineno);
		raw_entry e;
		if (!parse_line(s, &e, buf)) {
			fprintf(stderr, "clearxz-audit: %s: not an entry "
					"(CODE, HASH, TEXT or PKG with \"strings\")\n", where);
			ret = -1;
		} else if (!add_entry(ind, &e, where)) {
			ret = -1;
		}
	}
	fclose(f);
	return ret;
}

static void print_cstring(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if (*s == '\t')
			fputs("\\t", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
	putchar('"');
}

/* Prints what is loaded, in the syntax of indicators.def (hex normalized). */
void audit_indicators_list(const audit_indicators *ind)
{
	for (size_t i = 0; i < ind->ncode; i++) {
		const audit_code *c = &ind->code[i];
		printf("CODE(");
		print_cstring(c->rule);
		printf(", \"");
		for (size_t j = 0; j < c->len; j++)
			printf(c->care[j] ? "%02x" : "??", c->bytes[j]);
		printf("\", ");
		print_cstring(c->source);
		printf(")\n");
	}
	for (size_t i = 0; i < ind->nhash; i++) {
		const audit_hash *h = &ind->hash[i];
		printf("HASH(\"%s\", \"", h->tier == TIER_BINARY ? "binary" : "source");
		for (int j = 0; j < 32; j++)
			printf("%02x", h->sha256[j]);
		printf("\", ");
		print_cstring(h->what);
		printf(", ");
		print_cstring(h->source);
		printf(")\n");
	}
	for (size_t i = 0; i < ind->ntext; i++) {
		const audit_text *t = &ind->text[i];
		const char *f[4] = { t->rule, t->glob, t->needle, t->source };
		printf("TEXT(");
		for (int j = 0; j < 4; j++) {
			print_cstring(f[j]);
			printf(j < 3 ? ", " : ")\n");
		}
	}
	for (size_t i = 0; i < ind->npkg; i++) {
		const audit_pkg *p = &ind->pkg[i];
		const char *f[4] = { p->format, p->name, p->version, p->source };
		printf("PKG(");
		for (int j = 0; j < 4; j++) {
			print_cstring(f[j]);
			printf(j < 3 ? ", " : ")\n");
		}
	}
}

/* ---- matching ----------------------------------------------------------- */

void audit_match_hash(audit_ctx *c, const audit_item *it)
{
	if (c->ind.nhash == 0 || it->size > c->max_hash_size)
		return;
	uint8_t sha[32];
	xzc_sha256_state st;
	xzc_sha256_init(&st);
	xzc_sha256_update(&st, it->data, it->size);
	xzc_sha256_finish(&st, sha);
	for (size_t i = 0; i < c->ind.nhash; i++) {
		const audit_hash *h = &c->ind.hash[i];
		if (memcmp(sha, h->sha256, 32) != 0)
			continue;
		char id[80];
		snprintf(id, sizeof(id), "sha256:");
		for (int j = 0; j < 32; j++)
			snprintf(id + 7 + 2 * j, 3, "%02x", sha[j]);
		audit_add_finding(c, h->tier, it->path, id, h->what, h->source);
	}
}

/* Is name in scope of any text rule? (cheap; decides whether to look.) */
bool audit_text_candidate(const audit_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->ind.ntext; i++)
		if (fnmatch(c->ind.text[i].glob, name, 0) == 0)
			return true;
	return false;
}

/* A rule is the set of TEXT entries with the same rule name; it matches
 * when the name fits every entry's glob and every needle is present. */
void audit_match_text(audit_ctx *c, const audit_item *it)
{
	const audit_indicators *ind = &c->ind;
	for (size_t i = 0; i < ind->ntext; i++) {
		bool first = true;
		for (size_t j = 0; j < i; j++)
			if (strcmp(ind->text[j].rule, ind->text[i].rule) == 0)
				first = false;
		if (!first)
			continue;
		bool all = true;
		for (size_t j = i; j < ind->ntext && all; j++) {
			const audit_text *t = &ind->text[j];
			if (strcmp(t->rule, ind->text[i].rule) != 0)
				continue;
			if (fnmatch(t->glob, it->name, 0) != 0
					|| memmem(it->data, it->size, t->needle, strlen(t->needle)) == NULL)
				all = false;
		}
		if (all)
			audit_add_finding(c, TIER_SOURCE, it->path, ind->text[i].rule,
					"build-time injection of the xz backdoor in source text",
					ind->text[i].source);
	}
}
