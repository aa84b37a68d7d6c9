/*
 * mm/layout.h: Anode's virtual memory layout and the address arithmetic of
 * 4-level, 4 KiB-granule, 48-bit translation with a recursive top-level entry.
 * Shared by the boot stub, the linker script, C, and the host unit tests.
 *
 *  0x0000_0000_0000_0000  user space (TTBR0), per process
 *  0xffff_0000_0000_0000  physmap: all RAM, linearly (L0 slots 0-255)
 *  0xffff_fc00_0000_0000  device window (ioremap)             (L0 slot 504)
 *  0xffff_fc80_0000_0000  device-tree window                  (L0 slot 505)
 *  0xffff_fd00_0000_0000  kernel stacks, each with a guard page (L0 slot 506)
 *  0xffff_ff00_0000_0000  kernel image                        (L0 slot 510)
 *  0xffff_ff80_0000_0000  recursive window: every page-table page of the
 *                         kernel half, at a fixed address      (L0 slot 511)
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#include "asm/sysreg.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (UL(1) << PAGE_SHIFT)
#define PT_INDEX_BITS 9               /* 512 eight-byte entries per 4 KiB table */
#define PT_ENTRIES (UL(1) << PT_INDEX_BITS)
#define PT_LEVELS 4                   /* levels 0 (top) to 3 (pages) */
#define VA_BITS 48
/* Bit position of the index into a level-l table (l = 0..3): 39, 30, 21, 12. */
#define PT_LEVEL_SHIFT(l) (PAGE_SHIFT + PT_INDEX_BITS * (PT_LEVELS - 1 - (l)))
#define PT_INDEX(va, l) (((va) >> PT_LEVEL_SHIFT(l)) & (PT_ENTRIES - 1))
/* Bytes mapped by one entry at level l: 512 GiB, 1 GiB, 2 MiB, 4 KiB. */
#define PT_LEVEL_SIZE(l) (UL(1) << PT_LEVEL_SHIFT(l))

#define KERNEL_HALF_BASE UL(0xffff000000000000)
#define PHYSMAP_BASE UL(0xffff000000000000)
#define PHYSMAP_SIZE (UL(256) << PT_LEVEL_SHIFT(0))
#define IOMAP_BASE UL(0xfffffc0000000000)
#define IOMAP_SIZE PT_LEVEL_SIZE(0)
#define FDT_WINDOW_BASE UL(0xfffffc8000000000)
#define FDT_WINDOW_SIZE (UL(2) * 1024 * 1024) /* largest device tree accepted */
#define KSTACK_BASE UL(0xfffffd0000000000)
#define KSTACK_AREA_SIZE PT_LEVEL_SIZE(0)
#define KERNEL_VBASE UL(0xffffff0000000000)
/*
 * The image (text to the end of the boot tables) is mapped at boot by as
 * many level-3 tables as it needs (linker.ld sizes them, mmu.S fills them),
 * all under the one level-2 table of KERNEL_VBASE: at most 1 GiB.
 */
#define KERNEL_MAX_SIZE PT_LEVEL_SIZE(1)
#define RECURSIVE_INDEX (PT_ENTRIES - 1)
#define RECURSIVE_BASE UL(0xffffff8000000000)

/*
 * The physical address the ELF is linked to load at: 2 MiB above the bottom
 * of QEMU virt's RAM, leaving room for the device tree QEMU puts there.
 * The Image is position independent in physical memory.
 */
#define KERNEL_LOAD_PA UL(0x40200000)

/*
 * Kernel stacks: each is the upper half of a KSTACK_SLOT_SIZE-aligned slot
 * whose lower half is an unmapped guard, so a stack pointer is inside its
 * stack exactly when bit KERNEL_STACK_SHIFT is set (vectors.S checks this).
 */
#define KERNEL_STACK_SHIFT 14
#define KERNEL_STACK_SIZE (UL(1) << KERNEL_STACK_SHIFT)
#define KSTACK_SLOT_SIZE (2 * KERNEL_STACK_SIZE)

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline int va_is_kernel(uint64_t va)
{
	return (va >> VA_BITS) == (UINT64_MAX >> VA_BITS);
}

/*
 * Virtual address, through the recursive window of va's half, of the level-l
 * table that translates va. The walk enters the recursive slot (4 - l) times
 * and then follows va's first l indices, so the result is the recursive slot
 * repeated in the top (4 - l) index fields followed by va's indices shifted
 * down by (4 - l) fields.
 */
static inline uint64_t pt_table_va(uint64_t va, int level)
{
	/* Bits 63:48 select the half (TTBR1 all ones, TTBR0 all zeros). */
	uint64_t half = va_is_kernel(va) ? ~(BIT(VA_BITS) - 1) : 0;
	uint64_t addr = 0;
	int repeats = PT_LEVELS - level;

	for (int k = 0; k < repeats; k++)
		addr |= (uint64_t)RECURSIVE_INDEX << PT_LEVEL_SHIFT(k);
	addr |= ((va & (BIT(VA_BITS) - 1)) >> (PT_INDEX_BITS * repeats)) &
		(((UL(1) << (PT_INDEX_BITS * level)) - 1) << PAGE_SHIFT);
	return addr | half;
}

/* Virtual address of the descriptor that translates va at level l. */
static inline uint64_t *pt_entry_ptr(uint64_t va, int level)
{
	return (uint64_t *)(uintptr_t)(pt_table_va(va, level) +
		PT_INDEX(va, level) * sizeof(uint64_t));
}
#endif

#endif
