/*
 * arch/aarch64/dev/gicv2.c: the GICv2 interrupt controller (IHI 0048B):
 * memory-mapped distributor and CPU interface. All SPIs are routed to the
 * boot CPU for now; SMP bring-up will spread them.
 */
#include "arch/aarch64/dev/gic.h"
#include "kernel/driver.h"
#include "kernel/irq.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include "mm/kmap.h"

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

static volatile uint8_t *gicd, *gicc; /* set once at probe */

static unsigned gicv2_ack(void)
{
	uint32_t iar = gic_read(gicc, GICC_IAR);
	unsigned irq = iar & GIC_INTID_MASK;

	return irq >= GIC_SPURIOUS_FIRST ? IRQ_NONE : irq;
}

static void gicv2_eoi(unsigned irq)
{
	gic_write(gicc, GICC_EOIR, irq);
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

static const struct irq_chip gicv2_chip = {
	.name = "GICv2",
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.enable = gicv2_enable,
	.disable = gicv2_disable,
	.xlate = gic_xlate,
	.configure = gicv2_configure,
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
	gic_write(gicc, GICC_PMR, GIC_PMR_ALLOW_ALL);
	gic_write(gicc, GICC_BPR, 0);
	gic_write(gicc, GICC_CTLR, GICC_CTLR_ENABLE);
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
