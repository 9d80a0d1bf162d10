/*
 * audit_walk.c -- walk the folders given on the command line and hand every
 * regular file to audit_scan().
 *
 * Rules of the walk (issue 8):
 *   - /proc, /sys and /dev are never entered: they are not files on disk
 *     and reading some of them blocks or has side effects;
 *   - symbolic links are never followed (a PATH argument itself is), so
 *     the walk cannot leave the tree or loop;
 *   - other filesystems are entered only with --all-filesystems;
 *   - only regular files are opened (never FIFOs or devices), with
 *     O_NONBLOCK and O_NOFOLLOW against races with a changing tree.
 * Files are mapped, not read: decoders and archive parsers then work on
 * one buffer. A mapped file that shrinks under us raises SIGBUS; the
 * handler jumps back here, the file counts as not fully read, and all
 * memory of its scan is released (audit_free_all).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"

#define MAX_DIR_DEPTH 256   /* one open folder per level */
#define SPARSE_MIN ((size_t)64 << 20)
#define POPULATE_MAX ((size_t)64 << 20)

static sigjmp_buf bus_jump;
static volatile sig_atomic_t scanning;
static struct timespec last_progress;

static void on_sigbus(int sig)
{
	if (scanning)
		siglongjmp(bus_jump, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void progress(audit_ctx *c, const char *path, bool force)
{
	if (!c->progress)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ms = (int64_t)(now.tv_sec - last_progress.tv_sec) * 1000
		+ (now.tv_nsec - last_progress.tv_nsec) / 1000000;
	if (!force && ms < 250)
		return;
	last_progress = now;
	/* Show the folder, shortened from the left to fit an 80-column line. */
	const char *slash = strrchr(path, '/');
	int dlen = slash != NULL ? (int)(slash - path) : (int)strlen(path);
	char head[64];
	int hl = snprintf(head, sizeof(head), "%llu files, %llu MB, ",
			(unsigned long long)c->files, (unsigned long long)(c->bytes >> 20));
	int room = 79 - hl;
	if (room < 8)
		room = 8;
	if (dlen > room)
		fprintf(stderr, "\r\033[K%s...%.*s", head, room - 3, path + dlen - (room - 3));
	else
		fprintf(stderr, "\r\033[K%s%.*s", head, dlen, path);
}

static void scan_file(audit_ctx *c, int dirfd, const char *name, const char *path)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	int fd = openat(dirfd, name, flags | O_NOATIME);
	if (fd < 0 && errno == EPERM)   /* O_NOATIME needs ownership */
		fd = openat(dirfd, name, flags);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		c->unreadable++;
		if (fd >= 0)
			close(fd);
		return;
	}
	if (!S_ISREG(st.st_mode)) {   /* replaced by something else meanwhile */
		close(fd);
		return;
	}
	c->files++;
	c->bytes += (uint64_t)st.st_size;
	c->expanded_this_file = 0;
	progress(c, path, false);
	if (st.st_size == 0 || (uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return;
	}
	size_t size = (size_t)st.st_size;
	/* A big file that is mostly holes (/var/log/lastlog can claim
	 * hundreds of GiB) would be read as that many zeros: skip it, noted. */
	if (size > SPARSE_MIN && (uint64_t)st.st_blocks * 512 < size / 2) {
		close(fd);
		c->partial++;
		return;
	}
	/* MAP_POPULATE for small files: every byte is read anyway (hash,
	 * signatures), and mapping it in one go costs less than a page fault
	 * per 4 KiB. Big files are faulted in as read, sequentially. */
	int populate = size <= POPULATE_MAX ? MAP_POPULATE : 0;
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE | populate, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		c->unreadable++;
		return;
	}
	if (populate == 0)
		madvise(map, size, MADV_SEQUENTIAL);
	const char *base = strrchr(path, '/');
	audit_item it = { map, size, path, base != NULL ? base + 1 : path, 0 };
	if (sigsetjmp(bus_jump, 1) == 0) {
		scanning = 1;
		audit_scan(c, &it);
	} else {
		c->unreadable++;   /* truncated while we read it */
		audit_free_all();
	}
	scanning = 0;
	munmap(map, size);
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	bool slash = a > 0 && dir[a - 1] == '/';
	char *p = malloc(a + b + 2);
	if (p == NULL)
		return NULL;
	memcpy(p, dir, a);
	if (!slash)
		p[a++] = '/';
	memcpy(p + a, name, b + 1);
	return p;
}

/* Walks the folder open as dfd (takes ownership of dfd). */
static void walk_dir(audit_ctx *c, int dfd, const char *path, dev_t dev,
		unsigned level, bool is_root)
{
	DIR *d = fdopendir(dfd);
	if (d == NULL) {
		close(dfd);
		c->unreadable++;
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (is_root && (strcmp(n, "proc") == 0 || strcmp(n, "sys") == 0
				|| strcmp(n, "dev") == 0))
			continue;
		struct stat st;
		if (fstatat(dfd, n, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			c->unreadable++;
			continue;
		}
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			continue;   /* symlinks, devices, FIFOs, sockets */
		char *child = join(path, n);
		if (child == NULL) {
			c->unreadable++;
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			scan_file(c, dfd, n, child);
		} else if (st.st_dev != dev && !c->all_filesystems) {
			c->skipped_mounts++;
		} else if (level + 1 >= MAX_DIR_DEPTH) {
			c->unreadable++;
		} else {
			int cfd = openat(dfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0)
				c->unreadable++;
			else
				walk_dir(c, cfd, child, dev, level + 1, false);
		}
		free(child);
	}
	closedir(d);
}

static bool is_virtual(const char *abs)
{
	static const char *const skip[] = { "/proc", "/sys", "/dev" };
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		size_t n = strlen(skip[i]);
		if (strncmp(abs, skip[i], n) == 0 && (abs[n] == '\0' || abs[n] == '/'))
			return true;
	}
	return false;
}

int audit_walk(audit_ctx *c, const char *path)
{
	static bool handler;
	if (!handler) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigbus;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, NULL);
		handler = true;
	}
	struct stat st;
	char *abs = realpath(path, NULL);
	if (abs == NULL || stat(path, &st) != 0) {
		fprintf(stderr, "clearxz-audit: %s: %s\n", path, strerror(errno));
		free(abs);
		return -1;
	}
	int ret = 0;
	if (is_virtual(abs)) {
		fprintf(stderr, "clearxz-audit: %s: not scanned: /proc, /sys and /dev hold no files on disk\n", path);
		ret = -1;
	} else if (S_ISDIR(st.st_mode)) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "clearxz-audit: %s: %s\n", path, strerror(errno));
			ret = -1;
		} else {
			walk_dir(c, fd, path, st.st_dev, 0, strcmp(abs, "/") == 0);
		}
	} else if (S_ISREG(st.st_mode)) {
		/* Opened by its resolved name: a PATH argument may be a link. */
		scan_file(c, AT_FDCWD, abs, path);
	} else {
		fprintf(stderr, "clearxz-audit: %s: not a regular file or folder\n", path);
		ret = -1;
	}
	free(abs);
	progress(c, path, true);
	return ret;
}

void audit_walk_done(audit_ctx *c)
{
	if (c->progress)
		fputs("\r\033[K", stderr);
}
