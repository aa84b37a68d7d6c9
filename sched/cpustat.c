/*
 * sched/cpustat.c: per-CPU time accounting and the load average (see
 * cpustat.h).
 */
#include "sched/cpustat.h"
#include "kernel/percpu.h"
#include "kernel/timer.h"
#include "asm/cpu.h"

/* SPSR_EL1.M[3:0] (Arm ARM D1.2.1 / C5.2.18): the mode an exception was
 * taken from; EL0t is 0. */
#define SPSR_MODE_MASK 0xf
#define SPSR_MODE_EL0T 0

/* Linux's sampling period and decay factors (kernel/sched/loadavg.c,
 * include/linux/sched/loadavg.h): every 5 s, 1/exp(5s/1min) etc. in
 * LOADAVG_FSHIFT fixed point. */
#define LOADAVG_FREQ_TICKS (5 * NSEC_PER_SEC / TICK_NS + 1)
#define LOADAVG_EXP_1 1884
#define LOADAVG_EXP_5 2014
#define LOADAVG_EXP_15 2037

/* Each CPU writes only its own entry (in its tick); others read the
 * fields atomically. */
static struct cpu_times times[MAX_CPUS];
/* Written only by CPU 0's tick; read atomically. */
static unsigned long avenrun[3];

void cpustat_tick(bool idle)
{
	struct cpu_times *t = &times[this_cpu()->id];
	uint64_t *slot;

	/* Interrupt handlers run with interrupts masked and take no other
	 * exception, so SPSR_EL1 still holds the interrupted mode. */
	if (idle)
		slot = &t->idle;
	else if ((read_sysreg(spsr_el1) & SPSR_MODE_MASK) == SPSR_MODE_EL0T)
		slot = &t->user;
	else
		slot = &t->system;
	__atomic_store_n(slot, *slot + 1, __ATOMIC_RELAXED);
}

void cpustat_get(unsigned cpu, struct cpu_times *out)
{
	const struct cpu_times *t = &times[cpu];

	out->user = __atomic_load_n(&t->user, __ATOMIC_RELAXED);
	out->system = __atomic_load_n(&t->system, __ATOMIC_RELAXED);
	out->idle = __atomic_load_n(&t->idle, __ATOMIC_RELAXED);
}

bool loadavg_due(uint64_t tick)
{
	/* Only CPU 0's tick asks; a late interrupt may skip tick numbers. */
	static uint64_t next = LOADAVG_FREQ_TICKS;

	if (tick < next)
		return false;
	next = tick + LOADAVG_FREQ_TICKS;
	return true;
}

/* Linux's calc_load(): load * e + active * (1 - e), rounded up while rising. */
static unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (LOADAVG_FIXED_1 - exp);

	if (active >= load)
		newload += LOADAVG_FIXED_1 - 1;
	return newload / LOADAVG_FIXED_1;
}

void loadavg_update(unsigned long nr_active)
{
	static const unsigned long exps[3] = { LOADAVG_EXP_1, LOADAVG_EXP_5, LOADAVG_EXP_15 };
	unsigned long active = nr_active * LOADAVG_FIXED_1;

	for (int i = 0; i < 3; i++)
		__atomic_store_n(&avenrun[i], calc_load(avenrun[i], exps[i], active), __ATOMIC_RELAXED);
}

void loadavg_get(unsigned long avg[3])
{
	for (int i = 0; i < 3; i++)
		avg[i] = __atomic_load_n(&avenrun[i], __ATOMIC_RELAXED);
}
