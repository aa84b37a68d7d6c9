/*
 * kernel/scheme/namespace.c: per-process namespaces (see namespace.h): the sets'
 * lifetime, each process's pointer to its set, narrowing, and the view of
 * the scheme registry a namespace gives.
 */
#include "kernel/scheme/namespace.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/boot.h"
#include "kernel/proc.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include <string.h>

_Static_assert(NAMESET_MAX == SCHEME_MAX, "a namespace can hold every scheme");
_Static_assert(NAMESET_NAME_MAX == SCHEME_NAME_MAX, "namespace names are scheme names");

struct namespace_set ns_all = { .is_static = true, .all = true, .private_too = true };
/* Every public name: what init gives its children (NS_WILDCARD). */
static struct namespace_set ns_public = { .is_static = true, .all = true };
const char *const ns_private_list[] = { BOOT_SCHEME, NULL };
/* Capability mode: no name at all. */
static struct namespace_set ns_null = { .is_static = true };

/* Guards every process's ns pointer (struct proc): a sibling thread may
 * narrow it while another thread of the process opens a file. A leaf lock:
 * nothing is taken under it. */
static spinlock_t ns_lock = SPINLOCK_INIT("namespace");

bool ns_private_name(const char *name)
{
	for (const char *const *n = ns_private_list; *n; n++)
		if (strcmp(name, *n) == 0)
			return true;
	return false;
}

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

bool ns_allows(const struct namespace_set *ns, const char *name)
{
	if (ns->all)
		return ns->private_too || !ns_private_name(name);
	if (ns->names.count == 0)
		return false; /* the null namespace: not even the listing */
	return strcmp(name, PATH_SCHEME_LIST) == 0 || nameset_contains(&ns->names, name);
}

struct namespace_set *ns_get(struct namespace_set *ns)
{
	if (!ns->is_static)
		__atomic_add_fetch(&ns->refcount, 1, __ATOMIC_RELAXED);
	return ns;
}

void ns_put(struct namespace_set *ns)
{
	if (!ns || ns->is_static)
		return;
	if (__atomic_sub_fetch(&ns->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(ns);
}

struct namespace_set *proc_ns(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&ns_lock);
	struct namespace_set *ns = ns_get(p->ns);

	spin_unlock_irqrestore(&ns_lock, flags);
	return ns;
}

bool proc_ns_allows(struct proc *p, const char *name)
{
	uint64_t flags;
	bool ok;

	if (!p)
		return true;
	flags = spin_lock_irqsave(&ns_lock);
	ok = ns_allows(p->ns, name);
	spin_unlock_irqrestore(&ns_lock, flags);
	return ok;
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

/* out = in without the private names (out may be in). */
static void drop_private(struct nameset *out, const struct nameset *in)
{
	int n = 0;

	for (int i = 0; i < in->count; i++)
		if (!ns_private_name(in->names[i]))
			memmove(out->names[n++], in->names[i], sizeof(out->names[0]));
	out->count = n;
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
		p->ns = &ns_public;
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
		drop_private(&next->names, &old->names);
	} else if (old->all) {
		next->names = *req;
		if (!old->private_too)
			drop_private(&next->names, &next->names);
	} else {
		nameset_intersect(&next->names, &old->names, req);
	}
	count = next->all ? NAMESET_MAX : next->names.count;
	if (count == 0) {
		unused = next;
		next = &ns_null;
	}
	p->ns = next;
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

int ns_visible_schemes(const struct namespace_set *ns, struct scheme_entry *out, int max)
{
	struct namespace *reg = &root_namespace;
	uint64_t flags = spin_lock_irqsave(&reg->lock);
	int n = 0;

	for (int i = 0; i < reg->count && n < max; i++) {
		const struct scheme *s = reg->schemes[i];

		if (!ns_allows(ns, s->name))
			continue;
		memcpy(out[n].name, s->name, sizeof(out[n].name));
		out[n].server_pid = s->server_pid;
		n++;
	}
	spin_unlock_irqrestore(&reg->lock, flags);
	return n;
}
