/*
 * arch/aarch64/boot/el3_monitor.S: a minimal secure monitor, installed only
 * when Anode is entered at EL3 (QEMU virt with secure=on, where no firmware
 * exists). It owns what only the secure world may do for the non-secure
 * kernel: putting the GIC's interrupts in Group 1 (non-secure) and waking the
 * GICv3 redistributor. The kernel finds the GIC in the device tree and asks
 * with one SMC (ANODE_SMC_GIC_SETUP, arch/aarch64/include/asm/el3_monitor.h).
 * Runs at EL3 with the MMU off, on no stack; uses only x0-x7.
 */
#include "asm/sysreg.h"
#include "asm/el3_monitor.h"

/* ESR_EL3.EC for SMC executed in AArch64 state (Arm ARM D19.2.37). */
#define ESR_EC_SMC64 0x17

/* GICv2 (IHI 0048B 4.1.2, 4.1.3) and GICv3 (IHI 0069H 12.8, 12.10) offsets. */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_TYPER_ITLINES_MASK 0x1f
#define GICD_IGROUPR 0x080
#define GICD_CTLR_V2_ENABLE_GRP0 (1 << 0)
#define GICD_CTLR_V2_ENABLE_GRP1 (1 << 1)
#define GICC_CTLR 0x000
#define GICC_CTLR_ENABLE_GRP0 (1 << 0)
#define GICC_CTLR_ENABLE_GRP1 (1 << 1)
/* GICC_PMR: while it holds a secure-half value (bit 7 clear, as at reset),
 * non-secure writes are ignored (IHI 0048B 4.4.2), so open it fully. */
#define GICC_PMR 0x004
#define GICC_PMR_OPEN 0xff
#define GICD_CTLR_V3_ENABLE_GRP1NS (1 << 1)
#define GICD_CTLR_V3_ARE_S (1 << 4)
#define GICD_CTLR_V3_ARE_NS (1 << 5)
#define GICD_CTLR_RWP_BIT 31
#define GICR_WAKER 0x014
#define GICR_WAKER_PROCESSOR_SLEEP (1 << 1)
#define GICR_WAKER_CHILDREN_ASLEEP_BIT 2
#define GICR_SGI_FRAME 0x10000
#define GICR_IGROUPR0 0x080
#define GIC_ALL_GROUP1 0xffffffff
#define GIC_IRQS_PER_REG 32

	.section .head.text, "ax"

.macro hang
1:	wfe
	b	1b
.endm

	.balign 2048
	.global el3_monitor_vectors
el3_monitor_vectors:
	/* Current EL with SP0, current EL with SPx: never expected. */
	.rept 8
	.balign 0x80
	hang
	.endr
	/* Lower EL, AArch64: synchronous (SMC), IRQ, FIQ, SError. */
	.balign 0x80
	b	el3_monitor_sync
	.rept 7
	.balign 0x80
	hang
	.endr

el3_monitor_sync:
	mrs	x4, esr_el3
	lsr	x4, x4, #ESR_EC_SHIFT
	cmp	x4, #ESR_EC_SMC64
	b.ne	el3_monitor_unknown
	ldr	x4, =ANODE_SMC_GIC_SETUP
	cmp	x0, x4
	b.ne	el3_monitor_unknown
	cmp	x1, #ANODE_GIC_V2
	b.eq	el3_gicv2_setup
	cmp	x1, #ANODE_GIC_V3
	b.eq	el3_gicv3_setup
el3_monitor_unknown:
	mov	x0, #SMCCC_NOT_SUPPORTED
	eret

/* Puts every distributor interrupt in group 1. In: x2 = GICD. Uses x4-x7. */
el3_gicd_all_group1:
	ldr	w6, [x2, #GICD_TYPER]
	and	w6, w6, #GICD_TYPER_ITLINES_MASK
	add	w6, w6, #1               /* ITLinesNumber + 1 registers of 32 */
	mov	w7, #GIC_ALL_GROUP1
	add	x5, x2, #GICD_IGROUPR
	mov	x4, #0
1:	str	w7, [x5, x4, lsl #2]
	add	x4, x4, #1
	cmp	x4, x6
	b.lo	1b
	ret

/* x2 = GICD, x3 = GICC. */
el3_gicv2_setup:
	mov	x1, x30
	bl	el3_gicd_all_group1
	mov	x30, x1
	mov	w4, #(GICD_CTLR_V2_ENABLE_GRP0 | GICD_CTLR_V2_ENABLE_GRP1)
	str	w4, [x2, #GICD_CTLR]
	mov	w4, #(GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1)
	str	w4, [x3, #GICC_CTLR]
	mov	w4, #GICC_PMR_OPEN
	str	w4, [x3, #GICC_PMR]
	mov	x0, #SMCCC_SUCCESS
	eret

/* x2 = GICD, x3 = this CPU's redistributor (RD_base). */
el3_gicv3_setup:
	mov	w4, #(GICD_CTLR_V3_ARE_S | GICD_CTLR_V3_ARE_NS)
	str	w4, [x2, #GICD_CTLR]
1:	ldr	w4, [x2, #GICD_CTLR]
	tbnz	w4, #GICD_CTLR_RWP_BIT, 1b /* the write is still in progress */
	mov	x1, x30
	bl	el3_gicd_all_group1
	mov	x30, x1
	mov	w4, #(GICD_CTLR_V3_ARE_S | GICD_CTLR_V3_ARE_NS | GICD_CTLR_V3_ENABLE_GRP1NS)
	str	w4, [x2, #GICD_CTLR]
	/* Wake the redistributor, then put its SGIs and PPIs in group 1. */
	ldr	w4, [x3, #GICR_WAKER]
	bic	w4, w4, #GICR_WAKER_PROCESSOR_SLEEP
	str	w4, [x3, #GICR_WAKER]
2:	ldr	w4, [x3, #GICR_WAKER]
	tbnz	w4, #GICR_WAKER_CHILDREN_ASLEEP_BIT, 2b
	add	x4, x3, #GICR_SGI_FRAME
	mov	w5, #GIC_ALL_GROUP1
	str	w5, [x4, #GICR_IGROUPR0]
	mov	x0, #SMCCC_SUCCESS
	eret
