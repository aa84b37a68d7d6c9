/*
 * sched/prio.c: what other threads change of a thread's scheduling:
 * priority (nice, PI boosts) and affinity. Each takes wait_lock (no
 * wake-up moves the thread meanwhile), then the thread's run queue lock
 * (task_rq_lock), which its own CPU's switch reads these fields under.
 */
#include "sched/runqueue.h"
#include "kernel/sigstate.h"
#include "kernel/lib/errno.h"

/* The run-queue level of a nice value: 0 is THREAD_PRIO_USER, 1..9 one
 * level lower, 10..19 two (the lowest a user thread gets; the idle thread
 * is below). Negative nice values are refused by setpriority. */
#define NICE_PER_LEVEL 10
static int nice_prio(int nice)
{
	return THREAD_PRIO_USER + (nice > 0 ? 1 + nice / NICE_PER_LEVEL : 0);
}

/* The level of t's own: its nice value's, unless it is on its way out. A
 * thread with a fatal signal pending (SIGKILL, or its process exiting or
 * exec'ing elsewhere: signal_fatal_pending) runs at the best user level
 * until it exits, whatever its nice value: with strict run-queue levels,
 * busy threads of a better one would otherwise keep it from ever reaching
 * its exit (Linux's fair scheduler runs a killed task anyway). Its nice
 * value is kept (getpriority still reports it). */
static int own_prio(const struct thread *t)
{
	return signal_fatal_pending(t) ? THREAD_PRIO_USER : nice_prio(t->nice);
}

void sched_reprio_locked(struct thread *t)
{
	int p = own_prio(t), old = t->prio;
	struct runqueue *rq;

	for (int i = 0; i < p; i++) {
		if (t->pi_boost[i]) {
			p = i;
			break;
		}
	}
	if (p == old)
		return;
	rq = task_rq_lock(t);
	if (t->state == THREAD_READY) {
		rq_remove(rq, t);
		t->prio = p;
		enqueue_locked(t->cpu, t);
	} else {
		t->prio = p;
		if (t->state == THREAD_RUNNING && p > old)
			resched_cpu(t->cpu); /* a better thread may be ready */
	}
	spin_unlock(&rq->lock);
}

void sched_set_nice(struct thread *t, int nice)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	t->nice = nice;
	sched_reprio_locked(t);
	spin_unlock_irqrestore(&wait_lock, flags);
}

int sched_get_nice(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);
	int nice = t->nice;

	spin_unlock_irqrestore(&wait_lock, flags);
	return nice;
}

int sched_get_prio(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);
	int prio = t->prio;

	spin_unlock_irqrestore(&wait_lock, flags);
	return prio;
}

void sched_pi_boost(struct thread *t, int prio, int delta)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	t->pi_boost[prio] += delta;
	sched_reprio_locked(t);
	spin_unlock_irqrestore(&wait_lock, flags);
}

int sched_set_affinity(struct thread *t, uint64_t mask)
{
	uint64_t flags;
	struct runqueue *rq;
	bool any = false;

	for (unsigned i = 0; i < MAX_CPUS; i++)
		any |= (mask >> i) & 1 && smp_cpu_online(i);
	if (!any)
		return -EINVAL;
	flags = spin_lock_irqsave(&wait_lock);
	rq = task_rq_lock(t);
	t->affinity = mask;
	if (t->state == THREAD_READY && !allowed(t, t->cpu)) {
		/* Off its queue and SLEEPING for no one but us (we hold
		 * wait_lock throughout): the wake-up places it. */
		rq_remove(rq, t);
		t->state = THREAD_SLEEPING;
		spin_unlock(&rq->lock);
		wake_locked(t);
		spin_unlock_irqrestore(&wait_lock, flags);
		return 0;
	}
	if (t->state == THREAD_RUNNING && !allowed(t, t->cpu)) {
		/* Its switch hands it to an allowed CPU: for the caller, on its
		 * way back to user space, so it returns there already moved. */
		resched_cpu(t->cpu);
	}
	spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&wait_lock, flags);
	return 0;
}

uint64_t sched_get_affinity(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);
	uint64_t mask = t->affinity;

	spin_unlock_irqrestore(&wait_lock, flags);
	return mask;
}
