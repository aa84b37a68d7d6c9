/*
 * user/timeutil.h: clock readings and short sleeps for the test programs
 * that time themselves against a clock (t_futex, t_futex_pi, t_thread).
 * Header-only: each program is one file.
 */
#ifndef USER_TIMEUTIL_H
#define USER_TIMEUTIL_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

#define NSEC_PER_MSEC 1000000LL
#define NSEC_PER_SEC 1000000000LL

/* clock's time in ns. */
static inline int64_t now_ns(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline struct timespec ns_ts(int64_t ns)
{
	return (struct timespec){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
}

/* Sleeps ms milliseconds in all, through any signal handler. */
static inline void sleep_ms(long ms)
{
	struct timespec ts = ns_ts(ms * NSEC_PER_MSEC);

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

#endif
