/*
 * kernel/proc_ns.c: each process's namespace pointer (see proc_ns.h):
 * lookups, inheritance, narrowing and release.
 */
#include "kernel/proc_ns.h"
#include "kernel/proc.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"

/* Guards every process's ns pointer (struct proc): a sibling thread may
 * narrow it while another thread of the process opens a file. A leaf lock:
 * nothing is taken under it. */
static spinlock_t ns_lock = SPINLOCK_INIT("namespace");

bool proc_ns_holds_private(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&ns_lock);
	const struct namespace_set *ns = p->ns;
	bool held = false;

	for (const char *const *n = ns_private_list; ns && *n && !held; n++)
		held = ns_allows(ns, *n);
	spin_unlock_irqrestore(&ns_lock, flags);
	return held;
}

struct namespace_set *proc_ns(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&ns_lock);
	struct namespace_set *ns = ns_get(p->ns);

	spin_unlock_irqrestore(&ns_lock, flags);
	return ns;
}

/* proc_ns_allows, inline in current_ns_allows too (every open and stat). */
static inline bool ns_allows_proc(struct proc *p, const char *name)
{
	const struct namespace_set *ns;
	uint64_t flags;
	bool ok;

	if (!p)
		return true;
	/* The common case, every (public) name: a static set is immutable
	 * and never freed, so it needs no lock to read. The answer is the one
	 * the locked path gives had it run just before a sibling's narrowing
	 * (replace_ns stores the pointer atomically). A set of its own may be
	 * freed once replaced: that one is read under the lock. */
	ns = __atomic_load_n(&p->ns, __ATOMIC_ACQUIRE);
	if (ns->is_static)
		return ns_allows(ns, name);
	flags = spin_lock_irqsave(&ns_lock);
	ok = ns_allows(p->ns, name);
	spin_unlock_irqrestore(&ns_lock, flags);
	return ok;
}

bool proc_ns_allows(struct proc *p, const char *name)
{
	return ns_allows_proc(p, name);
}

/* Before p runs: no other thread can see p->ns yet. */
void proc_ns_init_first(struct proc *p)
{
	p->ns = &ns_all;
}

void proc_ns_fork(struct proc *child, struct proc *parent)
{
	child->ns = proc_ns(parent);
}

/* By p's last thread, or for a process that never ran: no one else reads
 * p->ns any more. */
void proc_ns_release(struct proc *p)
{
	ns_put(p->ns);
	p->ns = NULL;
}

/* Replaces p's set: with the old one minus the private names (wildcard),
 * or with its intersection with req; an empty result is the null set. */
static long replace_ns(struct proc *p, const struct nameset *req, bool wildcard)
{
	struct namespace_set *next, *old, *unused = NULL;
	uint64_t flags;
	long count;

	flags = spin_lock_irqsave(&ns_lock);
	old = p->ns;
	if (wildcard && old->all) { /* no allocation: exec relies on it */
		__atomic_store_n(&p->ns, &ns_public, __ATOMIC_RELEASE);
		spin_unlock_irqrestore(&ns_lock, flags);
		ns_put(old);
		return NAMESET_MAX;
	}
	spin_unlock_irqrestore(&ns_lock, flags);
	next = kzalloc(sizeof(*next));
	if (!next)
		return -ENOMEM;
	next->refcount = 1;
	flags = spin_lock_irqsave(&ns_lock);
	old = p->ns;
	if (wildcard && old->all) { /* narrowed meanwhile by a sibling thread */
		unused = next;
		next = &ns_public;
	} else if (wildcard) {
		ns_drop_private(&next->names, &old->names);
	} else if (old->all) {
		next->names = *req;
		if (!old->private_too)
			ns_drop_private(&next->names, &next->names);
	} else {
		nameset_intersect(&next->names, &old->names, req);
	}
	count = next->all ? NAMESET_MAX : next->names.count;
	if (count == 0) {
		unused = next;
		next = &ns_null;
	}
	__atomic_store_n(&p->ns, next, __ATOMIC_RELEASE); /* proc_ns_allows reads it unlocked */
	spin_unlock_irqrestore(&ns_lock, flags);
	kfree(unused);
	ns_put(old);
	return count;
}

long proc_ns_narrow(struct proc *p, const struct nameset *req)
{
	return replace_ns(p, req, false);
}

long proc_ns_drop_private(struct proc *p)
{
	return replace_ns(p, NULL, true);
}

bool current_ns_allows(const char *name)
{
	return ns_allows_proc(current_proc(), name);
}
