/*
 * tests/host/test_initfsd_pcache.c: host unit test of file:'s path cache
 * (drivers/initfsd/initfsd_pcache.c): a path put is found with its inode,
 * keys differing in one byte, in length or past the first words are not
 * confused, paths whose hashes share a home slot all stay (collisions),
 * a full probe window evicts one and never answers a wrong inode, a flush
 * forgets all, a key too long is not kept, following a final link or not
 * are two keys; and initfsd_pcache_plain accepts only plain paths through
 * directories anyone may search, a final link followed only to a name in
 * its own directory that is no link.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/initfsd/initfsd_pcache.h"
#include "tests/host/ramfs_testmem.h"

#define BUDGET 64 /* pages: the tree has no data */
#define MANY (4 * (int)PCACHE_SLOTS)

static struct pcache pc;
/* Distinct addresses standing for inodes (the table never reads them). */
static struct ramfs_inode nodes[MANY];

static void put(const char *path, struct ramfs_inode *n)
{
	initfsd_pcache_put(&pc, path, strlen(path), true, n);
}

static struct ramfs_inode *get(const char *path)
{
	return initfsd_pcache_get(&pc, path, strlen(path), true);
}

static int reset(void **state)
{
	(void)state;
	initfsd_pcache_init(&pc);
	return 0;
}

static void test_put_get(void **state)
{
	(void)state;
	assert_null(get("tmp/a"));
	put("tmp/a", &nodes[0]);
	put("tmp/b", &nodes[1]);
	put("tmp/bench_a/bench_b/bench_c", &nodes[2]);
	put("", &nodes[3]);
	assert_ptr_equal(get("tmp/a"), &nodes[0]);
	assert_ptr_equal(get("tmp/b"), &nodes[1]);
	assert_ptr_equal(get("tmp/bench_a/bench_b/bench_c"), &nodes[2]);
	assert_ptr_equal(get(""), &nodes[3]);
	/* One byte off anywhere, or a prefix, or longer: not the same key. */
	assert_null(get("tmp/bench_a/bench_b/bench_d"));
	assert_null(get("tmp/bench_a/bench_x/bench_c"));
	assert_null(get("tmp/bench_a/bench_b/bench_"));
	assert_null(get("tmp/bench_a/bench_b/bench_cc"));
	assert_null(get("tmp/"));
	/* The length given is the key: the bytes past it do not count. */
	assert_ptr_equal(initfsd_pcache_get(&pc, "tmp/a/x", 5, true), &nodes[0]);
	/* Following a final link or not: two keys. */
	assert_null(initfsd_pcache_get(&pc, "tmp/a", 5, false));
	initfsd_pcache_put(&pc, "tmp/a", 5, false, &nodes[5]);
	assert_ptr_equal(initfsd_pcache_get(&pc, "tmp/a", 5, false), &nodes[5]);
	assert_ptr_equal(get("tmp/a"), &nodes[0]);
	/* Putting a key again replaces its inode. */
	put("tmp/a", &nodes[4]);
	assert_ptr_equal(get("tmp/a"), &nodes[4]);
}

/* Paths whose home slots are the same: each found with its own inode. */
static void test_collisions(void **state)
{
	char names[PCACHE_PROBE][32];
	uint64_t home = initfsd_pcache_hash("f0", 2) % PCACHE_SLOTS;
	int found = 1;

	(void)state;
	strcpy(names[0], "f0");
	for (int i = 1; found < (int)PCACHE_PROBE && i < 1000000; i++) {
		snprintf(names[found], sizeof(names[found]), "f%d", i);
		if (initfsd_pcache_hash(names[found], strlen(names[found])) % PCACHE_SLOTS == home)
			found++;
	}
	assert_int_equal(found, PCACHE_PROBE);
	for (int i = 0; i < found; i++)
		put(names[i], &nodes[i]);
	for (int i = 0; i < found; i++)
		assert_ptr_equal(get(names[i]), &nodes[i]);
}

/* Far more paths than slots: every answer is the right inode or none,
 * and the latest ones are there. */
static void test_eviction(void **state)
{
	char name[32];
	int hits = 0;

	(void)state;
	for (int i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "dir/file%d", i);
		put(name, &nodes[i]);
		assert_ptr_equal(get(name), &nodes[i]);
	}
	for (int i = 0; i < MANY; i++) {
		struct ramfs_inode *n;

		snprintf(name, sizeof(name), "dir/file%d", i);
		n = get(name);
		if (n != NULL) {
			assert_ptr_equal(n, &nodes[i]);
			hits++;
		}
	}
	assert_true(hits > 0 && hits <= (int)PCACHE_SLOTS);
}

static void test_flush_and_long(void **state)
{
	char longpath[PCACHE_KEY_MAX + 2];

	(void)state;
	put("etc/passwd", &nodes[0]);
	initfsd_pcache_flush(&pc);
	assert_null(get("etc/passwd"));
	put("etc/passwd", &nodes[1]);
	assert_ptr_equal(get("etc/passwd"), &nodes[1]);
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	put(longpath, &nodes[2]);
	assert_null(get(longpath));
	longpath[PCACHE_KEY_MAX] = '\0'; /* the longest kept */
	put(longpath, &nodes[3]);
	assert_ptr_equal(get(longpath), &nodes[3]);
}

static const struct ramfs_cred root = { 0 };
static struct walk w;

/* Makes path with mode (0: only finds it), and returns its inode. */
static struct ramfs_inode *make(struct ramfs *fs, const char *path, uint32_t mode)
{
	struct ramfs_inode *n;

	if (mode == 0) {
		/* Only found: made before (a link, by ramfs_symlink). */
	} else if ((mode & RAMFS_S_IFMT) == RAMFS_S_IFDIR) {
		assert_int_equal(ramfs_mkdir(fs, &root, path, mode, &w), 0);
	} else {
		assert_int_equal(ramfs_open(fs, &root, path, RAMFS_O_CREAT | RAMFS_O_WRONLY, mode,
					    &w, &n), 0);
		ramfs_release(fs, n);
	}
	assert_int_equal(ramfs_open(fs, &root, path, RAMFS_O_PATH | RAMFS_O_NOFOLLOW, 0, &w, &n), 0);
	ramfs_release(fs, n);
	return n;
}

/* What plain says of path, followed and not. */
static void plain(struct ramfs *fs, const char *path, struct ramfs_inode *followed,
		  struct ramfs_inode *itself)
{
	assert_ptr_equal(initfsd_pcache_plain(fs, path, true), followed);
	assert_ptr_equal(initfsd_pcache_plain(fs, path, false), itself);
}

static void test_plain(void **state)
{
	struct ramfs_inode *a, *b, *f, *priv, *lf;
	struct ramfs fs;

	(void)state;
	testmem_fs(&fs, BUDGET);
	a = make(&fs, "a", RAMFS_S_IFDIR | 0755);
	b = make(&fs, "a/b", RAMFS_S_IFDIR | 01777);
	f = make(&fs, "a/b/f", RAMFS_S_IFREG | 0600);
	priv = make(&fs, "p", RAMFS_S_IFDIR | 0700);
	make(&fs, "p/g", RAMFS_S_IFREG | 0644);
	make(&fs, "q", RAMFS_S_IFDIR | 0754);
	make(&fs, "q/g", RAMFS_S_IFREG | 0644);
	assert_int_equal(ramfs_symlink(&fs, &root, "a", "l", &w), 0);
	assert_int_equal(ramfs_symlink(&fs, &root, "f", "a/b/lf", &w), 0);
	lf = make(&fs, "a/b/lf", 0); /* found again, not made */

	plain(&fs, "", fs.root, fs.root);
	plain(&fs, "a", a, a);
	plain(&fs, "/a/b", b, b);
	plain(&fs, "a/b/f", f, f);
	/* The final inode's own mode is checked at each hit, not here. */
	plain(&fs, "p", priv, priv);
	/* A final link to a name in its directory: its target, or itself. */
	plain(&fs, "a/b/lf", f, lf);
	/* Not plain: ".", "..", "//", a trailing '/', a link on the way, a
	 * missing entry, a file as a directory. */
	plain(&fs, "a/./b", NULL, NULL);
	plain(&fs, "a/b/../b", NULL, NULL);
	plain(&fs, "a//b", NULL, NULL);
	plain(&fs, "a/b/", NULL, NULL);
	plain(&fs, "l/b/f", NULL, NULL);
	plain(&fs, "a/x", NULL, NULL);
	plain(&fs, "a/b/f/g", NULL, NULL);
	/* A directory some caller may not search. */
	plain(&fs, "p/g", NULL, NULL);
	plain(&fs, "q/g", NULL, NULL);
	/* Missing for everyone: a name not there, in directories anyone may
	 * search (also with more after it); not: a name that is there, or
	 * not there in a directory some caller may not search, or past a
	 * file, a link or a dot. */
	assert_true(initfsd_pcache_missing(&fs, "a/x"));
	assert_true(initfsd_pcache_missing(&fs, "/a/b/x"));
	assert_true(initfsd_pcache_missing(&fs, "x/y"));
	assert_false(initfsd_pcache_missing(&fs, "a/b/f"));
	assert_false(initfsd_pcache_missing(&fs, ""));
	assert_false(initfsd_pcache_missing(&fs, "p/x"));
	assert_false(initfsd_pcache_missing(&fs, "q/x"));
	assert_false(initfsd_pcache_missing(&fs, "a/b/f/x"));
	assert_false(initfsd_pcache_missing(&fs, "l/x"));
	assert_false(initfsd_pcache_missing(&fs, "a/./x"));
	ramfs_destroy(&fs);
}

/* Final links whose targets are more than a name here: followed, never
 * cached; not followed, the link itself. */
static void test_plain_links(void **state)
{
	static const char *const targets[] = {
		"d/f", "/a/f", "..", ".", "x:y", "l2", "missing",
	};
	struct ramfs_inode *l;
	struct ramfs fs;
	char name[16];

	(void)state;
	testmem_fs(&fs, BUDGET);
	make(&fs, "a", RAMFS_S_IFDIR | 0755);
	make(&fs, "a/f", RAMFS_S_IFREG | 0644);
	make(&fs, "a/d", RAMFS_S_IFDIR | 0755);
	make(&fs, "a/d/f", RAMFS_S_IFREG | 0644);
	assert_int_equal(ramfs_symlink(&fs, &root, "f", "a/l2", &w), 0);
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		snprintf(name, sizeof(name), "a/t%zu", i);
		assert_int_equal(ramfs_symlink(&fs, &root, targets[i], name, &w), 0);
		l = make(&fs, name, 0);
		plain(&fs, name, NULL, l);
	}
	ramfs_destroy(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_put_get, reset),
		cmocka_unit_test_setup(test_collisions, reset),
		cmocka_unit_test_setup(test_eviction, reset),
		cmocka_unit_test_setup(test_flush_and_long, reset),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_plain_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
