/*
 * tests/host/test_ramfs_oom.c: host unit test of drivers/ramfs under
 * memory failure, and of its population from a boot archive. Every
 * operation that allocates is run with its first, second, ... allocation
 * or page commit failing until it succeeds; each failure must be an error
 * and leave the tree exactly as it was (names, modes, owners, links,
 * sizes, bytes, times, pages used), with nothing leaked (ASan, and the
 * test allocator's count).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ramfs/ramfs.h"
#include "drivers/ramfs/ramfs_populate.h"
#include "kernel/scheme/initfs.h"
#include "tools/initfs_write.h"
#include "tests/host/ramfs_testmem.h"

#define PAGE RAMFS_PAGE
#define BUDGET 4096
#define SNAP_MAX 8192

static const struct ramfs_cred root = { 0 };
static struct walk w;
static uint8_t *archive;
static size_t archive_len;
static struct initfs arc;
static uint8_t prog[2 * PAGE + 100];

/* The archive: bin/prog (2 pages and a bit), bin/sh -> prog, etc/motd, home/user 1000:1000. */
static int make_archive(void **state)
{
	struct initfs_writer *wr = initfs_writer_new(0755);

	(void)state;
	for (size_t i = 0; i < sizeof(prog); i++)
		prog[i] = (uint8_t)(i * 7 + 1);
	if (wr == NULL || initfs_writer_add_dir(wr, "bin", 0755) ||
	    initfs_writer_add_dir(wr, "etc", 0755) || initfs_writer_add_dir(wr, "home", 0755) ||
	    initfs_writer_add_dir(wr, "home/user", 0750) ||
	    initfs_writer_add_file(wr, "bin/prog", 0755, prog, sizeof(prog)) ||
	    initfs_writer_add_symlink(wr, "bin/sh", "prog") ||
	    initfs_writer_add_file(wr, "etc/motd", 0644, "hi\n", 3) ||
	    initfs_writer_chown(wr, "home/user", 1000, 1000) ||
	    initfs_writer_finish(wr, &archive, &archive_len) || initfs_open(&arc, archive, archive_len))
		return -1;
	initfs_writer_free(wr);
	return 0;
}

static int free_archive(void **state)
{
	(void)state;
	free(archive);
	return 0;
}

/* Appends dir's subtree to s, depth first, in entry order. */
static void snap_dir(const struct ramfs_inode *dir, const char *prefix, char *s)
{
	for (const struct ramfs_dirent *de = dir->dir.first; de != NULL; de = de->next) {
		const struct ramfs_inode *n = de->inode;
		char line[512], path[256];
		uint64_t sum = 0;
		uint8_t buf[PAGE];

		snprintf(path, sizeof(path), "%s/%s", prefix, de->name);
		for (uint64_t off = 0, got; (n->mode & RAMFS_S_IFMT) == RAMFS_S_IFREG &&
		     (got = ramfs_read(n, off, buf, sizeof(buf))) > 0; off += got)
			for (uint64_t i = 0; i < got; i++)
				sum = sum * 31 + buf[i];
		snprintf(line, sizeof(line), "%s %o %u:%u n%u s%llu c%llu m%lld.%ld %s %llx\n", path,
			 n->mode, n->uid, n->gid, n->nlink, (unsigned long long)n->size,
			 (unsigned long long)de->cookie, (long long)n->mtime.sec, n->mtime.nsec,
			 (n->mode & RAMFS_S_IFMT) == RAMFS_S_IFLNK ? n->target : "-",
			 (unsigned long long)sum);
		assert_true(strlen(s) + strlen(line) < SNAP_MAX);
		strcat(s, line);
		if ((n->mode & RAMFS_S_IFMT) == RAMFS_S_IFDIR)
			snap_dir(n, path, s);
	}
}

static void snapshot(const struct ramfs *fs, char *s)
{
	snprintf(s, SNAP_MAX, "pages %llu inodes %llu root n%u m%lld\n",
		 (unsigned long long)fs->pages, (unsigned long long)fs->inodes, fs->root->nlink,
		 (long long)fs->root->mtime.sec);
	snap_dir(fs->root, "", s);
}

/* The base tree every operation starts from: the archive, and a file of
 * its own with a hole. */
static void base(struct ramfs *fs)
{
	struct ramfs_inode *n;

	testmem_fs(fs, BUDGET);
	assert_int_equal(ramfs_populate(fs, &arc), 0);
	assert_int_equal(ramfs_open(fs, &root, "etc/own", RAMFS_O_RDWR | RAMFS_O_CREAT, 0600, &w,
				    &n), 0);
	assert_int_equal(ramfs_write(fs, n, 3 * PAGE, "own", 3, false), 3);
	ramfs_release(fs, n);
}

/* Runs op on a fresh base with the k-th allocation failing, k = 0, 1, ...
 * until it succeeds; returns how many failures it went through. */
static int each_failure(int (*op)(struct ramfs *fs))
{
	static char before[SNAP_MAX], after[SNAP_MAX];

	for (long k = 0;; k++) {
		struct ramfs fs;
		long failed;
		int r;

		base(&fs);
		snapshot(&fs, before);
		failed = testmem.failed;
		testmem.fail_at = k;
		r = op(&fs);
		testmem.fail_at = -1;
		if (testmem.failed == failed) {
			assert_int_equal(r, 0);
			ramfs_destroy(&fs);
			assert_int_equal(testmem.live, 0);
			return (int)k;
		}
		assert_true(r == -ENOMEM || r == -ENOSPC);
		snapshot(&fs, after);
		assert_string_equal(before, after);
		ramfs_destroy(&fs);
		assert_int_equal(testmem.live, 0);
	}
}

static int op_create(struct ramfs *fs)
{
	struct ramfs_inode *n;
	int r = ramfs_open(fs, &root, "etc/new", RAMFS_O_RDWR | RAMFS_O_CREAT, 0644, &w, &n);

	if (r == 0)
		ramfs_release(fs, n);
	return r;
}

/* Writes data[0, len) at off of path: 0 or -errno. */
static int write_at(struct ramfs *fs, const char *path, uint64_t off, const void *data,
		    uint64_t len)
{
	struct ramfs_inode *n;
	int64_t r;

	assert_int_equal(ramfs_open(fs, &root, path, RAMFS_O_RDWR, 0, &w, &n), 0);
	r = ramfs_write(fs, n, off, data, len, false);
	ramfs_release(fs, n);
	return r < 0 ? (int)r : 0;
}

/* A write into a hole: three pages to commit. */
static int op_write(struct ramfs *fs)
{
	return write_at(fs, "etc/own", 10 * PAGE, prog, sizeof(prog));
}

static int op_mkdir(struct ramfs *fs)
{
	return ramfs_mkdir(fs, &root, "home/x", 0755, &w);
}

static int op_symlink(struct ramfs *fs)
{
	return ramfs_symlink(fs, &root, "/scheme/null", "etc/null", &w);
}

static int op_link(struct ramfs *fs)
{
	return ramfs_link(fs, &root, "bin/prog", "home/prog", false, &w);
}

static int op_rename(struct ramfs *fs)
{
	return ramfs_rename(fs, &root, "etc/motd", "home/user/motd", 0, &w);
}

static int op_rename_replace(struct ramfs *fs)
{
	return ramfs_rename(fs, &root, "etc/own", "etc/motd", 0, &w);
}

/* The first write to an archive file copies it into its own pages. */
static int op_write_archive(struct ramfs *fs)
{
	return write_at(fs, "bin/sh", 1, "X", 1);
}

static int op_truncate_archive(struct ramfs *fs)
{
	struct ramfs_inode *n;
	int r;

	assert_int_equal(ramfs_open(fs, &root, "bin/prog", RAMFS_O_RDWR, 0, &w, &n), 0);
	r = ramfs_truncate(fs, n, PAGE + 1);
	ramfs_release(fs, n);
	return r;
}

static int op_map_shared(struct ramfs *fs)
{
	struct ramfs_inode *n;
	const void *p;
	int r;

	assert_int_equal(ramfs_open(fs, &root, "bin/prog", RAMFS_O_RDWR, 0, &w, &n), 0);
	r = ramfs_map(fs, n, 0, 4 * PAGE, true, true, &p);
	if (r == 0)
		ramfs_unpin(n);
	ramfs_release(fs, n);
	return r;
}

/* Growing past the first reservation moves the pages. */
static int op_grow(struct ramfs *fs)
{
	return write_at(fs, "etc/own", RAMFS_RESERVE_MIN, "far", 3);
}

static void test_failures(void **state)
{
	(void)state;
	/* Each op meets at least one allocation. */
	assert_true(each_failure(op_create) >= 2);
	assert_true(each_failure(op_write) >= 3);
	assert_true(each_failure(op_mkdir) >= 2);
	assert_true(each_failure(op_symlink) >= 3);
	assert_true(each_failure(op_link) >= 1);
	assert_true(each_failure(op_rename) >= 1);
	assert_true(each_failure(op_rename_replace) >= 1);
	assert_true(each_failure(op_write_archive) >= 3);
	assert_true(each_failure(op_truncate_archive) >= 2);
	assert_true(each_failure(op_map_shared) >= 3);
	assert_true(each_failure(op_grow) >= 3);
}

/* Population failing anywhere is -ENOMEM, and destroying what was added
 * frees all of it. */
static void test_populate_failures(void **state)
{
	(void)state;
	for (long k = 0;; k++) {
		struct ramfs fs;
		long failed = testmem.failed;
		int r;

		testmem_fs(&fs, BUDGET);
		testmem.fail_at = k;
		r = ramfs_populate(&fs, &arc);
		testmem.fail_at = -1;
		ramfs_destroy(&fs);
		assert_int_equal(testmem.live, 0);
		if (testmem.failed == failed) {
			assert_int_equal(r, 0);
			assert_true(k > 8);
			return;
		}
		assert_int_equal(r, -ENOMEM);
	}
}

static void test_populate(void **state)
{
	uint8_t buf[sizeof(prog)];
	struct ramfs_inode *n;
	struct ramfs_stat st;
	struct ramfs fs;
	const void *p;
	const char *t;

	(void)state;
	base(&fs);
	assert_int_equal(ramfs_open(&fs, &root, "bin/sh", RAMFS_O_RDONLY, 0, &w, &n), 0);
	/* Zero copy: reads and private maps are the archive's bytes. */
	assert_int_equal(ramfs_read_seg(n, 0, UINT64_MAX, &p), sizeof(prog));
	assert_true((const uint8_t *)p >= archive && (const uint8_t *)p < archive + archive_len);
	assert_int_equal(ramfs_map(&fs, n, PAGE, PAGE, false, false, &p), 0);
	assert_true((const uint8_t *)p >= archive && (const uint8_t *)p < archive + archive_len);
	assert_int_equal(fs.pages, 1);	/* etc/own's page only */
	ramfs_stat(n, &st);
	assert_int_equal(st.mode, RAMFS_S_IFREG | 0755);
	assert_int_equal(st.blocks, (sizeof(prog) + 511) / 512);
	/* A write copies first: the archive is never written. */
	assert_int_equal(ramfs_write(&fs, n, 0, "Z", 1, false), 1);
	assert_int_equal(archive[((const uint8_t *)p - archive) - PAGE], prog[0]);
	assert_int_equal(ramfs_read(n, 0, buf, sizeof(buf)), sizeof(prog));
	assert_int_equal(buf[0], 'Z');
	assert_memory_equal(buf + 1, prog + 1, sizeof(prog) - 1);
	assert_int_equal(fs.pages, 4);
	ramfs_release(&fs, n);
	assert_int_equal(ramfs_open(&fs, &root, "bin/sh", RAMFS_O_PATH | RAMFS_O_NOFOLLOW, 0, &w,
				    &n), 0);
	assert_int_equal(ramfs_readlink(n, &t), 0);
	assert_string_equal(t, "prog");
	ramfs_release(&fs, n);
	assert_int_equal(ramfs_open(&fs, &root, "home/user", RAMFS_O_RDONLY, 0, &w, &n), 0);
	assert_int_equal(n->uid, 1000);
	assert_int_equal(n->gid, 1000);
	assert_int_equal(n->mode, RAMFS_S_IFDIR | 0750);
	ramfs_release(&fs, n);
	ramfs_destroy(&fs);
	assert_int_equal(testmem.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_populate),
		cmocka_unit_test(test_populate_failures),
		cmocka_unit_test(test_failures),
	};

	return cmocka_run_group_tests_name("ramfs_oom", tests, make_archive, free_archive);
}
