/*
 * t_enosyslog: unknown system-call numbers cannot flood the kernel log.
 * CHILDREN processes each call one unknown number (each a new (number,
 * process) pair, which the kernel logs once); sys:log must then hold at
 * most LOG_BURST of their lines, the kernel's budget per 5 s (found by
 * /bin/fuzz, whose workers logged hundreds of lines each), and at least
 * one (the log still says what happened). Every call still fails with
 * ENOSYS. Anode only: Linux logs nothing for an unknown number.
 * Prints "PASS: t_enosyslog" or "FAIL: t_enosyslog: <reason>".
 */
#define TEST_NAME "t_enosyslog"
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define UNKNOWN 244           /* no AArch64 Linux call has it */
#define CHILDREN 40
#define LOG_BURST 10          /* syscall/syscall.c's ENOSYS_BURST */
#define KLOG "sys:log"
#define LOG_MAX (128 * 1024)  /* more than the kernel keeps */

static pid_t children[CHILDREN];

/* How many lines of the log report UNKNOWN from one of the children. */
static int count_lines(void)
{
	static char log[LOG_MAX];
	size_t len = 0;
	ssize_t n;
	int fd = open(KLOG, O_RDONLY), lines = 0;

	CHECK(fd >= 0, "open %s: %s", KLOG, strerror(errno));
	while (len < sizeof(log) - 1 && (n = read(fd, log + len, sizeof(log) - 1 - len)) > 0)
		len += (size_t)n;
	log[len] = '\0';
	close(fd);
	for (int i = 0; i < CHILDREN; i++) {
		char line[64];

		snprintf(line, sizeof(line), "syscall: unknown number %d from pid %d ", UNKNOWN,
			 (int)children[i]);
		lines += strstr(log, line) != NULL;
	}
	return lines;
}

int main(void)
{
	int lines;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < CHILDREN; i++) {
		int status;

		children[i] = fork();
		CHECK(children[i] >= 0, "fork: %s", strerror(errno));
		if (children[i] == 0)
			_exit(syscall(UNKNOWN) == -1 && errno == ENOSYS ? 0 : 1);
		CHECK(waitpid(children[i], &status, 0) == children[i], "waitpid: %s", strerror(errno));
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "syscall %d did not fail with ENOSYS",
		      UNKNOWN);
	}
	lines = count_lines();
	printf("t_enosyslog: %d of %d children's unknown calls logged\n", lines, CHILDREN);
	CHECK(lines >= 1 && lines <= LOG_BURST, "%d lines logged, want 1 to %d", lines, LOG_BURST);
	printf("PASS: t_enosyslog\n");
	return 0;
}
