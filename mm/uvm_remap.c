/*
 * mm/uvm_remap.c: changing mappings in place, for mremap(2), madvise(2)
 * and msync(2): resizing a region (growing where the space after it is
 * free, else moving its page entries to a new place without copying a
 * page), dropping the pages of a range (MADV_DONTNEED: the next touch
 * faults in what the region says, zeros for anonymous memory), and asking
 * whether a range is mapped. Each runs in one hold of the space's lock, so
 * another thread sees the old mapping or the new one, never a mix.
 */
#include "mm/uvm.h"
#include "mm/uvm_internal.h"
#include "mm/vm.h"
#include "mm/layout.h"
#include "kernel/lib/errno.h"

/* Every byte of [start, end) is in some region (locked). */
static bool mapped_locked(struct aspace *as, uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a < end;) {
		struct vma *v = vma_find(as->vmas, a);

		if (!v)
			return false;
		a = v->end;
	}
	return true;
}

bool uvm_mapped(struct aspace *as, uint64_t start, uint64_t end)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	bool ok = mapped_locked(as, start, end);

	spin_unlock_irqrestore(&as->lock, irq);
	return ok;
}

int uvm_discard(struct aspace *as, uint64_t start, uint64_t end)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	/* As Linux: the mapped parts are dropped even when there are holes,
	 * which give -ENOMEM. */
	int err = mapped_locked(as, start, end) ? 0 : -ENOMEM;

	for (struct vma *v = as->vmas; v && v->start < end; v = v->next) {
		/* Device registers are not pages that can be dropped. */
		if (v->end > start && !(v->flags & VMA_DEVICE))
			for_each_pte(as, MAX(start, v->start), MIN(end, v->end), clear_one, v);
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/* Moves one page entry by the delta at arg: the page keeps its reference. */
static int move_one(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	uint64_t *to = pte_of(as, va + *(uint64_t *)arg, false);

	set_pte(to, *pte);
	set_pte(pte, 0);
	tlb_flush_user_page(aspace_asid(as), va);
	return 0;
}

/* Moves private anonymous region v (one region, detached) to start at to,
 * whose tables exist. Locked. */
static void move_region(struct aspace *as, struct vma *v, uint64_t to)
{
	uint64_t delta = to - v->start;

	for_each_pte(as, v->start, v->end, move_one, &delta);
	v->start += delta;
	v->end += delta;
}

/* Makes the tables for [start, end) exist, so moving entries there cannot
 * fail halfway; the caller frees those a failure leaves (prune_gap). */
static int make_tables(struct aspace *as, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va = ALIGN_DOWN(va, PT_LEVEL_SIZE(2)) + PT_LEVEL_SIZE(2))
		if (!pte_of(as, va, true))
			return -ENOMEM;
	return 0;
}

/* Grows region v (ending at old_end) to new_end in place; -ENOMEM if the
 * space after it is taken. Locked. */
static int grow_in_place(struct aspace *as, struct vma *v, uint64_t old_end, uint64_t new_end)
{
	struct vma *ext;
	int err;

	if (old_end != v->end || new_end > USER_MMAP_TOP || (v->next && v->next->start < new_end))
		return -ENOMEM;
	ext = vma_new(old_end, new_end, v->prot, v->flags, 0, 0);
	if (!ext)
		return -ENOMEM;
	err = vma_insert(&as->vmas, ext);
	if (err)
		vma_free(ext);
	return err ? -ENOMEM : 0;
}

/* Moves [old, old + old_len) of region v to a free place new_len long. */
static int move_grow(struct aspace *as, uint64_t old, uint64_t old_len, uint64_t new_len,
		     uint64_t *out)
{
	uint64_t low = ALIGN_UP(as->brk, PAGE_SIZE) + BRK_ROOM;
	uint64_t to = vma_find_gap(as->vmas, low, as->mmap_top, new_len);
	struct vma *v, *ext;
	int err;

	if (!to)
		return -ENOMEM;
	/* Everything that can fail first: the split, the tables, the region
	 * for the new tail. */
	err = vma_split_range(as->vmas, old, old + old_len);
	if (err)
		return err;
	v = vma_find(as->vmas, old);
	ext = make_tables(as, to, to + old_len) ? NULL
		: vma_new(to + old_len, to + new_len, v->prot, v->flags, 0, 0);
	if (!ext) {
		/* No region lies there: its new tables hold nothing. */
		prune_gap(as, to, to + old_len);
		return -ENOMEM;
	}
	v = vma_detach(&as->vmas, old, old + old_len);
	move_region(as, v, to);
	/* Both land in the free gap: neither insert can overlap. */
	vma_insert(&as->vmas, v);
	vma_insert(&as->vmas, ext);
	/* The tables the moved entries left, as an unmap frees them. */
	prune_gap(as, old, old + old_len);
	*out = to;
	return 0;
}

int uvm_remap(struct aspace *as, uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move,
	      uint64_t *out)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	struct vma *v = vma_find(as->vmas, old);
	int err = 0;

	*out = old;
	if (!v || v->start > old || old_len > v->end - old) {
		err = -EFAULT; /* Linux: the old range is not one mapping */
	} else if (new_len < old_len) {
		err = unmap_locked(as, old + new_len, old + old_len);
	} else if (new_len > old_len) {
		/* Only plain private anonymous memory grows: a shared object
		 * or a file view has a fixed size here (see README). */
		if (v->flags)
			err = -ENOMEM;
		else
			err = grow_in_place(as, v, old + old_len, old + new_len);
		if (err && !v->flags && may_move)
			err = move_grow(as, old, old_len, new_len, out);
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}
