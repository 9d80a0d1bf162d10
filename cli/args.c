/*
 * args.c -- the command line: program-name modes, XZ_DEFAULTS, XZ_OPT,
 * then argv, each able to override the one before (xz's order).
 *
 * Parsing uses getopt_long, so option abbreviations (--decomp), combined
 * short options (-dkv9), "--" and the diagnostics for unknown options are
 * the C library's, exactly as for xz.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct xzc_options xzc_opt = {
	.mode = MODE_COMPRESS,
	.format = FORMAT_AUTO,
	.check = LZMA_CHECK_CRC64,
	.preset = LZMA_PRESET_DEFAULT,
	.threads = 0,
};

/* Long options without a short form. */
enum {
	OPT_NO_SYNC = 256, OPT_SINGLE_STREAM, OPT_NO_SPARSE, OPT_FILES,
	OPT_FILES0, OPT_IGNORE_CHECK, OPT_BLOCK_SIZE, OPT_BLOCK_LIST,
	OPT_MEM_COMPRESS, OPT_MEM_DECOMPRESS, OPT_MEM_MT_DECOMPRESS,
	OPT_NO_ADJUST, OPT_FLUSH_TIMEOUT, OPT_FILTERS, OPT_FILTERS1,
	OPT_FILTERS9 = OPT_FILTERS1 + 8, OPT_FILTERS_HELP, OPT_LZMA1,
	OPT_LZMA2, OPT_X86, OPT_POWERPC, OPT_IA64, OPT_ARM, OPT_ARMTHUMB,
	OPT_ARM64, OPT_SPARC, OPT_RISCV, OPT_DELTA, OPT_ROBOT,
	OPT_INFO_MEMORY,
};

static const char short_opts[] = "cC:defF:hHlkM:qQS:tT:vVz0123456789";

static const struct option long_opts[] = {
	{ "compress", no_argument, NULL, 'z' },
	{ "decompress", no_argument, NULL, 'd' },
	{ "uncompress", no_argument, NULL, 'd' },
	{ "test", no_argument, NULL, 't' },
	{ "list", no_argument, NULL, 'l' },
	{ "keep", no_argument, NULL, 'k' },
	{ "force", no_argument, NULL, 'f' },
	{ "stdout", no_argument, NULL, 'c' },
	{ "to-stdout", no_argument, NULL, 'c' },
	{ "no-sync", no_argument, NULL, OPT_NO_SYNC },
	{ "single-stream", no_argument, NULL, OPT_SINGLE_STREAM },
	{ "no-sparse", no_argument, NULL, OPT_NO_SPARSE },
	{ "suffix", required_argument, NULL, 'S' },
	{ "files", optional_argument, NULL, OPT_FILES },
	{ "files0", optional_argument, NULL, OPT_FILES0 },
	{ "format", required_argument, NULL, 'F' },
	{ "check", required_argument, NULL, 'C' },
	{ "ignore-check", no_argument, NULL, OPT_IGNORE_CHECK },
	{ "block-size", required_argument, NULL, OPT_BLOCK_SIZE },
	{ "block-list", required_argument, NULL, OPT_BLOCK_LIST },
	{ "memlimit-compress", required_argument, NULL, OPT_MEM_COMPRESS },
	{ "memlimit-decompress", required_argument, NULL, OPT_MEM_DECOMPRESS },
	{ "memlimit-mt-decompress", required_argument, NULL,
	  OPT_MEM_MT_DECOMPRESS },
	{ "memlimit", required_argument, NULL, 'M' },
	{ "memory", required_argument, NULL, 'M' },
	{ "no-adjust", no_argument, NULL, OPT_NO_ADJUST },
	{ "threads", required_argument, NULL, 'T' },
	{ "flush-timeout", required_argument, NULL, OPT_FLUSH_TIMEOUT },
	{ "extreme", no_argument, NULL, 'e' },
	{ "fast", no_argument, NULL, '0' },
	{ "best", no_argument, NULL, '9' },
	{ "filters", required_argument, NULL, OPT_FILTERS },
	{ "filters1", required_argument, NULL, OPT_FILTERS1 },
	{ "filters2", required_argument, NULL, OPT_FILTERS1 + 1 },
	{ "filters3", required_argument, NULL, OPT_FILTERS1 + 2 },
	{ "filters4", required_argument, NULL, OPT_FILTERS1 + 3 },
	{ "filters5", required_argument, NULL, OPT_FILTERS1 + 4 },
	{ "filters6", required_argument, NULL, OPT_FILTERS1 + 5 },
	{ "filters7", required_argument, NULL, OPT_FILTERS1 + 6 },
	{ "filters8", required_argument, NULL, OPT_FILTERS1 + 7 },
	{ "filters9", required_argument, NULL, OPT_FILTERS9 },
	{ "filters-help", no_argument, NULL, OPT_FILTERS_HELP },
	{ "lzma1", optional_argument, NULL, OPT_LZMA1 },
	{ "lzma2", optional_argument, NULL, OPT_LZMA2 },
	{ "x86", optional_argument, NULL, OPT_X86 },
	{ "powerpc", optional_argument, NULL, OPT_POWERPC },
	{ "ia64", optional_argument, NULL, OPT_IA64 },
	{ "arm", optional_argument, NULL, OPT_ARM },
	{ "armthumb", optional_argument, NULL, OPT_ARMTHUMB },
	{ "arm64", optional_argument, NULL, OPT_ARM64 },
	{ "sparc", optional_argument, NULL, OPT_SPARC },
	{ "riscv", optional_argument, NULL, OPT_RISCV },
	{ "delta", optional_argument, NULL, OPT_DELTA },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "no-warn", no_argument, NULL, 'Q' },
	{ "robot", no_argument, NULL, OPT_ROBOT },
	{ "info-memory", no_argument, NULL, OPT_INFO_MEMORY },
	{ "help", no_argument, NULL, 'h' },
	{ "long-help", no_argument, NULL, 'H' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* File names: argv[first_file..argc), then the --files list. */
static char **arg_names;
static int arg_count, arg_pos;
static const char *files_name;   /* --files[0]=F, "-" for stdin */
static FILE *files_fp;
static char files_delim;
static bool stdin_default;       /* no names at all: read stdin */

/* The BCJ filter IDs, in the order of the OPT_X86.. constants. The
 * RISC-V ID (0x0B) is written out for liblzma versions that predate it. */
static const lzma_vli bcj_ids[] = {
	LZMA_FILTER_X86, LZMA_FILTER_POWERPC, LZMA_FILTER_IA64,
	LZMA_FILTER_ARM, LZMA_FILTER_ARMTHUMB, 0x0A, LZMA_FILTER_SPARC, 0x0B,
};

static uint64_t parse_memlimit(const char *name, const char *value)
{
	size_t len = strlen(value);
	if (len > 0 && value[len - 1] == '%') {
		char tmp[32];
		if (len >= sizeof(tmp))
			xzc_fatal("%s: Value is not a non-negative decimal "
				  "integer", xzc_printable(value));
		memcpy(tmp, value, len - 1);
		tmp[len - 1] = '\0';
		uint64_t pct = xzc_str_to_uint64(name, tmp, 1, 100);
		return xzc_hw_physmem() / 100 * pct;
	}
	return xzc_str_to_uint64(name, value, 0, UINT64_MAX);
}

static void parse_format(const char *s)
{
	static const struct { const char *n; enum xzc_format f; } t[] = {
		{ "auto", FORMAT_AUTO }, { "xz", FORMAT_XZ },
		{ "lzma", FORMAT_LZMA }, { "alone", FORMAT_LZMA },
		{ "lzip", FORMAT_LZIP }, { "raw", FORMAT_RAW },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); ++i) {
		if (strcmp(s, t[i].n) == 0) {
			xzc_opt.format = t[i].f;
			return;
		}
	}
	xzc_fatal("%s: Unknown file format type", xzc_printable(s));
}

static void parse_check(const char *s)
{
	static const struct { const char *n; lzma_check c; } t[] = {
		{ "none", LZMA_CHECK_NONE }, { "crc32", LZMA_CHECK_CRC32 },
		{ "crc64", LZMA_CHECK_CRC64 }, { "sha256", LZMA_CHECK_SHA256 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); ++i) {
		if (strcmp(s, t[i].n) == 0) {
			if (!lzma_check_is_supported(t[i].c))
				xzc_fatal("Unsupported type of integrity "
					  "check; not verifying file "
					  "integrity");
			xzc_opt.check = t[i].c;
			xzc_opt.check_set = true;
			return;
		}
	}
	xzc_fatal("%s: Unsupported integrity check type", xzc_printable(s));
}

/* "SIZE,SIZE,..." where each item may be "N:SIZE" (N = --filtersN chain)
 * and 0 means "the rest of the file". */
static void parse_block_list(const char *s)
{
	size_t count = 1;
	for (const char *p = s; *p != '\0'; ++p)
		count += *p == ',';
	free(xzc_opt.block_list);
	free(xzc_opt.block_list_filters);
	xzc_opt.block_list = calloc(count, sizeof(uint64_t));
	xzc_opt.block_list_filters = calloc(count, sizeof(uint32_t));
	if (xzc_opt.block_list == NULL || xzc_opt.block_list_filters == NULL)
		xzc_fatal("%s", strerror(ENOMEM));
	char *copy = strdup(s);
	if (copy == NULL)
		xzc_fatal("%s", strerror(ENOMEM));
	char *item = copy;
	for (size_t i = 0; i < count; ++i) {
		char *comma = strchr(item, ',');
		if (comma != NULL)
			*comma = '\0';
		char *colon = strchr(item, ':');
		if (colon != NULL) {
			if (colon - item != 1 || item[0] < '0' || item[0] > '9')
				xzc_fatal("%s: Invalid argument to "
					  "--block-list", xzc_printable(s));
			xzc_opt.block_list_filters[i] = (uint32_t)(item[0] - '0');
			item = colon + 1;
		}
		/* An empty item repeats the previous size and, without a
		 * "N:" of its own, the previous chain (xz 5.6+). */
		if (item[0] == '\0' && colon == NULL && i > 0)
			xzc_opt.block_list_filters[i] =
				xzc_opt.block_list_filters[i - 1];
		if (item[0] == '\0')
			xzc_opt.block_list[i] = i > 0
				? xzc_opt.block_list[i - 1] : 0;
		else
			xzc_opt.block_list[i] = xzc_str_to_uint64(
					"block-list", item, 0, UINT64_MAX);
		item = comma != NULL ? comma + 1 : item + strlen(item);
	}
	xzc_opt.block_list_count = count;
	free(copy);
}

static void parse_threads(const char *s)
{
	if (s[0] == '+') {
		xzc_opt.threads = (uint32_t)xzc_str_to_uint64("threads", s + 1,
				1, UINT32_MAX);
		xzc_opt.threads_mt_forced = true;
		return;
	}
	xzc_opt.threads = (uint32_t)xzc_str_to_uint64("threads", s, 0,
						      UINT32_MAX);
	xzc_opt.threads_mt_forced = false;
}

/* Options that only print something exit at once, as in xz: what came
 * before them (e.g. -M for --info-memory, --robot for -V) counts. */
static void handle_info_option(int c)
{
	switch (c) {
	case 'h': xzc_help_short(); break;
	case 'H': xzc_help_long(); break;
	case 'V': xzc_help_version(); break;
	case OPT_FILTERS_HELP: xzc_help_filters(); break;
	default: xzc_hw_print_info_memory(); break;
	}
	xzc_exit(E_SUCCESS);
}

static void handle_memlimit(int c, const char *arg)
{
	switch (c) {
	case OPT_MEM_COMPRESS:
		xzc_hw_set_memlimit_compress(
			parse_memlimit("memlimit-compress", arg));
		break;
	case OPT_MEM_DECOMPRESS:
		xzc_hw_set_memlimit_decompress(
			parse_memlimit("memlimit-decompress", arg));
		break;
	case OPT_MEM_MT_DECOMPRESS:
		xzc_hw_set_memlimit_mt_decompress(
			parse_memlimit("memlimit-mt-decompress", arg));
		break;
	default: {
		uint64_t v = parse_memlimit("memlimit", arg);
		xzc_hw_set_memlimit_compress(v);
		xzc_hw_set_memlimit_decompress(v);
		xzc_hw_set_memlimit_mt_decompress(v);
		break;
	}
	}
}

/* Returns false for an unknown option (getopt printed why). */
static bool handle_option(int c, const char *arg)
{
	if (c >= '0' && c <= '9') {
		xzc_options_set_preset((uint32_t)(c - '0'));
		return true;
	}
	if (c >= OPT_FILTERS1 && c <= OPT_FILTERS9) {
		xzc_options_set_filter_string((unsigned)(c - OPT_FILTERS1 + 1),
					      arg);
		return true;
	}
	if (c >= OPT_X86 && c <= OPT_RISCV) {
		xzc_options_add_filter(bcj_ids[c - OPT_X86], arg);
		return true;
	}
	switch (c) {
	case 'z': xzc_opt.mode = MODE_COMPRESS; break;
	case 'd': xzc_opt.mode = MODE_DECOMPRESS; break;
	case 't': xzc_opt.mode = MODE_TEST; break;
	case 'l': xzc_opt.mode = MODE_LIST; break;
	case 'k': xzc_opt.keep = true; break;
	case 'f': xzc_opt.force = true; break;
	case 'c': xzc_opt.to_stdout = true; break;
	case 'e': xzc_options_set_extreme(); break;
	case 'q': xzc_msg_quiet_more(); break;
	case 'v': xzc_msg_verbose_more(); break;
	case 'Q': xzc_opt.no_warn = true; break;
	case 'S':
		xzc_suffix_check(arg);
		xzc_opt.suffix = arg;
		break;
	case 'F': parse_format(arg); break;
	case 'C': parse_check(arg); break;
	case 'T': parse_threads(arg); break;
	case 'M': case OPT_MEM_COMPRESS: case OPT_MEM_DECOMPRESS:
	case OPT_MEM_MT_DECOMPRESS:
		handle_memlimit(c, arg);
		break;
	case 'h': case 'H': case 'V': case OPT_FILTERS_HELP:
	case OPT_INFO_MEMORY:
		handle_info_option(c);
		break;
	case OPT_NO_SYNC: xzc_opt.no_sync = true; break;
	case OPT_SINGLE_STREAM: xzc_opt.single_stream = true; break;
	case OPT_NO_SPARSE: xzc_opt.no_sparse = true; break;
	case OPT_IGNORE_CHECK: xzc_opt.ignore_check = true; break;
	case OPT_NO_ADJUST: xzc_opt.no_adjust = true; break;
	case OPT_ROBOT: xzc_opt.robot = true; break;
	case OPT_FILES: case OPT_FILES0:
		files_name = arg != NULL ? arg : "-";
		files_delim = c == OPT_FILES ? '\n' : '\0';
		break;
	case OPT_BLOCK_SIZE:
		xzc_opt.block_size = xzc_str_to_uint64("block-size", arg, 0,
				LZMA_VLI_MAX);
		break;
	case OPT_BLOCK_LIST: parse_block_list(arg); break;
	case OPT_FLUSH_TIMEOUT:
		xzc_opt.flush_timeout = xzc_str_to_uint64("flush-timeout",
				arg, 0, UINT64_MAX);
		break;
	case OPT_FILTERS: xzc_options_set_filter_string(0, arg); break;
	case OPT_LZMA1: xzc_options_add_filter(LZMA_FILTER_LZMA1, arg); break;
	case OPT_LZMA2: xzc_options_add_filter(LZMA_FILTER_LZMA2, arg); break;
	case OPT_DELTA: xzc_options_add_filter(LZMA_FILTER_DELTA, arg); break;
	default:
		return false;
	}
	return true;
}

/* Runs getopt over one argument vector; returns optind. */
static int parse_vector(int argc, char **argv)
{
	int c;
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL))
			!= -1) {
		if (!handle_option(c, optarg))
			xzc_try_help_exit();
	}
	return optind;
}

/* XZ_DEFAULTS and XZ_OPT hold options separated by blanks. Like xz,
 * anything that is not an option is ignored there. Options keep pointers
 * into the tokens (--suffix, --files), so the copy they are cut from lives
 * until exit; *keep holds it so that it stays reachable (not a leak). */
static void parse_environment(const char *varname, char **keep)
{
	const char *env = getenv(varname);
	if (env == NULL)
		return;
	char *copy = strdup(env);
	if (copy == NULL)
		xzc_fatal("%s", strerror(ENOMEM));
	*keep = copy;
	size_t max = 2 + strlen(copy) / 2 + 1;
	char **argv = calloc(max, sizeof(char *));
	if (argv == NULL)
		xzc_fatal("%s", strerror(ENOMEM));
	int argc = 0;
	argv[argc++] = (char *)xzc_progname;
	for (char *tok = strtok(copy, " \t\n"); tok != NULL;
			tok = strtok(NULL, " \t\n"))
		argv[argc++] = tok;
	argv[argc] = NULL;
	parse_vector(argc, argv);
	free(argv);     /* getopt is done with the vector, not the strings */
}

/* unxz, xzcat, lzma, unlzma, lzcat, xzdec, lzmadec: the name sets the
 * defaults, the options can still change them (as in xz). */
static void mode_from_name(const char *argv0)
{
	const char *name = strrchr(argv0, '/');
	name = name != NULL ? name + 1 : argv0;
	if (strstr(name, "xzcat") != NULL) {
		xzc_opt.mode = MODE_DECOMPRESS;
		xzc_opt.to_stdout = true;
	} else if (strstr(name, "unxz") != NULL) {
		xzc_opt.mode = MODE_DECOMPRESS;
	} else if (strstr(name, "xzdec") != NULL) {
		xzc_opt.mode = MODE_DECOMPRESS;
		xzc_opt.to_stdout = true;
		xzc_opt.format = FORMAT_XZ;
	} else if (strstr(name, "lzmadec") != NULL) {
		xzc_opt.mode = MODE_DECOMPRESS;
		xzc_opt.to_stdout = true;
		xzc_opt.format = FORMAT_LZMA;
	} else if (strstr(name, "lzcat") != NULL) {
		xzc_opt.format = FORMAT_LZMA;
		xzc_opt.mode = MODE_DECOMPRESS;
		xzc_opt.to_stdout = true;
	} else if (strstr(name, "unlzma") != NULL) {
		xzc_opt.format = FORMAT_LZMA;
		xzc_opt.mode = MODE_DECOMPRESS;
	} else if (strstr(name, "lzma") != NULL) {
		xzc_opt.format = FORMAT_LZMA;
	}
}

static void finish_args(void)
{
	/* Nothing is written next to the input in these cases, so the
	 * input is never removed. */
	if (xzc_opt.to_stdout || xzc_opt.mode == MODE_TEST) {
		xzc_opt.keep = true;
		xzc_opt.to_stdout = true;
	}
	if (xzc_opt.mode == MODE_COMPRESS && xzc_opt.format == FORMAT_AUTO)
		xzc_opt.format = FORMAT_XZ;
	if (xzc_opt.mode == MODE_LIST) {
		if (xzc_opt.format != FORMAT_AUTO && xzc_opt.format != FORMAT_XZ)
			xzc_fatal("--list works only on .xz files "
				  "(--format=xz or --format=auto)");
	}
	if (xzc_opt.mode == MODE_COMPRESS || xzc_opt.format == FORMAT_RAW)
		xzc_options_finish();
	/* xz 5.8's message, for the lowest chain number that is missing. */
	uint32_t missing = 10;
	for (size_t i = 0; i < xzc_opt.block_list_count; ++i) {
		uint32_t n = xzc_opt.block_list_filters[i];
		if (n != 0 && !xzc_opt.extra_chain_set[n] && n < missing)
			missing = n;
	}
	if (missing < 10)
		xzc_fatal("filter chain %u used by --block-list but not "
			  "specified with --filters%u=", (unsigned)missing,
			  (unsigned)missing);
}

int xzc_args_parse(int argc, char **argv)
{
	mode_from_name(argv[0]);
	static char *env_copies[2];     /* see parse_environment() */
	parse_environment("XZ_DEFAULTS", &env_copies[0]);
	parse_environment("XZ_OPT", &env_copies[1]);
	int first = parse_vector(argc, argv);
	finish_args();

	arg_names = argv + first;
	arg_count = argc - first;
	arg_pos = 0;
	if (arg_count == 0 && files_name == NULL)
		stdin_default = true;
	if (xzc_opt.mode == MODE_LIST && stdin_default)
		xzc_fatal("--list does not support reading from standard "
			  "input");
	if (files_name != NULL) {
		if (strcmp(files_name, "-") == 0) {
			files_fp = stdin;
			files_name = "(stdin)";
		} else {
			files_fp = fopen(files_name, "r");
			if (files_fp == NULL)
				xzc_fatal("%s: %s", xzc_printable(files_name),
					  strerror(errno));
		}
	}
	return first;
}

unsigned xzc_args_file_count(void)
{
	return arg_count > 0 ? (unsigned)arg_count : 1;
}

bool xzc_args_have_files(void)
{
	return !stdin_default;
}

bool xzc_args_more_files(void)
{
	/* A --files list is not read ahead: while it is open, more may come. */
	return stdin_default || arg_pos < arg_count || files_fp != NULL;
}

bool xzc_args_reads_stdin(void)
{
	if (stdin_default)
		return true;
	for (int i = 0; i < arg_count; ++i)
		if (strcmp(arg_names[i], "-") == 0)
			return true;
	return false;
}

static const char *next_listed_name(void)
{
	static char *line;
	static size_t cap;
	while (files_fp != NULL) {
		ssize_t n = getdelim(&line, &cap, files_delim, files_fp);
		if (n < 0) {
			if (ferror(files_fp))
				xzc_error("%s: Error reading filenames: %s",
					  xzc_printable(files_name),
					  strerror(errno));
			if (files_fp != stdin)
				fclose(files_fp);
			files_fp = NULL;
			return NULL;
		}
		if (n > 0 && line[n - 1] == files_delim)
			line[--n] = '\0';
		if (files_delim == '\n' && memchr(line, '\0', (size_t)n)) {
			xzc_error("%s: Null character found when reading "
				  "filenames; maybe you meant to use "
				  "'--files0' instead of '--files'?",
				  xzc_printable(files_name));
			continue;
		}
		if (n == 0)
			continue;   /* empty lines are skipped */
		return line;
	}
	return NULL;
}

const char *xzc_args_next_file(void)
{
	if (stdin_default) {
		stdin_default = false;
		arg_count = -1;
		return "-";
	}
	if (arg_pos < arg_count)
		return arg_names[arg_pos++];
	return next_listed_name();
}
