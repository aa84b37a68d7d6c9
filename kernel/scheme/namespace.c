/*
 * kernel/scheme/namespace.c: per-process namespaces (see namespace.h): the sets'
 * lifetime, each process's pointer to its set, narrowing, and the view of
 * the scheme registry a namespace gives.
 */
#include "kernel/scheme/namespace.h"
#include "kernel/scheme/scheme.h"
#include "kernel/proc.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include <string.h>

_Static_assert(NAMESET_MAX == SCHEME_MAX, "a namespace can hold every scheme");
_Static_assert(NAMESET_NAME_MAX == SCHEME_NAME_MAX, "namespace names are scheme names");

struct namespace_set ns_all = { .is_static = true, .all = true };
/* Capability mode: no name at all. */
static struct namespace_set ns_null = { .is_static = true };

/* Guards every process's ns pointer (struct proc): a sibling thread may
 * narrow it while another thread of the process opens a file. A leaf lock:
 * nothing is taken under it. */
static spinlock_t ns_lock = SPINLOCK_INIT("namespace");

bool ns_allows(const struct namespace_set *ns, const char *name)
{
	if (ns->all)
		return true;
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

long proc_ns_narrow(struct proc *p, const struct nameset *req)
{
	struct namespace_set *next = kzalloc(sizeof(*next)), *old, *unused = NULL;
	uint64_t flags;
	long count;

	if (!next)
		return -ENOMEM;
	next->refcount = 1;
	flags = spin_lock_irqsave(&ns_lock);
	old = p->ns;
	if (old->all)
		next->names = *req;
	else
		nameset_intersect(&next->names, &old->names, req);
	count = next->names.count;
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
