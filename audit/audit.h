/*
 * audit.h -- what the parts of clearxz-audit share.
 *
 * clearxz-audit looks for traces of the xz backdoor (CVE-2024-3094). Data
 * flows one way:
 *
 *   audit_walk.c      walks folders, maps each regular file
 *     -> audit_scan.c     decides what a buffer is and sends it on:
 *          audit_elfscan.c    code signatures (tier 1)
 *          audit_indicators.c hashes (tier 1/2) and source text rules (tier 2)
 *          audit_pkgdb.c      package databases and package metadata (tier 3)
 *          audit_decompress.c gzip, zstd, .xz, .lzma, .lz -> a new buffer
 *          audit_archive.c    tar, ar, cpio, rpm -> one buffer per member
 *          audit_carve.c      compressed streams hidden at any offset of a blob
 *        each of the last three calls audit_scan() again on what it finds,
 *        one level deeper.
 *     -> audit_report.c   prints the verdict (human or JSON) and exit code.
 *
 * Every buffer that an input can make us allocate comes from audit_budget.c,
 * which refuses beyond a fixed total; decoders get their own memory limits
 * too. Expanded bytes are capped per member and per top-level file, and the
 * nesting depth is capped, so no input can make a scan run long or big.
 */
#ifndef CLEARXZ_AUDIT_H
#define CLEARXZ_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- findings ------------------------------------------------------------ */

/* Tiers, by confidence (docs/BACKDOOR-AUDIT.md explains each). */
enum audit_tier {
	TIER_BINARY = 1,   /* backdoored binary: the code itself, or a known file hash */
	TIER_SOURCE = 2,   /* malicious source: the build-time injection */
	TIER_PACKAGE = 3,  /* a package at a backdoored version */
};

/* ---- indicators (audit_indicators.c; the data is audit/indicators.def) -- */

/* A byte pattern of machine code. A code rule matches when every one of its
 * patterns occurs in the same file. */
typedef struct {
	char *rule;
	uint8_t *bytes;     /* len bytes; where care[i] == 0 any byte matches */
	uint8_t *care;
	size_t len;
	size_t anchor;      /* start of the longest run of fixed bytes ... */
	size_t anchor_len;  /* ... which is searched for first (memmem) */
	char *source;
} audit_code;

typedef struct {
	enum audit_tier tier;
	uint8_t sha256[32];
	char *what;
	char *source;
} audit_hash;

/* Source text: a rule matches a file whose base name matches glob and which
 * contains every needle of the rule. */
typedef struct {
	char *rule;
	char *glob;
	char *needle;
	char *source;
} audit_text;

/* A package at a backdoored version. format: dpkg, apk, pacman, rpm.
 * version is compared exactly (for rpm: the Version tag, without Release). */
typedef struct {
	char *format;
	char *name;
	char *version;
	char *source;
} audit_pkg;

typedef struct {
	audit_code *code;
	size_t ncode;
	audit_hash *hash;
	size_t nhash;
	audit_text *text;
	size_t ntext;
	audit_pkg *pkg;
	size_t npkg;
} audit_indicators;

/* ---- the state of one run -------------------------------------------------- */

typedef struct {
	enum audit_tier tier;
	char *path;         /* full nested path: "img.bin!0x10000.xz!usr/lib/x" */
	char *indicator;    /* which rule or entry matched */
	char *detail;       /* one line for a person */
	char *source;       /* where the indicator was published */
} audit_finding;

typedef struct {
	/* options */
	bool json;
	bool progress;               /* stderr is a terminal and not --quiet */
	bool all_filesystems;
	unsigned max_depth;          /* nesting levels below a file */
	uint64_t max_expand;         /* bytes one decompressed member may grow to */
	uint64_t max_expand_file;    /* all expansion below one top-level file */
	uint64_t max_hash_size;      /* larger items are not hashed */
	uint64_t decoder_memlimit;   /* per decoder (lzma memlimit, zstd window) */

	audit_indicators ind;

	/* counters for the verdict line */
	uint64_t files;              /* top-level regular files scanned */
	uint64_t bytes;              /* bytes of those files */
	uint64_t packages;           /* package records read */
	uint64_t members;            /* nested items scanned */
	uint64_t unreadable;         /* files or folders we could not open */
	uint64_t partial;            /* members cut at a limit, corrupt or not fully decoded */
	uint64_t skipped_mounts;     /* other filesystems not entered */
	uint64_t expanded_this_file; /* for max_expand_file */
	bool could_not_scan;         /* a PATH argument could not be scanned at all */

	audit_finding *findings;
	size_t nfindings;
	size_t findings_cap;
} audit_ctx;

/* One thing to scan: a file's bytes or a member nested in it. */
typedef struct {
	const uint8_t *data;
	size_t size;
	const char *path;   /* full display path */
	const char *name;   /* base name of the innermost component (for name rules) */
	unsigned depth;     /* 0 for a file on disk */
} audit_item;

/* ---- functions, by file -------------------------------------------------- */

/* audit_budget.c: every input-driven allocation. Refuses (returns NULL) when
 * the total would pass the budget. Tracked so that a scan aborted by SIGBUS
 * (a file truncated while mapped) can free everything it held. */
void audit_budget_init(uint64_t limit);
void *audit_alloc(size_t size);
void *audit_realloc(void *p, size_t size);
void audit_free(void *p);
void audit_free_all(void);
uint64_t audit_budget_in_use(void);   /* bytes held now (0 between files) */

/* audit_indicators.c */
int audit_indicators_builtin(audit_indicators *ind);
/* Adds the entries of a file in the indicators.def syntax. Returns 0, or -1
 * with a message on stderr naming the line. */
int audit_indicators_load(audit_indicators *ind, const char *file);
void audit_indicators_list(const audit_indicators *ind);
void audit_match_hash(audit_ctx *c, const audit_item *it);
bool audit_text_candidate(const audit_ctx *c, const char *name);
void audit_match_text(audit_ctx *c, const audit_item *it);

/* audit_elfscan.c */
void audit_match_code(audit_ctx *c, const audit_item *it);

/* audit_pkgdb.c: returns true when the item was a package record or database. */
bool audit_pkgdb(audit_ctx *c, const audit_item *it);
/* A package named by other means (rpm header), checked against the list. */
void audit_pkg_check(audit_ctx *c, const audit_item *it, const char *format,
		const char *name, const char *version);

/* audit_decompress.c */
enum audit_codec { CODEC_GZIP, CODEC_ZSTD, CODEC_XZ, CODEC_LZMA, CODEC_LZIP };
typedef struct {
	uint8_t *out;        /* audit_alloc'd; caller frees with audit_free */
	size_t out_size;
	size_t in_used;      /* input bytes consumed by the stream(s) */
	bool complete;       /* reached a proper end of stream */
	bool capped;         /* stopped at max_expand */
} audit_decoded;
/* Decodes data as codec. single: stop after one stream (for carving).
 * Returns false when nothing could be decoded at all. */
bool audit_decompress(audit_ctx *c, enum audit_codec codec, const uint8_t *data,
		size_t size, bool single, audit_decoded *d);
const char *audit_codec_name(enum audit_codec codec);

/* audit_archive.c: each returns true when data was that kind of archive. */
bool audit_is_tar(const uint8_t *data, size_t size);
void audit_tar(audit_ctx *c, const audit_item *it);
void audit_ar(audit_ctx *c, const audit_item *it);
void audit_cpio(audit_ctx *c, const audit_item *it);
void audit_rpm(audit_ctx *c, const audit_item *it);

/* audit_carve.c */
void audit_carve(audit_ctx *c, const audit_item *it);
/* Is this plausibly the start of a .lzma (LZMA_Alone) stream? */
bool audit_lzma_header_ok(const uint8_t *p, size_t avail);

/* audit_scan.c */
void audit_scan(audit_ctx *c, const audit_item *it);
/* Scans a child: builds its path as parent!name (or parent's path when
 * name is NULL: a whole-file decompression) and recurses within limits. */
void audit_scan_child(audit_ctx *c, const audit_item *parent, const char *name,
		const uint8_t *data, size_t size);

/* audit_walk.c: returns 0, or -1 when path could not be scanned at all. */
int audit_walk(audit_ctx *c, const char *path);
/* Clears the progress line (once, before the report). */
void audit_walk_done(audit_ctx *c);

/* audit_report.c */
void audit_add_finding(audit_ctx *c, enum audit_tier tier, const char *path,
		const char *indicator, const char *detail, const char *source);
int audit_report(const audit_ctx *c);   /* prints, returns the exit status */

#endif
