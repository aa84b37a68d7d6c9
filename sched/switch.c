/*
 * sched/switch.c: the switch between threads on one CPU, and what drives
 * it: schedule, yield, exit, the tick and the idle loop. The locking rules
 * (one queue lock held across cpu_switch_to, on_cpu) are in runqueue.h.
 */
#include "sched/switch_inline.h"
#include "sched/cpustat.h"
#include "kernel/timer.h"
#include "kernel/panic.h"

_Static_assert(offsetof(struct cpu_context, fp) == CTX_FP, "CTX_FP");
_Static_assert(offsetof(struct cpu_context, lr) == CTX_LR, "CTX_LR");
_Static_assert(offsetof(struct cpu_context, sp) == CTX_SP, "CTX_SP");
_Static_assert(sizeof(struct cpu_context) == CTX_SIZE, "CTX_SIZE");
_Static_assert(offsetof(struct fpsimd_state, fpsr) == FPSIMD_FPSR, "FPSIMD_FPSR");
_Static_assert(offsetof(struct fpsimd_state, fpcr) == FPSIMD_FPCR, "FPSIMD_FPCR");

/* count_to_ns's multiplier (switch_inline.h), taken once the timer runs
 * (idempotent). */
uint64_t count_ns_mult;

uint64_t count_ns_mult_init(void)
{
	uint64_t mult = timer_count_to_ns(1ULL << COUNT_NS_SHIFT);

	__atomic_store_n(&count_ns_mult, mult, __ATOMIC_RELAXED);
	return mult;
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
