/*
 * t_reboot: reboot(2) checks its magic numbers (EINVAL otherwise) and
 * powers the machine off with RB_POWER_OFF; it never returns then.
 * Prints "t_reboot: powering off" before the call that must not return;
 * "FAIL: t_reboot: <reason>" if anything else happens.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define BAD_MAGIC 12345
#define BAD_COMMAND 0x0badc0de

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	errno = 0;
	if (syscall(SYS_reboot, BAD_MAGIC, LINUX_REBOOT_MAGIC2, RB_POWER_OFF, 0) != -1 || errno != EINVAL) {
		printf("FAIL: t_reboot: bad magic accepted (errno %d)\n", errno);
		return 1;
	}
	errno = 0;
	if (syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, BAD_COMMAND, 0) != -1 ||
	    errno != EINVAL) {
		printf("FAIL: t_reboot: bad command accepted (errno %d)\n", errno);
		return 1;
	}
	printf("t_reboot: powering off\n");
	reboot(RB_POWER_OFF);
	printf("FAIL: t_reboot: reboot returned: %s\n", strerror(errno));
	return 1;
}
