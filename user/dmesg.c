/*
 * dmesg: print the kernel log (sys:log) on standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "copy.h"

#define KERNEL_LOG "sys:log"

int main(void)
{
	int fd = open(KERNEL_LOG, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "dmesg: %s: %s\n", KERNEL_LOG, strerror(errno));
		return 1;
	}
	return copy_to_stdout(fd, "dmesg", KERNEL_LOG);
}
