/*
 * t_enosys: unknown system-call numbers fail with ENOSYS, and the process
 * carries on. Calling one unknown number many times logs it once per
 * process: on Anode the kernel log (sys:log) holds exactly one line for it
 * from this process and one from a child that calls it too; where there is
 * no sys:log (Linux logs nothing) that check is skipped.
 * Prints "PASS: t_enosys" or "FAIL: t_enosys: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Numbers no AArch64 Linux call uses: an arch-specific gap, beyond the
 * table, far beyond it, and negative. */
static const long unknown[] = { 244, 500, 1000, 0x7fffffff, -1 };
#define REPEATED 244          /* the number called many times */
#define REPEATS 1000
#define KLOG "sys:log"        /* Anode's kernel log */
#define LOG_MAX (128 * 1024)  /* more than the kernel keeps */

static int call_repeatedly(void)
{
	for (int i = 0; i < REPEATS; i++)
		if (syscall(REPEATED) != -1 || errno != ENOSYS)
			return 1;
	return 0;
}

/* How many lines of log report REPEATED from pid. */
static int count_lines(const char *log, pid_t pid)
{
	char line[64];
	int n = 0;

	snprintf(line, sizeof(line), "syscall: unknown number %d from pid %d ", REPEATED, (int)pid);
	for (const char *p = log; (p = strstr(p, line)); p++)
		n++;
	return n;
}

/* 1 if the log shows REPEATED once from each of self and child, 0 if there
 * is no log to look at; prints and returns -1 otherwise. */
static int check_log(pid_t self, pid_t child)
{
	static char log[LOG_MAX];
	size_t len = 0;
	ssize_t n;
	int fd = open(KLOG, O_RDONLY);

	if (fd < 0)
		return 0;
	while (len < sizeof(log) - 1 && (n = read(fd, log + len, sizeof(log) - 1 - len)) > 0)
		len += (size_t)n;
	log[len] = '\0';
	close(fd);
	for (int i = 0; i < 2; i++) {
		pid_t pid = i ? child : self;
		int lines = count_lines(log, pid);
		if (lines != 1) {
			printf("t_enosys: %d log lines for syscall %d from pid %d after %d calls, want 1\n",
			       lines, REPEATED, (int)pid, REPEATS);
			return -1;
		}
	}
	return 1;
}

int main(void)
{
	int failures = 0, status;

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

	fflush(stdout);
	pid_t child = fork();
	if (child < 0) {
		printf("FAIL: t_enosys: fork: %s\n", strerror(errno));
		return 1;
	}
	if (child == 0)
		_exit(call_repeatedly());
	if (call_repeatedly() || waitpid(child, &status, 0) != child || status != 0) {
		printf("FAIL: t_enosys: repeated calls did not all return ENOSYS\n");
		return 1;
	}
	switch (check_log(pid, child)) {
	case 1:
		printf("t_enosys: %d calls of %d logged once per process ok\n", REPEATS, REPEATED);
		break;
	case 0:
		printf("t_enosys: no %s here: log check skipped\n", KLOG);
		break;
	default:
		printf("FAIL: t_enosys: an unknown call is logged more than once per process\n");
		return 1;
	}
	printf("PASS: t_enosys\n");
	return 0;
}
