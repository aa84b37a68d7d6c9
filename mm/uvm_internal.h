/*
 * mm/uvm_internal.h: the page-table and region primitives of mm/uvm.c that
 * its companion files (mm/uvm_remap.c) build on. Not for use outside mm/.
 * Every function that takes a locked space expects as->lock held.
 */
#ifndef MM_UVM_INTERNAL_H
#define MM_UVM_INTERNAL_H

#include "mm/uvm.h"
#include "mm/asid.h"

#define BRK_ROOM (64 * MiB) /* kept free above the break by uvm_find_free */

/* The space's ASID now (0 if it never ran): read after the table change
 * whose stale entries a TLBI by this ASID is to drop (mm/asid.c). */
static inline uint16_t aspace_asid(struct aspace *as)
{
	return asid_of(&as->context);
}
void tlb_flush_user_page(uint16_t asid, uint64_t va);
/* The level-3 entry for va; allocates missing tables when create. */
uint64_t *pte_of(struct aspace *as, uint64_t va, bool create);
void set_pte(uint64_t *pte, uint64_t val);
/* Calls fn for every present page entry in [start, end). */
int for_each_pte(struct aspace *as, uint64_t start, uint64_t end,
		 int (*fn)(struct aspace *as, uint64_t va, uint64_t *pte, void *arg), void *arg);
/* for_each_pte's callback that drops the page of region arg at va. */
int clear_one(struct aspace *as, uint64_t va, uint64_t *pte, void *arg);
/* A new region (and its shared object), in no list yet; NULL if no memory. */
struct vma *vma_new(uint64_t start, uint64_t end, unsigned prot, unsigned flags,
		    paddr_t file_pa, uint64_t file_len);
void vma_free(struct vma *v);
/* Removes [start, end) from every region of as (locked). */
int unmap_locked(struct aspace *as, uint64_t start, uint64_t end);

#endif
