/*
 * sched/sched.c: the switch, sleeping and waking (see sched.h), applying
 * the policy of sched/policy.c, on every CPU.
 *
 * sched_lock guards every run queue, every thread's scheduling fields and
 * every wait queue. It is held across cpu_switch_to: the thread that runs
 * next releases it (sched_finish_switch), so no other CPU can see a thread
 * that is half switched: a thread on a run queue, seen under the lock, has
 * its registers, FP/SIMD state and TPIDR_EL0 saved (switch_user_state, all
 * eager, no lazy FP), so any CPU may take it. Interrupts are masked while
 * it is held.
 *
 * Each CPU has its own run queue. A thread made ready goes to the CPU it
 * last ran on if that one idles, else to an idle CPU, else to the CPU
 * running the lowest priority below its own, else back to its last CPU
 * (select_cpu); that CPU is interrupted (IPI_RESCHEDULE) when the thread
 * should preempt what it runs. A CPU choosing what to run takes a thread of
 * strictly higher priority from another CPU's queue (or any, when its own is
 * empty: idle stealing), and the tick asks for that choice when such a
 * thread waits elsewhere, so a ready thread never waits more than a tick
 * behind a lower priority running on another CPU. Only ready threads (on a
 * queue, so not running) move between CPUs.
 */
#include "sched/sched.h"
#include "sched/cpustat.h"
#include "sched/waitq.h"
#include "sched/policy.h"
#include "kernel/sigstate.h"
#include "kernel/timer.h"
#include "kernel/smp.h"
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

static bool allowed(const struct thread *t, unsigned cpu)
{
	return cpu < MAX_CPUS && (t->affinity >> cpu) & 1 && smp_cpu_online(cpu);
}

/* The priority cpu runs at now; the idle thread counts below every other. */
static int running_prio(unsigned cpu)
{
	const struct cpu *c = &cpus[cpu];

	return c->current == c->idle ? THREAD_PRIORITIES : c->current->prio;
}

static bool cpu_idle(unsigned cpu)
{
	return cpus[cpu].current == cpus[cpu].idle && rq_empty(&runqueues[cpu]);
}

/* Where ready thread t should run (see the top of this file). */
static unsigned select_cpu(const struct thread *t)
{
	unsigned best = MAX_CPUS;
	int lowest = t->prio;

	/* One CPU online: nothing to choose (and no scan on every wake-up). */
	if (smp_online_cpus() == 1 && allowed(t, t->cpu))
		return t->cpu;
	if (allowed(t, t->cpu) && cpu_idle(t->cpu))
		return t->cpu;
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (allowed(t, i) && cpu_idle(i))
			return i;
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		if (allowed(t, i) && running_prio(i) > lowest) {
			lowest = running_prio(i);
			best = i;
		}
	}
	if (best < MAX_CPUS)
		return best;
	if (allowed(t, t->cpu))
		return t->cpu;
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (allowed(t, i))
			return i;
	return this_cpu()->id; /* no allowed CPU online: sched_set_affinity refuses that */
}

/* Makes cpu choose again: at once if it is this one, else by an IPI. */
static void resched_cpu(unsigned cpu)
{
	if (cpu == this_cpu()->id) {
		this_cpu()->need_resched = true;
		return;
	}
	__atomic_store_n(&cpus[cpu].need_resched, true, __ATOMIC_RELAXED);
	smp_send_ipi(cpu, IPI_RESCHEDULE);
}

/* Puts ready t on cpu's queue; preempts what cpu runs if t should. */
static void enqueue_locked(unsigned cpu, struct thread *t)
{
	t->cpu = cpu;
	rq_push(&runqueues[cpu], t);
	if (wake_preempts(t, cpus[cpu].current, cpus[cpu].idle))
		resched_cpu(cpu);
}

/* The best thread on another CPU's queue that may run on c with a
 * priority better than below; NULL if none. sched_lock held. */
static struct thread *steal_candidate(const struct cpu *c, int below)
{
	struct thread *best = NULL;

	if (smp_online_cpus() == 1)
		return NULL; /* nobody to steal from: no scan on every switch */
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		if (i == c->id || !smp_cpu_online(i))
			continue;
		for (int p = 0; p < below && p < THREAD_PRIORITIES; p++) {
			for (struct thread *t = runqueues[i].head[p]; t; t = t->next) {
				if ((t->affinity >> c->id) & 1) {
					best = t;
					below = p;
					break;
				}
			}
		}
	}
	return best;
}

/* The next thread for c, off its queue, or NULL (idle). */
static struct thread *pick_next_locked(struct cpu *c)
{
	struct runqueue *rq = &runqueues[c->id];
	struct thread *t = steal_candidate(c, rq_best_prio(rq));

	if (!t)
		return rq_pop(rq);
	rq_remove(&runqueues[t->cpu], t);
	t->cpu = c->id;
	return t;
}

/* n ticks passed on this CPU since its last tick interrupt (more than one
 * when the interrupt came late). */
static void sched_tick(uint64_t n)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;

	if (t && t != c->idle) {
		c->busy_ticks += n;
		if (quantum_tick(t))
			c->need_resched = true;
	}
	if (t && t != c->idle && smp_online_cpus() > 1) {
		spin_lock(&sched_lock); /* in the interrupt: IRQs are masked */
		if (steal_candidate(c, t->prio))
			c->need_resched = true;
		spin_unlock(&sched_lock);
	}
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

/* Makes t, a kernel thread with no stack of its own yet, this CPU's idle
 * thread (it is what runs now). */
static void become_idle(struct thread *t)
{
	struct cpu *c = this_cpu();
	uint64_t flags;

	t->tid = 0;
	t->kthread = true;
	t->state = THREAD_RUNNING;
	t->prio = THREAD_PRIORITIES - 1;
	t->cpu = c->id;
	t->affinity = 1ULL << c->id;
	t->run_start = timer_now();
	c->current = c->idle = t;
	flags = spin_lock_irqsave(&sched_lock);
	t->all_next = all_threads;
	all_threads = t;
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_init(void)
{
	become_idle(&boot_thread);
	timer_set_tick_hook(sched_tick);
}

void sched_init_cpu(void)
{
	static struct thread idle_threads[MAX_CPUS]; /* [0] unused: boot_thread */

	become_idle(&idle_threads[this_cpu()->id]);
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
	t->cpu = this_cpu()->id;
	flags = spin_lock_irqsave(&sched_lock);
	/* As Linux: a new thread or process inherits its creator's CPUs. */
	t->affinity = current_thread()->kthread ? CPU_MASK_ALL : current_thread()->affinity;
	t->tid = next_tid++;
	t->all_next = all_threads;
	all_threads = t;
	spin_unlock_irqrestore(&sched_lock, flags);
	return t;
}

void sched_add(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	enqueue_locked(select_cpu(t), t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

static void wake_locked(struct thread *t)
{
	if (t->state != THREAD_SLEEPING)
		return;
	/* A woken thread should not wait for an idle CPU's next tick. */
	enqueue_locked(select_cpu(t), t);
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

	if (prev->state == THREAD_RUNNING && prev != c->idle) {
		if (allowed(prev, c->id)) {
			rq_push(&runqueues[c->id], prev);
		} else {
			/* Its affinity changed: another CPU takes it, once this
			 * switch has saved it (sched_lock is held until then). */
			prev->state = THREAD_SLEEPING;
			enqueue_locked(select_cpu(prev), prev);
		}
	}
	if (!next)
		next = pick_next_locked(c);
	if (!next)
		next = c->idle;
	c->need_resched = false;
	next->cpu = c->id;
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
	if (next && !allowed(next, this_cpu()->id)) {
		wake_locked(next); /* its affinity excludes this CPU: no hand-off */
		next = NULL;
	}
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
	/* Only a sleeping thread that may run here can be handed the CPU; the
	 * idle thread (a kernel caller) never gives its CPU away. */
	if (first && first->state == THREAD_SLEEPING && current_thread() != this_cpu()->idle &&
	    allowed(first, this_cpu()->id)) {
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

/* Recomputes t's effective priority; sched_lock held. A running t that
 * got worse makes its CPU (maybe another) choose again. */
static void reprio_locked(struct thread *t)
{
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
		rq_remove(&runqueues[t->cpu], t);
		t->prio = p;
		enqueue_locked(select_cpu(t), t);
	} else {
		t->prio = p;
		if (t->state == THREAD_RUNNING && p > old)
			resched_cpu(t->cpu); /* a better thread may be ready */
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
	/* Running in user space elsewhere: enter the kernel there now, whose
	 * way back looks at signals and death, not at the next tick. */
	if (t->state == THREAD_RUNNING && t->cpu != this_cpu()->id)
		smp_send_ipi(t->cpu, IPI_KICK);
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_exit_current(void)
{
	spin_lock_irqsave(&sched_lock);
	current_thread()->state = THREAD_DEAD;
	schedule_locked();
	panic("a dead thread was scheduled");
}

/* Whether c has something to run: its own queue or one it may steal. */
static bool has_work(struct cpu *c)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	bool work = !rq_empty(&runqueues[c->id]) || steal_candidate(c, THREAD_PRIORITIES);

	spin_unlock_irqrestore(&sched_lock, flags);
	return work;
}

void sched_idle(void)
{
	struct cpu *c = this_cpu();

	for (;;) {
		irq_disable();
		if (!has_work(c))
			wfi(); /* wakes on a pending interrupt (tick, IPI) even while masked */
		irq_enable();
		if (has_work(c))
			schedule();
	}
}

int sched_set_affinity(struct thread *t, uint64_t mask)
{
	uint64_t flags;
	bool any = false;

	for (unsigned i = 0; i < MAX_CPUS; i++)
		any |= (mask >> i) & 1 && smp_cpu_online(i);
	if (!any)
		return -EINVAL;
	flags = spin_lock_irqsave(&sched_lock);
	t->affinity = mask;
	if (t->state == THREAD_READY && !allowed(t, t->cpu)) {
		rq_remove(&runqueues[t->cpu], t);
		enqueue_locked(select_cpu(t), t);
	} else if (t->state == THREAD_RUNNING && !allowed(t, t->cpu)) {
		/* Its switch hands it to an allowed CPU: for the caller, on its
		 * way back to user space, so it returns there already moved. */
		resched_cpu(t->cpu);
	}
	spin_unlock_irqrestore(&sched_lock, flags);
	return 0;
}

uint64_t sched_get_affinity(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	uint64_t mask = t->affinity;

	spin_unlock_irqrestore(&sched_lock, flags);
	return mask;
}

static void stat_locked(const struct thread *t, struct thread_stat *st)
{
	*st = (struct thread_stat){ .state = t->state, .cpu_ns = t->cpu_ns,
				    .sys_ns = __atomic_load_n(&t->sys_ticks, __ATOMIC_RELAXED) * TICK_NS,
				    .cpu = t->cpu };
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
