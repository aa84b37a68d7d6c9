/*
 * kernel/posix_timer.c: POSIX per-process timers (see posix_timer.h): the
 * table, setting and reading a timer, the expiry handler, and the re-arm
 * of a periodic timer when its signal is taken.
 */
#include "kernel/posix_timer.h"
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/clock.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "sched/thread.h"
#include <string.h>

/* A periodic timer whose signal is not queued (ignored, or its standard
 * signal already pending) re-arms itself at most this often, so that a
 * tiny interval cannot flood the CPU with timer interrupts. */
#define REARM_FLOOR_NS (100 * NSEC_PER_USEC)

static uint64_t counts_of(uint64_t ns)
{
	uint64_t c = timer_ns_to_count(ns);

	return c ? c : 1;
}

/* Moves a periodic timer's expiry past now: expirations skipped on the
 * way are overruns. Lock held. */
static void forward_locked(struct posix_timer *pt, uint64_t now, uint64_t floor_count)
{
	uint64_t iv = counts_of(pt->interval_ns), n, step;

	if (pt->expiry > now)
		return;
	n = (now - pt->expiry) / iv; /* periods that ended by now, after expiry's */
	if (n > (uint64_t)INT32_MAX || __builtin_mul_overflow(n + 1, iv, &step) ||
	    __builtin_add_overflow(pt->expiry, step, &pt->expiry)) {
		pt->expiry = TIMER_NEVER;
		return;
	}
	if (pt->overrun < INT32_MAX - (int)n)
		pt->overrun += (int)n;
	else
		pt->overrun = INT32_MAX; /* Linux caps it at DELAYTIMER_MAX */
	if (pt->expiry < now + floor_count)
		pt->expiry = now + floor_count;
}

/* Arms the event for expiry (not for SIGEV_NONE, read arithmetically).
 * Lock held; the event is neither armed nor used by a running fn. */
static void arm_locked(struct posix_timer *pt)
{
	if (pt->notify == ABI_SIGEV_NONE || !pt->expiry || pt->expiry == TIMER_NEVER)
		return;
	pt->ev.deadline = pt->expiry;
	timer_add(&pt->ev);
}

static void fired(struct timer_event *ev)
{
	struct posix_timer *pt = ev->arg;
	struct proc *p = pt->proc;
	uint64_t flags, now = timer_now();

	signal_lock(p, &flags);
	if (!pt->active)
		goto out;
	if (pt->queued) {
		pt->overrun++; /* re-set while its signal was still pending */
	} else {
		struct abi_siginfo info = { .si_signo = pt->signo, .si_code = ABI_SI_TIMER };
		struct thread *target = NULL;
		int r;

		info.timer.tid = pt->id;
		info.timer.value = pt->value;
		if (pt->notify == ABI_SIGEV_THREAD_ID)
			target = signal_find_thread_locked(p, pt->tid);
		/* A target thread that has exited gets nothing, as on Linux. */
		r = (pt->notify == ABI_SIGEV_THREAD_ID && !target) ? 0 :
			signal_send_timer_locked(p, target, pt->signo, &info);
		if (r > 0) {
			pt->queued = true;
			pt->rearm_at_dequeue = pt->interval_ns != 0;
			if (pt->rearm_at_dequeue)
				goto out; /* expiry stays: the period it ended */
		}
	}
	if (pt->interval_ns && !pt->rearm_at_dequeue) {
		forward_locked(pt, now, timer_ns_to_count(REARM_FLOOR_NS));
		arm_locked(pt);
	} else {
		pt->expiry = 0;
	}
out:
	signal_unlock(p, flags);
}

void posix_timer_dequeued_locked(struct proc *p, struct abi_siginfo *info)
{
	int id = info->timer.tid;
	struct posix_timer *pt;

	if (id < 0 || id >= POSIX_TIMERS_MAX || !(pt = p->sig.ptimers[id]) || !pt->queued)
		return; /* deleted meanwhile, or a user-made SI_TIMER */
	pt->queued = false;
	if (pt->rearm_at_dequeue && pt->active) {
		pt->rearm_at_dequeue = false;
		forward_locked(pt, timer_now(), 0);
		arm_locked(pt);
	}
	info->timer.overrun = pt->overrun_last = pt->overrun;
	pt->overrun = 0;
}

/* Stops pt: afterwards neither its handler nor a dequeue touches its event.
 * ptimer_mutex held (or the last thread), spinlock not. */
static void stop(struct proc *p, struct posix_timer *pt)
{
	uint64_t flags;

	signal_lock(p, &flags);
	pt->active = false;
	pt->rearm_at_dequeue = false;
	signal_unlock(p, flags);
	timer_cancel(&pt->ev);
}

/* The timer with id, NULL if none. Lock or ptimer_mutex held. */
static struct posix_timer *lookup(struct proc *p, int id)
{
	return (id < 0 || id >= POSIX_TIMERS_MAX) ? NULL : p->sig.ptimers[id];
}

int posix_timer_create(struct proc *p, int clock, const struct abi_sigevent *sev,
		       bool default_value, int *id)
{
	struct posix_timer *pt;
	uint64_t flags;
	int err = -EAGAIN;

	if (clock != ABI_CLOCK_REALTIME && clock != ABI_CLOCK_MONOTONIC)
		return -EINVAL;
	pt = kzalloc(sizeof(*pt));
	if (!pt)
		return -EAGAIN; /* Linux: no memory for a timer is EAGAIN */
	pt->proc = p;
	pt->clock = clock;
	pt->notify = sev->sigev_notify == ABI_SIGEV_THREAD ? ABI_SIGEV_SIGNAL : sev->sigev_notify;
	pt->signo = sev->sigev_signo;
	pt->tid = sev->tid;
	pt->value = sev->sigev_value;
	pt->ev.fn = fired;
	pt->ev.arg = pt;
	if (mutex_lock(&p->sig.ptimer_mutex)) {
		kfree(pt);
		return -EINTR;
	}
	signal_lock(p, &flags);
	for (int i = 0; i < POSIX_TIMERS_MAX; i++) {
		if (!p->sig.ptimers[i]) {
			pt->id = *id = i;
			if (default_value) /* no sigevent: si_value is the id */
				pt->value = (uint64_t)i;
			p->sig.ptimers[i] = pt;
			err = 0;
			break;
		}
	}
	signal_unlock(p, flags);
	mutex_unlock(&p->sig.ptimer_mutex);
	if (err)
		kfree(pt);
	return err;
}

/* Removes id from the table and frees it. ptimer_mutex held (or the last thread). */
static int delete_one(struct proc *p, int id)
{
	struct posix_timer *pt = lookup(p, id);
	uint64_t flags;

	if (!pt)
		return -EINVAL;
	stop(p, pt);
	signal_lock(p, &flags);
	p->sig.ptimers[id] = NULL; /* a pending signal of it stays, as on Linux */
	signal_unlock(p, flags);
	kfree(pt);
	return 0;
}

int posix_timer_delete(struct proc *p, int id)
{
	int err;

	if (mutex_lock(&p->sig.ptimer_mutex))
		return -EINTR;
	err = delete_one(p, id);
	mutex_unlock(&p->sig.ptimer_mutex);
	return err;
}

void posix_timer_delete_all(struct proc *p)
{
	for (int i = 0; i < POSIX_TIMERS_MAX; i++)
		if (p->sig.ptimers[i])
			delete_one(p, i);
}

static struct abi_timespec ts_of(uint64_t ns)
{
	return (struct abi_timespec){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
}

/* Current setting; lock held. */
static void get_locked(struct posix_timer *pt, uint64_t now, struct abi_itimerspec *cur)
{
	uint64_t left = 0;

	if (pt->expiry && pt->expiry != TIMER_NEVER) {
		if (pt->expiry > now) {
			left = timer_count_to_ns(pt->expiry - now);
		} else if (pt->interval_ns) {
			/* Expired, re-armed only once its signal is taken:
			 * the time to the next period's end. */
			uint64_t iv = counts_of(pt->interval_ns);

			left = timer_count_to_ns(iv - (now - pt->expiry) % iv);
		}
	} else if (pt->expiry == TIMER_NEVER) {
		left = UINT64_MAX;
	}
	cur->it_interval = ts_of(pt->interval_ns);
	cur->it_value = ts_of(left);
	if (pt->expiry && !left && !pt->interval_ns && pt->notify != ABI_SIGEV_NONE)
		cur->it_value = ts_of(1); /* firing now: still armed, as Linux reports */
}

int posix_timer_get(struct proc *p, int id, struct abi_itimerspec *cur)
{
	struct posix_timer *pt;
	uint64_t flags;
	int err = -EINVAL;

	signal_lock(p, &flags);
	pt = lookup(p, id);
	if (pt) {
		get_locked(pt, timer_now(), cur);
		err = 0;
	}
	signal_unlock(p, flags);
	return err;
}

int posix_timer_getoverrun(struct proc *p, int id)
{
	struct posix_timer *pt;
	uint64_t flags;
	int ret = -EINVAL;

	signal_lock(p, &flags);
	pt = lookup(p, id);
	if (pt)
		ret = pt->overrun_last;
	signal_unlock(p, flags);
	return ret;
}

int posix_timer_set(struct proc *p, int id, bool abs, uint64_t value_ns, uint64_t interval_ns,
		    struct abi_itimerspec *old)
{
	struct posix_timer *pt;
	uint64_t flags, now_ns = 0;

	if (mutex_lock(&p->sig.ptimer_mutex))
		return -EINTR;
	pt = lookup(p, id);
	if (!pt) {
		mutex_unlock(&p->sig.ptimer_mutex);
		return -EINVAL;
	}
	signal_lock(p, &flags);
	get_locked(pt, timer_now(), old);
	signal_unlock(p, flags);
	stop(p, pt);
	if (abs && value_ns) {
		/* A time on the timer's clock; changes of CLOCK_REALTIME
		 * later do not move it (Linux would). */
		clock_read_ns(pt->clock, &now_ns);
		value_ns = value_ns > now_ns ? value_ns - now_ns : 1; /* past: fires now */
	}
	signal_lock(p, &flags);
	pt->interval_ns = value_ns ? interval_ns : 0;
	pt->expiry = value_ns ? timer_deadline_after_ns(value_ns) : 0;
	pt->overrun = 0;
	pt->active = value_ns != 0;
	arm_locked(pt);
	signal_unlock(p, flags);
	mutex_unlock(&p->sig.ptimer_mutex);
	return 0;
}
