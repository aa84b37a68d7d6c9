/*
 * mm/frame.c: the physical frame allocator (see frame.h). The zone metadata
 * arrays are carved out of free RAM itself, at boot, through the physmap.
 */
#include "mm/frame.h"
#include "mm/kmap.h"
#include "kernel/failalloc.h"
#include "kernel/lib/errno.h"
#include "kernel/printk.h"
#include "kernel/lib/spinlock.h"
#include "asm/clear_page.h"
#include <string.h>

#define FREE_RANGES_MAX 64

static spinlock_t frame_lock = SPINLOCK_INIT("frame");
/* Guarded by frame_lock (set up once at boot, before other CPUs run): */
static struct buddy_zone zones[FRAME_MAX_ZONES];
static int nzones;
static size_t meta_total;

/* Takes size bytes, page aligned, from the end of the last free range that
 * holds them. Returns 0 on failure (physical page 0 is never handed out). */
static paddr_t carve(struct mem_range *freer, int *nfree, uint64_t size)
{
	size = ALIGN_UP(size, PAGE_SIZE);
	for (int i = *nfree - 1; i >= 0; i--) {
		if (freer[i].size >= size) {
			paddr_t pa = freer[i].base + freer[i].size - size;
			int n = ranges_subtract(freer, *nfree, FREE_RANGES_MAX, pa, pa + size);

			if (n < 0)
				return 0;
			*nfree = n;
			return pa;
		}
	}
	return 0;
}

/* The whole pages of the RAM ranges, sorted; returns their count. */
static int ram_pages(const struct mem_range *ram, int nram, struct mem_range *out)
{
	int n = 0;

	for (int i = 0; i < nram; i++) {
		paddr_t s = ALIGN_UP(ram[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(ram[i].base + ram[i].size, PAGE_SIZE);

		if (e > s)
			out[n++] = (struct mem_range){ s, e - s };
	}
	ranges_sort(out, n);
	return n;
}

int frame_init(const struct mem_range *ram, int nram, const struct mem_range *reserved, int nres)
{
	struct mem_range freer[FREE_RANGES_MAX], zr[FRAME_MAX_ZONES];
	paddr_t meta[FRAME_MAX_ZONES];
	int nfree, nz;

	if (nram > FRAME_MAX_ZONES || nram > FREE_RANGES_MAX)
		return -ENOSPC;
	nfree = ram_pages(ram, nram, freer);
	for (int i = 0; i < nres; i++) {
		paddr_t s = ALIGN_DOWN(reserved[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_UP(reserved[i].base + reserved[i].size, PAGE_SIZE);
		int n = ranges_subtract(freer, nfree, FREE_RANGES_MAX, s, e);

		if (n < 0)
			return n;
		nfree = n;
	}
	/* Page 0 is never handed out, so that 0 can mean "no frame". */
	nfree = ranges_subtract(freer, nfree, FREE_RANGES_MAX, 0, PAGE_SIZE);
	if (nfree < 0)
		return nfree;

	/* One zone per RAM range; its metadata comes from free memory, all
	 * carved before any zone is set up with the free ranges left. */
	nz = ram_pages(ram, nram, zr);
	for (int z = 0; z < nz; z++) {
		size_t bytes = buddy_meta_size(zr[z].size / PAGE_SIZE);

		meta[z] = carve(freer, &nfree, bytes);
		if (!meta[z])
			return -ENOMEM;
		clear_pages(phys_to_virt(meta[z]), ALIGN_UP(bytes, PAGE_SIZE));
		meta_total += ALIGN_UP(bytes, PAGE_SIZE);
	}
	for (int z = 0; z < nz; z++)
		buddy_init_free(&zones[z], zr[z].base, zr[z].size / PAGE_SIZE,
				phys_to_virt(meta[z]), freer, nfree);
	nzones = nz;
	return 0;
}

int frame_alloc(unsigned order, paddr_t *pa)
{
	uint64_t flags;
	int err = -ENOMEM;

	if (failalloc_should_fail())
		return -ENOMEM;
	flags = spin_lock_irqsave(&frame_lock);
	for (int z = 0; z < nzones && err; z++)
		err = buddy_alloc(&zones[z], order, pa);
	spin_unlock_irqrestore(&frame_lock, flags);
	return err;
}

int frame_alloc_zeroed(unsigned order, paddr_t *pa)
{
	int err = frame_alloc(order, pa);

	/* Page by page with DC ZVA (asm/clear_page.h). */
	for (size_t i = 0; !err && i < (size_t)1 << order; i++)
		clear_page((uint8_t *)phys_to_virt(*pa) + i * PAGE_SIZE);
	return err;
}

int frame_alloc_zeroed_page(paddr_t *pa)
{
	return frame_alloc_zeroed(0, pa);
}

static struct buddy_zone *zone_of(paddr_t pa)
{
	for (int z = 0; z < nzones; z++)
		if (pa >= zones[z].base && pa - zones[z].base < zones[z].npages * PAGE_SIZE)
			return &zones[z];
	return NULL;
}

int frame_free(paddr_t pa, unsigned order)
{
	uint64_t flags = spin_lock_irqsave(&frame_lock);
	struct buddy_zone *z = zone_of(pa);
	int err = z ? buddy_free(z, pa, order) : -EINVAL;

	spin_unlock_irqrestore(&frame_lock, flags);
	return err;
}

/* Every page_get and page_put asks (mm/page.c): the zone's own array
 * indexed here, where zone_of has checked the bounds buddy_frame would. */
struct frame *frame_meta(paddr_t pa)
{
	struct buddy_zone *z = zone_of(pa);

	return z ? &z->meta[(pa - z->base) >> MM_PAGE_SHIFT] : NULL;
}

void frame_get_stats(struct frame_stats *st)
{
	uint64_t flags = spin_lock_irqsave(&frame_lock);

	*st = (struct frame_stats){ .meta_bytes = meta_total };
	for (int z = 0; z < nzones; z++) {
		st->total_pages += zones[z].npages;
		st->free_pages += zones[z].nfree;
	}
	spin_unlock_irqrestore(&frame_lock, flags);
}

void frame_dump(void)
{
	struct frame_stats st;

	for (int z = 0; z < nzones; z++)
		printk("frames: zone %d [%#014lx-%#014lx) %zu pages, %zu free\n", z,
		       zones[z].base, zones[z].base + zones[z].npages * PAGE_SIZE,
		       zones[z].npages, zones[z].nfree);
	frame_get_stats(&st);
	printk("frames: %zu KiB free of %zu KiB, %zu KiB of metadata\n",
	       st.free_pages * PAGE_SIZE / KiB, st.total_pages * PAGE_SIZE / KiB,
	       st.meta_bytes / KiB);
}
