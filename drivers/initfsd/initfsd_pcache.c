/*
 * drivers/initfsd/initfsd_pcache.c: file:'s path cache (see
 * initfsd_pcache.h): open addressing over PCACHE_SLOTS slots, a path
 * looked for in the PCACHE_PROBE slots from its home; keys hashed and
 * compared a 64-bit word at a time (a path of 30 bytes is four loads).
 */
#include <string.h>
#include "drivers/initfsd/initfsd_pcache.h"

#define WORD sizeof(uint64_t)
/* 2^64 / golden ratio, odd: Knuth's multiplicative hashing (TAOCP 6.4). */
#define HASH_MUL 0x9e3779b97f4a7c15ull
#define HASH_FOLD 29                   /* mixes high bits back into the low ones */
#define ALL_EXEC 0111                  /* owner, group and other may search */

_Static_assert((PCACHE_SLOTS & (PCACHE_SLOTS - 1)) == 0, "slots: a power of two");
_Static_assert(PCACHE_PROBE <= PCACHE_SLOTS, "the probe window fits");
_Static_assert(PCACHE_KEY_MAX >= WORD, "a key's last word is inside the slot");

static uint64_t word_at(const char *p)
{
	uint64_t w;

	memcpy(&w, p, WORD); /* one unaligned load */
	return w;
}

/* The key's last bytes as a word: its last WORD bytes (overlapping the
 * words before: the length is hashed and compared too), or the few
 * bytes of a shorter key. */
static uint64_t tail_of(const char *p, size_t len)
{
	uint64_t w = 0;

	if (len >= WORD)
		return word_at(p + len - WORD);
	for (size_t i = 0; i < len; i++)
		w = w << 8 | (uint8_t)p[i];
	return w;
}

static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * HASH_MUL;
	return h ^ (h >> HASH_FOLD);
}

uint64_t initfsd_pcache_hash(const char *key, size_t len)
{
	uint64_t h = mix(0, len);

	for (size_t i = 0; i + WORD <= len; i += WORD)
		h = mix(h, word_at(key + i));
	return mix(h, tail_of(key, len));
}

/* a[0, len) == b[0, len), a word at a time. */
static bool same_key(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i + WORD <= len; i += WORD)
		if (word_at(a + i) != word_at(b + i))
			return false;
	return tail_of(a, len) == tail_of(b, len);
}

void initfsd_pcache_init(struct pcache *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->gen = 1; /* zeroed slots are empty */
}

void initfsd_pcache_flush(struct pcache *pc)
{
	pc->gen++;
}

static struct pcache_slot *slot(const struct pcache *pc, uint64_t hash, uint32_t i)
{
	return (struct pcache_slot *)&pc->slots[(hash + i) & (PCACHE_SLOTS - 1)];
}

/* Slot s holds path[0, len) (hash h) resolved as follow says. */
static bool holds(const struct pcache *pc, const struct pcache_slot *s, uint64_t h,
		  const char *path, size_t len, bool follow)
{
	return s->gen == pc->gen && s->hash == h && s->len == len && s->follow == follow &&
	       same_key(s->key, path, len);
}

struct ramfs_inode *initfsd_pcache_get(const struct pcache *pc, const char *path, size_t len,
				       bool follow)
{
	uint64_t h = initfsd_pcache_hash(path, len);

	for (uint32_t i = 0; i < PCACHE_PROBE; i++) {
		const struct pcache_slot *s = slot(pc, h, i);

		if (holds(pc, s, h, path, len, follow))
			return s->node;
	}
	return NULL;
}

void initfsd_pcache_put(struct pcache *pc, const char *path, size_t len, bool follow,
			struct ramfs_inode *n)
{
	uint64_t h = initfsd_pcache_hash(path, len);
	struct pcache_slot *s = NULL;

	if (len > PCACHE_KEY_MAX)
		return;
	/* The key's own slot, else the first empty one, else one to evict
	 * (in turn, so that no slot of a busy window is always the one). */
	for (uint32_t i = 0; i < PCACHE_PROBE; i++) {
		struct pcache_slot *t = slot(pc, h, i);

		if (holds(pc, t, h, path, len, follow)) {
			s = t;
			break;
		}
		if (s == NULL && t->gen != pc->gen)
			s = t;
	}
	if (s == NULL)
		s = slot(pc, h, pc->evict++ % PCACHE_PROBE);
	s->gen = pc->gen;
	s->hash = h;
	s->node = n;
	s->len = (uint32_t)len;
	s->follow = follow;
	memcpy(s->key, path, len);
}

/* dir's entry name[0, len), or NULL. */
static struct ramfs_inode *entry(const struct ramfs_inode *dir, const char *name, size_t len)
{
	for (const struct ramfs_dirent *de = dir->dir.first; de != NULL; de = de->next)
		if (de->len == len && memcmp(de->name, name, len) == 0)
			return de->inode;
	return NULL;
}

static bool searchable_by_all(const struct ramfs_inode *n)
{
	return (n->mode & RAMFS_S_IFMT) == RAMFS_S_IFDIR && (n->mode & ALL_EXEC) == ALL_EXEC;
}

/* "." or "..": the walk's, never cached. */
static bool is_dot(const char *name, size_t len)
{
	return name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'));
}

static bool is_link(const struct ramfs_inode *n)
{
	return (n->mode & RAMFS_S_IFMT) == RAMFS_S_IFLNK;
}

/* What the final link in dir names: itself unless followed, else its
 * target when that is a plain name in dir (no '/', no "." or "..", no
 * ':' that would make it another scheme's path) of something not a
 * link; NULL otherwise. */
static struct ramfs_inode *final_link(const struct ramfs_inode *dir, struct ramfs_inode *link,
				      bool follow)
{
	const char *t = link->target;
	size_t len = (size_t)link->size;
	struct ramfs_inode *n;

	if (!follow)
		return link;
	if (len == 0 || memchr(t, '/', len) != NULL || memchr(t, ':', len) != NULL ||
	    is_dot(t, len))
		return NULL;
	n = entry(dir, t, len);
	return n != NULL && !is_link(n) ? n : NULL;
}

/* The strict walk of path (initfsd_pcache.h's rules): the inode it names,
 * or NULL, with *missing true when a name was not found in a directory
 * anyone may search, every step before it plain. */
static struct ramfs_inode *strict_walk(const struct ramfs *fs, const char *path, bool follow,
				       bool *missing)
{
	struct ramfs_inode *dir, *n = fs->root;

	*missing = false;
	if (*path == '/')
		path++;
	while (*path != '\0') {
		const char *end = strchr(path, '/');
		size_t len = end ? (size_t)(end - path) : strlen(path);

		if (len == 0 || is_dot(path, len) || !searchable_by_all(n))
			return NULL;
		dir = n;
		n = entry(dir, path, len);
		if (n == NULL) {
			*missing = true;
			return NULL;
		}
		path += len;
		if (*path == '/' && *++path == '\0')
			return NULL; /* a trailing '/': the walk's rules */
		if (is_link(n))
			return *path == '\0' ? final_link(dir, n, follow) : NULL;
	}
	return n;
}

struct ramfs_inode *initfsd_pcache_plain(const struct ramfs *fs, const char *path, bool follow)
{
	bool missing;

	return strict_walk(fs, path, follow, &missing);
}

bool initfsd_pcache_missing(const struct ramfs *fs, const char *path)
{
	bool missing;

	/* A final link is never missing itself: follow or not is all one. */
	strict_walk(fs, path, false, &missing);
	return missing;
}
