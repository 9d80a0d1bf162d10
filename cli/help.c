/*
 * help.c -- --help, --long-help, --version and --filters-help.
 *
 * The layout follows xz's so that users find things where they expect;
 * the version line keeps xz's "xz (XZ Utils) X.Y.Z" prefix because scripts
 * parse it, and says that this is clearxz after it.
 */
#include "cli.h"

#include <stdio.h>

#define XZC_CLEARXZ_VERSION "0.1.0"

static void usage_head(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	       "Compress or decompress FILEs in the .xz format.\n\n",
	       xzc_progname);
}

static void usage_tail(void)
{
	printf("\nWith no FILE, or when FILE is -, read standard input.\n\n"
	       "clearxz is a compatible reimplementation of XZ Utils' xz.\n"
	       "Report bugs to the clearxz project.\n");
}

static void print_common(bool long_help)
{
	if (long_help)
		printf(" Operation mode:\n");
	printf(
"  -z, --compress      force compression\n"
"  -d, --decompress    force decompression\n"
"  -t, --test          test compressed file integrity\n"
"  -l, --list          list information about .xz files\n");
	if (long_help)
		printf("\n Operation modifiers:\n");
	printf(
"  -k, --keep          keep (don't delete) input files\n"
"  -f, --force         force overwrite of output file and (de)compress links\n"
"  -c, --stdout        write to standard output and don't delete input files\n");
	if (!long_help)
		return;
	printf(
"      --no-sync       don't synchronize the output file to the storage device\n"
"                      before removing the input file\n"
"      --single-stream decompress only the first stream, and silently\n"
"                      ignore possible remaining input data\n"
"      --no-sparse     do not create sparse files when decompressing\n"
"  -S, --suffix=.SUF   use the suffix '.SUF' on compressed files\n"
"      --files[=FILE]  read filenames to process from FILE; if FILE is\n"
"                      omitted, filenames are read from the standard input;\n"
"                      filenames must be terminated with the newline character\n"
"      --files0[=FILE] like --files but use the null character as terminator\n"
"\n Basic file format and compression options:\n"
"  -F, --format=FMT    file format to encode or decode; possible values are\n"
"                      'auto' (default), 'xz', 'lzma', 'lzip', and 'raw'\n"
"  -C, --check=CHECK   integrity check type: 'none' (use with caution),\n"
"                      'crc32', 'crc64' (default), or 'sha256'\n"
"      --ignore-check  don't verify the integrity check when decompressing\n");
}

static void print_presets(bool long_help)
{
	printf(
"  -0 ... -9           compression preset; default is 6; take compressor *and*\n"
"                      decompressor memory usage into account before using 7-9!\n"
"  -e, --extreme       try to improve compression ratio by using more CPU time;\n"
"                      does not affect decompressor memory requirements\n"
"  -T, --threads=NUM   use at most NUM threads; the default is 0 which uses\n"
"                      as many threads as there are processor cores\n");
	if (!long_help)
		return;
	printf(
"      --block-size=SIZE\n"
"                      start a new .xz block after every SIZE bytes of input;\n"
"                      use this to set the block size for threaded compression\n"
"      --block-list=BLOCKS\n"
"                      start a new .xz block after the given comma-separated\n"
"                      intervals of uncompressed data; optionally, specify a\n"
"                      filter chain number (0-9) followed by a ':' before the\n"
"                      uncompressed data size\n"
"      --flush-timeout=TIMEOUT\n"
"                      when compressing, if more than TIMEOUT milliseconds has\n"
"                      passed since the previous flush and reading more input\n"
"                      would block, all pending data is flushed out\n"
"      --memlimit-compress=LIMIT\n"
"      --memlimit-decompress=LIMIT\n"
"      --memlimit-mt-decompress=LIMIT\n"
"  -M, --memlimit=LIMIT\n"
"                      set memory usage limit for compression, decompression,\n"
"                      threaded decompression, or all of these; LIMIT is in\n"
"                      bytes, %% of RAM, or 0 for defaults\n"
"      --no-adjust     if compression settings exceed the memory usage limit,\n"
"                      give an error instead of adjusting the settings downwards\n");
}

static void print_filters(void)
{
	printf(
"\n Custom filter chain for compression (alternative for using presets):\n"
"\n  --filters=FILTERS   set the filter chain using the liblzma filter string\n"
"                      syntax; use --filters-help for more information\n"
"  --filters1=FILTERS ... --filters9=FILTERS\n"
"                      set additional filter chains using the liblzma filter\n"
"                      string syntax to use with --block-list\n"
"  --filters-help      display more information about the liblzma filter string\n"
"                      syntax and exit\n"
"\n  --lzma1[=OPTS]      LZMA1 or LZMA2; OPTS is a comma-separated list of zero or\n"
"  --lzma2[=OPTS]      more of the following options (valid values; default):\n"
"                        preset=PRE reset options to a preset (0-9[e])\n"
"                        dict=NUM   dictionary size (4KiB - 1536MiB; 8MiB)\n"
"                        lc=NUM     number of literal context bits (0-4; 3)\n"
"                        lp=NUM     number of literal position bits (0-4; 0)\n"
"                        pb=NUM     number of position bits (0-4; 2)\n"
"                        mode=MODE  compression mode (fast, normal; normal)\n"
"                        nice=NUM   nice length of a match (2-273; 64)\n"
"                        mf=NAME    match finder (hc3, hc4, bt2, bt3, bt4; bt4)\n"
"                        depth=NUM  maximum search depth; 0=automatic (default)\n"
"\n  --x86[=OPTS]        x86 BCJ filter (32-bit and 64-bit)\n"
"  --arm[=OPTS]        ARM BCJ filter\n"
"  --armthumb[=OPTS]   ARM-Thumb BCJ filter\n"
"  --arm64[=OPTS]      ARM64 BCJ filter\n"
"  --powerpc[=OPTS]    PowerPC BCJ filter (big endian only)\n"
"  --ia64[=OPTS]       IA-64 (Itanium) BCJ filter\n"
"  --sparc[=OPTS]      SPARC BCJ filter\n"
"  --riscv[=OPTS]      RISC-V BCJ filter\n"
"                      Valid OPTS for all BCJ filters:\n"
"                        start=NUM  start offset for conversions (default=0)\n"
"\n  --delta[=OPTS]      Delta filter; valid OPTS (valid values; default):\n"
"                        dist=NUM   distance between bytes being subtracted\n"
"                                   from each other (1-256; 1)\n");
}

void xzc_help_short(void)
{
	usage_head();
	printf("Mandatory arguments to long options are mandatory for short "
	       "options too.\n\n");
	print_common(false);
	print_presets(false);
	printf(
"  -q, --quiet         suppress warnings; specify twice to suppress errors too\n"
"  -v, --verbose       be verbose; specify twice for even more verbose\n"
"  -h, --help          display this short help and exit\n"
"  -H, --long-help     display the long help (lists also the advanced options)\n"
"  -V, --version       display the version number and exit\n");
	usage_tail();
}

void xzc_help_long(void)
{
	usage_head();
	printf("Mandatory arguments to long options are mandatory for short "
	       "options too.\n\n");
	print_common(true);
	print_presets(true);
	print_filters();
	printf(
"\n Other options:\n\n"
"  -q, --quiet         suppress warnings; specify twice to suppress errors too\n"
"  -v, --verbose       be verbose; specify twice for even more verbose\n"
"  -Q, --no-warn       make warnings not affect the exit status\n"
"      --robot         use machine-parsable messages (useful for scripts)\n"
"\n"
"      --info-memory   display the total amount of RAM and the currently active\n"
"                      memory usage limits, and exit\n"
"  -h, --help          display the short help (lists only the basic options)\n"
"  -H, --long-help     display this long help and exit\n"
"  -V, --version       display the version number and exit\n");
	usage_tail();
}

void xzc_help_version(void)
{
	if (xzc_opt.robot) {
		printf("XZ_VERSION=%u\nLIBLZMA_VERSION=%u\n",
		       (unsigned)XZC_VERSION_NUMBER,
		       (unsigned)lzma_version_number());
		return;
	}
	printf("xz (XZ Utils) %s (clearxz %s)\nliblzma %s\n",
	       XZC_PROGRAM_VERSION, XZC_CLEARXZ_VERSION,
	       lzma_version_string());
}

void xzc_help_filters(void)
{
	printf(
"Filter chains are set using the --filters=FILTERS or\n"
"--filters1=FILTERS ... --filters9=FILTERS options. Each filter in the chain\n"
"can be separated by spaces or '--'. Alternatively a preset <0-9>[e] can be\n"
"specified instead of a filter chain.\n"
"\n"
"The supported filters and their options are:\n"
"  lzma1/lzma2:\n"
"    preset=<0-9>[e]   reset options to a preset\n"
"    dict=<4KiB-1536MiB>  dictionary size\n"
"    lc=<0-4>          number of literal context bits\n"
"    lp=<0-4>          number of literal position bits\n"
"    pb=<0-4>          number of position bits\n"
"    mode=fast|normal  compression mode\n"
"    nice=<2-273>      nice length of a match\n"
"    mf=hc3|hc4|bt2|bt3|bt4  match finder\n"
"    depth=<0-4294967295>  maximum search depth (0 = automatic)\n"
"  x86, arm, armthumb, arm64, powerpc, ia64, sparc, riscv:\n"
"    start=<0-4294967295>  start offset for conversions\n"
"  delta:\n"
"    dist=<1-256>      distance between bytes being subtracted\n");
}
