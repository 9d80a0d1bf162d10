/*
 * messages.c -- every line clearxz writes to stderr goes through here.
 *
 * Scripts grep xz's messages, so the wording and the "prog: file: text"
 * layout follow xz. The program name is argv[0] as given (like xz). The
 * exit status follows xz: an error makes it 1; a warning makes it 2 unless
 * -Q was given or an error happened already.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

const char *xzc_progname = "xz";
enum xzc_verbosity xzc_verbosity = V_WARNING;
static int exit_status = E_SUCCESS;

void xzc_msg_init(const char *argv0)
{
	if (argv0 != NULL && argv0[0] != '\0')
		xzc_progname = argv0;
}

void xzc_msg_verbose_more(void)
{
	if (xzc_verbosity < V_DEBUG)
		++xzc_verbosity;
}

void xzc_msg_quiet_more(void)
{
	if (xzc_verbosity > V_SILENT)
		--xzc_verbosity;
}

int xzc_exit_status(void)
{
	return exit_status;
}

/* An error (1) is never downgraded to a warning (2). */
void xzc_set_exit_status(int status)
{
	if (status == E_ERROR || exit_status == E_SUCCESS)
		exit_status = status;
}

/* Non-printable bytes of a file name become '?', so that a hostile name
 * cannot move the cursor or change the terminal's state. Bytes >= 0x80 are
 * kept: they are parts of multibyte characters in a UTF-8 locale. */
const char *xzc_printable(const char *name)
{
	static char buf[4][4096];
	static int slot;
	char *out = buf[slot];
	size_t i;

	slot = (slot + 1) % 4;
	for (i = 0; name[i] != '\0' && i < sizeof(buf[0]) - 1; ++i) {
		unsigned char c = (unsigned char)name[i];
		out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[i] = '\0';
	return out;
}

static void vmessage(const char *fmt, va_list ap)
{
	/* One buffer and one write: lines from concurrent processes
	 * sharing stderr do not interleave mid-line. */
	char line[8192];
	int n = snprintf(line, sizeof(line), "%s: ", xzc_progname);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		m = 0;
	size_t len = (size_t)n + (size_t)m;
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	fflush(stdout);
	fwrite(line, 1, len, stderr);
}

void xzc_error(const char *fmt, ...)
{
	xzc_set_exit_status(E_ERROR);
	if (xzc_verbosity >= V_ERROR) {
		va_list ap;
		va_start(ap, fmt);
		vmessage(fmt, ap);
		va_end(ap);
	}
}

void xzc_warning(const char *fmt, ...)
{
	if (!xzc_opt.no_warn)
		xzc_set_exit_status(E_WARNING);
	if (xzc_verbosity >= V_WARNING) {
		va_list ap;
		va_start(ap, fmt);
		vmessage(fmt, ap);
		va_end(ap);
	}
}

void xzc_info(enum xzc_verbosity v, const char *fmt, ...)
{
	if (xzc_verbosity >= v) {
		va_list ap;
		va_start(ap, fmt);
		vmessage(fmt, ap);
		va_end(ap);
	}
}

_Noreturn void xzc_fatal(const char *fmt, ...)
{
	if (xzc_verbosity >= V_ERROR) {
		va_list ap;
		va_start(ap, fmt);
		vmessage(fmt, ap);
		va_end(ap);
	}
	xzc_exit(E_ERROR);
}

_Noreturn void xzc_try_help_exit(void)
{
	xzc_info(V_ERROR, "Try '%s --help' for more information.",
		 xzc_progname);
	xzc_exit(E_ERROR);
}

/* xz rounds memory amounts up to whole MiB in these messages. */
uint64_t xzc_round_up_mib(uint64_t v)
{
	return (v >> 20) + ((v & ((1U << 20) - 1)) != 0);
}

void xzc_mem_needed(enum xzc_verbosity v, uint64_t needed, uint64_t limit)
{
	if (limit == UINT64_MAX) {
		xzc_info(v, "%s MiB of memory is required. The limiter is "
			 "disabled.", xzc_fmt_uint(xzc_round_up_mib(needed), 0));
		return;
	}
	/* The limit is shown in the unit that shows it exactly enough:
	 * "1000 B", "1 MiB", ... as xz does. */
	char lim[256];
	if (limit < (1U << 20))
		snprintf(lim, sizeof(lim), "%s B", xzc_fmt_uint(limit, 1));
	else
		snprintf(lim, sizeof(lim), "%s MiB",
			 xzc_fmt_uint(xzc_round_up_mib(limit), 1));
	xzc_info(v, "%s MiB of memory is required. The limit is %s.",
		 xzc_fmt_uint(xzc_round_up_mib(needed), 0), lim);
}

_Noreturn void xzc_exit(int status)
{
	xzc_set_exit_status(status);
	status = exit_status;
	/* A failed write to stdout must not go unnoticed (xz: "Writing to
	 * standard output failed"). EPIPE stays silent, like xz. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE && xzc_verbosity >= V_ERROR)
			fprintf(stderr, "%s: Writing to standard output "
				"failed: %s\n", xzc_progname, strerror(errno));
		status = E_ERROR;
	}
	xzc_signals_exit();
	exit(status);
}

/* ---- number formatting (C locale: no thousands separators) ---- */

static char fmt_buf[4][64];

const char *xzc_fmt_uint(uint64_t v, int slot)
{
	snprintf(fmt_buf[slot & 3], sizeof(fmt_buf[0]), "%llu",
		 (unsigned long long)v);
	return fmt_buf[slot & 3];
}

/* "60 B", "46.4 KiB", "14.2 MiB": the unit grows while the number would
 * have more than four digits before the point. */
const char *xzc_fmt_size(uint64_t v, int slot)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	char *out = fmt_buf[slot & 3];
	if (v <= 9999) {
		snprintf(out, sizeof(fmt_buf[0]), "%llu B",
			 (unsigned long long)v);
		return out;
	}
	double d = (double)v;
	unsigned u = 0;
	while (u < 4 && d > 9999.9) {
		d /= 1024.0;
		++u;
	}
	snprintf(out, sizeof(fmt_buf[0]), "%.1f %s", d, units[u]);
	return out;
}

const char *xzc_fmt_ratio(uint64_t comp, uint64_t uncomp, int slot)
{
	char *out = fmt_buf[slot & 3];
	if (uncomp == 0) {
		snprintf(out, sizeof(fmt_buf[0]), "---");
		return out;
	}
	double r = (double)comp / (double)uncomp;
	if (r > 9.999)
		snprintf(out, sizeof(fmt_buf[0]), "---");
	else
		snprintf(out, sizeof(fmt_buf[0]), "%.3f", r);
	return out;
}

/* ---- progress ---- */

static struct {
	const char *name;
	uint64_t in_size;       /* 0 if unknown */
	unsigned file_no, file_count;
	uint64_t start_us;
	bool tty;               /* stderr is a terminal: live line */
	bool shown;             /* the live line is on screen */
	bool header_shown;
} prog;

static unsigned total_files;

void xzc_set_file_counts(unsigned total)
{
	total_files = total;
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void xzc_progress_start(const char *name, uint64_t in_size,
			unsigned file_no, unsigned file_count)
{
	prog.name = name;
	prog.in_size = in_size;
	prog.file_no = file_no;
	prog.file_count = file_count ? file_count : total_files;
	prog.start_us = now_us();
	prog.tty = xzc_verbosity >= V_VERBOSE && isatty(STDERR_FILENO);
	prog.shown = false;
	prog.header_shown = false;
	xzc_progress_due = 0;
	if (prog.tty) {
		struct itimerval it = { { 1, 0 }, { 1, 0 } };
		setitimer(ITIMER_REAL, &it, NULL);
	}
}

/* In -d mode the input is the compressed side. in_pos (may be NULL): the
 * input read so far, which the threaded coders count ahead of total_in. */
static void sides(const lzma_stream *strm, uint64_t *comp, uint64_t *uncomp,
		  uint64_t *in_pos)
{
	uint64_t in = strm->total_in, out = strm->total_out;
	lzma_get_progress((lzma_stream *)strm, &in, &out);
	if (in_pos != NULL)
		*in_pos = in;
	if (xzc_opt.mode == MODE_COMPRESS) {
		*comp = out;
		*uncomp = in;
	} else {
		*comp = in;
		*uncomp = out;
	}
}

/* A size in at least the unit min_unit (0 = B, 1 = KiB, 2 = MiB), one
 * decimal above bytes, as xz's progress shows it. */
static void fmt_unit(char *buf, size_t size, uint64_t v, unsigned min_unit)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	if (min_unit == 0 && v <= 9999) {
		snprintf(buf, size, "%llu B", (unsigned long long)v);
		return;
	}
	double d = (double)v;
	unsigned u = 0;
	while (u < 4 && (u < min_unit || d > 9999.9)) {
		d /= 1024.0;
		++u;
	}
	snprintf(buf, size, "%.1f %s", d, units[u]);
}

/* "46.4 KiB / 1258.7 KiB = 0.037"; the ratio is "> 9.999" when it is
 * larger or unknown. */
static void fmt_sizes(char *buf, size_t size, uint64_t comp, uint64_t uncomp,
		      unsigned min_unit)
{
	char c[32], u[32];
	double r = uncomp > 0 ? (double)comp / (double)uncomp : 16.0;
	fmt_unit(c, sizeof(c), comp, min_unit);
	fmt_unit(u, sizeof(u), uncomp, min_unit);
	if (r > 9.999)
		snprintf(buf, size, "%s / %s > 9.999", c, u);
	else
		snprintf(buf, size, "%s / %s = %.3f", c, u, r);
}

/* Speed appears only after three seconds: before that it would mostly be
 * noise (xz does the same). */
static void fmt_speed(char *buf, size_t size, uint64_t uncomp,
		      uint64_t elapsed_us)
{
	static const char *const units[] = { "KiB/s", "MiB/s", "GiB/s" };
	buf[0] = '\0';
	if (elapsed_us < 3000000)
		return;
	double speed = (double)uncomp / ((double)elapsed_us * 1024.0 / 1e6);
	unsigned u = 0;
	while (speed > 999.0 && u < 2) {
		speed /= 1024.0;
		++u;
	}
	snprintf(buf, size, "%.*f %s", speed > 9.9 ? 0 : 1, speed, units[u]);
}

/* Elapsed time, M:SS or H:MM:SS; empty for less than a second (xz shows
 * no "0:00"). */
static void fmt_time(char *buf, size_t size, uint64_t seconds)
{
	if (seconds == 0)
		buf[0] = '\0';
	else if (seconds < 3600)
		snprintf(buf, size, "%u:%02u", (unsigned)(seconds / 60),
			 (unsigned)(seconds % 60));
	else
		snprintf(buf, size, "%u:%02u:%02u", (unsigned)(seconds / 3600),
			 (unsigned)(seconds / 60 % 60),
			 (unsigned)(seconds % 60));
}

/* Estimated time left, in the coarse form xz(1) describes ("never has any
 * colons, e.g. 2 min 30 s"). Shown only when the input size is known and
 * at least 8 s and 512 KiB have gone by: earlier estimates jump around.
 * The estimate is rounded up to a step that grows with it, as xz does. */
static void fmt_remaining(char *buf, size_t size, uint64_t in_pos,
			  uint64_t elapsed_us)
{
	static const struct { uint64_t upto, step; } steps[] = {
		{ 10, 1 },                      /* "7 s" */
		{ 50, 5 },                      /* "35 s" */
		{ 9 * 60 + 50, 10 },            /* "2 min 30 s" */
		{ 59 * 60, 60 },                /* "12 min" */
		{ 9 * 3600 + 50 * 60, 600 },    /* "3 h 20 min" */
		{ 23 * 3600, 3600 },            /* "15 h" */
		{ 9 * 86400 + 23 * 3600, 3600 },/* "2 d 5 h" */
		{ 999 * 86400, 86400 },         /* "12 d" */
	};
	const size_t n = sizeof(steps) / sizeof(steps[0]);
	buf[0] = '\0';
	if (prog.in_size == 0 || in_pos > prog.in_size
			|| in_pos < (UINT64_C(1) << 19) || elapsed_us < 8000000)
		return;
	const double left = (double)(prog.in_size - in_pos)
			    * ((double)elapsed_us / 1e6) / (double)in_pos;
	uint64_t s = left < 1.0 ? 1 : (uint64_t)left;
	size_t i = 0;
	while (i < n && s > steps[i].upto)
		++i;
	if (i == n)
		return;         /* over 999 days: no estimate */
	s = (s + steps[i].step - 1) / steps[i].step * steps[i].step;
	const unsigned d = (unsigned)(s / 86400), h = (unsigned)(s / 3600),
		       m = (unsigned)(s / 60), sec = (unsigned)s;
	switch (i) {
	case 0: case 1: snprintf(buf, size, "%u s", sec); break;
	case 2: snprintf(buf, size, "%u min %u s", m, sec % 60); break;
	case 3: snprintf(buf, size, "%u min", m); break;
	case 4: snprintf(buf, size, "%u h %u min", h, m % 60); break;
	case 5: snprintf(buf, size, "%u h", h); break;
	case 6: snprintf(buf, size, "%u d %u h", d, h % 24); break;
	default: snprintf(buf, size, "%u d", d); break;
	}
}

/* The terminal line, in xz's columns:
 * " 28.4 %    0.0 MiB / 0.5 MiB = 0.000   speed   elapsed   remaining" */
static void show_line(const lzma_stream *strm, bool final)
{
	uint64_t comp, uncomp, in_pos;
	char sizes[96], speed[32], elapsed[32], rem[32], pct[16];
	const uint64_t el = now_us() - prog.start_us;
	sides(strm, &comp, &uncomp, &in_pos);
	fmt_sizes(sizes, sizeof(sizes), comp, uncomp, final ? 0 : 2);
	fmt_speed(speed, sizeof(speed), uncomp, el);
	fmt_time(elapsed, sizeof(elapsed), el / 1000000);
	if (!prog.header_shown) {
		fprintf(stderr, "%s (%u/%u)\n", xzc_printable(prog.name),
			prog.file_no, prog.file_count);
		prog.header_shown = true;
	}
	if (final) {
		snprintf(pct, sizeof(pct), "100 %%");
		rem[0] = '\0';
	} else if (prog.in_size > 0 && in_pos <= prog.in_size) {
		/* Scaled to 99.9 so that "100 %" means finished (xz). */
		snprintf(pct, sizeof(pct), "%.1f %%", (double)in_pos * 99.9
			 / (double)prog.in_size);
		fmt_remaining(rem, sizeof(rem), in_pos, el);
	} else {
		pct[0] = '\0';
		rem[0] = '\0';
	}
	/* On a terminal the line is redrawn in place; elsewhere (SIGUSR1
	 * into a log) each report is a line of its own. */
	fprintf(stderr, "\r %6s %35s   %9s %10s   %10s%s", pct, sizes, speed,
		elapsed, rem, final ? "\n" : prog.tty ? "\r" : "\r\n");
	prog.shown = !final;
}

void xzc_progress_update(const lzma_stream *strm, lzma_ret ret)
{
	(void)ret;
	if (!xzc_progress_due)
		return;
	xzc_progress_due = 0;
	/* SIGALRM only matters on a terminal; SIGUSR1 prints anywhere. */
	show_line(strm, false);
}

void xzc_progress_end(const lzma_stream *strm, bool success)
{
	if (prog.tty) {
		struct itimerval it = { { 0, 0 }, { 0, 0 } };
		setitimer(ITIMER_REAL, &it, NULL);
	}
	if (xzc_verbosity < V_VERBOSE)
		return;
	if (prog.tty) {
		if (success || prog.shown)
			show_line(strm, true);
		return;
	}
	if (!success)
		return;
	uint64_t comp, uncomp;
	char sizes[96], speed[32], elapsed[32];
	const uint64_t el = now_us() - prog.start_us;
	sides(strm, &comp, &uncomp, NULL);
	fmt_sizes(sizes, sizeof(sizes), comp, uncomp, 0);
	fmt_speed(speed, sizeof(speed), uncomp, el);
	fmt_time(elapsed, sizeof(elapsed), el / 1000000);
	/* Speed after 3 s, elapsed time after 1 s (both empty before). */
	fprintf(stderr, "%s: %s%s%s%s%s\n", xzc_printable(prog.name), sizes,
		speed[0] != '\0' ? ", " : "", speed,
		elapsed[0] != '\0' ? ", " : "", elapsed);
}
