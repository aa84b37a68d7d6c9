/*
 * tests/host/test_grant.c: the device-rights sets (kernel/scheme/grant.c):
 * ranges merge when they touch and split when a hole is cut; the
 * intersection (what narrowing a grant keeps) piece by piece, with either
 * side empty, and never more than either side; containment in one range;
 * interrupts kept sorted and distinct; errors change nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "kernel/scheme/grant.h"
#include "kernel/lib/errno.h"
#include "tests/host/kstubs.h"

#define PAGE 0x1000UL

static void check_ranges(const struct grant *g, const struct mem_range *want, int n)
{
	assert_int_equal(g->nranges, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(g->ranges[i].base, want[i].base);
		assert_int_equal(g->ranges[i].size, want[i].size);
	}
}

static void test_add_merges(void **state)
{
	struct grant *g = grant_alloc();

	(void)state;
	assert_int_equal(grant_add_range(g, 0x5000, PAGE), 0);
	assert_int_equal(grant_add_range(g, 0x1000, PAGE), 0);
	assert_int_equal(grant_add_range(g, 0x9000, PAGE), 0);
	check_ranges(g, (struct mem_range[]){ { 0x1000, PAGE }, { 0x5000, PAGE }, { 0x9000, PAGE } }, 3);
	/* Touching 0x5000's end and overlapping 0x9000: all three become one. */
	assert_int_equal(grant_add_range(g, 0x6000, 0x3800), 0);
	check_ranges(g, (struct mem_range[]){ { 0x1000, PAGE }, { 0x5000, 0x5000 } }, 2);
	/* Inside one already: nothing changes. */
	assert_int_equal(grant_add_range(g, 0x5800, 0x100), 0);
	check_ranges(g, (struct mem_range[]){ { 0x1000, PAGE }, { 0x5000, 0x5000 } }, 2);
	/* Empty and wrapping ranges are refused, changing nothing. */
	assert_int_equal(grant_add_range(g, 0x20000, 0), -EINVAL);
	assert_int_equal(grant_add_range(g, UINT64_MAX - 0xff, 0x200), -EINVAL);
	check_ranges(g, (struct mem_range[]){ { 0x1000, PAGE }, { 0x5000, 0x5000 } }, 2);
	grant_put(g);
	assert_int_equal(kstub_outstanding(), 0);
}

static void test_add_full(void **state)
{
	struct grant *g = grant_alloc();

	(void)state;
	for (int i = 0; i < GRANT_RANGES_MAX; i++)
		assert_int_equal(grant_add_range(g, (uint64_t)i * 2 * PAGE, PAGE), 0);
	assert_int_equal(grant_add_range(g, (uint64_t)GRANT_RANGES_MAX * 2 * PAGE, PAGE), -ENOSPC);
	assert_int_equal(g->nranges, GRANT_RANGES_MAX);
	/* A range that merges needs no slot, even when full. */
	assert_int_equal(grant_add_range(g, PAGE, PAGE), 0);
	assert_int_equal(g->nranges, GRANT_RANGES_MAX - 1);
	grant_put(g);
}

static void test_remove_splits(void **state)
{
	struct grant *g = grant_alloc();

	(void)state;
	grant_add_range(g, 0x10000, 0x10000);
	grant_add_range(g, 0x40000, PAGE);
	/* A hole in the middle splits; a range wholly inside goes. */
	assert_int_equal(grant_remove_range(g, 0x14000, PAGE), 0);
	assert_int_equal(grant_remove_range(g, 0x3f000, 0x3000), 0);
	check_ranges(g, (struct mem_range[]){ { 0x10000, 0x4000 }, { 0x15000, 0xb000 } }, 2);
	/* Overlapping both ends of pieces trims them. */
	assert_int_equal(grant_remove_range(g, 0x13000, 0x3000), 0);
	check_ranges(g, (struct mem_range[]){ { 0x10000, 0x3000 }, { 0x16000, 0xa000 } }, 2);
	grant_put(g);
}

static void test_remove_full(void **state)
{
	struct grant *g = grant_alloc();

	(void)state;
	for (int i = 0; i < GRANT_RANGES_MAX; i++)
		grant_add_range(g, (uint64_t)i * 4 * PAGE, 2 * PAGE);
	/* A split needs a slot: refused, the grant unchanged. */
	assert_int_equal(grant_remove_range(g, 0x800, 0x100), -ENOSPC);
	assert_int_equal(g->nranges, GRANT_RANGES_MAX);
	assert_int_equal(g->ranges[0].size, 2 * PAGE);
	grant_put(g);
}

static void test_intersect(void **state)
{
	struct grant *a = grant_alloc(), *b = grant_alloc(), *out = grant_alloc();

	(void)state;
	grant_add_range(a, 0x0, 0x8000000);          /* flash */
	grant_add_range(a, 0x9010000, PAGE);         /* RTC */
	grant_add_range(a, 0xa000000, 0x4000);       /* virtio, merged */
	grant_add_irq(a, 34, false);
	grant_add_irq(a, 48, true);
	/* One virtio device and the RTC, plus something a does not have. */
	grant_add_range(b, 0xa000200, 0x200);
	grant_add_range(b, 0x9010000, PAGE);
	grant_add_range(b, 0x9000000, PAGE);
	grant_add_irq(b, 33, false);
	grant_add_irq(b, 48, false);
	grant_intersect(a, b, out);
	check_ranges(out, (struct mem_range[]){ { 0x9010000, PAGE }, { 0xa000200, 0x200 } }, 2);
	assert_int_equal(out->nirqs, 1);
	assert_int_equal(out->irqs[0].irq, 48);
	assert_true(out->irqs[0].edge); /* the trigger is a's */
	/* A range straddling two of the other's gives two pieces. */
	b->nranges = 0;
	grant_add_range(b, 0x7fff000, 0x1012000);
	grant_intersect(a, b, out);
	check_ranges(out, (struct mem_range[]){ { 0x7fff000, PAGE }, { 0x9010000, PAGE } }, 2);
	/* Empty or absent on either side: nothing. */
	grant_intersect(a, NULL, out);
	assert_int_equal(out->nranges + out->nirqs, 0);
	grant_intersect(NULL, a, out);
	assert_int_equal(out->nranges + out->nirqs, 0);
	b->nranges = b->nirqs = 0;
	grant_intersect(a, b, out);
	assert_int_equal(out->nranges + out->nirqs, 0);
	grant_put(a);
	grant_put(b);
	grant_put(out);
}

/* g = one device-tree node: one range and one interrupt. */
static void set_node(struct grant *g, paddr_t base, uint64_t size, uint32_t irq)
{
	g->nranges = g->nirqs = 0;
	assert_int_equal(grant_add_range(g, base, size), 0);
	assert_int_equal(grant_add_irq(g, irq, false), 0);
}

/* Narrowing twice to disjoint nodes leaves nothing: a grant never widens. */
static void test_narrow_never_widens(void **state)
{
	struct grant *cur = grant_alloc(), *n1 = grant_alloc(), *n2 = grant_alloc(), *want = grant_alloc();

	(void)state;
	set_node(cur, 0x9000000, 0x100000, 34);
	grant_add_irq(cur, 39, false);
	set_node(want, 0x9030000, PAGE, 39);
	grant_intersect(cur, want, n1);
	assert_int_equal(n1->nranges + n1->nirqs, 2);
	set_node(want, 0x9010000, PAGE, 34);
	grant_intersect(n1, want, n2);
	assert_int_equal(n2->nranges + n2->nirqs, 0);
	grant_put(cur);
	grant_put(n1);
	grant_put(n2);
	grant_put(want);
}

/* Rights narrow bit by bit: kept only when both sides hold them, and a
 * NULL side (the empty grant) has none. */
static void test_rights_intersect(void **state)
{
	struct grant *a = grant_alloc(), *b = grant_alloc(), *out = grant_alloc();

	(void)state;
	a->rights = GRANT_RIGHTS_ALL;
	grant_intersect(a, b, out);
	assert_int_equal(out->rights, 0);
	b->rights = GRANT_RIGHT_CLOCK;
	grant_intersect(a, b, out);
	assert_int_equal(out->rights, GRANT_RIGHT_CLOCK);
	a->rights = 0;
	grant_intersect(a, b, out);
	assert_int_equal(out->rights, 0);
	out->rights = GRANT_RIGHTS_ALL;
	grant_intersect(b, NULL, out);
	assert_int_equal(out->rights, 0);
	grant_put(a);
	grant_put(b);
	grant_put(out);
}

static void test_covers(void **state)
{
	struct grant *g = grant_alloc();

	(void)state;
	grant_add_range(g, 0x9010000, PAGE);
	grant_add_range(g, 0x9020000, 0x18);
	assert_true(grant_covers(g, 0x9010000, PAGE));
	assert_true(grant_covers(g, 0x9010800, 0x100));
	assert_false(grant_covers(g, 0x9010000, 2 * PAGE));   /* past the end */
	assert_false(grant_covers(g, 0x900f000, 2 * PAGE));   /* before the start */
	assert_false(grant_covers(g, 0x9020000, PAGE));       /* a whole page of a small range */
	assert_false(grant_covers(g, 0x9010000, 0));
	assert_false(grant_covers(g, UINT64_MAX - 0xff, 0x1000)); /* wraps */
	assert_false(grant_covers(NULL, 0x9010000, PAGE));
	assert_true(grant_overlaps(g, 0x900f000, 2 * PAGE));
	assert_false(grant_overlaps(g, 0x9011000, PAGE));
	grant_put(g);
}

static void test_irqs(void **state)
{
	struct grant *g = grant_alloc();

	(void)state;
	assert_int_equal(grant_add_irq(g, 40, false), 0);
	assert_int_equal(grant_add_irq(g, 34, true), 0);
	assert_int_equal(grant_add_irq(g, 40, true), 0); /* present: unchanged */
	assert_int_equal(g->nirqs, 2);
	assert_int_equal(g->irqs[0].irq, 34);
	assert_false(grant_find_irq(g, 40)->edge);
	assert_null(grant_find_irq(g, 35));
	assert_null(grant_find_irq(NULL, 34));
	grant_remove_irq(g, 34);
	grant_remove_irq(g, 99);
	assert_int_equal(g->nirqs, 1);
	for (uint32_t i = 100; g->nirqs < GRANT_IRQS_MAX; i++)
		assert_int_equal(grant_add_irq(g, i, false), 0);
	assert_int_equal(grant_add_irq(g, 1, false), -ENOSPC);
	grant_put(g);
}

static void test_refcount(void **state)
{
	struct grant *g = grant_alloc();

	(void)state;
	assert_ptr_equal(grant_get(g), g);
	assert_null(grant_get(NULL));
	grant_put(g);
	assert_int_equal(kstub_outstanding(), 1);
	grant_put(g);
	grant_put(NULL);
	assert_int_equal(kstub_outstanding(), 0);
	kstub_fail_alloc_after(0);
	assert_null(grant_alloc());
	kstub_fail_alloc_after(-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_merges),
		cmocka_unit_test(test_add_full),
		cmocka_unit_test(test_remove_splits),
		cmocka_unit_test(test_remove_full),
		cmocka_unit_test(test_intersect),
		cmocka_unit_test(test_narrow_never_widens),
		cmocka_unit_test(test_rights_intersect),
		cmocka_unit_test(test_covers),
		cmocka_unit_test(test_irqs),
		cmocka_unit_test(test_refcount),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
