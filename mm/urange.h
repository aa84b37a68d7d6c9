/*
 * mm/urange.h: checked arithmetic on user-supplied addresses, lengths and
 * offsets. Every sum a system-call argument enters goes through
 * __builtin_add_overflow, so a wrap past 2^64 is an error and never a small
 * number that passes the range checks after it.
 */
#ifndef MM_URANGE_H
#define MM_URANGE_H

#include "kernel/lib/types.h"
#include "mm/layout.h"

/* len rounded up to whole pages in *out; false if the rounding wraps. */
static inline bool urange_page_len(uint64_t len, uint64_t *out)
{
	uint64_t sum;

	if (__builtin_add_overflow(len, PAGE_SIZE - 1, &sum))
		return false;
	*out = ALIGN_DOWN(sum, PAGE_SIZE);
	return true;
}

/* addr + len in *end; false if the sum wraps or lies above limit. */
static inline bool urange_end(uint64_t addr, uint64_t len, uint64_t limit, uint64_t *end)
{
	return !__builtin_add_overflow(addr, len, end) && *end <= limit;
}

#endif
