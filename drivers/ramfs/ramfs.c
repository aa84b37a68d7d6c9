/*
 * drivers/ramfs/ramfs.c: the tree's life (see ramfs.h): the root, inodes
 * made and freed, handles, link counts and times.
 */
#include "drivers/ramfs/ramfs_internal.h"

#define ROOT_INO 1

struct ramfs_inode *ramfs_inode_new(struct ramfs *fs, uint32_t mode, const struct ramfs_cred *c,
				    const struct ramfs_inode *dir)
{
	struct ramfs_inode *n = fs->mem.alloc(fs->mem.ctx, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->ino = fs->next_ino++;
	n->mode = mode;
	n->uid = c->uid;
	n->gid = c->gid;
	if (dir != NULL && (dir->mode & RAMFS_S_ISGID)) {
		/* BSD group semantics in a setgid directory, as Linux. */
		n->gid = dir->gid;
		if ((mode & RAMFS_S_IFMT) == RAMFS_S_IFDIR)
			n->mode |= RAMFS_S_ISGID;
	}
	n->atime = n->mtime = n->ctime = fs->mem.now(fs->mem.ctx);
	fs->inodes++;
	return n;
}

void ramfs_inode_free(struct ramfs *fs, struct ramfs_inode *n)
{
	if (RAMFS_IS_REG(n))
		ramfs_file_free(fs, n);
	else if (RAMFS_IS_LNK(n))
		fs->mem.free(fs->mem.ctx, n->target);
	fs->inodes--;
	fs->mem.free(fs->mem.ctx, n);
}

void ramfs_maybe_free(struct ramfs *fs, struct ramfs_inode *n)
{
	if (n->nlink == 0 && n->holds == 0)
		ramfs_inode_free(fs, n);
}

void ramfs_hold(struct ramfs_inode *n)
{
	n->holds++;
}

void ramfs_release(struct ramfs *fs, struct ramfs_inode *n)
{
	if (--n->holds == 0 && n->nlink == 0)
		ramfs_inode_free(fs, n);
}

void ramfs_touch(struct ramfs *fs, struct ramfs_inode *n, unsigned which)
{
	struct ramfs_time now = fs->mem.now(fs->mem.ctx);

	if (which & RAMFS_T_ATIME)
		n->atime = now;
	if (which & RAMFS_T_MTIME)
		n->mtime = now;
	if (which & RAMFS_T_CTIME)
		n->ctime = now;
}

int ramfs_init(struct ramfs *fs, const struct ramfs_mem *mem, uint32_t root_mode)
{
	static const struct ramfs_cred root_cred;

	memset(fs, 0, sizeof(*fs));
	fs->mem = *mem;
	fs->next_ino = ROOT_INO;
	fs->root = ramfs_inode_new(fs, RAMFS_S_IFDIR | (root_mode & RAMFS_S_IPERM), &root_cred, NULL);
	if (fs->root == NULL)
		return -ENOMEM;
	fs->root->nlink = 2;
	fs->root->dir.parent = fs->root;
	fs->root->dir.next_cookie = RAMFS_COOKIE_FIRST;
	return 0;
}

/* Frees dir's subtree, depth first (entries and inodes they name alone). */
static void free_tree(struct ramfs *fs, struct ramfs_inode *dir)
{
	while (dir->dir.first != NULL) {
		struct ramfs_dirent *de = dir->dir.first;
		struct ramfs_inode *n = de->inode;

		if (RAMFS_IS_DIR(n))
			free_tree(fs, n);
		ramfs_dir_remove(fs, dir, de);
		if (n->nlink == 0)
			ramfs_inode_free(fs, n);
	}
}

void ramfs_destroy(struct ramfs *fs)
{
	if (fs->root == NULL)
		return;
	free_tree(fs, fs->root);
	ramfs_inode_free(fs, fs->root);
	fs->root = NULL;
}
