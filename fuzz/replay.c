/*
 * replay.c -- runs one harness's LLVMFuzzerTestOneInput over files, so a
 * corpus or a crash file runs without libFuzzer (under valgrind, gdb, or a
 * plain sanitizer build):
 *     replay FILE_OR_DIR...
 * Directories are read one level deep. Prints how many inputs ran; a failed
 * check aborts as it would under libFuzzer.
 */
#include "fuzz_common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long count;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t size = 0, cap = 0, n;
	if (f == NULL) {
		perror(path);
		return 1;
	}
	do {
		if (size == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (buf == NULL) {
				perror("realloc");
				exit(1);
			}
		}
		n = fread(buf + size, 1, cap - size, f);
		size += n;
	} while (n != 0);
	int err = ferror(f);
	fclose(f);
	if (err) {
		perror(path);
		free(buf);
		return 1;
	}
	LLVMFuzzerTestOneInput(buf, size);
	free(buf);
	count++;
	return 0;
}

static int replay_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int bad = 0;
	if (d == NULL) {
		perror(path);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char full[4096];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			bad |= replay_file(full);
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			bad = 1;
		} else if (S_ISDIR(st.st_mode)) {
			bad |= replay_dir(argv[i]);
		} else {
			bad |= replay_file(argv[i]);
		}
	}
	printf("replay: %lu inputs\n", count);
	return bad;
}
