/*
 * drivers/sp804d/timer_proto.h: what a client of timer: writes and reads
 * (served by sp804d). Each open of timer: is one timer, Linux timerfd's
 * semantics on CLOCK_MONOTONIC:
 *   write   exactly one struct timer_setting: arm (value > 0: first expiry
 *           after value, or at value on CLOCK_MONOTONIC with
 *           TIMER_SETTING_ABSTIME; then every interval if it is > 0) or
 *           disarm (value 0); the unread expiration count restarts at 0.
 *           -EINVAL for another size, unknown flags or a bad timespec.
 *   read    8 bytes or more: a uint64_t, the expirations since the last
 *           read; blocks until there is one (-EAGAIN with O_NONBLOCK);
 *           -EINVAL for a buffer under 8 bytes.
 * Resolution: microseconds (times are rounded up) and the SP804's clock.
 */
#ifndef DRIVERS_SP804D_TIMER_PROTO_H
#define DRIVERS_SP804D_TIMER_PROTO_H

#include <stdint.h>

#define TIMER_SETTING_ABSTIME 1u	/* value is a CLOCK_MONOTONIC time (TFD_TIMER_ABSTIME) */

struct timer_timespec {
	int64_t tv_sec, tv_nsec;
};

/* timerfd_settime's arguments: flags, then a struct itimerspec. */
struct timer_setting {
	uint64_t flags;
	struct timer_timespec interval, value;
};
#define TIMER_SETTING_SIZE 40
_Static_assert(sizeof(struct timer_setting) == TIMER_SETTING_SIZE, "timer_setting layout");

/* s as timerset_settime's arguments (flags: TIMERSET_ABSTIME's value),
 * microseconds rounded up: 0, or -EINVAL for unknown flags or a negative
 * or unnormalized timespec (drivers/sp804d/setting.c). */
int timer_setting_parse(const struct timer_setting *s, unsigned *flags,
			uint64_t *value_us, uint64_t *interval_us);

#endif
