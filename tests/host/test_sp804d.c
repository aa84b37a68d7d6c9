/*
 * tests/host/test_sp804d.c: sp804d's daemon-side logic on the host. The
 * parked reads: oldest first per timer, by tag for cancels, full table
 * refused; the timer: write record: microseconds rounded up, saturation,
 * refusals of unknown flags and bad timespecs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "drivers/sp804d/park.h"
#include "drivers/sp804d/timer_proto.h"

#define NSEC_PER_SEC 1000000000LL

static void test_park_order(void **state)
{
	struct park p;
	uint64_t tag;
	int timer;

	(void)state;
	park_init(&p);
	assert_false(park_waiting(&p, 3));
	assert_int_equal(park_add(&p, 3, 100), 0);
	assert_int_equal(park_add(&p, 5, 200), 0);
	assert_int_equal(park_add(&p, 3, 300), 0);
	assert_true(park_waiting(&p, 3));
	/* A cancel takes its own read, whatever timer. */
	assert_true(park_take_tag(&p, 200, &timer));
	assert_int_equal(timer, 5);
	assert_false(park_take_tag(&p, 200, &timer));
	assert_false(park_waiting(&p, 5));
	/* Oldest first, even when a newer one sits in an earlier slot. */
	assert_int_equal(park_add(&p, 3, 400), 0); /* reuses the freed slot */
	assert_true(park_take_timer(&p, 3, &tag));
	assert_int_equal(tag, 100);
	assert_true(park_take_timer(&p, 3, &tag));
	assert_int_equal(tag, 300);
	assert_true(park_take_timer(&p, 3, &tag));
	assert_int_equal(tag, 400);
	assert_false(park_take_timer(&p, 3, &tag));
}

static void test_park_full(void **state)
{
	struct park p;
	uint64_t tag;

	(void)state;
	park_init(&p);
	for (int i = 0; i < PARK_MAX; i++)
		assert_int_equal(park_add(&p, 1, (uint64_t)i), 0);
	assert_int_equal(park_add(&p, 1, PARK_MAX), -EAGAIN);
	assert_true(park_take_timer(&p, 1, &tag));
	assert_int_equal(tag, 0);
	assert_int_equal(park_add(&p, 1, PARK_MAX), 0);
}

static void test_setting(void **state)
{
	struct timer_setting s = { .value = { 1, 1 }, .interval = { 0, 999 } };
	uint64_t value, interval;
	unsigned flags;

	(void)state;
	assert_int_equal(timer_setting_parse(&s, &flags, &value, &interval), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(value, 1000001);  /* 1 ns rounds up to a microsecond */
	assert_int_equal(interval, 1);
	s.flags = TIMER_SETTING_ABSTIME;
	s.value = (struct timer_timespec){ INT64_MAX, 0 };
	assert_int_equal(timer_setting_parse(&s, &flags, &value, &interval), 0);
	assert_int_equal(flags, TIMER_SETTING_ABSTIME);
	assert_int_equal(value, UINT64_MAX); /* saturates: never */
	s.flags = 2;
	assert_int_equal(timer_setting_parse(&s, &flags, &value, &interval), -EINVAL);
	s.flags = 0;
	s.value = (struct timer_timespec){ 0, NSEC_PER_SEC };
	assert_int_equal(timer_setting_parse(&s, &flags, &value, &interval), -EINVAL);
	s.value = (struct timer_timespec){ -1, 0 };
	assert_int_equal(timer_setting_parse(&s, &flags, &value, &interval), -EINVAL);
	s.value = (struct timer_timespec){ 0, 0 };
	s.interval = (struct timer_timespec){ 0, -1 };
	assert_int_equal(timer_setting_parse(&s, &flags, &value, &interval), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_park_order),
		cmocka_unit_test(test_park_full),
		cmocka_unit_test(test_setting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
