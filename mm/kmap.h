/*
 * mm/kmap.h: the kernel half's fixed regions (mm/layout.h): the physmap of
 * all RAM, the device window, the device-tree window, kernel stacks with
 * guard pages, and the per-section remap of the kernel image.
 */
#ifndef MM_KMAP_H
#define MM_KMAP_H

#include "kernel/lib/types.h"
#include "mm/layout.h"

struct mem_range;

extern paddr_t kernel_phys_base; /* physical address of _start (boot stub) */
extern uint64_t boot_el;         /* exception level we were entered at */

/* The image's section bounds, from linker.ld. */
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[], _end[];
extern char __boot_stack_guard[], __boot_stack_bottom[], __boot_stack_top[];

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(PHYSMAP_BASE + pa);
}

/* Physical address of a physmap or kernel-image address; 0 for others. */
paddr_t virt_to_phys(const void *va);

/* Page-table pages before the frame allocator exists (a pool in .bss). */
int kmap_early_table(paddr_t *pa);

/* Maps the device tree at pa into its window; returns its address, with
 * *size the bytes mapped (at most FDT_WINDOW_SIZE), or NULL. */
void *kmap_fdt(paddr_t pa, size_t *mapped);
/* Maps every RAM range into the physmap. */
int kmap_physmap(const struct mem_range *ram, int n);
/* Maps device registers (Device-nGnRE, never executable); NULL on failure. */
void *ioremap(paddr_t pa, size_t size);
/* Remaps the image: text RX, rodata R, data/bss RW+XN; unmaps the boot stack
 * guard page, then turns on SCTLR_EL1.WXN. */
void kmap_remap_kernel(void);

/* A kernel stack with an unmapped guard page below it; returns its top. */
vaddr_t kstack_alloc(void);
void kstack_free(vaddr_t top);

#endif
