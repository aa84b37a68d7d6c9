/*
 * kernel/percpu.c: the per-CPU data array (see percpu.h).
 */
#include "kernel/percpu.h"
#include "kernel/percpu_offsets.h"
#include <stddef.h>

#define OVERFLOW_STACK_SIZE 8192 /* enough to print a panic report */

_Static_assert(offsetof(struct cpu, overflow_stack_top) == CPU_OVERFLOW_STACK_TOP,
	       "CPU_OVERFLOW_STACK_TOP");
_Static_assert(offsetof(struct cpu, mpidr) == CPU_MPIDR, "CPU_MPIDR");
_Static_assert(offsetof(struct cpu, boot_stack) == CPU_BOOT_STACK, "CPU_BOOT_STACK");
_Static_assert(sizeof(struct cpu) == CPU_SIZE, "CPU_SIZE");
_Static_assert(MAX_CPUS == CPU_MAX, "CPU_MAX");

struct cpu cpus[MAX_CPUS];
static uint8_t overflow_stacks[MAX_CPUS][OVERFLOW_STACK_SIZE] __attribute__((aligned(16)));

void percpu_init_secondary(unsigned id, uint64_t mpidr)
{
	cpus[id].id = id;
	cpus[id].overflow_stack_top = (uint64_t)(overflow_stacks[id] + OVERFLOW_STACK_SIZE);
	cpus[id].mpidr = mpidr & MPIDR_AFF012_MASK;
}

void percpu_init_boot(void)
{
	percpu_init_secondary(0, read_sysreg(mpidr_el1));
	cpus[0].midr = read_sysreg(midr_el1);
	cpus[0].state = CPU_ONLINE;
	write_sysreg(tpidr_el1, (uint64_t)&cpus[0]);
}
