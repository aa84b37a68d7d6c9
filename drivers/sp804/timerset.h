/*
 * drivers/sp804/timerset.h: the semantics of sp804d's timer: scheme,
 * independent of the IPC that carries them. Owns a table of client
 * timers (each an open timer: handle) with Linux timerfd's meaning:
 * settime arms a one-shot (interval 0) or periodic timer and resets the
 * expiry count, value 0 disarms, read returns the expirations since the
 * last read and zeroes them, or -EAGAIN when there are none (the daemon
 * then parks the reader until timerset_expire makes it readable).
 *
 * All client timers share one SP804 timer: timerset_program arms it for
 * the nearest deadline. Times are microseconds on the caller's monotonic
 * clock ("now" is an argument everywhere, so this file is pure logic).
 * A deadline beyond what the hardware can count (sp804_max_us) is
 * reached in steps: the hardware is armed for its maximum, and the
 * interrupt that ends a step expires nothing and programs the next.
 * Not thread-safe, like sp804.h: sp804d calls it from its one loop.
 */
#ifndef DRIVERS_SP804_TIMERSET_H
#define DRIVERS_SP804_TIMERSET_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/sp804/sp804.h"

#define TIMERSET_MAX 64	/* open timers per daemon */
#define TIMERSET_ABSTIME 1u	/* settime: value is a deadline, not a delay */

struct tset_timer {
	bool used;	/* an open handle */
	bool armed;
	uint64_t deadline;	/* next expiry; UINT64_MAX = never reached */
	uint64_t interval;	/* 0 = one-shot */
	uint64_t count;		/* expirations not yet read */
};

struct timerset {
	struct tset_timer t[TIMERSET_MAX];
};

void timerset_init(struct timerset *ts);

/* A new disarmed timer: its id, or -EMFILE when all are open. */
int timerset_create(struct timerset *ts);

/* Close id (-EBADF if not open); its pending count is dropped. */
int timerset_destroy(struct timerset *ts, int id);

/*
 * Arm id: first expiry value from now (or at value with
 * TIMERSET_ABSTIME; a past deadline expires at the next
 * timerset_expire), then every interval if non-zero. value 0 disarms.
 * The count of unread expirations restarts at 0. The previous setting,
 * as timerset_gettime gives it, goes to old_value/old_interval when not
 * NULL. -EBADF for a closed id, -EINVAL for unknown flags; a deadline
 * past the end of the clock saturates (the timer never fires).
 */
int timerset_settime(struct timerset *ts, int id, uint64_t now, unsigned flags,
		     uint64_t value, uint64_t interval,
		     uint64_t *old_value, uint64_t *old_interval);

/* Time to the next expiry (0 if disarmed) and the interval. */
int timerset_gettime(const struct timerset *ts, int id, uint64_t now,
		     uint64_t *value, uint64_t *interval);

/* Take the unread expirations: 0 and *count > 0, or -EAGAIN, -EBADF. */
int timerset_read(struct timerset *ts, int id, uint64_t *count);

/* A read would not block (for poll). False for a closed id. */
bool timerset_readable(const struct timerset *ts, int id);

/*
 * Count expirations up to now: a one-shot adds 1 and disarms; a periodic
 * timer adds every period that ended, even when now is several periods
 * late (the timerfd count), and moves its deadline past now. Returns how
 * many timers expired, i.e. whose parked readers to wake.
 */
int timerset_expire(struct timerset *ts, uint64_t now);

/* The nearest deadline of all armed timers: 0, or -ENOENT if none. */
int timerset_next(const struct timerset *ts, uint64_t *deadline);

/*
 * Program hardware timer hw of dev for the nearest deadline: a one-shot
 * for max(deadline - now, 0), clamped to sp804_max_us; cancelled when no
 * timer is armed. Call after every settime, destroy and expire.
 */
int timerset_program(const struct timerset *ts, struct sp804 *dev, unsigned hw,
		     uint64_t now);

#endif
