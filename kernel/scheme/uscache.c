/*
 * kernel/scheme/uscache.c: the stat cache's table (kernel/scheme/uscache.h): open
 * addressing over a short probe window from a key's home slot, eviction
 * round robin within the window.
 */
#include "kernel/scheme/uscache.h"
#include <string.h>

/* FNV-1a, 64 bits (the offset basis and prime of its definition). */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

void uscache_key_hash(struct uscache_key *k)
{
	uint64_t h = FNV_OFFSET ^ (uint64_t)(uintptr_t)k->owner ^ (uint64_t)(unsigned)k->flags;

	for (size_t i = 0; i < k->len; i++)
		h = (h ^ (uint8_t)k->path[i]) * FNV_PRIME;
	k->hash = h;
}

static uint32_t home(uint64_t hash)
{
	return (uint32_t)hash & (USCACHE_SLOTS - 1);
}

static struct uscache_slot *slot_at(const struct uscache *c, uint32_t home_slot, uint32_t i)
{
	return (struct uscache_slot *)&c->slots[(home_slot + i) & (USCACHE_SLOTS - 1)];
}

static bool matches(const struct uscache_slot *s, const struct uscache_key *k)
{
	return s->owner == k->owner && s->hash == k->hash && s->flags == k->flags &&
	       s->len == k->len && memcmp(s->path, k->path, k->len) == 0;
}

const struct uscache_slot *uscache_get(const struct uscache *c, const struct uscache_key *k,
				       uint64_t stamp)
{
	uint32_t h = home(k->hash);

	for (uint32_t i = 0; i < USCACHE_PROBE; i++) {
		const struct uscache_slot *s = slot_at(c, h, i);

		if (s->owner != NULL && matches(s, k))
			return s->stamp == stamp ? s : NULL;
	}
	return NULL;
}

/* Where k goes: its own slot, else an empty one, else a stale one of its
 * owner, else the window's next victim. */
static struct uscache_slot *place(struct uscache *c, const struct uscache_key *k, uint64_t stamp)
{
	uint32_t h = home(k->hash);
	struct uscache_slot *free_slot = NULL;

	for (uint32_t i = 0; i < USCACHE_PROBE; i++) {
		struct uscache_slot *s = slot_at(c, h, i);

		if (s->owner != NULL && matches(s, k))
			return s;
		if (free_slot == NULL && (s->owner == NULL || (s->owner == k->owner && s->stamp != stamp)))
			free_slot = s;
	}
	if (free_slot != NULL)
		return free_slot;
	return slot_at(c, h, c->evict++ % USCACHE_PROBE);
}

void uscache_put(struct uscache *c, const struct uscache_key *k, uint64_t stamp,
		 const struct abi_stat *st, uint32_t type)
{
	struct uscache_slot *s;

	if (k->owner == NULL || k->len > USCACHE_KEY_MAX)
		return;
	s = place(c, k, stamp);
	s->owner = k->owner;
	s->stamp = stamp;
	s->hash = k->hash;
	s->flags = k->flags;
	s->type = type;
	s->len = (uint32_t)k->len;
	memcpy(s->path, k->path, k->len);
	s->missing = st == NULL;
	if (st != NULL)
		s->st = *st;
}

void uscache_forget(struct uscache *c, const void *owner)
{
	for (uint32_t i = 0; i < USCACHE_SLOTS; i++)
		if (c->slots[i].owner == owner)
			c->slots[i].owner = NULL;
}
