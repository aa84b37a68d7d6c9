/*
 * kernel/smp.h: the secondary CPUs: starting them (kernel/smp_boot.c) and
 * interrupting them (kernel/smp_ipi.c).
 *
 * How each CPU starts is the device tree's `enable-method` for its node:
 * "psci" (QEMU virt at EL1 and EL2: PSCI CPU_ON through the driver that
 * registered smp_set_cpu_on, arch/aarch64/dev/psci.c), "spin-table" (the
 * Raspberry Pi 3: the entry point written to `cpu-release-addr`, then SEV).
 * Entered at EL3 there is no firmware: the CPUs QEMU started with us wait in
 * head.S's park loop and the kernel releases them itself. A CPU that is not
 * up within SMP_BOOT_TIMEOUT_MS is reported and skipped.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "kernel/lib/types.h"

#define SMP_BOOT_TIMEOUT_MS 2000 /* TCG on a loaded 2-core host is slow */

/* Inter-processor interrupts: one bit each in struct cpu's ipi_pending. */
enum ipi {
	IPI_RESCHEDULE, /* the run queue changed: look at need_resched */
	IPI_STOP,       /* panic elsewhere: report the registers and stop */
	IPI_KICK,       /* nothing: the return to user space looks at signals */
	IPI_PING,       /* counted in struct cpu's ipi_pings (the IPI self-test) */
	IPI_PANIC_DEMO, /* panic here (selftest=smppanic: the stop-all demo) */
	IPI_COUNT,
};

/* The PSCI driver's CPU_ON: starts the CPU with affinity mpidr at entry
 * (a physical address); 0 or a negative errno. */
void smp_set_cpu_on(int (*cpu_on)(uint64_t mpidr, paddr_t entry));
/* Starts every CPU the device tree lists, at most maxcpus in all (0: no
 * limit). Called once by the boot CPU once the scheduler runs. */
void smp_boot_secondaries(unsigned maxcpus);
/* How many CPUs run (1 before smp_boot_secondaries). */
unsigned smp_online_cpus(void);
/* Bit n set: CPU n is up. */
uint64_t smp_online_mask(void);
/* Whether CPU id is up. */
bool smp_cpu_online(unsigned id);

/* What sys:cpus shows of CPU id; false if it never started. */
struct cpu_stat {
	uint64_t mpidr;
	bool online;
	uint64_t ticks;      /* timer ticks it took */
	uint64_t busy_ticks; /* of those, the ones that found a thread running */
};
bool smp_cpu_stat(unsigned id, struct cpu_stat *st);

/* Sends ipi to CPU id (not the caller's own). */
void smp_send_ipi(unsigned id, enum ipi ipi);
/* Installs the IPI handler on the root chip's IPI interrupt (boot CPU;
 * the others enable it in irq_cpu_init); -EOPNOTSUPP if the chip has none. */
int smp_ipi_init(void);
/* Handles this CPU's pending IPIs (the IPI interrupt's handler). */
void smp_ipi_interrupt(void);
/* From panic: stops every other CPU, each printing its registers in turn
 * after the caller's report; returns once all have, or after a bounded
 * wait (a CPU spinning with interrupts masked cannot answer). */
void smp_stop_others(bool report);
/* A CPU that panics while another already does: it reports in its turn
 * (smp_stop_others of the first), then stops. */
__noreturn void smp_panic_secondary(void);

#endif
