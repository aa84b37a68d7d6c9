/*
 * mm/buddy.h: the binary buddy allocator over one contiguous zone of page
 * frames, as a pure module: it manipulates only the zone descriptor and the
 * caller-provided per-page metadata array, never the memory it manages, so
 * it runs unchanged in the host unit tests where addresses are just numbers.
 *
 * It takes no locks; the kernel wrapper (mm/frame.c) serialises calls.
 *
 * Blocks of order k are 2^k pages, aligned to 2^k pages in PHYSICAL address
 * space (not relative to the zone base), so large blocks are naturally
 * aligned and usable for block mappings. A zone whose base or end is not
 * so aligned simply has smaller blocks near its edges.
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include "kernel/lib/types.h"
#include "mm/ranges.h"	/* struct mem_range */

/*
 * The page granule. Kept here rather than taken from mm/layout.h because
 * layout.h pulls in arch headers the host tests cannot use; the two must
 * agree (mm/frame.c is the natural place for a static assertion).
 */
#define MM_PAGE_SHIFT 12
#define MM_PAGE_SIZE ((size_t)1 << MM_PAGE_SHIFT)

#define BUDDY_MAX_ORDER 10 /* largest block: 2^10 pages = 4 MiB */

/* "No frame": the end of a free list. Frame indices are always below it. */
#define BUDDY_NIL UINT32_MAX
/* Largest zone, in pages, so that every frame index fits below BUDDY_NIL. */
#define BUDDY_MAX_PAGES ((size_t)BUDDY_NIL)

/* TAIL is 0, so that a zeroed frame is one (see buddy_init_free). */
enum frame_state {
	FRAME_TAIL = 0,     /* any other page inside a free or allocated block */
	FRAME_RESERVED,     /* not managed: firmware, kernel image, holes */
	FRAME_FREE,         /* head of a free block, on free_head[order] */
	FRAME_USED,         /* head of an allocated block */
};

/*
 * Per-page metadata, one per page of the zone, indexed by
 * (pa - zone base) >> MM_PAGE_SHIFT. Only block heads carry meaning in
 * order/tag/refcount; tails have order 0, tag 0, refcount 0.
 */
struct frame {
	uint32_t next, prev; /* free-list links (frame indices or BUDDY_NIL),
	                        valid only while state == FRAME_FREE */
	uint8_t order;       /* order of the block this frame heads */
	uint8_t state;       /* enum frame_state */
	uint16_t tag;        /* owner's tag for USED heads (the heap uses it);
	                        0 otherwise, and reset to 0 by buddy_free */
	uint32_t refcount;   /* for copy-on-write later; 1 when allocated,
	                        0 when free; the buddy never reads it */
};

/*
 * Invariants, between calls:
 *  - free_head[k] lists exactly the FREE heads of order k, doubly linked
 *    through next/prev, with prev == BUDDY_NIL at the head;
 *  - every page of a free or used block other than its head is TAIL;
 *  - a FREE block of order k < BUDDY_MAX_ORDER never has a FREE buddy of
 *    the same order (they would have been merged);
 *  - nfree is the number of pages in free blocks, nfree_blocks[k] the
 *    length of free_head[k].
 */
struct buddy_zone {
	paddr_t base;        /* physical address of page 0, page aligned */
	size_t npages;       /* pages in the zone, at most BUDDY_MAX_PAGES */
	struct frame *meta;  /* npages entries, owned by the caller */
	uint32_t free_head[BUDDY_MAX_ORDER + 1];
	size_t nfree;        /* pages */
	size_t nfree_blocks[BUDDY_MAX_ORDER + 1];
};

/* Set up a zone in which every page starts RESERVED. base must be page
 * aligned; npages is clipped to BUDDY_MAX_PAGES. */
void buddy_init(struct buddy_zone *z, paddr_t base, size_t npages,
		struct frame *meta);

/*
 * Add [start, end) as free memory: clipped to the zone and shrunk to whole
 * pages, entered in maximal aligned blocks and merged with free buddies.
 * Pages in the range that are not RESERVED (already released) are skipped,
 * so releasing twice is harmless.
 */
void buddy_release(struct buddy_zone *z, paddr_t start, paddr_t end);

/*
 * buddy_init and then buddy_release of each of the nfree ranges in free,
 * for a metadata array the caller has zeroed: as a zeroed frame is a TAIL,
 * only the frames outside the ranges (made RESERVED) and the free blocks'
 * heads are written, not every frame twice (262,144 of them for 1 GiB, the
 * largest part of the boot). Ranges sorted by base and disjoint take this
 * path; others are handled as buddy_init and buddy_release would, with the
 * same result.
 */
void buddy_init_free(struct buddy_zone *z, paddr_t base, size_t npages,
		     struct frame *zeroed_meta, const struct mem_range *free,
		     int nfree);

/* Allocate a block of 2^order pages: 0 and *out set, -ENOMEM when no block
 * is large enough, -EINVAL for order > BUDDY_MAX_ORDER. The head frame is
 * left USED with refcount 1 and tag 0. */
int buddy_alloc(struct buddy_zone *z, unsigned order, paddr_t *out);

/*
 * Free a block from buddy_alloc. -EINVAL, with nothing changed, for an
 * address outside the zone or not aligned to the order, a frame that is not
 * the head of a USED block (double free, tail, reserved) or an order other
 * than the one it was allocated with.
 */
int buddy_free(struct buddy_zone *z, paddr_t pa, unsigned order);

/* Metadata of the page containing pa, or NULL outside the zone. */
struct frame *buddy_frame(struct buddy_zone *z, paddr_t pa);

/* Physical address of the page whose metadata is f (f must be in z). */
paddr_t buddy_frame_addr(const struct buddy_zone *z, const struct frame *f);

/* Bytes of metadata array a zone of npages pages needs. */
size_t buddy_meta_size(size_t npages);

#endif
