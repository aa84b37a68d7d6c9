/*
 * arch/aarch64/efi/memmap.c: UEFI memory map to RAM and reserved range
 * lists (see memmap.h). Ranges are kept sorted and merged as they are added;
 * when a list is full, RAM drops its smallest range and the reserved list
 * merges its two closest ranges, so the result never loses a reservation.
 */
#include <stdbool.h>
#include <stddef.h>
#include "memmap.h"

/* Working lists: far more than any real map needs after merging. */
#define MEMMAP_WORK_MAX 64
#define DESC_ALIGN 8

enum overflow {
	DROP_SMALLEST,	/* RAM: lose the least memory */
	MERGE_CLOSEST,	/* reservations: lose none, reserve the gap */
};

struct range_list {
	struct mm_range r[MEMMAP_WORK_MAX];
	int n;
	int cap;
	enum overflow overflow;
};

static uint64_t range_end(const struct mm_range *r)
{
	return r->base + r->size;
}

static void list_remove(struct range_list *l, int i)
{
	for (int k = i; k + 1 < l->n; k++)
		l->r[k] = l->r[k + 1];
	l->n--;
}

static int smallest(const struct range_list *l)
{
	int best = 0;

	for (int i = 1; i < l->n; i++)
		if (l->r[i].size < l->r[best].size)
			best = i;
	return best;
}

/* Merges the adjacent pair with the smallest gap (l->n >= 2). */
static void merge_closest(struct range_list *l)
{
	int best = 0;

	for (int i = 1; i + 1 < l->n; i++)
		if (l->r[i + 1].base - range_end(&l->r[i]) <
		    l->r[best + 1].base - range_end(&l->r[best]))
			best = i;
	l->r[best].size = range_end(&l->r[best + 1]) - l->r[best].base;
	list_remove(l, best + 1);
}

/* Makes room for one more range; false if the new one should be dropped. */
static bool make_room(struct range_list *l, uint64_t new_size)
{
	int s;

	if (l->overflow == MERGE_CLOSEST) {
		merge_closest(l);
		return true;
	}
	s = smallest(l);
	if (l->r[s].size >= new_size)
		return false;
	list_remove(l, s);
	return true;
}

/* Adds [base, end) to the sorted, disjoint list, merging what it touches. */
static void list_add(struct range_list *l, uint64_t base, uint64_t end)
{
	int i = 0, j;

	while (i < l->n && range_end(&l->r[i]) < base)
		i++;
	j = i;
	while (j < l->n && l->r[j].base <= end) {
		if (l->r[j].base < base)
			base = l->r[j].base;
		if (range_end(&l->r[j]) > end)
			end = range_end(&l->r[j]);
		j++;
	}
	if (j > i) {	/* replace r[i..j) by the union */
		l->r[i] = (struct mm_range){ base, end - base };
		while (j > i + 1)
			list_remove(l, --j);
		return;
	}
	if (l->n == l->cap) {
		if (!make_room(l, end - base))
			return;
		list_add(l, base, end);	/* indices moved: start again */
		return;
	}
	for (int k = l->n; k > i; k--)
		l->r[k] = l->r[k - 1];
	l->r[i] = (struct mm_range){ base, end - base };
	l->n++;
}

static void list_shrink(struct range_list *l, int max)
{
	while (l->n > max) {
		if (l->overflow == MERGE_CLOSEST)
			merge_closest(l);
		else
			list_remove(l, smallest(l));
	}
}

static bool is_ram(const struct efi_mem_desc *d)
{
	return (d->attr & EFI_MA_WB) && d->type != EFI_MT_MMIO &&
	       d->type != EFI_MT_MMIO_PORT_SPACE;
}

static bool is_usable(const struct efi_mem_desc *d)
{
	if (d->attr & EFI_MA_RUNTIME)
		return false;
	switch (d->type) {
	case EFI_MT_CONVENTIONAL:
	case EFI_MT_BOOT_SERVICES_CODE:
	case EFI_MT_BOOT_SERVICES_DATA:
	case EFI_MT_LOADER_CODE:
	case EFI_MT_LOADER_DATA:
		return true;
	default:
		return false;
	}
}

/* Static: too big for a firmware stack, and the loader is single-threaded. */
static struct range_list ram, reserved;

int memmap_convert(const void *map, uint64_t map_size, uint64_t desc_size,
		   struct memmap_result *out)
{
	const uint8_t *p = map;

	if (desc_size < sizeof(struct efi_mem_desc) || desc_size % DESC_ALIGN)
		return -1;
	ram = (struct range_list){ .cap = MEMMAP_WORK_MAX, .overflow = DROP_SMALLEST };
	reserved = (struct range_list){ .cap = MEMMAP_WORK_MAX, .overflow = MERGE_CLOSEST };
	for (uint64_t off = 0; off + desc_size <= map_size; off += desc_size) {
		const struct efi_mem_desc *d = (const void *)(p + off);
		uint64_t base = d->phys_start, end;

		if (d->pages == 0 || d->pages > (UINT64_MAX - base) / EFI_MM_PAGE_SIZE)
			continue;	/* empty or wrapping: ignore */
		if (!is_ram(d))
			continue;
		end = base + d->pages * EFI_MM_PAGE_SIZE;
		list_add(&ram, base, end);
		if (!is_usable(d))
			list_add(&reserved, base, end);
	}
	if (ram.n == 0)
		return -1;
	list_shrink(&ram, MEMMAP_RAM_MAX);
	list_shrink(&reserved, MEMMAP_RESERVED_MAX);
	out->nram = ram.n;
	for (int i = 0; i < ram.n; i++)
		out->ram[i] = ram.r[i];
	out->nreserved = reserved.n;
	for (int i = 0; i < reserved.n; i++)
		out->reserved[i] = reserved.r[i];
	return 0;
}
