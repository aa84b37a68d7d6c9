/*
 * arch/aarch64/efi/enter.S: the EFI loader's last step, after
 * ExitBootServices: put the kernel image and device tree in memory as the
 * arm64 boot protocol wants them (cleaned to the point of coherency), turn
 * the MMU and caches off at the current exception level (EL2 or EL1, the
 * firmware's), and jump to the image with x0 = device tree, x1-x3 = 0.
 * UEFI maps memory 1:1, so every address stays valid with the MMU off.
 */
#define CURRENTEL_EL2 (2 << 2)		/* CurrentEL value at EL2 */
#define DAIF_ALL 0xf			/* debug, SError, IRQ, FIQ */
#define SCTLR_M (1 << 0)		/* MMU enable */
#define SCTLR_C (1 << 2)		/* data cache enable */
#define SCTLR_I (1 << 12)		/* instruction cache enable */
#define CTR_DMINLINE_SHIFT 16		/* CTR_EL0.DminLine: log2(words) */
#define CTR_DMINLINE_WIDTH 4
#define WORD_SIZE_SHIFT 2		/* 4-byte words */

	.text
/*
 * void efi_enter_kernel(uint64_t entry, uint64_t dtb, uint64_t image,
 *                       uint64_t image_size, uint64_t dtb_size)
 * Never returns; uses no stack once the MMU is off.
 */
	.global efi_enter_kernel
	.type efi_enter_kernel, %function
efi_enter_kernel:
	msr	daifset, #DAIF_ALL
	mov	x19, x0                 /* entry */
	mov	x20, x1                 /* device tree */
	mov	x21, x4                 /* device-tree size */

	mov	x0, x2
	mov	x1, x3
	bl	dcache_clean_poc        /* the image, bss included */
	mov	x0, x20
	mov	x1, x21
	bl	dcache_clean_poc        /* the device tree */
	adr	x0, caches_off
	adr	x1, enter_end
	sub	x1, x1, x0
	bl	dcache_clean_poc        /* the code that runs uncached */
	ic	iallu                   /* no stale lines for the new image */
	dsb	sy
	isb

caches_off:
	mrs	x0, CurrentEL
	cmp	x0, #CURRENTEL_EL2
	b.ne	1f
	mrs	x0, sctlr_el2
	bic	x0, x0, #SCTLR_M
	bic	x0, x0, #SCTLR_C
	bic	x0, x0, #SCTLR_I
	msr	sctlr_el2, x0
	isb
	b	2f
1:	mrs	x0, sctlr_el1
	bic	x0, x0, #SCTLR_M
	bic	x0, x0, #SCTLR_C
	bic	x0, x0, #SCTLR_I
	msr	sctlr_el1, x0
	isb
2:	ic	iallu
	dsb	sy
	isb
	mov	x0, x20
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x19
enter_end:
	.size efi_enter_kernel, . - efi_enter_kernel

/*
 * dcache_clean_poc(x0 = start, x1 = size): clean and invalidate the data
 * cache by address to the point of coherency. Clobbers x0-x3.
 */
	.type dcache_clean_poc, %function
dcache_clean_poc:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #CTR_DMINLINE_SHIFT, #CTR_DMINLINE_WIDTH
	mov	x2, #1 << WORD_SIZE_SHIFT
	lsl	x2, x2, x3              /* line size in bytes */
	add	x1, x0, x1              /* end */
	sub	x3, x2, #1
	bic	x0, x0, x3              /* first line */
1:	cmp	x0, x1
	b.hs	2f
	dc	civac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret
	.size dcache_clean_poc, . - dcache_clean_poc
