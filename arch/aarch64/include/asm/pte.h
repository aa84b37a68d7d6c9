/*
 * arch/aarch64/include/asm/pte.h: the VMSAv8-64 translation-table descriptor
 * format for a 4 KiB granule (Arm ARM D8.3 "Translation table descriptor
 * formats"). Shared by the boot stub and C.
 */
#ifndef ASM_PTE_H
#define ASM_PTE_H

#include "asm/sysreg.h"

#define PTE_VALID BIT(0)
/* Bit 1: at levels 0-2 a table (1) or a block (0); at level 3 it must be 1 (page). */
#define PTE_TABLE BIT(1)
#define PTE_PAGE BIT(1)
#define PTE_BLOCK 0
#define PTE_TYPE_MASK (PTE_VALID | PTE_TABLE)
#define PTE_ATTRINDX_SHIFT 2
#define PTE_ATTRINDX(mt) ((mt) << PTE_ATTRINDX_SHIFT)
#define PTE_ATTRINDX_MASK (UL(7) << PTE_ATTRINDX_SHIFT)
#define PTE_AP_EL0 BIT(6)      /* AP[1]: EL0 may access */
#define PTE_AP_RO BIT(7)       /* AP[2]: read-only */
#define PTE_SH_INNER (UL(3) << 8)
#define PTE_AF BIT(10)         /* access flag; set, so no access-flag faults */
#define PTE_nG BIT(11)         /* not global: tagged with the current ASID */
#define PTE_PXN BIT(53)        /* never executable at EL1 */
#define PTE_UXN BIT(54)        /* never executable at EL0 */
/* Bits 55-58 are for software; bit 55 will mark copy-on-write pages. */
#define PTE_SW_COW BIT(55)
#define PTE_ADDR_MASK UL(0x0000fffffffff000)

/* The attribute sets the kernel uses (with PTE_VALID | PTE_PAGE or PTE_BLOCK). */
#define PTE_KERNEL_NORMAL (PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(MT_NORMAL))
#define PTE_KERNEL_DEVICE (PTE_AF | PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_PXN | PTE_UXN)

/*
 * Every table descriptor. The recursive window makes the walk read a table
 * descriptor as a page descriptor one level down, so the bits that are
 * ignored in a table descriptor (AF, SH, AttrIndx, PXN, UXN: Arm ARM
 * D8.3.1) are set to read as a kernel-only, read-write, never-executable,
 * normal cacheable page. The recursive entry itself is one of these.
 */
#define PTE_TABLE_DESC (PTE_VALID | PTE_TABLE | PTE_KERNEL_NORMAL | PTE_PXN | PTE_UXN)
#define PTE_RECURSIVE PTE_TABLE_DESC

#endif
