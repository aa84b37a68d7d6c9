/*
 * tests/host/test_layout.c: the page-table index and recursive-window
 * arithmetic of mm/layout.h, checked against a simulated MMU walk, and the
 * range-list arithmetic of mm/ranges.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "mm/layout.h"
#include "mm/ranges.h"
#include "kernel/lib/errno.h"

/* A tiny physical memory of page tables: frame numbers 1..NFRAMES. */
#define NFRAMES 8
static uint64_t tables[NFRAMES + 1][PT_ENTRIES];

enum { L0 = 1, L1, L2, L3 };

/* Walks va like the MMU: 4 levels from root, each entry naming a frame. */
static uint64_t walk(int root, uint64_t va)
{
	uint64_t frame = root;

	for (int l = 0; l < PT_LEVELS; l++) {
		uint64_t e = tables[frame][PT_INDEX(va, l)];

		assert_true(e != 0); /* the walk must not fault */
		frame = e;
	}
	return frame * PAGE_SIZE + (va & (PAGE_SIZE - 1));
}

/* Builds L0 -> L1 -> L2 -> L3 for va, with the recursive slot, and checks
 * that pt_table_va / pt_entry_ptr land on each level's table and entry. */
static void check_va(uint64_t va)
{
	int frames[PT_LEVELS] = { L0, L1, L2, L3 };

	memset(tables, 0, sizeof(tables));
	tables[L0][RECURSIVE_INDEX] = L0;
	for (int l = 0; l < PT_LEVELS - 1; l++)
		tables[frames[l]][PT_INDEX(va, l)] = frames[l + 1];
	for (int l = 0; l < PT_LEVELS; l++) {
		uint64_t tva = pt_table_va(va, l);

		assert_int_equal(va_is_kernel(tva), va_is_kernel(va));
		assert_int_equal(walk(L0, tva), (uint64_t)frames[l] * PAGE_SIZE);
		assert_int_equal(walk(L0, (uint64_t)(uintptr_t)pt_entry_ptr(va, l)),
				 frames[l] * PAGE_SIZE + PT_INDEX(va, l) * 8);
	}
}

static void test_indices(void **state)
{
	(void)state;
	assert_int_equal(PT_LEVEL_SHIFT(0), 39);
	assert_int_equal(PT_LEVEL_SHIFT(3), 12);
	assert_int_equal(PT_INDEX(KERNEL_VBASE, 0), 510);
	assert_int_equal(PT_INDEX(RECURSIVE_BASE, 0), RECURSIVE_INDEX);
	assert_int_equal(PT_INDEX(PHYSMAP_BASE, 0), 0);
	assert_int_equal(PT_INDEX(0x0000123456789000UL, 3), 0x189);
	assert_int_equal(PT_LEVEL_SIZE(1), 1UL << 30);
	assert_int_equal(PT_LEVEL_SIZE(2), 2UL << 20);
}

static void test_recursive_fixed_points(void **state)
{
	(void)state;
	/* The top table of the kernel half sits at the very top of memory. */
	assert_int_equal(pt_table_va(KERNEL_VBASE, 0), 0xfffffffffffff000UL);
	assert_int_equal(pt_table_va(0x1000, 0), 0x0000fffffffff000UL);
	/* Every table address lies inside the recursive window of its half. */
	assert_true(pt_table_va(KERNEL_VBASE, 3) >= RECURSIVE_BASE);
	assert_true(va_is_kernel(KERNEL_VBASE));
	assert_false(va_is_kernel(0x0000ffffffffffffUL));
	assert_false(va_is_kernel(0x8000000000000000UL)); /* not canonical */
}

static void test_recursive_walks(void **state)
{
	static const uint64_t vas[] = {
		KERNEL_VBASE, KERNEL_VBASE + 0x12345000, PHYSMAP_BASE + 0x40000000,
		IOMAP_BASE, KSTACK_BASE + 0x8000, 0x400000, 0x0000ff7fffffe000UL,
		0xffffff7ffffff000UL,
	};
	(void)state;
	for (size_t i = 0; i < sizeof(vas) / sizeof(vas[0]); i++)
		check_va(vas[i]);
}

static void test_ranges_subtract(void **state)
{
	struct mem_range r[4] = { { 0x1000, 0x9000 } };
	int n;

	(void)state;
	n = ranges_subtract(r, 1, 4, 0x3000, 0x4000); /* hole inside: split */
	assert_int_equal(n, 2);
	assert_int_equal(r[0].base, 0x1000);
	assert_int_equal(r[0].size, 0x2000);
	assert_int_equal(r[1].base, 0x4000);
	assert_int_equal(r[1].size, 0x6000);
	n = ranges_subtract(r, n, 4, 0, 0x2000); /* head */
	assert_int_equal(n, 2);
	assert_int_equal(r[0].base, 0x2000);
	n = ranges_subtract(r, n, 4, 0x9000, 0x20000); /* tail */
	assert_int_equal(r[1].size, 0x5000);
	n = ranges_subtract(r, n, 4, 0x2000, 0x3000); /* whole range */
	assert_int_equal(n, 1);
	assert_int_equal(r[0].base, 0x4000);
	/* No room for a split: refused, list unchanged. */
	assert_int_equal(ranges_subtract(r, 1, 1, 0x5000, 0x6000), -ENOSPC);
	assert_int_equal(r[0].size, 0x5000);
	assert_int_equal(ranges_subtract(r, 1, 1, 0x6000, 0x5000), 1); /* empty hole */
}

static void test_ranges_contain(void **state)
{
	const struct mem_range r[] = { { 0x1000, 0x2000 }, { 0x8000, 0x1000 } };

	(void)state;
	assert_true(ranges_contain(r, 2, 0x1000, 8));       /* first byte */
	assert_true(ranges_contain(r, 2, 0x2ff8, 8));       /* ends at the end */
	assert_true(ranges_contain(r, 2, 0x8000, 0x1000));  /* the whole second range */
	assert_false(ranges_contain(r, 2, 0x2ffc, 8));      /* runs past the end */
	assert_false(ranges_contain(r, 2, 0xff8, 16));      /* starts before */
	assert_false(ranges_contain(r, 2, 0x3000, 8));      /* the gap */
	assert_false(ranges_contain(r, 2, 0x2ff8, 0x6000)); /* spans the gap */
	assert_false(ranges_contain(r, 2, 0x1000, UINT64_MAX)); /* wraps */
	assert_false(ranges_contain(r, 0, 0x1000, 8));      /* no ranges */
}

static void test_ranges_sort(void **state)
{
	struct mem_range r[3] = { { 0x3000, 1 }, { 0x1000, 1 }, { 0x2000, 1 } };

	(void)state;
	ranges_sort(r, 3);
	assert_int_equal(r[0].base, 0x1000);
	assert_int_equal(r[1].base, 0x2000);
	assert_int_equal(r[2].base, 0x3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indices),
		cmocka_unit_test(test_recursive_fixed_points),
		cmocka_unit_test(test_recursive_walks),
		cmocka_unit_test(test_ranges_subtract),
		cmocka_unit_test(test_ranges_contain),
		cmocka_unit_test(test_ranges_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
