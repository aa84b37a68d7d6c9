/*
 * kernel/clock.c: the POSIX clocks (see clock.h).
 */
#include "kernel/clock.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "syscall/abi/abi.h"
#include "arch/aarch64/uaccess.h"

/* The wall-clock time at boot: CLOCK_REALTIME minus the counter. Set as a
 * whole by clock_set_realtime (an RTC daemon at start, date -s); read and
 * written atomically, so readers on other CPUs see the old offset or the
 * new one, never half of each, and need no lock. */
static uint64_t boot_realtime_ns;

int clock_read_ns(int clock, uint64_t *ns)
{
	switch (clock) {
	case ABI_CLOCK_MONOTONIC:
	case ABI_CLOCK_MONOTONIC_RAW:
	case ABI_CLOCK_MONOTONIC_COARSE:
	case ABI_CLOCK_BOOTTIME:
		*ns = timer_now_ns();
		return 0;
	case ABI_CLOCK_REALTIME:
	case ABI_CLOCK_REALTIME_COARSE:
		*ns = __atomic_load_n(&boot_realtime_ns, __ATOMIC_RELAXED) + timer_now_ns();
		return 0;
	case ABI_CLOCK_PROCESS_CPUTIME_ID:
	case ABI_CLOCK_THREAD_CPUTIME_ID: {
		struct thread *t = current_thread();

		*ns = t->cpu_ns + timer_count_to_ns(timer_now() - t->run_start);
		return 0;
	}
	default:
		return -EINVAL;
	}
}

int clock_set_realtime(uint64_t ns)
{
	uint64_t now = timer_now_ns();

	/* Linux (do_settimeofday64) refuses a time before boot: the offset
	 * would be negative. */
	if (ns < now)
		return -EINVAL;
	__atomic_store_n(&boot_realtime_ns, ns - now, __ATOMIC_RELAXED);
	return 0;
}

int clock_resolution_ns(int clock, uint64_t *ns)
{
	uint64_t unused;
	int err = clock_read_ns(clock, &unused);

	if (!err)
		*ns = timer_count_to_ns(1) ? timer_count_to_ns(1) : 1;
	return err;
}

long timespec_from_user(uint64_t uts, uint64_t *ns)
{
	struct abi_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (__builtin_mul_overflow((uint64_t)ts.tv_sec, NSEC_PER_SEC, ns) ||
	    __builtin_add_overflow(*ns, (uint64_t)ts.tv_nsec, ns))
		*ns = UINT64_MAX; /* some 584 years: forever */
	return 0;
}

long itimerspec_from_user(uint64_t uits, uint64_t *value, uint64_t *interval)
{
	long err = timespec_from_user(uits + offsetof(struct abi_itimerspec, it_value), value);

	return err ? err : timespec_from_user(uits + offsetof(struct abi_itimerspec, it_interval),
					      interval);
}
