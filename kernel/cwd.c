/*
 * kernel/cwd.c: a process's working directory, shared immutable records
 * swapped under proc->cwd_lock (see cwd.h for the rule).
 */
#include "kernel/cwd.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "mm/heap.h"
#include <string.h>

#define ROOT_DIR "/"

struct cwd *cwd_get(struct proc *p)
{
	struct cwd *c;

	spin_lock(&p->cwd_lock);
	c = p->cwd;
	__atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
	spin_unlock(&p->cwd_lock);
	return c;
}

void cwd_put(struct cwd *c)
{
	if (c && !__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL))
		kfree(c);
}

int cwd_set(struct proc *p, const char *path)
{
	size_t len = strlen(path) + 1;
	struct cwd *c, *old;

	if (len > PATH_MAX_LEN)
		return -ENAMETOOLONG;
	c = kmalloc(sizeof(*c) + len);
	if (!c)
		return -ENOMEM;
	c->refs = 1;
	memcpy(c->path, path, len);
	/* The record is complete before the pointer is published (the
	 * lock's release orders it for the next reader's acquire). */
	spin_lock(&p->cwd_lock);
	old = p->cwd;
	p->cwd = c;
	spin_unlock(&p->cwd_lock);
	cwd_put(old); /* readers still using it hold their own references */
	return 0;
}

int cwd_init(struct proc *p, struct proc *parent)
{
	p->cwd_lock = (spinlock_t)SPINLOCK_INIT("cwd");
	if (!parent)
		return cwd_set(p, ROOT_DIR);
	p->cwd = cwd_get(parent);
	return 0;
}

void cwd_text(struct proc *p, char *out, size_t size)
{
	spin_lock(&p->cwd_lock);
	ksnprintf(out, size, "%s", p->cwd->path);
	spin_unlock(&p->cwd_lock);
}

void cwd_release(struct proc *p)
{
	cwd_put(p->cwd);
	p->cwd = NULL;
}
