/*
 * kernel/percpu.c: the per-CPU data array (see percpu.h).
 */
#include "kernel/percpu.h"
#include "kernel/percpu_offsets.h"
#include <stddef.h>

#define OVERFLOW_STACK_SIZE 8192 /* enough to print a panic report */

_Static_assert(offsetof(struct cpu, overflow_stack_top) == CPU_OVERFLOW_STACK_TOP,
	       "CPU_OVERFLOW_STACK_TOP");

struct cpu cpus[MAX_CPUS];
static uint8_t overflow_stacks[MAX_CPUS][OVERFLOW_STACK_SIZE] __attribute__((aligned(16)));

void percpu_init_boot(void)
{
	cpus[0].id = 0;
	cpus[0].overflow_stack_top = (uint64_t)(overflow_stacks[0] + OVERFLOW_STACK_SIZE);
	cpus[0].mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF012_MASK;
	write_sysreg(tpidr_el1, (uint64_t)&cpus[0]);
}
