/*
 * sandbox.c -- once its files are open, the tool gives up the filesystem
 * rights it no longer needs (Linux Landlock, as xz 5.6 and later do).
 *
 * Why: the decoder parses hostile input. If a bug in it were ever
 * exploitable, the code running on that input should not be able to read
 * ~/.ssh, write ~/.bashrc, or start a program. Two steps:
 *
 *  1. xzc_sandbox_init(), before the first input is opened, limits the
 *     whole process to what the mode can need at all:
 *       -c, -t, -l (nothing is written but stdout): read files and list
 *         directories, nothing else;
 *       compress or decompress to files: also create and write regular
 *         files and remove files (the input; a partial output).
 *     Executing programs, making directories, devices, FIFOs, sockets or
 *     symlinks, renaming and linking across directories, truncating, device
 *     ioctls and TCP are denied in every mode.
 *
 *  2. For the last file on the command line (nothing else will be opened
 *     after it), in two steps:
 *     a. xzc_sandbox_enter_file(), right after its input is opened and
 *        before a byte of it is decoded: writing to stdout (-c, -t, stdin)
 *        no filesystem access at all is left. Writing to a file, only the
 *        input's directory keeps rights: create and write the output there
 *        (suffix.c changes only the last path component), remove files
 *        (the input; with -f an old output), read it (fsync, below).
 *     b. xzc_sandbox_enter_dest(), once the output file is open: only
 *        removing files there (the input at the end; a failed or
 *        interrupted output) and, when the input is removed after a sync,
 *        opening the directory to fsync it.
 *     Owner, mode and timestamps are set through the open output (fchown,
 *     fchmod, futimens), which Landlock does not govern, so the file-safety
 *     rules of files.c keep working. Landlock grants rights on directory
 *     hierarchies: "remove files in the input's directory" also covers its
 *     subdirectories. That is the finest grain it offers.
 *
 * Landlock restricts the calling thread and the threads it starts later,
 * not threads already running. Step 1 and step 2a run while the process has
 * one thread (step 2a checks it): coder.c's header probe, between 2a and 2b,
 * may start a threaded decoder's first worker, which then keeps step 2a's
 * rights; the rest of the work, and every encoder thread, runs under 2b.
 *
 * A kernel without Landlock (ENOSYS: not built in; EOPNOTSUPP: disabled at
 * boot) runs unsandboxed, with a note at -vv. Any other failure is an
 * error: a sandbox that silently does not engage is how a sabotaged check
 * hides (see docs/SECURITY.md). tests/test_sandbox.sh proves the sandbox
 * is active with the test-only variable CLEARXZ_SANDBOX_SELFTEST=PATH: after
 * each sandbox decision the tool tries to open PATH for writing (no O_CREAT,
 * no O_TRUNC: nothing is changed) and prints on stderr
 *     sandbox-selftest: state=STATE write=denied|allowed
 * STATE is "strict" (step 2 entered), "early" (only step 1) or "none".
 *
 * The Landlock interface is the kernel's UAPI, include/uapi/linux/landlock.h
 * and Documentation/userspace-api/landlock.rst; it is restated below (the
 * installed <linux/landlock.h> may predate the ABI the kernel offers).
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#if defined(__linux__) && defined(SYS_landlock_create_ruleset) \
	&& defined(SYS_landlock_add_rule) && defined(SYS_landlock_restrict_self)
#define HAVE_LANDLOCK 1
#else
#define HAVE_LANDLOCK 0
#endif

/* How far the sandbox got, for the selftest. */
enum sandbox_state { SB_NONE, SB_EARLY, SB_OUTPUT_DIR, SB_STRICT };
static enum sandbox_state state = SB_NONE;

/* CLEARXZ_SANDBOX_SELFTEST (tests only): try to open that file for writing
 * and say whether it worked. O_NONBLOCK: a FIFO must not block the tool. */
static void selftest(void)
{
	static const char *const names[] = {
		"none", "early", "output-dir", "strict"
	};
	const char *path = getenv("CLEARXZ_SANDBOX_SELFTEST");
	if (path == NULL || path[0] == '\0')
		return;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		fprintf(stderr, "sandbox-selftest: state=%s write=denied (%s)\n",
			names[state], strerror(errno));
		return;
	}
	close(fd);
	fprintf(stderr, "sandbox-selftest: state=%s write=allowed\n",
		names[state]);
}

#if HAVE_LANDLOCK

/* struct landlock_ruleset_attr. Older kernels know a prefix of it; a
 * larger size is accepted as long as the unknown fields are zero. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;    /* ABI 4 */
	uint64_t scoped;                /* ABI 6 */
};

/* struct landlock_path_beneath_attr: the kernel declares it packed. */
struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#define LL_CREATE_RULESET_VERSION (1u << 0)
#define LL_RULE_PATH_BENEATH 1

/* Filesystem rights (LANDLOCK_ACCESS_FS_*), by the ABI that added them. */
#define FS_EXECUTE      (UINT64_C(1) << 0)
#define FS_WRITE_FILE   (UINT64_C(1) << 1)
#define FS_READ_FILE    (UINT64_C(1) << 2)
#define FS_READ_DIR     (UINT64_C(1) << 3)
#define FS_REMOVE_DIR   (UINT64_C(1) << 4)
#define FS_REMOVE_FILE  (UINT64_C(1) << 5)
#define FS_MAKE_CHAR    (UINT64_C(1) << 6)
#define FS_MAKE_DIR     (UINT64_C(1) << 7)
#define FS_MAKE_REG     (UINT64_C(1) << 8)
#define FS_MAKE_SOCK    (UINT64_C(1) << 9)
#define FS_MAKE_FIFO    (UINT64_C(1) << 10)
#define FS_MAKE_BLOCK   (UINT64_C(1) << 11)
#define FS_MAKE_SYM     (UINT64_C(1) << 12)   /* last of ABI 1 */
#define FS_REFER        (UINT64_C(1) << 13)   /* ABI 2 */
#define FS_TRUNCATE     (UINT64_C(1) << 14)   /* ABI 3 */
#define FS_IOCTL_DEV    (UINT64_C(1) << 15)   /* ABI 5 */

/* TCP bind and connect (ABI 4); abstract UNIX sockets and signals to
 * processes outside the sandbox (ABI 6). The tool needs none of them. */
#define NET_ALL   (UINT64_C(3))
#define SCOPE_ALL (UINT64_C(3))

/* 0: not asked yet; -1: no Landlock in this kernel; else its ABI. */
static int abi;

static uint64_t fs_rights_known(void)
{
	int top = abi >= 5 ? 15 : abi >= 3 ? 14 : abi >= 2 ? 13 : 12;
	return (UINT64_C(1) << (top + 1)) - 1;
}

/* Asks the kernel for its Landlock ABI version once. False after a
 * message if the answer is neither a version nor "not supported". */
static bool probe(void)
{
	if (abi != 0)
		return true;
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0,
			 LL_CREATE_RULESET_VERSION);
	if (v >= 1) {
		abi = v > 1000 ? 1000 : (int)v;
		return true;
	}
	if (v < 0 && (errno == ENOSYS || errno == EOPNOTSUPP)) {
		abi = -1;
		xzc_info(V_DEBUG, "Landlock is not supported by this kernel, "
			 "running without a sandbox");
		return true;
	}
	xzc_error("Failed to enable the sandbox: Landlock version query: %s",
		  v < 0 ? strerror(errno) : "unexpected answer");
	return false;
}

/* One rule: the rights granted on a directory hierarchy. */
struct sb_rule {
	const char *file;       /* the rule is on this file's directory */
	uint64_t access;
};

/* In a build with AddressSanitizer (tests only: make check-sanitize) the
 * sandbox leaves reading and executing files: LeakSanitizer's check at exit
 * lists the threads in /proc/PID/task, and a report runs llvm-symbolizer on
 * the binary. The sanitizers keep working inside the sandbox instead of
 * being switched off; writing stays denied, as the selftest checks. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define SANITIZER_BUILD 1
#endif
#endif
#ifndef SANITIZER_BUILD
#define SANITIZER_BUILD 0
#endif

/* The directory part of a path ("." for a bare name), malloc'ed. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* A rule may only grant handled rights (those not allowed everywhere
 * anyway); one left with none is not needed. */
static bool add_rule(int ruleset, const struct sb_rule *r, uint64_t handled)
{
	if ((r->access & handled) == 0)
		return true;
	char *dir = dir_of(r->file);
	if (dir == NULL)
		return false;
	struct ll_path_beneath_attr pb;
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = r->access & handled;
	pb.parent_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int saved = errno;
	free(dir);
	if (pb.parent_fd == -1) {
		errno = saved;
		return false;
	}
	long ret = syscall(SYS_landlock_add_rule, ruleset,
			   LL_RULE_PATH_BENEATH, &pb, 0);
	saved = errno;
	close(pb.parent_fd);
	errno = saved;
	return ret == 0;
}

/* Restricts the calling thread (and those it starts) to allowed_fs
 * everywhere plus the rules. False with errno set on failure. */
static bool restrict_to(uint64_t allowed_fs, const struct sb_rule *rules,
			size_t nrules)
{
	if (SANITIZER_BUILD)
		allowed_fs |= FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
	struct ll_ruleset_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = fs_rights_known() & ~allowed_fs;
	if (abi >= 4)
		attr.handled_access_net = NET_ALL;
	if (abi >= 6)
		attr.scoped = SCOPE_ALL;

	long fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr),
			  0u);
	if (fd < 0)
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < nrules; ++i)
		ok = add_rule((int)fd, &rules[i], attr.handled_access_fs);
	/* Required before restrict_self for a process without
	 * CAP_SYS_ADMIN; also means no setuid program can be run later. */
	if (ok)
		ok = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
	if (ok)
		ok = syscall(SYS_landlock_restrict_self, (int)fd, 0u) == 0;
	int saved = errno;
	close((int)fd);
	errno = saved;
	return ok;
}

/* The number of threads of this process from /proc/self/status, or 0 if
 * it cannot be read (no /proc): then the check is skipped. */
static unsigned thread_count(void)
{
	FILE *fp = fopen("/proc/self/status", "re");
	if (fp == NULL)
		return 0;
	char line[256];
	unsigned n = 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "Threads: %u", &n) == 1)
			break;
	fclose(fp);
	return n;
}

void xzc_sandbox_init(void)
{
	if (!probe())
		xzc_exit(E_ERROR);
	if (abi < 0)
		return;
	/* Only stdout is written in these modes (-t implies -c). */
	const bool read_only = xzc_opt.mode == MODE_LIST || xzc_opt.to_stdout;
	uint64_t allowed = FS_READ_FILE | FS_READ_DIR;
	if (!read_only)
		allowed |= FS_WRITE_FILE | FS_MAKE_REG | FS_REMOVE_FILE;
	if (!restrict_to(allowed, NULL, 0))
		xzc_fatal("Failed to enable the sandbox: %s", strerror(errno));
	state = SB_EARLY;
}

/* Step 2a, right after the last input is opened, before a byte of it is
 * decoded (the header probe in coder.c may already start worker threads).
 * The output, if any, is created later in the input's directory (suffix.c
 * changes only the last component), so that directory keeps the rights to
 * create it (-f: to remove an old one first) until step 2b. */
bool xzc_sandbox_enter_file(const struct xzc_file *f)
{
	if (xzc_args_more_files()) {
		selftest();
		return true;
	}
	if (!probe())
		return false;
	if (abi < 0) {
		selftest();
		return true;
	}
	unsigned threads = thread_count();
	if (threads > 1) {
		xzc_error("%s: Failed to enable the sandbox: %u threads are "
			  "already running", xzc_printable(f->src_name), threads);
		return false;
	}
	struct sb_rule rule = { f->src_name, FS_REMOVE_FILE | FS_MAKE_REG
				| FS_WRITE_FILE | FS_READ_DIR };
	const bool to_file = !xzc_opt.to_stdout && f->src_fd != STDIN_FILENO;
	if (!restrict_to(0, &rule, to_file ? 1 : 0)) {
		xzc_error("%s: Failed to enable the sandbox: %s",
			  xzc_printable(f->src_name), strerror(errno));
		return false;
	}
	state = to_file ? SB_OUTPUT_DIR : SB_STRICT;
	if (!to_file)
		selftest();
	return true;
}

/* Step 2b, once the output file is open: what is left in its directory is
 * removing files (the input at the end; the output if it fails) and
 * reading the directory to fsync it before the input is removed. A worker
 * thread the header probe started keeps step 2a's rights (Landlock does not
 * reach threads already running): create and write files in that
 * directory, nothing elsewhere. */
bool xzc_sandbox_enter_dest(const struct xzc_file *f)
{
	if (state != SB_OUTPUT_DIR || f->dest_fd == -1 || f->dest_is_stdout)
		return true;
	const bool removes_src = !xzc_opt.keep;
	struct sb_rule rule = { f->dest_name, FS_REMOVE_FILE };
	if (removes_src && !xzc_opt.no_sync)
		rule.access |= FS_READ_DIR;     /* files.c: sync_dir() */
	if (!restrict_to(0, &rule, 1)) {
		xzc_error("%s: Failed to enable the sandbox: %s",
			  xzc_printable(f->src_name), strerror(errno));
		return false;
	}
	state = SB_STRICT;
	selftest();
	return true;
}

#else /* !HAVE_LANDLOCK */

void xzc_sandbox_init(void)
{
	xzc_info(V_DEBUG, "This system has no sandbox clearxz can use, "
		 "running without one");
}

bool xzc_sandbox_enter_file(const struct xzc_file *f)
{
	(void)f;
	selftest();
	return true;
}

bool xzc_sandbox_enter_dest(const struct xzc_file *f)
{
	(void)f;
	return true;
}

#endif
