/*
 * t_forkexec: fork, execve and wait4.
 *
 * Runs /bin/true and /bin/false, and itself (argv[0]) with "exit N" to exit
 * with chosen codes 0..255, checking wait4's status decoding (WIFEXITED,
 * WEXITSTATUS) and returned pid; execve of a missing file fails with ENOENT
 * in the child; WNOHANG returns 0 while a child still runs (it blocks on a
 * pipe until the parent closes it); wait4's rusage holds the CPU time of a
 * child that spun (and a bad rusage pointer gives EFAULT); wait4 with no
 * children left fails with ECHILD.
 * Prints "PASS: t_forkexec" or "FAIL: t_forkexec: <reason>".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_MS 1000000L
#define US_PER_MS 1000L
#define SPIN_MS 200          /* CPU time the rusage child burns */
#define SPIN_MIN_MS 180      /* what rusage must show at least (accounting slack) */
#define WALL_SLACK_MS 20     /* rusage may exceed the wall time by a tick or two */
#define UNMAPPED_ADDR 8      /* in user space, never mapped (page 0) */

extern char **environ;

static const char *self;

#define FAIL(...) do { \
	printf("FAIL: t_forkexec: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* Fork and exec argv; returns the child's pid. The child exits 127 if
 * execve fails, or with the errno of the failure if errno_exit is set. */
static pid_t spawn(char *const argv[], int errno_exit)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		execve(argv[0], argv, environ);
		_exit(errno_exit ? errno : 127);
	}
	return pid;
}

/* Wait for pid; returns the raw status. */
static int reap(pid_t pid)
{
	int status;
	pid_t got = wait4(pid, &status, 0, NULL);
	if (got != pid)
		FAIL("wait4(%d) returned %d (%s)", (int)pid, (int)got,
		     got < 0 ? strerror(errno) : "wrong pid");
	return status;
}

/* Run argv and check it exited normally with code want. */
static void expect_exit(char *const argv[], int want)
{
	char cmd[256] = "";
	for (int i = 0; argv[i]; i++)
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s",
			 i ? " " : "", argv[i]);

	int status = reap(spawn(argv, 0));
	if (!WIFEXITED(status))
		FAIL("%s: status %#x is not a normal exit", cmd, status);
	if (WEXITSTATUS(status) != want)
		FAIL("%s: exit code %d, want %d", cmd, WEXITSTATUS(status), want);
	printf("t_forkexec: %s -> exit %d ok\n", cmd, want);
}

static long ms_since(const struct timespec *t0, clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / NS_PER_MS;
}

/* wait4's rusage: a child that burns SPIN_MS of CPU time shows at least
 * SPIN_MIN_MS of it (user plus system: Anode reports all of it as user
 * time) and no more than the wall time it took. As on Linux, a rusage
 * pointer that faults gives EFAULT after the child is reaped. */
static void rusage_test(void)
{
	struct timespec wall0, cpu0 = { 0, 0 };
	struct rusage ru;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &wall0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		while (ms_since(&cpu0, CLOCK_PROCESS_CPUTIME_ID) < SPIN_MS)
			;
		_exit(0);
	}
	memset(&ru, 0xff, sizeof(ru));
	if (wait4(pid, &status, 0, &ru) != pid)
		FAIL("wait4 with rusage: %s", strerror(errno));
	long wall_ms = ms_since(&wall0, CLOCK_MONOTONIC);
	long cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
		      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / US_PER_MS;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("spinning child: status %#x", status);
	if (ru.ru_utime.tv_usec < 0 || ru.ru_utime.tv_usec >= 1000 * US_PER_MS ||
	    ru.ru_stime.tv_usec < 0 || ru.ru_stime.tv_usec >= 1000 * US_PER_MS)
		FAIL("rusage times are not valid timevals");
	if (cpu_ms < SPIN_MIN_MS || cpu_ms > wall_ms + WALL_SLACK_MS)
		FAIL("rusage shows %ld ms of CPU for a %d ms spin that took %ld ms", cpu_ms, SPIN_MS, wall_ms);
	printf("t_forkexec: rusage shows %ld ms of CPU for a %d ms spin ok\n", cpu_ms, SPIN_MS);

	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(0);
	errno = 0;
	if (wait4(pid, &status, 0, (struct rusage *)UNMAPPED_ADDR) != -1 || errno != EFAULT)
		FAIL("wait4 with an unmapped rusage: errno %d, want EFAULT", errno);
	errno = 0;
	if (wait4(pid, &status, WNOHANG, NULL) != -1 || errno != ECHILD)
		FAIL("after EFAULT the child was not reaped: errno %d", errno);
	printf("t_forkexec: wait4 with a bad rusage pointer -> EFAULT ok\n");
}

int main(int argc, char *argv[])
{
	/* Re-executed as "t_forkexec exit N": just exit with N. */
	if (argc == 3 && strcmp(argv[1], "exit") == 0)
		_exit(atoi(argv[2]));

	setvbuf(stdout, NULL, _IOLBF, 0);
	self = argv[0];
	printf("t_forkexec: start (self is %s)\n", self);

	/* fork: both sides return, the child sees its parent's pid. */
	pid_t parent = getpid();
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(getppid() == parent && getpid() != parent ? 7 : 8);
	int status = reap(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 7)
		FAIL("child of fork: status %#x, want exit 7", status);
	printf("t_forkexec: fork and getppid ok\n");

	expect_exit((char *[]){ "/bin/true", NULL }, 0);
	expect_exit((char *[]){ "/bin/false", NULL }, 1);
	static const int codes[] = { 0, 1, 42, 128, 200, 255 };
	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char arg[8];
		snprintf(arg, sizeof(arg), "%d", codes[i]);
		expect_exit((char *[]){ (char *)self, "exit", arg, NULL }, codes[i]);
	}

	/* execve of a missing file fails in the child with ENOENT. */
	status = reap(spawn((char *[]){ "/bin/no-such-program", NULL }, 1));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != ENOENT)
		FAIL("execve of a missing file: status %#x, want exit ENOENT (%d)",
		     status, ENOENT);
	printf("t_forkexec: execve of a missing file -> ENOENT ok\n");

	/* WNOHANG: 0 while the child blocks reading a pipe, then its status. */
	int fds[2];
	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		char c;
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 33 : 34);
	}
	close(fds[0]);
	for (int i = 0; i < 3; i++) {
		pid_t got = wait4(pid, &status, WNOHANG, NULL);
		if (got != 0)
			FAIL("wait4(WNOHANG) on a running child returned %d (%s)",
			     (int)got, got < 0 ? strerror(errno) : "a pid");
		got = wait4(-1, &status, WNOHANG, NULL);
		if (got != 0)
			FAIL("wait4(-1, WNOHANG) on a running child returned %d", (int)got);
	}
	close(fds[1]);
	status = reap(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 33)
		FAIL("pipe-blocked child: status %#x, want exit 33", status);
	printf("t_forkexec: WNOHANG returns 0 while the child runs ok\n");

	rusage_test();

	/* No children left: ECHILD, whether waiting for any or for one pid. */
	errno = 0;
	if (wait4(-1, &status, 0, NULL) != -1 || errno != ECHILD)
		FAIL("wait4(-1) with no children: errno %d, want ECHILD", errno);
	errno = 0;
	if (wait4(pid, &status, WNOHANG, NULL) != -1 || errno != ECHILD)
		FAIL("wait4 of a reaped child: errno %d, want ECHILD", errno);
	errno = 0;
	if (wait4(1, &status, 0, NULL) != -1 || errno != ECHILD)
		FAIL("wait4 of a process that is not a child: errno %d, want ECHILD", errno);
	printf("t_forkexec: ECHILD with no children ok\n");

	printf("PASS: t_forkexec\n");
	return 0;
}
