/*
 * tests/host/test_initfs.c: host unit test of the initfs reader
 * (kernel/scheme/initfs.c) and writer (tools/initfs_write.c): archives built in
 * memory and read back (lookup, stat, readdir), deterministic layout, the
 * writer's refusals, corrupt archives (bad header fields, every truncation,
 * every flipped byte, structural damage with a recomputed checksum, random
 * damage) refused with -EINVAL, and an end-to-end run of the mkinitfs tool
 * (argv[1]) on a temporary directory. Every archive handed to the reader is
 * in a malloc'd buffer of exactly its size, so ASan sees any overread.
 */
#define _GNU_SOURCE /* nftw */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/lib/errno.h"
#include "kernel/scheme/initfs.h"
#include "tools/initfs_write.h"

extern char **environ;
static const char *mkinitfs_path;

/* ---- helpers ---------------------------------------------------------- */

static uint8_t *dup_exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len > 0)
		memcpy(p, src, len);
	return p;
}

/* A file's bytes: a pattern that differs between files and positions. */
static void fill(uint8_t *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 131 + seed * 7 + (i >> 8));
}

static void finish(struct initfs_writer *w, uint8_t **img, size_t *len)
{
	assert_int_equal(initfs_writer_finish(w, img, len), 0);
	initfs_writer_free(w);
}

static uint8_t big[10000], small[100];

/*
 * The sample tree, listed parents first. reversed adds the same tree in
 * another order: directories level by level, each level backwards, then
 * the files backwards. The writer's output must not depend on it.
 */
static const struct {
	const char *path;
	uint32_t perm;
	int kind;	/* 0 dir, 1 big file, 2 small file, 3 empty file, 4 "hello\n" */
} sample[] = {
	{ "etc", 0755, 0 },
	{ "bin", 0755, 0 },
	{ "a", 0750, 0 },
	{ "a-b", 0644, 4 },
	{ "Z", 0600, 3 },
	{ "emptydir", 0700, 0 },
	{ "bin/sh", 0755, 2 },
	{ "bin/init", 04755, 1 },
	{ "etc/motd", 0644, 4 },
	{ "etc/empty", 0644, 3 },
	{ "etc/deep", 0755, 0 },
	{ "etc/deep/a", 0755, 0 },
	{ "etc/deep/a/b", 0755, 0 },
	{ "etc/deep/a/b/leaf", 0444, 2 },
	{ "a/x", 0644, 4 },
};

static int depth(const char *path)
{
	int d = 0;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

static void add_item(struct initfs_writer *w, size_t i)
{
	const char *path = sample[i].path;
	uint32_t perm = sample[i].perm;
	int err;

	switch (sample[i].kind) {
	case 0:
		err = initfs_writer_add_dir(w, path, perm);
		break;
	case 1:
		err = initfs_writer_add_file(w, path, perm, big, sizeof(big));
		break;
	case 2:
		err = initfs_writer_add_file(w, path, perm, small, sizeof(small));
		break;
	case 3:
		err = initfs_writer_add_file(w, path, perm, NULL, 0);
		break;
	default:
		err = initfs_writer_add_file(w, path, perm, "hello\n", 6);
		break;
	}
	assert_int_equal(err, 0);
}

static void add_sample(struct initfs_writer *w, bool reversed)
{
	size_t n = ARRAY_SIZE(sample);

	if (!reversed) {
		for (size_t i = 0; i < n; i++)
			add_item(w, i);
		return;
	}
	for (int d = 0; d < 8; d++)
		for (size_t i = n; i-- > 0;)
			if (sample[i].kind == 0 && depth(sample[i].path) == d)
				add_item(w, i);
	for (size_t i = n; i-- > 0;)
		if (sample[i].kind != 0)
			add_item(w, i);
}

static void build_sample(uint8_t **img, size_t *len, bool reversed)
{
	struct initfs_writer *w = initfs_writer_new(0755);

	assert_non_null(w);
	add_sample(w, reversed);
	finish(w, img, len);
}

/*
 * The small tree for structural damage: entries
 *   0 /   1 d1 (dir)   2 e1 (empty file)   3 d1/f1 (file "x")
 */
static void build_small(uint8_t **img, size_t *len)
{
	struct initfs_writer *w = initfs_writer_new(0755);

	assert_non_null(w);
	assert_int_equal(initfs_writer_add_dir(w, "d1", 0755), 0);
	assert_int_equal(initfs_writer_add_file(w, "e1", 0644, NULL, 0), 0);
	assert_int_equal(initfs_writer_add_file(w, "d1/f1", 0755, "x", 1), 0);
	finish(w, img, len);
}

static struct initfs_header get_header(const uint8_t *img)
{
	struct initfs_header h;

	memcpy(&h, img, sizeof(h));
	return h;
}

static void put_header(uint8_t *img, const struct initfs_header *h)
{
	memcpy(img, h, sizeof(*h));
}

static struct initfs_entry get_entry(const uint8_t *img, uint32_t i)
{
	struct initfs_entry e;

	memcpy(&e, img + sizeof(struct initfs_header) + i * sizeof(e), sizeof(e));
	return e;
}

static void put_entry(uint8_t *img, uint32_t i, const struct initfs_entry *e)
{
	memcpy(img + sizeof(struct initfs_header) + i * sizeof(*e), e, sizeof(*e));
}

static void fix_crc(uint8_t *img, size_t len)
{
	struct initfs_header h = get_header(img);

	h.crc32 = 0;
	put_header(img, &h);
	h.crc32 = initfs_crc32(0, img, len);
	put_header(img, &h);
}

/* img's header CRC is right (so only its tables can be wrong). */
static bool crc_matches(const uint8_t *img, size_t len)
{
	struct initfs_header h;
	uint8_t *copy;
	uint32_t want;
	bool ok;

	if (img == NULL || len < sizeof(h))
		return false;
	h = get_header(img);
	if (h.total_size > len)
		return false;
	want = h.crc32;
	copy = dup_exact(img, len);
	fix_crc(copy, h.total_size);
	ok = get_header(copy).crc32 == want;
	free(copy);
	return ok;
}

/* img is refused, fs is left empty and every query on it fails cleanly. */
static void expect_invalid(const uint8_t *img, size_t len)
{
	uint8_t *copy = dup_exact(img, len);
	struct initfs_stat st;
	struct initfs fs;
	uint32_t cursor = 0;

	memset(&fs, 0xa5, sizeof(fs));
	assert_int_equal(initfs_open(&fs, copy, len), -EINVAL);
	assert_null(fs.base);
	assert_int_equal(fs.count, 0);
	/* Without the CRC check too, unless the CRC was all that was wrong. */
	if (crc_matches(img, len)) {
		memset(&fs, 0xa5, sizeof(fs));
		assert_int_equal(initfs_open_verified(&fs, copy, len), -EINVAL);
		assert_int_equal(fs.count, 0);
	}
	assert_int_equal(initfs_lookup(&fs, "", &st), -EINVAL);
	assert_int_equal(initfs_stat_index(&fs, 0, &st), -ENOENT);
	assert_int_equal(initfs_readdir(&fs, 0, &cursor, NULL, NULL), -ENOENT);
	assert_null(initfs_name(&fs, 0));
	free(copy);
}

/* struct initfs_stat has padding: compare it field by field. */
static void assert_stat_equal(const struct initfs_stat *a, const struct initfs_stat *b)
{
	assert_int_equal(a->index, b->index);
	assert_int_equal(a->parent, b->parent);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->size, b->size);
	assert_ptr_equal(a->data, b->data);
	assert_int_equal(a->ino, b->ino);
}

/* Every entry is reachable by readdir and by lookup of its path. */
static uint32_t walk(const struct initfs *fs, uint32_t dir, char *path, size_t len)
{
	struct initfs_stat st, st2;
	const char *name;
	uint32_t cursor = 0, seen = 0;
	int r;

	while ((r = initfs_readdir(fs, dir, &cursor, &name, &st)) == 1) {
		size_t n = strlen(name), at = len > 0 ? len + 1 : 0;
		uint32_t c2 = 0;

		assert_int_equal(st.parent, dir);
		assert_string_equal(initfs_name(fs, st.index), name);
		assert_true(at + n < INITFS_PATH_MAX);
		if (len > 0)
			path[len] = '/';
		memcpy(path + at, name, n + 1);
		assert_int_equal(initfs_lookup(fs, path, &st2), (int)st.index);
		assert_stat_equal(&st, &st2);
		seen++;
		if ((st.mode & INITFS_S_IFMT) == INITFS_S_IFDIR)
			seen += walk(fs, st.index, path, at + n);
		else
			assert_int_equal(initfs_readdir(fs, st.index, &c2, NULL, NULL), -ENOTDIR);
	}
	assert_int_equal(r, 0);
	path[len] = '\0';
	return seen;
}

static void check_walk(const struct initfs *fs)
{
	static char path[INITFS_PATH_MAX];

	path[0] = '\0';
	assert_int_equal(walk(fs, INITFS_ROOT, path, 0), fs->count - 1);
}

/* ---- round trip ------------------------------------------------------- */

static void test_crc32(void **state)
{
	(void)state;
	assert_int_equal(initfs_crc32(0, "", 0), 0);
	assert_int_equal(initfs_crc32(0, "123456789", 9), 0xcbf43926);
	assert_int_equal(initfs_crc32(0, "The quick brown fox jumps over the lazy dog", 43),
			 0x414fa339);
	assert_int_equal(initfs_crc32(initfs_crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
}

static void expect_file(const struct initfs *fs, const char *path, uint32_t mode,
			const void *data, size_t size)
{
	struct initfs_stat st;
	int idx = initfs_lookup(fs, path, &st);

	assert_true(idx > 0);
	assert_int_equal(st.index, (uint32_t)idx);
	assert_int_equal(st.ino, (uint64_t)idx + 1);
	assert_int_equal(st.mode, INITFS_S_IFREG | mode);
	assert_int_equal(st.size, size);
	assert_non_null(st.data);
	/* Page aligned within the archive. */
	assert_int_equal(((const uint8_t *)st.data - fs->base) % INITFS_DATA_ALIGN, 0);
	assert_true((const uint8_t *)st.data + size <= fs->base + fs->size);
	if (size > 0)
		assert_memory_equal(st.data, data, size);
}

static void expect_dir(const struct initfs *fs, const char *path, uint32_t mode)
{
	struct initfs_stat st;
	int idx = initfs_lookup(fs, path, &st);

	assert_true(idx >= 0);
	assert_int_equal(st.mode, INITFS_S_IFDIR | mode);
	assert_int_equal(st.size, 0);
	assert_null(st.data);
	assert_int_equal(st.ino, (uint64_t)idx + 1);
}

static void expect_link(const struct initfs *fs, const char *path, const char *target)
{
	struct initfs_stat st;
	int idx = initfs_lookup(fs, path, &st);

	assert_true(idx > 0);
	assert_int_equal(st.mode, INITFS_S_IFLNK | 0777);
	assert_int_equal(st.size, strlen(target));
	assert_memory_equal(st.data, target, st.size);
	assert_true((const uint8_t *)st.data + st.size <= fs->base + fs->size);
}

static void expect_owner(const struct initfs *fs, const char *path, uint32_t uid, uint32_t gid)
{
	struct initfs_stat st;

	assert_true(initfs_lookup(fs, path, &st) >= 0);
	assert_int_equal(st.uid, uid);
	assert_int_equal(st.gid, gid);
}

/* initfs_open_verified skips the CRC only: a flipped data byte is refused
 * by initfs_open but read by it, with every table check kept. */
static void test_open_verified(void **state)
{
	struct initfs_stat st;
	struct initfs fs;
	uint8_t *img, *copy, *byte;
	size_t len;

	(void)state;
	build_small(&img, &len);
	copy = dup_exact(img, len);

	assert_int_equal(initfs_open_verified(&fs, copy, len), 0);
	assert_int_equal(fs.count, 4);
	/* A file's first byte: only the CRC can tell. */
	assert_true(initfs_lookup(&fs, "d1/f1", &st) > 0);
	assert_true(st.size > 0);
	byte = copy + ((const uint8_t *)st.data - copy);
	*byte ^= 1;
	assert_int_equal(initfs_open(&fs, copy, len), -EINVAL);
	assert_int_equal(initfs_open_verified(&fs, copy, len), 0);
	check_walk(&fs);
	*byte ^= 1;
	/* The root entry's mode (not a directory): the tables still tell. */
	copy[sizeof(struct initfs_header) + 1] ^= 0xff;
	assert_int_equal(initfs_open_verified(&fs, copy, len), -EINVAL);
	assert_int_equal(fs.count, 0);
	free(copy);
	free(img);
}

static void test_roundtrip(void **state)
{
	struct initfs_header h;
	struct initfs_stat st;
	struct initfs fs;
	uint8_t *img, *copy;
	size_t len;

	(void)state;
	build_sample(&img, &len, false);
	copy = dup_exact(img, len);
	assert_int_equal(initfs_open(&fs, copy, len), 0);
	assert_ptr_equal(fs.base, copy);
	assert_int_equal(fs.size, len);
	assert_int_equal(fs.count, 16);

	h = get_header(copy);
	assert_memory_equal(h.magic, "ANODEIFS", 8);
	assert_int_equal(h.version, INITFS_VERSION);
	assert_int_equal(h.total_size, len);
	assert_int_equal(len % 4096, 0);
	assert_int_equal(h.data_offset, 4096);

	expect_dir(&fs, "", 0755);
	expect_dir(&fs, "a", 0750);
	expect_dir(&fs, "emptydir", 0700);
	expect_dir(&fs, "etc/deep/a/b", 0755);
	expect_file(&fs, "bin/init", 04755, big, sizeof(big));
	expect_file(&fs, "bin/sh", 0755, small, sizeof(small));
	expect_file(&fs, "etc/motd", 0644, "hello\n", 6);
	expect_file(&fs, "etc/empty", 0644, NULL, 0);
	expect_file(&fs, "Z", 0600, NULL, 0);
	expect_file(&fs, "etc/deep/a/b/leaf", 0444, small, sizeof(small));
	expect_file(&fs, "a/x", 0644, "hello\n", 6);
	expect_file(&fs, "a-b", 0644, "hello\n", 6);
	/* The bytes after a file's end, to the next page, are zero. */
	assert_int_equal(initfs_lookup(&fs, "etc/motd", &st), initfs_lookup(&fs, "/etc/motd", NULL));
	for (size_t i = 6; i < INITFS_DATA_ALIGN; i++)
		assert_int_equal(((const uint8_t *)st.data)[i], 0);
	check_walk(&fs);
	free(copy);
	free(img);
}

static void test_lookup(void **state)
{
	char longname[INITFS_NAME_MAX + 2], longpath[INITFS_PATH_MAX + 1];
	struct initfs_stat st, root, bin, init;
	struct initfs fs;
	uint8_t *img;
	size_t len;

	(void)state;
	build_sample(&img, &len, false);
	assert_int_equal(initfs_open(&fs, img, len), 0);

	/* The root, in every spelling. */
	assert_int_equal(initfs_lookup(&fs, "", &root), 0);
	assert_int_equal(root.index, 0);
	assert_int_equal(root.parent, 0);
	assert_int_equal(root.ino, 1);
	assert_string_equal(initfs_name(&fs, 0), "");
	for (const char *const *p = (const char *const[]){ "/", "//", ".", "./", "/./.", "..",
							  "../..", "/..", "bin/..", "etc/deep/a/../../..",
							  NULL }; *p; p++)
		assert_int_equal(initfs_lookup(&fs, *p, NULL), 0);

	/* Leading, repeated and trailing '/', "." and "..". */
	assert_true(initfs_lookup(&fs, "bin/init", &init) > 0);
	assert_true(initfs_lookup(&fs, "bin", &bin) > 0);
	assert_int_equal(init.parent, bin.index);
	assert_int_equal(bin.parent, 0);
	for (const char *const *p = (const char *const[]){ "/bin/init", "bin//init", "//bin///init",
							  "./bin/./init", "etc/../bin/init",
							  "bin/../../bin/init", NULL }; *p; p++) {
		assert_int_equal(initfs_lookup(&fs, *p, &st), (int)init.index);
		assert_stat_equal(&st, &init);
	}
	assert_int_equal(initfs_lookup(&fs, "bin/", NULL), (int)bin.index);
	assert_int_equal(initfs_lookup(&fs, "/bin//", NULL), (int)bin.index);

	/* Missing. */
	assert_int_equal(initfs_lookup(&fs, "nope", NULL), -ENOENT);
	assert_int_equal(initfs_lookup(&fs, "bin/nope", NULL), -ENOENT);
	assert_int_equal(initfs_lookup(&fs, "nope/init", NULL), -ENOENT);
	assert_int_equal(initfs_lookup(&fs, "bin/ini", NULL), -ENOENT);
	assert_int_equal(initfs_lookup(&fs, "bin/initt", NULL), -ENOENT);
	assert_int_equal(initfs_lookup(&fs, "BIN", NULL), -ENOENT);
	assert_int_equal(initfs_lookup(&fs, "x", NULL), -ENOENT);	/* a/x, not /x */
	assert_int_equal(initfs_lookup(&fs, "etc/deep/b", NULL), -ENOENT);

	/* A file used as a directory. */
	assert_int_equal(initfs_lookup(&fs, "bin/init/", NULL), -ENOTDIR);
	assert_int_equal(initfs_lookup(&fs, "bin/init/x", NULL), -ENOTDIR);
	assert_int_equal(initfs_lookup(&fs, "bin/init/.", NULL), -ENOTDIR);
	assert_int_equal(initfs_lookup(&fs, "bin/init/..", NULL), -ENOTDIR);
	assert_int_equal(initfs_lookup(&fs, "Z/", NULL), -ENOTDIR);
	assert_int_equal(initfs_lookup(&fs, "nope/x/", NULL), -ENOENT);

	/* Lengths: a NAME_MAX component is looked up, one more is too long;
	 * a path of PATH_MAX bytes with its NUL is fine, one more is too long. */
	memset(longname, 'n', sizeof(longname));
	longname[INITFS_NAME_MAX] = '\0';
	assert_int_equal(initfs_lookup(&fs, longname, NULL), -ENOENT);
	longname[INITFS_NAME_MAX] = 'n';
	longname[INITFS_NAME_MAX + 1] = '\0';
	assert_int_equal(initfs_lookup(&fs, longname, NULL), -ENAMETOOLONG);
	memset(longpath, '/', sizeof(longpath));
	longpath[INITFS_PATH_MAX - 1] = '\0';
	memcpy(longpath + INITFS_PATH_MAX - 9, "bin/init", 8);
	assert_int_equal(initfs_lookup(&fs, longpath, NULL), (int)init.index);
	longpath[INITFS_PATH_MAX - 1] = '/';
	longpath[INITFS_PATH_MAX] = '\0';
	assert_int_equal(initfs_lookup(&fs, longpath, NULL), -ENAMETOOLONG);

	/* From a directory. */
	assert_int_equal(initfs_lookup_at(&fs, bin.index, "init", NULL), (int)init.index);
	assert_int_equal(initfs_lookup_at(&fs, bin.index, "", NULL), (int)bin.index);
	assert_int_equal(initfs_lookup_at(&fs, bin.index, "..", NULL), 0);
	assert_int_equal(initfs_lookup_at(&fs, bin.index, "../etc/motd", NULL),
			 initfs_lookup(&fs, "etc/motd", NULL));
	assert_int_equal(initfs_lookup_at(&fs, bin.index, "/bin", NULL), (int)bin.index);
	assert_int_equal(initfs_lookup_at(&fs, bin.index, "etc", NULL), -ENOENT);
	assert_int_equal(initfs_lookup_at(&fs, init.index, "x", NULL), -ENOTDIR);
	assert_int_equal(initfs_lookup_at(&fs, init.index, "", NULL), (int)init.index);
	assert_int_equal(initfs_lookup_at(&fs, init.index, "/bin", NULL), (int)bin.index);
	assert_int_equal(initfs_lookup_at(&fs, fs.count, "", NULL), -ENOENT);
	assert_int_equal(initfs_lookup(&fs, NULL, NULL), -EINVAL);

	/* By index. */
	assert_int_equal(initfs_stat_index(&fs, init.index, &st), 0);
	assert_stat_equal(&st, &init);
	assert_int_equal(initfs_stat_index(&fs, fs.count, &st), -ENOENT);
	assert_int_equal(initfs_stat_index(&fs, UINT32_MAX, &st), -ENOENT);
	assert_null(initfs_name(&fs, fs.count));
	assert_string_equal(initfs_name(&fs, init.index), "init");
	free(img);
}

static void expect_children(const struct initfs *fs, const char *dir,
			    const char *const *names, uint32_t n)
{
	struct initfs_stat st;
	const char *name;
	uint32_t cursor = 0;
	int d = initfs_lookup(fs, dir, NULL);

	assert_true(d >= 0);
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(initfs_readdir(fs, (uint32_t)d, &cursor, &name, &st), 1);
		assert_string_equal(name, names[i]);
		assert_int_equal(cursor, i + 1);
		assert_int_equal(st.parent, (uint32_t)d);
	}
	assert_int_equal(initfs_readdir(fs, (uint32_t)d, &cursor, &name, &st), 0);
	assert_int_equal(initfs_readdir(fs, (uint32_t)d, &cursor, &name, &st), 0);
	assert_int_equal(cursor, n);
	/* Any cursor resumes at that child. */
	for (uint32_t k = 0; k < n; k++) {
		cursor = k;
		assert_int_equal(initfs_readdir(fs, (uint32_t)d, &cursor, &name, NULL), 1);
		assert_string_equal(name, names[k]);
	}
	cursor = UINT32_MAX;
	assert_int_equal(initfs_readdir(fs, (uint32_t)d, &cursor, &name, &st), 0);
}

static void test_readdir(void **state)
{
	static const char *const root[] = { "Z", "a", "a-b", "bin", "emptydir", "etc" };
	static const char *const bin[] = { "init", "sh" };
	static const char *const etc[] = { "deep", "empty", "motd" };
	static const char *const leaf[] = { "leaf" };
	struct initfs fs;
	uint32_t cursor = 0;
	uint8_t *img;
	size_t len;

	(void)state;
	build_sample(&img, &len, false);
	assert_int_equal(initfs_open(&fs, img, len), 0);
	expect_children(&fs, "/", root, ARRAY_SIZE(root));
	expect_children(&fs, "bin", bin, ARRAY_SIZE(bin));
	expect_children(&fs, "etc", etc, ARRAY_SIZE(etc));
	expect_children(&fs, "emptydir", NULL, 0);
	expect_children(&fs, "etc/deep/a/b", leaf, 1);
	assert_int_equal(initfs_readdir(&fs, (uint32_t)initfs_lookup(&fs, "bin/sh", NULL), &cursor,
					NULL, NULL), -ENOTDIR);
	assert_int_equal(initfs_readdir(&fs, fs.count, &cursor, NULL, NULL), -ENOENT);
	free(img);
}

static void test_empty_archive(void **state)
{
	struct initfs_writer *w = initfs_writer_new(0700);
	struct initfs_stat st;
	struct initfs fs;
	uint32_t cursor = 0;
	uint8_t *img;
	size_t len;

	(void)state;
	assert_non_null(w);
	finish(w, &img, &len);
	assert_int_equal(len, INITFS_DATA_ALIGN);
	assert_int_equal(initfs_open(&fs, img, len), 0);
	assert_int_equal(fs.count, 1);
	assert_int_equal(initfs_lookup(&fs, "/", &st), 0);
	assert_int_equal(st.mode, INITFS_S_IFDIR | 0700);
	assert_int_equal(initfs_lookup(&fs, "x", NULL), -ENOENT);
	assert_int_equal(initfs_readdir(&fs, 0, &cursor, NULL, NULL), 0);
	free(img);
}

/* A longer blob (a loader rounded it up) is fine: the archive is its head. */
static void test_longer_blob(void **state)
{
	struct initfs fs;
	uint8_t *img, *longer;
	size_t len;

	(void)state;
	build_sample(&img, &len, false);
	longer = malloc(len + 5000);
	assert_non_null(longer);
	memcpy(longer, img, len);
	memset(longer + len, 0xee, 5000);
	assert_int_equal(initfs_open(&fs, longer, len + 5000), 0);
	assert_int_equal(fs.size, len);
	check_walk(&fs);
	free(longer);
	free(img);
}

static void test_deterministic(void **state)
{
	uint8_t *a, *b, *c;
	size_t alen, blen, clen;
	struct initfs_writer *w;

	(void)state;
	build_sample(&a, &alen, false);
	build_sample(&b, &blen, true);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	/* A different tree gives different bytes. */
	w = initfs_writer_new(0755);
	assert_non_null(w);
	add_sample(w, false);
	assert_int_equal(initfs_writer_add_file(w, "extra", 0644, "1", 1), 0);
	finish(w, &c, &clen);
	assert_true(clen != alen || memcmp(a, c, alen) != 0);
	free(a);
	free(b);
	free(c);
}

static void test_writer_errors(void **state)
{
	struct initfs_writer *w = initfs_writer_new(0755);
	char name[INITFS_NAME_MAX + 2], path[INITFS_PATH_MAX + 300];
	size_t len;

	(void)state;
	assert_non_null(w);
	assert_null(initfs_writer_new(0170755));
	assert_int_equal(initfs_writer_add_dir(w, "d", 0755), 0);
	assert_int_equal(initfs_writer_add_file(w, "f", 0644, "x", 1), 0);
	assert_int_equal(initfs_writer_add_dir(w, "d", 0755), -EEXIST);
	assert_int_equal(initfs_writer_add_file(w, "d", 0644, NULL, 0), -EEXIST);
	assert_int_equal(initfs_writer_add_file(w, "f", 0644, NULL, 0), -EEXIST);
	assert_int_equal(initfs_writer_add_dir(w, "missing/x", 0755), -ENOENT);
	assert_int_equal(initfs_writer_add_dir(w, "f/x", 0755), -ENOTDIR);
	for (const char *const *p = (const char *const[]){ "", "/d/x", "d/", "d//x", ".", "..",
							  "d/./x", "d/../x", "./d", NULL }; *p; p++)
		assert_int_equal(initfs_writer_add_dir(w, *p, 0755), -EINVAL);
	assert_int_equal(initfs_writer_add_dir(w, NULL, 0755), -EINVAL);
	assert_int_equal(initfs_writer_add_dir(w, "d/x", 010000), -EINVAL);
	assert_int_equal(initfs_writer_add_file(w, "d/x", INITFS_S_IFREG | 0644, NULL, 0), -EINVAL);
	assert_int_equal(initfs_writer_add_file(w, "d/x", 0644, NULL, 1), -EINVAL);
	/* Names are fine up to NAME_MAX bytes, dots inside them too. */
	memset(name, 'n', sizeof(name));
	name[INITFS_NAME_MAX] = '\0';
	assert_int_equal(initfs_writer_add_dir(w, name, 0755), 0);
	name[INITFS_NAME_MAX] = 'n';
	name[INITFS_NAME_MAX + 1] = '\0';
	assert_int_equal(initfs_writer_add_dir(w, name, 0755), -ENAMETOOLONG);
	assert_int_equal(initfs_writer_add_file(w, "...", 0644, NULL, 0), 0);
	assert_int_equal(initfs_writer_add_file(w, ".hidden", 0644, NULL, 0), 0);
	/* Paths: nest 200-byte directories until the path would reach
	 * PATH_MAX bytes with its NUL; then a file whose path just fits. */
	memset(name, 'p', 200);
	name[200] = '\0';
	len = 200;
	memcpy(path, name, len + 1);
	assert_int_equal(initfs_writer_add_dir(w, path, 0755), 0);
	for (;;) {
		size_t next = len + 1 + 200;

		path[len] = '/';
		memcpy(path + len + 1, name, 201);
		if (next >= INITFS_PATH_MAX) {
			assert_int_equal(initfs_writer_add_dir(w, path, 0755), -ENAMETOOLONG);
			path[INITFS_PATH_MAX] = '\0';
			assert_int_equal(initfs_writer_add_file(w, path, 0644, "deep", 4),
					 -ENAMETOOLONG);
			path[INITFS_PATH_MAX - 1] = '\0';
			assert_int_equal(initfs_writer_add_file(w, path, 0644, "deep", 4), 0);
			break;
		}
		assert_int_equal(initfs_writer_add_dir(w, path, 0755), 0);
		len = next;
	}
	/* And the reader reaches it. */
	{
		struct initfs_stat st;
		struct initfs fs;
		uint8_t *img;
		size_t n;

		assert_int_equal(initfs_writer_finish(w, &img, &n), 0);
		assert_int_equal(initfs_open(&fs, img, n), 0);
		assert_true(initfs_lookup(&fs, path, &st) > 0);
		assert_int_equal(st.size, 4);
		assert_memory_equal(st.data, "deep", 4);
		check_walk(&fs);
		free(img);
	}
	initfs_writer_free(w);
}

/* ---- corruption ------------------------------------------------------- */

static void test_bad_header(void **state)
{
	struct initfs_header h0, h;
	uint8_t *img;
	size_t len;

	(void)state;
	build_sample(&img, &len, false);
	h0 = get_header(img);
	expect_invalid(NULL, 0);

#define BAD(stmt)                          \
	do {                               \
		h = h0;                    \
		stmt;                      \
		put_header(img, &h);       \
		fix_crc(img, len);         \
		expect_invalid(img, len);  \
	} while (0)
	BAD(h.magic[0] = 'a');
	BAD(memcpy(h.magic, "ANODEIFZ", 8));
	BAD(h.version = 0);
	BAD(h.version = 1);				/* 32-byte entries, no links */
	BAD(h.version = 3);
	BAD(h.version = 0x01000000);
	BAD(h.header_size = 72);
	BAD(h.header_size = 0);
	BAD(h.entry_size = 32);
	BAD(h.entry_size = 48);
	BAD(h.flags = 1);
	BAD(h.flags = 0x80000000);
	BAD(h.entry_count = 0);
	BAD(h.entry_count = h0.entry_count + 1);
	BAD(h.entry_count = h0.entry_count - 1);
	BAD(h.entry_count = UINT32_MAX);
	BAD(h.entry_count = INITFS_MAX_ENTRIES + 1);
	BAD(h.names_offset = h0.names_offset + 1);
	BAD(h.names_offset = UINT64_MAX);
	BAD(h.names_size = 0);
	BAD(h.names_size = h0.data_offset - h0.names_offset + 1);
	BAD(h.names_size = UINT64_MAX);
	BAD(h.names_size = h0.names_size - 1);	/* the last name's NUL falls out */
	BAD(h.data_offset = 0);
	BAD(h.data_offset = h0.data_offset + 1);
	BAD(h.data_offset = h0.data_offset + INITFS_DATA_ALIGN); /* files before it */
	BAD(h.data_offset = h0.total_size + INITFS_DATA_ALIGN);
	BAD(h.data_offset = UINT64_MAX & ~(uint64_t)4095);
	/* total_size: beyond the blob, unaligned, or cutting into file data. */
	BAD(h.total_size = len + INITFS_DATA_ALIGN);
	BAD(h.total_size = len - 1);
	BAD(h.total_size = len - INITFS_DATA_ALIGN);
	BAD(h.total_size = 0);
	BAD(h.total_size = UINT64_MAX);
	/* A wrong checksum, with everything else intact. */
	h = h0;
	h.crc32 ^= 1;
	put_header(img, &h);
	expect_invalid(img, len);
#undef BAD
	free(img);
}

/* Every length short of the archive is refused: as the blob size, and as
 * a total_size (with the checksum fixed) when it is a whole number of pages. */
static void test_truncated(void **state)
{
	struct initfs_header h;
	uint8_t *img;
	size_t len;

	(void)state;
	build_sample(&img, &len, false);
	for (size_t n = 0; n < len; n++)
		expect_invalid(img, n);
	for (size_t n = INITFS_DATA_ALIGN; n < len; n += INITFS_DATA_ALIGN) {
		uint8_t *cut = dup_exact(img, n);

		h = get_header(cut);
		h.total_size = n;
		put_header(cut, &h);
		fix_crc(cut, n);
		expect_invalid(cut, n);
		free(cut);
	}
	free(img);
}

/* Any byte changed anywhere is caught by the checksum. */
static void test_flipped_bytes(void **state)
{
	uint8_t *img;
	size_t len;

	(void)state;
	build_small(&img, &len);
	assert_int_equal(len, 2 * INITFS_DATA_ALIGN);
	for (size_t i = 0; i < len; i++) {
		uint8_t saved = img[i];

		img[i] ^= (uint8_t)(1u << (i % 8));
		expect_invalid(img, len);
		img[i] = saved ^ 0xff;
		expect_invalid(img, len);
		img[i] = saved;
	}
	free(img);
}

/* Damage to the entries and names, checksum fixed so that the structural
 * checks are what refuses it. Entries of build_small():
 *   0 /   1 d1 (dir)   2 e1 (empty file)   3 d1/f1 (file "x") */
static void test_bad_structure(void **state)
{
	struct initfs_entry e0[4], e[4];
	struct initfs_header h;
	struct initfs fs;
	uint8_t *img, *copy;
	char *names;
	size_t len;

	(void)state;
	build_small(&img, &len);
	h = get_header(img);
	names = (char *)img + h.names_offset;
	assert_int_equal(h.entry_count, 4);
	for (uint32_t i = 0; i < 4; i++)
		e0[i] = get_entry(img, i);
	assert_string_equal(names + e0[1].name_offset, "d1");
	assert_string_equal(names + e0[2].name_offset, "e1");
	assert_string_equal(names + e0[3].name_offset, "f1");
	assert_int_equal(e0[3].parent, 1);

	/* The baseline opens: the mutations below are what breaks it. */
	assert_int_equal(initfs_open(&fs, img, len), 0);

#define BAD(stmt)                                       \
	do {                                            \
		copy = dup_exact(img, len);             \
		memcpy(e, e0, sizeof(e));               \
		names = (char *)copy + h.names_offset;  \
		stmt;                                   \
		for (uint32_t i = 0; i < 4; i++)        \
			put_entry(copy, i, &e[i]);      \
		fix_crc(copy, len);                     \
		expect_invalid(copy, len);              \
		free(copy);                             \
	} while (0)
	/* Names out of range or not terminated. */
	BAD(e[3].name_offset = (uint32_t)h.names_size);
	BAD(e[3].name_offset = UINT32_MAX);
	BAD(e[3].name_len = UINT32_MAX);
	BAD(e[3].name_len = (uint32_t)h.names_size);
	BAD(e[3].name_len = 1);				/* "f" followed by '1', not NUL */
	BAD(e[3].name_offset = e0[3].name_offset + 1; e[3].name_len = 2);
	BAD(e[0].name_offset = (uint32_t)h.names_size);
	/* Names that are not valid components. */
	BAD(memcpy(names + e0[3].name_offset, "..", 2));
	BAD(memcpy(names + e0[3].name_offset, ".\0", 2); e[3].name_len = 1);
	BAD(names[e0[3].name_offset + 1] = '/');
	BAD(names[e0[3].name_offset] = '/');
	BAD(names[e0[3].name_offset + 1] = '\0');	/* NUL inside the name */
	BAD(e[3].name_offset = 0; e[3].name_len = 0);	/* empty name */
	BAD(e[0].name_offset = e0[1].name_offset; e[0].name_len = 2); /* root named */
	/* Order: swapped names, a duplicate, parents not ascending. */
	BAD(e[1].name_offset = e0[2].name_offset; e[2].name_offset = e0[1].name_offset);
	BAD(e[2].name_offset = e0[1].name_offset);
	BAD(e[2] = e0[1]);
	BAD(e[3] = e0[2]; e[2] = e0[3]);
	/* Parents: missing, itself, later, a file; the root's must be 0. */
	BAD(e[3].parent = 4);
	BAD(e[3].parent = 3);
	BAD(e[3].parent = UINT32_MAX);
	BAD(e[2].parent = 3);
	BAD(e[3].parent = 2);				/* e1 is a file */
	BAD(e[0].parent = 1);
	/* Modes. */
	BAD(e[0].mode = INITFS_S_IFREG | 0755);
	BAD(e[1].mode = 0120777);			/* a symlink */
	BAD(e[1].mode = 0020644);			/* a character device */
	BAD(e[1].mode = 0755);				/* no type */
	BAD(e[3].mode |= 0200000);
	BAD(e[3].mode = INITFS_S_IFDIR | 0755);		/* a dir with data */
	/* Sizes and data ranges. */
	BAD(e[1].size = 1);
	BAD(e[1].data_offset = INITFS_DATA_ALIGN);
	BAD(e[2].data_offset = INITFS_DATA_ALIGN);	/* empty file with an offset */
	BAD(e[3].data_offset += 1);
	BAD(e[3].data_offset = 0);
	BAD(e[3].data_offset = h.data_offset - INITFS_DATA_ALIGN);
	BAD(e[3].data_offset = len);
	BAD(e[3].data_offset = UINT64_MAX & ~(uint64_t)4095);
	BAD(e[3].size = INITFS_DATA_ALIGN + 1);
	BAD(e[3].size = UINT64_MAX);
	BAD(e[3].size = UINT64_MAX - e0[3].data_offset + 1);	/* wraps to 0 */
	/* Padding after a file's data must be zero (mmap shows it). */
	BAD(copy[e0[3].data_offset + 1] = 1);
	BAD(copy[e0[3].data_offset + INITFS_DATA_ALIGN - 1] = 0x80);
#undef BAD
	/* Not everything is damage: bytes between tables are not checked,
	 * a file may move within the data area, and bytes outside every file
	 * (here, the gap that leaves) may be anything. */
	copy = dup_exact(img, len);
	memset(copy + h.names_offset + h.names_size, 0x5a,
	       h.data_offset - h.names_offset - h.names_size);
	fix_crc(copy, len);
	assert_int_equal(initfs_open(&fs, copy, len), 0);
	free(copy);
	free(img);
}

/* Random damage with the checksum fixed: refused or, if accepted, still
 * safe to walk end to end. */
static void test_fuzz(void **state)
{
	unsigned seed = 12345, accepted = 0;
	uint8_t *img;
	size_t len;

	(void)state;
	build_sample(&img, &len, false);
	for (int round = 0; round < 3000; round++) {
		uint8_t *copy = dup_exact(img, len);
		struct initfs fs;
		int r;

		/* Mostly metadata: the header, entries and names are in page 0. */
		for (int k = 0, n = 1 + round % 4; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			size_t pos = (seed >> 8) % (round % 5 == 0 ? len : INITFS_DATA_ALIGN);

			seed = seed * 1103515245 + 12345;
			copy[pos] = (uint8_t)(seed >> 16);
		}
		fix_crc(copy, len);
		r = initfs_open(&fs, copy, len);
		if (r == 0) {
			accepted++;
			check_walk(&fs);
		} else {
			assert_int_equal(r, -EINVAL);
		}
		free(copy);
	}
	/* Some damage was harmless (e.g. in unused bytes), most was not. */
	assert_true(accepted > 0);
	assert_true(accepted < 3000);
	free(img);
}

/* ---- symbolic links and owners (version 2) ----------------------------- */

/* Entries: 0 /   1 bin (dir)   2 dev (dir)   3 bin/busybox   4 bin/sh -> busybox
 *          5 dev/null -> /scheme/null */
static void build_links(uint8_t **img, size_t *len)
{
	struct initfs_writer *w = initfs_writer_new(0755);

	assert_non_null(w);
	assert_int_equal(initfs_writer_add_dir(w, "bin", 0755), 0);
	assert_int_equal(initfs_writer_add_dir(w, "dev", 0755), 0);
	assert_int_equal(initfs_writer_add_file(w, "bin/busybox", 0755, "bb", 2), 0);
	assert_int_equal(initfs_writer_add_symlink(w, "bin/sh", "busybox"), 0);
	assert_int_equal(initfs_writer_add_symlink(w, "dev/null", "/scheme/null"), 0);
	assert_int_equal(initfs_writer_chown(w, "dev", 1000, 1000), 0);
	assert_int_equal(initfs_writer_chown(w, "", 0, 5), 0);
	finish(w, img, len);
}

static void test_links(void **state)
{
	char long_target[INITFS_PATH_MAX + 1];
	struct initfs_writer *w;
	struct initfs_stat st;
	struct initfs fs;
	uint8_t *img;
	size_t len;

	(void)state;
	build_links(&img, &len);
	assert_int_equal(initfs_open(&fs, img, len), 0);
	expect_link(&fs, "bin/sh", "busybox");
	expect_link(&fs, "/dev/null", "/scheme/null");
	expect_file(&fs, "bin/busybox", 0755, "bb", 2);
	expect_owner(&fs, "dev", 1000, 1000);
	expect_owner(&fs, "", 0, 5);
	expect_owner(&fs, "bin/sh", 0, 0);
	/* Lexical lookup: a link is not a directory. */
	assert_int_equal(initfs_lookup(&fs, "bin/sh/x", &st), -ENOTDIR);
	assert_int_equal(initfs_lookup(&fs, "bin/sh/", &st), -ENOTDIR);
	/* Targets are packed before the data area: one page of metadata. */
	assert_int_equal(get_header(img).data_offset, INITFS_DATA_ALIGN);
	check_walk(&fs);

	/* The writer's refusals. */
	w = initfs_writer_new(0755);
	assert_non_null(w);
	memset(long_target, 'a', sizeof(long_target) - 1);
	long_target[sizeof(long_target) - 1] = '\0';
	assert_int_equal(initfs_writer_add_symlink(w, "l", ""), -EINVAL);
	assert_int_equal(initfs_writer_add_symlink(w, "l", NULL), -EINVAL);
	assert_int_equal(initfs_writer_add_symlink(w, "l", long_target), -ENAMETOOLONG);
	long_target[INITFS_PATH_MAX - 1] = '\0';	/* the longest allowed */
	assert_int_equal(initfs_writer_add_symlink(w, "l", long_target), 0);
	assert_int_equal(initfs_writer_add_symlink(w, "l", "x"), -EEXIST);
	assert_int_equal(initfs_writer_add_file(w, "l/x", 0644, NULL, 0), -ENOTDIR);
	assert_int_equal(initfs_writer_chown(w, "nothing", 1, 1), -ENOENT);
	assert_int_equal(initfs_writer_chown(w, "l/x", 1, 1), -ENOTDIR);
	assert_int_equal(initfs_writer_chown(w, "l", 1, 2), 0);
	initfs_writer_free(w);
	free(img);
}

/* Malformed links, checksum fixed: refused with -EINVAL. */
static void test_bad_links(void **state)
{
	struct initfs_entry e0[6], e[6];
	struct initfs_header h;
	uint8_t *img, *copy;
	size_t len;

	(void)state;
	build_links(&img, &len);
	h = get_header(img);
	for (uint32_t i = 0; i < 6; i++)
		e0[i] = get_entry(img, i);
	assert_int_equal(e0[4].mode, INITFS_S_IFLNK | 0777);
	assert_int_equal(e0[4].size, 7);

#define BAD(stmt)                                       \
	do {                                            \
		copy = dup_exact(img, len);             \
		memcpy(e, e0, sizeof(e));               \
		stmt;                                   \
		for (uint32_t i = 0; i < 6; i++)        \
			put_entry(copy, i, &e[i]);      \
		fix_crc(copy, len);                     \
		expect_invalid(copy, len);              \
		free(copy);                             \
	} while (0)
	BAD(e[4].size = 0);				/* empty target */
	BAD(e[4].size = INITFS_PATH_MAX);		/* too long */
	BAD(e[4].size = UINT64_MAX);
	BAD(e[4].data_offset = h.names_offset);		/* inside the name table */
	BAD(e[4].data_offset = 0);
	BAD(e[4].data_offset = len);			/* past the end */
	BAD(e[4].data_offset = len - 3);
	BAD(e[4].data_offset = UINT64_MAX);
	BAD(copy[e0[4].data_offset + 2] = '\0');	/* a NUL in the target */
	BAD(e[1].mode = INITFS_S_IFLNK | 0777; e[3].parent = 2); /* a link as a parent */
	BAD(e[4].mode = INITFS_S_IFLNK | 0777 | 0200000);
	BAD(e[0].mode = INITFS_S_IFLNK | 0777);		/* the root a link */
#undef BAD
	/* A link's target may sit in the data area too (not aligned). */
	copy = dup_exact(img, len);
	memcpy(e, e0, sizeof(e));
	memcpy(copy + e0[3].data_offset + 100, "busybox", 7);
	e[4].data_offset = e0[3].data_offset + 100;
	put_entry(copy, 4, &e[4]);
	fix_crc(copy, len);
	expect_invalid(copy, len);	/* no: it breaks busybox's zero padding */
	free(copy);
	free(img);
}

/* ---- end to end: the mkinitfs tool ------------------------------------ */

static char tmpdir[64];

static void write_file(const char *dir, const char *name, const void *data, size_t len,
		       mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static void make_dir(const char *dir, const char *name, mode_t mode)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* Runs mkinitfs with argv, stdout and stderr to files; returns its exit status. */
static int run_argv(char **argv, const char *out_path, const char *err_path)
{
	posix_spawn_file_actions_t fa;
	int status;
	pid_t pid;

	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(posix_spawn(&pid, mkinitfs_path, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int run_tool(const char *a1, const char *a2, const char *out_path, const char *err_path)
{
	char *argv[] = { (char *)mkinitfs_path, (char *)a1, (char *)a2, NULL };

	return run_argv(argv, out_path, err_path);
}

static void write_owners(const char *text)
{
	write_file(tmpdir, "owners", text, strlen(text), 0644);
}

/* mkinitfs -o owners img dir */
static int run_tool_owners(const char *owners, const char *img, const char *dir,
			   const char *out_path, const char *err_path)
{
	char *argv[] = { (char *)mkinitfs_path, "-o", (char *)owners, (char *)img, (char *)dir,
			 NULL };

	return run_argv(argv, out_path, err_path);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	buf = malloc(size > 0 ? (size_t)size : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/* The same tree, created in two orders (and so with other inode numbers,
 * directory orders and times). */
static void make_tree(const char *root, bool reversed)
{
	assert_int_equal(mkdir(root, 0700), 0);
	assert_int_equal(chmod(root, 0755), 0);
	if (!reversed) {
		make_dir(root, "bin", 0755);
		make_dir(root, "etc", 0750);
		make_dir(root, "etc/sub", 0755);
		make_dir(root, "empty", 0700);
		write_file(root, "bin/init", big, sizeof(big), 0755);
		write_file(root, "bin/data", small, sizeof(small), 0644);
		write_file(root, "etc/motd", "hello\n", 6, 0644);
		write_file(root, "etc/zero", "", 0, 0600);
		write_file(root, "etc/sub/x", "x", 1, 0444);
	} else {
		make_dir(root, "empty", 0700);
		make_dir(root, "etc", 0750);
		make_dir(root, "etc/sub", 0755);
		write_file(root, "etc/sub/x", "x", 1, 0444);
		write_file(root, "etc/zero", "", 0, 0600);
		write_file(root, "etc/motd", "hello\n", 6, 0644);
		make_dir(root, "bin", 0755);
		write_file(root, "bin/data", small, sizeof(small), 0644);
		write_file(root, "bin/init", big, sizeof(big), 0755);
	}
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int e2e_setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/initfs-test.XXXXXX",
		 base != NULL && strlen(base) < 32 ? base : "/tmp");
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int e2e_teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_mkinitfs(void **state)
{
	char a[128], b[128], img_a[128], img_b[128], out[128], err[128], link[160];
	struct initfs fs;
	uint8_t *ia, *ib, *text;
	size_t la, lb, lt;

	(void)state;
	if (mkinitfs_path == NULL)
		skip();
	snprintf(a, sizeof(a), "%s/a", tmpdir);
	snprintf(b, sizeof(b), "%s/b", tmpdir);
	snprintf(img_a, sizeof(img_a), "%s/a.img", tmpdir);
	snprintf(img_b, sizeof(img_b), "%s/b.img", tmpdir);
	snprintf(out, sizeof(out), "%s/stdout", tmpdir);
	snprintf(err, sizeof(err), "%s/stderr", tmpdir);
	make_tree(a, false);
	make_tree(b, true);

	assert_int_equal(run_tool(img_a, a, out, err), 0);
	assert_int_equal(run_tool(img_b, b, out, err), 0);
	ia = slurp(img_a, &la);
	ib = slurp(img_b, &lb);
	/* Deterministic: same tree, same bytes. */
	assert_int_equal(la, lb);
	assert_memory_equal(ia, ib, la);

	assert_int_equal(initfs_open(&fs, ia, la), 0);
	assert_int_equal(fs.count, 10);
	expect_dir(&fs, "/", 0755);
	expect_dir(&fs, "etc", 0750);
	expect_dir(&fs, "etc/sub", 0755);
	expect_dir(&fs, "empty", 0700);
	expect_file(&fs, "bin/init", 0755, big, sizeof(big));
	expect_file(&fs, "bin/data", 0644, small, sizeof(small));
	expect_file(&fs, "etc/motd", 0644, "hello\n", 6);
	expect_file(&fs, "etc/zero", 0600, NULL, 0);
	expect_file(&fs, "etc/sub/x", 0444, "x", 1);
	check_walk(&fs);

	/* -l checks and lists it. */
	assert_int_equal(run_tool("-l", img_a, out, err), 0);
	text = slurp(out, &lt);
	text = realloc(text, lt + 1);
	assert_non_null(text);
	text[lt] = '\0';
	assert_non_null(strstr((char *)text, "100755     0     0      10000 /bin/init\n"));
	assert_non_null(strstr((char *)text, "040700     0     0          0 /empty\n"));
	free(text);
	ia[100] ^= 1;
	write_file(tmpdir, "bad.img", ia, la, 0644);
	snprintf(link, sizeof(link), "%s/bad.img", tmpdir);
	assert_int_equal(run_tool("-l", link, out, err), 1);

	/* A symbolic link is kept as written, dangling or not; owners come
	 * from the -o file. */
	snprintf(link, sizeof(link), "%s/etc/link", b);
	assert_int_equal(symlink("/scheme/null", link), 0);
	snprintf(link, sizeof(link), "%s/owners", tmpdir);
	write_owners("# comment\n\n1000 100 etc/sub\n7 8 etc/link\n");
	assert_int_equal(run_tool_owners(link, img_b, b, out, err), 0);
	free(ib);
	ib = slurp(img_b, &lb);
	assert_int_equal(initfs_open(&fs, ib, lb), 0);
	expect_link(&fs, "etc/link", "/scheme/null");
	expect_owner(&fs, "etc/link", 7, 8);
	expect_owner(&fs, "etc/sub", 1000, 100);
	expect_owner(&fs, "etc/sub/x", 0, 0);
	assert_int_equal(run_tool("-l", img_b, out, err), 0);
	text = slurp(out, &lt);
	text = realloc(text, lt + 1);
	assert_non_null(text);
	text[lt] = '\0';
	assert_non_null(strstr((char *)text, "120777     7     8         12 /etc/link -> /scheme/null\n"));
	free(text);
	/* An owners line naming nothing, or malformed, fails the build. */
	write_owners("1 1 etc/nothing\n");
	assert_int_equal(run_tool_owners(link, img_b, b, out, err), 1);
	write_owners("1 etc/sub\n");
	assert_int_equal(run_tool_owners(link, img_b, b, out, err), 1);
	snprintf(link, sizeof(link), "%s/etc/link", b);
	assert_int_equal(unlink(link), 0);

	/* A FIFO is refused, naming it, and no archive is written. */
	snprintf(link, sizeof(link), "%s/fifo", b);
	assert_int_equal(mkfifo(link, 0644), 0);
	assert_int_equal(unlink(img_b), 0);
	assert_int_equal(run_tool(img_b, b, out, err), 1);
	assert_int_equal(access(img_b, F_OK), -1);
	text = slurp(err, &lt);
	text = realloc(text, lt + 1);
	assert_non_null(text);
	text[lt] = '\0';
	assert_non_null(strstr((char *)text, "fifo: special files are not supported"));
	free(text);
	assert_int_equal(unlink(link), 0);

	/* Usage and a missing directory. */
	assert_int_equal(run_tool(NULL, NULL, out, err), 2);
	snprintf(link, sizeof(link), "%s/nowhere", tmpdir);
	assert_int_equal(run_tool(img_b, link, out, err), 1);
	free(ia);
	free(ib);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_readdir),
		cmocka_unit_test(test_empty_archive),
		cmocka_unit_test(test_longer_blob),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_writer_errors),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_flipped_bytes),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_bad_links),
	};
	const struct CMUnitTest e2e[] = {
		cmocka_unit_test(test_mkinitfs),
		cmocka_unit_test(test_open_verified),
	};
	int failed;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [mkinitfs]\n", argv[0]);
		return 2;
	}
	mkinitfs_path = argc == 2 ? argv[1] : NULL;
	fill(big, sizeof(big), 1);
	fill(small, sizeof(small), 2);
	failed = cmocka_run_group_tests_name("initfs", tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("mkinitfs", e2e, e2e_setup, e2e_teardown);
	return failed != 0;
}
