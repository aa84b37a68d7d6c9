/*
 * kernel/scheme/uscache.h: the table of the stat cache, which answers stat,
 * lstat, fstatat and access on a daemon's file without the daemon (as
 * Linux's dcache answers stat without the file system): a fixed set of
 * slots, each the status a daemon answered for one path opened with one
 * set of flags (or that it names nothing), with the scheme's change stamp (kernel/scheme/usgen.h) from
 * before that request was sent. A slot answers only while its owner's
 * stamp is still that one. Pure code (no locks, no allocation: the host
 * tests run it); kernel/scheme/uscheme_stat.c holds the lock, decides what may be
 * kept and forgets a dead scheme's slots.
 */
#ifndef KERNEL_USCACHE_H
#define KERNEL_USCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "syscall/abi/abi.h"

#define USCACHE_SLOTS 64u     /* a power of two */
#define USCACHE_PROBE 4u      /* slots looked at from a key's home slot */
#define USCACHE_KEY_MAX 96u   /* path bytes (no NUL); longer paths are not kept */

/* What names an answer: the scheme, the path as the daemon got it, and
 * the open flags (O_NOFOLLOW and O_DIRECTORY change the answer). */
struct uscache_key {
	const void *owner;
	const char *path;
	size_t len;
	int flags;
	uint64_t hash;          /* uscache_hash of the above */
};

struct uscache_slot {
	const void *owner;      /* NULL: empty */
	uint64_t stamp;
	uint64_t hash;
	int flags;
	uint32_t type;          /* the file's S_IFMT type, as the open said */
	bool missing;           /* the path names nothing (ENOENT); st unused */
	uint32_t len;
	char path[USCACHE_KEY_MAX];
	struct abi_stat st;
};

struct uscache {
	uint32_t evict;         /* the next slot of a full probe window to reuse */
	struct uscache_slot slots[USCACHE_SLOTS];
};

/* Fills k's hash (its owner, path, len and flags set). */
void uscache_key_hash(struct uscache_key *k);
/* The slot for k kept at stamp, or NULL (none, or of another stamp). */
const struct uscache_slot *uscache_get(const struct uscache *c, const struct uscache_key *k,
				       uint64_t stamp);
/* Keeps st and type for k at stamp (st NULL: k names nothing), over k's
 * older answer, an empty slot, a slot of k's owner at another stamp, or
 * else the next to evict. A key too long is not kept. */
void uscache_put(struct uscache *c, const struct uscache_key *k, uint64_t stamp,
		 const struct abi_stat *st, uint32_t type);
/* Empties owner's slots. */
void uscache_forget(struct uscache *c, const void *owner);

#endif
