/*
 * t_killnice: SIGKILL ends a process whose threads run at nice 19 while
 * busy nice-0 processes keep every CPU (found by /bin/fuzz: a worker that
 * had niced itself and was killed stayed READY for over 20 s, because
 * Anode's run queues are strict levels and the dying thread's level never
 * came up). Two cases, each with one busy process per CPU plus one:
 *   - a nice-19 process spinning in user space, killed with SIGKILL;
 *   - a process whose second thread spins at nice 19 while its first
 *     calls _exit (the thread must die for the process to be reaped).
 * Each must be reaped before ALARM_S seconds (an alarm interrupts the
 * wait). Passes on Linux too (its scheduler is fair).
 * Prints "PASS: t_killnice" or "FAIL: t_killnice: <reason>".
 */
#define TEST_NAME "t_killnice"
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define NICE_LOW 19
#define ALARM_S 10
#define SPINNERS_MAX 16

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

static void spin(void)
{
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* Sets the calling thread's nice value (Linux: setpriority on a tid). */
static void nice_self(void)
{
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), NICE_LOW) != 0)
		_exit(2);
}

static void *nice_spinner(void *ready_fd)
{
	nice_self();
	if (write(*(int *)ready_fd, "r", 1) != 1)
		_exit(3);
	spin();
	return NULL;
}

/* Forks a child running fn with the write end of a pipe; returns once the
 * child said it is ready. */
static pid_t start(void (*fn)(int ready))
{
	int p[2];
	char c;
	pid_t pid;

	CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[0]);
		fn(p[1]);
		_exit(0);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1, "the child did not get ready");
	close(p[0]);
	return pid;
}

static void niced_process(int ready)
{
	nice_self();
	if (write(ready, "r", 1) != 1)
		_exit(3);
	spin();
}

static void exiting_process(int ready)
{
	pthread_t t;
	int fds[2];
	char c;

	if (pipe(fds) != 0 || pthread_create(&t, NULL, nice_spinner, &fds[1]) != 0)
		_exit(4);
	if (read(fds[0], &c, 1) != 1 || write(ready, "r", 1) != 1)
		_exit(5);
	_exit(0); /* the nice-19 thread must die too */
}

/* Waits for pid with busy nice-0 processes on every CPU; fails after
 * ALARM_S seconds. */
static void reap_under_load(pid_t pid, int sig, const char *what)
{
	pid_t spinners[SPINNERS_MAX];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = cpus > 0 && cpus < SPINNERS_MAX ? (int)cpus + 1 : SPINNERS_MAX, status;
	pid_t got;

	for (int i = 0; i < n; i++) {
		spinners[i] = fork();
		CHECK(spinners[i] >= 0, "fork: %s", strerror(errno));
		if (spinners[i] == 0)
			spin();
	}
	if (sig)
		CHECK(kill(pid, sig) == 0, "kill: %s", strerror(errno));
	alarmed = 0;
	alarm(ALARM_S);
	got = waitpid(pid, &status, 0);
	alarm(0);
	for (int i = 0; i < n; i++) {
		kill(spinners[i], SIGKILL);
		waitpid(spinners[i], NULL, 0);
	}
	CHECK(!alarmed, "%s: not reaped %d s later with %d busy processes", what, ALARM_S, n);
	CHECK(got == pid, "%s: waitpid: %s", what, strerror(errno));
	printf("t_killnice: %s: reaped (status %#x)\n", what, status);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	setvbuf(stdout, NULL, _IOLBF, 0);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	reap_under_load(start(niced_process), SIGKILL, "SIGKILL of a nice-19 process");
	reap_under_load(start(exiting_process), 0, "_exit with a nice-19 thread");
	printf("PASS: t_killnice\n");
	return 0;
}
