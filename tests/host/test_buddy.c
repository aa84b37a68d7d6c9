/*
 * tests/host/test_buddy.c: host unit tests of the buddy allocator
 * (mm/buddy.c). Addresses are plain numbers; no managed memory exists.
 * Every test ends by checking the zone's invariants with check_zone().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/lib/errno.h"
#include "mm/buddy.h"

#define PAGE MM_PAGE_SIZE
#define MAX_BLOCK_PAGES ((size_t)1 << BUDDY_MAX_ORDER)
#define MAX_BLOCK_BYTES (MAX_BLOCK_PAGES * PAGE)
/* A physically max-order-aligned base, like QEMU virt's RAM at 1 GiB. */
#define ALIGNED_BASE ((paddr_t)0x40000000)
/* A base that is page aligned but nothing more (odd page frame number). */
#define ODD_BASE ((paddr_t)0x40003000)
#define ODD_PAGES ((size_t)1237)
#define STRESS_OPS 20000
#define STRESS_SEED 0x9e3779b97f4a7c15ULL
#define STRESS_MAX_LIVE 4096
#define CHECK_EVERY 997 /* full invariant check period in the stress test */

/* A zone plus its metadata, heap-allocated so ASan watches the bounds. */
struct tzone {
	struct buddy_zone z;
	struct frame *meta;
};

static void tzone_init(struct tzone *t, paddr_t base, size_t npages)
{
	t->meta = malloc(buddy_meta_size(npages) ? buddy_meta_size(npages) : 1);
	assert_non_null(t->meta);
	buddy_init(&t->z, base, npages, t->meta);
}

static void tzone_fini(struct tzone *t)
{
	free(t->meta);
	t->meta = NULL;
}

static paddr_t zone_end(const struct buddy_zone *z)
{
	return z->base + z->npages * PAGE;
}

static size_t pa_index(const struct buddy_zone *z, paddr_t pa)
{
	return (pa - z->base) / PAGE;
}

/* ---- invariant checker ---- */

/* Walk free list k: links, states, alignment, containment; returns pages. */
static size_t check_free_list(const struct buddy_zone *z, unsigned k)
{
	size_t blocks = 0, pages = (size_t)1 << k;
	uint32_t prev = BUDDY_NIL;

	for (uint32_t i = z->free_head[k]; i != BUDDY_NIL; i = z->meta[i].next) {
		const struct frame *f = &z->meta[i];
		paddr_t pa = z->base + (paddr_t)i * PAGE;

		assert_true(i < z->npages);
		assert_int_equal(f->state, FRAME_FREE);
		assert_int_equal(f->order, k);
		assert_int_equal(f->prev, prev);
		assert_int_equal(f->tag, 0);
		assert_true(IS_ALIGNED(pa, pages * PAGE));
		assert_true(i + pages <= z->npages);
		prev = i;
		blocks++;
		assert_true(blocks <= z->npages);
	}
	assert_int_equal(blocks, z->nfree_blocks[k]);
	return blocks * pages;
}

/* Walk the frames: heads followed by exactly their tails, no stray tails,
 * no free block with a free buddy of the same order (unmerged). */
static void check_frames(const struct buddy_zone *z)
{
	size_t i = 0;

	while (i < z->npages) {
		const struct frame *f = &z->meta[i];
		size_t pages;

		assert_int_not_equal(f->state, FRAME_TAIL);
		if (f->state == FRAME_RESERVED) {
			i++;
			continue;
		}
		assert_true(f->order <= BUDDY_MAX_ORDER);
		pages = (size_t)1 << f->order;
		assert_true(i + pages <= z->npages);
		for (size_t j = 1; j < pages; j++)
			assert_int_equal(z->meta[i + j].state, FRAME_TAIL);
		if (f->state == FRAME_FREE && f->order < BUDDY_MAX_ORDER) {
			uint64_t pfn = z->base / PAGE + i;
			uint64_t bpfn = pfn ^ pages;
			uint64_t lo = z->base / PAGE;

			if (bpfn >= lo && bpfn - lo < z->npages) {
				const struct frame *b = &z->meta[bpfn - lo];

				assert_false(b->state == FRAME_FREE &&
					     b->order == f->order);
			}
		}
		i += pages;
	}
}

static void check_zone(const struct buddy_zone *z)
{
	size_t pages = 0;

	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		pages += check_free_list(z, k);
	assert_int_equal(pages, z->nfree);
	check_frames(z);
}

/* ---- helpers ---- */

/* Everything the buddy owns, to prove a refused call changed nothing. */
struct snapshot {
	struct buddy_zone z;
	struct frame *meta;
};

static void snap_take(struct snapshot *s, const struct tzone *t)
{
	s->z = t->z;
	s->meta = malloc(buddy_meta_size(t->z.npages));
	assert_non_null(s->meta);
	memcpy(s->meta, t->meta, buddy_meta_size(t->z.npages));
}

/* Field by field: the struct has padding that a copy need not preserve. */
static void assert_zone_equal(const struct buddy_zone *a,
			      const struct buddy_zone *b)
{
	assert_int_equal(a->base, b->base);
	assert_int_equal(a->npages, b->npages);
	assert_ptr_equal(a->meta, b->meta);
	assert_int_equal(a->nfree, b->nfree);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		assert_int_equal(a->free_head[k], b->free_head[k]);
		assert_int_equal(a->nfree_blocks[k], b->nfree_blocks[k]);
	}
}

static void snap_assert_same(struct snapshot *s, const struct tzone *t)
{
	assert_zone_equal(&s->z, &t->z);
	assert_memory_equal(s->meta, t->meta, buddy_meta_size(t->z.npages));
	free(s->meta);
	s->meta = NULL;
}

static void assert_counts_equal(const size_t *a, const size_t *b)
{
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		assert_int_equal(a[k], b[k]);
}

/* Allocate every block of this order; returns how many, stored in out. */
static size_t alloc_all(struct buddy_zone *z, unsigned order, paddr_t *out,
			size_t max)
{
	size_t n = 0;
	paddr_t pa;

	while (n < max && buddy_alloc(z, order, &pa) == 0)
		out[n++] = pa;
	return n;
}

static void free_all(struct buddy_zone *z, unsigned order, const paddr_t *pa,
		     size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(buddy_free(z, pa[i], order), 0);
}

/* ---- tests ---- */

static void test_init_all_reserved(void **state)
{
	struct tzone t;
	paddr_t pa;

	(void)state;
	tzone_init(&t, ALIGNED_BASE, MAX_BLOCK_PAGES);
	assert_int_equal(t.z.nfree, 0);
	for (size_t i = 0; i < t.z.npages; i++)
		assert_int_equal(t.meta[i].state, FRAME_RESERVED);
	assert_int_equal(buddy_alloc(&t.z, 0, &pa), -ENOMEM);
	check_zone(&t.z);
	assert_int_equal(buddy_meta_size(t.z.npages),
			 t.z.npages * sizeof(struct frame));
	tzone_fini(&t);
}

static void test_basic_alloc_free(void **state)
{
	struct tzone t;
	struct frame *f;
	paddr_t pa;

	(void)state;
	tzone_init(&t, ALIGNED_BASE, MAX_BLOCK_PAGES);
	buddy_release(&t.z, ALIGNED_BASE, zone_end(&t.z));
	assert_int_equal(t.z.nfree, MAX_BLOCK_PAGES);
	assert_int_equal(t.z.nfree_blocks[BUDDY_MAX_ORDER], 1);

	assert_int_equal(buddy_alloc(&t.z, 0, &pa), 0);
	assert_true(pa >= ALIGNED_BASE && pa < zone_end(&t.z));
	assert_int_equal(t.z.nfree, MAX_BLOCK_PAGES - 1);
	f = buddy_frame(&t.z, pa);
	assert_non_null(f);
	assert_int_equal(f->state, FRAME_USED);
	assert_int_equal(f->order, 0);
	assert_int_equal(f->refcount, 1);
	assert_int_equal(f->tag, 0);
	assert_int_equal(buddy_frame_addr(&t.z, f), pa);
	check_zone(&t.z);

	f->tag = 0x1234; /* an owner's tag must not survive the free */
	assert_int_equal(buddy_free(&t.z, pa, 0), 0);
	assert_int_equal(f->tag, 0);
	assert_int_equal(t.z.nfree, MAX_BLOCK_PAGES);
	assert_int_equal(t.z.nfree_blocks[BUDDY_MAX_ORDER], 1);
	check_zone(&t.z);
	tzone_fini(&t);
}

static void test_alloc_invalid_order(void **state)
{
	struct tzone t;
	paddr_t pa = 0;

	(void)state;
	tzone_init(&t, ALIGNED_BASE, MAX_BLOCK_PAGES);
	buddy_release(&t.z, ALIGNED_BASE, zone_end(&t.z));
	assert_int_equal(buddy_alloc(&t.z, BUDDY_MAX_ORDER + 1, &pa), -EINVAL);
	assert_int_equal(buddy_alloc(&t.z, UINT32_MAX, &pa), -EINVAL);
	assert_int_equal(t.z.nfree, MAX_BLOCK_PAGES);
	tzone_fini(&t);
}

/* One page from a lone max-order block splits it into one free block of
 * every lower order; freeing merges it all back. */
static void test_split_and_merge(void **state)
{
	struct tzone t;
	size_t before[BUDDY_MAX_ORDER + 1];
	paddr_t pa;

	(void)state;
	tzone_init(&t, ALIGNED_BASE, 2 * MAX_BLOCK_PAGES);
	buddy_release(&t.z, ALIGNED_BASE, zone_end(&t.z));
	memcpy(before, t.z.nfree_blocks, sizeof(before));
	assert_int_equal(before[BUDDY_MAX_ORDER], 2);

	assert_int_equal(buddy_alloc(&t.z, 0, &pa), 0);
	for (unsigned k = 0; k < BUDDY_MAX_ORDER; k++)
		assert_int_equal(t.z.nfree_blocks[k], 1);
	assert_int_equal(t.z.nfree_blocks[BUDDY_MAX_ORDER], 1);
	check_zone(&t.z);

	assert_int_equal(buddy_free(&t.z, pa, 0), 0);
	assert_counts_equal(before, t.z.nfree_blocks);
	check_zone(&t.z);

	/* Mixed orders freed in a different order still merge fully. */
	paddr_t a, b, c;
	assert_int_equal(buddy_alloc(&t.z, 3, &a), 0);
	assert_int_equal(buddy_alloc(&t.z, 0, &b), 0);
	assert_int_equal(buddy_alloc(&t.z, 5, &c), 0);
	check_zone(&t.z);
	assert_int_equal(buddy_free(&t.z, b, 0), 0);
	assert_int_equal(buddy_free(&t.z, c, 5), 0);
	assert_int_equal(buddy_free(&t.z, a, 3), 0);
	assert_counts_equal(before, t.z.nfree_blocks);
	check_zone(&t.z);
	tzone_fini(&t);
}

/* Every block of every order is physically aligned to its size, even in a
 * zone whose base is not aligned. */
static void test_alignment_every_order(void **state)
{
	struct tzone t;
	paddr_t *pa = calloc(ODD_PAGES, sizeof(*pa));
	size_t before[BUDDY_MAX_ORDER + 1];

	(void)state;
	assert_non_null(pa);
	tzone_init(&t, ODD_BASE, ODD_PAGES);
	buddy_release(&t.z, 0, UINT64_MAX);
	memcpy(before, t.z.nfree_blocks, sizeof(before));
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		size_t n = alloc_all(&t.z, k, pa, ODD_PAGES);

		for (size_t i = 0; i < n; i++) {
			assert_true(IS_ALIGNED(pa[i], PAGE << k));
			assert_true(pa[i] >= t.z.base);
			assert_true(pa[i] + (PAGE << k) <= zone_end(&t.z));
		}
		check_zone(&t.z);
		free_all(&t.z, k, pa, n);
		assert_counts_equal(before, t.z.nfree_blocks);
	}
	check_zone(&t.z);
	tzone_fini(&t);
	free(pa);
}

static void test_exhaustion(void **state)
{
	const size_t npages = 3 * MAX_BLOCK_PAGES;
	struct tzone t;
	paddr_t *pa = calloc(npages + 1, sizeof(*pa));
	size_t before[BUDDY_MAX_ORDER + 1], n;
	paddr_t extra;

	(void)state;
	assert_non_null(pa);
	tzone_init(&t, ALIGNED_BASE, npages);
	buddy_release(&t.z, ALIGNED_BASE, zone_end(&t.z));
	memcpy(before, t.z.nfree_blocks, sizeof(before));

	n = alloc_all(&t.z, 0, pa, npages + 1);
	assert_int_equal(n, npages);
	assert_int_equal(t.z.nfree, 0);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		assert_int_equal(buddy_alloc(&t.z, k, &extra), -ENOMEM);
	check_zone(&t.z);
	free_all(&t.z, 0, pa, n);
	assert_int_equal(t.z.nfree, npages);
	assert_counts_equal(before, t.z.nfree_blocks);

	/* Big blocks run out too, while smaller ones remain possible. */
	n = alloc_all(&t.z, BUDDY_MAX_ORDER, pa, npages);
	assert_int_equal(n, 3);
	assert_int_equal(buddy_alloc(&t.z, 0, &extra), -ENOMEM);
	free_all(&t.z, BUDDY_MAX_ORDER, pa, n);
	assert_counts_equal(before, t.z.nfree_blocks);
	check_zone(&t.z);
	tzone_fini(&t);
	free(pa);
}

/* A refused free must leave the zone and every frame byte-identical. */
static void assert_free_refused(struct tzone *t, paddr_t pa, unsigned order)
{
	struct snapshot s;

	snap_take(&s, t);
	assert_int_equal(buddy_free(&t->z, pa, order), -EINVAL);
	snap_assert_same(&s, t);
}

static void test_bad_frees(void **state)
{
	struct tzone t;
	paddr_t a, b, keep;

	(void)state;
	tzone_init(&t, ALIGNED_BASE, 2 * MAX_BLOCK_PAGES);
	buddy_release(&t.z, ALIGNED_BASE, zone_end(&t.z));
	assert_int_equal(buddy_alloc(&t.z, 2, &a), 0);
	assert_int_equal(buddy_alloc(&t.z, 0, &keep), 0);
	assert_int_equal(buddy_alloc(&t.z, 0, &b), 0);

	assert_free_refused(&t, a, 1);                 /* wrong order, smaller */
	assert_free_refused(&t, a, 3);                 /* wrong order, larger */
	assert_free_refused(&t, a, BUDDY_MAX_ORDER + 1);
	assert_free_refused(&t, a + PAGE, 0);          /* tail of a block */
	assert_free_refused(&t, a + 2 * PAGE, 1);      /* tail, aligned for 1 */
	assert_free_refused(&t, a + 1, 2);             /* not page aligned */
	assert_free_refused(&t, ALIGNED_BASE - PAGE, 0);  /* below the zone */
	assert_free_refused(&t, zone_end(&t.z), 0);       /* just above it */
	assert_free_refused(&t, UINT64_MAX & ~(paddr_t)(PAGE - 1), 0);

	assert_int_equal(buddy_free(&t.z, b, 0), 0);
	assert_free_refused(&t, b, 0);                 /* double free */
	assert_int_equal(buddy_free(&t.z, a, 2), 0);
	assert_free_refused(&t, a, 2);                 /* double free, merged */
	assert_free_refused(&t, a + 4 * PAGE, 2);      /* never allocated */

	assert_int_equal(buddy_free(&t.z, keep, 0), 0);
	assert_int_equal(t.z.nfree, 2 * MAX_BLOCK_PAGES);
	assert_int_equal(t.z.nfree_blocks[BUDDY_MAX_ORDER], 2);
	check_zone(&t.z);
	tzone_fini(&t);
}

static void test_reserved_frame_refused(void **state)
{
	struct tzone t;

	(void)state;
	tzone_init(&t, ALIGNED_BASE, MAX_BLOCK_PAGES);
	/* Nothing released: freeing a RESERVED frame must be refused. */
	assert_free_refused(&t, ALIGNED_BASE, 0);
	assert_free_refused(&t, ALIGNED_BASE, BUDDY_MAX_ORDER);
	check_zone(&t.z);
	tzone_fini(&t);
}

static void test_buddy_frame_bounds(void **state)
{
	struct tzone t;

	(void)state;
	tzone_init(&t, ODD_BASE, ODD_PAGES);
	assert_null(buddy_frame(&t.z, ODD_BASE - 1));
	assert_null(buddy_frame(&t.z, zone_end(&t.z)));
	assert_null(buddy_frame(&t.z, 0));
	assert_ptr_equal(buddy_frame(&t.z, ODD_BASE), &t.meta[0]);
	assert_ptr_equal(buddy_frame(&t.z, ODD_BASE + PAGE + 5), &t.meta[1]);
	assert_ptr_equal(buddy_frame(&t.z, zone_end(&t.z) - 1),
			 &t.meta[ODD_PAGES - 1]);
	tzone_fini(&t);
}

/* Expected number of free blocks of each order when [lo, hi) (in page
 * frame numbers) is cut greedily into maximal aligned blocks. */
static void greedy_blocks(uint64_t lo, uint64_t hi, size_t *counts)
{
	memset(counts, 0, sizeof(size_t) * (BUDDY_MAX_ORDER + 1));
	while (lo < hi) {
		unsigned k = 0;

		while (k < BUDDY_MAX_ORDER && (lo % (2ULL << k)) == 0 &&
		       lo + (2ULL << k) <= hi)
			k++;
		counts[k]++;
		lo += 1ULL << k;
	}
}

static void test_unaligned_zones(void **state)
{
	static const struct {
		paddr_t base;
		size_t npages;
	} cases[] = {
		{ ODD_BASE, ODD_PAGES },
		{ ALIGNED_BASE, 1 },
		{ ALIGNED_BASE + PAGE, 1 },
		{ ALIGNED_BASE + PAGE, 3 },
		{ ALIGNED_BASE + PAGE, MAX_BLOCK_PAGES },
		{ ALIGNED_BASE - 5 * PAGE, MAX_BLOCK_PAGES + 11 },
		{ 0, 7 },
		{ PAGE, 2 * MAX_BLOCK_PAGES + 1 },
	};

	(void)state;
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		struct tzone t;
		size_t expect[BUDDY_MAX_ORDER + 1], n;
		paddr_t *pa = calloc(cases[c].npages, sizeof(*pa));
		uint64_t lo = cases[c].base / PAGE;

		assert_non_null(pa);
		tzone_init(&t, cases[c].base, cases[c].npages);
		buddy_release(&t.z, cases[c].base, zone_end(&t.z));
		assert_int_equal(t.z.nfree, cases[c].npages);
		greedy_blocks(lo, lo + cases[c].npages, expect);
		assert_counts_equal(expect, t.z.nfree_blocks);
		check_zone(&t.z);

		n = alloc_all(&t.z, 0, pa, cases[c].npages);
		assert_int_equal(n, cases[c].npages);
		free_all(&t.z, 0, pa, n);
		assert_counts_equal(expect, t.z.nfree_blocks);
		check_zone(&t.z);
		tzone_fini(&t);
		free(pa);
	}
}

/* Reserved holes stay reserved; releasing them later merges everything as
 * if the whole zone had been released at once. */
static void test_release_holes(void **state)
{
	const size_t npages = 2 * MAX_BLOCK_PAGES + 77;
	const size_t hole1 = 100, hole1_len = 100, hole2 = 1500, hole2_len = 1;
	struct tzone t, whole;
	paddr_t *pa = calloc(npages, sizeof(*pa));
	paddr_t base = ODD_BASE;
	size_t n;

	(void)state;
	assert_non_null(pa);
	tzone_init(&t, base, npages);
	buddy_release(&t.z, base, base + hole1 * PAGE);
	buddy_release(&t.z, base + (hole1 + hole1_len) * PAGE,
		      base + hole2 * PAGE);
	buddy_release(&t.z, base + (hole2 + hole2_len) * PAGE, UINT64_MAX);
	assert_int_equal(t.z.nfree, npages - hole1_len - hole2_len);
	check_zone(&t.z);
	for (size_t i = hole1; i < hole1 + hole1_len; i++)
		assert_int_equal(t.meta[i].state, FRAME_RESERVED);
	assert_int_equal(t.meta[hole2].state, FRAME_RESERVED);

	/* No allocation ever lands in a hole. */
	n = alloc_all(&t.z, 0, pa, npages);
	assert_int_equal(n, npages - hole1_len - hole2_len);
	for (size_t i = 0; i < n; i++) {
		size_t idx = pa_index(&t.z, pa[i]);

		assert_false(idx >= hole1 && idx < hole1 + hole1_len);
		assert_int_not_equal(idx, hole2);
	}
	free_all(&t.z, 0, pa, n);

	/* Partial pages at the ends are not released; twice is harmless. */
	buddy_release(&t.z, base + hole1 * PAGE + 1,
		      base + (hole1 + 1) * PAGE + 1);
	assert_int_equal(t.z.nfree, npages - hole1_len - hole2_len);
	buddy_release(&t.z, base, base + hole1 * PAGE);
	assert_int_equal(t.z.nfree, npages - hole1_len - hole2_len);
	check_zone(&t.z);

	/* Filling the holes gives the same blocks as one whole release. */
	buddy_release(&t.z, base + hole1 * PAGE,
		      base + (hole1 + hole1_len) * PAGE);
	buddy_release(&t.z, base + hole2 * PAGE,
		      base + (hole2 + hole2_len) * PAGE);
	tzone_init(&whole, base, npages);
	buddy_release(&whole.z, base, zone_end(&whole.z));
	assert_int_equal(t.z.nfree, npages);
	assert_counts_equal(whole.z.nfree_blocks, t.z.nfree_blocks);
	check_zone(&t.z);
	tzone_fini(&whole);
	tzone_fini(&t);
	free(pa);
}

/* Frame by frame the same zone: what buddy_init_free must give. */
static void assert_zones_equal(const struct buddy_zone *a, const struct buddy_zone *b)
{
	assert_int_equal(a->npages, b->npages);
	assert_int_equal(a->nfree, b->nfree);
	assert_counts_equal(a->nfree_blocks, b->nfree_blocks);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		assert_int_equal(a->free_head[k], b->free_head[k]);
	for (size_t i = 0; i < a->npages; i++) {
		const struct frame *fa = &a->meta[i], *fb = &b->meta[i];

		assert_int_equal(fa->state, fb->state);
		assert_int_equal(fa->order, fb->order);
		assert_int_equal(fa->tag, fb->tag);
		assert_int_equal(fa->refcount, fb->refcount);
		if (fa->state == FRAME_FREE) {
			assert_int_equal(fa->next, fb->next);
			assert_int_equal(fa->prev, fb->prev);
		}
	}
}

/* buddy_init_free on a zeroed array equals buddy_init plus buddy_release
 * of each range: sorted ranges with holes, partial pages, ranges outside
 * the zone or touching, and unsorted or overlapping ones (general path). */
static void test_init_free(void **state)
{
	const size_t npages = 2 * MAX_BLOCK_PAGES + 77;
	const paddr_t b = ODD_BASE;
	const struct mem_range cases[][4] = {
		{ { b, 100 * PAGE }, { b + 200 * PAGE, 1300 * PAGE }, { b + 1501 * PAGE, UINT64_MAX - b } },
		{ { 0, b + 5 * PAGE + 1 }, { b + 9 * PAGE - 1, 3 * PAGE + 2 }, { b + 40 * PAGE, 0 } },
		{ { b, 64 * PAGE }, { b + 64 * PAGE, 64 * PAGE }, { b + npages * PAGE, PAGE } },
		{ { b + 500 * PAGE, 10 * PAGE }, { b, 20 * PAGE }, { b + 5 * PAGE, 100 * PAGE } },
		{ { b + 10 * PAGE, 50 * PAGE }, { b + 30 * PAGE, 50 * PAGE } },
		{ { 0 } },
	};
	const int ncases[] = { 3, 3, 3, 3, 2, 0 };

	(void)state;
	for (size_t c = 0; c < sizeof(ncases) / sizeof(ncases[0]); c++) {
		struct tzone slow;
		struct buddy_zone fast;
		struct frame *meta = calloc(npages, sizeof(*meta));

		assert_non_null(meta);
		tzone_init(&slow, b, npages);
		for (int i = 0; i < ncases[c]; i++)
			buddy_release(&slow.z, cases[c][i].base,
				      cases[c][i].size > UINT64_MAX - cases[c][i].base
					      ? UINT64_MAX : cases[c][i].base + cases[c][i].size);
		buddy_init_free(&fast, b, npages, meta, cases[c], ncases[c]);
		check_zone(&fast);
		assert_zones_equal(&fast, &slow.z);
		tzone_fini(&slow);
		free(meta);
	}
}

static void test_release_clipping(void **state)
{
	struct tzone t;

	(void)state;
	tzone_init(&t, ALIGNED_BASE, MAX_BLOCK_PAGES);
	buddy_release(&t.z, 0, ALIGNED_BASE);              /* below: nothing */
	buddy_release(&t.z, zone_end(&t.z), UINT64_MAX);   /* above: nothing */
	buddy_release(&t.z, ALIGNED_BASE + 5 * PAGE, ALIGNED_BASE); /* empty */
	buddy_release(&t.z, ALIGNED_BASE + 1, ALIGNED_BASE + PAGE); /* < 1 pg */
	assert_int_equal(t.z.nfree, 0);
	buddy_release(&t.z, UINT64_MAX - PAGE, UINT64_MAX);
	assert_int_equal(t.z.nfree, 0);
	buddy_release(&t.z, 0, UINT64_MAX);
	assert_int_equal(t.z.nfree, MAX_BLOCK_PAGES);
	assert_int_equal(t.z.nfree_blocks[BUDDY_MAX_ORDER], 1);
	check_zone(&t.z);
	tzone_fini(&t);
}

/* ---- randomized stress against a shadow bitmap ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

struct live {
	paddr_t pa;
	unsigned order;
};

struct stress {
	struct tzone t;
	uint8_t *shadow; /* one byte per page: 1 while allocated */
	struct live *live;
	size_t nlive;
};

static void shadow_mark(struct stress *s, paddr_t pa, unsigned order,
			uint8_t used)
{
	size_t idx = pa_index(&s->t.z, pa);

	for (size_t i = 0; i < ((size_t)1 << order); i++) {
		assert_int_equal(s->shadow[idx + i], !used); /* no overlap */
		s->shadow[idx + i] = used;
	}
}

/* Small orders far more often than large ones, as real callers do. */
static unsigned random_order(void)
{
	unsigned k = 0;

	while (k < BUDDY_MAX_ORDER && (rng_next() & 1))
		k++;
	return k;
}

static void stress_alloc(struct stress *s)
{
	unsigned order = random_order();
	size_t nfree = s->t.z.nfree;
	paddr_t pa;
	int rc = buddy_alloc(&s->t.z, order, &pa);

	if (rc == -ENOMEM)
		return;
	assert_int_equal(rc, 0);
	assert_true(IS_ALIGNED(pa, PAGE << order));
	assert_true(pa >= s->t.z.base && pa + (PAGE << order) <= zone_end(&s->t.z));
	assert_int_equal(s->t.z.nfree, nfree - ((size_t)1 << order));
	shadow_mark(s, pa, order, 1);
	s->live[s->nlive].pa = pa;
	s->live[s->nlive].order = order;
	s->nlive++;
}

static void stress_free(struct stress *s, size_t i)
{
	struct live l = s->live[i];

	assert_int_equal(buddy_free(&s->t.z, l.pa, l.order), 0);
	shadow_mark(s, l.pa, l.order, 0);
	s->live[i] = s->live[--s->nlive];
}

static void test_stress(void **state)
{
	const size_t npages = 4 * MAX_BLOCK_PAGES + 333;
	const paddr_t base = ODD_BASE;
	struct stress s;
	size_t start_nfree, start_blocks[BUDDY_MAX_ORDER + 1];

	(void)state;
	rng_state = STRESS_SEED;
	tzone_init(&s.t, base, npages);
	buddy_release(&s.t.z, base, base + 10 * PAGE);
	buddy_release(&s.t.z, base + 50 * PAGE, zone_end(&s.t.z));
	start_nfree = s.t.z.nfree;
	memcpy(start_blocks, s.t.z.nfree_blocks, sizeof(start_blocks));
	s.shadow = calloc(npages, 1);
	s.live = calloc(STRESS_MAX_LIVE, sizeof(*s.live));
	s.nlive = 0;
	assert_non_null(s.shadow);
	assert_non_null(s.live);

	for (int op = 0; op < STRESS_OPS; op++) {
		bool do_alloc = s.nlive == 0 ||
			(s.nlive < STRESS_MAX_LIVE && (rng_next() % 100) < 55);

		if (do_alloc)
			stress_alloc(&s);
		else
			stress_free(&s, rng_next() % s.nlive);
		if (op % CHECK_EVERY == 0)
			check_zone(&s.t.z);
	}
	check_zone(&s.t.z);
	while (s.nlive > 0)
		stress_free(&s, rng_next() % s.nlive);
	assert_int_equal(s.t.z.nfree, start_nfree);
	assert_counts_equal(start_blocks, s.t.z.nfree_blocks);
	check_zone(&s.t.z);
	free(s.shadow);
	free(s.live);
	tzone_fini(&s.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_all_reserved),
		cmocka_unit_test(test_basic_alloc_free),
		cmocka_unit_test(test_alloc_invalid_order),
		cmocka_unit_test(test_split_and_merge),
		cmocka_unit_test(test_alignment_every_order),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_reserved_frame_refused),
		cmocka_unit_test(test_buddy_frame_bounds),
		cmocka_unit_test(test_unaligned_zones),
		cmocka_unit_test(test_release_holes),
		cmocka_unit_test(test_release_clipping),
		cmocka_unit_test(test_init_free),
		cmocka_unit_test(test_stress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
