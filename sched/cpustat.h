/*
 * sched/cpustat.h: where each CPU's time goes, and the load average, for
 * /proc/stat, /proc/loadavg and sysinfo(2). Both are sampled on the timer
 * tick, as Linux does without VIRT_CPU_ACCOUNTING: a tick is charged to
 * what its CPU was doing when it came (user, system or idle), and every
 * LOAD_FREQ ticks the number of runnable threads is folded into three
 * exponentially decaying averages (Linux's kernel/sched/loadavg.c, in its
 * fixed point: FSHIFT fraction bits).
 */
#ifndef SCHED_CPUSTAT_H
#define SCHED_CPUSTAT_H

#include "kernel/lib/types.h"
#include "kernel/timer.h"

/* Linux's load-average fixed point (include/linux/sched/loadavg.h). */
#define LOADAVG_FSHIFT 11
#define LOADAVG_FIXED_1 (1UL << LOADAVG_FSHIFT)
/* Linux's LOAD_FREQ: every 5 s (and a tick), in ticks. */
#define LOADAVG_FREQ_TICKS (5 * NSEC_PER_SEC / TICK_NS + 1)

struct cpu_times {
	uint64_t user, system, idle; /* ticks */
};

/* --- sched/cpustat.c --- */
/* The tick's charge to the current CPU (sched/switch.c's tick hook, interrupts
 * masked): idle if it runs its idle thread, else user or system by the
 * mode the interrupt came from; true if system. */
bool cpustat_tick(bool idle);
/* CPU cpu's ticks so far (each read atomically). */
void cpustat_get(unsigned cpu, struct cpu_times *out);
/* --- sched/loadavg.c --- */
/* Folds nr_active runnable threads into the averages; called by CPU 0's
 * tick when loadavg_due says. */
void loadavg_update(unsigned long nr_active);
/* The 1, 5 and 15 minute averages in LOADAVG_FSHIFT fixed point. */
void loadavg_get(unsigned long avg[3]);
/* Whether the averages are due for folding at this tick count (CPU 0). */
bool loadavg_due(uint64_t tick);

#endif
