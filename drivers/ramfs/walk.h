/*
 * drivers/ramfs/walk.h: path resolution with symbolic links, for any tree
 * a daemon serves (the RAM file system, the boot archive): the rules of
 * syscall/abi/scheme_proto.h's path operations in one place. Pure C, no
 * allocation, no system calls; the tree is reached through struct walk_ops.
 *
 * A path is resolved a component at a time from the tree's root. A link
 * met before the last component (or as the last with WALK_FOLLOW) is
 * followed: its target with the rest of the path appended replaces the
 * path, resolved from the link's directory (relative target) or the root
 * (absolute target, only when the tree is the root file system). A target
 * that leaves the tree ("/scheme/...", "name:...", or any absolute target
 * when the tree is not the root file system) ends the walk with a
 * redirect: the whole new path for the kernel to resolve. More than
 * SCHEME_SYMLINK_MAX links is -ELOOP. ".." is the parent directory (the
 * root's is the root).
 */
#ifndef DRIVERS_RAMFS_WALK_H
#define DRIVERS_RAMFS_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "syscall/abi/scheme_proto.h"

#define WALK_NAME_MAX 255               /* bytes in one component (NAME_MAX) */
#define WALK_REDIRECT 1                 /* walk_path's result for a redirect */

/* Node types as walk_ops.type reports them. */
enum walk_type { WALK_DIR, WALK_LINK, WALK_OTHER };

/* Flags of walk_path. */
#define WALK_FOLLOW 0x1                 /* follow a link as the last component */
#define WALK_ROOTFS 0x2                 /* the tree is the root file system */

struct walk_ops {
	/* dir's child called name[0, len): 0 and *node, or -errno (-ENOENT). */
	int (*child)(void *ctx, uint64_t dir, const char *name, size_t len, uint64_t *node);
	uint64_t (*parent)(void *ctx, uint64_t dir);
	enum walk_type (*type)(void *ctx, uint64_t node);
	/* A link's target, *len bytes (no NUL needed). */
	const char *(*target)(void *ctx, uint64_t node, size_t *len);
	/* 0 if the caller may search dir, else -EACCES; NULL: always. */
	int (*search)(void *ctx, uint64_t dir);
};

struct walk {
	uint64_t node;          /* on 0: what the path names */
	uint64_t dir;           /* on 0, and on -ENOENT with last set: the
				 * directory holding the last component */
	const char *last;       /* the last component (in buf), or NULL for
				 * the root or a final "." or ".." */
	size_t last_len;
	size_t redirect_len;    /* on WALK_REDIRECT: buf holds the new path */
	char buf[SCHEME_PATH_BUF];  /* the path being resolved */
	char tmp[SCHEME_PATH_BUF];  /* scratch for splicing a target in */
};

/*
 * Resolves path (NUL-terminated, "" is the root) from root. Returns 0
 * (w->node, w->dir, w->last), WALK_REDIRECT (w->buf, w->redirect_len), or
 * -errno: -ENOENT (when only the last component is missing, w->last is
 * set and w->dir is its directory, for creating it; else w->last is
 * NULL), -ENOTDIR, -ENAMETOOLONG, -ELOOP, -EACCES (search).
 */
int walk_path(const struct walk_ops *ops, void *ctx, uint64_t root, const char *path,
	      unsigned flags, struct walk *w);

/* Whether a link target leaves the tree (see above). */
bool walk_leaves_tree(const char *target, size_t len, unsigned flags);

#endif
