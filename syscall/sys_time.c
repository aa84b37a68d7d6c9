/*
 * syscall/sys_time.c: time system calls. Sleeps are one-shot timer
 * deadlines (no busy waiting): a sleep lasts at least what was asked and
 * ends at the first timer interrupt after it. A user may ask for any
 * length: every sum involving a user time saturates (at UINT64_MAX ns, then
 * TIMER_NEVER) instead of wrapping into a deadline in the past. A sleep
 * stopped and continued (no handler) goes on, as on Linux: restart_syscall.
 * Setting CLOCK_REALTIME (clock_settime, settimeofday) takes the grant's
 * clock right (kernel/scheme/grant.h), not uid 0.
 */
#include "syscall/handlers.h"
#include "kernel/clock.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/scheme/grant.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"

static long put_timespec(uint64_t uts, uint64_t ns)
{
	struct abi_timespec ts = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };

	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Sleeps ns; a signal ends it early with -EINTR and the time left in
 * *left (Linux: nanosleep then reports the remainder). */
long sleep_for_ns(uint64_t ns, uint64_t *left)
{
	uint64_t deadline = timer_deadline_after_ns(ns), now;
	long err = sched_sleep_until(deadline);

	*left = 0;
	now = timer_now();
	if (err == -EINTR && deadline != TIMER_NEVER && deadline > now)
		*left = timer_count_to_ns(deadline - now);
	else if (err == -EINTR && deadline == TIMER_NEVER)
		*left = ns;
	return err;
}

/* A relative sleep (nanosleep, clock_nanosleep, restart_syscall) to
 * deadline; ns: its length, reported left if the deadline is TIMER_NEVER.
 * Interrupted, it reports the time left at urem (0: nowhere) and arms
 * restart_syscall: if no handler runs (a stop and continue), signal.c
 * restarts it there to sleep on to the same deadline, as Linux does. */
static long sleep_restartable(uint64_t deadline, uint64_t ns, uint64_t urem)
{
	struct thread *t = current_thread();
	long err = sched_sleep_until(deadline);
	uint64_t now = timer_now(), left = 0;

	if (err != -EINTR)
		return err;
	if (deadline == TIMER_NEVER)
		left = ns;
	else if (deadline > now)
		left = timer_count_to_ns(deadline - now);
	if (urem && put_timespec(urem, left))
		return -EFAULT;
	t->sig.restart_armed = true;
	t->sig.restart_deadline = deadline;
	t->sig.restart_rem = urem;
	return err;
}

SYSCALL(nanosleep)
{
	uint64_t ns;
	long err = timespec_from_user(ARG(0), &ns);

	if (err)
		return err;
	if (ARG(1) && !user_range_ok(ARG(1), sizeof(struct abi_timespec)))
		return -EFAULT;
	return sleep_restartable(timer_deadline_after_ns(ns), ns, ARG(1));
}

/* The continuation of an interrupted relative sleep (Linux's
 * restart_block); called directly, with none pending: -EINTR. */
SYSCALL(restart_syscall)
{
	struct thread *t = current_thread();

	(void)tf;
	if (!t->sig.restart_armed)
		return -EINTR;
	t->sig.restart_armed = false;
	return sleep_restartable(t->sig.restart_deadline, UINT64_MAX, t->sig.restart_rem);
}

SYSCALL(clock_nanosleep)
{
	int clock = (int)ARG(0), flags = (int)ARG(1);
	uint64_t ns, now, left;
	long err;

	if (clock_read_ns(clock, &now))
		return -EINVAL;
	if (flags & ~ABI_TIMER_ABSTIME)
		return -EINVAL;
	err = timespec_from_user(ARG(2), &ns);
	if (err)
		return err;
	if (flags & ABI_TIMER_ABSTIME) {
		/* An absolute sleep just ends: its deadline stays valid. */
		ns = ns > now ? ns - now : 0; /* how long from now */
		return sleep_for_ns(ns, &left);
	}
	if (ARG(3) && !user_range_ok(ARG(3), sizeof(struct abi_timespec)))
		return -EFAULT;
	return sleep_restartable(timer_deadline_after_ns(ns), ns, ARG(3));
}

SYSCALL(clock_gettime)
{
	uint64_t ns;

	if (clock_read_ns((int)ARG(0), &ns))
		return -EINVAL;
	return put_timespec(ARG(1), ns);
}

SYSCALL(clock_getres)
{
	uint64_t ns;

	if (clock_resolution_ns((int)ARG(0), &ns))
		return -EINVAL;
	return ARG(1) ? put_timespec(ARG(1), ns) : 0;
}

SYSCALL(gettimeofday)
{
	uint64_t ns;
	struct abi_timeval tv;

	clock_read_ns(ABI_CLOCK_REALTIME, &ns);
	tv.tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	tv.tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
	if (ARG(0) && copy_to_user(ARG(0), &tv, sizeof(tv)))
		return -EFAULT;
	if (ARG(1) && clear_user(ARG(1), 2 * sizeof(int))) /* struct timezone: zeros */
		return -EFAULT;
	return 0;
}

/* Linux keeps a day's margin below the end of its 64-bit ns clock
 * (TIME_SETTOD_SEC_MARGIN); our clock ends at UINT64_MAX ns. */
#define SETTOD_SEC_MAX (UINT64_MAX / NSEC_PER_SEC - 86400)
/* settimeofday's timezone offset bound, minutes (Linux: 15 hours). */
#define USEC_PER_SEC 1000000L
#define TZ_MINUTESWEST_MAX (15 * 60)

struct abi_timezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
};

/* Validates sec.nsec as a time to set (Linux's timespec64_valid_settod). */
static bool settime_valid(int64_t sec, int64_t nsec)
{
	return sec >= 0 && (uint64_t)sec <= SETTOD_SEC_MAX && nsec >= 0 && nsec < (int64_t)NSEC_PER_SEC;
}

static uint64_t settime_ns(int64_t sec, int64_t nsec)
{
	return (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

SYSCALL(clock_settime)
{
	struct abi_timespec ts;

	/* Only the real-time clock can be set (Linux: EINVAL for the others). */
	if ((int)ARG(0) != ABI_CLOCK_REALTIME)
		return -EINVAL;
	if (copy_from_user(&ts, ARG(1), sizeof(ts)))
		return -EFAULT;
	if (!settime_valid(ts.tv_sec, ts.tv_nsec))
		return -EINVAL;
	if (!grant_current_has(GRANT_RIGHT_CLOCK))
		return -EPERM;
	return clock_set_realtime(settime_ns(ts.tv_sec, ts.tv_nsec));
}

/* Linux's order: copy and check tv, copy tz, the right, tz's range, then
 * set. The timezone is checked and ignored: the kernel keeps UTC only. */
SYSCALL(settimeofday)
{
	struct abi_timeval tv = { 0, 0 };
	struct abi_timezone tz;
	int64_t nsec = 0;

	if (ARG(0)) {
		if (copy_from_user(&tv, ARG(0), sizeof(tv)))
			return -EFAULT;
		if (tv.tv_usec < 0 || tv.tv_usec >= (int64_t)USEC_PER_SEC)
			return -EINVAL;
		nsec = tv.tv_usec * (int64_t)NSEC_PER_USEC;
		if (!settime_valid(tv.tv_sec, nsec))
			return -EINVAL;
	}
	if (ARG(1) && copy_from_user(&tz, ARG(1), sizeof(tz)))
		return -EFAULT;
	if (!grant_current_has(GRANT_RIGHT_CLOCK))
		return -EPERM;
	if (ARG(1) && (tz.tz_minuteswest > TZ_MINUTESWEST_MAX || tz.tz_minuteswest < -TZ_MINUTESWEST_MAX))
		return -EINVAL;
	return ARG(0) ? clock_set_realtime(settime_ns(tv.tv_sec, nsec)) : 0;
}
