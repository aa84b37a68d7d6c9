/*
 * mm/uvm_resident.c: counts the allocator frames an address space holds
 * (see uvm_resident.h): a walk of its regions' page entries under its lock.
 */
#include "mm/uvm_resident.h"
#include "mm/uvm_internal.h"
#include "mm/frame.h"
#include "asm/pte.h"

/* for_each_pte's callback: counts the entry's page if the allocator gave it. */
static int count_one(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	struct frame *f = frame_meta(*pte & PTE_ADDR_MASK);

	(void)as;
	(void)va;
	if (f && f->state == FRAME_USED)
		(*(size_t *)arg)++;
	return 0;
}

size_t uvm_resident_frames(struct aspace *as)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	size_t frames = as->ntables + 1; /* the tables and the root */

	/* Device registers are not RAM (mm/uvm.c's clear_one). */
	for (struct vma *v = as->vmas; v; v = v->next)
		if (!(v->flags & VMA_DEVICE))
			for_each_pte(as, v->start, v->end, count_one, &frames);
	spin_unlock_irqrestore(&as->lock, irq);
	return frames;
}
