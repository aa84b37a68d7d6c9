/*
 * arch/aarch64/dev/gic.h: what GICv2 (IHI 0048B) and GICv3 (IHI 0069H)
 * share: the distributor's register layout for SPIs, interrupt numbering,
 * and the device-tree specifier (bindings/interrupt-controller/arm,gic.yaml).
 */
#ifndef ARCH_AARCH64_DEV_GIC_H
#define ARCH_AARCH64_DEV_GIC_H

#include "kernel/lib/types.h"

/* Distributor registers (IHI 0048B 4.1.2; IHI 0069H 12.9). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_TYPER_ITLINES_MASK 0x1f
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00

/* Interrupt ID ranges (IHI 0069H 2.2). */
#define GIC_SGI_BASE 0
#define GIC_PPI_BASE 16
#define GIC_SPI_BASE 32
#define GIC_SPURIOUS_FIRST 1020 /* 1020-1023 are special: nothing pending */
#define GIC_INTID_MASK 0x3ff

#define GIC_IRQS_PER_REG 32
#define GIC_PRIO_PER_REG 4
#define GIC_CFG_PER_REG 16
#define GIC_CFG_EDGE 2u          /* Int_config[1] of the two bits per interrupt */
#define GIC_DEFAULT_PRIORITY 0xa0
#define GIC_PMR_ALLOW_ALL 0xf0    /* lowest mask priority still taking 0xa0 */

/* Device-tree specifier: <type number flags>. */
#define GIC_DT_CELLS 3
#define GIC_DT_SPI 0
#define GIC_DT_PPI 1
#define GIC_DT_TRIGGER_MASK 0xf
#define GIC_DT_EDGE_RISING 1
#define GIC_DT_EDGE_FALLING 2

static inline uint32_t gic_read(volatile uint8_t *base, unsigned off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void gic_write(volatile uint8_t *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

int gic_xlate(const uint32_t *cells, int ncells, unsigned *irq, bool *edge);
/* Number of interrupt IDs the distributor implements. */
unsigned gic_dist_lines(volatile uint8_t *gicd);
/* Per-interrupt registers of a bank (distributor, or GICv3 SGI frame). */
void gic_bank_enable(volatile uint8_t *bank, unsigned irq, bool on);
void gic_bank_configure(volatile uint8_t *bank, unsigned irq, bool edge);
void gic_bank_set_priority(volatile uint8_t *bank, unsigned irq, uint8_t prio);
/* Disables, clears and sets the default priority of SPIs [32, lines). */
void gic_dist_init_spis(volatile uint8_t *gicd, unsigned lines);
/* Entered at EL3: asks our monitor to put interrupts in the non-secure group. */
void gic_el3_setup(unsigned version, paddr_t gicd, paddr_t cpu_or_redist);

#endif
