/*
 * tests/host/test_uvm.c: the pure parts of user address spaces (mm/uvm.c
 * builds on them): the region list (mm/vma.c: lookup, insert with overlap
 * refusal and heap merging, split at range ends with shared-object and file
 * bookkeeping, detach of unmapped ranges, free-gap search), the protection
 * policy (mm/uprot.c: W^X and read-only file views, write implies read,
 * copy-on-write entries, what a page entry lets EL0 do) and the checked
 * range arithmetic (mm/urange.h). The heap is malloc, with failures on
 * demand; ASan catches leaks and double frees.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "mm/heap.h"
#include "mm/vma.h"
#include "mm/uprot.h"
#include "mm/urange.h"
#include "mm/vm.h"
#include "mm/layout.h"
#include "kernel/lib/errno.h"

#define P(n) ((uint64_t)(n) * PAGE_SIZE)   /* page n's address */
#define RW (VM_READ | VM_WRITE)

/* The heap, for the host: kmalloc fails once fail_in more calls are made. */
static int fail_in = -1;

void *kmalloc(size_t size)
{
	if (fail_in >= 0 && fail_in-- == 0)
		return NULL;
	return malloc(size);
}

void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }

static struct vma *region(uint64_t start, uint64_t end, unsigned prot, unsigned flags)
{
	struct vma *v = kzalloc(sizeof(*v));

	assert_non_null(v);
	*v = (struct vma){ .start = start, .end = end, .prot = prot, .flags = flags };
	return v;
}

static void free_list(struct vma *list)
{
	while (list) {
		struct vma *v = list;

		list = v->next;
		kfree(v);
	}
}

/* Checks that list holds exactly the n [start, end) pairs in want, in order. */
static void assert_regions(struct vma *list, const uint64_t (*want)[2], size_t n)
{
	size_t i = 0;

	for (struct vma *v = list; v; v = v->next, i++) {
		assert_true(i < n);
		assert_int_equal(v->start, want[i][0]);
		assert_int_equal(v->end, want[i][1]);
	}
	assert_int_equal(i, n);
}

static void test_find(void **state)
{
	struct vma *list = NULL;

	(void)state;
	assert_int_equal(vma_insert(&list, region(P(10), P(12), RW, 0)), 0);
	assert_int_equal(vma_insert(&list, region(P(20), P(21), VM_READ, 0)), 0);
	assert_null(vma_find(list, P(10) - 1));
	assert_ptr_equal(vma_find(list, P(10)), list);
	assert_ptr_equal(vma_find(list, P(12) - 1), list);
	assert_null(vma_find(list, P(12)));            /* end is exclusive */
	assert_ptr_equal(vma_find(list, P(20)), list->next);
	assert_null(vma_find(list, P(21)));
	assert_null(vma_find(NULL, P(10)));
	free_list(list);
}

static void test_insert_sorted_and_overlaps(void **state)
{
	static const uint64_t want[][2] = { { P(1), P(2) }, { P(4), P(6) }, { P(6), P(8) } };
	struct vma *list = NULL, *v;

	(void)state;
	assert_int_equal(vma_insert(&list, region(P(4), P(6), RW, VMA_SHARED)), 0);
	assert_int_equal(vma_insert(&list, region(P(1), P(2), RW, 0)), 0);
	/* Touching is fine (a different kind, so no merge). */
	assert_int_equal(vma_insert(&list, region(P(6), P(8), VM_READ, 0)), 0);
	/* Overlapping the start, the end, the inside or the whole: refused, v still ours. */
	const uint64_t bad[][2] = { { P(0), P(2) }, { P(5), P(7) }, { P(7), P(9) }, { P(4), P(5) },
				    { P(0), P(10) }, { P(1) + PAGE_SIZE / 2, P(3) } };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		v = region(bad[i][0], bad[i][1], RW, 0);
		assert_int_equal(vma_insert(&list, v), -EEXIST);
		kfree(v);
	}
	assert_regions(list, want, ARRAY_SIZE(want));
	free_list(list);
}

static void test_insert_merges_heap_growth(void **state)
{
	static const uint64_t want[][2] = { { P(1), P(5) }, { P(5), P(6) }, { P(6), P(7) }, { P(7), P(8) } };
	struct vma *list = NULL;

	(void)state;
	assert_int_equal(vma_insert(&list, region(P(1), P(2), RW, VMA_HEAP)), 0);
	/* Growth of the same kind extends the region (the new one is freed: ASan). */
	assert_int_equal(vma_insert(&list, region(P(2), P(3), RW, VMA_HEAP)), 0);
	assert_int_equal(vma_insert(&list, region(P(3), P(5), RW, VMA_HEAP)), 0);
	/* Another protection, shared or file memory never merge. */
	assert_int_equal(vma_insert(&list, region(P(5), P(6), VM_READ, VMA_HEAP)), 0);
	assert_int_equal(vma_insert(&list, region(P(6), P(7), VM_READ, VMA_FILE)), 0);
	assert_int_equal(vma_insert(&list, region(P(7), P(8), VM_READ, VMA_FILE)), 0);
	assert_regions(list, want, ARRAY_SIZE(want));
	free_list(list);
}

static void test_split_keeps_object_and_file_offsets(void **state)
{
	struct vm_object *obj = calloc(1, sizeof(*obj) + 8 * sizeof(paddr_t));
	struct vma *list = NULL, *shared = region(P(10), P(18), RW, VMA_SHARED);
	struct vma *file = region(P(20), P(24), VM_READ, VMA_FILE);

	(void)state;
	assert_non_null(obj);
	obj->refcount = 1;
	obj->npages = 8;
	shared->obj = obj;
	shared->obj_pgoff = 0;
	file->file_pa = 0x80000000;
	file->file_len = P(1) + 100;    /* a page and 100 bytes, then zeros */
	assert_int_equal(vma_insert(&list, shared), 0);
	assert_int_equal(vma_insert(&list, file), 0);

	/* Both ends inside the shared region: three pieces sharing the object. */
	assert_int_equal(vma_split_range(list, P(12), P(15)), 0);
	const uint64_t want[][2] = { { P(10), P(12) }, { P(12), P(15) }, { P(15), P(18) }, { P(20), P(24) } };
	assert_regions(list, want, ARRAY_SIZE(want));
	assert_int_equal(obj->refcount, 3);
	assert_int_equal(list->next->obj_pgoff, 2);
	assert_int_equal(list->next->next->obj_pgoff, 5);
	assert_ptr_equal(list->next->next->obj, obj);

	/* File views: the upper part starts further into the data, or past it. */
	struct vma *f = list->next->next->next;
	assert_int_equal(vma_split_range(list, P(21), P(23)), 0);
	assert_int_equal(f->file_len, P(1) + 100);
	assert_int_equal(f->next->file_pa, 0x80000000 + P(1));
	assert_int_equal(f->next->file_len, 100);
	assert_int_equal(f->next->next->file_len, 0);

	/* Splitting at existing boundaries changes nothing. */
	assert_int_equal(vma_split_range(list, P(10), P(18)), 0);
	assert_int_equal(obj->refcount, 3);
	free_list(list);
	free(obj);
}

static void test_split_failure(void **state)
{
	static const uint64_t want[][2] = { { P(0), P(4) }, { P(4), P(10) } };
	struct vma *list = NULL;

	(void)state;
	assert_int_equal(vma_insert(&list, region(P(0), P(10), RW, 0)), 0);
	fail_in = 1; /* the first split works, the second has no memory */
	assert_int_equal(vma_split_range(list, P(4), P(6)), -ENOMEM);
	fail_in = -1;
	/* Same mappings, one split done; nothing detached. */
	assert_regions(list, want, ARRAY_SIZE(want));
	free_list(list);
}

static void test_unmap_ranges(void **state)
{
	struct vma *list = NULL, *gone;

	(void)state;
	assert_int_equal(vma_insert(&list, region(P(0), P(10), RW, 0)), 0);
	assert_int_equal(vma_insert(&list, region(P(12), P(14), VM_READ, 0)), 0);
	assert_int_equal(vma_insert(&list, region(P(20), P(30), VM_READ, VMA_STACK)), 0);

	/* A hole in the middle of one region. */
	assert_int_equal(vma_split_range(list, P(4), P(6)), 0);
	gone = vma_detach(&list, P(4), P(6));
	const uint64_t gone1[][2] = { { P(4), P(6) } };
	assert_regions(gone, gone1, ARRAY_SIZE(gone1));
	free_list(gone);

	/* A range over the end of one, all of another, the start of a third. */
	assert_int_equal(vma_split_range(list, P(8), P(22)), 0);
	gone = vma_detach(&list, P(8), P(22));
	const uint64_t gone2[][2] = { { P(8), P(10) }, { P(12), P(14) }, { P(20), P(22) } };
	assert_regions(gone, gone2, ARRAY_SIZE(gone2));
	free_list(gone);
	const uint64_t left[][2] = { { P(0), P(4) }, { P(6), P(8) }, { P(22), P(30) } };
	assert_regions(list, left, ARRAY_SIZE(left));

	/* Nothing mapped there: nothing detached. */
	assert_null(vma_detach(&list, P(40), P(50)));
	/* Everything. */
	gone = vma_detach(&list, 0, P(100));
	assert_null(list);
	assert_regions(gone, left, ARRAY_SIZE(left));
	free_list(gone);
}

static void test_find_gap(void **state)
{
	struct vma *list = NULL;

	(void)state;
	assert_int_equal(vma_find_gap(NULL, P(10), P(100), P(5)), P(95));
	assert_int_equal(vma_find_gap(NULL, P(10), P(15), P(5)), P(10)); /* exact fit */
	assert_int_equal(vma_find_gap(NULL, P(10), P(14), P(5)), 0);
	assert_int_equal(vma_insert(&list, region(P(90), P(100), RW, 0)), 0);
	assert_int_equal(vma_insert(&list, region(P(50), P(87), RW, 0)), 0);
	/* The highest gap that fits: under the top region, not the 3-page hole. */
	assert_int_equal(vma_find_gap(list, P(10), P(100), P(3)), P(87));
	assert_int_equal(vma_find_gap(list, P(10), P(100), P(4)), P(46));
	assert_int_equal(vma_find_gap(list, P(10), P(100), P(41)), 0);
	/* A region straddling top, and one below low, are respected. */
	assert_int_equal(vma_find_gap(list, P(10), P(95), P(3)), P(87));
	assert_int_equal(vma_find_gap(list, P(60), P(100), P(3)), P(87));
	assert_int_equal(vma_find_gap(list, P(60), P(100), P(4)), 0);
	free_list(list);
}

static void test_prot_policy(void **state)
{
	(void)state;
	/* W^X, and file views are never writable. */
	assert_true(uprot_valid(VM_READ | VM_EXEC, false));
	assert_true(uprot_valid(RW, false));
	assert_false(uprot_valid(VM_WRITE | VM_EXEC, false));
	assert_true(uprot_valid(VM_READ, true));
	assert_false(uprot_valid(RW, true));
	assert_true(uprot_valid(0, true));

	/* A write-only region allows reads; PROT_NONE allows nothing. */
	assert_true(uprot_allows(VM_WRITE, false, false));
	assert_true(uprot_allows(VM_WRITE, true, false));
	assert_false(uprot_allows(VM_READ, true, false));
	assert_false(uprot_allows(VM_READ, false, true));
	assert_true(uprot_allows(VM_EXEC, false, false));
	assert_false(uprot_allows(0, false, false));

	/* Write implies read, also for copy-on-write entries (issue 7: a
	 * write-only COW entry used to lose every EL0 permission). */
	assert_int_equal(uprot_page(VM_WRITE, false), RW);
	assert_int_equal(uprot_page(VM_WRITE, true), VM_READ);
	assert_int_equal(uprot_page(RW, true), VM_READ);
	assert_int_equal(uprot_page(VM_EXEC, false), VM_READ | VM_EXEC);
	assert_int_equal(uprot_page(VM_READ, true), VM_READ);
	assert_int_equal(uprot_page(0, false), 0);
}

static void test_pte_allows(void **state)
{
	const uint64_t base = PTE_VALID | PTE_PAGE | PTE_AF;
	const uint64_t ro = base | PTE_AP_EL0 | PTE_AP_RO | PTE_UXN;

	(void)state;
	assert_true(uprot_pte_allows(ro, false, false));
	assert_false(uprot_pte_allows(ro, true, false));
	assert_false(uprot_pte_allows(ro, false, true));
	assert_true(uprot_pte_allows(base | PTE_AP_EL0, true, false));
	assert_true(uprot_pte_allows(base | PTE_AP_EL0 | PTE_AP_RO, false, true));
	/* No EL0 access (PROT_NONE, or the old write-only COW entry): nothing. */
	assert_false(uprot_pte_allows(base | PTE_AP_RO | PTE_UXN, false, false));
	assert_false(uprot_pte_allows(base | PTE_AP_RO | PTE_UXN | PTE_SW_COW, true, false));
	assert_false(uprot_pte_allows((base | PTE_AP_EL0) & ~PTE_VALID, false, false));
}

static void test_checked_ranges(void **state)
{
	uint64_t out;

	(void)state;
	assert_true(urange_page_len(0, &out));
	assert_int_equal(out, 0);
	assert_true(urange_page_len(1, &out));
	assert_int_equal(out, PAGE_SIZE);
	assert_true(urange_page_len(~0UL - (PAGE_SIZE - 1), &out));
	assert_int_equal(out, ~0UL - (PAGE_SIZE - 1));
	/* Rounding these up wraps to 0 (mprotect(p, ~0) must not succeed). */
	assert_false(urange_page_len(~0UL, &out));
	assert_false(urange_page_len(~0UL - (PAGE_SIZE - 2), &out));

	assert_true(urange_end(P(1), P(2), P(3), &out));
	assert_int_equal(out, P(3));
	assert_false(urange_end(P(1), P(2) + 1, P(3), &out));
	assert_false(urange_end(~0UL & ~(PAGE_SIZE - 1), P(2), ~0UL, &out)); /* wraps to page 1 */
	assert_false(urange_end(P(1), ~0UL, ~0UL, &out));
	assert_true(urange_end(0, ~0UL, ~0UL, &out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_insert_sorted_and_overlaps),
		cmocka_unit_test(test_insert_merges_heap_growth),
		cmocka_unit_test(test_split_keeps_object_and_file_offsets),
		cmocka_unit_test(test_split_failure),
		cmocka_unit_test(test_unmap_ranges),
		cmocka_unit_test(test_find_gap),
		cmocka_unit_test(test_prot_policy),
		cmocka_unit_test(test_pte_allows),
		cmocka_unit_test(test_checked_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
