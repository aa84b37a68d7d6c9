/*
 * mm/frame.h: the physical frame allocator: one buddy zone (mm/buddy.c) per
 * RAM range of the device tree, minus the kernel image, the device tree, any
 * initrd and the reserved ranges. One lock guards all zones.
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include "kernel/lib/types.h"
#include "mm/buddy.h"
#include "mm/ranges.h"

#define FRAME_MAX_ZONES 8

int frame_init(const struct mem_range *ram, int nram, const struct mem_range *reserved, int nres);
int frame_alloc(unsigned order, paddr_t *pa);
/* Like frame_alloc, with the block zeroed. */
int frame_alloc_zeroed(unsigned order, paddr_t *pa);
int frame_free(paddr_t pa, unsigned order);
/* One zeroed page, in the form vm_set_table_source() takes. */
int frame_alloc_zeroed_page(paddr_t *pa);
/* Metadata of the frame holding pa, or NULL if pa is not managed RAM. */
struct frame *frame_meta(paddr_t pa);

struct frame_stats {
	size_t total_pages;  /* managed by the allocator */
	size_t free_pages;
	size_t meta_bytes;   /* spent on struct frame arrays */
};
void frame_get_stats(struct frame_stats *st);
/* Prints the zones and the free memory. */
void frame_dump(void);

#endif
