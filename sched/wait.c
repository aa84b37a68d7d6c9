/*
 * sched/wait.c: sleeping and waking: wait queues, deadlines, the direct
 * hand-off of the CPU, and waking a thread so it sees a signal. Wait
 * queues and sleeping threads are guarded by wait_lock; why no wake-up is
 * lost on two CPUs is in runqueue.h.
 */
#include "sched/switch_inline.h"
#include "kernel/sigstate.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"

spinlock_t wait_lock = SPINLOCK_INIT("sched");

/* wake_locked's body, inline where a wake-up is the whole job
 * (waitq_wake_all: every pipe's data and room). */
static inline __attribute__((always_inline)) void wake_inline(struct thread *t)
{
	unsigned cpu;
	struct runqueue *rq;

	if (t->state != THREAD_SLEEPING)
		return;
	/* One CPU: its own (sched_set_affinity keeps an online CPU in the mask). */
	cpu = t->cpu;
	if (sched_smp()) {
		cpu = select_cpu(t);
		/* Elsewhere only once saved; its own CPU's queue at once (runqueue.h). */
		if (cpu != t->cpu)
			wait_off_cpu(t);
		if (cpu != this_cpu()->id) { /* for pull_woken */
			this_cpu()->woke = t;
			this_cpu()->woke_cpu = cpu;
		}
	}
	rq = &runqueues[cpu];
	spin_lock(&rq->lock);
	/* A woken thread should not wait for an idle CPU's next tick. */
	enqueue_locked(cpu, t);
	spin_unlock(&rq->lock);
}

void wake_locked(struct thread *t)
{
	wake_inline(t);
}

void sched_add(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	wake_locked(t); /* a new thread is SLEEPING until now */
	spin_unlock_irqrestore(&wait_lock, flags);
}

void sched_wake(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	wake_locked(t);
	spin_unlock_irqrestore(&wait_lock, flags);
}

static void wake_timer_fired(struct timer_event *ev)
{
	struct thread *t = ev->arg;
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	if (t->state == THREAD_SLEEPING) {
		t->timed_out = true;
		waitq_remove(t);
		wake_locked(t);
	}
	spin_unlock_irqrestore(&wait_lock, flags);
}

/* What ends a sleep early: any pending signal, or only the thread's death
 * (signal_fatal_pending: exit_group, execve elsewhere, SIGKILL). t is the
 * current thread. */
static inline bool interrupted(const struct thread *t, bool killable_only)
{
	return killable_only ? signal_fatal_pending(t) : thread_signal_pending(t);
}

/* Whether t may be handed this CPU: on one CPU always (sched_set_affinity
 * keeps an online CPU in the mask), else by its affinity. */
static inline bool may_run_here(const struct thread *t)
{
	return !sched_smp() || allowed(t, this_cpu()->id);
}

/* Gives this CPU to next, a sleeping thread the caller took off its wait
 * queue, once the CPU it slept on has saved it. wait_lock held; returns
 * with it released and this CPU's queue lock held, next claimed. */
static inline __attribute__((always_inline)) void claim_handoff(struct thread *next)
{
	/* Slept on this CPU: the switch away from it finished before this
	 * thread ran, so it is saved. */
	if (next->cpu != this_cpu()->id)
		wait_off_cpu(next);
	spin_lock(&this_rq()->lock);
	/* No wake-up places it now; task_rq_lock finds it on this CPU. */
	next->state = THREAD_RUNNING;
	next->cpu = this_cpu()->id;
	spin_unlock(&wait_lock);
}

/*
 * Sleeps; entered with wait_lock held (IRQs masked), returns with it
 * released. Wakes on a wake-up or at deadline (0: none). The wake timer may
 * still be running on another CPU when this returns: the caller calls
 * end_sleep_timer. handoff, if not NULL, is a thread taken off its wait
 * queue (still SLEEPING, allowed here) that gets this CPU at once;
 * killable_only: only death ends the sleep early (interrupted). checked:
 * the caller found the thread not interrupted, wait_lock held since.
 */
static inline __attribute__((always_inline)) int
sleep_handoff(uint64_t deadline, struct thread *handoff, bool killable_only, bool checked)
{
	struct thread *t = current_thread();

	/* A signal sent before this point (its sender sets the flag, then
	 * takes wait_lock to wake us) must not be slept through. */
	if (!checked && interrupted(t, killable_only)) {
		waitq_remove(t);
		if (handoff)
			wake_locked(handoff);
		spin_unlock(&wait_lock);
		return -EINTR;
	}
	t->timed_out = false;
	if (deadline) {
		t->wake_timer.deadline = deadline;
		t->wake_timer.fn = wake_timer_fired;
		t->wake_timer.arg = t;
		timer_add(&t->wake_timer);
	}
	t->state = THREAD_SLEEPING;
	if (handoff) {
		claim_handoff(handoff);
	} else {
		if (sched_smp()) {
			if (rq_hint_best(this_rq()) >= THREAD_PRIORITIES)
				pull_woken(this_cpu());
			pull_better(this_cpu(), rq_hint_best(this_rq()));
		}
		spin_lock(&this_rq()->lock);
		spin_unlock(&wait_lock);
	}
	/* In line: every blocking round trip (a pipe's, a futex's, a user
	 * scheme's) sleeps here. */
	switch_locked_inline(this_cpu(), this_rq(), handoff, sched_smp());
	finish_switch(this_cpu());
	if (interrupted(t, killable_only))
		return -EINTR;
	return t->timed_out ? -ETIMEDOUT : 0;
}

/* After sleep_handoff, without wait_lock: once this returns, the wake
 * timer's handler is not running anywhere, so the thread may sleep again
 * (re-arming the same event) or exit (freeing it). A handler that ran late
 * found the thread awake and did nothing. */
static void end_sleep_timer(uint64_t deadline)
{
	if (deadline)
		timer_cancel(&current_thread()->wake_timer);
}

int sched_sleep_until(uint64_t deadline)
{
	uint64_t flags;
	int err;

	if (thread_signal_pending(current_thread()))
		return -EINTR;
	if (deadline <= timer_now())
		return 0;
	if (deadline == TIMER_NEVER)
		deadline = 0; /* no timer: only a kill ends this sleep */
	flags = spin_lock_irqsave(&wait_lock);
	err = sleep_handoff(deadline, NULL, false, false);
	irq_restore(flags);
	end_sleep_timer(deadline);
	return err == -ETIMEDOUT ? 0 : err;
}

/* waitq_sleep_handoff's body: inline in waitq_sleep too, where without a
 * hand-off or killable_only (every pipe's and futex's sleep) their
 * branches fold away. */
static inline __attribute__((always_inline)) int
sleep_on(struct waitq *wq, spinlock_t *lk, uint64_t deadline, struct waitq *handoff,
	 bool killable_only)
{
	struct thread *t = current_thread(), *next;
	int err;

	/* Under wait_lock, held into the sleep: a signal's sender sets its
	 * flag before it takes the lock to wake us (sleep_handoff). */
	spin_lock(&wait_lock);
	if (interrupted(t, killable_only)) {
		spin_unlock(&wait_lock);
		return -EINTR;
	}
	waitq_add(wq, t);
	spin_unlock(lk);
	next = handoff ? waitq_pop(handoff) : NULL;
	if (next && !may_run_here(next)) {
		wake_locked(next); /* its affinity excludes this CPU: no hand-off */
		next = NULL;
	}
	err = sleep_handoff(deadline, next, killable_only, true);
	end_sleep_timer(deadline);
	spin_lock(lk);
	return err;
}

int waitq_sleep(struct waitq *wq, spinlock_t *lk, uint64_t deadline)
{
	return sleep_on(wq, lk, deadline, NULL, false);
}

int waitq_sleep_handoff(struct waitq *wq, spinlock_t *lk, uint64_t deadline,
			struct waitq *handoff, bool killable_only)
{
	return sleep_on(wq, lk, deadline, handoff, killable_only);
}

void waitq_wake_handoff(struct waitq *wq, spinlock_t *lk)
{
	struct thread *first, *t;

	/* lk was taken with interrupts masked by the caller. wq may live on a
	 * waiter's stack, kept by lk (a waiter not asleep yet could otherwise
	 * see its condition and return): empty it before letting lk go. */
	spin_lock(&wait_lock);
	first = waitq_pop(wq);
	while ((t = waitq_pop(wq)) != NULL)
		wake_locked(t);
	spin_unlock(lk);
	/* Only a sleeping thread that may run here can be handed the CPU; the
	 * idle thread (a kernel caller) never gives its CPU away. */
	if (first && first->state == THREAD_SLEEPING && current_thread() != this_cpu()->idle &&
	    may_run_here(first)) {
		claim_handoff(first);
		switch_locked_inline(this_cpu(), this_rq(), first, sched_smp());
		finish_switch(this_cpu());
		return;
	}
	if (first)
		wake_locked(first);
	spin_unlock(&wait_lock);
}

void waitq_wake_all(struct waitq *wq)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);
	struct thread *t;

	while ((t = waitq_pop(wq)) != NULL)
		wake_inline(t);
	spin_unlock_irqrestore(&wait_lock, flags);
}

/* Wakes t from whatever it sleeps on, so it notices a signal. */
void sched_interrupt(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	/* A fatal signal raises it to run to its exit (prio.c). Only then:
	 * other signals leave its priority alone (recomputing it on every
	 * signal made /bin/fuzz stall in test_fuzz, not yet understood). */
	if (signal_fatal_pending(t))
		sched_reprio_locked(t);
	if (t->state == THREAD_SLEEPING)
		waitq_remove(t);
	wake_locked(t);
	/* Running in user space elsewhere: enter the kernel there now, whose
	 * way back looks at signals and death, not at the next tick. A racy
	 * read: a thread just switched out takes the signal when it runs. */
	if (__atomic_load_n(&t->state, __ATOMIC_RELAXED) == THREAD_RUNNING &&
	    __atomic_load_n(&t->cpu, __ATOMIC_RELAXED) != this_cpu()->id)
		smp_send_ipi(t->cpu, IPI_KICK);
	spin_unlock_irqrestore(&wait_lock, flags);
}
