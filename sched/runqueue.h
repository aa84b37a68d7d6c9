/*
 * sched/runqueue.h: what the scheduler's files share (not for use outside
 * sched/): the per-CPU run queues, the wait lock, the CPU masks and the
 * placement of ready threads (placement.c).
 *
 * Locks, in this order (LOCKING in kernel/lib/spinlock.h):
 *  wait_lock ("sched", the one global lock): every wait queue's list; a thread's
 *     waiting_on, timed_out, wake_timer, nice, pi_boost; its state's
 *     changes into and out of SLEEPING and DEAD (a wake-up is one);
 *     all_threads and next_tid (threads.c). Writes of prio and affinity
 *     take it and then the thread's run queue lock.
 *  runqueues[n].lock ("runqueue", one per CPU): that queue's lists; of the
 *     threads on it or running on CPU n: state READY <-> RUNNING, cpu,
 *     slice, on_cpu, cpu_ns, run_start; cpus[n].current and .prev. Two of
 *     them are taken lower CPU number first (rq_lock_two, a steal).
 *
 * Invariants, each kept under those locks:
 *  - A thread is on a run queue iff it is READY, and then on runqueues[
 *    t->cpu]: moving it takes both queues' locks, so it is never on two.
 *  - The switch holds its own CPU's queue lock, and only that one, across
 *    cpu_switch_to; the thread switched to releases it (sched_finish_
 *    switch), after clearing the old thread's on_cpu with release order.
 *    So a thread switched out on CPU n (on_cpu set) may be put on n's queue
 *    at once (only n's holder can take it, after the save) but on another
 *    CPU's only once on_cpu reads clear (wait_off_cpu, acquire: its
 *    registers, FP/SIMD state and TPIDR_EL0 are then saved). Whoever waits
 *    for on_cpu holds no run queue lock, so the switch it waits for, which
 *    needs only its own, always finishes; a steal skips on_cpu threads.
 *  - A sleeper checks its condition and signals, queues itself and becomes
 *    SLEEPING under wait_lock, and takes its queue lock before letting
 *    wait_lock go: a waker, under wait_lock, sees it either still awake
 *    (and the condition already changed) or SLEEPING: no lost wake-up.
 *  - Off every queue but not sleeping, only briefly and only as follows: a
 *    hand-off's target, claimed RUNNING under wait_lock and this CPU's
 *    queue lock before the switch to it; a running thread whose affinity
 *    excludes its CPU, RUNNING until sched_finish_switch places it by a
 *    wake-up; a ready thread sched_set_affinity moves, SLEEPING only inside
 *    one wait_lock hold. Wake-ups act on SLEEPING threads only.
 */
#ifndef SCHED_RUNQUEUE_H
#define SCHED_RUNQUEUE_H

#include "sched/sched.h"
#include "sched/policy.h"
#include "kernel/smp.h"

extern spinlock_t wait_lock;
extern struct runqueue runqueues[MAX_CPUS];

/* CPUs whose scheduler runs (bit n: CPU n; atomic, only set). */
extern uint64_t sched_cpus;
/* Atomic, only set to 1: sched_cpus has more than one bit, kept apart so
 * that sched_smp, on every switch, is one load and no arithmetic (an int,
 * not a bool: its load feeds a cbz without a tst). */
extern int sched_smp_on;
/* CPU cpu's scheduler runs: its bit into sched_cpus, then sched_smp_on
 * if it is not the only one (before the CPU takes any run queue lock). */
void sched_cpu_join(unsigned cpu);
/* More than one CPU schedules: without that, no SMP bookkeeping at all
 * (idle mask, steals, on_cpu waits) on the yield and wake paths. */
static inline bool sched_smp(void)
{
	return __atomic_load_n(&sched_smp_on, __ATOMIC_ACQUIRE) != 0;
}

static inline bool allowed(const struct thread *t, unsigned cpu)
{
	return cpu < MAX_CPUS && (t->affinity >> cpu) & 1 && smp_cpu_online(cpu);
}

/* placement.c */
/* This CPU runs its idle thread (set) or a thread (clear); SMP only. */
void idle_mask_set(unsigned cpu, bool idle);
/* Where ready thread t should run; with wait_lock held. */
unsigned select_cpu(struct thread *t);
/* Puts t (READY from now) on cpu's queue, whose lock is held; preempts
 * what cpu runs if t should. */
void enqueue_locked(unsigned cpu, struct thread *t);
/* Makes cpu choose again: at once if it is this one, else by an IPI. */
void resched_cpu(unsigned cpu);
/* Waits until t's registers are saved by the switch away from it. Inline:
 * every hand-off runs it (and finds on_cpu clear at once). */
static inline void wait_off_cpu(const struct thread *t)
{
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		__asm__ volatile("yield");
}
/* Locks the run queue t is on or runs from (wait_lock held, so a wake-up
 * cannot move it); returns it. */
struct runqueue *task_rq_lock(struct thread *t);
/* Whether a ready thread better than prio below waits on another CPU's
 * queue and may run on c (the tick, the idle loop). */
bool pull_candidate(const struct cpu *c, int below);
/* The best priority waiting on rq, read without its lock: a hint, checked
 * again under the lock before anything moves. */
int rq_hint_best(const struct runqueue *rq);
/* Moves the best such thread onto c's own queue (c's lock not held). */
void pull_better(const struct cpu *c, int below);
/* c is about to sleep with nothing queued: takes back c->woke, the thread
 * it last woke onto another CPU, if that CPU has not started it yet
 * (placement.c). wait_lock held, IRQs masked. */
void pull_woken(struct cpu *c);

/* wait.c: wakes t if it sleeps; wait_lock held. */
void wake_locked(struct thread *t);
/* sched/prio.c: recomputes t's effective priority (nice, PI boosts, a
 * fatal signal pending); wait_lock held. A ready t is requeued at its new
 * level (on the same CPU: the tick pulls it if a better CPU is free); a
 * running t that got worse makes its CPU choose. */
void sched_reprio_locked(struct thread *t);

/* switch.c: switches to next (NULL: the best ready thread). Entered with
 * this CPU's queue lock held (only it) and IRQs masked; returns when the
 * calling thread runs again, then the caller calls sched_finish_switch. A
 * given next was claimed RUNNING by the caller under wait_lock. */
void switch_locked(struct runqueue *rq, struct thread *next);

/* switch.c: what sched_finish_switch leaves to after the queue lock, a
 * dead thread to free or a moving one to place (its state: DEAD, RUNNING). */
void finish_prev(struct thread *prev, enum thread_state state);

/* sched_finish_switch on c (this CPU), inline for the scheduler's own
 * switches: drops the queue lock switch_locked left held. */
static inline void finish_switch(struct cpu *c)
{
	struct thread *prev = c->prev;
	enum thread_state state = prev ? prev->state : THREAD_READY;

	/* prev's state is read before on_cpu drops: after that, another CPU
	 * may run it. Only DEAD or an affinity move (RUNNING) need more. */
	c->prev = NULL;
	if (prev)
		__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	spin_unlock(&c->rq->lock);
	if (prev && prev != c->idle && (state == THREAD_DEAD || state == THREAD_RUNNING))
		finish_prev(prev, state);
}

/* switch.c: hooks the scheduler's tick (sched_init). */
void sched_hook_tick(void);

/* threads.c: unlinks and frees a thread that no longer runs anywhere. */
void thread_free(struct thread *t);

/* The counter the CPU time of threads is taken from (cpu_ns, run_start):
 * the virtual count CNTVCT_EL0 (Arm ARM D11.2), which timer_now reads
 * through the clock driver (arch/aarch64/dev/arch_timer.c), read here
 * straight, for every switch reads it. No ISB before it: only its own
 * CPU's differences are taken, and a read done a few instructions early
 * moves that little time from one thread to the next. */
static inline uint64_t sched_counter(void)
{
	return read_sysreg(cntvct_el0);
}

static inline struct runqueue *this_rq(void)
{
	return this_cpu()->rq;
}

#endif
