/*
 * cat: copy files, or standard input, to standard output.
 *
 *   cat [FILE...]   no FILE, or "-": standard input
 *
 * A file that cannot be read is reported on standard error with its name;
 * the others are still copied, and the exit status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "copy.h"

static int copy(int fd, const char *name)
{
	return copy_to_stdout(fd, "cat", name);
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return copy(STDIN_FILENO, "standard input");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			status |= copy(STDIN_FILENO, "standard input");
			continue;
		}
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
