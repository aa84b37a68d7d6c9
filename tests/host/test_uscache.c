/*
 * tests/host/test_uscache.c: the stat cache's table (kernel/scheme/uscache.c)
 * and the change stamp (kernel/scheme/usgen.h): an answer (a status, or that
 * the path names nothing) is given back only for its own owner, path and
 * flags at the stamp it was kept at; a full
 * probe window evicts; forgetting an owner empties its slots only; a
 * mutating request moves the stamp for good and leaves it unsettled while
 * in flight, for good if abandoned or if the count saturates; reading
 * requests leave it alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kernel/scheme/uscache.h"
#include "kernel/scheme/usgen.h"
#include "syscall/abi/abi_fs.h"

static struct uscache cache;
static const int owner_a, owner_b; /* two schemes: their addresses */

static struct uscache_key key(const void *owner, const char *path, int flags)
{
	struct uscache_key k = { .owner = owner, .path = path, .len = strlen(path), .flags = flags };

	uscache_key_hash(&k);
	return k;
}

static struct abi_stat status(uint64_t size)
{
	struct abi_stat st;

	memset(&st, 0, sizeof(st));
	st.st_size = (int64_t)size;
	return st;
}

static int64_t size_at(const void *owner, const char *path, int flags, uint64_t stamp)
{
	struct uscache_key k = key(owner, path, flags);
	const struct uscache_slot *s = uscache_get(&cache, &k, stamp);

	return s ? s->st.st_size : -1;
}

static void put(const void *owner, const char *path, int flags, uint64_t stamp, uint64_t size)
{
	struct uscache_key k = key(owner, path, flags);
	struct abi_stat st = status(size);

	uscache_put(&cache, &k, stamp, &st, ABI_S_IFREG);
}

static void test_keys(void **state)
{
	(void)state;
	memset(&cache, 0, sizeof(cache));
	put(&owner_a, "tmp/a", ABI_O_PATH, 7, 10);
	assert_int_equal(size_at(&owner_a, "tmp/a", ABI_O_PATH, 7), 10);
	/* Another stamp, owner, flags or path: nothing. */
	assert_int_equal(size_at(&owner_a, "tmp/a", ABI_O_PATH, 8), -1);
	assert_int_equal(size_at(&owner_b, "tmp/a", ABI_O_PATH, 7), -1);
	assert_int_equal(size_at(&owner_a, "tmp/a", ABI_O_PATH | ABI_O_NOFOLLOW, 7), -1);
	assert_int_equal(size_at(&owner_a, "tmp/ab", ABI_O_PATH, 7), -1);
	assert_int_equal(size_at(&owner_a, "tmp/", ABI_O_PATH, 7), -1);
	/* A newer answer replaces the old one; a stale one is not given. */
	put(&owner_a, "tmp/a", ABI_O_PATH, 9, 20);
	assert_int_equal(size_at(&owner_a, "tmp/a", ABI_O_PATH, 9), 20);
	assert_int_equal(size_at(&owner_a, "tmp/a", ABI_O_PATH, 7), -1);
	/* lstat's answer beside stat's. */
	put(&owner_a, "tmp/a", ABI_O_PATH | ABI_O_NOFOLLOW, 9, 5);
	assert_int_equal(size_at(&owner_a, "tmp/a", ABI_O_PATH, 9), 20);
	assert_int_equal(size_at(&owner_a, "tmp/a", ABI_O_PATH | ABI_O_NOFOLLOW, 9), 5);
	/* The scheme's root, "", is a path like any. */
	put(&owner_b, "", ABI_O_PATH, 1, 3);
	assert_int_equal(size_at(&owner_b, "", ABI_O_PATH, 1), 3);
}

static void test_missing(void **state)
{
	struct uscache_key k = key(&owner_a, "tmp/none", ABI_O_PATH);
	const struct uscache_slot *s;

	(void)state;
	memset(&cache, 0, sizeof(cache));
	uscache_put(&cache, &k, 3, NULL, 0);
	s = uscache_get(&cache, &k, 3);
	assert_non_null(s);
	assert_true(s->missing);
	assert_null(uscache_get(&cache, &k, 4));
	/* The name made: its status replaces the ENOENT. */
	put(&owner_a, "tmp/none", ABI_O_PATH, 5, 8);
	s = uscache_get(&cache, &k, 5);
	assert_non_null(s);
	assert_false(s->missing);
	assert_int_equal(s->st.st_size, 8);
}

static void test_long_key(void **state)
{
	char path[USCACHE_KEY_MAX + 2];

	(void)state;
	memset(&cache, 0, sizeof(cache));
	memset(path, 'x', USCACHE_KEY_MAX);
	path[USCACHE_KEY_MAX] = '\0';
	put(&owner_a, path, ABI_O_PATH, 1, 4);
	assert_int_equal(size_at(&owner_a, path, ABI_O_PATH, 1), 4);
	path[USCACHE_KEY_MAX] = 'x';
	path[USCACHE_KEY_MAX + 1] = '\0';
	put(&owner_a, path, ABI_O_PATH, 1, 5);
	assert_int_equal(size_at(&owner_a, path, ABI_O_PATH, 1), -1);
}

/* More keys than slots: every answer given back is its own, the last
 * kept is there, and the table never holds more than it has. */
static void test_eviction(void **state)
{
	char path[16];
	unsigned found = 0;

	(void)state;
	memset(&cache, 0, sizeof(cache));
	for (unsigned i = 0; i < 4 * USCACHE_SLOTS; i++) {
		snprintf(path, sizeof(path), "f%u", i);
		put(&owner_a, path, ABI_O_PATH, 1, i);
		assert_int_equal(size_at(&owner_a, path, ABI_O_PATH, 1), i);
	}
	for (unsigned i = 0; i < 4 * USCACHE_SLOTS; i++) {
		int64_t size;

		snprintf(path, sizeof(path), "f%u", i);
		size = size_at(&owner_a, path, ABI_O_PATH, 1);
		assert_true(size == -1 || size == (int64_t)i);
		found += size >= 0;
	}
	assert_true(found > 0 && found <= USCACHE_SLOTS);
}

static void test_forget(void **state)
{
	(void)state;
	memset(&cache, 0, sizeof(cache));
	put(&owner_a, "x", ABI_O_PATH, 1, 1);
	put(&owner_b, "x", ABI_O_PATH, 1, 2);
	uscache_forget(&cache, &owner_a);
	assert_int_equal(size_at(&owner_a, "x", ABI_O_PATH, 1), -1);
	assert_int_equal(size_at(&owner_b, "x", ABI_O_PATH, 1), 2);
}

static struct scheme_request request(uint16_t op, uint64_t arg1, uint64_t arg2)
{
	struct scheme_request p = { .op = op };

	p.args[1] = arg1;
	p.args[2] = arg2;
	return p;
}

static void test_mutates(void **state)
{
	static const uint16_t reads[] = { SCHEME_OP_READ, SCHEME_OP_SEEK, SCHEME_OP_FSTAT,
					  SCHEME_OP_FSTATVFS, SCHEME_OP_GETDENTS,
					  SCHEME_OP_READLINK };
	struct scheme_request p;

	(void)state;
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		p = request(reads[i], 0, 0);
		assert_false(usgen_mutates(&p));
	}
	p = request(SCHEME_OP_OPEN, ABI_O_RDONLY, 0);
	assert_false(usgen_mutates(&p));
	p = request(SCHEME_OP_OPEN, ABI_O_PATH | ABI_O_NOFOLLOW, 0);
	assert_false(usgen_mutates(&p));
	p = request(SCHEME_OP_OPEN, ABI_O_RDONLY | ABI_O_CREAT, 0);
	assert_true(usgen_mutates(&p));
	p = request(SCHEME_OP_OPEN, ABI_O_RDONLY | ABI_O_TRUNC, 0);
	assert_true(usgen_mutates(&p));
	p = request(SCHEME_OP_OPEN, ABI_O_WRONLY, 0);
	assert_true(usgen_mutates(&p));
	p = request(SCHEME_OP_FMAP, 0, VM_READ);
	assert_false(usgen_mutates(&p));
	p = request(SCHEME_OP_FMAP, 0, VM_READ | VM_WRITE);
	assert_true(usgen_mutates(&p));
	for (uint16_t op = SCHEME_OP_WRITE; op < SCHEME_OP_COUNT; op++) {
		p = request(op, 0, 0);
		if (op != SCHEME_OP_SEEK && op != SCHEME_OP_FSTAT && op != SCHEME_OP_FSTATVFS &&
		    op != SCHEME_OP_GETDENTS && op != SCHEME_OP_READLINK && op != SCHEME_OP_FMAP)
			assert_true(usgen_mutates(&p));
	}
}

static void test_stamp(void **state)
{
	struct scheme_request w = request(SCHEME_OP_WRITE, 0, 0), r = request(SCHEME_OP_READ, 0, 0);
	struct usgen g = { 0 };
	uint64_t s0, s1;

	(void)state;
	s0 = usgen_stamp(&g);
	assert_true(usgen_settled(s0));
	assert_false(usgen_sent_locked(&g, &r));
	assert_int_equal(usgen_stamp(&g), s0);
	/* In flight: unsettled; ended: settled at a new stamp. */
	assert_true(usgen_sent_locked(&g, &w));
	s1 = usgen_stamp(&g);
	assert_false(usgen_settled(s1));
	assert_true(usgen_sent_locked(&g, &w));
	usgen_done_locked(&g, false);
	assert_false(usgen_settled(usgen_stamp(&g)));
	usgen_done_locked(&g, false);
	assert_true(usgen_settled(usgen_stamp(&g)));
	assert_true(usgen_stamp(&g) != s0 && usgen_stamp(&g) != s1);
	/* Abandoned while the daemon holds it: unsettled for good. */
	assert_true(usgen_sent_locked(&g, &w));
	usgen_done_locked(&g, true);
	for (int i = 0; i < 3; i++) {
		assert_true(usgen_sent_locked(&g, &w));
		usgen_done_locked(&g, false);
	}
	assert_false(usgen_settled(usgen_stamp(&g)));
}

static void test_saturation(void **state)
{
	struct scheme_request w = request(SCHEME_OP_UNLINK, 0, 0);
	struct usgen g = { 0 };

	(void)state;
	for (uint64_t i = 0; i < USGEN_MUT_MAX + 2; i++)
		usgen_sent_locked(&g, &w);
	assert_int_equal(usgen_stamp(&g) & USGEN_MUT_MAX, USGEN_MUT_MAX);
	for (uint64_t i = 0; i < USGEN_MUT_MAX + 2; i++)
		usgen_done_locked(&g, false);
	/* The count was lost: it stays full, never settled again. */
	assert_false(usgen_settled(usgen_stamp(&g)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),     cmocka_unit_test(test_missing),
		cmocka_unit_test(test_long_key),
		cmocka_unit_test(test_eviction), cmocka_unit_test(test_forget),
		cmocka_unit_test(test_mutates),  cmocka_unit_test(test_stamp),
		cmocka_unit_test(test_saturation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
