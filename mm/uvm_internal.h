/*
 * mm/uvm_internal.h: the page-table and region primitives the parts of the
 * user address-space layer share: mm/uvm.c (whole spaces), mm/uvm_pt.c
 * (page tables), mm/uvm_region.c (regions), mm/uvm_fault.c (faults) and
 * mm/uvm_remap.c. Not for use outside mm/. Every function that takes a
 * locked space expects as->lock held.
 */
#ifndef MM_UVM_INTERNAL_H
#define MM_UVM_INTERNAL_H

#include "mm/uvm.h"
#include "mm/asid.h"
#include "mm/layout.h"

#define BRK_ROOM (64 * MiB) /* kept free above the break by uvm_find_free */

/* The space's ASID now (0 if it never ran): read after the table change
 * whose stale entries a TLBI by this ASID is to drop (mm/asid.c). */
static inline uint16_t aspace_asid(struct aspace *as)
{
	return asid_of(&as->context);
}
void tlb_flush_user_page(uint16_t asid, uint64_t va);
/* Every entry of one ASID, from every CPU's TLB. */
void tlb_flush_asid(uint16_t asid);
/* The level-3 entry for va; allocates missing tables when create. */
uint64_t *pte_of(struct aspace *as, uint64_t va, bool create);
void set_pte(uint64_t *pte, uint64_t val);
/* A level-3 page entry for EL0 mapping pa with VM_* protection prot. */
uint64_t user_pte(paddr_t pa, unsigned prot);
/* Makes what the D-side wrote to page pa visible to the I-side if prot
 * lets EL0 execute it. */
void sync_exec_page(paddr_t pa, unsigned prot);
/* Calls fn for every present page entry in [start, end). */
int for_each_pte(struct aspace *as, uint64_t start, uint64_t end,
		 int (*fn)(struct aspace *as, uint64_t va, uint64_t *pte, void *arg), void *arg);
/* for_each_pte's callback that drops the page of region arg at va. */
int clear_one(struct aspace *as, uint64_t va, uint64_t *pte, void *arg);
/* Clears the entries of region v, dropping page references. */
void clear_range(struct aspace *as, const struct vma *v);
/* Frees every table below the root (the space is no longer in use). */
void free_tables(struct aspace *as);
/* An unmapped range [start, end) and around it the gap [floor, ceiling)
 * between its neighbouring regions (0 and PT_SPAN_END where there are
 * none): no page entry lies in the gap. */
struct pt_gap {
	uint64_t start, end, floor, ceiling;
};
/* What the root table spans: the ceiling above the last region. */
#define PT_SPAN_END (UL(1) << VA_BITS)
/* Frees the tables [g->start, g->end) crosses that hold no entry: those
 * whose whole span lies in the gap [g->floor, g->ceiling) unlooked at. */
void prune_tables(struct aspace *as, const struct pt_gap *g);
/* prune_tables for [start, end), which no region of as overlaps now, with
 * the gap around it taken from the region list. */
void prune_gap(struct aspace *as, uint64_t start, uint64_t end);
/* The VM_* protection of a page entry of v, copy-on-write if cow. */
unsigned page_prot(const struct vma *v, bool cow);
/* Unmaps and frees a list of regions detached from as. */
void release_locked(struct aspace *as, struct vma *list);
/* A new region (and its shared object), in no list yet; NULL if no memory. */
struct vma *vma_new(uint64_t start, uint64_t end, unsigned prot, unsigned flags,
		    paddr_t file_pa, uint64_t file_len);
void vma_free(struct vma *v);
/* uvm_get_page for the pages from va on that need no fault (present, and
 * their entries allow the access), under one hold of as->lock, up to the
 * first that does or n: how many were taken into pa[]. Not locked. */
size_t uvm_present_pages(struct aspace *as, uint64_t va, size_t n, bool write, paddr_t *pa);
/* Removes [start, end) from every region of as (locked). */
int unmap_locked(struct aspace *as, uint64_t start, uint64_t end);

#endif
