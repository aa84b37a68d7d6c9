/*
 * tests/host/test_loadavg.c: host unit test of sched/loadavg.c, the load
 * average as Linux computes it: nothing runnable stays 0.00; one thread
 * always runnable brings the 1-minute average to 1 - 1/e (0.63) after a
 * minute and the 5- and 15-minute ones less far; it converges to exactly
 * 1.00; it decays back to 1/e of itself in a minute; the averages are
 * folded every 5 s (and a tick), and a late tick does not fold twice.
 * The test keeps its own copy of the averages' state: one process, run in
 * order, so each test begins where the last left the generator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sched/cpustat.h"

#define FOLDS_PER_MINUTE 12          /* one every 5 s */
#define ONE_MINUS_1_OVER_E 1294      /* (1 - 1/e) * 2048 */
#define ONE_OVER_E 753               /* 1/e * 2048 */
#define SLACK 8                      /* the fixed point's rounding over 12 folds */
#define MANY_FOLDS 2000

static void fold(unsigned long active, int times)
{
	for (int i = 0; i < times; i++)
		loadavg_update(active);
}

static void test_idle_stays_zero(void **state)
{
	unsigned long avg[3];

	(void)state;
	fold(0, FOLDS_PER_MINUTE);
	loadavg_get(avg);
	for (int i = 0; i < 3; i++)
		assert_int_equal(avg[i], 0);
}

static void test_rises_and_converges(void **state)
{
	unsigned long avg[3];

	(void)state;
	fold(1, FOLDS_PER_MINUTE);
	loadavg_get(avg);
	assert_in_range(avg[0], ONE_MINUS_1_OVER_E - SLACK, ONE_MINUS_1_OVER_E + SLACK);
	assert_true(avg[1] < avg[0] && avg[2] < avg[1] && avg[2] > 0);
	fold(1, MANY_FOLDS);
	loadavg_get(avg);
	for (int i = 0; i < 3; i++)
		assert_int_equal(avg[i], LOADAVG_FIXED_1);
}

static void test_decays(void **state)
{
	unsigned long avg[3];

	(void)state;
	fold(0, FOLDS_PER_MINUTE);
	loadavg_get(avg);
	assert_in_range(avg[0], ONE_OVER_E - SLACK, ONE_OVER_E + SLACK);
	fold(0, MANY_FOLDS);
	loadavg_get(avg);
	assert_int_equal(avg[0], 0);
}

static void test_due_every_period(void **state)
{
	(void)state;
	assert_false(loadavg_due(0));
	assert_false(loadavg_due(LOADAVG_FREQ_TICKS - 1));
	assert_true(loadavg_due(LOADAVG_FREQ_TICKS));
	assert_false(loadavg_due(LOADAVG_FREQ_TICKS + 1));
	/* Late: folded once, the next period counted from then. */
	assert_true(loadavg_due(3 * LOADAVG_FREQ_TICKS + 7));
	assert_false(loadavg_due(4 * LOADAVG_FREQ_TICKS));
	assert_true(loadavg_due(4 * LOADAVG_FREQ_TICKS + 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_stays_zero),
		cmocka_unit_test(test_rises_and_converges),
		cmocka_unit_test(test_decays),
		cmocka_unit_test(test_due_every_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
