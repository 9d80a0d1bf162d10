/*
 * main.c -- clearxz, a drop-in for xz: the file loop and the exit status.
 *
 * Exit status as xz: 0 all went well, 1 an error, 2 a warning (unless -Q).
 * A signal (SIGINT & co) stops the loop; the process then dies by it.
 */
#include "cli.h"

#include <string.h>
#include <unistd.h>

/* Compressed data is binary: it never goes to, or comes from, a terminal
 * (xz refuses, and so does gzip). */
static void check_terminals(void)
{
	if (xzc_opt.mode == MODE_COMPRESS) {
		if ((xzc_opt.to_stdout || xzc_args_reads_stdin())
				&& isatty(STDOUT_FILENO)) {
			xzc_error("Compressed data cannot be written to a "
				  "terminal");
			xzc_try_help_exit();
		}
	} else if (xzc_opt.mode != MODE_LIST && xzc_args_reads_stdin()
			&& isatty(STDIN_FILENO)) {
		/* xz adds no "Try --help" line here. */
		xzc_error("Compressed data cannot be read from a terminal");
		xzc_exit(E_ERROR);
	}
}

int main(int argc, char **argv)
{
	xzc_file_init();
	xzc_msg_init(argv[0]);
	xzc_hw_init();
	xzc_args_parse(argc, argv);
	xzc_signals_init();
	check_terminals();
	xzc_set_file_counts(xzc_args_file_count());
	if (xzc_opt.mode != MODE_LIST)
		xzc_coder_prepare();

	xzc_sandbox_init();

	const char *name;
	while (!xzc_user_abort && (name = xzc_args_next_file()) != NULL) {
		if (name[0] == '\0') {
			xzc_error("%s", "Empty filename, skipping");
			continue;
		}
		if (xzc_opt.mode == MODE_LIST)
			xzc_list_file(name);
		else
			xzc_coder_run(name);
	}
	if (xzc_opt.mode == MODE_LIST && !xzc_user_abort)
		xzc_list_totals();
	xzc_exit(xzc_exit_status());
}
