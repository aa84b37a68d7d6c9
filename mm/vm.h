/*
 * mm/vm.h: page-table operations through the recursive window (mm/layout.h):
 * every table that translates an address is reached at a fixed virtual
 * address, so no table page needs its own mapping.
 * The kernel half is guarded by one lock; user halves (later) by their
 * address space's lock.
 */
#ifndef MM_VM_H
#define MM_VM_H

#include "kernel/lib/types.h"
#include "asm/pte.h"

/* Protection classes, turned into descriptor bits by vm_prot_bits(). */
#define VM_READ 0x1
#define VM_WRITE 0x2
#define VM_EXEC 0x4
#define VM_DEVICE 0x8  /* Device-nGnRE instead of normal cacheable memory */
#define VM_USER 0x10   /* EL0 accessible (user half) */

uint64_t vm_prot_bits(unsigned prot);

/* Where new table pages come from: early pool at boot, frame allocator after. */
void vm_set_table_source(int (*alloc)(paddr_t *pa));

/* Maps one 4 KiB page; -EEXIST if mapped, -ENOMEM if a table is missing and
 * none can be allocated, -EINVAL for unaligned or non-canonical addresses. */
int vm_map(vaddr_t va, paddr_t pa, unsigned prot);
/* Maps [va, va+size) to [pa, ...) with the largest blocks alignment allows. */
int vm_map_range(vaddr_t va, paddr_t pa, uint64_t size, unsigned prot);
/* Unmaps one 4 KiB page (with TLB invalidation); -ENOENT if not mapped,
 * -EINVAL if it lies inside a block mapping. */
int vm_unmap(vaddr_t va);
/* Unmaps the 4 KiB pages of [va, va + size) (with TLB invalidation), one
 * walk per level-3 table: 0, or -ENOENT at the first page not mapped
 * (those before it are unmapped), -EINVAL inside a block mapping. */
int vm_unmap_range(vaddr_t va, uint64_t size);
/* Physical address of va, or -ENOENT; *desc (optional) gets the descriptor. */
int vm_translate(vaddr_t va, paddr_t *pa, uint64_t *desc);
/* Changes one page's protection (with TLB invalidation); -ENOENT if unmapped. */
int vm_protect(vaddr_t va, unsigned prot);
/* Changes the protection of the 4 KiB pages of [va, va + size) as
 * vm_unmap_range unmaps them: one walk per level-3 table, the same errors. */
int vm_protect_range(vaddr_t va, uint64_t size, unsigned prot);

#endif
