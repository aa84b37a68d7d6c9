/*
 * mm/buddy.c: the binary buddy algorithm (splitting, merging, the per-order
 * free lists) over one zone of page frames. Pure: it touches only the zone
 * descriptor and its metadata array, never the managed memory. No locks;
 * see mm/buddy.h for the invariants it maintains.
 */
#include "mm/buddy.h"
#include "kernel/lib/errno.h"

/* Pages in a block of the given order. */
static inline size_t block_pages(unsigned order)
{
	return (size_t)1 << order;
}

static inline uint64_t zone_base_pfn(const struct buddy_zone *z)
{
	return z->base >> MM_PAGE_SHIFT;
}

static inline paddr_t index_to_pa(const struct buddy_zone *z, uint32_t idx)
{
	return z->base + ((paddr_t)idx << MM_PAGE_SHIFT);
}

/* Page count from z->base to the top of the physical address space; it
 * bounds npages so that no address computation wraps. */
static size_t pages_below_top(paddr_t base)
{
	return (size_t)((UINT64_MAX - base) >> MM_PAGE_SHIFT);
}

/* Is frame idx aligned, physically, for a block of this order? */
static inline bool index_aligned(const struct buddy_zone *z, uint32_t idx,
				 unsigned order)
{
	return IS_ALIGNED(zone_base_pfn(z) + idx, (uint64_t)block_pages(order));
}

/* ---- free lists ---- */

static void list_push(struct buddy_zone *z, uint32_t idx, unsigned order)
{
	struct frame *f = &z->meta[idx];
	uint32_t head = z->free_head[order];

	f->state = FRAME_FREE;
	f->order = (uint8_t)order;
	f->tag = 0;
	f->refcount = 0;
	f->prev = BUDDY_NIL;
	f->next = head;
	if (head != BUDDY_NIL)
		z->meta[head].prev = idx;
	z->free_head[order] = idx;
	z->nfree_blocks[order]++;
}

/* Unlink a FREE head from its list; its state is for the caller to set. */
static void list_remove(struct buddy_zone *z, uint32_t idx, unsigned order)
{
	struct frame *f = &z->meta[idx];

	if (f->prev != BUDDY_NIL)
		z->meta[f->prev].next = f->next;
	else
		z->free_head[order] = f->next;
	if (f->next != BUDDY_NIL)
		z->meta[f->next].prev = f->prev;
	f->next = f->prev = BUDDY_NIL;
	z->nfree_blocks[order]--;
}

/* ---- merging and splitting ---- */

static void make_tail(struct frame *f)
{
	f->state = FRAME_TAIL;
	f->order = 0;
	f->tag = 0;
	f->refcount = 0;
	f->next = f->prev = BUDDY_NIL;
}

/* Index of the buddy of block idx at this order, or BUDDY_NIL if the buddy
 * lies (partly) outside the zone. */
static uint32_t buddy_index(const struct buddy_zone *z, uint32_t idx,
			    unsigned order)
{
	uint64_t base_pfn = zone_base_pfn(z);
	uint64_t pfn = (base_pfn + idx) ^ (uint64_t)block_pages(order);

	if (pfn < base_pfn || pfn - base_pfn + block_pages(order) > z->npages)
		return BUDDY_NIL;
	return (uint32_t)(pfn - base_pfn);
}

/* Can block idx of this order merge with its buddy b? */
static bool buddy_mergeable(const struct buddy_zone *z, uint32_t b,
			    unsigned order)
{
	return b != BUDDY_NIL && z->meta[b].state == FRAME_FREE &&
	       z->meta[b].order == order;
}

/*
 * Enter the block idx of this order (its tails already TAIL, its head in
 * any state) as free, merging upward while the buddy is a free block of
 * the same order.
 */
static void free_and_merge(struct buddy_zone *z, uint32_t idx, unsigned order)
{
	z->nfree += block_pages(order);
	while (order < BUDDY_MAX_ORDER) {
		uint32_t b = buddy_index(z, idx, order);

		if (!buddy_mergeable(z, b, order))
			break;
		list_remove(z, b, order);
		make_tail(&z->meta[MAX(idx, b)]);
		idx = MIN(idx, b);
		order++;
	}
	list_push(z, idx, order);
}

/* Split free block idx from order `from` down to `to`, putting each upper
 * half back on its free list; idx stays the head of the lower part. */
static void split_down(struct buddy_zone *z, uint32_t idx, unsigned from,
		       unsigned to)
{
	while (from > to) {
		from--;
		list_push(z, idx + (uint32_t)block_pages(from), from);
	}
}

/* ---- initialisation and release ---- */

/* The zone descriptor of buddy_init, with no free block; meta untouched. */
static void zone_setup(struct buddy_zone *z, paddr_t base, size_t npages,
		       struct frame *meta)
{
	base = ALIGN_DOWN(base, (paddr_t)MM_PAGE_SIZE);
	npages = MIN(npages, BUDDY_MAX_PAGES);
	npages = MIN(npages, pages_below_top(base));

	z->base = base;
	z->npages = npages;
	z->meta = meta;
	z->nfree = 0;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		z->free_head[k] = BUDDY_NIL;
		z->nfree_blocks[k] = 0;
	}
}

/* Frames [from, to) become RESERVED: make_tail's values but RESERVED, one
 * whole-struct store a frame. */
static void mark_reserved(struct buddy_zone *z, size_t from, size_t to)
{
	const struct frame reserved = { .next = BUDDY_NIL, .prev = BUDDY_NIL,
					.state = FRAME_RESERVED };

	for (size_t i = from; i < to; i++)
		z->meta[i] = reserved;
}

void buddy_init(struct buddy_zone *z, paddr_t base, size_t npages,
		struct frame *meta)
{
	zone_setup(z, base, npages, meta);
	mark_reserved(z, 0, z->npages);
}

/* Are frames [from, to) all RESERVED? */
static bool all_reserved(const struct buddy_zone *z, uint32_t from,
			 uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (z->meta[i].state != FRAME_RESERVED)
			return false;
	return true;
}

/*
 * Largest order of a block starting at RESERVED frame idx that is
 * physically aligned, ends at or before frame end, and is entirely
 * RESERVED. Each step checks only the newly added upper half, so the scan
 * costs the size of the block found; a fresh zone (buddy_init_free), whose
 * frames in the range are all unclaimed, skips it.
 */
static unsigned release_order(const struct buddy_zone *z, uint32_t idx,
			      uint32_t end, bool fresh)
{
	unsigned order = 0;

	while (order < BUDDY_MAX_ORDER) {
		unsigned next = order + 1;
		uint64_t top = (uint64_t)idx + block_pages(next);

		if (!index_aligned(z, idx, next) || top > end ||
		    (!fresh && !all_reserved(z, idx + (uint32_t)block_pages(order),
					     (uint32_t)top)))
			break;
		order = next;
	}
	return order;
}

/* Turn every page of block idx into a TAIL; free_and_merge then sets the
 * head. */
static void make_block_tails(struct buddy_zone *z, uint32_t idx,
			     unsigned order)
{
	const struct frame tail = { .next = BUDDY_NIL, .prev = BUDDY_NIL, .state = FRAME_TAIL };

	/* make_tail's values, stored whole (see buddy_init). */
	for (size_t i = 0; i < block_pages(order); i++)
		z->meta[idx + i] = tail;
}

/*
 * [start, end) clipped to the zone and shrunk to whole pages, as frame
 * indices [*from, *to); false if no page is left.
 */
static bool range_frames(const struct buddy_zone *z, paddr_t start,
			 paddr_t end, uint32_t *from, uint32_t *to)
{
	paddr_t zone_end = z->base + ((paddr_t)z->npages << MM_PAGE_SHIFT);

	start = MAX(start, z->base);
	end = MIN(end, zone_end);
	if (start >= end)
		return false;
	/* start < zone_end, which is page aligned, so this cannot wrap. */
	start = ALIGN_UP(start, (paddr_t)MM_PAGE_SIZE);
	end = ALIGN_DOWN(end, (paddr_t)MM_PAGE_SIZE);
	if (start >= end)
		return false;
	*from = (uint32_t)((start - z->base) >> MM_PAGE_SHIFT);
	*to = (uint32_t)((end - z->base) >> MM_PAGE_SHIFT);
	return true;
}

/* Frames [idx, last) as free blocks; in a fresh zone they are all
 * unclaimed TAILs (zeroed), else the ones not RESERVED are skipped. */
static void release_frames(struct buddy_zone *z, uint32_t idx, uint32_t last,
			   bool fresh)
{
	while (idx < last) {
		unsigned order;

		if (!fresh && z->meta[idx].state != FRAME_RESERVED) {
			idx++;
			continue;
		}
		order = release_order(z, idx, last, fresh);
		if (!fresh)
			make_block_tails(z, idx, order);
		free_and_merge(z, idx, order);
		idx += (uint32_t)block_pages(order);
	}
}

void buddy_release(struct buddy_zone *z, paddr_t start, paddr_t end)
{
	uint32_t idx, last;

	if (range_frames(z, start, end, &idx, &last))
		release_frames(z, idx, last, false);
}

/* The end of r, saturated: a range reaching past 2^64 ends there. */
static paddr_t range_end(const struct mem_range *r)
{
	return r->size > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->size;
}

void buddy_init_free(struct buddy_zone *z, paddr_t base, size_t npages,
		     struct frame *zeroed_meta, const struct mem_range *free,
		     int nfree)
{
	uint32_t done = 0, from, to;

	zone_setup(z, base, npages, zeroed_meta);
	for (int i = 0; i < nfree; i++) {
		if (!range_frames(z, free[i].base, range_end(&free[i]), &from, &to))
			continue;
		if (from < done) {
			/* Unsorted or overlapping: the general path. */
			buddy_init(z, base, npages, zeroed_meta);
			for (int j = 0; j < nfree; j++)
				buddy_release(z, free[j].base, range_end(&free[j]));
			return;
		}
		mark_reserved(z, done, from);
		release_frames(z, from, to, true);
		done = to;
	}
	mark_reserved(z, done, z->npages);
}

/* ---- allocation ---- */

int buddy_alloc(struct buddy_zone *z, unsigned order, paddr_t *out)
{
	unsigned k = order;
	uint32_t idx;
	struct frame *f;

	if (order > BUDDY_MAX_ORDER)
		return -EINVAL;
	while (k <= BUDDY_MAX_ORDER && z->free_head[k] == BUDDY_NIL)
		k++;
	if (k > BUDDY_MAX_ORDER)
		return -ENOMEM;

	idx = z->free_head[k];
	list_remove(z, idx, k);
	split_down(z, idx, k, order);
	z->nfree -= block_pages(order);

	f = &z->meta[idx];
	f->state = FRAME_USED;
	f->order = (uint8_t)order;
	f->tag = 0;
	f->refcount = 1;
	*out = index_to_pa(z, idx);
	return 0;
}

/* Frame index of pa if it is a page address inside the zone, else
 * BUDDY_NIL. */
static uint32_t pa_to_index(const struct buddy_zone *z, paddr_t pa)
{
	if (pa < z->base || !IS_ALIGNED(pa, (paddr_t)MM_PAGE_SIZE))
		return BUDDY_NIL;
	if ((pa - z->base) >> MM_PAGE_SHIFT >= z->npages)
		return BUDDY_NIL;
	return (uint32_t)((pa - z->base) >> MM_PAGE_SHIFT);
}

int buddy_free(struct buddy_zone *z, paddr_t pa, unsigned order)
{
	uint32_t idx = pa_to_index(z, pa);
	const struct frame *f;

	if (order > BUDDY_MAX_ORDER || idx == BUDDY_NIL ||
	    !index_aligned(z, idx, order))
		return -EINVAL;
	f = &z->meta[idx];
	if (f->state != FRAME_USED || f->order != order)
		return -EINVAL;
	free_and_merge(z, idx, order);
	return 0;
}

/* ---- metadata access ---- */

struct frame *buddy_frame(struct buddy_zone *z, paddr_t pa)
{
	if (pa < z->base || (pa - z->base) >> MM_PAGE_SHIFT >= z->npages)
		return NULL;
	return &z->meta[(pa - z->base) >> MM_PAGE_SHIFT];
}

paddr_t buddy_frame_addr(const struct buddy_zone *z, const struct frame *f)
{
	return index_to_pa(z, (uint32_t)(f - z->meta));
}

size_t buddy_meta_size(size_t npages)
{
	return npages * sizeof(struct frame);
}
