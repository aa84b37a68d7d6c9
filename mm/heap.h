/*
 * mm/heap.h: the kernel heap, kmalloc/kfree. A pure module: it gets whole
 * page blocks through a caller-supplied ops table (the page allocator in the
 * kernel, aligned_alloc in the host tests) and takes no locks; the caller
 * serialises calls.
 *
 * Small requests (1..HEAP_SLAB_MAX bytes) come from power-of-two size
 * classes HEAP_SLAB_MIN..HEAP_SLAB_MAX, each a set of slabs of one 4 KiB
 * page with a header at the start of the page. Every object is aligned to
 * its class size (16, 32, ... 1024): the header takes 64 bytes, and for
 * classes of 64 bytes and up starting the objects at one class size into
 * the page loses no object, so natural alignment is free.
 *
 * There is no 2048-byte class: with an in-page header only one 2048-byte
 * object fits in a page, which is exactly a one-page block. Requests above
 * HEAP_SLAB_MAX get a whole naturally aligned block of 2^order pages, up to
 * HEAP_LARGE_MAX bytes.
 *
 * kfree finds its metadata from the pointer's page alone, through a 16-bit
 * tag the heap stores in the page's frame metadata (struct frame's tag):
 * HEAP_TAG_SLAB | class for a slab page, HEAP_TAG_LARGE | order for the
 * head page of a large block. Other owners of frame tags must not use
 * values whose high byte is HEAP_TAG_SLAB or HEAP_TAG_LARGE.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "kernel/lib/types.h"
#include "mm/buddy.h" /* MM_PAGE_SIZE, BUDDY_MAX_ORDER */

#define HEAP_SLAB_MIN_SHIFT 4  /* smallest class: 16 bytes */
#define HEAP_SLAB_MAX_SHIFT 10 /* largest class: 1024 bytes */
#define HEAP_SLAB_MIN ((size_t)1 << HEAP_SLAB_MIN_SHIFT)
#define HEAP_SLAB_MAX ((size_t)1 << HEAP_SLAB_MAX_SHIFT)
#define HEAP_NCLASSES (HEAP_SLAB_MAX_SHIFT - HEAP_SLAB_MIN_SHIFT + 1)
#define HEAP_LARGE_MAX_ORDER BUDDY_MAX_ORDER
#define HEAP_LARGE_MAX (MM_PAGE_SIZE << HEAP_LARGE_MAX_ORDER) /* 4 MiB */

/* Frame tags: a kind in the high byte, the class or order in the low. */
#define HEAP_TAG_KIND_SHIFT 8
#define HEAP_TAG_INDEX_MASK 0xffu
#define HEAP_TAG_SLAB 0xc5u  /* kind: slab page; index: class number */
#define HEAP_TAG_LARGE 0xc6u /* kind: large block head; index: order */
#define HEAP_TAG(kind, index) \
	((uint16_t)(((kind) << HEAP_TAG_KIND_SHIFT) | (index)))

struct heap_ops {
	/* A naturally aligned block of 2^order pages (virtual address), or
	 * NULL when memory is exhausted. */
	void *(*page_alloc)(unsigned order);
	/* Give back a block from page_alloc; its tag is already reset to 0. */
	void (*page_free)(void *va, unsigned order);
	/* Store a tag in the frame metadata of the page at va (a block head). */
	void (*page_tag_set)(void *va, uint16_t tag);
	/* The tag of the page at va; 0 for any page that is not the head of a
	 * tagged block, including addresses outside managed memory. */
	uint16_t (*page_tag_get)(void *va);
	/* Optional: taken around every heap operation (the kernel passes a
	 * spinlock that also masks interrupts); the heap itself has no lock. */
	uint64_t (*lock)(void);
	void (*unlock)(uint64_t flags);
	/* Called, if not NULL, when kfree is handed a pointer it refuses: why
	 * is a static string. The heap is left unchanged. */
	void (*bad_free)(void *p, const char *why);
	/* Optional: asked first by every kmalloc of a valid size; true makes
	 * it return NULL as if memory were exhausted (fault injection). */
	bool (*fail_now)(void);
	/* Optional: zeroes the whole pages of a block from page_alloc faster
	 * than memset (the kernel: DC ZVA); kzalloc of a large block uses it
	 * for the pages its size reaches into. */
	void (*zero_pages)(void *va, size_t bytes);
};

struct heap_stats {
	size_t pages;        /* pages held, in slabs and large blocks */
	size_t cached_pages; /* of those, empty slabs kept for reuse (at most
	                        one per class; heap_trim gives them back) */
	size_t bytes_in_use; /* bytes granted: class size or whole block */
	size_t allocs, frees;
};

/* Start (or restart, forgetting everything) with these ops, which must
 * outlive the heap. */
void heap_init(const struct heap_ops *ops);

/* NULL for size 0, size above HEAP_LARGE_MAX, exhaustion, or before
 * heap_init. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

/* Give back the empty slabs kept as one per class to avoid page churn. */
void heap_trim(void);

void heap_stats(struct heap_stats *out);

#endif
