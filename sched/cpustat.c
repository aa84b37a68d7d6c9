/*
 * sched/cpustat.c: per-CPU time accounting (see cpustat.h); the load
 * average is sched/loadavg.c's.
 */
#include "sched/cpustat.h"
#include "kernel/percpu.h"
#include "asm/cpu.h"

/* SPSR_EL1.M[3:0] (Arm ARM D1.2.1 / C5.2.18): the mode an exception was
 * taken from; EL0t is 0. */
#define SPSR_MODE_MASK 0xf
#define SPSR_MODE_EL0T 0

/* Each CPU writes only its own entry (in its tick); others read the
 * fields atomically. */
static struct cpu_times times[MAX_CPUS];

bool cpustat_tick(bool idle)
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
	return slot == &t->system;
}

void cpustat_get(unsigned cpu, struct cpu_times *out)
{
	const struct cpu_times *t = &times[cpu];

	out->user = __atomic_load_n(&t->user, __ATOMIC_RELAXED);
	out->system = __atomic_load_n(&t->system, __ATOMIC_RELAXED);
	out->idle = __atomic_load_n(&t->idle, __ATOMIC_RELAXED);
}
