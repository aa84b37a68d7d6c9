/*
 * tests/host/test_heap.c: host unit tests of the kernel heap (mm/heap.c).
 * The page ops are backed by aligned_alloc plus a table standing in for the
 * frame metadata's tags, so ASan sees every page the heap holds, and the
 * table checks the heap's use of the ops (orders match, tags cleared before
 * a page is given back, no page freed twice). Also the fault-injection
 * op (fail_now).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/heap.h"

#define PAGE MM_PAGE_SIZE
#define MAX_TPAGES 8192       /* page blocks the fake page allocator tracks */
#define UNLIMITED (-1)        /* page budget: never fail */
#define MANY 2000             /* objects in the overlap test */
#define STRESS_OPS 20000
#define STRESS_MAX_LIVE 1024
#define STRESS_SEED 0x243f6a8885a308d3ULL
#define STRESS_VERIFY_EVERY 1009 /* full pattern check period */
#define PERCENT 100

/* ---- fake page allocator with a tag map ---- */

struct tpage {
	void *va; /* block start, or NULL for an empty slot */
	unsigned order;
	uint16_t tag;
};

static struct tpage tpages[MAX_TPAGES];
static size_t tpages_live;
static long page_budget; /* allocations left before NULL, or UNLIMITED */

static struct tpage *tpage_find(const void *va)
{
	for (size_t i = 0; i < MAX_TPAGES; i++)
		if (tpages[i].va && tpages[i].va == va)
			return &tpages[i];
	return NULL;
}

static void *t_page_alloc(unsigned order)
{
	struct tpage *slot = NULL;
	size_t bytes = PAGE << order;

	if (page_budget == 0)
		return NULL;
	if (page_budget > 0)
		page_budget--;
	for (size_t i = 0; !slot && i < MAX_TPAGES; i++)
		if (!tpages[i].va)
			slot = &tpages[i];
	assert_non_null(slot);
	slot->va = aligned_alloc(bytes, bytes);
	assert_non_null(slot->va);
	memset(slot->va, 0x5a, bytes); /* garbage, as real free pages hold */
	slot->order = order;
	slot->tag = 0;
	tpages_live++;
	return slot->va;
}

static void t_page_free(void *va, unsigned order)
{
	struct tpage *t = tpage_find(va);

	assert_non_null(t);
	assert_int_equal(t->order, order);
	assert_int_equal(t->tag, 0);
	free(t->va);
	t->va = NULL;
	tpages_live--;
}

static void t_page_tag_set(void *va, uint16_t tag)
{
	struct tpage *t = tpage_find(va);

	assert_non_null(t);
	t->tag = tag;
}

static uint16_t t_page_tag_get(void *va)
{
	struct tpage *t = tpage_find(va);

	return t ? t->tag : 0;
}

static unsigned bad_frees;
static void *bad_last;
static const char *bad_why;

static void t_bad_free(void *p, const char *why)
{
	bad_frees++;
	bad_last = p;
	bad_why = why;
}

static const struct heap_ops test_ops = {
	.page_alloc = t_page_alloc,
	.page_free = t_page_free,
	.page_tag_set = t_page_tag_set,
	.page_tag_get = t_page_tag_get,
	.bad_free = t_bad_free,
};

static int setup(void **state)
{
	(void)state;
	memset(tpages, 0, sizeof(tpages));
	tpages_live = 0;
	page_budget = UNLIMITED;
	bad_frees = 0;
	bad_last = NULL;
	bad_why = NULL;
	heap_init(&test_ops);
	return 0;
}

/* ---- helpers ---- */

/* Bytes the heap grants for a request: the class size or the block. */
static size_t granted(size_t size)
{
	size_t g = size <= HEAP_SLAB_MAX ? HEAP_SLAB_MIN : PAGE;

	while (g < size)
		g <<= 1;
	return g;
}

/* Alignment every object of this size must have. */
static size_t expected_align(size_t size)
{
	return size <= HEAP_SLAB_MAX ? granted(size) : PAGE;
}

/* A byte that depends on both the object and the offset (a murmur-style
 * mix), so an overlap of any two objects shows up as a mismatch. */
static uint8_t pattern(uint32_t id, size_t i)
{
	uint32_t x = id * 0x9e3779b1u + (uint32_t)i;

	x ^= x >> 15;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	return (uint8_t)x;
}

static void fill(void *p, size_t size, uint32_t id)
{
	for (size_t i = 0; i < size; i++)
		((uint8_t *)p)[i] = pattern(id, i);
}

static void verify(const void *p, size_t size, uint32_t id)
{
	for (size_t i = 0; i < size; i++)
		if (((const uint8_t *)p)[i] != pattern(id, i))
			fail_msg("object %u overwritten at byte %zu", id, i);
}

static void assert_stats_equal(const struct heap_stats *a,
			       const struct heap_stats *b)
{
	assert_int_equal(a->pages, b->pages);
	assert_int_equal(a->cached_pages, b->cached_pages);
	assert_int_equal(a->bytes_in_use, b->bytes_in_use);
	assert_int_equal(a->allocs, b->allocs);
	assert_int_equal(a->frees, b->frees);
}

/* After everything is freed and trimmed, the heap holds nothing. */
static void assert_heap_empty(void)
{
	struct heap_stats st;

	heap_trim();
	heap_stats(&st);
	assert_int_equal(st.pages, 0);
	assert_int_equal(st.bytes_in_use, 0);
	assert_int_equal(st.allocs, st.frees);
	assert_int_equal(tpages_live, 0);
	assert_int_equal(bad_frees, 0);
}

/* kfree(p) must be refused through bad_free, changing nothing. */
static void assert_free_refused(void *p)
{
	struct heap_stats before, after;
	unsigned n = bad_frees;

	heap_stats(&before);
	kfree(p);
	assert_int_equal(bad_frees, n + 1);
	assert_ptr_equal(bad_last, p);
	assert_non_null(bad_why);
	heap_stats(&after);
	assert_stats_equal(&before, &after);
}

static void *page_of(const void *p)
{
	return (void *)((uintptr_t)p & ~(uintptr_t)(PAGE - 1));
}

/* ---- tests ---- */

static void test_class_boundaries(void **state)
{
	static const size_t sizes[] = {
		1, 15, 16, 17, 31, 32, 33, 64, 65, 512, 1000, 1023, 1024, 1025,
		2047, 2048, 2049, 4095, 4096, 4097, 8192, 100000, HEAP_LARGE_MAX,
	};
	void *p[ARRAY_SIZE(sizes)];
	struct heap_stats st;
	size_t bytes = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint16_t tag;

		p[i] = kmalloc(sizes[i]);
		assert_non_null(p[i]);
		assert_true(((uintptr_t)p[i] % expected_align(sizes[i])) == 0);
		tag = t_page_tag_get(page_of(p[i]));
		if (sizes[i] <= HEAP_SLAB_MAX) {
			assert_int_equal(tag >> HEAP_TAG_KIND_SHIFT,
					 HEAP_TAG_SLAB);
		} else {
			assert_ptr_equal(page_of(p[i]), p[i]);
			assert_int_equal(tag, HEAP_TAG(HEAP_TAG_LARGE,
				(unsigned)__builtin_ctzll(granted(sizes[i]) / PAGE)));
		}
		fill(p[i], sizes[i], (uint32_t)i);
		bytes += granted(sizes[i]);
	}
	heap_stats(&st);
	assert_int_equal(st.bytes_in_use, bytes);
	assert_int_equal(st.allocs, ARRAY_SIZE(sizes));
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		verify(p[i], sizes[i], (uint32_t)i);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i]);
	assert_heap_empty();
}

/* Enough objects of every class to span several slabs: each is aligned to
 * its class size, including requests just above the class below. */
static void test_alignment(void **state)
{
	enum { PER_SIZE = 600 };
	void **p = calloc(PER_SIZE, sizeof(*p));

	(void)state;
	assert_non_null(p);
	for (size_t cls = HEAP_SLAB_MIN; cls <= HEAP_SLAB_MAX; cls <<= 1) {
		size_t sizes[] = { cls, cls / 2 + 1 };

		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			for (size_t i = 0; i < PER_SIZE; i++) {
				p[i] = kmalloc(sizes[s]);
				assert_non_null(p[i]);
				assert_int_equal((uintptr_t)p[i] % cls, 0);
			}
			for (size_t i = 0; i < PER_SIZE; i++)
				kfree(p[i]);
		}
	}
	free(p);
	assert_heap_empty();
}

struct span {
	uintptr_t start, end;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Many live objects of mixed sizes: their ranges are disjoint and each
 * keeps its own fill pattern. */
static void test_no_overlap(void **state)
{
	void **p = calloc(MANY, sizeof(*p));
	size_t *size = calloc(MANY, sizeof(*size));
	struct span *sp = calloc(MANY, sizeof(*sp));

	(void)state;
	assert_non_null(p);
	assert_non_null(size);
	assert_non_null(sp);
	srand(1);
	for (size_t i = 0; i < MANY; i++) {
		size[i] = 1 + (size_t)rand() % (i % 10 == 0 ? 3 * PAGE : 700);
		p[i] = kmalloc(size[i]);
		assert_non_null(p[i]);
		fill(p[i], size[i], (uint32_t)i);
		sp[i].start = (uintptr_t)p[i];
		sp[i].end = sp[i].start + granted(size[i]);
	}
	qsort(sp, MANY, sizeof(*sp), span_cmp);
	for (size_t i = 1; i < MANY; i++)
		assert_true(sp[i - 1].end <= sp[i].start);
	for (size_t i = 0; i < MANY; i++)
		verify(p[i], size[i], (uint32_t)i);
	for (size_t i = 0; i < MANY; i++)
		kfree(p[i]);
	free(p);
	free(size);
	free(sp);
	assert_heap_empty();
}

static void assert_zeroed(const void *p, size_t size)
{
	for (size_t i = 0; i < size; i++)
		assert_int_equal(((const uint8_t *)p)[i], 0);
}

static size_t zeroed_bytes;

static void t_zero_pages(void *va, size_t bytes)
{
	assert_true(((uintptr_t)va | bytes) % PAGE == 0);
	zeroed_bytes += bytes;
	memset(va, 0, bytes);
}

/* With a zero_pages op, kzalloc of a large block clears the pages its size
 * reaches into through it (whole pages), a slab object by memset. */
static void test_kzalloc_zero_pages(void **state)
{
	struct heap_ops ops = test_ops;
	void *p, *q;

	(void)state;
	ops.zero_pages = t_zero_pages;
	heap_init(&ops);
	zeroed_bytes = 0;
	p = kmalloc(3 * PAGE);
	assert_non_null(p);
	memset(p, 0xaa, 3 * PAGE);
	kfree(p);
	q = kzalloc(2 * PAGE + 1);
	assert_non_null(q);
	assert_int_equal(zeroed_bytes, 3 * PAGE);
	assert_zeroed(q, 2 * PAGE + 1);
	kfree(q);
	q = kzalloc(HEAP_SLAB_MAX);
	assert_non_null(q);
	assert_int_equal(zeroed_bytes, 3 * PAGE);
	assert_zeroed(q, HEAP_SLAB_MAX);
	kfree(q);
	assert_heap_empty();
}

static void test_kzalloc(void **state)
{
	static const size_t sizes[] = { 1, 200, 1024, 3000, 3 * PAGE };

	(void)state;
	assert_null(kzalloc(0));
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *keep = kmalloc(sizes[i]); /* keeps a slab alive */
		void *p = kmalloc(sizes[i]);
		void *q;

		assert_non_null(keep);
		assert_non_null(p);
		memset(p, 0xaa, sizes[i]);
		kfree(p);
		q = kzalloc(sizes[i]);
		assert_non_null(q);
		if (sizes[i] <= HEAP_SLAB_MAX)
			assert_ptr_equal(q, p); /* the dirty slot, reused */
		assert_zeroed(q, sizes[i]);
		kfree(q);
		kfree(keep);
	}
	assert_heap_empty();
}

static void test_kfree_null(void **state)
{
	struct heap_stats before, after;

	(void)state;
	heap_stats(&before);
	kfree(NULL);
	heap_stats(&after);
	assert_stats_equal(&before, &after);
	assert_int_equal(bad_frees, 0);
	assert_heap_empty();
}

static void test_zero_and_absurd_sizes(void **state)
{
	static const size_t sizes[] = {
		0, HEAP_LARGE_MAX + 1, SIZE_MAX / 2, SIZE_MAX - PAGE, SIZE_MAX,
	};
	struct heap_stats st;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		assert_null(kmalloc(sizes[i]));
		assert_null(kzalloc(sizes[i]));
	}
	heap_stats(&st);
	assert_int_equal(st.allocs, 0);
	assert_int_equal(st.pages, 0);
	assert_heap_empty();
}

static void test_double_free_slab(void **state)
{
	void *p = kmalloc(32), *q = kmalloc(32), *a, *b;

	(void)state;
	assert_non_null(p);
	assert_non_null(q);
	kfree(p);
	assert_free_refused(p);
	assert_string_equal(bad_why, "double free");
	/* The refused free did not put p on the free map twice. */
	a = kmalloc(32);
	b = kmalloc(32);
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(b, q);
	kfree(a);
	kfree(b);
	kfree(q);
	/* q's slab is the class's last: it is kept, so this is still caught
	 * by the bitmap. */
	assert_free_refused(q);
	bad_frees = 0;
	assert_heap_empty();
}

static void test_double_free_large(void **state)
{
	void *p = kmalloc(10000);

	(void)state;
	assert_non_null(p);
	kfree(p);
	assert_free_refused(p); /* its page is gone: no tag */
	bad_frees = 0;
	assert_heap_empty();
}

/* A double free into a slab page already given back is caught by the tag,
 * without touching the page. */
static void test_double_free_released_slab(void **state)
{
	enum { PER_SLAB = PAGE / 64 - 1, N = 2 * PER_SLAB + 2 }; /* 3 slabs */
	void *p[N];

	(void)state;
	for (size_t i = 0; i < N; i++) {
		p[i] = kmalloc(64);
		assert_non_null(p[i]);
	}
	for (size_t i = 0; i < N; i++)
		kfree(p[i]);
	assert_int_equal(tpages_live, 1); /* only the last slab is kept */
	for (size_t i = 0; i < N; i++)
		if (!t_page_tag_get(page_of(p[i])))
			assert_free_refused(p[i]);
	assert_int_equal(bad_frees, 2 * PER_SLAB); /* two slabs' worth */
	bad_frees = 0;
	assert_heap_empty();
}

static int global_object;

static void test_foreign_and_interior(void **state)
{
	int local;
	char *host = malloc(64);
	char *s = kmalloc(32), *big = kmalloc(2 * PAGE);

	(void)state;
	assert_non_null(host);
	assert_non_null(s);
	assert_non_null(big);
	assert_free_refused(&local);
	assert_free_refused(&global_object);
	assert_free_refused(host);
	assert_free_refused(s + 1);
	assert_free_refused(s + HEAP_SLAB_MIN); /* middle of a 32-byte object */
	assert_free_refused(page_of(s));        /* the slab header */
	assert_free_refused(big + 1);
	assert_free_refused(big + PAGE);        /* second page of the block */
	/* Nothing was harmed: both objects still free normally. */
	kfree(s);
	kfree(big);
	free(host);
	bad_frees = 0;
	assert_heap_empty();
}

/* Entirely free slabs go back, except the last one of the class. */
static void test_slab_pages_given_back(void **state)
{
	enum { PER_SLAB = PAGE / 64 - 1, N = 3 * PER_SLAB };
	void *p[N];
	struct heap_stats st;

	(void)state;
	for (size_t i = 0; i < N; i++)
		p[i] = kmalloc(64);
	heap_stats(&st);
	assert_int_equal(st.pages, 3);
	/* Free every other object first: no slab becomes empty. */
	for (size_t i = 0; i < N; i += 2)
		kfree(p[i]);
	heap_stats(&st);
	assert_int_equal(st.pages, 3);
	for (size_t i = 1; i < N; i += 2)
		kfree(p[i]);
	heap_stats(&st);
	assert_int_equal(st.pages, 1);
	assert_int_equal(st.bytes_in_use, 0);
	assert_heap_empty();
}

static void test_exhaustion(void **state)
{
	enum { PER_SLAB = (PAGE - 64) / HEAP_SLAB_MIN };
	void *p[PER_SLAB];
	struct heap_stats st;

	(void)state;
	page_budget = 0;
	assert_null(kmalloc(1));
	assert_null(kmalloc(5000));
	assert_null(kzalloc(100));
	heap_stats(&st);
	assert_int_equal(st.allocs, 0);
	assert_int_equal(st.pages, 0);

	page_budget = 1;
	for (size_t i = 0; i < PER_SLAB; i++) {
		p[i] = kmalloc(HEAP_SLAB_MIN);
		assert_non_null(p[i]);
	}
	assert_null(kmalloc(HEAP_SLAB_MIN)); /* slab full, no page left */
	heap_stats(&st);
	assert_int_equal(st.allocs, PER_SLAB);
	page_budget = UNLIMITED;
	for (size_t i = 0; i < PER_SLAB; i++)
		kfree(p[i]);
	assert_heap_empty();
}

static void test_stats(void **state)
{
	struct heap_stats st;
	void *a = kmalloc(17), *b = kmalloc(100), *c = kmalloc(3 * PAGE);

	(void)state;
	heap_stats(&st);
	assert_int_equal(st.allocs, 3);
	assert_int_equal(st.frees, 0);
	assert_int_equal(st.bytes_in_use, 32 + 128 + 4 * PAGE);
	assert_int_equal(st.pages, 1 + 1 + 4);
	assert_int_equal(st.cached_pages, 0);
	kfree(b);
	kfree(c);
	heap_stats(&st);
	assert_int_equal(st.frees, 2);
	assert_int_equal(st.bytes_in_use, 32);
	assert_int_equal(st.pages, 2); /* the empty 128 slab is kept */
	assert_int_equal(st.cached_pages, 1);
	kfree(a);
	heap_stats(&st);
	assert_int_equal(st.cached_pages, 2); /* and now the 32 one */
	b = kmalloc(100);
	heap_stats(&st);
	assert_int_equal(st.cached_pages, 1); /* the 128 slab is in use again */
	kfree(b);
	heap_trim();
	heap_stats(&st);
	assert_int_equal(st.cached_pages, 0);
	assert_heap_empty();
}

/* fail_now answers for each kmalloc of a valid size, before any page is
 * asked for: a refused request changes nothing, kzalloc included. */
static unsigned fail_asked;
static bool fail_answer;

static bool t_fail_now(void)
{
	fail_asked++;
	return fail_answer;
}

static void test_fail_now(void **state)
{
	struct heap_ops ops = test_ops;
	struct heap_stats before, after;
	void *keep;

	(void)state;
	ops.fail_now = t_fail_now;
	heap_init(&ops);
	fail_asked = 0;
	fail_answer = false;
	keep = kmalloc(40);
	assert_non_null(keep);
	assert_int_equal(fail_asked, 1);
	heap_stats(&before);
	fail_answer = true;
	assert_null(kmalloc(40));
	assert_null(kzalloc(100));
	assert_null(kmalloc(3 * PAGE));
	assert_int_equal(fail_asked, 4);
	assert_null(kmalloc(0)); /* not a valid size: not asked */
	assert_int_equal(fail_asked, 4);
	heap_stats(&after);
	assert_stats_equal(&before, &after);
	fail_answer = false;
	kfree(keep);
	assert_heap_empty();
}

static void test_uninitialised(void **state)
{
	(void)state;
	heap_init(NULL);
	assert_null(kmalloc(16));
	kfree(NULL);
	heap_trim();
	assert_int_equal(tpages_live, 0);
}

/* ---- randomized stress ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Mostly small objects, some pages, a few big blocks. */
static size_t random_size(void)
{
	unsigned r = (unsigned)(rng_next() % PERCENT);

	if (r < 80)
		return 1 + rng_next() % HEAP_SLAB_MAX;
	if (r < 97)
		return HEAP_SLAB_MAX + 1 + rng_next() % (4 * PAGE);
	return 1 + rng_next() % (64 * PAGE);
}

struct obj {
	void *p;
	size_t size;
	uint32_t id;
};

static void test_stress(void **state)
{
	struct obj *live = calloc(STRESS_MAX_LIVE, sizeof(*live));
	size_t nlive = 0;
	uint32_t next_id = 0;

	(void)state;
	assert_non_null(live);
	rng_state = STRESS_SEED;
	for (int op = 0; op < STRESS_OPS; op++) {
		bool do_alloc = nlive == 0 || (nlive < STRESS_MAX_LIVE &&
					       rng_next() % PERCENT < 55);

		if (do_alloc) {
			struct obj *o = &live[nlive++];

			o->size = random_size();
			o->id = next_id++;
			o->p = rng_next() & 1 ? kmalloc(o->size) : kzalloc(o->size);
			assert_non_null(o->p);
			assert_int_equal((uintptr_t)o->p % expected_align(o->size), 0);
			fill(o->p, o->size, o->id);
		} else {
			size_t i = rng_next() % nlive;

			verify(live[i].p, live[i].size, live[i].id);
			kfree(live[i].p);
			live[i] = live[--nlive];
		}
		if (op % STRESS_VERIFY_EVERY == 0)
			for (size_t i = 0; i < nlive; i++)
				verify(live[i].p, live[i].size, live[i].id);
	}
	while (nlive > 0) {
		nlive--;
		verify(live[nlive].p, live[nlive].size, live[nlive].id);
		kfree(live[nlive].p);
	}
	free(live);
	assert_heap_empty();
}

#define HEAP_TEST(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		HEAP_TEST(test_class_boundaries),
		HEAP_TEST(test_alignment),
		HEAP_TEST(test_no_overlap),
		HEAP_TEST(test_kzalloc),
		HEAP_TEST(test_kzalloc_zero_pages),
		HEAP_TEST(test_kfree_null),
		HEAP_TEST(test_zero_and_absurd_sizes),
		HEAP_TEST(test_double_free_slab),
		HEAP_TEST(test_double_free_large),
		HEAP_TEST(test_double_free_released_slab),
		HEAP_TEST(test_foreign_and_interior),
		HEAP_TEST(test_slab_pages_given_back),
		HEAP_TEST(test_exhaustion),
		HEAP_TEST(test_stats),
		HEAP_TEST(test_fail_now),
		HEAP_TEST(test_uninitialised),
		HEAP_TEST(test_stress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
