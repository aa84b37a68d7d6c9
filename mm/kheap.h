/*
 * mm/kheap.h: sets up the kernel heap (kmalloc/kfree, mm/heap.h) on the
 * frame allocator.
 */
#ifndef MM_KHEAP_H
#define MM_KHEAP_H

#include "mm/heap.h"

void kheap_init(void);

#endif
