/*
 * arch/aarch64/boot/mmu.S: the boot page tables and the switch to virtual
 * addresses. Runs at EL1 with the MMU off, position independent.
 *
 * TTBR1 (kernel half, kept for good; C later adds the physmap, windows and
 * per-section permissions through the recursive slot):
 *   L0[PT_INDEX(KERNEL_VBASE, 0)] -> L1 -> L2 -> __boot_l3_tables L3 tables
 *   (as many as the image needs, linker.ld) mapping the image page by page
 *   at KERNEL_VBASE (read-write-execute until C remaps it)
 *   L0[RECURSIVE_INDEX] -> L0 itself
 * TTBR0 (switch-over only): the 1 GiB block holding the image, identity.
 */
#include "asm/sysreg.h"
#include "asm/pte.h"
#include "asm/pan.h"
#include "mm/layout.h"

#define PTE_BOOT_PAGE (PTE_VALID | PTE_PAGE | PTE_KERNEL_NORMAL | PTE_UXN)
#define PTE_BOOT_BLOCK (PTE_VALID | PTE_BLOCK | PTE_KERNEL_NORMAL | PTE_UXN)
/* CTR_EL0.DminLine, bits [19:16]: log2 of the smallest D-cache line in words. */
#define CTR_DMINLINE_SHIFT 16
#define CTR_DMINLINE_BITS 4
#define WORD_BYTES 4

/* Physical address of sym, PC-relative (valid before and after the MMU is on). */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

	.section .head.text, "ax"

/*
 * In: x21 = physical address of _start. Clobbers x0-x12. Returns to the
 * caller's virtual address with the MMU and caches on.
 */
	.global mmu_boot_enable
mmu_boot_enable:
	adr_l	x0, __boot_tables_start
	adr_l	x1, __boot_tables_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b

	adr_l	x2, boot_l0_kernel
	adr_l	x3, boot_l1_kernel
	adr_l	x4, boot_l2_kernel
	adr_l	x5, boot_l3_kernel
	adr_l	x6, boot_l0_ident
	adr_l	x7, boot_l1_ident

	/* Kernel half: L0 -> L1 -> L2 -> L3s. */
	ldr	x12, =PTE_TABLE_DESC
	orr	x8, x3, x12
	str	x8, [x2, #(PT_INDEX(KERNEL_VBASE, 0) * 8)]
	orr	x8, x4, x12
	str	x8, [x3, #(PT_INDEX(KERNEL_VBASE, 1) * 8)]
	mov	x9, #0
	add	x10, x4, #(PT_INDEX(KERNEL_VBASE, 2) * 8)
	ldr	x11, =__boot_l3_tables
2:	add	x8, x5, x9, lsl #PAGE_SHIFT
	orr	x8, x8, x12
	str	x8, [x10, x9, lsl #3]
	add	x9, x9, #1
	cmp	x9, x11
	b.lo	2b

	/* The recursive slot. */
	ldr	x8, =PTE_RECURSIVE
	orr	x8, x2, x8
	str	x8, [x2, #(RECURSIVE_INDEX * 8)]

	/* The image, one 4 KiB page per L3 entry (the L3 tables are adjacent). */
	ldr	x11, =_kernel_size
	add	x11, x11, #(PAGE_SIZE - 1)
	lsr	x11, x11, #PAGE_SHIFT
	ldr	x12, =PTE_BOOT_PAGE
	mov	x9, #0
3:	add	x8, x21, x9, lsl #PAGE_SHIFT
	orr	x8, x8, x12
	str	x8, [x5, x9, lsl #3]
	add	x9, x9, #1
	cmp	x9, x11
	b.lo	3b

	/* Identity map of the 1 GiB holding the image, for the switch-over. */
	ubfx	x9, x21, #PT_LEVEL_SHIFT(0), #PT_INDEX_BITS
	orr	x8, x7, x12
	str	x8, [x6, x9, lsl #3]
	ubfx	x9, x21, #PT_LEVEL_SHIFT(1), #PT_INDEX_BITS
	lsr	x8, x21, #PT_LEVEL_SHIFT(1)
	lsl	x8, x8, #PT_LEVEL_SHIFT(1)
	ldr	x12, =PTE_BOOT_BLOCK
	orr	x8, x8, x12
	str	x8, [x7, x9, lsl #3]

	/*
	 * The tables were written with the MMU off (non-cacheable); drop any
	 * stale cache lines so the cacheable table walks see the new contents.
	 */
	dsb	sy
	mrs	x8, ctr_el0
	ubfx	x8, x8, #CTR_DMINLINE_SHIFT, #CTR_DMINLINE_BITS
	mov	x9, #WORD_BYTES
	lsl	x9, x9, x8
	adr_l	x0, __boot_tables_start
	adr_l	x1, __boot_tables_end
4:	dc	ivac, x0
	add	x0, x0, x9
	cmp	x0, x1
	b.lo	4b
	dsb	sy
	/* Fall through. */

/*
 * Turns the MMU on with the boot tables: the boot CPU right after building
 * them, each secondary CPU on its way up (head.S smp_secondary_el1), whose
 * TTBR0 identity map stays until C replaces it. In: x21 = physical address
 * of _start. Clobbers x2, x6, x8-x10. Returns to the caller's virtual address
 * with PSTATE.PAN set where the CPU has PAN.
 */
	.global mmu_enable
mmu_enable:
	adr_l	x2, boot_l0_kernel
	adr_l	x6, boot_l0_ident
	ldr	x8, =MAIR_EL1_KERNEL
	msr	mair_el1, x8
	ldr	x8, =TCR_EL1_KERNEL
	mrs	x9, id_aa64mmfr0_el1
	bfi	x8, x9, #TCR_IPS_SHIFT, #3
	ubfx	x10, x9, #ID_AA64MMFR0_ASIDBITS_SHIFT, #4
	cmp	x10, #ID_AA64MMFR0_ASIDBITS_16
	b.ne	5f
	orr	x8, x8, #TCR_AS
5:	msr	tcr_el1, x8
	msr	ttbr0_el1, x6
	msr	ttbr1_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	ic	iallu
	dsb	nsh
	isb
	/* With FEAT_PAN: SPAN = 0, so exceptions to EL1 set PSTATE.PAN (asm/pan.h). */
	ldr	x8, =SCTLR_EL1_KERNEL
	mrs	x9, id_aa64mmfr1_el1
	ubfx	x9, x9, #ID_AA64MMFR1_PAN_SHIFT, #ID_AA64MMFR1_PAN_BITS
	cbz	x9, 6f
	bic	x8, x8, #SCTLR_EL1_SPAN
6:	msr	sctlr_el1, x8
	isb
	cbz	x9, 7f
	.inst	MSR_PSTATE_PAN(1)
	/* Through the kernel half, mapped now; in .data, which head.S does not clear. */
	ldr	x10, =uaccess_pan
	mov	x8, #1
	str	x8, [x10]
	/* FEAT_UAO: PSTATE.UAO = 0 keeps LDTR/STTR unprivileged (exception
	 * entry clears it too). The kernel never sets it. */
7:	mrs	x10, ID_AA64MMFR2_EL1
	ubfx	x10, x10, #ID_AA64MMFR2_UAO_SHIFT, #ID_AA64MMFR2_UAO_BITS
	cbz	x10, 8f
	.inst	MSR_PSTATE_UAO(0)
8:

	/* Return to the caller's virtual address: VA = PA - x21 + KERNEL_VBASE. */
	ldr	x8, =KERNEL_VBASE
	sub	x8, x8, x21
	add	x30, x30, x8
	ret

	/* 1 once a CPU found FEAT_PAN and set PSTATE.PAN (asm/pan.h); the
	 * CPUs are alike, so every CPU finds the same. */
	.data
	.balign	8
	.global	uaccess_pan
uaccess_pan:	.quad 0

	.section .boot_tables, "aw", %nobits
	.balign	PAGE_SIZE
	.global boot_l0_kernel
boot_l0_kernel:	.skip PAGE_SIZE
boot_l1_kernel:	.skip PAGE_SIZE
boot_l2_kernel:	.skip PAGE_SIZE
boot_l0_ident:	.skip PAGE_SIZE
boot_l1_ident:	.skip PAGE_SIZE
	/* boot_l3_kernel follows, sized by linker.ld (__boot_l3_tables pages). */
