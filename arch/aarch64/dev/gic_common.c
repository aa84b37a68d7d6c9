/*
 * arch/aarch64/dev/gic_common.c: distributor code shared by the GICv2 and
 * GICv3 drivers (see gic.h).
 */
#include "arch/aarch64/dev/gic.h"
#include "asm/el3_monitor.h"
#include "kernel/lib/errno.h"
#include "kernel/printk.h"
#include "mm/kmap.h"

int gic_xlate(const uint32_t *cells, int ncells, unsigned *irq, bool *edge)
{
	unsigned trigger;

	if (ncells != GIC_DT_CELLS)
		return -EINVAL;
	if (cells[0] == GIC_DT_SPI && cells[1] < GIC_SPURIOUS_FIRST - GIC_SPI_BASE)
		*irq = GIC_SPI_BASE + cells[1];
	else if (cells[0] == GIC_DT_PPI && cells[1] < GIC_SPI_BASE - GIC_PPI_BASE)
		*irq = GIC_PPI_BASE + cells[1];
	else
		return -EINVAL;
	trigger = cells[2] & GIC_DT_TRIGGER_MASK;
	*edge = trigger == GIC_DT_EDGE_RISING || trigger == GIC_DT_EDGE_FALLING;
	return 0;
}

unsigned gic_dist_lines(volatile uint8_t *gicd)
{
	unsigned lines = ((gic_read(gicd, GICD_TYPER) & GICD_TYPER_ITLINES_MASK) + 1) * GIC_IRQS_PER_REG;

	return MIN(lines, (unsigned)GIC_SPURIOUS_FIRST);
}

void gic_bank_enable(volatile uint8_t *bank, unsigned irq, bool on)
{
	unsigned reg = (irq / GIC_IRQS_PER_REG) * sizeof(uint32_t);

	gic_write(bank, (on ? GICD_ISENABLER : GICD_ICENABLER) + reg, 1u << (irq % GIC_IRQS_PER_REG));
}

void gic_bank_configure(volatile uint8_t *bank, unsigned irq, bool edge)
{
	unsigned off = GICD_ICFGR + (irq / GIC_CFG_PER_REG) * sizeof(uint32_t);
	unsigned shift = (irq % GIC_CFG_PER_REG) * 2;
	uint32_t v = gic_read(bank, off);

	if (irq < GIC_PPI_BASE)
		return; /* SGIs are always edge-triggered */
	v &= ~(GIC_CFG_EDGE << shift);
	if (edge)
		v |= GIC_CFG_EDGE << shift;
	gic_write(bank, off, v);
}

void gic_bank_set_priority(volatile uint8_t *bank, unsigned irq, uint8_t prio)
{
	*(volatile uint8_t *)(bank + GICD_IPRIORITYR + irq) = prio;
}

void gic_dist_init_spis(volatile uint8_t *gicd, unsigned lines)
{
	for (unsigned i = GIC_SPI_BASE; i < lines; i += GIC_IRQS_PER_REG) {
		unsigned reg = (i / GIC_IRQS_PER_REG) * sizeof(uint32_t);

		gic_write(gicd, GICD_ICENABLER + reg, UINT32_MAX);
		gic_write(gicd, GICD_ICPENDR + reg, UINT32_MAX);
	}
	for (unsigned i = GIC_SPI_BASE; i < lines; i++)
		gic_bank_set_priority(gicd, i, GIC_DEFAULT_PRIORITY);
}

void gic_el3_setup(unsigned version, paddr_t gicd, paddr_t cpu_or_redist)
{
	register uint64_t x0 __asm__("x0") = ANODE_SMC_GIC_SETUP;
	register uint64_t x1 __asm__("x1") = version;
	register uint64_t x2 __asm__("x2") = gicd;
	register uint64_t x3 __asm__("x3") = cpu_or_redist;

	if (boot_el != 3)
		return;
	/* The monitor uses x0-x7 and no memory of ours. */
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 : : "x4", "x5", "x6", "x7", "memory");
	printk("gic: EL3 monitor put interrupts in group 1: %s\n",
	       (int64_t)x0 == SMCCC_SUCCESS ? "ok" : "refused");
}
