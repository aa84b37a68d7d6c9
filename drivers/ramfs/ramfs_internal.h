/*
 * drivers/ramfs/ramfs_internal.h: what the library's files share (not for
 * its users): inode and entry allocation, directory entries, times, the
 * permission rules of path operations, and the tree as walk.c sees it.
 */
#ifndef DRIVERS_RAMFS_INTERNAL_H
#define DRIVERS_RAMFS_INTERNAL_H

#include <errno.h>
#include <string.h>
#include "drivers/ramfs/ramfs.h"

#define RAMFS_TYPE(n) ((n)->mode & RAMFS_S_IFMT)
#define RAMFS_IS_DIR(n) (RAMFS_TYPE(n) == RAMFS_S_IFDIR)
#define RAMFS_IS_REG(n) (RAMFS_TYPE(n) == RAMFS_S_IFREG)
#define RAMFS_IS_LNK(n) (RAMFS_TYPE(n) == RAMFS_S_IFLNK)

/* Which times ramfs_touch sets to now. */
#define RAMFS_T_ATIME 1
#define RAMFS_T_MTIME 2
#define RAMFS_T_CTIME 4

/* A new inode of mode (type | permissions) owned by c (the group: dir's
 * when dir is setgid, which a new directory inherits), nlink 0; or NULL. */
struct ramfs_inode *ramfs_inode_new(struct ramfs *fs, uint32_t mode, const struct ramfs_cred *c,
				    const struct ramfs_inode *dir);
/* Frees an inode no entry and no handle names. */
void ramfs_inode_free(struct ramfs *fs, struct ramfs_inode *n);
/* n goes if no entry names it and no handle holds it. */
void ramfs_maybe_free(struct ramfs *fs, struct ramfs_inode *n);
void ramfs_touch(struct ramfs *fs, struct ramfs_inode *n, unsigned which);

/* Directory entries (ramfs_dir.c). */
struct ramfs_dirent *ramfs_dir_find(const struct ramfs_inode *dir, const char *name, size_t len);
struct ramfs_dirent *ramfs_dirent_new(struct ramfs *fs, const char *name, size_t len);
/* Links de (naming n) at dir's end and counts links: n's (a directory's
 * are its entry and its "." (2), and dir's its ".."). */
void ramfs_dir_insert(struct ramfs *fs, struct ramfs_inode *dir, struct ramfs_dirent *de,
		      struct ramfs_inode *n);
/* Unlinks de from dir, uncounts the links and frees de (not the inode:
 * see ramfs_maybe_free). */
void ramfs_dir_remove(struct ramfs *fs, struct ramfs_inode *dir, struct ramfs_dirent *de);

/* Resolving paths: walk.c over this tree, searching as c. */
struct ramfs_walk_ctx {
	struct ramfs *fs;
	const struct ramfs_cred *c;
};
int ramfs_walk(struct ramfs *fs, const struct ramfs_cred *c, const char *path, unsigned flags,
	       struct walk *w);
static inline struct ramfs_inode *ramfs_node(uint64_t node)
{
	return (struct ramfs_inode *)(uintptr_t)node;
}

/* Permission rules of path operations (ramfs_attr.c). */
bool ramfs_in_group(const struct ramfs_cred *c, uint32_t gid);
/* May c remove or replace the entry naming victim in dir (write and
 * search on dir, and the sticky rule)? 0 or -EACCES/-EPERM. */
int ramfs_may_delete(const struct ramfs_inode *dir, const struct ramfs_inode *victim,
		     const struct ramfs_cred *c);
/* May c add an entry to dir? */
int ramfs_may_create(const struct ramfs_inode *dir, const struct ramfs_cred *c);

/* File data (ramfs_data.c). */
void ramfs_file_free(struct ramfs *fs, struct ramfs_inode *n);

#endif
