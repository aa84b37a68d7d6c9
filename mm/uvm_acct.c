/*
 * mm/uvm_acct.c: the sizes an address space's limits count (see
 * uvm_acct.h): a walk of its regions under its lock.
 */
#include "mm/uvm_acct.h"
#include "mm/uvm.h"

/* The part of [start, end) outside [skip_start, skip_end). */
static uint64_t outside(uint64_t start, uint64_t end, uint64_t skip_start, uint64_t skip_end)
{
	uint64_t lo = MAX(start, skip_start), hi = MIN(end, skip_end);

	return (end - start) - (lo < hi ? hi - lo : 0);
}

void uvm_vm_size(struct aspace *as, uint64_t skip_start, uint64_t skip_end,
		 struct uvm_vm_size *out)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);

	*out = (struct uvm_vm_size){ 0, 0 };
	for (struct vma *v = as->vmas; v; v = v->next) {
		uint64_t len = outside(v->start, v->end, skip_start, skip_end);

		out->total += len;
		if (uvm_is_data(v->prot, v->flags))
			out->data += len;
	}
	spin_unlock_irqrestore(&as->lock, irq);
}

uint64_t uvm_data_gain(struct aspace *as, uint64_t start, uint64_t end, unsigned prot)
{
	uint64_t irq = spin_lock_irqsave(&as->lock), gain = 0;

	for (struct vma *v = as->vmas; v && v->start < end; v = v->next) {
		if (v->end <= start || uvm_is_data(v->prot, v->flags) || !uvm_is_data(prot, v->flags))
			continue;
		gain += MIN(v->end, end) - MAX(v->start, start);
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return gain;
}

bool uvm_region_at(struct aspace *as, uint64_t addr, unsigned *prot, unsigned *flags)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	struct vma *v = vma_find(as->vmas, addr);

	if (v) {
		*prot = v->prot;
		*flags = v->flags;
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return v != NULL;
}
