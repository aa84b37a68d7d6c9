/*
 * kernel/percpu.h: per-CPU data, reached through TPIDR_EL1 (as the Redox
 * AArch64 port does). Each field is only touched by its own CPU, with
 * interrupts masked where a handler shares it, unless its comment says
 * otherwise (need_resched: also set by other CPUs' wake-ups, atomically;
 * current and prev: under the CPU's run queue lock, sched/runqueue.h).
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/lib/types.h"
#include "kernel/percpu_offsets.h"
#ifndef HOST_TEST
#include "asm/cpu.h"
#endif

#define MAX_CPUS CPU_MAX

struct thread;
struct trap_frame;
struct aspace;
struct runqueue;

/* The last fix-up fault a CPU took in a user access, to bound the retries
 * of one that faults forever (arch/aarch64/exception.c). */
struct fixup_record {
	const struct aspace *as;
	uint64_t elr, far;
	unsigned faults;      /* in a row at (as, elr, far); 0 on entry from EL0 */
};

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
	/* SMP (kernel/smp_boot.c, smp_ipi.c). Written by the boot CPU before
	 * the CPU starts, then read-only: */
	vaddr_t boot_stack;   /* top of the stack head.S gives it */
	/* Atomic: CPU_OFFLINE -> CPU_STARTING (boot CPU) -> CPU_ONLINE (the
	 * CPU itself) or CPU_FAILED (the boot CPU, after its time-out). */
	unsigned state;
	/* Atomic: IPIs sent to this CPU and not yet handled (1 << enum ipi). */
	unsigned ipi_pending;
	/* The interrupted context of the interrupt being handled, for the
	 * stop IPI's register report; this CPU only. */
	const struct trap_frame *irq_tf;
	uint64_t busy_ticks;  /* ticks that found a thread other than idle running */
	unsigned ipi_pings;   /* atomic: IPI_PING interrupts taken (smp_selftest.c) */
	/* The thread whose FP/SIMD state is in this CPU's registers: the
	 * running thread after its first FP use since the switch, else NULL
	 * (arch/aarch64/fpsimd.c; CPACR_EL1 traps EL0's use exactly when NULL). */
	struct thread *fp_owner;
	/* The user space this CPU's TTBR0 holds (NULL: the empty table), as
	 * the last aspace_activate or aspace_switch_to here set it
	 * (mm/uvm.c, mm/space_switch.h):
	 * the switch between two threads of one space leaves TTBR0 alone.
	 * This CPU only, IRQs masked. */
	struct aspace *space;
	/* Reset on every entry from user space: a field here, not an array
	 * indexed by id, so the reset is one store. */
	struct fixup_record fixup;
	/* This CPU's run queue, &runqueues[id] (sched/runqueue.h), kept so
	 * that the switch finds it in one load. Set once by the CPU itself
	 * before its first switch (sched/threads.c), then read-only. */
	struct runqueue *rq;
	/* The ASID context this CPU runs (mm/asid.c says who writes it, and
	 * how): here, not in an array, so the switch finds it beside c. */
	uint64_t asid_active;
	/* The thread this CPU's last wake-up placed on another CPU, and that
	 * CPU; pull_woken (sched/placement.c) takes it back if this CPU then
	 * sleeps before it started. Never followed without that CPU's queue
	 * lock: it may be gone. This CPU only, under wait_lock. */
	struct thread *woke;
	unsigned woke_cpu;
	/* MIDR_EL1 (what /proc/cpuinfo shows): written by the CPU itself
	 * before it is online, then read-only. */
	uint64_t midr;
} __attribute__((aligned(CPU_SIZE))); /* whole cache lines each: no false sharing */

enum cpu_state { CPU_OFFLINE, CPU_STARTING, CPU_ONLINE, CPU_FAILED };

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
/* Prepares cpus[id] for the CPU with affinity mpidr (its overflow stack). */
void percpu_init_secondary(unsigned id, uint64_t mpidr);

#endif
