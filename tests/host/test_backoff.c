/*
 * tests/host/test_backoff.c: host unit test of drivers/drvmgr/backoff.c,
 * the driver manager's restart policy, on a fake clock: the delay doubles
 * from 10 ms to the 10 s cap, a clean minute resets it, ten crashes within
 * a minute fail the driver (nine do not, nor ten spread over more than a
 * minute, and long runs short of a clean minute still count), a reset clears failure but keeps the restart count, and the
 * scaled policy tests use. A configuration error (exit status 2) fails the
 * driver at once, first exit or after crashes, while other exit statuses
 * and deaths by signal (even SIGKILL) back off as crashes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>

#include "drivers/drvmgr/backoff.h"

static struct backoff b;
static uint64_t now; /* the fake clock, ms */

/* wait(2)'s encoding: an exit status in bits 8-15, a signal in 0-6. */
#define EXITED(n) ((n) << 8)
#define SIGNALED(s) (s)
#define CRASH_STATUS EXITED(1)

static void start(void)
{
	struct backoff_policy pol = backoff_policy_scaled(1);

	now = 1000;
	backoff_init(&b, &pol);
	backoff_started(&b, now);
}

/* The driver runs for ran ms and ends with wait_status; the delay it gets
 * (the clock then moves past it and the driver starts again), or
 * UINT64_MAX if failed (the verdict then in *v when v is given). */
static uint64_t exit_after(uint64_t ran, int wait_status, enum backoff_verdict *v)
{
	uint64_t delay = 0;
	enum backoff_verdict got;

	now += ran;
	got = backoff_exited(&b, now, wait_status, &delay);
	if (v)
		*v = got;
	if (got != BACKOFF_RESTART)
		return UINT64_MAX;
	now += delay;
	backoff_started(&b, now);
	return delay;
}

static uint64_t crash_after(uint64_t ran)
{
	return exit_after(ran, CRASH_STATUS, NULL);
}

static void test_doubling_to_cap(void **state)
{
	/* 10, 20, ..., 5120, then the 10 s cap: runs of 7 s put ten crashes
	 * over more than a minute, so it never fails. */
	static const uint64_t want[] = { 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120,
					 10000, 10000, 10000 };
	(void)state;
	start();
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(crash_after(7000), want[i]);
	assert_false(b.failed);
	assert_int_equal(b.restarts, 13);
}

static void test_clean_minute_resets(void **state)
{
	(void)state;
	start();
	assert_int_equal(crash_after(5), 10);
	assert_int_equal(crash_after(5), 20);
	assert_int_equal(crash_after(5), 40);
	/* Just short of a minute: no reset. */
	assert_int_equal(crash_after(BACKOFF_CLEAN_MS - 1), 80);
	/* A full clean minute: back to the start. */
	assert_int_equal(crash_after(BACKOFF_CLEAN_MS), 10);
	assert_int_equal(crash_after(5), 20);
}

static void test_ten_crashes_fail(void **state)
{
	(void)state;
	start();
	for (int i = 0; i < BACKOFF_MAX_CRASHES - 1; i++)
		assert_int_not_equal(crash_after(1), UINT64_MAX);
	assert_false(b.failed);
	assert_int_equal(crash_after(1), UINT64_MAX);
	assert_true(b.failed);
	assert_int_equal(b.restarts, BACKOFF_MAX_CRASHES - 1);
}

static void test_long_runs_still_fail(void **state)
{
	(void)state;
	start();
	/* Runs of 6 s (not a clean minute) and the nine delays (5.11 s) put
	 * the tenth crash 59.11 s after the first: failed. */
	for (int i = 0; i < BACKOFF_MAX_CRASHES - 1; i++)
		assert_int_not_equal(crash_after(6000), UINT64_MAX);
	assert_int_equal(crash_after(6000), UINT64_MAX);
}

static void test_window_edge(void **state)
{
	uint64_t first;

	(void)state;
	start();
	first = now + 1;
	for (int i = 0; i < BACKOFF_MAX_CRASHES - 1; i++)
		crash_after(1);
	/* The tenth exactly a minute after the first: the first has left the
	 * window, so nine remain. */
	now = first + BACKOFF_WINDOW_MS - 1;
	assert_int_not_equal(crash_after(1), UINT64_MAX);
	assert_false(b.failed);
}

static void test_reset_clears_failure(void **state)
{
	(void)state;
	start();
	while (crash_after(1) != UINT64_MAX)
		;
	assert_true(b.failed);
	backoff_reset(&b);
	assert_false(b.failed);
	assert_int_equal(b.restarts, BACKOFF_MAX_CRASHES - 1);
	backoff_started(&b, now);
	assert_int_equal(crash_after(1), 10);
	assert_false(b.failed);
}

static void test_config_error_fails_at_once(void **state)
{
	enum backoff_verdict v;

	(void)state;
	start();
	assert_int_equal(exit_after(1, EXITED(BACKOFF_EXIT_CONFIG), &v), UINT64_MAX);
	assert_int_equal(v, BACKOFF_FAIL_CONFIG);
	assert_true(b.failed);
	assert_int_equal(b.restarts, 0);
	/* A restart on request tries again. */
	backoff_reset(&b);
	assert_false(b.failed);
	backoff_started(&b, now);
	assert_int_equal(exit_after(1, EXITED(BACKOFF_EXIT_CONFIG), &v), UINT64_MAX);
	assert_int_equal(v, BACKOFF_FAIL_CONFIG);
}

static void test_config_error_after_crashes(void **state)
{
	enum backoff_verdict v;

	(void)state;
	start();
	assert_int_equal(crash_after(1), 10);
	assert_int_equal(crash_after(1), 20);
	assert_int_equal(exit_after(1, EXITED(BACKOFF_EXIT_CONFIG), &v), UINT64_MAX);
	assert_int_equal(v, BACKOFF_FAIL_CONFIG);
	assert_int_equal(b.restarts, 2);
}

static void test_other_exits_are_crashes(void **state)
{
	/* Any other status, and a death by any signal, even one whose
	 * number is the configuration status: back-off, then the crash
	 * verdict. */
	static const int statuses[] = { EXITED(0), EXITED(1), EXITED(3), EXITED(126),
					EXITED(127), SIGNALED(SIGINT), SIGNALED(SIGSEGV),
					SIGNALED(SIGKILL) };
	enum backoff_verdict v;

	(void)state;
	start();
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		assert_int_equal(exit_after(1, statuses[i], NULL), 10ULL << i);
	assert_false(b.failed);
	while (exit_after(1, SIGNALED(SIGSEGV), &v) != UINT64_MAX)
		;
	assert_int_equal(v, BACKOFF_FAIL_CRASHES);
}

static void test_scaled(void **state)
{
	struct backoff_policy p = backoff_policy_scaled(100), z = backoff_policy_scaled(0);

	(void)state;
	assert_int_equal(p.initial_ms, 1);
	assert_int_equal(p.max_ms, 100);
	assert_int_equal(p.clean_ms, 600);
	assert_int_equal(p.window_ms, 600);
	/* No time scales to zero; 0 means unscaled. */
	assert_int_equal(backoff_policy_scaled(1000).initial_ms, 1);
	assert_int_equal(z.max_ms, BACKOFF_MAX_MS);
	backoff_init(&b, &p);
	now = 0;
	backoff_started(&b, now);
	assert_int_equal(crash_after(1), 1);
	assert_int_equal(crash_after(1), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubling_to_cap),
		cmocka_unit_test(test_clean_minute_resets),
		cmocka_unit_test(test_ten_crashes_fail),
		cmocka_unit_test(test_long_runs_still_fail),
		cmocka_unit_test(test_window_edge),
		cmocka_unit_test(test_reset_clears_failure),
		cmocka_unit_test(test_config_error_fails_at_once),
		cmocka_unit_test(test_config_error_after_crashes),
		cmocka_unit_test(test_other_exits_are_crashes),
		cmocka_unit_test(test_scaled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
