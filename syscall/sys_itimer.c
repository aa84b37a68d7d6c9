/*
 * syscall/sys_itimer.c: setitimer/getitimer. ITIMER_REAL (alarm(3) in
 * musl is setitimer): a one-shot timer event per process that sends
 * SIGALRM and re-arms itself with the interval. The event and the interval
 * live in p->sig (kernel/signal.h), guarded by its lock; timer_cancel runs
 * without it because the handler takes it. ITIMER_VIRTUAL and ITIMER_PROF
 * count CPU time at the tick (kernel/cpu_itimer.c).
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/lib/errno.h"
#include "kernel/timer.h"
#include "kernel/cpu_itimer.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

static void itimer_fired(struct timer_event *ev)
{
	struct proc *p = ev->arg;
	struct abi_siginfo info = { .si_signo = ABI_SIGALRM, .si_code = ABI_SI_KERNEL };
	uint64_t flags;

	signal_send_proc(p, ABI_SIGALRM, &info);
	signal_lock(p, &flags);
	if (p->sig.itimer_interval_ns) {
		ev->deadline = timer_deadline_after_ns(p->sig.itimer_interval_ns);
		if (ev->deadline != TIMER_NEVER)
			timer_add(ev);
	}
	signal_unlock(p, flags);
}

static uint64_t tv_to_ns(const struct abi_timeval *tv)
{
	uint64_t ns;

	if (__builtin_mul_overflow((uint64_t)tv->tv_sec, NSEC_PER_SEC, &ns) ||
	    __builtin_add_overflow(ns, (uint64_t)tv->tv_usec * NSEC_PER_USEC, &ns))
		return UINT64_MAX;
	return ns;
}

static struct abi_timeval ns_to_tv(uint64_t ns)
{
	return (struct abi_timeval){ (int64_t)(ns / NSEC_PER_SEC),
				     (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

static bool tv_valid(const struct abi_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < (int64_t)(NSEC_PER_SEC / NSEC_PER_USEC);
}

/* The current setting: time left (0: disarmed) and the interval. */
static struct abi_itimerval itimer_get(struct proc *p)
{
	struct abi_itimerval v;
	uint64_t flags, now = timer_now(), left = 0;

	signal_lock(p, &flags);
	if (p->sig.itimer.deadline > now)
		left = timer_count_to_ns(p->sig.itimer.deadline - now);
	v.it_interval = ns_to_tv(p->sig.itimer_interval_ns);
	signal_unlock(p, flags);
	/* An armed timer reports at least 1 us left, as Linux does. */
	if (left && left < NSEC_PER_USEC)
		left = NSEC_PER_USEC;
	v.it_value = ns_to_tv(left);
	return v;
}

/* ITIMER_VIRTUAL or ITIMER_PROF: old setting in *old, then val (if any). */
static void cpu_itimer_syscall(struct proc *p, int which, const struct abi_itimerval *val,
			       struct abi_itimerval *old)
{
	struct cpu_itimer nv, ov;

	if (val) {
		nv.left_ns = tv_to_ns(&val->it_value);
		/* Charged by whole ticks: one more, so it is never early
		 * (Linux's set_cpu_itimer does the same). */
		if (nv.left_ns && nv.left_ns < UINT64_MAX - TICK_NS)
			nv.left_ns += TICK_NS;
		nv.interval_ns = tv_to_ns(&val->it_interval);
	}
	cpu_itimer_set(p, which == ABI_ITIMER_VIRTUAL ? CPU_ITIMER_VIRTUAL : CPU_ITIMER_PROF,
		       val ? &nv : NULL, &ov);
	old->it_value = ns_to_tv(ov.left_ns);
	old->it_interval = ns_to_tv(ov.interval_ns);
}

static bool which_ok(int which)
{
	return which == ABI_ITIMER_REAL || which == ABI_ITIMER_VIRTUAL || which == ABI_ITIMER_PROF;
}

SYSCALL(getitimer)
{
	struct abi_itimerval v;
	int which = (int)ARG(0);

	if (!which_ok(which))
		return -EINVAL;
	if (which == ABI_ITIMER_REAL)
		v = itimer_get(current_proc());
	else
		cpu_itimer_syscall(current_proc(), which, NULL, &v);
	return copy_to_user(ARG(1), &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL(setitimer)
{
	struct proc *p = current_proc();
	struct abi_itimerval v, old;
	uint64_t flags, value;
	int which = (int)ARG(0);

	if (!which_ok(which))
		return -EINVAL;
	if (ARG(1)) {
		if (copy_from_user(&v, ARG(1), sizeof(v)))
			return -EFAULT;
	} else {
		memset(&v, 0, sizeof(v)); /* Linux: a NULL new value disarms */
	}
	if (!tv_valid(&v.it_value) || !tv_valid(&v.it_interval))
		return -EINVAL;
	if (ARG(2) && !user_range_ok(ARG(2), sizeof(old)))
		return -EFAULT;
	if (which != ABI_ITIMER_REAL) {
		cpu_itimer_syscall(p, which, &v, &old);
		return (ARG(2) && copy_to_user(ARG(2), &old, sizeof(old))) ? -EFAULT : 0;
	}
	old = itimer_get(p);
	signal_lock(p, &flags);
	p->sig.itimer_interval_ns = 0; /* a handler running now does not re-arm */
	signal_unlock(p, flags);
	timer_cancel(&p->sig.itimer);
	value = tv_to_ns(&v.it_value);
	signal_lock(p, &flags);
	p->sig.itimer.deadline = 0;
	p->sig.itimer_interval_ns = value ? tv_to_ns(&v.it_interval) : 0;
	if (value) {
		p->sig.itimer.fn = itimer_fired;
		p->sig.itimer.arg = p;
		p->sig.itimer.deadline = timer_deadline_after_ns(value);
		if (p->sig.itimer.deadline != TIMER_NEVER)
			timer_add(&p->sig.itimer);
	}
	signal_unlock(p, flags);
	if (ARG(2) && copy_to_user(ARG(2), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
