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

bool current_ns_allows(const char *name)
{
	return proc_ns_allows(current_proc(), name);
}
