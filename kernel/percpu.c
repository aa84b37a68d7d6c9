/*
 * kernel/percpu.c: the per-CPU data array (see percpu.h).
 */
#include "kernel/percpu.h"

struct cpu cpus[MAX_CPUS];

void percpu_init_boot(void)
{
	cpus[0].id = 0;
	cpus[0].mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF012_MASK;
	write_sysreg(tpidr_el1, (uint64_t)&cpus[0]);
}
