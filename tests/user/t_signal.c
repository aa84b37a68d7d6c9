/*
 * t_signal: kill(2) and default actions (handlers: t_sigaction): SIGTERM and
 * SIGKILL end the target (a sleeping one and a spinning one), and its
 * parent sees the signal in the wait status; signal 0 tests for existence;
 * ESRCH for a process that is gone, EINVAL for a bad signal number.
 * kill(0, ...) signals the caller's process group (which holds the caller),
 * kill(-1, 0) finds the live child, and a negative pid naming no group
 * gives ESRCH. kill(0, SIGTERM) runs in a child that first made a group of
 * its own (setpgid), so that it stays within the test.
 * Prints "PASS: t_signal" or "FAIL: t_signal: <reason>".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD_SIGNAL 1000
#define CHILD_SLEEP_S 30   /* far longer than the test: only a kill ends it */
#define NO_SUCH_GROUP 30000 /* no process group has this id */

#define FAIL(...) do { \
	printf("FAIL: t_signal: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* Starts a child that sleeps (spin = 0) or spins (spin = 1) forever, and
 * waits until it runs (it writes a byte to the pipe). */
static pid_t start_child(int spin)
{
	int fds[2];
	char c;
	pid_t pid;

	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		write(fds[1], "r", 1);
		if (spin)
			for (volatile unsigned long n = 0;; n++)
				;
		sleep(CHILD_SLEEP_S);
		_exit(0);
	}
	if (read(fds[0], &c, 1) != 1)
		FAIL("the child did not start");
	close(fds[0]);
	close(fds[1]);
	return pid;
}

static void kill_and_check(int spin, int sig)
{
	pid_t pid = start_child(spin);
	int status;

	if (kill(pid, 0) != 0)
		FAIL("kill(pid, 0) on a live child: %s", strerror(errno));
	if (kill(pid, sig) != 0)
		FAIL("kill(%d): %s", sig, strerror(errno));
	if (waitpid(pid, &status, 0) != pid)
		FAIL("waitpid: %s", strerror(errno));
	if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
		FAIL("%s child killed by %d: status %#x", spin ? "spinning" : "sleeping", sig, status);
	errno = 0;
	if (kill(pid, 0) != -1 || errno != ESRCH)
		FAIL("kill of a reaped child: errno %d, want ESRCH", errno);
	printf("t_signal: %s child ended by signal %d ok\n", spin ? "spinning" : "sleeping", sig);
}

/* kill with pid 0 and negative pids (process groups). */
static void group_test(void)
{
	pid_t pid = start_child(0);
	int status;

	if (kill(0, 0) != 0)
		FAIL("kill(0, 0): %s", strerror(errno));
	if (kill(-1, 0) != 0)
		FAIL("kill(-1, 0) with a live child: %s", strerror(errno));
	errno = 0;
	if (kill(-NO_SUCH_GROUP, SIGTERM) != -1 || errno != ESRCH)
		FAIL("kill(-%d): errno %d, want ESRCH", NO_SUCH_GROUP, errno);
	errno = 0;
	if (kill(-NO_SUCH_GROUP, 0) != -1 || errno != ESRCH)
		FAIL("kill(-%d, 0): errno %d, want ESRCH", NO_SUCH_GROUP, errno);
	if (kill(pid, SIGKILL) != 0 || waitpid(pid, &status, 0) != pid)
		FAIL("ending the child: %s", strerror(errno));
	printf("t_signal: kill(0, 0), kill(-1, 0), ESRCH for no group ok\n");

	/* A child signals its own group, which holds it: it dies of it. */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		/* A group of its own: the signal must not reach the test. */
		if (setpgid(0, 0) != 0)
			_exit(0);
		kill(0, SIGTERM);
		_exit(1);
	}
	if (waitpid(pid, &status, 0) != pid)
		FAIL("waitpid: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		FAIL("setpgid(0, 0) in the child failed");
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
		FAIL("child after kill(0, SIGTERM): status %#x, want killed by SIGTERM", status);
	printf("t_signal: kill(0, SIGTERM) reaches the caller's group ok\n");
}

int main(void)
{
	struct timespec t0, t1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kill_and_check(0, SIGTERM);
	kill_and_check(0, SIGKILL);
	kill_and_check(1, SIGTERM);
	kill_and_check(1, SIGKILL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (t1.tv_sec - t0.tv_sec >= CHILD_SLEEP_S)
		FAIL("the sleeping children were not woken by the kill");
	errno = 0;
	if (kill(getpid(), BAD_SIGNAL) != -1 || errno != EINVAL)
		FAIL("kill with signal %d: errno %d, want EINVAL", BAD_SIGNAL, errno);
	if (kill(getpid(), 0) != 0)
		FAIL("kill(self, 0): %s", strerror(errno));
	group_test();
	printf("PASS: t_signal\n");
	return 0;
}
