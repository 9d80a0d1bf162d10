/*
 * files.c -- the rules users trust xz for: never lose a byte.
 *
 *  - The output is created with O_EXCL and mode 0600: nobody else can read
 *    it while it is written, and an existing file is never overwritten
 *    unless -f removed it first.
 *  - Only after the data is complete are owner, group, mode (without
 *    setuid/setgid/sticky) and timestamps copied from the input.
 *  - Before the input is removed the output and its directory are
 *    fsync'ed (unless --no-sync), so a crash cannot lose both.
 *  - The input is removed only if it is still the file that was opened
 *    (same device and inode); on any failure the output is removed and
 *    the input kept.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char xzc_stdin_name[] = "(stdin)";
static char stdout_name[] = "(stdout)";

/* Sparse output: runs of zeros are looked for in pieces of this size. */
#define HOLE_UNIT 4096

/* Flags of stdout that we changed (O_APPEND for sparse output), to restore. */
static int stdout_saved_flags = -1;

void xzc_file_init(void)
{
	/* Make sure fds 0, 1 and 2 are open, so that a file we open never
	 * becomes "stdout" by accident. */
	for (int fd = 0; fd <= 2; ++fd) {
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
			if (n != fd)
				exit(E_ERROR);
		}
	}
}

/* The skip rules (xz's): the input must be a regular file when it is
 * going to be replaced, and, unless -f or -k, must not be special in a
 * way that removing it would lose something (links, set-id bits). */
static bool check_src(struct xzc_file *f, bool reg_only)
{
	const char *n = xzc_printable(f->src_name);
	if (S_ISDIR(f->src_st.st_mode)) {
		xzc_warning("%s: Is a directory, skipping", n);
		return false;
	}
	if (reg_only && !S_ISREG(f->src_st.st_mode)) {
		xzc_warning("%s: Not a regular file, skipping", n);
		return false;
	}
	if (reg_only && !xzc_opt.force && !xzc_opt.keep) {
		if (f->src_st.st_mode & (S_ISUID | S_ISGID)) {
			xzc_warning("%s: File has setuid or setgid bit set, "
				    "skipping", n);
			return false;
		}
		if (f->src_st.st_mode & S_ISVTX) {
			xzc_warning("%s: File has sticky bit set, skipping", n);
			return false;
		}
		if (f->src_st.st_nlink > 1) {
			xzc_warning("%s: Input file has more than one hard "
				    "link, skipping", n);
			return false;
		}
	}
	return true;
}

bool xzc_file_open_src(struct xzc_file *f, const char *name)
{
	memset(f, 0, sizeof(*f));
	f->src_fd = -1;
	f->dest_fd = -1;

	if (strcmp(name, "-") == 0) {
		f->src_name = xzc_stdin_name;
		f->src_fd = STDIN_FILENO;
		if (fstat(STDIN_FILENO, &f->src_st) != 0)
			memset(&f->src_st, 0, sizeof(f->src_st));
		return true;
	}
	f->src_name = name;

	/* With -c (and -t, which implies it) the input is not replaced:
	 * symlinks are followed and any readable file will do. */
	const bool follow = xzc_opt.to_stdout || xzc_opt.force;
	const bool reg_only = !xzc_opt.to_stdout;
	int flags = O_RDONLY | O_NOCTTY | O_NONBLOCK;
	if (!follow)
		flags |= O_NOFOLLOW;

	xzc_signals_block();
	f->src_fd = open(name, flags);
	xzc_signals_unblock();
	if (f->src_fd == -1) {
		if (!follow && errno == ELOOP)
			xzc_warning("%s: Is a symbolic link, skipping",
				    xzc_printable(name));
		else
			xzc_error("%s: %s", xzc_printable(name),
				  strerror(errno));
		return false;
	}
	/* O_NONBLOCK was only for opening a FIFO without a writer. */
	int fl = fcntl(f->src_fd, F_GETFL);
	if (fl == -1 || fcntl(f->src_fd, F_SETFL, fl & ~O_NONBLOCK) == -1
			|| fstat(f->src_fd, &f->src_st) != 0) {
		xzc_error("%s: %s", xzc_printable(name), strerror(errno));
		close(f->src_fd);
		return false;
	}
	if (!check_src(f, reg_only)) {
		close(f->src_fd);
		f->src_fd = -1;
		return false;
	}
	(void)posix_fadvise(f->src_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return true;
}

/* Sparse writing to stdout is safe only for a regular file whose write
 * position is its end; O_APPEND is lifted for the duration (and the
 * position moved to the end, which is what O_APPEND would do). */
static bool stdout_can_be_sparse(struct xzc_file *f)
{
	if (!S_ISREG(f->dest_st.st_mode))
		return false;
	int fl = fcntl(STDOUT_FILENO, F_GETFL);
	if (fl == -1)
		return false;
	if (fl & O_APPEND) {
		if (lseek(STDOUT_FILENO, 0, SEEK_END) == -1
				|| fcntl(STDOUT_FILENO, F_SETFL,
					 fl & ~O_APPEND) == -1)
			return false;
		stdout_saved_flags = fl;
		return true;
	}
	return lseek(STDOUT_FILENO, 0, SEEK_CUR) == f->dest_st.st_size;
}

bool xzc_file_open_dest(struct xzc_file *f)
{
	if (xzc_opt.to_stdout || f->src_fd == STDIN_FILENO) {
		f->dest_name = stdout_name;
		f->dest_fd = STDOUT_FILENO;
		f->dest_is_stdout = true;
	} else {
		f->dest_name = xzc_suffix_dest_name(f->src_name);
		if (f->dest_name == NULL)
			return false;
		xzc_signals_block();
		if (xzc_opt.force && unlink(f->dest_name) != 0
				&& errno != ENOENT) {
			xzc_signals_unblock();
			xzc_error("%s: Cannot remove: %s",
				  xzc_printable(f->dest_name), strerror(errno));
			free(f->dest_name);
			f->dest_name = NULL;
			return false;
		}
		f->dest_fd = open(f->dest_name, O_WRONLY | O_NOCTTY | O_CREAT
				  | O_EXCL, S_IRUSR | S_IWUSR);
		if (f->dest_fd != -1)
			f->dest_created = true;
		xzc_signals_unblock();
		if (f->dest_fd == -1) {
			xzc_error("%s: %s", xzc_printable(f->dest_name),
				  strerror(errno));
			free(f->dest_name);
			f->dest_name = NULL;
			return false;
		}
	}
	if (fstat(f->dest_fd, &f->dest_st) != 0) {
		f->dest_st.st_dev = 0;
		f->dest_st.st_ino = 0;
		return true;
	}
	if (xzc_opt.mode == MODE_DECOMPRESS && !xzc_opt.no_sparse)
		f->try_sparse = f->dest_is_stdout ? stdout_can_be_sparse(f)
				: true;
	return true;
}

size_t xzc_file_read(struct xzc_file *f, uint8_t *buf, size_t size)
{
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(f->src_fd, buf + got, size - got);
		if (n == 0) {
			f->src_eof = true;
			break;
		}
		if (n < 0) {
			if (errno == EINTR && !xzc_user_abort)
				continue;
			if (errno == EINTR)
				return SIZE_MAX;
			xzc_error("%s: Read error: %s",
				  xzc_printable(f->src_name), strerror(errno));
			return SIZE_MAX;
		}
		got += (size_t)n;
	}
	return got;
}

size_t xzc_file_read_some(struct xzc_file *f, uint8_t *buf, size_t size)
{
	for (;;) {
		ssize_t n = read(f->src_fd, buf, size);
		if (n > 0)
			return (size_t)n;
		if (n == 0) {
			f->src_eof = true;
			return 0;
		}
		if (errno == EINTR && !xzc_user_abort)
			continue;
		if (errno != EINTR)
			xzc_error("%s: Read error: %s",
				  xzc_printable(f->src_name), strerror(errno));
		return SIZE_MAX;
	}
}

bool xzc_file_wait_input(struct xzc_file *f, uint64_t timeout_ms)
{
	struct pollfd p = { .fd = f->src_fd, .events = POLLIN };
	int t = timeout_ms > INT32_MAX ? INT32_MAX : (int)timeout_ms;
	int r = poll(&p, 1, t);
	return r != 0;   /* errors: let the read report them */
}

void xzc_file_unread(struct xzc_file *f, size_t n)
{
	/* Only meaningful for seekable input (--single-stream leaves the
	 * rest of stdin to the next reader); errors are irrelevant. */
	if (n > 0)
		(void)lseek(f->src_fd, -(off_t)n, SEEK_CUR);
}

static bool write_all(struct xzc_file *f, const uint8_t *buf, size_t size)
{
	while (size > 0) {
		ssize_t n = write(f->dest_fd, buf, size);
		if (n < 0) {
			if (errno == EINTR && !xzc_user_abort)
				continue;
			if (errno == EINTR)
				return false;
			/* A closed pipe is the reader's choice, not an error
			 * worth a message (xz, gzip and bzip2 agree). */
			if (errno != EPIPE)
				xzc_error("%s: Write error: %s",
					  xzc_printable(f->dest_name),
					  strerror(errno));
			else
				xzc_set_exit_status(E_ERROR);
			return false;
		}
		buf += n;
		size -= (size_t)n;
	}
	return true;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; ++i)
		if (p[i] != 0)
			return false;
	return true;
}

static bool skip_hole(struct xzc_file *f)
{
	if (f->pending_hole == 0)
		return true;
	if (lseek(f->dest_fd, (off_t)f->pending_hole, SEEK_CUR) == -1) {
		xzc_error("%s: Seeking failed when trying to create a sparse "
			  "file: %s", xzc_printable(f->dest_name),
			  strerror(errno));
		return false;
	}
	f->pending_hole = 0;
	return true;
}

bool xzc_file_write(struct xzc_file *f, const uint8_t *buf, size_t size)
{
	if (!f->try_sparse)
		return write_all(f, buf, size);

	/* Whole zero units become a hole (a seek); everything else is
	 * written. The last hole is closed in xzc_file_close(). */
	while (size > 0) {
		size_t n = size < HOLE_UNIT ? size : HOLE_UNIT;
		if (n == HOLE_UNIT && all_zero(buf, n)) {
			f->pending_hole += n;
		} else {
			size_t run = n;
			while (run < size) {
				size_t m = size - run < HOLE_UNIT
					? size - run : HOLE_UNIT;
				if (m == HOLE_UNIT && all_zero(buf + run, m))
					break;
				run += m;
			}
			if (!skip_hole(f) || !write_all(f, buf, run))
				return false;
			n = run;
		}
		buf += n;
		size -= n;
	}
	return true;
}

/* Owner first (fails quietly unless root), then group, then mode: if the
 * group cannot be set, the group bits must not grant more than "other"
 * does, or people in the wrong group could read the output. */
static void copy_attrs(struct xzc_file *f)
{
	const struct stat *s = &f->src_st;
	const char *n = xzc_printable(f->dest_name);
	mode_t mode;

	if (fchown(f->dest_fd, s->st_uid, (gid_t)-1) != 0 && geteuid() == 0)
		xzc_warning("%s: Cannot set the file owner: %s", n,
			    strerror(errno));
	if (f->dest_st.st_gid != s->st_gid
			&& fchown(f->dest_fd, (uid_t)-1, s->st_gid) != 0) {
		xzc_warning("%s: Cannot set the file group: %s", n,
			    strerror(errno));
		mode_t g = ((s->st_mode & 0070) >> 3) & (s->st_mode & 0007);
		mode = (s->st_mode & 0700) | (g << 3) | g;
	} else {
		mode = s->st_mode & 0777;   /* never setuid/setgid/sticky */
	}
	if (fchmod(f->dest_fd, mode) != 0)
		xzc_warning("%s: Cannot set the file permissions: %s", n,
			    strerror(errno));

	struct timespec ts[2] = { s->st_atim, s->st_mtim };
	(void)futimens(f->dest_fd, ts);
}

/* The directory entry of the new file must be on disk too before the
 * input's entry is removed. */
static bool sync_dir(const char *path)
{
	char *dir = strdup(path);
	if (dir == NULL)
		return false;
	char *slash = strrchr(dir, '/');
	const char *d = ".";
	if (slash == dir)
		d = "/";
	else if (slash != NULL) {
		*slash = '\0';
		d = dir;
	}
	int fd = open(d, O_RDONLY | O_DIRECTORY | O_NOCTTY);
	bool ok = fd != -1 && fsync(fd) == 0;
	if (!ok)
		xzc_error("%s: Synchronizing the directory of the file "
			  "failed: %s", xzc_printable(path), strerror(errno));
	if (fd != -1)
		close(fd);
	free(dir);
	return ok;
}

/* Removes a file only if it is still the one we know (device, inode). */
static void remove_known(const char *name, const struct stat *known,
			 bool warn_moved)
{
	struct stat st;
	int r = xzc_opt.force ? stat(name, &st) : lstat(name, &st);
	if (r != 0 || st.st_dev != known->st_dev || st.st_ino != known->st_ino) {
		if (warn_moved)
			xzc_warning("%s: File seems to have been moved, not "
				    "removing", xzc_printable(name));
		return;
	}
	if (unlink(name) != 0)
		xzc_warning("%s: Cannot remove: %s", xzc_printable(name),
			    strerror(errno));
}

static bool finish_dest(struct xzc_file *f, bool success)
{
	if (success && f->pending_hole > 0) {
		/* End the file with its last zero byte so it gets its size. */
		static const uint8_t zero[1] = { 0 };
		f->pending_hole -= 1;
		if (!skip_hole(f) || !write_all(f, zero, 1))
			success = false;
	}
	if (stdout_saved_flags != -1) {
		if (fcntl(STDOUT_FILENO, F_SETFL, stdout_saved_flags) != 0) {
			xzc_error("Error restoring the O_APPEND flag to "
				  "standard output: %s", strerror(errno));
			success = false;
		}
		stdout_saved_flags = -1;
	}
	if (f->dest_is_stdout || f->dest_fd == -1)
		return success;

	if (success)
		copy_attrs(f);
	const bool removing_src = !xzc_opt.keep && f->src_fd != STDIN_FILENO;
	if (success && removing_src && !xzc_opt.no_sync) {
		if (fsync(f->dest_fd) != 0) {
			xzc_error("%s: Synchronizing the file failed: %s",
				  xzc_printable(f->dest_name), strerror(errno));
			success = false;
		} else if (!sync_dir(f->dest_name)) {
			success = false;
		}
	}
	if (close(f->dest_fd) != 0) {
		xzc_error("%s: Closing the file failed: %s",
			  xzc_printable(f->dest_name), strerror(errno));
		success = false;
	}
	f->dest_fd = -1;
	if (!success && f->dest_created)
		remove_known(f->dest_name, &f->dest_st, false);
	return success;
}

void xzc_file_close(struct xzc_file *f, bool success)
{
	xzc_signals_block();
	if (xzc_user_abort)
		success = false;
	success = finish_dest(f, success);
	if (f->dest_name != NULL && f->dest_name != stdout_name)
		free(f->dest_name);
	f->dest_name = NULL;

	if (f->src_fd != -1 && f->src_fd != STDIN_FILENO) {
		/* Removed while still open: its inode cannot be reused by
		 * another file in between, so the identity check holds. */
		if (success && !xzc_opt.keep)
			remove_known(f->src_name, &f->src_st, true);
		close(f->src_fd);
	}
	f->src_fd = -1;
	xzc_signals_unblock();
}
