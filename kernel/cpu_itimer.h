/*
 * kernel/cpu_itimer.h: the CPU-time interval timers of setitimer(2),
 * ITIMER_VIRTUAL (SIGVTALRM) and ITIMER_PROF (SIGPROF). They are charged at
 * the scheduler's tick: each tick that finds a thread of the process
 * running takes one tick (TICK_NS) off both, so they are accurate to a
 * tick. Anode counts all CPU time as user time, so the two run alike
 * (on Linux VIRTUAL counts user time only, PROF user and system time).
 *
 * State in proc_sig (kernel/signal.h), guarded by proc_sig.lock; kept across
 * execve, cleared in a fork child (as POSIX says).
 */
#ifndef KERNEL_CPU_ITIMER_H
#define KERNEL_CPU_ITIMER_H

#include "kernel/lib/types.h"

struct proc;

/* Indices into proc_sig.cpu_itimers: setitimer's which, less one. */
#define CPU_ITIMER_VIRTUAL 0
#define CPU_ITIMER_PROF 1
#define CPU_ITIMERS 2

struct cpu_itimer {
	uint64_t left_ns;       /* 0: disarmed */
	uint64_t interval_ns;   /* reload after it expires; 0: one-shot */
};

/* The tick found a thread of p running (interrupt context). */
void cpu_itimer_tick(struct proc *p);
/* Reads (old) and, if val is not NULL, replaces timer which (CPU_ITIMER_*). */
void cpu_itimer_set(struct proc *p, int which, const struct cpu_itimer *val, struct cpu_itimer *old);

#endif
