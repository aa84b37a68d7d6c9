/*
 * arch/aarch64/dev/arch_timer.c: the Arm generic timer (Arm ARM D11), the
 * EL1 virtual timer: CNTVCT_EL0 counts, CNTV_CVAL_EL0 holds the deadline,
 * CNTV_CTL_EL0 enables it. The virtual timer is used because it is
 * accessible at EL1 whatever the entry level (el.S zeroes CNTVOFF_EL2).
 * Its interrupt is a per-CPU PPI named by the device tree.
 */
#include "kernel/driver.h"
#include "kernel/timer.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include "asm/cpu.h"

/* CNTV_CTL_EL0 (D19.12.17). */
#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)
/* "interrupts" order in the arm,armv8-timer binding: secure physical,
 * non-secure physical, virtual, hypervisor. */
#define ARCH_TIMER_VIRT_IRQ_INDEX 2

static uint64_t arch_timer_read(void)
{
	isb(); /* no speculative early read of the counter */
	return read_sysreg(cntvct_el0);
}

static void arch_timer_program(uint64_t count)
{
	write_sysreg(cntv_cval_el0, count);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

static void arch_timer_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

static struct clock_hw arch_clock = {
	.name = "arm,armv8-timer (virtual)",
	.read = arch_timer_read,
	.program = arch_timer_program,
	.stop = arch_timer_stop,
};

static void arch_timer_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	/* The condition stays asserted until CVAL moves past now; mask it in
	 * case nothing is due, timer_interrupt reprograms and unmasks. */
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
	timer_interrupt();
}

static int arch_timer_probe(int node)
{
	unsigned irq;
	bool edge;
	int err;

	arch_clock.freq = read_sysreg(cntfrq_el0);
	if (arch_clock.freq == 0)
		return -EINVAL;
	err = irq_from_dt(node, ARCH_TIMER_VIRT_IRQ_INDEX, &irq, &edge);
	if (err)
		return err;
	write_sysreg(cntv_ctl_el0, CNTV_CTL_IMASK);
	timer_register_hw(&arch_clock);
	err = irq_request(irq, edge, arch_timer_irq, NULL);
	if (err)
		return err;
	printk("timer: %s at %lu Hz, irq %u, tick %lu ms\n", arch_clock.name,
	       arch_clock.freq, irq, TICK_NS / NSEC_PER_MSEC);
	timer_start_tick();
	return 0;
}

static const char *const arch_timer_compat[] = { "arm,armv8-timer", "arm,armv7-timer", NULL };
KDRIVER(arch_timer_driver) = {
	.name = "arch-timer",
	.class = DRIVER_TIMER,
	.compatible = arch_timer_compat,
	.probe = arch_timer_probe,
};
