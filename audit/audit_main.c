/*
 * audit_main.c -- clearxz-audit: does this system carry the xz backdoor
 * (CVE-2024-3094)?
 *
 *   clearxz-audit [--json] [--max-depth N] [--all-filesystems] [PATH ...]
 *
 * Parses the options, loads the indicators, walks each PATH (default /)
 * and prints the verdict. Exit status 0 clean, 1 found, 2 could not scan.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

static void usage(FILE *out)
{
	fputs("Usage: clearxz-audit [OPTION]... [PATH]...\n"
		"Look for traces of the xz backdoor (CVE-2024-3094) in PATHs (default /):\n"
		"backdoored binaries, malicious source, and packages at backdoored versions,\n"
		"also inside .deb/.rpm/.apk packages, tarballs, compressed files and blobs.\n"
		"\n"
		"  --json              print the result as one JSON object\n"
		"  --max-depth N       look at most N levels into nested archives (default 8)\n"
		"  --max-expand SIZE   decompress at most SIZE bytes per member (default 256M)\n"
		"  --all-filesystems   also enter other filesystems mounted below a PATH\n"
		"  --indicators FILE   also use the indicators in FILE (indicators.def syntax)\n"
		"  --list-indicators   print the indicators in use and exit\n"
		"  -q, --quiet         no progress line\n"
		"  -h, --help          this help\n"
		"\n"
		"Exit status: 0 no trace found, 1 found, 2 a PATH could not be scanned.\n"
		"Read docs/BACKDOOR-AUDIT.md for what is checked and how to read a result.\n", out);
}

/* "256M" -> bytes. false on anything else. */
static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s)
		return false;
	unsigned shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift != 0)
		end++;
	if (*end != '\0' || v == 0 || v > (UINT64_MAX >> shift))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

int main(int argc, char **argv)
{
	static audit_ctx c;
	c.max_depth = 8;
	c.max_expand = 256 << 20;
	c.max_hash_size = 64 << 20;
	c.decoder_memlimit = 256 << 20;
	c.progress = isatty(2);
	bool list = false;
	if (audit_indicators_builtin(&c.ind) != 0)
		return 2;

	enum { OPT_MAXDEPTH = 256, OPT_MAXEXPAND, OPT_ALLFS, OPT_IND, OPT_LIST, OPT_JSON };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "max-depth", required_argument, NULL, OPT_MAXDEPTH },
		{ "max-expand", required_argument, NULL, OPT_MAXEXPAND },
		{ "all-filesystems", no_argument, NULL, OPT_ALLFS },
		{ "indicators", required_argument, NULL, OPT_IND },
		{ "list-indicators", no_argument, NULL, OPT_LIST },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		uint64_t v;
		switch (opt) {
		case OPT_JSON:
			c.json = true;
			break;
		case OPT_MAXDEPTH:
			if (!parse_size(optarg, &v) || v > 32) {
				fprintf(stderr, "clearxz-audit: --max-depth: a number from 1 to 32\n");
				return 2;
			}
			c.max_depth = (unsigned)v;
			break;
		case OPT_MAXEXPAND:
			if (!parse_size(optarg, &v) || v < 4096 || v > ((uint64_t)16 << 30)) {
				fprintf(stderr, "clearxz-audit: --max-expand: a size from 4K to 16G\n");
				return 2;
			}
			c.max_expand = v;
			break;
		case OPT_ALLFS:
			c.all_filesystems = true;
			break;
		case OPT_IND:
			if (audit_indicators_load(&c.ind, optarg) != 0)
				return 2;
			break;
		case OPT_LIST:
			list = true;
			break;
		case 'q':
			c.progress = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (list) {
		audit_indicators_list(&c.ind);
		return 0;
	}
	/* Expansion below one file: 4 members' worth. The budget covers that,
	 * one decoder at its memory limit, and slack for paths and state. */
	c.max_expand_file = c.max_expand * 4;
	audit_budget_init(c.max_expand_file + c.decoder_memlimit + ((uint64_t)64 << 20));

	if (optind == argc) {
		if (audit_walk(&c, "/") != 0)
			c.could_not_scan = true;
	}
	for (int i = optind; i < argc; i++)
		if (audit_walk(&c, argv[i]) != 0)
			c.could_not_scan = true;
	audit_walk_done(&c);
	return audit_report(&c);
}
