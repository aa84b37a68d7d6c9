/*
 * t_preempt: the timer preempts CPU-bound processes.
 *
 * Two children spin, counting work, until a deadline shared by both, about
 * one second after the start (CLOCK_MONOTONIC). Neither ever blocks or
 * yields, so unless the kernel preempts them, the first to run uses up the
 * whole second and the other counts nothing. Each reports its count through
 * a pipe: both must be above zero and within a factor of MAX_RATIO of each
 * other. Prints "PASS: t_preempt" or "FAIL: t_preempt: <reason>".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPIN_NS 1000000000LL	/* how long the children compete */
#define WORK_PER_CHECK 10000	/* loop iterations between clock reads */
#define MAX_RATIO 5		/* allowed imbalance between the two counts */

#define FAIL(...) do { \
	printf("FAIL: t_preempt: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Count units of work until the deadline; the first check may already be
 * past it if this process only got the CPU after the deadline. */
static uint64_t spin_until(int64_t deadline)
{
	volatile uint64_t sink = 0;
	uint64_t count = 0;

	while (now_ns() < deadline) {
		for (int i = 0; i < WORK_PER_CHECK; i++)
			sink += (uint64_t)i;
		count++;
	}
	return count;
}

int main(void)
{
	int fds[2];
	pid_t pid[2];
	uint64_t count[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_preempt: start: two spinning children for %lld ms\n",
	       SPIN_NS / 1000000);
	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));

	int64_t deadline = now_ns() + SPIN_NS;
	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			FAIL("fork: %s", strerror(errno));
		if (pid[i] == 0) {
			uint64_t msg[2] = { (uint64_t)i, spin_until(deadline) };
			_exit(write(fds[1], msg, sizeof(msg)) == sizeof(msg) ? 0 : 1);
		}
	}
	close(fds[1]);
	for (int i = 0; i < 2; i++) {
		uint64_t msg[2];
		if (read(fds[0], msg, sizeof(msg)) != sizeof(msg) || msg[0] > 1)
			FAIL("no count from a child");
		count[msg[0]] = msg[1];
	}
	for (int i = 0; i < 2; i++) {
		int status;
		if (waitpid(pid[i], &status, 0) != pid[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			FAIL("child %d failed", i);
	}
	int64_t late = now_ns() - deadline;

	printf("t_preempt: counts %llu and %llu (finished %lld ms after the deadline)\n",
	       (unsigned long long)count[0], (unsigned long long)count[1],
	       (long long)(late / 1000000));
	if (count[0] == 0 || count[1] == 0)
		FAIL("a child made no progress: counts %llu and %llu",
		     (unsigned long long)count[0], (unsigned long long)count[1]);
	uint64_t lo = count[0] < count[1] ? count[0] : count[1];
	uint64_t hi = count[0] < count[1] ? count[1] : count[0];
	if (hi > MAX_RATIO * lo)
		FAIL("counts %llu and %llu differ by more than a factor of %d",
		     (unsigned long long)count[0], (unsigned long long)count[1],
		     MAX_RATIO);
	printf("PASS: t_preempt\n");
	return 0;
}
