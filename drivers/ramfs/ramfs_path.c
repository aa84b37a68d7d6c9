/*
 * drivers/ramfs/ramfs_path.c: operations on paths (see ramfs.h): open
 * with creation, mkdir, symlink, unlink and rmdir, link. Each resolves
 * its path (walk.h), checks permissions, allocates what it adds, and only
 * then changes the tree.
 */
#include "drivers/ramfs/ramfs_internal.h"

/* A new inode of mode named w->last in w->dir, in *out: 0 or -errno. */
static int create(struct ramfs *fs, const struct ramfs_cred *c, struct walk *w, uint32_t mode,
		  struct ramfs_inode **out)
{
	struct ramfs_inode *dir = ramfs_node(w->dir), *n;
	struct ramfs_dirent *de;
	int err = ramfs_may_create(dir, c);

	if (err != 0)
		return err;
	n = ramfs_inode_new(fs, mode, c, dir);
	de = n != NULL ? ramfs_dirent_new(fs, w->last, w->last_len) : NULL;
	if (de == NULL) {
		if (n != NULL)
			ramfs_inode_free(fs, n);
		return -ENOMEM;
	}
	if ((mode & RAMFS_S_IFMT) == RAMFS_S_IFDIR)
		n->dir.next_cookie = RAMFS_COOKIE_FIRST;
	ramfs_dir_insert(fs, dir, de, n);
	ramfs_touch(fs, dir, RAMFS_T_MTIME | RAMFS_T_CTIME);
	*out = n;
	return 0;
}

/* Resolves a path whose last component is to be made: 0 with w->last
 * missing in w->dir, or -EEXIST, a redirect, or the walk's error. */
static int walk_new(struct ramfs *fs, const struct ramfs_cred *c, const char *path, struct walk *w)
{
	int err = ramfs_walk(fs, c, path, 0, w);

	if (err == 0)
		return -EEXIST;
	if (err == -ENOENT && w->last != NULL)
		return 0;
	return err;
}

static int want_of(int flags)
{
	switch (flags & RAMFS_O_ACCMODE) {
	case RAMFS_O_RDONLY:
		return RAMFS_MAY_READ;
	case RAMFS_O_WRONLY:
		return RAMFS_MAY_WRITE;
	default:
		return RAMFS_MAY_READ | RAMFS_MAY_WRITE;
	}
}

/* Opening the existing n as flags asks. */
static int open_existing(struct ramfs *fs, const struct ramfs_cred *c, struct ramfs_inode *n,
			 int flags)
{
	bool writing = (flags & RAMFS_O_ACCMODE) != RAMFS_O_RDONLY;
	int err;

	if ((flags & RAMFS_O_DIRECTORY) && !RAMFS_IS_DIR(n))
		return -ENOTDIR;
	if (flags & RAMFS_O_PATH)
		return 0;
	if (RAMFS_IS_LNK(n))
		return -ELOOP; /* O_NOFOLLOW met a link */
	if (RAMFS_IS_DIR(n) && (writing || (flags & RAMFS_O_CREAT)))
		return -EISDIR;
	err = ramfs_access(n, c, want_of(flags));
	if (err == 0 && (flags & RAMFS_O_TRUNC) && writing && RAMFS_IS_REG(n))
		err = ramfs_truncate(fs, n, 0);
	return err;
}

int ramfs_open(struct ramfs *fs, const struct ramfs_cred *c, const char *path, int flags,
	       uint32_t mode, struct walk *w, struct ramfs_inode **out)
{
	bool excl = (flags & RAMFS_O_CREAT) && (flags & RAMFS_O_EXCL);
	unsigned follow = (flags & RAMFS_O_NOFOLLOW) || excl ? 0 : WALK_FOLLOW;
	struct ramfs_inode *n;
	int err = ramfs_walk(fs, c, path, follow, w);

	if (err == -ENOENT && w->last != NULL && (flags & RAMFS_O_CREAT)) {
		err = create(fs, c, w, RAMFS_S_IFREG | (mode & RAMFS_S_IPERM), &n);
	} else if (err == 0) {
		n = ramfs_node(w->node);
		err = excl ? -EEXIST : open_existing(fs, c, n, flags);
	}
	if (err != 0)
		return err; /* or WALK_REDIRECT */
	ramfs_hold(n);
	*out = n;
	return 0;
}

int ramfs_mkdir(struct ramfs *fs, const struct ramfs_cred *c, const char *path, uint32_t mode,
		struct walk *w)
{
	struct ramfs_inode *n;
	int err = walk_new(fs, c, path, w);

	if (err != 0)
		return err;
	/* Linux keeps the sticky bit of mkdir's mode, not setuid/setgid. */
	return create(fs, c, w, RAMFS_S_IFDIR | (mode & (RAMFS_S_ISVTX | 0777)), &n);
}

int ramfs_symlink(struct ramfs *fs, const struct ramfs_cred *c, const char *target,
		  const char *path, struct walk *w)
{
	size_t len = strnlen(target, SCHEME_PATH_BUF);
	struct ramfs_inode *n;
	char *copy;
	int err;

	if (len == 0)
		return -ENOENT;
	if (len == SCHEME_PATH_BUF)
		return -ENAMETOOLONG;
	err = walk_new(fs, c, path, w);
	if (err != 0)
		return err;
	copy = fs->mem.alloc(fs->mem.ctx, len + 1);
	if (copy == NULL)
		return -ENOMEM;
	memcpy(copy, target, len + 1);
	err = create(fs, c, w, RAMFS_S_IFLNK | 0777, &n);
	if (err != 0) {
		fs->mem.free(fs->mem.ctx, copy);
		return err;
	}
	n->target = copy;
	n->size = len;
	return 0;
}

int ramfs_unlink(struct ramfs *fs, const struct ramfs_cred *c, const char *path, bool dir,
		 struct walk *w)
{
	struct ramfs_inode *n, *parent;
	int err = ramfs_walk(fs, c, path, 0, w);

	if (err != 0)
		return err;
	n = ramfs_node(w->node);
	if (w->last == NULL)
		return dir ? -EBUSY : -EISDIR; /* the root */
	if (dir && !RAMFS_IS_DIR(n))
		return -ENOTDIR;
	if (!dir && RAMFS_IS_DIR(n))
		return -EISDIR;
	if (dir && n->dir.entries > 0)
		return -ENOTEMPTY;
	parent = ramfs_node(w->dir);
	err = ramfs_may_delete(parent, n, c);
	if (err != 0)
		return err;
	ramfs_dir_remove(fs, parent, ramfs_dir_find(parent, w->last, w->last_len));
	ramfs_touch(fs, parent, RAMFS_T_MTIME | RAMFS_T_CTIME);
	ramfs_touch(fs, n, RAMFS_T_CTIME);
	ramfs_maybe_free(fs, n);
	return 0;
}

int ramfs_link(struct ramfs *fs, const struct ramfs_cred *c, const char *old, const char *new,
	       bool follow, struct walk *w)
{
	struct ramfs_inode *n, *dir;
	struct ramfs_dirent *de;
	int err = ramfs_walk(fs, c, old, follow ? WALK_FOLLOW : 0, w);

	if (err == WALK_REDIRECT)
		return -EXDEV;
	if (err != 0)
		return err;
	n = ramfs_node(w->node);
	if (RAMFS_IS_DIR(n))
		return -EPERM;
	err = walk_new(fs, c, new, w);
	if (err == WALK_REDIRECT)
		return -EXDEV;
	if (err != 0)
		return err;
	dir = ramfs_node(w->dir);
	err = ramfs_may_create(dir, c);
	if (err != 0)
		return err;
	de = ramfs_dirent_new(fs, w->last, w->last_len);
	if (de == NULL)
		return -ENOMEM;
	ramfs_dir_insert(fs, dir, de, n);
	ramfs_touch(fs, dir, RAMFS_T_MTIME | RAMFS_T_CTIME);
	ramfs_touch(fs, n, RAMFS_T_CTIME);
	return 0;
}
