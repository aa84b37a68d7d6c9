/*
 * sched/switch_inline.h: the body of a switch between threads on one CPU
 * (switch_locked, sched/switch.c), for the scheduler's files that switch
 * in line: the yield (switch.c) and the sleep and hand-off of every
 * blocking round trip (wait.c). Not for use outside sched/; the locking
 * rules are in runqueue.h.
 */
#ifndef SCHED_SWITCH_INLINE_H
#define SCHED_SWITCH_INLINE_H

#include "sched/runqueue.h"
#include "mm/space_switch.h"
#include "asm/cpu.h"
#include "asm/fpsimd.h"

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
extern uint64_t count_ns_mult; /* atomic; switch.c */
uint64_t count_ns_mult_init(void); /* switch.c: takes it, at the first switch */

static inline uint64_t count_to_ns(uint64_t count)
{
	uint64_t mult = __atomic_load_n(&count_ns_mult, __ATOMIC_RELAXED);

	if (!mult)
		mult = count_ns_mult_init();
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
static inline void note_running(struct runqueue *rq, struct cpu *c, struct thread *prev,
			 struct thread *next)
{
	__atomic_store_n(&rq->curr_prio, next == c->idle ? THREAD_PRIORITIES : next->prio,
			 __ATOMIC_RELAXED);
	if ((prev == c->idle) != (next == c->idle))
		idle_mask_set(c->id, next == c->idle);
}

/* switch_locked's body on this CPU c, smp its caller's sched_smp():
 * inline in the yield's path (reschedule) and in the sleep and hand-off
 * paths (wait.c), where a second frame and call, and asking the same
 * again, cost more than the bookkeeping around them. */
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

#endif
