/*
 * drivers/initfsd/initfsd_pcache.h: file:'s path cache, a hash table from
 * a path as the kernel sends it to the inode it names, so that an OPEN (a
 * stat, an access, an open) of a path seen before skips the walk
 * (drivers/ramfs/walk.c: a component at a time, a list search per
 * directory).
 *
 * What it may hold, so that a hit answers exactly as the walk would:
 * - only paths the strict check initfsd_pcache_plain accepts: no ".",
 *   "..", empty component or trailing '/', every component found, no
 *   symbolic link before the last component, and as the last one either
 *   not followed (the link itself) or a link to a name in its own
 *   directory (one component: "busybox") that is no link; so the walk met
 *   nothing but these entries. Every directory searched has all three
 *   execute bits, so that any caller may search it (ramfs_attr.c's rule:
 *   owner, group and other each pass; root always does). The permission
 *   on the final inode is checked at each hit, with the caller's
 *   credentials;
 * - only positive answers: adding entries (create, mkdir, symlink, link)
 *   changes none of them;
 * - everything is forgotten (initfsd_pcache_flush, O(1): a generation) when
 *   an entry goes or moves (unlink, rmdir, rename) or a mode or owner
 *   changes (chmod, chown): so a cached inode is always still linked where
 *   its path says, hence alive.
 * Pure C (host-tested: tests/host/test_initfsd_pcache.c); its thread's
 * alone, like the tree.
 */
#ifndef DRIVERS_INITFSD_PCACHE_H
#define DRIVERS_INITFSD_PCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "drivers/ramfs/ramfs.h"

#define PCACHE_SLOTS 512u      /* a power of two */
#define PCACHE_PROBE 8u        /* slots looked at from a path's home slot */
#define PCACHE_KEY_MAX 104u    /* longer paths are walked each time */

struct pcache_slot {
	uint64_t gen;           /* the cache's generation when filled: else empty */
	uint64_t hash;
	struct ramfs_inode *node;
	uint32_t len;           /* key bytes (no NUL) */
	uint32_t follow;        /* a final link followed (WALK_FOLLOW) or not */
	char key[PCACHE_KEY_MAX];
};

struct pcache {
	uint64_t gen;           /* slots of another generation are empty; starts at 1 */
	uint32_t evict;         /* the next slot of a full probe window to reuse */
	struct pcache_slot slots[PCACHE_SLOTS];
};

void initfsd_pcache_init(struct pcache *pc);
/* Forgets everything. */
void initfsd_pcache_flush(struct pcache *pc);
uint64_t initfsd_pcache_hash(const char *key, size_t len);
/* The inode path[0, len) names (a final link followed if follow), or NULL. */
struct ramfs_inode *initfsd_pcache_get(const struct pcache *pc, const char *path, size_t len,
				       bool follow);
/* Remembers path[0, len) -> n (a key too long is not kept). */
void initfsd_pcache_put(struct pcache *pc, const char *path, size_t len, bool follow,
			struct ramfs_inode *n);
/* n when the NUL-terminated path names it in fs's tree by the strict
 * rules above (the ones a cached path must meet), else NULL. */
struct ramfs_inode *initfsd_pcache_plain(const struct ramfs *fs, const char *path, bool follow);
/* Whether the NUL-terminated path names nothing for every caller: the
 * strict walk above meets a name that is not there, in a directory
 * anyone may search (ENOENT is then everyone's answer). */
bool initfsd_pcache_missing(const struct ramfs *fs, const char *path);

#endif
