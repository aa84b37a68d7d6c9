/*
 * drivers/ramfs/ramfs_rename.c: rename, with RENAME_NOREPLACE and
 * RENAME_EXCHANGE (see ramfs.h), as Linux's renameat2 answers: a
 * directory never moves into its own subtree (-EINVAL), replaces only an
 * empty directory, and is replaced only by a directory; the sticky rule
 * guards both names; a link leaving the tree midway is another device
 * (-EXDEV).
 */
#include "drivers/ramfs/ramfs_internal.h"

/* Is n dir or one of its ancestors? */
static bool is_ancestor(const struct ramfs_inode *n, const struct ramfs_inode *dir)
{
	for (;;) {
		if (dir == n)
			return true;
		if (dir->dir.parent == dir)
			return false;
		dir = dir->dir.parent;
	}
}

struct end {
	struct ramfs_inode *dir, *n;    /* n NULL: the name is free */
	struct ramfs_dirent *de;
	char name[RAMFS_NAME_MAX + 1];
	size_t len;
};

/* Resolves one side of the rename (the last component not followed). */
static int resolve(struct ramfs *fs, const struct ramfs_cred *c, const char *path,
		   struct walk *w, struct end *e)
{
	int err = ramfs_walk(fs, c, path, 0, w);

	if (err == WALK_REDIRECT)
		return -EXDEV;
	if (err != 0 && !(err == -ENOENT && w->last != NULL))
		return err;
	if (w->last == NULL)
		return -EBUSY; /* the root */
	e->dir = ramfs_node(w->dir);
	e->n = err == 0 ? ramfs_node(w->node) : NULL;
	e->len = w->last_len;
	memcpy(e->name, w->last, e->len);
	e->name[e->len] = '\0';
	e->de = e->n != NULL ? ramfs_dir_find(e->dir, e->name, e->len) : NULL;
	return 0;
}

/* May c move n out of a (and into b's directory)? */
static int may_move(const struct end *a, const struct end *b, const struct ramfs_cred *c)
{
	int err = ramfs_may_delete(a->dir, a->n, c);

	/* A directory changing parent rewrites its "..": it must be writable. */
	if (err == 0 && RAMFS_IS_DIR(a->n) && a->dir != b->dir)
		err = ramfs_access(a->n, c, RAMFS_MAY_WRITE);
	if (err == 0 && RAMFS_IS_DIR(a->n) && is_ancestor(a->n, b->dir))
		err = -EINVAL;
	return err;
}

static int exchange(struct end *o, struct end *n, const struct ramfs_cred *c)
{
	int err;

	if (n->n == NULL)
		return -ENOENT;
	err = may_move(o, n, c);
	if (err == 0)
		err = may_move(n, o, c);
	if (err != 0)
		return err;
	o->de->inode = n->n;
	n->de->inode = o->n;
	/* Each directory's ".." now names the other parent. */
	if (RAMFS_IS_DIR(o->n)) {
		o->n->dir.parent = n->dir;
		o->dir->nlink--;
		n->dir->nlink++;
	}
	if (RAMFS_IS_DIR(n->n)) {
		n->n->dir.parent = o->dir;
		n->dir->nlink--;
		o->dir->nlink++;
	}
	return 0;
}

static int move(struct ramfs *fs, struct end *o, struct end *n, unsigned flags,
		const struct ramfs_cred *c)
{
	struct ramfs_dirent *de;
	int err;

	if (n->n != NULL && (flags & RAMFS_RENAME_NOREPLACE))
		return -EEXIST;
	if (n->n != NULL && RAMFS_IS_DIR(o->n) && !RAMFS_IS_DIR(n->n))
		return -ENOTDIR;
	if (n->n != NULL && !RAMFS_IS_DIR(o->n) && RAMFS_IS_DIR(n->n))
		return -EISDIR;
	if (n->n != NULL && RAMFS_IS_DIR(n->n) && n->n->dir.entries > 0)
		return -ENOTEMPTY;
	err = may_move(o, n, c);
	if (err == 0)
		err = n->n != NULL ? ramfs_may_delete(n->dir, n->n, c) : ramfs_may_create(n->dir, c);
	if (err != 0)
		return err;
	de = ramfs_dirent_new(fs, n->name, n->len);
	if (de == NULL)
		return -ENOMEM;
	if (n->n != NULL)
		ramfs_dir_remove(fs, n->dir, n->de);
	ramfs_dir_remove(fs, o->dir, o->de);
	ramfs_dir_insert(fs, n->dir, de, o->n);
	if (n->n != NULL) {
		ramfs_touch(fs, n->n, RAMFS_T_CTIME);
		ramfs_maybe_free(fs, n->n);
	}
	return 0;
}

int ramfs_rename(struct ramfs *fs, const struct ramfs_cred *c, const char *old, const char *new,
		 unsigned flags, struct walk *w)
{
	struct end o, n;
	int err;

	if ((flags & ~(RAMFS_RENAME_NOREPLACE | RAMFS_RENAME_EXCHANGE)) != 0 ||
	    flags == (RAMFS_RENAME_NOREPLACE | RAMFS_RENAME_EXCHANGE))
		return -EINVAL;
	err = resolve(fs, c, old, w, &o);
	if (err == 0 && o.n == NULL)
		err = -ENOENT;
	if (err == 0)
		err = resolve(fs, c, new, w, &n);
	if (err != 0)
		return err;
	if (o.n == n.n)
		return 0; /* the same file: POSIX says do nothing */
	err = (flags & RAMFS_RENAME_EXCHANGE) ? exchange(&o, &n, c) : move(fs, &o, &n, flags, c);
	if (err != 0)
		return err;
	ramfs_touch(fs, o.dir, RAMFS_T_MTIME | RAMFS_T_CTIME);
	ramfs_touch(fs, n.dir, RAMFS_T_MTIME | RAMFS_T_CTIME);
	ramfs_touch(fs, o.n, RAMFS_T_CTIME);
	return 0;
}
