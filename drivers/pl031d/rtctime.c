/*
 * drivers/pl031d/rtctime.c: calendar arithmetic and the text form of rtc:
 * (see rtctime.h). Days from the civil date by the proleptic Gregorian
 * rules (H. Hinnant's days_from_civil), so nothing depends on libc's
 * time zone code.
 */
#include "rtctime.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#define SECS_PER_MIN 60
#define MINS_PER_HOUR 60
#define HOURS_PER_DAY 24
#define SECS_PER_DAY (SECS_PER_MIN * MINS_PER_HOUR * HOURS_PER_DAY)
#define MONTHS 12
#define TM_YEAR_BASE 1900
#define EPOCH_YEAR 1970
#define EPOCH_WDAY 4		/* 1970-01-01 was a Thursday */
#define DAYS_PER_WEEK 7
#define FEBRUARY 1		/* tm_mon */
#define DAYS_IN_LEAP_FEB 29
#define DECIMAL 10

static const int month_days[MONTHS] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t year, int mon)
{
	return mon == FEBRUARY && leap(year) ? DAYS_IN_LEAP_FEB : month_days[mon];
}

/* Days since 1970-01-01 of year-mon-mday (mon 0-11). */
static int64_t days_from_civil(int64_t y, int mon, int mday)
{
	/* Years start in March, so the leap day ends one (era: 400 years). */
	int64_t m = mon + 1, era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + mday - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void rtctime_to_tm(uint64_t secs, struct rtc_time *tm)
{
	uint64_t days = secs / SECS_PER_DAY, rem = secs % SECS_PER_DAY;
	int64_t year = EPOCH_YEAR, left = (int64_t)days;
	int mon = 0;

	tm->tm_sec = (int)(rem % SECS_PER_MIN);
	tm->tm_min = (int)(rem / SECS_PER_MIN % MINS_PER_HOUR);
	tm->tm_hour = (int)(rem / (SECS_PER_MIN * MINS_PER_HOUR));
	tm->tm_wday = (int)((days + EPOCH_WDAY) % DAYS_PER_WEEK);
	/* A year at a time: at most 136 steps for a 32-bit count. */
	while (left >= (leap(year) ? 366 : 365)) {
		left -= leap(year) ? 366 : 365;
		year++;
	}
	tm->tm_yday = (int)left;
	while (left >= days_in_month(year, mon)) {
		left -= days_in_month(year, mon);
		mon++;
	}
	tm->tm_year = (int)(year - TM_YEAR_BASE);
	tm->tm_mon = mon;
	tm->tm_mday = (int)left + 1;
	tm->tm_isdst = 0;
}

int rtctime_from_tm(const struct rtc_time *tm, uint64_t *secs)
{
	int64_t year = (int64_t)tm->tm_year + TM_YEAR_BASE, s;

	if (tm->tm_sec < 0 || tm->tm_sec >= SECS_PER_MIN || tm->tm_min < 0 ||
	    tm->tm_min >= MINS_PER_HOUR || tm->tm_hour < 0 || tm->tm_hour >= HOURS_PER_DAY ||
	    tm->tm_mon < 0 || tm->tm_mon >= MONTHS || year < EPOCH_YEAR ||
	    tm->tm_mday < 1 || tm->tm_mday > days_in_month(year, tm->tm_mon))
		return -EINVAL;
	s = days_from_civil(year, tm->tm_mon, tm->tm_mday) * SECS_PER_DAY +
	    ((int64_t)tm->tm_hour * MINS_PER_HOUR + tm->tm_min) * SECS_PER_MIN + tm->tm_sec;
	if (s < 0 || s > (int64_t)RTCTIME_MAX)
		return -EINVAL;
	*secs = (uint64_t)s;
	return 0;
}

size_t rtctime_format(uint64_t secs, char *buf)
{
	return (size_t)snprintf(buf, RTCTIME_TEXT_MAX, "%llu\n", (unsigned long long)secs);
}

int rtctime_parse(const char *text, size_t len, uint64_t *secs)
{
	uint64_t v = 0;
	size_t digits = len;

	if (digits && text[digits - 1] == '\n')
		digits--;
	if (digits == 0)
		return -EINVAL;
	for (size_t i = 0; i < digits; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -EINVAL;
		v = v * DECIMAL + (uint64_t)(text[i] - '0');
		if (v > RTCTIME_MAX)
			return -EINVAL;
	}
	*secs = v;
	return 0;
}
