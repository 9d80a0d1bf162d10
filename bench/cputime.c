/*
 * cputime.c -- run a command and print the CPU time it used (user + system,
 * of it and its children, in seconds with microsecond resolution) and the
 * wall-clock time it took, as "CPU WALL".
 *     cputime OUTFILE COMMAND [ARG]...
 * The command keeps this program's stdin, stdout and stderr; the time goes
 * to OUTFILE, so it never mixes with the command's output. Exit status: the
 * command's, or 127 if it could not be run.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: cputime OUTFILE COMMAND [ARG]...\n");
		return 127;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("wait4");
		return 127;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	double t = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6
		   + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	FILE *f = fopen(argv[1], "w");
	if (f == NULL) {
		perror(argv[1]);
		return 127;
	}
	fprintf(f, "%.6f %.6f\n", t, wall);
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}
