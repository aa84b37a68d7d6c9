/*
 * mm/page.c: reference-counted user pages (see page.h). The counts are
 * changed atomically; the frame allocator's lock is only taken to free.
 */
#include "mm/page.h"
#include "mm/frame.h"

int page_alloc(paddr_t *pa)
{
	return frame_alloc_zeroed(0, pa);
}

/* The counted frame at pa: allocated pages only. Reserved ones (the kernel
 * image, whose initfs pages are mapped into programs) are never counted. */
static struct frame *counted(paddr_t pa)
{
	struct frame *f = frame_meta(pa);

	return f && f->state == FRAME_USED ? f : NULL;
}

void page_get(paddr_t pa)
{
	struct frame *f = counted(pa);

	if (f)
		__atomic_add_fetch(&f->refcount, 1, __ATOMIC_RELAXED);
}

void page_put(paddr_t pa)
{
	struct frame *f = counted(pa);

	if (f && __atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		frame_free(pa, 0);
}

uint32_t page_refs(paddr_t pa)
{
	struct frame *f = counted(pa);

	return f ? __atomic_load_n(&f->refcount, __ATOMIC_RELAXED) : 0;
}
