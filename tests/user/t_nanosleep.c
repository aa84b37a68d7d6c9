/*
 * t_nanosleep: nanosleep sleeps long enough, and not much longer.
 *
 * Each of ROUNDS sleeps of SLEEP_MS, timed with CLOCK_MONOTONIC, must last at
 * least SLEEP_MS and at most SLEEP_MS + TICK_MS (the kernel may round the
 * wake-up to its 10 ms tick) + SLACK_MS. Also: a zero-length sleep returns
 * at once, and tv_nsec out of range fails with EINVAL.
 * Prints "PASS: t_nanosleep" or "FAIL: t_nanosleep: <reason>".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SLEEP_MS 50
#define TICK_MS 10		/* Anode's timer tick */
#define SLACK_MS 15		/* scheduling and emulation overhead */
#define UPPER_MS (SLEEP_MS + TICK_MS + SLACK_MS)
#define ROUNDS 5

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

	printf("PASS: t_nanosleep\n");
	return 0;
}
