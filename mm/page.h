/*
 * mm/page.h: reference-counted user pages. A page mapped into several
 * address spaces (copy-on-write after fork, shared mappings) is freed when
 * the last mapping goes. The count lives in the frame's metadata; pages
 * outside the allocator (initfs data in the kernel image) are not counted.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include "kernel/lib/types.h"

/* A zeroed page with one reference; 0 or -ENOMEM. */
int page_alloc(paddr_t *pa);
void page_get(paddr_t pa);
/* Drops a reference; frees the page when it was the last. */
void page_put(paddr_t pa);
/* References held; 0 for pages the allocator does not manage. */
uint32_t page_refs(paddr_t pa);

#endif
