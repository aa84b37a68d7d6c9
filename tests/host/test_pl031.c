/*
 * tests/host/test_pl031.c: pl031d's pure logic on the host. rtctime's
 * calendar against libc's (gmtime_r, timegm) over the PL031's whole 32-bit
 * range, its refusals (each field out of range, before the epoch, past
 * the counter), the Linux ioctl numbers, the text form both ways; and
 * devgrant_parse on grant: text (malformed lines refused, unknown kinds
 * skipped, the clock right).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "drivers/devgrant/devgrant.h"
#include "drivers/pl031d/rtctime.h"

/* Steps through 0..UINT32_MAX: a prime number of seconds, so every time
 * of day and every day of the month comes up. */
#define SWEEP_STEP 86413ULL
/* Linux's values (include/uapi/linux/rtc.h on AArch64). */
#define LINUX_RTC_RD_TIME 0x80247009u
#define LINUX_RTC_SET_TIME 0x4024700au
#define Y2K 946684800ULL       /* 2000-01-01T00:00:00Z */
#define LEAP_DAY_2024 1709164800ULL /* 2024-02-29T00:00:00Z */

static void check_against_libc(uint64_t secs)
{
	struct rtc_time tm;
	struct tm ref;
	time_t t = (time_t)secs;
	uint64_t back;

	rtctime_to_tm(secs, &tm);
	assert_non_null(gmtime_r(&t, &ref));
	assert_int_equal(tm.tm_year, ref.tm_year);
	assert_int_equal(tm.tm_mon, ref.tm_mon);
	assert_int_equal(tm.tm_mday, ref.tm_mday);
	assert_int_equal(tm.tm_hour, ref.tm_hour);
	assert_int_equal(tm.tm_min, ref.tm_min);
	assert_int_equal(tm.tm_sec, ref.tm_sec);
	assert_int_equal(tm.tm_wday, ref.tm_wday);
	assert_int_equal(tm.tm_yday, ref.tm_yday);
	assert_int_equal(rtctime_from_tm(&tm, &back), 0);
	assert_int_equal(back, secs);
}

static void test_calendar_matches_libc(void **state)
{
	(void)state;
	for (uint64_t s = 0; s <= RTCTIME_MAX; s += SWEEP_STEP)
		check_against_libc(s);
	check_against_libc(RTCTIME_MAX);
	check_against_libc(Y2K);
	check_against_libc(LEAP_DAY_2024);
	check_against_libc(LEAP_DAY_2024 - 1);
}

static void test_from_tm_refuses(void **state)
{
	struct rtc_time base, tm;
	uint64_t s;

	(void)state;
	rtctime_to_tm(Y2K, &base);
	tm = base; tm.tm_sec = 60;
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	tm = base; tm.tm_min = -1;
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	tm = base; tm.tm_hour = 24;
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	tm = base; tm.tm_mon = 12;
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	tm = base; tm.tm_mday = 0;
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	tm = base; tm.tm_mon = 1; tm.tm_mday = 30;  /* February 30 */
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	tm = base; tm.tm_mon = 1; tm.tm_mday = 29;  /* 2000 is a leap year */
	assert_int_equal(rtctime_from_tm(&tm, &s), 0);
	tm = base; tm.tm_year = 100 + 1; tm.tm_mon = 1; tm.tm_mday = 29; /* 2001 is not */
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	tm = base; tm.tm_year = 69;                 /* before the epoch */
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	rtctime_to_tm(RTCTIME_MAX, &tm);
	tm.tm_year++;                               /* past the 32-bit counter */
	assert_int_equal(rtctime_from_tm(&tm, &s), -EINVAL);
	tm = base; tm.tm_wday = 99; tm.tm_yday = -5; tm.tm_isdst = 1; /* ignored */
	assert_int_equal(rtctime_from_tm(&tm, &s), 0);
	assert_int_equal(s, Y2K);
}

static void test_ioctl_numbers(void **state)
{
	(void)state;
	assert_int_equal(RTC_RD_TIME, LINUX_RTC_RD_TIME);
	assert_int_equal(RTC_SET_TIME, LINUX_RTC_SET_TIME);
}

static void test_text(void **state)
{
	char buf[RTCTIME_TEXT_MAX];
	uint64_t s;

	(void)state;
	assert_int_equal(rtctime_format(RTCTIME_MAX, buf), strlen("4294967295\n"));
	assert_string_equal(buf, "4294967295\n");
	assert_int_equal(rtctime_parse(buf, strlen(buf), &s), 0);
	assert_int_equal(s, RTCTIME_MAX);
	assert_int_equal(rtctime_parse("123", 3, &s), 0);
	assert_int_equal(s, 123);
	assert_int_equal(rtctime_parse("4294967296", 10, &s), -EINVAL);
	assert_int_equal(rtctime_parse("99999999999999999999999", 23, &s), -EINVAL);
	assert_int_equal(rtctime_parse("", 0, &s), -EINVAL);
	assert_int_equal(rtctime_parse("\n", 1, &s), -EINVAL);
	assert_int_equal(rtctime_parse("12\n\n", 4, &s), -EINVAL);
	assert_int_equal(rtctime_parse("-1", 2, &s), -EINVAL);
	assert_int_equal(rtctime_parse("1 2", 3, &s), -EINVAL);
}

static void test_devgrant_parse(void **state)
{
	struct devgrant g;

	(void)state;
	assert_int_equal(devgrant_parse("mem 0x9010000 0x1000\nirq 34 level\n", &g), 0);
	assert_int_equal(g.nmem, 1);
	assert_int_equal(g.mem[0].base, 0x9010000);
	assert_int_equal(g.mem[0].size, 0x1000);
	assert_int_equal(g.nirq, 1);
	assert_int_equal(g.irq[0].irq, 34);
	assert_false(g.irq[0].edge);
	assert_false(g.clock);
	assert_int_equal(devgrant_parse("irq 7 edge\nright clock\nfuture thing\n\n", &g), 0);
	assert_true(g.irq[0].edge);
	assert_true(g.clock);
	assert_int_equal(g.nmem, 0);
	assert_int_equal(devgrant_parse("", &g), 0);
	assert_int_equal(g.nmem + g.nirq, 0);
	assert_int_equal(devgrant_parse("mem 0x1000\n", &g), -EINVAL);
	assert_int_equal(devgrant_parse("mem 0x1000 0\n", &g), -EINVAL);
	assert_int_equal(devgrant_parse("irq 34 sideways\n", &g), -EINVAL);
	assert_int_equal(devgrant_parse("irq x level\n", &g), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_matches_libc),
		cmocka_unit_test(test_from_tm_refuses),
		cmocka_unit_test(test_ioctl_numbers),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_devgrant_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
