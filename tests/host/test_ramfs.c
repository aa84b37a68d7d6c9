/*
 * tests/host/test_ramfs.c: host unit test of the RAM file system library
 * (drivers/ramfs/): open with creation, reads and writes (sparse, append,
 * truncate), symbolic links and redirects, unlink of open files, rmdir,
 * rename in all its forms, hard links, permissions with groups and the
 * sticky rule, chmod/chown/utimens, readdir cursors across unlinks,
 * statfs and the page budget, mappings. Out of memory and population
 * from an archive: test_ramfs_oom.c.
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
#include "tests/host/ramfs_testmem.h"

#define O_RDONLY RAMFS_O_RDONLY
#define O_WRONLY RAMFS_O_WRONLY
#define O_RDWR RAMFS_O_RDWR
#define O_CREAT RAMFS_O_CREAT
#define O_EXCL RAMFS_O_EXCL
#define O_TRUNC RAMFS_O_TRUNC
#define PAGE RAMFS_PAGE
#define BUDGET 4096     /* pages: 16 MiB, plenty unless a test says */

static const struct ramfs_cred root = { 0 };
static const struct ramfs_cred user = { .uid = 1000, .gid = 1000, .ngroups = 1, .groups = { 50 } };
static const struct ramfs_cred other = { .uid = 1001, .gid = 1001 };
static struct walk w;

/* Opens path: the error, and the held inode in *n on 0. */
static int op(struct ramfs *fs, const struct ramfs_cred *c, const char *path, int flags,
	      struct ramfs_inode **n)
{
	return ramfs_open(fs, c, path, flags, 0644, &w, n);
}

/* Creates path with bytes text, as c. */
static void put(struct ramfs *fs, const struct ramfs_cred *c, const char *path, const char *text)
{
	struct ramfs_inode *n;

	assert_int_equal(op(fs, c, path, O_WRONLY | O_CREAT | O_TRUNC, &n), 0);
	assert_int_equal(ramfs_write(fs, n, 0, text, strlen(text), false), (int64_t)strlen(text));
	ramfs_release(fs, n);
}

/* path's bytes are text. */
static void expect(struct ramfs *fs, const char *path, const char *text)
{
	char buf[256] = { 0 };
	struct ramfs_inode *n;

	assert_int_equal(op(fs, &root, path, O_RDONLY, &n), 0);
	assert_int_equal(ramfs_read(n, 0, buf, sizeof(buf) - 1), strlen(text));
	assert_string_equal(buf, text);
	ramfs_release(fs, n);
}

static struct ramfs_stat stat_of(struct ramfs *fs, const char *path)
{
	struct ramfs_inode *n;
	struct ramfs_stat st;

	assert_int_equal(ramfs_open(fs, &root, path, RAMFS_O_PATH | RAMFS_O_NOFOLLOW, 0, &w, &n), 0);
	ramfs_stat(n, &st);
	ramfs_release(fs, n);
	return st;
}

static void done(struct ramfs *fs)
{
	ramfs_destroy(fs);
	assert_int_equal(testmem.live, 0);
}

static void test_open_create(void **state)
{
	struct ramfs_inode *n, *m;
	struct ramfs fs;

	(void)state;
	testmem_fs(&fs, BUDGET);
	assert_int_equal(op(&fs, &root, "a", O_RDONLY, &n), -ENOENT);
	assert_int_equal(op(&fs, &root, "a", O_RDWR | O_CREAT | O_EXCL, &n), 0);
	assert_int_equal(op(&fs, &root, "a", O_RDWR | O_CREAT | O_EXCL, &m), -EEXIST);
	assert_int_equal(op(&fs, &root, "a", O_RDWR | O_CREAT, &m), 0);
	assert_ptr_equal(n, m);
	ramfs_release(&fs, m);
	assert_int_equal(ramfs_write(&fs, n, 0, "hello", 5, false), 5);
	assert_int_equal(stat_of(&fs, "a").size, 5);
	assert_int_equal(stat_of(&fs, "a").mode, RAMFS_S_IFREG | 0644);
	/* O_TRUNC empties it; O_RDONLY|O_TRUNC too (Linux does). */
	assert_int_equal(op(&fs, &root, "a", O_WRONLY | O_TRUNC, &m), 0);
	ramfs_release(&fs, m);
	assert_int_equal(n->size, 0);
	ramfs_release(&fs, n);
	/* Directories and paths through files. */
	assert_int_equal(ramfs_mkdir(&fs, &root, "d", 0755, &w), 0);
	assert_int_equal(ramfs_mkdir(&fs, &root, "d", 0755, &w), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, &root, "", 0755, &w), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, &root, "x/y", 0755, &w), -ENOENT);
	assert_int_equal(op(&fs, &root, "d", O_WRONLY, &n), -EISDIR);
	assert_int_equal(op(&fs, &root, "d", O_RDONLY | O_CREAT, &n), -EISDIR);
	assert_int_equal(op(&fs, &root, "a", O_RDONLY | RAMFS_O_DIRECTORY, &n), -ENOTDIR);
	assert_int_equal(op(&fs, &root, "a/b", O_RDONLY | O_CREAT, &n), -ENOTDIR);
	assert_int_equal(op(&fs, &root, "d", O_RDONLY | RAMFS_O_DIRECTORY, &n), 0);
	ramfs_release(&fs, n);
	assert_int_equal(stat_of(&fs, "d").nlink, 2);
	assert_int_equal(stat_of(&fs, "").nlink, 3);
	/* ".." in a path (after a link, the kernel's paths have none). */
	assert_int_equal(op(&fs, &root, "d/../a", O_RDONLY, &n), 0);
	ramfs_release(&fs, n);
	done(&fs);
}

static void test_read_write(void **state)
{
	uint8_t buf[3 * PAGE], zero[3 * PAGE] = { 0 };
	struct ramfs_inode *n;
	struct ramfs fs;
	const void *p;
	uint64_t off = 0;
	void *q;

	(void)state;
	testmem_fs(&fs, BUDGET);
	assert_int_equal(op(&fs, &root, "f", O_RDWR | O_CREAT, &n), 0);
	/* Sparse: a write far out commits one page; the hole reads zeros. */
	assert_int_equal(ramfs_write(&fs, n, 10 * PAGE + 5, "xyz", 3, false), 3);
	assert_int_equal(n->size, 10 * PAGE + 8);
	assert_int_equal(n->file.committed, 1);
	assert_int_equal(ramfs_read(n, 0, buf, sizeof(buf)), sizeof(buf));
	assert_memory_equal(buf, zero, sizeof(buf));
	assert_int_equal(ramfs_read_seg(n, 0, UINT64_MAX, &p), 10 * PAGE);
	assert_null(p);
	assert_int_equal(ramfs_read_seg(n, 10 * PAGE, UINT64_MAX, &p), 8);
	assert_memory_equal((const char *)p + 5, "xyz", 3);
	assert_int_equal(ramfs_read(n, 10 * PAGE + 5, buf, 100), 3);
	assert_int_equal(ramfs_read(n, 10 * PAGE + 8, buf, 100), 0);
	assert_int_equal(ramfs_read(n, UINT64_MAX, buf, 100), 0);
	/* Append: at the end, wherever off says. */
	assert_int_equal(ramfs_write_begin(&fs, n, &off, 2, true, &q), 0);
	assert_int_equal(off, 10 * PAGE + 8);
	memcpy(q, "!!", 2);
	ramfs_write_done(&fs, n, off, 2);
	assert_int_equal(n->size, 10 * PAGE + 10);
	/* Truncate down then up: the cut bytes read as zeros. */
	assert_int_equal(ramfs_truncate(&fs, n, 10 * PAGE + 6), 0);
	assert_int_equal(ramfs_truncate(&fs, n, 10 * PAGE + 10), 0);
	assert_int_equal(ramfs_read(n, 10 * PAGE + 5, buf, 10), 5);
	assert_memory_equal(buf, "x\0\0\0\0", 5);
	assert_int_equal(ramfs_truncate(&fs, n, 3), 0);
	assert_int_equal(n->file.committed, 0);
	assert_int_equal(fs.pages, 0);
	/* Limits. */
	assert_int_equal(ramfs_truncate(&fs, n, RAMFS_FILE_MAX + 1), -EFBIG);
	assert_int_equal(ramfs_write(&fs, n, RAMFS_FILE_MAX, "a", 1, false), -EFBIG);
	assert_int_equal(ramfs_write(&fs, n, UINT64_MAX, "a", 1, false), -EFBIG);
	/* Growing past the first reservation keeps the bytes. */
	assert_int_equal(ramfs_write(&fs, n, 0, "head", 4, false), 4);
	assert_int_equal(ramfs_write(&fs, n, RAMFS_RESERVE_MIN + 1, "tail", 4, false), 4);
	assert_true(n->file.reserved > RAMFS_RESERVE_MIN);
	assert_int_equal(ramfs_read(n, 0, buf, 4), 4);
	assert_memory_equal(buf, "head", 4);
	assert_int_equal(ramfs_truncate(&fs, fs.root, 0), -EISDIR);
	ramfs_release(&fs, n);
	done(&fs);
}

static void test_symlinks(void **state)
{
	struct ramfs_inode *n;
	struct ramfs fs;
	const char *t;
	char path[64];

	(void)state;
	testmem_fs(&fs, BUDGET);
	assert_int_equal(ramfs_mkdir(&fs, &root, "d", 0755, &w), 0);
	put(&fs, &root, "d/f", "data");
	assert_int_equal(ramfs_symlink(&fs, &root, "f", "d/rel", &w), 0);
	assert_int_equal(ramfs_symlink(&fs, &root, "/d", "abs", &w), 0);
	assert_int_equal(ramfs_symlink(&fs, &root, "/scheme/null", "null", &w), 0);
	assert_int_equal(ramfs_symlink(&fs, &root, "proc:self", "self", &w), 0);
	assert_int_equal(ramfs_symlink(&fs, &root, "loop", "loop", &w), 0);
	assert_int_equal(ramfs_symlink(&fs, &root, "nowhere/new", "dangling", &w), 0);
	assert_int_equal(ramfs_symlink(&fs, &root, "", "empty", &w), -ENOENT);
	assert_int_equal(ramfs_symlink(&fs, &root, "x", "abs", &w), -EEXIST);
	expect(&fs, "d/rel", "data");
	expect(&fs, "abs/rel", "data");	/* absolute inside the root fs, then relative */
	expect(&fs, "abs/../d/f", "data");
	/* Leaving the tree: a redirect with the rest of the path. */
	assert_int_equal(op(&fs, &root, "null", O_RDONLY, &n), WALK_REDIRECT);
	assert_string_equal(w.buf, "/scheme/null");
	assert_int_equal(w.redirect_len, 12);
	assert_int_equal(op(&fs, &root, "self/fd/0", O_RDONLY, &n), WALK_REDIRECT);
	assert_string_equal(w.buf, "proc:self/fd/0");
	assert_int_equal(ramfs_mkdir(&fs, &root, "null/x", 0755, &w), WALK_REDIRECT);
	/* A final link: O_NOFOLLOW refuses it, O_PATH opens it. */
	assert_int_equal(op(&fs, &root, "d/rel", O_RDONLY | RAMFS_O_NOFOLLOW, &n), -ELOOP);
	assert_int_equal(op(&fs, &root, "null", O_RDONLY | RAMFS_O_NOFOLLOW, &n), -ELOOP);
	assert_int_equal(op(&fs, &root, "d/rel", RAMFS_O_PATH | RAMFS_O_NOFOLLOW, &n), 0);
	assert_int_equal(ramfs_readlink(n, &t), 0);
	assert_string_equal(t, "f");
	assert_int_equal(n->mode, RAMFS_S_IFLNK | 0777);
	ramfs_release(&fs, n);
	assert_int_equal(op(&fs, &root, "d", RAMFS_O_PATH, &n), 0);
	assert_int_equal(ramfs_readlink(n, &t), -EINVAL);
	ramfs_release(&fs, n);
	/* Loops and depth. */
	assert_int_equal(op(&fs, &root, "loop", O_RDONLY, &n), -ELOOP);
	assert_int_equal(op(&fs, &root, "loop/x", O_RDONLY, &n), -ELOOP);
	for (int i = 0; i < SCHEME_SYMLINK_MAX + 1; i++) {
		char target[16];

		snprintf(path, sizeof(path), "c%d", i);
		snprintf(target, sizeof(target), i == 0 ? "d/f" : "c%d", i - 1);
		assert_int_equal(ramfs_symlink(&fs, &root, target, path, &w), 0);
	}
	expect(&fs, "c39", "data");	/* 40 links: the limit */
	assert_int_equal(op(&fs, &root, "c40", O_RDONLY, &n), -ELOOP);
	/* O_CREAT through a dangling link creates its target (if the
	 * directory exists); O_EXCL never follows. */
	assert_int_equal(op(&fs, &root, "dangling", O_WRONLY | O_CREAT, &n), -ENOENT);
	assert_int_equal(ramfs_symlink(&fs, &root, "d/made", "dangling2", &w), 0);
	assert_int_equal(op(&fs, &root, "dangling2", O_WRONLY | O_CREAT | O_EXCL, &n), -EEXIST);
	assert_int_equal(op(&fs, &root, "dangling2", O_WRONLY | O_CREAT, &n), 0);
	ramfs_release(&fs, n);
	assert_int_equal(stat_of(&fs, "d/made").mode, RAMFS_S_IFREG | 0644);
	done(&fs);
}

static void test_unlink_rmdir(void **state)
{
	struct ramfs_inode *n;
	struct ramfs fs;
	char buf[8];

	(void)state;
	testmem_fs(&fs, BUDGET);
	put(&fs, &root, "f", "alive");
	assert_int_equal(ramfs_mkdir(&fs, &root, "d", 0755, &w), 0);
	put(&fs, &root, "d/x", "");
	assert_int_equal(op(&fs, &root, "f", O_RDWR, &n), 0);
	assert_int_equal(ramfs_unlink(&fs, &root, "f", false, &w), 0);
	assert_int_equal(ramfs_unlink(&fs, &root, "f", false, &w), -ENOENT);
	/* Open, it lives on: readable and writable until released. */
	assert_int_equal(n->nlink, 0);
	assert_int_equal(ramfs_read(n, 0, buf, sizeof(buf)), 5);
	assert_int_equal(ramfs_write(&fs, n, 5, "!", 1, false), 1);
	ramfs_release(&fs, n);	/* ASan and testmem.live see it freed */
	assert_int_equal(ramfs_unlink(&fs, &root, "d", false, &w), -EISDIR);
	assert_int_equal(ramfs_unlink(&fs, &root, "d", true, &w), -ENOTEMPTY);
	assert_int_equal(ramfs_unlink(&fs, &root, "d/x", true, &w), -ENOTDIR);
	assert_int_equal(ramfs_unlink(&fs, &root, "", true, &w), -EBUSY);
	assert_int_equal(ramfs_unlink(&fs, &root, "d/x", false, &w), 0);
	assert_int_equal(op(&fs, &root, "d", O_RDONLY, &n), 0);
	assert_int_equal(ramfs_unlink(&fs, &root, "d", true, &w), 0);
	assert_int_equal(stat_of(&fs, "").nlink, 2);
	/* Creating in a removed directory held open fails. */
	assert_int_equal(n->nlink, 0);
	ramfs_release(&fs, n);
	done(&fs);
}

static void test_rename(void **state)
{
	struct ramfs fs;

	(void)state;
	testmem_fs(&fs, BUDGET);
	put(&fs, &root, "a", "A");
	put(&fs, &root, "b", "B");
	assert_int_equal(ramfs_mkdir(&fs, &root, "d", 0755, &w), 0);
	assert_int_equal(ramfs_mkdir(&fs, &root, "d/sub", 0755, &w), 0);
	assert_int_equal(ramfs_mkdir(&fs, &root, "e", 0755, &w), 0);
	assert_int_equal(ramfs_rename(&fs, &root, "a", "b", RAMFS_RENAME_NOREPLACE, &w), -EEXIST);
	assert_int_equal(ramfs_rename(&fs, &root, "a", "b", RAMFS_RENAME_NOREPLACE |
				      RAMFS_RENAME_EXCHANGE, &w), -EINVAL);
	assert_int_equal(ramfs_rename(&fs, &root, "a", "b", 4, &w), -EINVAL);
	assert_int_equal(ramfs_rename(&fs, &root, "a", "b", RAMFS_RENAME_EXCHANGE, &w), 0);
	expect(&fs, "a", "B");
	expect(&fs, "b", "A");
	assert_int_equal(ramfs_rename(&fs, &root, "a", "b", 0, &w), 0);	/* replaces */
	expect(&fs, "b", "B");
	assert_int_equal(ramfs_rename(&fs, &root, "a", "c", 0, &w), -ENOENT);
	assert_int_equal(ramfs_rename(&fs, &root, "b", "zz", RAMFS_RENAME_EXCHANGE, &w), -ENOENT);
	assert_int_equal(ramfs_rename(&fs, &root, "b", "nodir/x", 0, &w), -ENOENT);
	/* Directories. */
	assert_int_equal(ramfs_rename(&fs, &root, "d", "d/sub/x", 0, &w), -EINVAL);
	assert_int_equal(ramfs_rename(&fs, &root, "d", "d/x", 0, &w), -EINVAL);
	assert_int_equal(ramfs_rename(&fs, &root, "d", "b", 0, &w), -ENOTDIR);
	assert_int_equal(ramfs_rename(&fs, &root, "b", "d", 0, &w), -EISDIR);
	assert_int_equal(ramfs_rename(&fs, &root, "e", "d", 0, &w), -ENOTEMPTY);
	assert_int_equal(ramfs_rename(&fs, &root, "", "x", 0, &w), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, &root, "d/sub", "e/sub", 0, &w), 0);
	assert_int_equal(stat_of(&fs, "d").nlink, 2);
	assert_int_equal(stat_of(&fs, "e").nlink, 3);
	assert_int_equal(ramfs_rename(&fs, &root, "d", "e/sub", 0, &w), 0); /* over an empty dir */
	assert_int_equal(stat_of(&fs, "").nlink, 3);
	assert_int_equal(stat_of(&fs, "e").nlink, 3);
	assert_int_equal(ramfs_mkdir(&fs, &root, "d", 0755, &w), 0);
	assert_int_equal(ramfs_rename(&fs, &root, "d", "e/sub", RAMFS_RENAME_EXCHANGE, &w), 0);
	assert_int_equal(ramfs_rename(&fs, &root, "b", "e", RAMFS_RENAME_EXCHANGE, &w), 0);
	assert_int_equal(stat_of(&fs, "b").mode & RAMFS_S_IFMT, RAMFS_S_IFDIR);
	assert_int_equal(stat_of(&fs, "").nlink, 4);	/* d, b and its ".." */
	expect(&fs, "e", "B");
	/* Hard links of one file: nothing happens. */
	assert_int_equal(ramfs_link(&fs, &root, "e", "e2", false, &w), 0);
	assert_int_equal(ramfs_rename(&fs, &root, "e", "e2", 0, &w), 0);
	assert_int_equal(stat_of(&fs, "e").nlink, 2);
	done(&fs);
}

static void test_hard_links(void **state)
{
	struct ramfs fs;

	(void)state;
	testmem_fs(&fs, BUDGET);
	put(&fs, &root, "f", "one");
	assert_int_equal(ramfs_mkdir(&fs, &root, "d", 0755, &w), 0);
	assert_int_equal(ramfs_symlink(&fs, &root, "f", "l", &w), 0);
	assert_int_equal(ramfs_link(&fs, &root, "f", "d/g", false, &w), 0);
	assert_int_equal(ramfs_link(&fs, &root, "f", "d/g", false, &w), -EEXIST);
	assert_int_equal(ramfs_link(&fs, &root, "d", "d2", false, &w), -EPERM);
	assert_int_equal(ramfs_link(&fs, &root, "nope", "x", false, &w), -ENOENT);
	assert_int_equal(stat_of(&fs, "f").nlink, 2);
	assert_int_equal(stat_of(&fs, "f").ino, stat_of(&fs, "d/g").ino);
	/* AT_SYMLINK_FOLLOW or not. */
	assert_int_equal(ramfs_link(&fs, &root, "l", "l2", false, &w), 0);
	assert_int_equal(stat_of(&fs, "l2").mode & RAMFS_S_IFMT, RAMFS_S_IFLNK);
	assert_int_equal(ramfs_link(&fs, &root, "l", "f3", true, &w), 0);
	assert_int_equal(stat_of(&fs, "f").nlink, 3);
	assert_int_equal(ramfs_unlink(&fs, &root, "f", false, &w), 0);
	expect(&fs, "d/g", "one");
	assert_int_equal(stat_of(&fs, "d/g").nlink, 2);
	done(&fs);
}

static void test_permissions(void **state)
{
	struct ramfs_inode *n, *f;
	struct ramfs fs;

	(void)state;
	testmem_fs(&fs, BUDGET);
	assert_int_equal(ramfs_mkdir(&fs, &root, "tmp", 01777, &w), 0);
	assert_int_equal(stat_of(&fs, "tmp").mode, RAMFS_S_IFDIR | 01777);
	assert_int_equal(ramfs_mkdir(&fs, &root, "root", 0700, &w), 0);
	put(&fs, &root, "root/secret", "s");
	put(&fs, &root, "ro", "r");
	/* Creating needs write on the directory; searching needs x. */
	assert_int_equal(op(&fs, &user, "x", O_WRONLY | O_CREAT, &n), -EACCES);
	assert_int_equal(ramfs_mkdir(&fs, &user, "x", 0755, &w), -EACCES);
	assert_int_equal(op(&fs, &user, "root/secret", O_RDONLY, &n), -EACCES);
	assert_int_equal(op(&fs, &user, "ro", O_WRONLY, &n), -EACCES);
	assert_int_equal(op(&fs, &user, "ro", O_RDONLY, &n), 0);
	ramfs_release(&fs, n);
	assert_int_equal(ramfs_unlink(&fs, &user, "ro", false, &w), -EACCES);
	/* The sticky /tmp: everyone creates, only the owner removes. */
	assert_int_equal(op(&fs, &user, "tmp/mine", O_WRONLY | O_CREAT, &n), 0);
	assert_int_equal(n->uid, 1000);
	assert_int_equal(n->gid, 1000);
	assert_int_equal(ramfs_unlink(&fs, &other, "tmp/mine", false, &w), -EPERM);
	assert_int_equal(ramfs_rename(&fs, &other, "tmp/mine", "tmp/theirs", 0, &w), -EPERM);
	/* Mode classes: owner, then groups (supplementary too), then others. */
	assert_int_equal(ramfs_chmod(&fs, n, &other, 0777), -EPERM);
	assert_int_equal(ramfs_chmod(&fs, n, &user, 0460), 0);
	assert_int_equal(ramfs_access(n, &user, RAMFS_MAY_WRITE), -EACCES); /* owner class only */
	assert_int_equal(ramfs_access(n, &user, RAMFS_MAY_READ), 0);
	assert_int_equal(ramfs_access(n, &other, RAMFS_MAY_READ), -EACCES);
	assert_int_equal(ramfs_chown(&fs, n, &user, (uint32_t)-1, 50), 0); /* to its own group */
	assert_int_equal(ramfs_chown(&fs, n, &user, (uint32_t)-1, 7), -EPERM);
	assert_int_equal(ramfs_chown(&fs, n, &user, 1001, (uint32_t)-1), -EPERM);
	assert_int_equal(ramfs_chown(&fs, n, &other, (uint32_t)-1, 1001), -EPERM);
	struct ramfs_cred in50 = { .uid = 7, .gid = 7, .ngroups = 1, .groups = { 50 } };
	assert_int_equal(ramfs_access(n, &in50, RAMFS_MAY_WRITE | RAMFS_MAY_READ), 0);
	/* Root: rw always, exec only with some x bit. */
	assert_int_equal(ramfs_access(n, &root, RAMFS_MAY_READ | RAMFS_MAY_WRITE), 0);
	assert_int_equal(ramfs_access(n, &root, RAMFS_MAY_EXEC), -EACCES);
	assert_int_equal(ramfs_chmod(&fs, n, &user, 04750), 0);
	assert_int_equal(ramfs_access(n, &root, RAMFS_MAY_EXEC), 0);
	/* chown drops setuid; a chmod by a non-member drops setgid. */
	assert_int_equal(ramfs_chown(&fs, n, &root, 1001, 1001), 0);
	assert_int_equal(n->mode & 07777, 0750);
	assert_int_equal(ramfs_chmod(&fs, n, &other, 02755), 0);
	assert_int_equal(n->mode & 07777, 02755);
	assert_int_equal(ramfs_chmod(&fs, n, &other, 02755 | RAMFS_S_IFDIR), 0);
	assert_int_equal(n->mode & RAMFS_S_IFMT, RAMFS_S_IFREG);
	assert_int_equal(ramfs_chown(&fs, n, &root, (uint32_t)-1, 5), 0);
	assert_int_equal(ramfs_chmod(&fs, n, &other, 02755), 0);
	assert_int_equal(n->mode & 07777, 0755);
	ramfs_release(&fs, n);
	/* The directory's owner may remove others' files from a sticky dir. */
	assert_int_equal(ramfs_chown(&fs, fs.root, &root, 1000, 1000), 0);
	assert_int_equal(op(&fs, &root, "tmp", O_RDONLY, &f), 0);
	assert_int_equal(ramfs_chown(&fs, f, &root, 1000, (uint32_t)-1), 0);
	ramfs_release(&fs, f);
	assert_int_equal(ramfs_unlink(&fs, &user, "tmp/mine", false, &w), 0);
	done(&fs);
}

static void test_times(void **state)
{
	struct ramfs_time t[2] = { { 100, 5 }, { 200, RAMFS_UTIME_OMIT } };
	struct ramfs_inode *n, *d;
	struct ramfs_time m;
	struct ramfs fs;

	(void)state;
	testmem_fs(&fs, BUDGET);
	assert_int_equal(op(&fs, &root, "", O_RDONLY, &d), 0);
	m = d->mtime;
	assert_int_equal(op(&fs, &user, "f", O_WRONLY | O_CREAT, &n), -EACCES);
	assert_int_equal(ramfs_chmod(&fs, d, &root, 0777), 0);
	assert_int_equal(op(&fs, &user, "f", O_WRONLY | O_CREAT, &n), 0);
	assert_true(d->mtime.sec > m.sec);	/* a new entry */
	m = n->mtime;
	assert_int_equal(ramfs_write(&fs, n, 0, "x", 1, false), 1);
	assert_true(n->mtime.sec > m.sec);
	assert_int_equal(ramfs_utimens(&fs, n, &user, t), 0);
	assert_int_equal(n->atime.sec, 100);
	assert_int_equal(n->atime.nsec, 5);
	assert_true(n->mtime.sec > m.sec);	/* omitted: unchanged */
	assert_true(n->ctime.sec > 100);
	t[1] = (struct ramfs_time){ 1, RAMFS_UTIME_NOW };
	assert_int_equal(ramfs_utimens(&fs, n, &user, t), 0);
	assert_int_equal(n->mtime.sec, n->ctime.sec);
	/* Others: explicit times EPERM, now needs write access. */
	assert_int_equal(ramfs_utimens(&fs, n, &other, t), -EPERM);
	assert_int_equal(ramfs_utimens(&fs, n, &other, NULL), -EACCES);
	assert_int_equal(ramfs_chmod(&fs, n, &user, 0666), 0);
	assert_int_equal(ramfs_utimens(&fs, n, &other, NULL), 0);
	t[0].nsec = 1000000000;
	assert_int_equal(ramfs_utimens(&fs, n, &user, t), -EINVAL);
	t[0].nsec = t[1].nsec = RAMFS_UTIME_OMIT;
	assert_int_equal(ramfs_utimens(&fs, n, &other, t), 0);
	ramfs_release(&fs, n);
	ramfs_release(&fs, d);
	done(&fs);
}

static void test_readdir(void **state)
{
	const char *names[] = { "a", "b", "c", "d", "e" };
	uint64_t cursor = 0, ino;
	struct ramfs_inode *d;
	struct ramfs fs;
	const char *name;
	uint32_t mode;
	char seen[64] = "";

	(void)state;
	testmem_fs(&fs, BUDGET);
	assert_int_equal(ramfs_mkdir(&fs, &root, "d", 0755, &w), 0);
	for (size_t i = 0; i < 5; i++) {
		char path[8];

		snprintf(path, sizeof(path), "d/%s", names[i]);
		put(&fs, &root, path, "");
	}
	assert_int_equal(op(&fs, &root, "d", O_RDONLY, &d), 0);
	for (int i = 0; i < 4; i++) {	/* ".", "..", "a", "b" */
		assert_int_equal(ramfs_readdir(d, &cursor, &name, &ino, &mode), 1);
		strcat(seen, name);
		strcat(seen, " ");
	}
	assert_int_equal(ino, stat_of(&fs, "d/b").ino);
	/* Removing listed and unlisted entries neither skips nor repeats. */
	assert_int_equal(ramfs_unlink(&fs, &root, "d/a", false, &w), 0);
	assert_int_equal(ramfs_unlink(&fs, &root, "d/c", false, &w), 0);
	put(&fs, &root, "d/f", "");
	while (ramfs_readdir(d, &cursor, &name, &ino, &mode) == 1) {
		strcat(seen, name);
		strcat(seen, " ");
	}
	assert_string_equal(seen, ". .. a b d e f ");
	assert_int_equal(mode, RAMFS_S_IFREG | 0644);
	cursor = 1;
	assert_int_equal(ramfs_readdir(d, &cursor, &name, &ino, &mode), 1);
	assert_string_equal(name, "..");
	assert_int_equal(ino, fs.root->ino);
	ramfs_release(&fs, d);
	assert_int_equal(op(&fs, &root, "d/b", O_RDONLY, &d), 0);
	cursor = 0;
	assert_int_equal(ramfs_readdir(d, &cursor, &name, &ino, &mode), -ENOTDIR);
	ramfs_release(&fs, d);
	done(&fs);
}

static void test_budget(void **state)
{
	struct ramfs_statfs sf;
	struct ramfs_inode *n;
	struct ramfs_stat st;
	static uint8_t page[5 * PAGE] = { 1 };
	struct ramfs fs;

	(void)state;
	testmem_fs(&fs, 4);
	assert_int_equal(op(&fs, &root, "f", O_RDWR | O_CREAT, &n), 0);
	assert_int_equal(ramfs_write(&fs, n, 0, page, PAGE, false), PAGE);
	assert_int_equal(ramfs_write(&fs, n, 2 * PAGE, page, PAGE, false), PAGE);
	ramfs_statfs(&fs, &sf);
	assert_int_equal(sf.type, RAMFS_MAGIC);
	assert_int_equal(sf.blocks, 4);
	assert_int_equal(sf.bfree, 2);
	assert_int_equal(sf.bsize, PAGE);
	ramfs_stat(n, &st);
	assert_int_equal(st.blocks, 2 * PAGE / 512);
	/* Three pages more do not fit: nothing of the write happens. */
	assert_int_equal(ramfs_write(&fs, n, 3 * PAGE, page, 3 * PAGE, false), -ENOSPC);
	assert_int_equal(n->size, 3 * PAGE);
	assert_int_equal(fs.pages, 2);
	assert_int_equal(ramfs_write(&fs, n, 3 * PAGE, page, 2 * PAGE, false), 2 * PAGE);
	assert_int_equal(ramfs_write(&fs, n, 2 * PAGE, page, 3 * PAGE, false), 3 * PAGE); /* overwrite */
	assert_int_equal(ramfs_write(&fs, n, 5 * PAGE, "x", 1, false), -ENOSPC);
	/* Unlinking an open file frees its pages at the last release. */
	assert_int_equal(ramfs_unlink(&fs, &root, "f", false, &w), 0);
	assert_int_equal(fs.pages, 4);
	ramfs_release(&fs, n);
	assert_int_equal(fs.pages, 0);
	done(&fs);
}

static void test_map(void **state)
{
	struct ramfs_inode *n;
	struct ramfs fs;
	const void *a, *b;
	char buf[4];

	(void)state;
	testmem_fs(&fs, BUDGET);
	assert_int_equal(op(&fs, &root, "shm", O_RDWR | O_CREAT, &n), 0);
	assert_int_equal(ramfs_truncate(&fs, n, 2 * PAGE), 0);
	assert_int_equal(ramfs_map(&fs, n, 1, PAGE, true, true, &a), -EINVAL);
	assert_int_equal(ramfs_map(&fs, n, 0, 0, true, true, &a), -EINVAL);
	assert_int_equal(ramfs_map(&fs, n, 0, 2 * PAGE, true, true, &a), 0);
	assert_int_equal(n->file.pins, 1);
	assert_true(n->file.reserved >= RAMFS_PIN_RESERVE);
	/* The mapping is the file: writes show through both ways. */
	assert_int_equal(ramfs_write(&fs, n, PAGE, "seen", 4, false), 4);
	assert_memory_equal((const char *)a + PAGE, "seen", 4);
	memcpy((char *)a, "back", 4);
	assert_int_equal(ramfs_read(n, 0, buf, 4), 4);
	assert_memory_equal(buf, "back", 4);
	assert_int_equal(ramfs_map(&fs, n, PAGE, PAGE, true, true, &b), 0);
	assert_ptr_equal(b, (const char *)a + PAGE);
	/* Pinned: it cannot move, so it cannot outgrow its reservation. */
	assert_int_equal(ramfs_write(&fs, n, n->file.reserved, "x", 1, false), -EFBIG);
	ramfs_unpin(n);
	ramfs_unpin(n);
	assert_int_equal(ramfs_write(&fs, n, n->file.reserved, "x", 1, false), 1);
	ramfs_release(&fs, n);
	done(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_create),
		cmocka_unit_test(test_read_write),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_unlink_rmdir),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_hard_links),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_readdir),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_map),
	};

	return cmocka_run_group_tests_name("ramfs", tests, NULL, NULL);
}
