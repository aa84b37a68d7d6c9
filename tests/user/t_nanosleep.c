/*
 * t_nanosleep: nanosleep sleeps long enough, and not much longer.
 *
 * Each of ROUNDS sleeps of SLEEP_MS, timed with CLOCK_MONOTONIC, must last at
 * least SLEEP_MS and at most SLEEP_MS + TICK_MS (the kernel may round the
 * wake-up to its 10 ms tick) + SLACK_MS. Also: a zero-length sleep returns
 * at once, and tv_nsec out of range fails with EINVAL. And huge sleeps (see
 * huge_sleeps[]) do not return: a deadline that wrapped around would end
 * them at once. Each runs in a child; after WATCH_MS every child must still
 * be asleep; then SIGKILL ends them and they are reaped.
 * Prints "PASS: t_nanosleep" or "FAIL: t_nanosleep: <reason>".
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLEEP_MS 50
#define TICK_MS 10		/* Anode's timer tick */
#define SLACK_MS 15		/* scheduling and emulation overhead */
#define UPPER_MS (SLEEP_MS + TICK_MS + SLACK_MS)
#define ROUNDS 5
#define WATCH_MS 200		/* how long the huge sleeps must last at least */
#define NSEC_PER_SEC 1000000000LL
/* UINT64_MAX ns is 18446744073 s + 709551615 ns: one ns less is the
 * longest time that converts to nanoseconds without overflowing. */
#define U64_MAX_NS_SEC 18446744073LL
#define U64_MAX_NS_NSEC 709551615L
#define SLEEP_RETURNED 2	/* a child's exit status if its sleep ended */

#define FAIL(...) do { \
	printf("FAIL: t_nanosleep: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static int64_t now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		FAIL("clock_gettime(CLOCK_MONOTONIC) failed");
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

enum sleep_call { NANOSLEEP, CLOCK_REL, CLOCK_ABS };

static const struct huge_sleep {
	const char *what;
	enum sleep_call call;
	int clock;
	struct timespec ts;
} huge_sleeps[] = {
	/* In range as nanoseconds, but now + it wraps past 2^64 ns. */
	{ "nanosleep(2^64 - 2 ns)", NANOSLEEP, 0, { U64_MAX_NS_SEC, U64_MAX_NS_NSEC - 1 } },
	{ "nanosleep(2^64 - 1 s)", NANOSLEEP, 0, { U64_MAX_NS_SEC, 0 } },
	/* The conversion to nanoseconds itself overflows. */
	{ "nanosleep(INT64_MAX / 2 s)", NANOSLEEP, 0, { INT64_MAX / 2, NSEC_PER_SEC - 1 } },
	{ "nanosleep(INT64_MAX s)", NANOSLEEP, 0, { INT64_MAX, 0 } },
	{ "clock_nanosleep(MONOTONIC, 2^64 - 2 ns)", CLOCK_REL, CLOCK_MONOTONIC,
	  { U64_MAX_NS_SEC, U64_MAX_NS_NSEC - 1 } },
	{ "clock_nanosleep(MONOTONIC, INT64_MAX s)", CLOCK_REL, CLOCK_MONOTONIC, { INT64_MAX, 0 } },
	{ "clock_nanosleep(MONOTONIC, ABSTIME 2^64 - 2 ns)", CLOCK_ABS, CLOCK_MONOTONIC,
	  { U64_MAX_NS_SEC, U64_MAX_NS_NSEC - 1 } },
	{ "clock_nanosleep(REALTIME, ABSTIME INT64_MAX s)", CLOCK_ABS, CLOCK_REALTIME,
	  { INT64_MAX, 0 } },
};
#define HUGE_SLEEPS (sizeof(huge_sleeps) / sizeof(huge_sleeps[0]))

/* The child's side: the raw system calls, so that each case reaches the
 * kernel as written (musl's nanosleep is SYS_nanosleep too). */
static void huge_sleep_child(const struct huge_sleep *h)
{
	if (h->call == NANOSLEEP)
		syscall(SYS_nanosleep, &h->ts, NULL);
	else
		syscall(SYS_clock_nanosleep, h->clock, h->call == CLOCK_ABS ? TIMER_ABSTIME : 0,
			&h->ts, NULL);
	_exit(SLEEP_RETURNED);
}

static void check_huge_sleeps(void)
{
	pid_t pids[HUGE_SLEEPS];
	struct timespec watch = { 0, WATCH_MS * 1000000L };

	for (size_t i = 0; i < HUGE_SLEEPS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			FAIL("fork: %s", strerror(errno));
		if (pids[i] == 0)
			huge_sleep_child(&huge_sleeps[i]);
	}
	nanosleep(&watch, NULL);
	for (size_t i = 0; i < HUGE_SLEEPS; i++) {
		int status;
		pid_t r = waitpid(pids[i], &status, WNOHANG);

		if (r != 0)
			FAIL("%s ended within %d ms (waitpid %d, status %#x)", huge_sleeps[i].what,
			     WATCH_MS, (int)r, r > 0 ? status : 0);
	}
	for (size_t i = 0; i < HUGE_SLEEPS; i++) {
		int status;

		if (kill(pids[i], SIGKILL) != 0)
			FAIL("kill(%d, SIGKILL): %s", (int)pids[i], strerror(errno));
		if (waitpid(pids[i], &status, 0) != pids[i])
			FAIL("waitpid(%d): %s", (int)pids[i], strerror(errno));
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			FAIL("%s: status %#x, want killed by SIGKILL", huge_sleeps[i].what, status);
	}
	printf("t_nanosleep: %zu huge sleeps still asleep after %d ms, killed and reaped\n",
	       HUGE_SLEEPS, WATCH_MS);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_nanosleep: start: %d x %d ms, allowed up to %d ms each\n",
	       ROUNDS, SLEEP_MS, UPPER_MS);

	for (int i = 0; i < ROUNDS; i++) {
		struct timespec req = { 0, SLEEP_MS * 1000000L };
		int64_t t0 = now_ns();
		if (nanosleep(&req, NULL) < 0)
			FAIL("nanosleep failed (errno %d)", errno);
		int64_t us = (now_ns() - t0) / 1000;
		printf("t_nanosleep: slept %lld.%03lld ms\n",
		       (long long)(us / 1000), (long long)(us % 1000));
		if (us < SLEEP_MS * 1000LL)
			FAIL("a %d ms sleep lasted only %lld us", SLEEP_MS, (long long)us);
		if (us > UPPER_MS * 1000LL)
			FAIL("a %d ms sleep lasted %lld us, more than %d ms",
			     SLEEP_MS, (long long)us, UPPER_MS);
	}

	struct timespec zero = { 0, 0 };
	int64_t t0 = now_ns();
	if (nanosleep(&zero, NULL) < 0)
		FAIL("zero-length nanosleep failed (errno %d)", errno);
	if (now_ns() - t0 > (TICK_MS + SLACK_MS) * 1000000LL)
		FAIL("zero-length nanosleep took more than %d ms", TICK_MS + SLACK_MS);

	struct timespec bad = { 0, 1000000000L };
	errno = 0;
	if (nanosleep(&bad, NULL) != -1 || errno != EINVAL)
		FAIL("nanosleep with tv_nsec = 1e9: errno %d, want EINVAL", errno);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	errno = 0;
	if (nanosleep(&bad, NULL) != -1 || errno != EINVAL)
		FAIL("nanosleep with tv_sec = -1: errno %d, want EINVAL", errno);
	printf("t_nanosleep: zero-length and invalid sleeps ok\n");

	check_huge_sleeps();

	printf("PASS: t_nanosleep\n");
	return 0;
}
