/*
 * dmesg: print the kernel log (sys:log) on standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KERNEL_LOG "sys:log"

static char buf[16 * 1024];

int main(void)
{
	int fd = open(KERNEL_LOG, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "dmesg: %s: %s\n", KERNEL_LOG, strerror(errno));
		return 1;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "dmesg: %s: %s\n", KERNEL_LOG, strerror(errno));
			return 1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "dmesg: write error: %s\n", strerror(errno));
				return 1;
			}
			off += w;
		}
	}
}
