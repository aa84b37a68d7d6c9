/*
 * mm/vma.c: the region list of a user address space (see vma.h).
 */
#include "mm/vma.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "kernel/lib/errno.h"

struct vma *vma_find(struct vma *list, uint64_t addr)
{
	for (struct vma *v = list; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

/* Anonymous private regions with the same protection extend each other. */
static bool mergeable(const struct vma *a, const struct vma *b)
{
	return a->prot == b->prot && a->flags == b->flags && !a->obj && !b->obj &&
		!(a->flags & (VMA_FILE | VMA_SHARED | VMA_DEVICE));
}

int vma_insert(struct vma **list, struct vma *v)
{
	struct vma **p, *prev = NULL;

	for (p = list; *p && (*p)->start < v->end; p = &(*p)->next) {
		if ((*p)->end > v->start)
			return -EEXIST;
		prev = *p;
	}
	if (prev && prev->end == v->start && mergeable(prev, v)) {
		prev->end = v->end;
		kfree(v);
		return 0;
	}
	v->next = *p;
	*p = v;
	return 0;
}

/* Splits v at addr (strictly inside it); the new upper half follows v. */
static int vma_split(struct vma *v, uint64_t addr)
{
	struct vma *hi = kmalloc(sizeof(*hi));
	uint64_t cut = addr - v->start;

	if (!hi)
		return -ENOMEM;
	*hi = *v;
	hi->start = addr;
	if (v->obj) {
		__atomic_add_fetch(&v->obj->refcount, 1, __ATOMIC_RELAXED);
		hi->obj_pgoff += cut / PAGE_SIZE;
	}
	if (v->flags & (VMA_FILE | VMA_DEVICE)) {
		hi->file_pa += cut;
		hi->file_len = v->file_len > cut ? v->file_len - cut : 0;
	}
	v->end = addr;
	v->next = hi;
	return 0;
}

int vma_split_range(struct vma *list, uint64_t start, uint64_t end)
{
	for (struct vma *v = list; v; v = v->next) {
		int err = 0;

		if (v->start < start && start < v->end)
			err = vma_split(v, start);
		else if (v->start < end && end < v->end)
			err = vma_split(v, end);
		if (err)
			return err;
	}
	return 0;
}

struct vma *vma_detach(struct vma **list, uint64_t start, uint64_t end)
{
	struct vma *out = NULL, **tail = &out, **p = list;

	while (*p) {
		struct vma *v = *p;

		if (v->start >= start && v->end <= end) {
			*p = v->next;
			v->next = NULL;
			*tail = v;
			tail = &v->next;
		} else {
			p = &v->next;
		}
	}
	return out;
}

uint64_t vma_find_gap(struct vma *list, uint64_t low, uint64_t top, uint64_t len)
{
	uint64_t prev_end = low, found = 0;

	/* Sorted list: every gap between prev_end and the next start, keep the last fit. */
	for (struct vma *v = list; v && v->start < top; v = v->next) {
		if (v->start > prev_end && v->start - prev_end >= len)
			found = v->start - len;
		if (v->end > prev_end)
			prev_end = v->end;
	}
	if (top > prev_end && top - prev_end >= len)
		found = top - len;
	return found;
}
