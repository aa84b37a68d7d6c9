/*
 * arch/aarch64/include/asm/cpu.h: C access to system registers, barriers,
 * interrupt masking and TLB maintenance.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <stdint.h>
#include "asm/sysreg.h"

#define read_sysreg(reg) ({ \
	uint64_t __v; \
	__asm__ volatile("mrs %0, " #reg : "=r"(__v)); \
	__v; })
/* The same for a macro naming a register by its encoding (SYSREG_PAN in
 * sysreg.h): the extra step expands it before read_sysreg quotes it. */
#define read_sysreg_s(reg) read_sysreg(reg)
#define write_sysreg(reg, v) \
	__asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt : : : "memory")
#define wfi() __asm__ volatile("wfi" : : : "memory")
#define wfe() __asm__ volatile("wfe" : : : "memory")
#define sev() __asm__ volatile("sev" : : : "memory")
/* The body of every busy-wait loop: YIELD (Arm ARM C6.2, "hint that the
 * thread is spinning"), Linux's arm64 cpu_relax. Under QEMU's round-robin
 * TCG (-icount, or one host thread for all vCPUs) it ends this vCPU's turn,
 * so the CPU being waited for runs instead of the spinner burning its whole
 * slice of virtual time. */
#define cpu_relax() __asm__ volatile("yield" : : : "memory")

/* Interrupt (IRQ) masking; the returned flags restore the previous state. */
static inline uint64_t irq_save(void)
{
	uint64_t flags = read_sysreg(daif);

	__asm__ volatile("msr daifset, #2" : : : "memory");
	return flags;
}

static inline void irq_restore(uint64_t flags)
{
	write_sysreg(daif, flags);
}

static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

static inline int irqs_disabled(void)
{
	return (read_sysreg(daif) & SPSR_I) != 0;
}

/*
 * TLB maintenance for one kernel (global) page: TLBI VAAE1IS takes VA[55:12]
 * in bits [43:0] and invalidates for every ASID, on every CPU (Inner
 * Shareable), then waits for completion.
 */
#define TLBI_VA_SHIFT 12
#define TLBI_VA_MASK ((UL(1) << 44) - 1)
static inline void tlb_flush_kernel_page(uint64_t va)
{
	dsb(ishst);
	__asm__ volatile("tlbi vaae1is, %0" : : "r"((va >> TLBI_VA_SHIFT) & TLBI_VA_MASK) : "memory");
	dsb(ish);
	isb();
}

static inline void tlb_flush_all(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
}

static inline unsigned cpu_current_el(void)
{
	return (unsigned)(read_sysreg(CurrentEL) >> CURRENTEL_EL_SHIFT);
}

#endif
