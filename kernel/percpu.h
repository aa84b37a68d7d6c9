/*
 * kernel/percpu.h: per-CPU data, reached through TPIDR_EL1 (as the Redox
 * AArch64 port does), so that SMP needs no redesign. Each field is only
 * touched by its own CPU, with interrupts masked where a handler shares it.
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/lib/types.h"
#ifndef HOST_TEST
#include "asm/cpu.h"
#endif

#define MAX_CPUS 8

struct thread;

struct cpu {
	/* First, at CPU_OVERFLOW_STACK_TOP (percpu_offsets.h), for vectors.S:
	 * the stack a kernel stack overflow is reported on. */
	uint64_t overflow_stack_top;
	unsigned id;          /* logical CPU number, 0 is the boot CPU */
	struct thread *current;  /* the running thread; changed by the switch */
	struct thread *idle;     /* runs when nothing else can */
	struct thread *prev;     /* the thread switched away from, until finished */
	bool need_resched;       /* set by the tick and wake-ups, read on return */
	uint64_t mpidr;       /* MPIDR_EL1 affinity */
	unsigned irq_depth;   /* nesting of interrupt handlers */
	uint64_t ticks;       /* timer ticks taken on this CPU */
	/* An armed execute probe (arch/aarch64/probe.S): the address a probe
	 * may branch to, whose instruction abort becomes -EFAULT. */
	uint64_t exec_probe_addr;
};

extern struct cpu cpus[MAX_CPUS];

#ifdef HOST_TEST
/* Host unit tests have no TPIDR_EL1: each provides its own. */
struct cpu *this_cpu(void);
#else
static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)read_sysreg(tpidr_el1);
}
#endif

void percpu_init_boot(void);

#endif
