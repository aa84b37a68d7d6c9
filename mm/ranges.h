/*
 * mm/ranges.h: arithmetic on sorted lists of physical address ranges, used
 * to turn "RAM" minus "everything reserved" into free memory at boot.
 */
#ifndef MM_RANGES_H
#define MM_RANGES_H

#include "kernel/lib/types.h"

struct mem_range {
	paddr_t base;
	uint64_t size;
};

/*
 * Removes [start, end) from the n ranges in r (capacity max), splitting a
 * range when the hole is inside it. Returns the new count, or -ENOSPC when a
 * split needs more room (r unchanged then).
 */
int ranges_subtract(struct mem_range *r, int n, int max, paddr_t start, paddr_t end);

/* Whether [start, start + size) lies inside one of the n ranges (a size
 * that wraps the address space lies in none). */
bool ranges_contain(const struct mem_range *r, int n, paddr_t start, uint64_t size);

/* Sorts by base (insertion sort: the lists are a handful of entries). */
void ranges_sort(struct mem_range *r, int n);

#endif
