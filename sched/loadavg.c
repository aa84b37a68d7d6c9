/*
 * sched/loadavg.c: the load average (see cpustat.h): Linux's fixed-point
 * exponential decay (kernel/sched/loadavg.c), folded every LOADAVG_FREQ
 * ticks by CPU 0. Pure arithmetic, so the host unit tests run it.
 */
#include "sched/cpustat.h"
#include "kernel/timer.h"

/* Linux's decay factors (include/linux/sched/loadavg.h): 1/exp(5s/1min),
 * 1/exp(5s/5min), 1/exp(5s/15min) in LOADAVG_FSHIFT fixed point. */
#define LOADAVG_EXP_1 1884
#define LOADAVG_EXP_5 2014
#define LOADAVG_EXP_15 2037

/* Written only by CPU 0's tick; read atomically. */
static unsigned long avenrun[3];

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
