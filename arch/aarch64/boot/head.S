/*
 * arch/aarch64/boot/head.S: the kernel's first instructions. Owns the arm64
 * Image header, parking of secondary CPUs, and the hand-off from whichever
 * exception level the loader used to EL1 (through el.S), then to the MMU
 * set-up (mmu.S) and C.
 *
 * Register use until kmain (callee-saved, never clobbered by el.S/mmu.S):
 *   x19  device-tree physical address from the loader (0 in ELF boot)
 *   x20  exception level we were entered at (1, 2 or 3)
 *   x21  physical address of _start
 *   x22  0 on the boot CPU, 1 on a secondary (smp_entry): el.S's last
 *        step branches on it
 */
#include "asm/sysreg.h"
#include "mm/layout.h"
#include "kernel/percpu_offsets.h"

/*
 * arm64 Image header (Linux Documentation/arch/arm64/booting.rst): 64 bytes
 * that let QEMU's -kernel and u-boot's booti load us as they load Linux.
 */
#define IMAGE_FLAG_LE 0               /* bit 0: little-endian */
#define IMAGE_FLAG_PAGE_4K (1 << 1)   /* bits 1-2: 4 KiB pages */
#define IMAGE_FLAG_ANYWHERE (1 << 3)  /* bit 3: any 2 MiB-aligned base */
#define IMAGE_FLAGS (IMAGE_FLAG_LE | IMAGE_FLAG_PAGE_4K | IMAGE_FLAG_ANYWHERE)
#define IMAGE_TEXT_OFFSET 0
#define IMAGE_MAGIC 0x644d5241        /* "ARM\x64" */
/* DCZID_EL0 (D19.2.33): DZP (bit 4) forbids DC ZVA; BS (3:0) = log2 words. */
#define DCZID_DZP_BIT 4
#define DCZID_BS_MASK 0xf
#define WORD_BYTES 4

	/* linker.ld places this section first: the image starts here. */
	.section .head.header, "ax"
	.global _start
_start:
	b	primary_entry            /* code0 */
	.long	0                        /* code1 */
	.quad	IMAGE_TEXT_OFFSET        /* text_offset */
	.quad	_kernel_size             /* image_size, including bss */
	.quad	IMAGE_FLAGS              /* flags */
	.quad	0, 0, 0                  /* res2, res3, res4 */
	.long	IMAGE_MAGIC              /* magic */
	.long	0                        /* res5: no PE/COFF header */

	.section .head.text, "ax"
primary_entry:
	mov	x19, x0
	/* Only the CPU with affinity 0.0.0 boots; others wait for SMP bring-up. */
	mrs	x1, mpidr_el1
	and	x1, x1, #MPIDR_AFF012_MASK
	cbnz	x1, secondary_park
	mov	x22, #0
enter_el:
	adr	x21, _start
	mrs	x20, CurrentEL
	lsr	x20, x20, #CURRENTEL_EL_SHIFT
	cmp	x20, #3
	b.eq	el3_entry
	cmp	x20, #2
	b.eq	el2_entry
	b	el1_entry

/*
 * A secondary CPU that was started with us (EL3 ELF boot starts them all:
 * no firmware holds them) waits here with every exception masked, MMU and
 * caches off, until the boot CPU writes its MPIDR affinity to
 * smp_park_release (kernel/smp_boot.c cleans it to the point of coherency,
 * then SEV): the kernel's own release, as a spin table would do it.
 */
	.global secondary_park
secondary_park:
	msr	daifset, #0xf
	mrs	x1, mpidr_el1
	and	x1, x1, #MPIDR_AFF012_MASK
1:	wfe
	adrp	x2, smp_park_release
	add	x2, x2, :lo12:smp_park_release
	ldr	x3, [x2]
	cmp	x3, x1
	b.ne	1b
	/* Fall through: released. */

/*
 * Where a secondary CPU starts (PSCI CPU_ON's entry point, a spin table's
 * release address, or from the park above), at any EL, MMU off. It takes the
 * boot CPU's path down to EL1 (el.S), then smp_secondary_el1.
 */
	.global smp_entry
smp_entry:
	msr	daifset, #0xf
	mov	x22, #1
	b	enter_el

/*
 * A secondary at EL1h, MMU off: the same MMU set-up as the boot CPU on the
 * tables it built (mmu.S), then the stack and per-CPU data the boot CPU
 * left in its cpus[] slot (kernel/smp_boot.c), then C.
 */
	.global smp_secondary_el1
smp_secondary_el1:
	bl	mmu_enable               /* returns running at the virtual address */
	ldr	x0, =exception_vectors
	msr	vbar_el1, x0
	/* Our slot in cpus[] (kernel/percpu.h) is the one with our affinity;
	 * slot 0 is the boot CPU's. None: nobody started us, stay parked. */
	mrs	x2, mpidr_el1
	and	x2, x2, #MPIDR_AFF012_MASK
	ldr	x1, =cpus
	mov	x3, #1
1:	add	x1, x1, #CPU_SIZE
	ldr	x4, [x1, #CPU_MPIDR]
	cmp	x4, x2
	b.eq	2f
	add	x3, x3, #1
	cmp	x3, #CPU_MAX
	b.lo	1b
	b	5f
2:	ldr	x0, [x1, #CPU_BOOT_STACK]
	cbz	x0, 5f
	mov	sp, x0
	msr	tpidr_el1, x1
	mov	x29, xzr
	mov	x30, xzr
	bl	smp_secondary_main
5:	wfi
	b	5b

	.data
	.balign	8
	/* Affinity of the parked CPU to release; never a real one until then. */
	.global smp_park_release
smp_park_release:
	.quad	-1
	.section .head.text, "ax"

/*
 * Reached from el.S at EL1h, MMU off, every exception masked. Turn on the
 * MMU (mmu.S), jump to the kernel's virtual addresses, and call kmain.
 */
	.global el1_boot
el1_boot:
	/* For debuggers: nothing called this, it is the outermost frame. */
	.cfi_sections .debug_frame	/* .eh_frame is discarded */
	.cfi_startproc
	.cfi_undefined x30
	bl	mmu_boot_enable          /* returns running at the virtual address */

	/* The identity map is only for the switch-over: stop TTBR0 walks. */
	mrs	x0, tcr_el1
	orr	x0, x0, #TCR_EPD0
	msr	tcr_el1, x0
	msr	ttbr0_el1, xzr
	isb
	tlbi	vmalle1
	dsb	nsh
	isb

	ldr	x0, =exception_vectors
	msr	vbar_el1, x0
	ldr	x0, =__boot_stack_top
	mov	sp, x0

	/*
	 * Clear .bss now that caches are on: whole blocks with DC ZVA where
	 * allowed (DCZID_EL0.DZP clear; BS = log2 of the block in words), the
	 * rest with stores. __bss_start is page aligned, so block aligned.
	 */
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
	mrs	x2, dczid_el0
	tbnz	x2, #DCZID_DZP_BIT, 2f
	and	x2, x2, #DCZID_BS_MASK
	mov	x3, #WORD_BYTES
	lsl	x3, x3, x2
1:	add	x4, x0, x3
	cmp	x4, x1
	b.hi	2f
	dc	zva, x0
	mov	x0, x4
	b	1b
2:	cmp	x0, x1
	b.hs	3f
	stp	xzr, xzr, [x0], #16
	b	2b
3:
	/* Record the boot facts (in .data, so the clear above kept them). */
	ldr	x0, =boot_el
	str	x20, [x0]
	ldr	x0, =kernel_phys_base
	str	x21, [x0]

	bl	stack_chk_init           /* the per-boot canary, before any protected C */
	mov	x29, xzr                 /* end of the frame-pointer chain */
	mov	x30, xzr
	mov	x0, x19
	bl	kmain
4:	wfi
	b	4b
	.cfi_endproc
