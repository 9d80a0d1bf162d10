/*
 * fuzz_audit.c -- libFuzzer harness for clearxz-audit's scanner: every
 * format it opens (gzip, zstd, .xz, .lzma, .lz, tar, ar, cpio, rpm), the
 * package-record parsers, the text rules and the carver, on hostile bytes.
 *
 * Input: byte 0 picks the file name the item is scanned under (names
 * decide which package-record and text parsers run); the rest is the file.
 * Oracles: the sanitizers (no out-of-bounds access, no leak: every budget
 * allocation must be freed by the end of a scan), and determinism: a
 * second scan of the same input gives the same counts and findings.
 * Limits are small so each run stays fast.
 *
 * Build (as fuzz/run.sh does), with the audit sources except audit_main.c:
 *   clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Ilib -Iaudit \
 *     fuzz/fuzz_audit.c audit/audit_{walk,scan,budget,indicators,elfscan,pkgdb,\
 *     decompress,archive,carve,report}.c BUILD/lib/libclearxz.a -lz -lzstd
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"blob.bin", "status", "control", "installed", "desc", ".PKGINFO",
	"configure", "build-to-host.m4", "Makefile.in", "x.lzma",
};

static audit_ctx ctx;

static void setup(void)
{
	static bool done;
	if (done)
		return;
	if (audit_indicators_builtin(&ctx.ind) != 0)
		abort();
	ctx.max_depth = 6;
	ctx.max_expand = (uint64_t)256 << 10;
	ctx.max_expand_file = (uint64_t)1 << 20;
	ctx.max_hash_size = (uint64_t)1 << 20;
	ctx.decoder_memlimit = (uint64_t)32 << 20;
	audit_budget_init(ctx.max_expand_file + ctx.decoder_memlimit + ((uint64_t)8 << 20));
	done = true;
}

typedef struct {
	uint64_t members, packages, partial;
	size_t nfindings;
} summary;

static summary scan_once(const uint8_t *data, size_t size, const char *name)
{
	for (size_t i = 0; i < ctx.nfindings; i++) {
		free(ctx.findings[i].path);
		free(ctx.findings[i].indicator);
		free(ctx.findings[i].detail);
		free(ctx.findings[i].source);
	}
	ctx.nfindings = 0;
	ctx.members = ctx.packages = ctx.partial = 0;
	ctx.expanded_this_file = 0;
	audit_item it = { data, size, "fuzz", name, 0 };
	audit_scan(&ctx, &it);
	/* Every allocation of a scan is released by its end; a leftover
	 * would be a leak that audit_free_all() only hides. */
	if (audit_budget_in_use() != 0) {
		fprintf(stderr, "fuzz_audit: %llu bytes still allocated after a scan\n",
				(unsigned long long)audit_budget_in_use());
		abort();
	}
	summary s = { ctx.members, ctx.packages, ctx.partial, ctx.nfindings };
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size == 0)
		return 0;
	const char *name = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	/* A private copy, so reads past the end hit ASan's redzone. */
	uint8_t *copy = malloc(size - 1 ? size - 1 : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	summary a = scan_once(copy, size - 1, name);
	summary b = scan_once(copy, size - 1, name);
	if (memcmp(&a, &b, sizeof(a)) != 0) {
		fprintf(stderr, "fuzz_audit: two scans of one input differ\n");
		abort();
	}
	free(copy);
	return 0;
}
