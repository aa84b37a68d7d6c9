/*
 * drivers/sp804d/setting.c: a client's struct timer_setting checked and
 * turned into timerset's microseconds (see timer_proto.h). Pure logic.
 */
#include "timer_proto.h"

#include <errno.h>

#define NSEC_PER_SEC 1000000000LL
#define NSEC_PER_USEC 1000LL
#define USEC_PER_SEC 1000000ULL

/* ts in microseconds, rounded up (never early), saturating; -EINVAL for a
 * negative or unnormalized timespec. */
static int to_us(const struct timer_timespec *ts, uint64_t *us)
{
	uint64_t sec_us, frac = (uint64_t)((ts->tv_nsec + NSEC_PER_USEC - 1) / NSEC_PER_USEC);

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (__builtin_mul_overflow((uint64_t)ts->tv_sec, USEC_PER_SEC, &sec_us) ||
	    __builtin_add_overflow(sec_us, frac, us))
		*us = UINT64_MAX;
	return 0;
}

int timer_setting_parse(const struct timer_setting *s, unsigned *flags,
			uint64_t *value_us, uint64_t *interval_us)
{
	if (s->flags & ~(uint64_t)TIMER_SETTING_ABSTIME)
		return -EINVAL;
	if (to_us(&s->value, value_us) || to_us(&s->interval, interval_us))
		return -EINVAL;
	*flags = (unsigned)s->flags;
	return 0;
}
