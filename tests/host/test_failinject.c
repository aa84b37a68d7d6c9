/*
 * tests/host/test_failinject.c: host unit test of mm/failinject.c, the rule
 * behind the failalloc=N[,START] knob: which values parse, and exactly which
 * allocations (numbered from 1) fail: those after the first START whose
 * hash is a multiple of N, about one in N, with no period a loop could
 * fall in step with.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "mm/failinject.h"
#include "kernel/lib/errno.h"

#define RUN 1000          /* allocations counted per pattern check */
#define RATE_RUN 100000   /* allocations counted per rate check */
#define RATE_SLACK 10     /* percent the failure rate may be off by */
#define PERCENT 100
#define TURNS 200         /* turns of a simulated retry loop */

static void parse(struct failinject *fi, uint64_t every, uint64_t skip)
{
	char spec[64];

	snprintf(spec, sizeof(spec), "%lu,%lu", (unsigned long)every, (unsigned long)skip);
	assert_int_equal(failinject_parse(fi, spec), 0);
	assert_int_equal(fi->every, every);
	assert_int_equal(fi->skip, skip);
}

/* Counts RUN allocations and checks each against the rule's definition. */
static void check_pattern(uint64_t every, uint64_t skip)
{
	struct failinject fi;
	uint64_t want_failed = 0;

	parse(&fi, every, skip);
	for (uint64_t k = 1; k <= RUN; k++) {
		bool want = k > skip && failinject_hash(k) % every == 0;

		if (want)
			want_failed++;
		assert_int_equal(failinject_next(&fi), want);
	}
	assert_int_equal(fi.count, RUN);
	assert_int_equal(fi.failed, want_failed);
}

/* SplitMix64's first output from seed 0 is the finalizer of its first
 * state, the golden-ratio increment: a published test vector. */
static void test_hash(void **state)
{
	(void)state;
	assert_true(failinject_hash(0x9e3779b97f4a7c15ULL) == 0xe220a8397b1dcdafULL);
	assert_true(failinject_hash(1) != failinject_hash(2));
}

static void test_patterns(void **state)
{
	(void)state;
	check_pattern(1, 0);   /* everything fails */
	check_pattern(1, 10);  /* everything after the first 10 */
	check_pattern(2, 0);
	check_pattern(7, 0);
	check_pattern(7, 3);
	check_pattern(50, 0);
	check_pattern(2, RUN); /* never within the run */
}

static void test_every_one(void **state)
{
	struct failinject fi;

	(void)state;
	parse(&fi, 1, 3);
	for (int k = 1; k <= 3; k++)
		assert_false(failinject_next(&fi));
	for (int k = 4; k <= 10; k++)
		assert_true(failinject_next(&fi));
	assert_int_equal(fi.count, 10);
	assert_int_equal(fi.failed, 7);
}

/* About one in N fails. */
static void test_rate(void **state)
{
	static const uint64_t ns[] = { 2, 3, 5, 7, 13, 50 };

	(void)state;
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct failinject fi;
		uint64_t want = RATE_RUN / ns[i];

		parse(&fi, ns[i], 0);
		for (int k = 0; k < RATE_RUN; k++)
			failinject_next(&fi);
		if (fi.failed * PERCENT < want * (PERCENT - RATE_SLACK) ||
		    fi.failed * PERCENT > want * (PERCENT + RATE_SLACK))
			fail_msg("N=%lu: %lu of %d failed", (unsigned long)ns[i],
				 (unsigned long)fi.failed, RATE_RUN);
	}
}

/*
 * A loop whose every turn makes `per_turn` allocations, a multiple of N:
 * every position in the turn still fails in some turn, and some turns
 * fail nowhere (so a program retrying such a call gets through).
 */
static void check_no_aliasing(uint64_t every, int per_turn)
{
	struct failinject fi;
	bool hit[64] = { false };
	int clean_turns = 0;

	assert_true(per_turn <= 64);
	parse(&fi, every, 0);
	for (int t = 0; t < TURNS; t++) {
		bool clean = true;

		for (int i = 0; i < per_turn; i++) {
			if (failinject_next(&fi)) {
				hit[i] = true;
				clean = false;
			}
		}
		clean_turns += clean;
	}
	for (int i = 0; i < per_turn; i++)
		if (!hit[i])
			fail_msg("N=%lu, %d per turn: position %d never failed",
				 (unsigned long)every, per_turn, i);
	assert_true(clean_turns > 0);
}

static void test_no_aliasing(void **state)
{
	(void)state;
	check_no_aliasing(2, 4);
	check_no_aliasing(3, 3);
	check_no_aliasing(5, 5);
	check_no_aliasing(5, 10);
}

/* The same numbers fail in every run. */
static void test_repeatable(void **state)
{
	struct failinject a, b;

	(void)state;
	parse(&a, 3, 5);
	parse(&b, 3, 5);
	for (int k = 0; k < RUN; k++)
		assert_int_equal(failinject_next(&a), failinject_next(&b));
	assert_int_equal(a.failed, b.failed);
}

static void test_zeroed(void **state)
{
	struct failinject fi = { 0 };

	(void)state;
	for (int i = 0; i < RUN; i++)
		assert_false(failinject_next(&fi));
	assert_int_equal(fi.failed, 0);
}

static void test_bad_values(void **state)
{
	static const char *const bad[] = {
		"", "0", "0,5", ",", "3,", ",3", "x", "3x", "3,x", "3,4,5", "-3", "+3", " 3",
		"3 ", "3,-1", "3,,4", "1234567890123456789", "1,1234567890123456789",
	};
	struct failinject fi = { .every = 42, .skip = 43, .count = 44, .failed = 45 };

	(void)state;
	assert_int_equal(failinject_parse(&fi, NULL), -EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (failinject_parse(&fi, bad[i]) != -EINVAL)
			fail_msg("\"%s\" was accepted", bad[i]);
	}
	/* Refused values leave the struct as it was. */
	assert_int_equal(fi.every, 42);
	assert_int_equal(fi.skip, 43);
	assert_int_equal(fi.count, 44);
	assert_int_equal(fi.failed, 45);
}

static void test_good_values(void **state)
{
	struct failinject fi = { .count = 7, .failed = 3 };

	(void)state;
	assert_int_equal(failinject_parse(&fi, "1"), 0);
	assert_int_equal(fi.every, 1);
	assert_int_equal(fi.count, 0); /* counters restart */
	assert_int_equal(fi.failed, 0);
	assert_int_equal(failinject_parse(&fi, "123456789012345678,0"), 0);
	assert_int_equal(fi.every, 123456789012345678ULL);
	assert_int_equal(fi.skip, 0);
	assert_int_equal(failinject_parse(&fi, "10,007"), 0);
	assert_int_equal(fi.every, 10);
	assert_int_equal(fi.skip, 7); /* decimal, leading zeros allowed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_every_one),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_no_aliasing),
		cmocka_unit_test(test_repeatable),
		cmocka_unit_test(test_zeroed),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_good_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
