/*
 * sched/sched.c: the switch, sleeping and waking (see sched.h), applying
 * the policy of sched/policy.c.
 *
 * sched_lock guards every run queue, every thread's scheduling fields and
 * every wait queue. It is held across cpu_switch_to: the thread that runs
 * next releases it (sched_finish_switch), so no other CPU can see a thread
 * that is half switched. Interrupts are masked while it is held.
 */
#include "sched/sched.h"
#include "sched/cpustat.h"
#include "sched/waitq.h"
#include "sched/policy.h"
#include "kernel/sigstate.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "mm/kmap.h"
#include "mm/heap.h"
#include "mm/uvm.h"
#include "asm/trap.h"
#include "asm/cpu.h"
#include <string.h>

_Static_assert(offsetof(struct cpu_context, x19_x28) == CTX_X19, "CTX_X19");
_Static_assert(offsetof(struct cpu_context, fp) == CTX_FP, "CTX_FP");
_Static_assert(offsetof(struct cpu_context, lr) == CTX_LR, "CTX_LR");
_Static_assert(offsetof(struct cpu_context, sp) == CTX_SP, "CTX_SP");
_Static_assert(sizeof(struct cpu_context) == CTX_SIZE, "CTX_SIZE");
_Static_assert(offsetof(struct fpsimd_state, fpsr) == FPSIMD_FPSR, "FPSIMD_FPSR");
_Static_assert(offsetof(struct fpsimd_state, fpcr) == FPSIMD_FPCR, "FPSIMD_FPCR");

static spinlock_t sched_lock = SPINLOCK_INIT("sched");
/* Guarded by sched_lock: */
static struct runqueue runqueues[MAX_CPUS];
static struct thread *all_threads;
static int next_tid = 1;
static struct thread boot_thread; /* becomes CPU 0's idle thread */

static void sched_tick(void)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;

	if (t && t != c->idle && quantum_tick(t))
		c->need_resched = true;
	if (t && !t->kthread && t->proc)
		proc_thread_tick(t); /* ITIMER_VIRTUAL, ITIMER_PROF */
	if (cpustat_tick(!t || t == c->idle))
		__atomic_store_n(&t->sys_ticks, t->sys_ticks + 1, __ATOMIC_RELAXED);
	if (c->id == 0 && loadavg_due(timer_ticks())) {
		struct sched_counts n;

		sched_count(&n);
		loadavg_update(n.active);
	}
}

void sched_init(void)
{
	struct cpu *c = this_cpu();

	boot_thread.tid = 0;
	boot_thread.kthread = true;
	boot_thread.state = THREAD_RUNNING;
	boot_thread.prio = THREAD_PRIORITIES - 1;
	boot_thread.run_start = timer_now();
	c->current = c->idle = &boot_thread;
	all_threads = &boot_thread;
	timer_set_tick_hook(sched_tick);
}

struct thread *thread_create_user(struct proc *p)
{
	struct thread *t = kzalloc(sizeof(*t));
	uint64_t flags;

	if (!t)
		return NULL;
	t->kstack_top = kstack_alloc();
	if (!t->kstack_top) {
		kfree(t);
		return NULL;
	}
	t->proc = p;
	t->tf = (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
	memset(t->tf, 0, sizeof(*t->tf));
	t->ctx.sp = (uint64_t)t->tf;
	t->ctx.lr = (uint64_t)thread_trampoline;
	t->prio = THREAD_PRIO_USER;
	t->state = THREAD_SLEEPING; /* not runnable until sched_add */
	flags = spin_lock_irqsave(&sched_lock);
	t->tid = next_tid++;
	t->all_next = all_threads;
	all_threads = t;
	spin_unlock_irqrestore(&sched_lock, flags);
	return t;
}

void sched_add(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	rq_push(&runqueues[this_cpu()->id], t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

static void wake_locked(struct thread *t)
{
	if (t->state != THREAD_SLEEPING)
		return;
	rq_push(&runqueues[this_cpu()->id], t);
	/* A woken thread should not wait for the idle loop's next tick. */
	if (wake_preempts(t, this_cpu()->current, this_cpu()->idle))
		this_cpu()->need_resched = true;
}

void sched_wake(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	wake_locked(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

/* Saves prev's user-visible CPU state and loads next's. */
static void switch_user_state(struct thread *prev, struct thread *next)
{
	if (prev->proc) {
		fpsimd_save(&prev->fp);
		prev->tpidr_el0 = read_sysreg(tpidr_el0);
	}
	if (next->proc) {
		fpsimd_load(&next->fp);
		write_sysreg(tpidr_el0, next->tpidr_el0);
		aspace_activate(proc_thread_space(next));
	} else {
		aspace_activate(NULL);
	}
}

/* Counter ticks to ns for the CPU time of every switch, by a multiply
 * (ns = count * mult >> 32) instead of timer_count_to_ns's 128-bit
 * division, which costs more than the rest of a switch's bookkeeping.
 * mult is count_to_ns(2^32), taken once the timer runs (idempotent). */
#define COUNT_NS_SHIFT 32
static uint64_t count_ns_mult; /* atomic */

static uint64_t count_to_ns(uint64_t count)
{
	uint64_t mult = __atomic_load_n(&count_ns_mult, __ATOMIC_RELAXED);

	if (!mult) {
		mult = timer_count_to_ns(1ULL << COUNT_NS_SHIFT);
		__atomic_store_n(&count_ns_mult, mult, __ATOMIC_RELAXED);
	}
	return (uint64_t)(((unsigned __int128)count * mult) >> COUNT_NS_SHIFT);
}

/* Switches to next (NULL: the best ready thread). sched_lock held, IRQs
 * masked. A given next is one that was sleeping and is off its wait queue:
 * the direct hand-off, which skips the run queue's pick. */
static void switch_locked(struct thread *next)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current;
	uint64_t now = timer_now();

	if (prev->state == THREAD_RUNNING && prev != c->idle)
		rq_push(&runqueues[c->id], prev);
	if (!next)
		next = rq_pop(&runqueues[c->id]);
	if (!next)
		next = c->idle;
	c->need_resched = false;
	next->state = THREAD_RUNNING;
	quantum_start(next);
	if (next == prev)
		return;
	prev->cpu_ns += count_to_ns(now - prev->run_start);
	next->run_start = now;
	switch_user_state(prev, next);
	c->prev = prev;
	c->current = next;
	cpu_switch_to(&prev->ctx, &next->ctx);
	/* Back in prev: the caller finishes the switch (reap_prev_locked). */
}

/* Picks and switches to the next thread. sched_lock held, IRQs masked. */
static void schedule_locked(void)
{
	switch_locked(NULL);
}

/* Unlinks and frees a thread that is not running; sched_lock held. */
static void free_thread_locked(struct thread *t)
{
	for (struct thread **p = &all_threads; *p; p = &(*p)->all_next) {
		if (*p == t) {
			*p = t->all_next;
			break;
		}
	}
	kstack_free(t->kstack_top);
	kfree(t);
}

/* Frees what a dead thread left; the caller holds sched_lock. */
static void reap_prev_locked(void)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->prev;

	c->prev = NULL;
	if (prev && prev->state == THREAD_DEAD)
		free_thread_locked(prev);
}

void thread_discard(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	free_thread_locked(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_finish_switch(void)
{
	reap_prev_locked();
	spin_unlock(&sched_lock);
}

void schedule(void)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	schedule_locked();
	reap_prev_locked();
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_yield(void)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	current_thread()->slice = 0;
	schedule_locked();
	reap_prev_locked();
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_preempt_point(void)
{
	if (this_cpu()->need_resched)
		schedule();
}

static void wake_timer_fired(struct timer_event *ev)
{
	struct thread *t = ev->arg;
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	if (t->state == THREAD_SLEEPING) {
		t->timed_out = true;
		waitq_remove(t);
		wake_locked(t);
	}
	spin_unlock_irqrestore(&sched_lock, flags);
}

/* What ends a sleep early: any pending signal, or only the thread's death
 * (signal_fatal_pending: exit_group, execve elsewhere, SIGKILL). */
static bool interrupted(const struct thread *t, bool killable_only)
{
	return killable_only ? signal_fatal_pending(t) : signal_pending_for(t);
}

/*
 * Sleeps with sched_lock held; wakes on a wake-up or at deadline (0: none).
 * The wake timer may still be pending or running on another CPU when this
 * returns: the caller calls end_sleep_timer once sched_lock is released
 * (the timer's handler takes sched_lock, and timer_cancel waits for it).
 * handoff, if not NULL, is a thread taken off its wait queue (still
 * SLEEPING) that gets this CPU at once; killable_only: only death ends the
 * sleep early (interrupted).
 */
static int sleep_handoff_locked(uint64_t deadline, struct thread *handoff, bool killable_only)
{
	struct thread *t = current_thread();

	/* A signal sent before this point (its sender sets the flag, then
	 * takes sched_lock to wake us) must not be slept through. */
	if (interrupted(t, killable_only)) {
		waitq_remove(t);
		if (handoff)
			wake_locked(handoff);
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
	switch_locked(handoff);
	reap_prev_locked();
	if (interrupted(t, killable_only))
		return -EINTR;
	return t->timed_out ? -ETIMEDOUT : 0;
}

static int sleep_locked(uint64_t deadline)
{
	return sleep_handoff_locked(deadline, NULL, false);
}

/* After sleep_locked, without sched_lock: once this returns, the wake
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

	if (signal_pending_for(current_thread()))
		return -EINTR;
	if (deadline <= timer_now())
		return 0;
	if (deadline == TIMER_NEVER)
		deadline = 0; /* no timer: only a kill ends this sleep */
	flags = spin_lock_irqsave(&sched_lock);
	err = sleep_locked(deadline);
	spin_unlock_irqrestore(&sched_lock, flags);
	end_sleep_timer(deadline);
	return err == -ETIMEDOUT ? 0 : err;
}

int waitq_sleep(struct waitq *wq, spinlock_t *lk, uint64_t deadline)
{
	return waitq_sleep_handoff(wq, lk, deadline, NULL, false);
}

int waitq_sleep_handoff(struct waitq *wq, spinlock_t *lk, uint64_t deadline,
			struct waitq *handoff, bool killable_only)
{
	struct thread *t = current_thread(), *next;
	int err;

	if (interrupted(t, killable_only))
		return -EINTR;
	spin_lock(&sched_lock);
	waitq_add(wq, t);
	spin_unlock(lk);
	next = handoff ? waitq_pop(handoff) : NULL;
	err = sleep_handoff_locked(deadline, next, killable_only);
	spin_unlock(&sched_lock);
	end_sleep_timer(deadline);
	spin_lock(lk);
	return err;
}

void waitq_wake_handoff(struct waitq *wq, spinlock_t *lk)
{
	struct thread *first, *t;

	/* lk was taken with interrupts masked by the caller. wq may live on a
	 * waiter's stack, kept by lk (a waiter not asleep yet could otherwise
	 * see its condition and return): empty it before letting lk go. */
	spin_lock(&sched_lock);
	first = waitq_pop(wq);
	while ((t = waitq_pop(wq)) != NULL)
		wake_locked(t);
	spin_unlock(lk);
	/* Only a sleeping thread can be handed the CPU; the idle thread (a
	 * kernel caller) never gives its CPU away. */
	if (first && first->state == THREAD_SLEEPING && current_thread() != this_cpu()->idle) {
		switch_locked(first);
		reap_prev_locked();
	} else if (first) {
		wake_locked(first);
	}
	spin_unlock(&sched_lock);
}

void waitq_wake_all(struct waitq *wq)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	struct thread *t;

	while ((t = waitq_pop(wq)) != NULL)
		wake_locked(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

/* The run-queue level of a nice value: 0 is THREAD_PRIO_USER, 1..9 one
 * level lower, 10..19 two (the lowest a user thread gets; the idle thread
 * is below). Negative nice values are refused by setpriority. */
#define NICE_PER_LEVEL 10
static int nice_prio(int nice)
{
	return THREAD_PRIO_USER + (nice > 0 ? 1 + nice / NICE_PER_LEVEL : 0);
}

/* Recomputes t's effective priority; sched_lock held. A running t keeps
 * its CPU until its next switch (with SMP, one running elsewhere would need
 * that CPU's need_resched set, not this one's). */
static void reprio_locked(struct thread *t)
{
	struct cpu *c = this_cpu();
	int p = nice_prio(t->nice), old = t->prio;

	for (int i = 0; i < p; i++) {
		if (t->pi_boost[i]) {
			p = i;
			break;
		}
	}
	if (p == old)
		return;
	if (t->state == THREAD_READY) {
		for (int i = 0; i < MAX_CPUS; i++)
			if (rq_remove(&runqueues[i], t))
				break;
		t->prio = p;
		rq_push(&runqueues[c->id], t);
		if (wake_preempts(t, c->current, c->idle))
			c->need_resched = true;
	} else {
		t->prio = p;
		if (t == c->current && p > old)
			c->need_resched = true; /* a better thread may be ready */
	}
}

void sched_set_nice(struct thread *t, int nice)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	t->nice = nice;
	reprio_locked(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

int sched_get_nice(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	int nice = t->nice;

	spin_unlock_irqrestore(&sched_lock, flags);
	return nice;
}

int sched_get_prio(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	int prio = t->prio;

	spin_unlock_irqrestore(&sched_lock, flags);
	return prio;
}

void sched_pi_boost(struct thread *t, int prio, int delta)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	t->pi_boost[prio] += delta;
	reprio_locked(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

/* Wakes t from whatever it sleeps on, so it notices a signal. */
void sched_interrupt(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	if (t->state == THREAD_SLEEPING)
		waitq_remove(t);
	wake_locked(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_exit_current(void)
{
	spin_lock_irqsave(&sched_lock);
	current_thread()->state = THREAD_DEAD;
	schedule_locked();
	panic("a dead thread was scheduled");
}

void sched_idle(void)
{
	struct cpu *c = this_cpu();

	for (;;) {
		irq_disable();
		if (rq_empty(&runqueues[c->id]))
			wfi(); /* wakes on a pending interrupt even while masked */
		irq_enable();
		if (!rq_empty(&runqueues[c->id]))
			schedule();
	}
}

static void stat_locked(const struct thread *t, struct thread_stat *st)
{
	*st = (struct thread_stat){ .state = t->state, .cpu_ns = t->cpu_ns,
				    .sys_ns = __atomic_load_n(&t->sys_ticks, __ATOMIC_RELAXED) * TICK_NS };
}

void sched_thread_stat(struct thread *t, struct thread_stat *st)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	stat_locked(t, st);
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_count(struct sched_counts *out)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	*out = (struct sched_counts){ 0 };
	for (struct thread *t = all_threads; t; t = t->all_next) {
		if (t->kthread || t->state == THREAD_DEAD)
			continue;
		out->threads++;
		if (t->state == THREAD_READY || t->state == THREAD_RUNNING)
			out->active++;
	}
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_for_each_kthread(void (*fn)(const struct thread_stat *st, void *arg), void *arg)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	for (struct thread *t = all_threads; t; t = t->all_next) {
		struct thread_stat st;

		if (!t->kthread)
			continue;
		stat_locked(t, &st);
		fn(&st, arg);
	}
	spin_unlock_irqrestore(&sched_lock, flags);
}
