/*
 * t_semopen: named semaphores (musl's sem_open: a file in /dev/shm mapped
 * shared, its word a shared futex). Two processes ping-pong 1000 times on
 * two semaphores (each wait bounded, so a lost wake fails, not hangs);
 * sem_trywait EAGAIN; sem_timedwait ETIMEDOUT after its deadline; O_EXCL
 * EEXIST; a value past SEM_VALUE_MAX EINVAL; sem_unlink, then ENOENT.
 * Prints "PASS: t_semopen" or "FAIL: t_semopen: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "timeutil.h"

#define TEST_NAME "t_semopen"
#include "check.h"

#define SEM_A "/t_semopen_a"
#define SEM_B "/t_semopen_b"
#define ROUNDS 1000
#define TIMEOUT_MS 50
#define SLACK_MS 2000          /* an upper bound for a 50 ms wait under TCG */
#define LONG_WAIT_MS 20000     /* "for ever" that still ends if broken */

static struct timespec abs_after_ms(long ms)
{
	return ns_ts(now_ns(CLOCK_REALTIME) + ms * NSEC_PER_MSEC);
}

static int wait_long(sem_t *s)
{
	struct timespec ts = abs_after_ms(LONG_WAIT_MS);

	while (sem_timedwait(s, &ts)) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

int main(void)
{
	sem_t *a, *b;
	int64_t t0, el;
	struct timespec ts;
	int st, v;
	pid_t pid;

	sem_unlink(SEM_A); /* leftovers of an earlier failed run */
	sem_unlink(SEM_B);
	CHECK_ERR(sem_open(SEM_A, O_CREAT | O_EXCL, 0600, (unsigned)SEM_VALUE_MAX + 1) == SEM_FAILED
		  ? -1 : 0, EINVAL, "value past SEM_VALUE_MAX");
	a = sem_open(SEM_A, O_CREAT | O_EXCL, 0600, 0);
	b = sem_open(SEM_B, O_CREAT | O_EXCL, 0600, 0);
	CHECK(a != SEM_FAILED && b != SEM_FAILED, "sem_open: %s", strerror(errno));
	CHECK_ERR(sem_open(SEM_A, O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED ? -1 : 0, EEXIST,
		  "second O_EXCL");

	pid = fork();
	if (pid == 0) {
		/* The child opens both by name, as an unrelated process would. */
		sem_t *ca = sem_open(SEM_A, 0), *cb = sem_open(SEM_B, 0);

		if (ca == SEM_FAILED || cb == SEM_FAILED)
			_exit(1);
		for (int i = 0; i < ROUNDS; i++) {
			if (wait_long(ca))
				_exit(2);
			if (sem_post(cb))
				_exit(3);
		}
		_exit(0);
	}
	for (int i = 0; i < ROUNDS; i++) {
		CHECK(sem_post(a) == 0, "post %d: %s", i, strerror(errno));
		CHECK(wait_long(b) == 0, "round %d: %s", i, strerror(errno));
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st), "child status %d",
	      WEXITSTATUS(st));
	CHECK(sem_getvalue(a, &v) == 0 && v == 0 && sem_getvalue(b, &v) == 0 && v == 0,
	      "values after the ping-pong");
	printf("t_semopen: %d rounds ok\n", ROUNDS);

	CHECK_ERR(sem_trywait(a), EAGAIN, "sem_trywait at zero");
	t0 = now_ns(CLOCK_MONOTONIC);
	ts = abs_after_ms(TIMEOUT_MS);
	CHECK_ERR(sem_timedwait(a, &ts), ETIMEDOUT, "sem_timedwait");
	el = (now_ns(CLOCK_MONOTONIC) - t0) / NSEC_PER_MSEC;
	CHECK(el >= TIMEOUT_MS - 1 && el < SLACK_MS, "sem_timedwait waited %lld ms", (long long)el);

	CHECK(sem_close(a) == 0 && sem_close(b) == 0, "sem_close");
	CHECK(sem_unlink(SEM_A) == 0 && sem_unlink(SEM_B) == 0, "sem_unlink: %s", strerror(errno));
	CHECK_ERR(sem_open(SEM_A, 0) == SEM_FAILED ? -1 : 0, ENOENT, "open after unlink");
	CHECK_ERR(sem_unlink(SEM_A), ENOENT, "second unlink");
	printf("PASS: t_semopen\n");
	return 0;
}
