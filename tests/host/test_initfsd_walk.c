/*
 * tests/host/test_initfsd_walk.c: host unit test of path resolution in the
 * boot archive (drivers/initfsd/initfsd_walk.c over drivers/ramfs/walk.c):
 * links followed inside the tree (relative, absolute for the root file
 * system, chains, ".." in targets), redirects where a link leaves it
 * ("/scheme/...", "name:...", any absolute target for initfs:), the rest
 * of the path carried along, O_NOFOLLOW's last link, loops (ELOOP after
 * SCHEME_SYMLINK_MAX) and the lexical errors.
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

#include "drivers/initfsd/initfsd_serve.h"
#include "tools/initfs_write.h"

static uint8_t *img;
static size_t img_len;
static struct initfs arc;
static struct walk w;

static int build(void **state)
{
	struct initfs_writer *wr = initfs_writer_new(0755);
	char name[16], target[16];
	int err = wr == NULL;

	(void)state;
	err |= initfs_writer_add_dir(wr, "bin", 0755);
	err |= initfs_writer_add_dir(wr, "dev", 0755);
	err |= initfs_writer_add_file(wr, "bin/busybox", 0755, "bb", 2);
	err |= initfs_writer_add_symlink(wr, "bin/sh", "busybox");
	err |= initfs_writer_add_symlink(wr, "bin/up", "../bin/sh");
	err |= initfs_writer_add_symlink(wr, "abs", "/bin");
	err |= initfs_writer_add_symlink(wr, "dev/null", "/scheme/null");
	err |= initfs_writer_add_symlink(wr, "proc", "/scheme/proc");
	err |= initfs_writer_add_symlink(wr, "self", "proc:self");
	err |= initfs_writer_add_symlink(wr, "loop", "loop");
	for (int i = 0; i <= SCHEME_SYMLINK_MAX; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), i == 0 ? "bin/busybox" : "c%d", i - 1);
		err |= initfs_writer_add_symlink(wr, name, target);
	}
	err |= initfs_writer_finish(wr, &img, &img_len);
	initfs_writer_free(wr);
	return err || initfs_open(&arc, img, img_len) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	free(img);
	return 0;
}

/* path resolves (flags) to the entry at want. */
static void expect_node(const char *path, unsigned flags, const char *want)
{
	int idx = initfs_lookup(&arc, want, NULL);

	assert_true(idx >= 0);
	assert_int_equal(initfsd_walk(&arc, path, flags, &w), 0);
	assert_int_equal(w.node, (uint64_t)idx);
}

static void expect_redirect(const char *path, unsigned flags, const char *want)
{
	assert_int_equal(initfsd_walk(&arc, path, flags, &w), WALK_REDIRECT);
	assert_string_equal(w.buf, want);
	assert_int_equal(w.redirect_len, strlen(want));
}

static void test_inside(void **state)
{
	(void)state;
	expect_node("bin/sh", WALK_FOLLOW, "bin/busybox");
	expect_node("bin/up", WALK_FOLLOW, "bin/busybox");	/* a chain with ".." */
	expect_node("bin/sh", 0, "bin/sh");			/* O_NOFOLLOW: the link */
	expect_node("", WALK_FOLLOW, "");
	expect_node("c39", WALK_FOLLOW, "bin/busybox");	/* 40 links */
	assert_int_equal(initfsd_walk(&arc, "c40", WALK_FOLLOW, &w), -ELOOP);
	assert_int_equal(initfsd_walk(&arc, "loop", WALK_FOLLOW, &w), -ELOOP);
	assert_int_equal(initfsd_walk(&arc, "loop/x", 0, &w), -ELOOP);
	/* The root file system follows its own absolute links. */
	expect_node("abs/sh", WALK_FOLLOW | WALK_ROOTFS, "bin/busybox");
	expect_node("abs", WALK_ROOTFS, "abs");
}

static void test_redirects(void **state)
{
	(void)state;
	expect_redirect("dev/null", WALK_FOLLOW | WALK_ROOTFS, "/scheme/null");
	expect_redirect("dev/null", WALK_FOLLOW, "/scheme/null");
	expect_redirect("proc/self/stat", 0, "/scheme/proc/self/stat");
	expect_redirect("self/fd/0", WALK_ROOTFS, "proc:self/fd/0");
	/* initfs: is no root: an absolute target leaves it. */
	expect_redirect("abs/sh", WALK_FOLLOW, "/bin/sh");
	/* A final link not followed is the link, wherever it points. */
	expect_node("dev/null", 0, "dev/null");
}

static void test_errors(void **state)
{
	char long_name[WALK_NAME_MAX + 2];

	(void)state;
	assert_int_equal(initfsd_walk(&arc, "nothing", WALK_FOLLOW, &w), -ENOENT);
	assert_non_null(w.last);	/* only the last component missing */
	assert_int_equal(initfsd_walk(&arc, "nothing/x", WALK_FOLLOW, &w), -ENOENT);
	assert_null(w.last);
	assert_int_equal(initfsd_walk(&arc, "bin/busybox/x", WALK_FOLLOW, &w), -ENOTDIR);
	assert_int_equal(initfsd_walk(&arc, "bin/sh/x", WALK_FOLLOW, &w), -ENOTDIR);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(initfsd_walk(&arc, long_name, WALK_FOLLOW, &w), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("initfsd_walk", tests, build, teardown);
}
