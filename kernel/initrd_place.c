/*
 * kernel/initrd_place.c: where an initrd handed over by the boot loader
 * may be used (see initrd.h). Pure arithmetic on physical ranges, so the
 * host tests run it as it is.
 */
#include "kernel/initrd.h"
#include "kernel/lib/errno.h"
#include "mm/layout.h"

/* The whole pages of a RAM range: the only bytes the physmap maps. */
static bool inside_ram(const struct mem_range *ram, int nram, paddr_t start, paddr_t end)
{
	for (int i = 0; i < nram; i++) {
		paddr_t lo = ALIGN_UP(ram[i].base, PAGE_SIZE);
		paddr_t hi = ALIGN_DOWN(ram[i].base + ram[i].size, PAGE_SIZE);

		if (start >= lo && end <= hi)
			return true;
	}
	return false;
}

int initrd_place(const struct mem_range *ram, int nram, const struct initrd_busy *busy,
		 int nbusy, paddr_t start, paddr_t end, struct initrd_where *out, int *which)
{
	paddr_t first, last;

	if (end <= start)
		return -EINVAL;
	if (!inside_ram(ram, nram, start, end))
		return -ERANGE;
	/* Inside page-aligned RAM bounds, so rounding cannot overflow. */
	first = ALIGN_DOWN(start, PAGE_SIZE);
	last = ALIGN_UP(end, PAGE_SIZE);
	for (int i = 0; i < nbusy; i++) {
		if (busy[i].size && first < busy[i].base + busy[i].size && busy[i].base < last) {
			*which = i;
			return -EBUSY;
		}
	}
	*out = (struct initrd_where){
		.at = first, .size = end - start,
		.rsv_base = first, .rsv_size = ALIGN_UP(first + (end - start), PAGE_SIZE) - first,
	};
	return 0;
}
