/*
 * t_enosys: unknown system-call numbers fail with ENOSYS, and the process
 * carries on. Prints "PASS: t_enosys" or "FAIL: t_enosys: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Numbers no AArch64 Linux call uses: an arch-specific gap, beyond the
 * table, far beyond it, and negative. */
static const long unknown[] = { 244, 500, 1000, 0x7fffffff, -1 };

int main(void)
{
	int failures = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_enosys: start\n");
	pid_t pid = getpid();
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		errno = 0;
		long ret = syscall(unknown[i], 1, 2, 3, 4, 5, 6);
		int err = errno;
		if (ret != -1 || err != ENOSYS) {
			printf("t_enosys: syscall(%ld) returned %ld, errno %d, want -1/ENOSYS\n",
			       unknown[i], ret, err);
			failures++;
		} else {
			printf("t_enosys: syscall(%ld) -> ENOSYS ok\n", unknown[i]);
		}
	}
	if (getpid() != pid) {
		printf("FAIL: t_enosys: getpid changed after unknown calls\n");
		return 1;
	}
	if (failures) {
		printf("FAIL: t_enosys: %d unknown call(s) did not return ENOSYS\n", failures);
		return 1;
	}
	printf("PASS: t_enosys\n");
	return 0;
}
