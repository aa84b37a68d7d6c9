/*
 * drivers/ramfs/ramfs_dir.c: directories (see ramfs.h): entries in a
 * list in the order they were added, each with a cookie (its getdents
 * position) that never changes, so a listing in progress neither skips
 * nor repeats an entry when others are removed; and the tree as walk.c
 * resolves paths in it.
 */
#include "drivers/ramfs/ramfs_internal.h"

/* Names are short (a path component): a loop in line costs less than a
 * call to musl's byte-at-a-time memcmp per entry of the same length. */
static bool same_name(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

struct ramfs_dirent *ramfs_dir_find(const struct ramfs_inode *dir, const char *name, size_t len)
{
	for (struct ramfs_dirent *de = dir->dir.first; de != NULL; de = de->next)
		if (de->len == len && same_name(de->name, name, len))
			return de;
	return NULL;
}

struct ramfs_dirent *ramfs_dirent_new(struct ramfs *fs, const char *name, size_t len)
{
	struct ramfs_dirent *de = fs->mem.alloc(fs->mem.ctx, sizeof(*de) + len + 1);

	if (de == NULL)
		return NULL;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	de->len = len;
	return de;
}

void ramfs_dir_insert(struct ramfs *fs, struct ramfs_inode *dir, struct ramfs_dirent *de,
		      struct ramfs_inode *n)
{
	(void)fs;
	de->inode = n;
	de->cookie = dir->dir.next_cookie++;
	de->next = NULL;
	de->prev = dir->dir.last;
	if (dir->dir.last != NULL)
		dir->dir.last->next = de;
	else
		dir->dir.first = de;
	dir->dir.last = de;
	dir->dir.entries++;
	if (RAMFS_IS_DIR(n)) {
		n->nlink = 2;
		n->dir.parent = dir;
		dir->nlink++;
	} else {
		n->nlink++;
	}
}

void ramfs_dir_remove(struct ramfs *fs, struct ramfs_inode *dir, struct ramfs_dirent *de)
{
	struct ramfs_inode *n = de->inode;

	if (de->prev != NULL)
		de->prev->next = de->next;
	else
		dir->dir.first = de->next;
	if (de->next != NULL)
		de->next->prev = de->prev;
	else
		dir->dir.last = de->prev;
	dir->dir.entries--;
	if (RAMFS_IS_DIR(n)) {
		n->nlink = 0;
		dir->nlink--;
	} else {
		n->nlink--;
	}
	fs->mem.free(fs->mem.ctx, de);
}

int ramfs_readdir(const struct ramfs_inode *n, uint64_t *cursor, const char **name,
		  uint64_t *ino, uint32_t *mode)
{
	const struct ramfs_dirent *de;

	if (!RAMFS_IS_DIR(n))
		return -ENOTDIR;
	if (*cursor < RAMFS_COOKIE_FIRST) {
		*name = *cursor == 0 ? "." : "..";
		*ino = *cursor == 0 ? n->ino : n->dir.parent->ino;
		*mode = RAMFS_S_IFDIR;
		(*cursor)++;
		return 1;
	}
	for (de = n->dir.first; de != NULL && de->cookie < *cursor; de = de->next)
		;
	if (de == NULL)
		return 0;
	*name = de->name;
	*ino = de->inode->ino;
	*mode = de->inode->mode;
	*cursor = de->cookie + 1;
	return 1;
}

/* ---- the tree as walk.c sees it ---- */

static int w_child(void *ctx, uint64_t dir, const char *name, size_t len, uint64_t *node)
{
	struct ramfs_dirent *de = ramfs_dir_find(ramfs_node(dir), name, len);

	(void)ctx;
	if (de == NULL)
		return -ENOENT;
	*node = (uint64_t)(uintptr_t)de->inode;
	return 0;
}

static uint64_t w_parent(void *ctx, uint64_t dir)
{
	(void)ctx;
	return (uint64_t)(uintptr_t)ramfs_node(dir)->dir.parent;
}

static enum walk_type w_type(void *ctx, uint64_t node)
{
	const struct ramfs_inode *n = ramfs_node(node);

	(void)ctx;
	return RAMFS_IS_DIR(n) ? WALK_DIR : RAMFS_IS_LNK(n) ? WALK_LINK : WALK_OTHER;
}

static const char *w_target(void *ctx, uint64_t node, size_t *len)
{
	const struct ramfs_inode *n = ramfs_node(node);

	(void)ctx;
	*len = (size_t)n->size;
	return n->target;
}

static int w_search(void *ctx, uint64_t dir)
{
	const struct ramfs_walk_ctx *x = ctx;

	return ramfs_access(ramfs_node(dir), x->c, RAMFS_MAY_EXEC);
}

static const struct walk_ops ramfs_walk_ops = {
	.child = w_child, .parent = w_parent, .type = w_type, .target = w_target,
	.search = w_search,
};

int ramfs_walk(struct ramfs *fs, const struct ramfs_cred *c, const char *path, unsigned flags,
	       struct walk *w)
{
	struct ramfs_walk_ctx x = { .fs = fs, .c = c };

	return walk_path(&ramfs_walk_ops, &x, (uint64_t)(uintptr_t)fs->root, path,
			 flags | WALK_ROOTFS, w);
}
