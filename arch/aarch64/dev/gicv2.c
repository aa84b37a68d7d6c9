/*
 * arch/aarch64/dev/gicv2.c: the GICv2 interrupt controller (IHI 0048B):
 * memory-mapped distributor and CPU interface. All SPIs are routed to the
 * boot CPU; each secondary enables its own (banked) CPU interface, and IPIs
 * are SGIs sent through GICD_SGIR (IHI 0048B 4.3.15).
 */
#include "arch/aarch64/dev/gic.h"
#include "kernel/driver.h"
#include "kernel/irq.h"
#include "kernel/fdt.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include "mm/kmap.h"
#include "asm/cpu.h"

/* CPU interface (IHI 0048B 4.1.3). */
#define GICC_CTLR 0x000
#define GICC_CTLR_ENABLE (1u << 0)
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICC_SIZE 0x2000
#define GICD_CTLR_ENABLE (1u << 0)
#define GICD_ITARGETS_CPU0 0x01010101u
#define GIC_TARGETS_PER_REG 4
/* GICD_SGIR: SGIINTID in bits 3:0, CPUTargetList in bits 23:16. */
#define GICD_SGIR 0xf00
#define GICD_SGIR_TARGET_SHIFT 16
/* GICD_ITARGETSR0-7 are banked: each CPU reads its own interface's bit. */
#define GICD_ITARGETS_SELF_MASK 0xffu
#define GIC_IPI_SGI 0

static volatile uint8_t *gicd, *gicc; /* set once at probe */
static paddr_t gicd_pa, gicc_pa;     /* set once at probe */
/* Each CPU's interface bit, written by that CPU before it is online. */
static uint8_t cpu_target[MAX_CPUS];

/* Each CPU's last acknowledged GICC_IAR: for an SGI it also names the
 * sending CPU (bits 12:10), and GICC_EOIR must get the same value back
 * (IHI 0048B 4.4.5), or the SGI stays active and masks every interrupt of
 * its priority on this CPU, the tick included. Handlers do not nest. */
static uint32_t last_iar[MAX_CPUS];

static unsigned gicv2_ack(void)
{
	uint32_t iar = gic_read(gicc, GICC_IAR);
	unsigned irq = iar & GIC_INTID_MASK;

	last_iar[this_cpu()->id] = iar;
	return irq >= GIC_SPURIOUS_FIRST ? IRQ_NONE : irq;
}

static void gicv2_eoi(unsigned irq)
{
	uint32_t iar = last_iar[this_cpu()->id];

	gic_write(gicc, GICC_EOIR, (iar & GIC_INTID_MASK) == irq ? iar : irq);
}

static void gicv2_enable(unsigned irq)
{
	gic_bank_enable(gicd, irq, true);
}

static void gicv2_disable(unsigned irq)
{
	gic_bank_enable(gicd, irq, false);
}

static void gicv2_configure(unsigned irq, bool edge)
{
	gic_bank_configure(gicd, irq, edge);
	gic_bank_set_priority(gicd, irq, GIC_DEFAULT_PRIORITY);
}

/* This CPU's interface: its CPU target bit, priority mask, enable. */
static void gicv2_cpu_interface_init(void)
{
	cpu_target[this_cpu()->id] = gic_read(gicd, GICD_ITARGETSR) & GICD_ITARGETS_SELF_MASK;
	gic_write(gicc, GICC_PMR, GIC_PMR_ALLOW_ALL);
	gic_write(gicc, GICC_BPR, 0);
	gic_write(gicc, GICC_CTLR, GICC_CTLR_ENABLE);
}

static void gicv2_cpu_init(void)
{
	gic_el3_setup(2, gicd_pa, gicc_pa); /* the banked group registers */
	gicv2_cpu_interface_init();
}

static void gicv2_kick(unsigned cpu)
{
	dsb(ishst); /* the IPI's pending bits before the interrupt */
	gic_write(gicd, GICD_SGIR, ((uint32_t)cpu_target[cpu] << GICD_SGIR_TARGET_SHIFT) | GIC_IPI_SGI);
}

static const struct irq_chip gicv2_chip = {
	.name = "GICv2",
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.enable = gicv2_enable,
	.disable = gicv2_disable,
	.xlate = gic_xlate,
	.configure = gicv2_configure,
	.cpu_init = gicv2_cpu_init,
	.nlocal = GIC_SPI_BASE,
	.kick = gicv2_kick,
	.ipi_irq = GIC_IPI_SGI,
};

static int gicv2_probe(int node)
{
	paddr_t dpa, cpa;
	uint64_t dsize, csize;
	unsigned lines;

	if (dt_reg(node, 0, &dpa, &dsize) || dt_reg(node, 1, &cpa, &csize))
		return -EINVAL;
	gic_el3_setup(2, dpa, cpa);
	gicd = ioremap(dpa, dsize);
	gicc = ioremap(cpa, MAX(csize, (uint64_t)GICC_SIZE));
	if (!gicd || !gicc)
		return -ENOMEM;
	gic_write(gicd, GICD_CTLR, 0);
	lines = gic_dist_lines(gicd);
	gic_dist_init_spis(gicd, lines);
	for (unsigned i = GIC_SPI_BASE; i < lines; i += GIC_TARGETS_PER_REG)
		gic_write(gicd, GICD_ITARGETSR + i, GICD_ITARGETS_CPU0);
	gic_write(gicd, GICD_CTLR, GICD_CTLR_ENABLE);
	gicd_pa = dpa;
	gicc_pa = cpa;
	gicv2_cpu_interface_init();
	irq_set_chip(&gicv2_chip);
	printk("gic: GICv2 distributor %#lx, cpu interface %#lx, %u interrupt lines\n",
	       dpa, cpa, lines);
	return 0;
}

static const char *const gicv2_compat[] = {
	"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic", NULL
};
KDRIVER(gicv2_driver) = {
	.name = "gicv2",
	.class = DRIVER_IRQCHIP,
	.compatible = gicv2_compat,
	.probe = gicv2_probe,
};
