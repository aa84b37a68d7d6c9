/*
 * arch/aarch64/dev/bcm2836_local_intc.c: the BCM2836/BCM2837 per-core
 * interrupt controller, the "ARM local peripherals" at 0x40000000 of the
 * Raspberry Pi 2 and 3 (Broadcom "QA7 - ARM Quad A7 core", rev 3.4; cited
 * as QA7 below). It is the root controller: each core's IRQ line comes from
 * its own "Core n IRQ source" register, which gathers that core's generic
 * timers, its four mailboxes, the GPU interrupt (the BCM2835 controller,
 * chained through here, arch/aarch64/dev/bcm2835_armctrl_ic.c) and the
 * performance monitors (QA7 3.2 "Interrupt routing").
 *
 * Numbering (device-tree binding brcm,bcm2836-l1-intc, 2 cells: <number
 * flags>): an interrupt's number is its bit in the IRQ source register
 * (QA7 4.10), 0-9. The generic timer node's "interrupts" name the secure
 * physical (0), non-secure physical (1), virtual (3) and hypervisor (2)
 * timers, so the virtual timer, "interrupts" index 2, is number 3.
 *
 * The per-core sources (timers, mailboxes) are enabled in the registers of
 * the core that calls enable, as a GIC's PPIs are; the GPU interrupt is
 * routed to that core. No source is an FIQ. Nothing is acknowledged here:
 * every source is a level that its device drops.
 */
#include "kernel/driver.h"
#include "kernel/irq.h"
#include "kernel/fdt.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include "mm/kmap.h"
#include "asm/cpu.h"

#define LOCAL_NCORES 4
#define LOCAL_MMIO_SIZE 0x100

/* QA7 4.4 "GPU interrupts routing" (0x0C): bits 1:0 the core taking the GPU
 * IRQ, bits 3:2 the core taking the GPU FIQ. */
#define GPU_INT_ROUTING 0x0c
#define GPU_INT_ROUTING_IRQ_MASK 0x3u
/* QA7 4.5 "Performance monitors interrupts": writing 1 to bit n routes
 * core n's PMU interrupt to its IRQ (set, 0x10) or stops it (clear, 0x14);
 * bits 7:4 are the FIQ routes. */
#define PMU_INT_ROUTING_SET 0x10
#define PMU_INT_ROUTING_CLR 0x14
#define PMU_INT_ROUTING_IRQ(core) (1u << (core))
#define PMU_INT_ROUTING_ALL 0xffu
/* QA7 4.6 "Core timers interrupts": Core n timers interrupt control
 * (0x40 + 4n), bits 3:0 IRQ enables for CNTPSIRQ, CNTPNSIRQ, CNTHPIRQ,
 * CNTVIRQ; bits 7:4 the same as FIQ, which override the IRQ bits. */
#define CORE_TIMERS_INT_CTRL(core) (0x40 + 4 * (core))
#define TIMER_INT_CTRL_IRQ(timer) (1u << (timer)) /* timer: LOCAL_IRQ_CNT*IRQ */
/* QA7 4.7 "Core Mailboxes interrupts": Core n mailboxes interrupt control
 * (0x50 + 4n), bits 3:0 IRQ enables for mailboxes 0-3; bits 7:4 FIQ. */
#define CORE_MBOX_INT_CTRL(core) (0x50 + 4 * (core))
#define MBOX_INT_CTRL_IRQ(mbox) (1u << (mbox))
/* QA7 4.8/4.9 "Core Mailboxes": mailbox m of core n is set by writing
 * 1s to 0x80 + 16n + 4m and cleared by writing 1s to 0xC0 + 16n + 4m. IPIs
 * use mailbox 0; what they mean is in struct cpu (kernel/smp_ipi.c). */
#define CORE_MBOX_SET(core, mbox) (0x80 + 16 * (core) + 4 * (mbox))
#define CORE_MBOX_CLR(core, mbox) (0xc0 + 16 * (core) + 4 * (mbox))
#define IPI_MBOX 0
#define MBOX_KICK 1u
#define MBOX_ALL UINT32_MAX
/* QA7 4.10 "Core interrupt sources": Core n IRQ source (0x60 + 4n). */
#define CORE_IRQ_SOURCE(core) (0x60 + 4 * (core))

/* IRQ source bits (QA7 4.10), which are this chip's interrupt numbers. */
#define LOCAL_IRQ_CNTPSIRQ 0
#define LOCAL_IRQ_CNTPNSIRQ 1
#define LOCAL_IRQ_CNTHPIRQ 2
#define LOCAL_IRQ_CNTVIRQ 3
#define LOCAL_IRQ_MAILBOX0 4   /* 4-7: mailboxes 0-3 */
#define LOCAL_IRQ_MAILBOX3 7
#define LOCAL_IRQ_GPU 8
#define LOCAL_IRQ_PMU 9
#define LOCAL_IRQ_LAST LOCAL_IRQ_PMU   /* the binding's last; 10: AXI, 11: local timer */
#define LOCAL_IRQ_HANDLED ((1u << (LOCAL_IRQ_LAST + 1)) - 1)
#define LOCAL_NIRQS 32                 /* the source register's width */

/* Device-tree specifier <number flags>; flags as IRQ_TYPE_* (1, 2: edges). */
#define LOCAL_DT_CELLS 2
#define LOCAL_DT_EDGE_MASK 0x3u

static volatile uint8_t *local_base; /* set once at probe */

static inline uint32_t local_read(unsigned off)
{
	return *(volatile uint32_t *)(local_base + off);
}

static inline void local_write(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(local_base + off) = v;
}

/* Aff0 numbers the cores 0-3 on the BCM2836/7. */
static unsigned local_core(void)
{
	return (unsigned)(this_cpu()->mpidr & MPIDR_AFF0_MASK) % LOCAL_NCORES;
}

static unsigned local_ack(void)
{
	unsigned core = local_core();
	uint32_t src = local_read(CORE_IRQ_SOURCE(core)) & LOCAL_IRQ_HANDLED;
	unsigned irq = src ? (unsigned)__builtin_ctz(src) : IRQ_NONE;

	/* A mailbox stays set until cleared: clear the IPI one as it is taken
	 * (its handler then reads every pending IPI). */
	if (irq == LOCAL_IRQ_MAILBOX0 + IPI_MBOX)
		local_write(CORE_MBOX_CLR(core, IPI_MBOX), MBOX_ALL);
	return irq;
}

static void local_kick(unsigned cpu)
{
	dsb(ishst); /* the IPI's pending bits before the interrupt */
	local_write(CORE_MBOX_SET((unsigned)(cpus[cpu].mpidr & MPIDR_AFF0_MASK) % LOCAL_NCORES, IPI_MBOX),
		    MBOX_KICK);
}

/* A secondary core: nothing of its own enabled until irq_cpu_init does. */
static void local_cpu_init(void)
{
	unsigned core = local_core();

	local_write(CORE_TIMERS_INT_CTRL(core), 0);
	local_write(CORE_MBOX_INT_CTRL(core), 0);
	local_write(CORE_MBOX_CLR(core, IPI_MBOX), MBOX_ALL);
}

/* Sets or clears bit in a per-core register; only its own core writes it. */
static void local_update(unsigned off, uint32_t bit, bool on)
{
	uint64_t flags = irq_save();
	uint32_t v = local_read(off);

	local_write(off, on ? v | bit : v & ~bit);
	irq_restore(flags);
}

static void local_set(unsigned irq, bool on)
{
	unsigned core = local_core();

	if (irq <= LOCAL_IRQ_CNTVIRQ)
		local_update(CORE_TIMERS_INT_CTRL(core), TIMER_INT_CTRL_IRQ(irq), on);
	else if (irq <= LOCAL_IRQ_MAILBOX3)
		local_update(CORE_MBOX_INT_CTRL(core), MBOX_INT_CTRL_IRQ(irq - LOCAL_IRQ_MAILBOX0), on);
	else if (irq == LOCAL_IRQ_GPU && on)
		local_write(GPU_INT_ROUTING, (local_read(GPU_INT_ROUTING) & ~GPU_INT_ROUTING_IRQ_MASK) | core);
	else if (irq == LOCAL_IRQ_PMU)
		local_write(on ? PMU_INT_ROUTING_SET : PMU_INT_ROUTING_CLR, PMU_INT_ROUTING_IRQ(core));
	/* The GPU interrupt always goes to some core: the BCM2835 controller
	 * masks its sources one by one instead. */
}

static void local_enable(unsigned irq)
{
	local_set(irq, true);
}

static void local_disable(unsigned irq)
{
	local_set(irq, false);
}

static int local_xlate(const uint32_t *cells, int ncells, unsigned *irq, bool *edge)
{
	if (ncells != LOCAL_DT_CELLS || cells[0] > LOCAL_IRQ_LAST)
		return -EINVAL;
	*irq = cells[0];
	*edge = (cells[1] & LOCAL_DT_EDGE_MASK) != 0;
	return 0;
}

static const struct irq_chip local_chip = {
	.name = "bcm2836-l1-intc",
	.ack = local_ack,
	.enable = local_enable,
	.disable = local_disable,
	.xlate = local_xlate,
	.nirqs = LOCAL_NIRQS,
	.cpu_init = local_cpu_init,
	.nlocal = LOCAL_IRQ_GPU, /* timers and mailboxes are per core */
	.kick = local_kick,
	.ipi_irq = LOCAL_IRQ_MAILBOX0 + IPI_MBOX,
};

static int local_intc_probe(int node)
{
	paddr_t pa;
	uint64_t size;
	unsigned core;

	if (irq_chip())
		return -EBUSY; /* one root controller */
	if (dt_reg(node, 0, &pa, &size))
		return -EINVAL;
	local_base = ioremap(pa, MAX(size, (uint64_t)LOCAL_MMIO_SIZE));
	if (!local_base)
		return -ENOMEM;
	core = local_core();
	/* Nothing of this core's enabled (as IRQ or FIQ) until requested. */
	local_cpu_init();
	local_write(PMU_INT_ROUTING_CLR, PMU_INT_ROUTING_ALL);
	irq_set_root(&local_chip, node);
	printk("irq: BCM2836 per-core controller at %#lx, root, core %u\n", pa, core);
	return 0;
}

static const char *const local_intc_compat[] = { "brcm,bcm2836-l1-intc", NULL };
KDRIVER(bcm2836_local_intc_driver) = {
	.name = "bcm2836-l1-intc",
	.class = DRIVER_IRQCHIP,
	.compatible = local_intc_compat,
	.probe = local_intc_probe,
};
