/*
 * cli.h -- what the files of the clearxz command-line tool share.
 *
 * The tool is split by concern, calls go downwards in this list:
 *   main.c      the file loop and the exit status
 *   args.c      the command line, XZ_DEFAULTS / XZ_OPT, program-name modes
 *   options.c   filter option strings (--lzma2=..., --delta=...), sizes
 *   help.c      --help, --long-help, --version, --filters-help, --info-memory
 *   coder.c     setting up liblzma and running one file through it
 *   list.c      --list
 *   suffix.c    the output file name
 *   files.c     opening, creating, writing, syncing, removing files
 *   hardware.c  memory limits, thread count, physical memory
 *   messages.c  diagnostics, verbosity, the progress line
 *   signals.c   SIGINT & co: remove the partial output, re-raise
 *
 * Only the public liblzma API (lzma.h) is used, never the library's
 * internal headers: the tool must also work with any liblzma.
 */
#ifndef CLEARXZ_CLI_H
#define CLEARXZ_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "lzma.h"

#define XZC_PROGRAM_VERSION "5.8.1"
#define XZC_PACKAGE "clearxz"
/* XZ_VERSION for --robot --version: 5.8.1 stable, in liblzma's encoding. */
#define XZC_VERSION_NUMBER 50080012u

/* xz's exit statuses: the shell-visible contract. */
enum { E_SUCCESS = 0, E_ERROR = 1, E_WARNING = 2 };

enum xzc_mode { MODE_COMPRESS, MODE_DECOMPRESS, MODE_TEST, MODE_LIST };

enum xzc_format {
	FORMAT_AUTO, FORMAT_XZ, FORMAT_LZMA, FORMAT_LZIP, FORMAT_RAW
};

/* Each -v raises, each -q lowers the verbosity by one step. */
enum xzc_verbosity { V_SILENT, V_ERROR, V_WARNING, V_VERBOSE, V_DEBUG };

/* Everything the command line decides. One instance: xzc_opt. */
struct xzc_options {
	enum xzc_mode mode;
	enum xzc_format format;
	bool to_stdout;         /* -c, and implied by xzcat & co */
	bool force;             /* -f */
	bool keep;              /* -k */
	bool single_stream;     /* --single-stream */
	bool no_sparse;         /* --no-sparse */
	bool no_sync;           /* --no-sync */
	bool ignore_check;      /* --ignore-check */
	bool robot;             /* --robot */
	bool no_warn;           /* -Q: warnings do not change the exit status */
	bool no_adjust;         /* --no-adjust */
	bool stdout_by_name;    /* xzcat, lzcat, xzdec: "-c" came from argv[0] */

	const char *suffix;     /* -S, or NULL */

	lzma_check check;
	bool check_set;

	uint32_t threads;       /* 0 = one per hardware thread */
	bool threads_mt_forced; /* -T+N: threaded mode even with one thread */

	uint64_t block_size;    /* --block-size, 0 = default */
	uint64_t *block_list;   /* --block-list sizes, 0 = "rest of file" */
	uint32_t *block_list_filters; /* filter chain index (0..9) per entry */
	size_t block_list_count;
	uint64_t flush_timeout; /* milliseconds, 0 = off */

	/* Filter chain: preset unless custom_chain. */
	uint32_t preset;        /* 0..9 | LZMA_PRESET_EXTREME */
	bool custom_chain;
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	size_t filter_count;
	/* --filters1..9: extra chains for --block-list (index 1..9). */
	lzma_filter extra_chains[10][LZMA_FILTERS_MAX + 1];
	bool extra_chain_set[10];
};

extern struct xzc_options xzc_opt;

/* ---- args.c ---- */
/* Parses XZ_DEFAULTS, XZ_OPT and the command line. Returns the index of the
 * first file name in argv; the names after it are files (no options). */
int xzc_args_parse(int argc, char **argv);
/* The file names: argv after the options, or --files / --files0 lists.
 * Returns NULL when all were handed out. */
const char *xzc_args_next_file(void);
/* How many names the command line holds (1 when reading stdin). */
unsigned xzc_args_file_count(void);
/* True if at least one file name was given (or a --files list). */
bool xzc_args_have_files(void);
/* True if standard input will be read as data (no names, or "-"). */
bool xzc_args_reads_stdin(void);
/* True if xzc_args_next_file() may return another name (sandbox.c: only
 * the last file runs in the strict sandbox). */
bool xzc_args_more_files(void);

/* ---- options.c ---- */
/* Parses a size with KiB/MiB/GiB (and KB, Ki, K...) suffixes or "max".
 * Fatal error with xz's messages when invalid or out of [min, max]. */
uint64_t xzc_str_to_uint64(const char *name, const char *value,
			   uint64_t min, uint64_t max);
/* Adds one filter from a long option (--lzma2=..., --x86=..., ...). */
void xzc_options_add_filter(lzma_vli id, const char *optstr);
/* --filters=STRING and --filters1..9=STRING (index 0 = --filters). */
void xzc_options_set_filter_string(unsigned index, const char *str);
/* Sets a preset (-0..-9, -e): forgets any custom chain. */
void xzc_options_set_preset(uint32_t level);
void xzc_options_set_extreme(void);
/* Fills xzc_opt.filters with the preset chain when no custom chain. */
void xzc_options_finish(void);
/* The chain in --lzma2=... form for -vv and --list. */
void xzc_filters_to_str(char *buf, size_t size, const lzma_filter *f);

/* ---- suffix.c ---- */
/* Output name for src_name, malloc'ed; NULL after a message if none. */
char *xzc_suffix_dest_name(const char *src_name);
/* Checks -S at parse time; fatal if invalid. */
void xzc_suffix_check(const char *suf);

/* ---- files.c ---- */
struct xzc_file {
	const char *src_name;   /* as given, "(stdin)" for stdin */
	char *dest_name;        /* malloc'ed, or "(stdout)" (static) */
	int src_fd;
	int dest_fd;
	bool src_eof;
	bool dest_is_stdout;
	bool dest_created;      /* we created it: remove it on failure */
	bool try_sparse;
	uint64_t pending_hole;  /* zero bytes not yet written (sparse) */
	struct stat src_st;
	struct stat dest_st;
};

extern const char xzc_stdin_name[];

/* Opens the input (or stdin for "-"), applying the skip rules.
 * Returns false after a message (error or warning) if skipped. */
bool xzc_file_open_src(struct xzc_file *f, const char *name);
/* Creates the output (O_EXCL, 0600) or selects stdout. */
bool xzc_file_open_dest(struct xzc_file *f);
/* Reads up to size bytes; SIZE_MAX on error (message given). */
size_t xzc_file_read(struct xzc_file *f, uint8_t *buf, size_t size);
/* One read(): whatever is available now (--flush-timeout). */
size_t xzc_file_read_some(struct xzc_file *f, uint8_t *buf, size_t size);
/* False if no input arrived within timeout_ms. */
bool xzc_file_wait_input(struct xzc_file *f, uint64_t timeout_ms);
/* Writes all; true on success (message given on error). */
bool xzc_file_write(struct xzc_file *f, const uint8_t *buf, size_t size);
/* Finishes: on success copies metadata, syncs, removes the input unless
 * kept; on failure removes the output. */
void xzc_file_close(struct xzc_file *f, bool success);
/* Rewinds the input by n bytes after --single-stream (best effort). */
void xzc_file_unread(struct xzc_file *f, size_t n);
/* Makes sure fds 0-2 are open before any file is opened. */
void xzc_file_init(void);

/* ---- coder.c ---- */
/* Sets up the encoder options once (after parsing). */
void xzc_coder_prepare(void);
/* Compresses, decompresses or tests one file. */
void xzc_coder_run(const char *name);
/* The message for a lzma_ret, as xz words it. */
const char *xzc_strerror_lzma(lzma_ret ret);

/* ---- list.c ---- */
void xzc_list_file(const char *name);
void xzc_list_totals(void);

/* ---- hardware.c ---- */
void xzc_hw_init(void);
void xzc_hw_set_memlimit_compress(uint64_t v);
void xzc_hw_set_memlimit_decompress(uint64_t v);
void xzc_hw_set_memlimit_mt_decompress(uint64_t v);
/* A value of 0 means "no limit" and is returned as UINT64_MAX. */
uint64_t xzc_hw_memlimit_compress(void);
uint64_t xzc_hw_memlimit_decompress(void);
uint64_t xzc_hw_memlimit_mt_decompress(void);
/* Threaded compression: --memlimit-compress or the soft default. */
uint64_t xzc_hw_memlimit_mt_compress(void);
bool xzc_hw_memlimit_compress_set(void);
uint64_t xzc_hw_physmem(void);
uint32_t xzc_hw_threads(void);
void xzc_hw_print_info_memory(void);

/* ---- help.c ---- */
void xzc_help_short(void);
void xzc_help_long(void);
void xzc_help_version(void);
void xzc_help_filters(void);

/* ---- messages.c ---- */
extern const char *xzc_progname;
extern enum xzc_verbosity xzc_verbosity;
void xzc_msg_init(const char *argv0);
void xzc_msg_verbose_more(void);
void xzc_msg_quiet_more(void);
/* xz's exit status so far. */
int xzc_exit_status(void);
void xzc_set_exit_status(int status);
void xzc_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void xzc_warning(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void xzc_info(enum xzc_verbosity v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
_Noreturn void xzc_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
_Noreturn void xzc_try_help_exit(void);
/* "X MiB of memory is required. The limit is Y." */
void xzc_mem_needed(enum xzc_verbosity v, uint64_t needed, uint64_t limit);
/* Flushes stdout, reports a write error on it, exits. */
_Noreturn void xzc_exit(int status);
/* Name with non-printable characters replaced by '?' (static buffer). */
const char *xzc_printable(const char *name);

/* Sizes as xz prints them: "1,234 KiB" style and plain numbers. */
const char *xzc_fmt_uint(uint64_t v, int slot);
const char *xzc_fmt_size(uint64_t v, int slot);
const char *xzc_fmt_ratio(uint64_t comp, uint64_t uncomp, int slot);
uint64_t xzc_round_up_mib(uint64_t v);

/* Progress: begin, update from the coder loop, end. */
void xzc_progress_start(const char *name, uint64_t in_size,
			unsigned file_no, unsigned file_count);
void xzc_progress_update(const lzma_stream *strm, lzma_ret ret);
void xzc_progress_end(const lzma_stream *strm, bool success);
void xzc_set_file_counts(unsigned total);

/* ---- sandbox.c (Landlock; a no-op elsewhere) ---- */
/* Before the first file is opened: limits the process to the filesystem
 * rights the mode can need. Exits with status 1 after a message if the
 * kernel has Landlock but entering fails. */
void xzc_sandbox_init(void);
/* For the last file, right after its input is opened (before any of it is
 * decoded): with output to stdout (or -t) no filesystem access at all is
 * left; with an output file, only creating, writing and removing files in
 * the input's directory. False after a message if entering fails. */
bool xzc_sandbox_enter_file(const struct xzc_file *f);
/* Once that output file is open: only removing files there (the input at
 * the end, the output on failure) and syncing the directory are left.
 * False after a message if entering fails (the output is then removed and
 * the input kept, as for any failure). */
bool xzc_sandbox_enter_dest(const struct xzc_file *f);

/* ---- signals.c ---- */
extern volatile sig_atomic_t xzc_user_abort;
void xzc_signals_init(void);
void xzc_signals_block(void);
void xzc_signals_unblock(void);
/* Called at exit after an abort: dies by the signal that was caught. */
void xzc_signals_exit(void);
/* Set by SIGUSR1 / SIGALRM: show the progress line now. */
extern volatile sig_atomic_t xzc_progress_due;

#endif
