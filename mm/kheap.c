/*
 * mm/kheap.c: plugs the kernel heap (mm/heap.c) into the frame allocator:
 * pages come from the buddy zones through the physmap, heap tags live in
 * the frames' metadata, and one spinlock (masking interrupts) guards it.
 */
#include "mm/kheap.h"
#include "mm/heap.h"
#include "mm/frame.h"
#include "mm/kmap.h"
#include "kernel/failalloc.h"
#include "kernel/printk.h"
#include "kernel/lib/spinlock.h"
#include "asm/clear_page.h"

_Static_assert(MM_PAGE_SIZE == PAGE_SIZE, "buddy and layout agree on the page size");

static spinlock_t heap_spinlock = SPINLOCK_INIT("heap");

static void *kheap_page_alloc(unsigned order)
{
	paddr_t pa;

	return frame_alloc(order, &pa) ? NULL : phys_to_virt(pa);
}

static void kheap_page_free(void *va, unsigned order)
{
	frame_free(virt_to_phys(va), order);
}

/* Only physmap addresses of managed RAM have frames; anything else is 0. */
static struct frame *frame_of(void *va)
{
	vaddr_t v = (vaddr_t)va;

	if (v < PHYSMAP_BASE || v >= PHYSMAP_BASE + PHYSMAP_SIZE)
		return NULL;
	return frame_meta(v - PHYSMAP_BASE);
}

static void kheap_tag_set(void *va, uint16_t tag)
{
	struct frame *f = frame_of(va);

	if (f)
		f->tag = tag;
}

static uint16_t kheap_tag_get(void *va)
{
	struct frame *f = frame_of(va);

	return f && f->state == FRAME_USED ? f->tag : 0;
}

static uint64_t kheap_lock(void)
{
	return spin_lock_irqsave(&heap_spinlock);
}

static void kheap_unlock(uint64_t flags)
{
	spin_unlock_irqrestore(&heap_spinlock, flags);
}

static void kheap_bad_free(void *p, const char *why)
{
	printk("kfree(%p): %s\n", p, why);
}

static const struct heap_ops kheap_ops = {
	.page_alloc = kheap_page_alloc,
	.page_free = kheap_page_free,
	.page_tag_set = kheap_tag_set,
	.page_tag_get = kheap_tag_get,
	.lock = kheap_lock,
	.unlock = kheap_unlock,
	.bad_free = kheap_bad_free,
	.fail_now = failalloc_should_fail,
	.zero_pages = clear_pages,
};

void kheap_init(void)
{
	heap_init(&kheap_ops);
}
