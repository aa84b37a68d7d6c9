/*
 * arch/aarch64/dev/gicv3.c: the GICv3 interrupt controller (IHI 0069H):
 * memory-mapped distributor and redistributors, CPU interface through the
 * ICC_* system registers (which el.S enabled for EL1 at EL2/EL3). Each CPU
 * wakes its own redistributor; IPIs are SGIs sent through ICC_SGI1R_EL1.
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

/* ICC system registers by encoding (IHI 0069H 12.2). */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IGRPEN_ENABLE 1
/* ICC_SGI1R_EL1 (12.2.23): TargetList 15:0 (Aff0 bits), Aff1 23:16,
 * INTID 27:24, Aff2 39:32, Aff3 55:48. */
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define SGI1R_AFF1_SHIFT 16
#define SGI1R_INTID_SHIFT 24
#define SGI1R_AFF2_SHIFT 32
#define SGI1R_AFF3_SHIFT 48
#define MPIDR_AFF_BITS 8
#define MPIDR_AFF_MASK 0xffULL
#define SGI1R_TARGETS 16 /* Aff0 values a target list can name */
#define GIC_IPI_SGI 0

/* Distributor (12.9): GICD_CTLR as a non-secure access sees it. With one
 * security state (DS=1) bit 0 enables group 0 instead: harmless, since every
 * interrupt is put in group 1. */
#define GICD_CTLR_ENABLE_GRP1 (1u << 0)
#define GICD_CTLR_ENABLE_GRP1A (1u << 1)
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICD_CTLR_RWP (1u << 31)
#define GICD_IROUTER 0x6000
/* Redistributor (12.10, 12.11): RD_base frame then SGI_base frame. */
#define GICR_TYPER 0x008
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_TYPER_AFF_SHIFT 32
#define GICR_WAKER 0x014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_OFFSET 0x10000
#define GICR_FRAME_STRIDE 0x20000
#define GICR_IGROUPR0 0x080
#define GIC_ALL_GROUP1 UINT32_MAX
/* MPIDR affinity as GICR_TYPER/GICD_IROUTER lay it out: Aff3.Aff2.Aff1.Aff0. */
#define MPIDR_AFF3_SHIFT 32
#define MPIDR_AFF3_MASK 0xffULL
#define AFF3_PACKED_SHIFT 24

static volatile uint8_t *gicd; /* set once at probe (boot CPU) */
static volatile uint8_t *redist;  /* the redistributors' region, set once at probe */
static uint64_t redist_size;
static paddr_t gicd_pa, redist_pa;
/* Each CPU's SGI frame, written by that CPU before it is online. */
static volatile uint8_t *gicr_sgi_of[MAX_CPUS];

static unsigned gicv3_ack(void)
{
	unsigned irq = read_sysreg(ICC_IAR1_EL1) & GIC_INTID_MASK;

	return irq >= GIC_SPURIOUS_FIRST ? IRQ_NONE : irq;
}

static void gicv3_eoi(unsigned irq)
{
	write_sysreg(ICC_EOIR1_EL1, irq);
	isb();
}

/* SGIs and PPIs live in the CPU's redistributor, SPIs in the distributor. */
static volatile uint8_t *bank_of(unsigned irq)
{
	return irq < GIC_SPI_BASE ? gicr_sgi_of[this_cpu()->id] : gicd;
}

static void gicv3_enable(unsigned irq)
{
	gic_bank_enable(bank_of(irq), irq, true);
}

static void gicv3_disable(unsigned irq)
{
	gic_bank_enable(bank_of(irq), irq, false);
}

static void gicv3_configure(unsigned irq, bool edge)
{
	gic_bank_configure(bank_of(irq), irq, edge);
	gic_bank_set_priority(bank_of(irq), irq, GIC_DEFAULT_PRIORITY);
}

static int64_t find_redist(volatile uint8_t *rd, uint64_t size);

/* Wakes this CPU's redistributor and opens its CPU interface; el3_setup:
 * first asks the EL3 monitor (if any) to group its interrupts. */
static int redist_cpu_init(bool el3_setup)
{
	int64_t off = find_redist(redist, redist_size);
	volatile uint8_t *rd, *sgi;

	if (off < 0)
		return -ENODEV;
	if (el3_setup)
		gic_el3_setup(3, gicd_pa, redist_pa + off);
	rd = redist + off;
	sgi = rd + GICR_SGI_OFFSET;
	gicr_sgi_of[this_cpu()->id] = sgi;
	gic_write(rd, GICR_WAKER, gic_read(rd, GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	while (gic_read(rd, GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	gic_write(sgi, GICR_IGROUPR0, GIC_ALL_GROUP1);
	gic_write(sgi, GICD_ICENABLER, UINT32_MAX);

	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE);
	isb();
	write_sysreg(ICC_PMR_EL1, GIC_PMR_ALLOW_ALL);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_CTLR_EL1, 0);
	write_sysreg(ICC_IGRPEN1_EL1, ICC_IGRPEN_ENABLE);
	isb();
	return 0;
}

static void gicv3_cpu_init(void)
{
	if (redist_cpu_init(true))
		printk("gic: no redistributor for CPU %u\n", this_cpu()->id);
}

static void gicv3_kick(unsigned cpu)
{
	uint64_t mpidr = cpus[cpu].mpidr, aff0 = mpidr & MPIDR_AFF_MASK;

	if (aff0 >= SGI1R_TARGETS)
		return; /* not nameable by a target list (none on virt or the Pi) */
	dsb(ishst); /* the IPI's pending bits before the interrupt */
	write_sysreg(ICC_SGI1R_EL1,
		     (1ULL << aff0) |
		     (((mpidr >> MPIDR_AFF_BITS) & MPIDR_AFF_MASK) << SGI1R_AFF1_SHIFT) |
		     ((uint64_t)GIC_IPI_SGI << SGI1R_INTID_SHIFT) |
		     (((mpidr >> (2 * MPIDR_AFF_BITS)) & MPIDR_AFF_MASK) << SGI1R_AFF2_SHIFT) |
		     (((read_sysreg(mpidr_el1) >> MPIDR_AFF3_SHIFT) & MPIDR_AFF3_MASK) << SGI1R_AFF3_SHIFT));
	isb();
}

static const struct irq_chip gicv3_chip = {
	.name = "GICv3",
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.enable = gicv3_enable,
	.disable = gicv3_disable,
	.xlate = gic_xlate,
	.configure = gicv3_configure,
	.cpu_init = gicv3_cpu_init,
	.nlocal = GIC_SPI_BASE,
	.kick = gicv3_kick,
	.ipi_irq = GIC_IPI_SGI,
};

static uint64_t packed_affinity(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);

	return (mpidr & MPIDR_AFF012_MASK) |
		(((mpidr >> MPIDR_AFF3_SHIFT) & MPIDR_AFF3_MASK) << AFF3_PACKED_SHIFT);
}

/* Finds this CPU's redistributor frame in [rd, rd + size); offset or -1. */
static int64_t find_redist(volatile uint8_t *rd, uint64_t size)
{
	uint64_t aff = packed_affinity();

	for (uint64_t off = 0; off + GICR_FRAME_STRIDE <= size; off += GICR_FRAME_STRIDE) {
		uint64_t typer = *(volatile uint64_t *)(rd + off + GICR_TYPER);

		if ((typer >> GICR_TYPER_AFF_SHIFT) == aff)
			return (int64_t)off;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return -1;
}

static void dist_wait(void)
{
	while (gic_read(gicd, GICD_CTLR) & GICD_CTLR_RWP)
		;
}

static int gicv3_probe(int node)
{
	paddr_t dpa, rpa;
	uint64_t dsize, rsize, route = packed_affinity();
	int64_t off;
	unsigned lines;

	if (dt_reg(node, 0, &dpa, &dsize) || dt_reg(node, 1, &rpa, &rsize))
		return -EINVAL;
	gicd = ioremap(dpa, dsize);
	redist = ioremap(rpa, rsize);
	if (!gicd || !redist)
		return -ENOMEM;
	redist_size = rsize;
	gicd_pa = dpa;
	redist_pa = rpa;
	off = find_redist(redist, rsize);
	if (off < 0)
		return -ENODEV;
	gic_el3_setup(3, dpa, rpa + off);

	gic_write(gicd, GICD_CTLR, 0);
	dist_wait();
	lines = gic_dist_lines(gicd);
	gic_dist_init_spis(gicd, lines);
	for (unsigned i = GIC_SPI_BASE; i < lines; i++) {
		gic_write(gicd, GICD_IGROUPR + (i / GIC_IRQS_PER_REG) * sizeof(uint32_t), GIC_ALL_GROUP1);
		*(volatile uint64_t *)(gicd + GICD_IROUTER + i * sizeof(uint64_t)) = route;
	}
	gic_write(gicd, GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_GRP1A | GICD_CTLR_ENABLE_GRP1);
	dist_wait();
	if (redist_cpu_init(false))
		return -ENODEV;
	irq_set_chip(&gicv3_chip);
	printk("gic: GICv3 distributor %#lx, redistributor %#lx, %u interrupt lines\n",
	       dpa, rpa + off, lines);
	return 0;
}

static const char *const gicv3_compat[] = { "arm,gic-v3", NULL };
KDRIVER(gicv3_driver) = {
	.name = "gicv3",
	.class = DRIVER_IRQCHIP,
	.compatible = gicv3_compat,
	.probe = gicv3_probe,
};
