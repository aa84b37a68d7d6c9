/*
 * user/copy.h: copying a file descriptor to standard output, shared by cat
 * and dmesg (each program is one .c file; this header holds the one loop
 * they share).
 */
#ifndef USER_COPY_H
#define USER_COPY_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define COPY_BUF_SIZE (64 * 1024)

/* Writes all n bytes of p to fd; 0 on success, -1 with errno set. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copies fd to standard output; 0 on success, 1 after reporting an error
 * on standard error as "prog: name: reason". */
static int copy_to_stdout(int fd, const char *prog, const char *name)
{
	static char buf[COPY_BUF_SIZE];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
			return 1;
		}
		if (write_all(STDOUT_FILENO, buf, (size_t)n) < 0) {
			fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
			return 1;
		}
	}
}

#endif
