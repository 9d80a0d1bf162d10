/*
 * signals.c -- a signal stops the work, never leaves half a file behind.
 *
 * SIGINT, SIGTERM, SIGHUP, SIGPIPE and SIGXFSZ only set a flag here (the
 * handler does nothing else that is unsafe in a signal handler). The coder
 * loop sees the flag, the file layer removes the partial output and keeps
 * the input, and at exit the process kills itself with the same signal so
 * that the parent (a shell, make) sees why it died.
 *
 * SIGUSR1 asks for the progress line; SIGALRM refreshes it once a second
 * when the progress line is on a terminal.
 */
#include "cli.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

volatile sig_atomic_t xzc_user_abort;
volatile sig_atomic_t xzc_progress_due;
static volatile sig_atomic_t caught_signal;

static const int abort_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE,
				     SIGXFSZ };
#define N_ABORT (sizeof(abort_signals) / sizeof(abort_signals[0]))

static sigset_t hooked;

static void on_abort(int sig)
{
	caught_signal = sig;
	xzc_user_abort = 1;
}

static void on_progress(int sig)
{
	(void)sig;
	xzc_progress_due = 1;
}

void xzc_signals_init(void)
{
	struct sigaction sa;
	sigemptyset(&hooked);
	for (size_t i = 0; i < N_ABORT; ++i)
		sigaddset(&hooked, abort_signals[i]);
	sigaddset(&hooked, SIGUSR1);
	sigaddset(&hooked, SIGALRM);

	memset(&sa, 0, sizeof(sa));
	sa.sa_mask = hooked;
	sa.sa_flags = 0; /* no SA_RESTART: a blocking read must return */
	for (size_t i = 0; i < N_ABORT; ++i) {
		struct sigaction old;
		/* A signal ignored by the parent (nohup) stays ignored. */
		if (sigaction(abort_signals[i], NULL, &old) == 0
				&& old.sa_handler == SIG_IGN)
			continue;
		sa.sa_handler = on_abort;
		sigaction(abort_signals[i], &sa, NULL);
	}
	sa.sa_handler = on_progress;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
}

/* Around file creation and removal: a signal arriving there is acted on
 * right after, when the file state is consistent. */
void xzc_signals_block(void)
{
	sigprocmask(SIG_BLOCK, &hooked, NULL);
}

void xzc_signals_unblock(void)
{
	sigprocmask(SIG_UNBLOCK, &hooked, NULL);
}

void xzc_signals_exit(void)
{
	int sig = caught_signal;
	if (sig == 0)
		return;
	/* Die by the same signal: default action, unblocked, raised. */
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* SIGXFSZ's default may be ignored on some systems: fall through
	 * to exit(1) in the caller. */
}
