/*
 * kernel/scheme/uscheme_stat.c: the stat cache of the schemes daemons serve
 * (kernel/scheme/uscheme_stat.h): one table for all of them, its lock, and the
 * rules for what may be kept and given.
 *
 * An answer is given to a caller only if the daemon would answer it the
 * same: the daemon says so with SCHEME_AUX_CACHE, promising that the
 * answer does not depend on the caller (an O_PATH open needs nothing of
 * the file itself, only search permission on the directories on the way,
 * so the daemon sets it only when every such directory is searchable by
 * anyone) and that its tree changes only through the requests usgen.h
 * counts. Keying on the caller's credentials instead would need the
 * supplementary groups in every key and give one user's stat nothing of
 * another's. A dead scheme answers nothing (its opens are ENODEV).
 */
#include "kernel/scheme/uscheme_stat.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi_fs.h"
#include <string.h>

static struct uscache cache;
/* Guards cache: every slot and its eviction cursor. */
static spinlock_t cache_lock = SPINLOCK_INIT("uscache");

static bool dead(const struct uscheme *us)
{
	return __atomic_load_n(&us->s.dead, __ATOMIC_ACQUIRE);
}

int usstat_lookup(struct uscheme *us, const char *path, size_t len, int flags,
		  const struct caller *cl, struct usstat_probe *p, uint32_t *type)
{
	const struct uscache_slot *s;
	bool missing = false;
	uint64_t irq;

	p->keep = false;
	/* Only a stat's open (O_PATH, its status asked for) of a short path. */
	if (!cl->stat || !cl->redirect || !(flags & ABI_O_PATH) || len > USCACHE_KEY_MAX)
		return 0;
	/* Read first: an answer computed after this is kept under it. */
	p->stamp = usgen_stamp(&us->gen);
	if (!usgen_settled(p->stamp) || dead(us))
		return 0;
	p->key = (struct uscache_key){ .owner = us, .path = path, .len = len, .flags = flags };
	uscache_key_hash(&p->key);
	irq = spin_lock_irqsave(&cache_lock);
	s = uscache_get(&cache, &p->key, p->stamp);
	if (s && s->missing) {
		missing = true;
	} else if (s) {
		*cl->stat->st = s->st;
		*type = s->type;
	}
	spin_unlock_irqrestore(&cache_lock, irq);
	if (missing)
		return -ENOENT;
	if (s) {
		cl->stat->valid = true;
		return 1;
	}
	memcpy(p->path, path, len);
	p->key.path = p->path;
	p->keep = true;
	return 0;
}

void usstat_keep(struct uscheme *us, const struct usstat_probe *p, uint64_t aux, uint32_t type,
		 const struct abi_stat *st)
{
	uint64_t irq;

	/* A stamp that moved: a mutating request was sent meanwhile, and
	 * the answer may be from before or after it. */
	if (!p->keep || !(aux & SCHEME_AUX_CACHE) || usgen_stamp(&us->gen) != p->stamp)
		return;
	irq = spin_lock_irqsave(&cache_lock);
	/* Under the lock: usstat_forget, after the death, runs before this
	 * (and empties the slot) or after (and this sees the death). */
	if (!dead(us))
		uscache_put(&cache, &p->key, p->stamp, st, type);
	spin_unlock_irqrestore(&cache_lock, irq);
}

void usstat_forget(struct uscheme *us)
{
	uint64_t irq = spin_lock_irqsave(&cache_lock);

	uscache_forget(&cache, us);
	spin_unlock_irqrestore(&cache_lock, irq);
}
