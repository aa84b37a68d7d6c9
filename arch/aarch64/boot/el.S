/*
 * arch/aarch64/boot/el.S: from the entry exception level down to EL1h.
 * Each level configures the one below it, then erets into it with every
 * exception masked. The resulting EL1 state is documented in README.md:
 *   EL3 (only when we were entered there, QEMU secure=on): secure world set
 *        up the way firmware would for a non-secure OS: SCR_EL3 = NS|RW|HCE,
 *        nothing trapped to EL3, CNTFRQ_EL0 set if the firmware left it 0,
 *        GICv3 system registers enabled for lower levels, and a minimal
 *        monitor (el3_monitor.S) that configures GIC interrupt groups when
 *        the kernel asks, since only the secure world may.
 *   EL2: HCR_EL2.RW only (no virtualization), EL1 timer and counter access,
 *        nothing trapped, virtual counter offset 0, GICv3 registers enabled.
 *   EL1: SCTLR_EL1 with MMU and caches off; FP/SIMD untrapped (libfdt uses
 *        NEON); EL0 may read the counters.
 */
#include "asm/sysreg.h"

/* CNTFRQ_EL0 for firmware that leaves it unset: QEMU virt's 62.5 MHz. */
#define BOOT_DEFAULT_CNTFRQ_HZ 62500000

/* ICC_SRE_EL3 / ICC_SRE_EL2 by encoding, for assemblers that lack GICv3 names. */
#define ICC_SRE_EL3 S3_6_C12_C12_5
#define ICC_SRE_EL2 S3_4_C12_C9_5

	.section .head.text, "ax"

/* x0 <- nonzero when the GICv3 system-register interface is implemented. */
.macro has_gic_sysregs reg
	mrs	\reg, id_aa64pfr0_el1
	ubfx	\reg, \reg, #ID_AA64PFR0_GIC_SHIFT, #4
.endm

	.global el3_entry
el3_entry:
	ldr	x0, =SCTLR_ELx_RES1_OFF
	msr	sctlr_el3, x0
	msr	cptr_el3, xzr
	mrs	x0, cntfrq_el0
	cbnz	x0, 1f
	ldr	x0, =BOOT_DEFAULT_CNTFRQ_HZ
	msr	cntfrq_el0, x0
1:	has_gic_sysregs x0
	cbz	x0, 2f
	mov	x0, #ICC_SRE_ALL
	msr	ICC_SRE_EL3, x0
	isb
2:	adr	x0, el3_monitor_vectors
	msr	vbar_el3, x0
	ldr	x0, =(SCR_EL3_NS | SCR_EL3_RW | SCR_EL3_HCE | SCR_EL3_RES1)
	msr	scr_el3, x0
	/* Go to EL2 when it exists, else straight to EL1. */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #ID_AA64PFR0_EL2_SHIFT, #4
	cbz	x0, 3f
	mov	x0, #SPSR_EL2H_MASKED
	adr	x1, el2_entry
	b	4f
3:	mov	x0, #SPSR_EL1H_MASKED
	adr	x1, el1_entry
4:	msr	spsr_el3, x0
	msr	elr_el3, x1
	isb
	eret

	.global el2_entry
el2_entry:
	ldr	x0, =SCTLR_ELx_RES1_OFF
	msr	sctlr_el2, x0
	ldr	x0, =HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #(CNTHCTL_EL2_EL1PCTEN | CNTHCTL_EL2_EL1PCEN)
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	ldr	x0, =CPTR_EL2_RES1
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	/* EL1 reads of MIDR/MPIDR return these: show the real CPU. */
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	has_gic_sysregs x0
	cbz	x0, 1f
	mov	x0, #ICC_SRE_ALL
	msr	ICC_SRE_EL2, x0
	isb
1:	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	adr	x0, el1_entry
	msr	elr_el2, x0
	isb
	eret

	.global el1_entry
el1_entry:
	ldr	x0, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x0
	ldr	x0, =CPACR_EL1_FPEN_NOTRAP
	msr	cpacr_el1, x0
	mov	x0, #(CNTKCTL_EL1_EL0PCTEN | CNTKCTL_EL1_EL0VCTEN)
	msr	cntkctl_el1, x0
	isb
	cbnz	x22, smp_secondary_el1   /* a secondary CPU (head.S) */
	b	el1_boot
