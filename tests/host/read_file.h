/*
 * tests/host/read_file.h: a host test's input file (a dumped device tree)
 * read whole into a malloc'd buffer. Header-only: each test is one program.
 */
#ifndef TESTS_HOST_READ_FILE_H
#define TESTS_HOST_READ_FILE_H

#include <stdio.h>
#include <stdlib.h>

/* The file's bytes (free them) and *len, or NULL if it cannot be read. */
static inline void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0)
		return NULL;
	rewind(f);
	buf = malloc((size_t)size);
	if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/* The program's one argument, a file, read whole; exits 2 (a usage
 * error, not a test failure) when it is missing or unreadable. */
static inline void *read_arg_file(int argc, char **argv, const char *what, size_t *len)
{
	void *buf;

	if (argc != 2) {
		fprintf(stderr, "usage: %s %s\n", argv[0], what);
		exit(2);
	}
	buf = read_file(argv[1], len);
	if (buf == NULL) {
		fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
		exit(2);
	}
	return buf;
}

#endif
