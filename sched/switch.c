/*
 * sched/switch.c: the switch between threads on one CPU, and what drives
 * it: schedule, yield, exit, the tick and the idle loop. The locking rules
 * (one queue lock held across cpu_switch_to, on_cpu) are in runqueue.h.
 */
#include "sched/runqueue.h"
#include "sched/cpustat.h"
#include "kernel/timer.h"
#include "kernel/panic.h"
#include "mm/space_switch.h"
#include "asm/cpu.h"
#include "asm/fpsimd.h"

_Static_assert(offsetof(struct cpu_context, fp) == CTX_FP, "CTX_FP");
_Static_assert(offsetof(struct cpu_context, lr) == CTX_LR, "CTX_LR");
_Static_assert(offsetof(struct cpu_context, sp) == CTX_SP, "CTX_SP");
_Static_assert(sizeof(struct cpu_context) == CTX_SIZE, "CTX_SIZE");
_Static_assert(offsetof(struct fpsimd_state, fpsr) == FPSIMD_FPSR, "FPSIMD_FPSR");
_Static_assert(offsetof(struct fpsimd_state, fpcr) == FPSIMD_FPCR, "FPSIMD_FPCR");

/* Saves prev's user-visible CPU state and loads next's; FP/SIMD lazily
 * (arch/aarch64/fpsimd.c: next's registers on its first use). TPIDR_EL0
 * goes with every thread, kernel threads too: theirs is never read (no
 * EL0 runs on them), and the copy costs less than asking. */
static inline __attribute__((always_inline)) void switch_user_state(struct cpu *c,
								     struct thread *prev,
								     struct thread *next)
{
	if (c->fp_owner) /* else EL0's FP use traps already */
		fpsimd_switch_out_owned(prev);
	prev->tpidr_el0 = read_sysreg(tpidr_el0);
	write_sysreg(tpidr_el0, next->tpidr_el0);
	aspace_switch_to(c, next->as);
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

/* Calls cpu_switch_to, which keeps only x29, x30 and SP: the call is
 * declared to clobber every other general register (x18 too: nothing
 * reserves it), so the compiler saves the callee-saved ones this frame
 * needs in its prologue, once, instead of the switch storing all ten.
 * -mgeneral-regs-only: no FP/SIMD register is live in the kernel. */
static inline __attribute__((always_inline)) void switch_stacks(struct cpu_context *from,
								 struct cpu_context *to)
{
	register struct cpu_context *a0 __asm__("x0") = from;
	register struct cpu_context *a1 __asm__("x1") = to;

	__asm__ volatile("bl cpu_switch_to"
			 : "+r"(a0), "+r"(a1)
			 :
			 : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			   "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22",
			   "x23", "x24", "x25", "x26", "x27", "x28", "x30", "cc", "memory");
}

/* The idle mask and the priority wake-ups elsewhere compare against;
 * kept only while more than one CPU schedules (sched_smp, which the
 * caller asks: both may lag by a switch when the second CPU comes up, a
 * worse placement once, nothing lost). */
static void note_running(struct runqueue *rq, struct cpu *c, struct thread *prev,
			 struct thread *next)
{
	__atomic_store_n(&rq->curr_prio, next == c->idle ? THREAD_PRIORITIES : next->prio,
			 __ATOMIC_RELAXED);
	if ((prev == c->idle) != (next == c->idle))
		idle_mask_set(c->id, next == c->idle);
}

/* switch_locked's body on this CPU c, smp its caller's sched_smp():
 * inline in the yield's path (reschedule), where a second frame and call,
 * and asking the same again, cost more than the bookkeeping around them. */
static inline __attribute__((always_inline)) void switch_locked_inline(struct cpu *c,
									struct runqueue *rq,
									struct thread *next,
									bool smp)
{
	struct thread *prev = c->current;
	uint64_t now;

	/* A running prev whose affinity now excludes this CPU stays RUNNING
	 * off every queue until sched_finish_switch, once it is saved, places
	 * it (nothing but that changes a RUNNING thread's state). */
	if (prev->state == THREAD_RUNNING && prev != c->idle && (prev->affinity >> c->id) & 1) {
		if (next)
			rq_push(rq, prev);
		else
			next = rq_push_pop(rq, prev);
	} else if (!next) {
		next = rq_pop(rq);
	}
	if (!next)
		next = c->idle;
	c->need_resched = false;
	next->cpu = c->id;
	next->state = THREAD_RUNNING;
	quantum_start(next);
	if (next == prev)
		return;
	now = sched_counter();
	__atomic_store_n(&prev->cpu_ns, prev->cpu_ns + count_to_ns(now - prev->run_start),
			 __ATOMIC_RELAXED);
	next->run_start = now;
	next->on_cpu = true;
	switch_user_state(c, prev, next);
	if (smp)
		note_running(rq, c, prev, next);
	c->prev = prev;
	c->current = next;
	switch_stacks(&prev->ctx, &next->ctx);
	/* Back in prev, maybe on another CPU: the caller finishes the switch. */
}

void switch_locked(struct runqueue *rq, struct thread *next)
{
	switch_locked_inline(this_cpu(), rq, next, sched_smp());
}

/* What sched_finish_switch leaves for after the queue lock: a dead thread
 * to free, or a running one its affinity sends elsewhere to place. */
void finish_prev(struct thread *prev, enum thread_state state)
{
	uint64_t flags = irq_save();

	if (state == THREAD_DEAD) {
		thread_free(prev);
	} else {
		spin_lock(&wait_lock);
		prev->state = THREAD_SLEEPING; /* off every queue: wake it to place it */
		wake_locked(prev);
		spin_unlock(&wait_lock);
	}
	irq_restore(flags);
}

void sched_finish_switch(void)
{
	finish_switch(this_cpu());
}

/* Pulls a better thread from elsewhere if one waits, then switches.
 * Inline in both callers: the yield's whole path is one frame. */
static inline __attribute__((always_inline)) void reschedule(struct cpu *c, uint64_t flags)
{
	struct thread *cur = c->current;
	struct runqueue *rq = c->rq;
	bool smp = sched_smp();

	if (smp) {
		int below = rq_hint_best(rq);

		if (cur != c->idle && cur->prio < below)
			below = cur->prio;
		pull_better(c, below);
	}
	spin_lock(&rq->lock);
	switch_locked_inline(c, rq, NULL, smp);
	/* Maybe on another CPU now: this_cpu() again. */
	finish_switch(this_cpu());
	irq_restore(flags);
}

void schedule(void)
{
	uint64_t flags = irq_save();

	reschedule(this_cpu(), flags);
}

void sched_yield(void)
{
	uint64_t flags = irq_save();
	struct cpu *c = this_cpu();

	c->current->slice = 0; /* its own CPU's field, IRQs masked */
	reschedule(c, flags);
}

void sched_preempt_point(void)
{
	if (this_cpu()->need_resched)
		schedule();
}

void sched_exit_current(void)
{
	irq_disable();
	spin_lock(&wait_lock);
	current_thread()->state = THREAD_DEAD;
	spin_lock(&this_rq()->lock);
	spin_unlock(&wait_lock);
	switch_locked(this_rq(), NULL);
	panic("a dead thread was scheduled");
}

/* n ticks passed on this CPU since its last tick interrupt (more than one
 * when the interrupt came late). In the interrupt: IRQs are masked. */
static void sched_tick(uint64_t n)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;

	if (t && t != c->idle) {
		c->busy_ticks += n;
		if (quantum_tick(t))
			c->need_resched = true;
		if (pull_candidate(c, t->prio))
			c->need_resched = true;
	}
	if (t && !t->kthread && t->proc)
		proc_thread_tick(t); /* ITIMER_VIRTUAL, ITIMER_PROF */
	if (cpustat_tick(!t || t == c->idle))
		__atomic_store_n(&t->sys_ticks, t->sys_ticks + 1, __ATOMIC_RELAXED);
	if (c->id == 0 && loadavg_due(timer_ticks())) {
		struct sched_counts cnt;

		sched_count(&cnt);
		loadavg_update(cnt.active);
	}
}

void sched_hook_tick(void)
{
	timer_set_tick_hook(sched_tick);
}

/* Whether c has something to run: its own queue or one it may steal.
 * IRQs masked: the tick takes the same queue locks. */
static bool has_work(struct cpu *c)
{
	uint64_t flags = irq_save();
	bool work = rq_hint_best(&runqueues[c->id]) < THREAD_PRIORITIES ||
		    pull_candidate(c, THREAD_PRIORITIES);

	irq_restore(flags);
	return work;
}

void sched_idle(void)
{
	struct cpu *c = this_cpu();

	sched_cpu_join(c->id);
	for (;;) {
		irq_disable();
		/* Back in the mask if a wake-up claimed this CPU for a thread
		 * another CPU then stole. */
		if (sched_smp())
			idle_mask_set(c->id, true);
		if (!has_work(c))
			wfi(); /* wakes on a pending interrupt (tick, IPI) even while masked */
		irq_enable();
		if (has_work(c))
			schedule();
	}
}
