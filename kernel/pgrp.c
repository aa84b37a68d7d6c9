/*
 * kernel/pgrp.c: sessions and process groups (see jobctl.h): setpgid,
 * getpgid, setsid, getsid with Linux's rules, which processes a kill by
 * group reaches, and POSIX's orphaned-group rule at exit. A group is not an
 * object: it is the set of processes with one pgid, found by scanning the
 * pid table under proc_lock. A session is an object (it will hold the
 * controlling terminal), reference-counted by its members.
 */
#include "kernel/jobctl.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"

/* init's session: never freed (init never is). */
static struct session init_session = { .sid = INIT_PID };

void jobctl_init_first(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	p->job.pgid = p->pid;
	p->job.session = &init_session;
	init_session.refs++;
	spin_unlock_irqrestore(&proc_lock, flags);
}

void jobctl_fork_locked(struct proc *child, struct proc *parent)
{
	child->job.pgid = parent->job.pgid;
	child->job.session = parent->job.session;
	child->job.session->refs++;
}

void jobctl_exec_locked(struct proc *p)
{
	p->job.did_exec = true;
}

/* Drops p's reference to s; returns s if it was the last (to be freed). */
static struct session *session_put_locked(struct session *s)
{
	return s && --s->refs == 0 && s != &init_session ? s : NULL;
}

void jobctl_release(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	struct session *dead = session_put_locked(p->job.session);

	p->job.session = NULL;
	spin_unlock_irqrestore(&proc_lock, flags);
	kfree(dead);
}

bool jobctl_kill_matches(const struct proc *target, const struct proc *cur, int pid)
{
	if (pid > 0)
		return target->pid == pid;
	if (pid == 0)
		return target->job.pgid == cur->job.pgid;
	if (pid == -1)
		return target != cur && target->pid != INIT_PID;
	return (long)target->job.pgid == -(long)pid;
}

/* Whether a live process other than skip is in group pgid of session s. */
static bool group_exists_locked(int pgid, const struct session *s, const struct proc *skip)
{
	for (int pid = 1; pid < PROC_MAX; pid++) {
		struct proc *q = proc_find_locked(pid);

		if (q && q != skip && q->state == PROC_ALIVE && q->job.pgid == pgid &&
		    (!s || q->job.session == s))
			return true;
	}
	return false;
}

long jobctl_setpgid(int pid, int pgid)
{
	struct proc *cur = current_proc(), *p;
	uint64_t flags;
	long err = 0;

	if (pgid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&proc_lock);
	p = pid ? proc_find_locked(pid) : cur;
	if (pid < 0 || !p || (p != cur && p->parent != cur))
		err = -ESRCH; /* only the caller and its children can be moved */
	else if (p != cur && p->job.session != cur->job.session)
		err = -EPERM;
	else if (p != cur && p->job.did_exec)
		err = -EACCES;
	else if (p->job.session->sid == p->pid)
		err = -EPERM; /* a session leader stays its group's leader */
	if (!err && !pgid)
		pgid = p->pid;
	/* Joining a group: it must exist in the caller's session. */
	if (!err && pgid != p->pid && !group_exists_locked(pgid, p->job.session, NULL))
		err = -EPERM;
	if (!err)
		p->job.pgid = pgid;
	spin_unlock_irqrestore(&proc_lock, flags);
	return err;
}

/* getpgid/getsid: pid 0 is the caller. */
static long get_job_id(int pid, bool sid)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	struct proc *p = pid ? proc_find_locked(pid) : current_proc();
	long ret = -ESRCH;

	if (pid >= 0 && p && p->job.session)
		ret = sid ? p->job.session->sid : p->job.pgid;
	spin_unlock_irqrestore(&proc_lock, flags);
	return ret;
}

long jobctl_getpgid(int pid)
{
	return get_job_id(pid, false);
}

long jobctl_getsid(int pid)
{
	return get_job_id(pid, true);
}

long jobctl_setsid(void)
{
	struct proc *cur = current_proc();
	struct session *s = kzalloc(sizeof(*s)), *old = NULL;
	uint64_t flags;
	long ret;

	if (!s)
		return -ENOMEM;
	s->sid = cur->pid;
	s->refs = 1;
	flags = spin_lock_irqsave(&proc_lock);
	/* A group leader, or anyone whose pid names a group, would leave
	 * that group behind in the old session: Linux says EPERM. */
	if (cur->job.pgid == cur->pid || group_exists_locked(cur->pid, NULL, cur)) {
		ret = -EPERM;
	} else {
		old = session_put_locked(cur->job.session);
		cur->job.session = s;
		cur->job.pgid = cur->pid;
		s = NULL;
		ret = cur->pid;
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	kfree(s);
	kfree(old);
	return ret;
}

/* Whether group pgid is orphaned once gone is gone: no live member has a
 * parent (other than init or gone) in another group of its session. */
static bool orphaned_without_locked(int pgid, const struct proc *gone)
{
	for (int pid = 1; pid < PROC_MAX; pid++) {
		struct proc *q = proc_find_locked(pid), *par;

		if (!q || q == gone || q->state != PROC_ALIVE || q->job.pgid != pgid)
			continue;
		par = q->parent;
		if (par && par != gone && par->pid != INIT_PID && par->job.pgid != pgid &&
		    par->job.session == q->job.session)
			return false;
	}
	return true;
}

/* If gone's exit orphans group pgid (which gone linked to its session,
 * from a parent in another group of the session) and a member is stopped,
 * POSIX wants SIGHUP then SIGCONT sent to every member. */
static void hup_if_orphaned_locked(int pgid, const struct proc *gone)
{
	bool stopped = false;

	if (!orphaned_without_locked(pgid, gone))
		return;
	for (int pid = 1; pid < PROC_MAX && !stopped; pid++) {
		struct proc *q = proc_find_locked(pid);

		stopped = q && q != gone && q->state == PROC_ALIVE && q->job.pgid == pgid &&
			  q->job.stopped;
	}
	if (!stopped)
		return;
	for (int pid = 1; pid < PROC_MAX; pid++) {
		struct proc *q = proc_find_locked(pid);

		if (q && q != gone && q->state == PROC_ALIVE && q->job.pgid == pgid) {
			proc_kill_locked(q, ABI_SIGHUP);
			proc_kill_locked(q, ABI_SIGCONT);
		}
	}
}

/* Both places POSIX names: p's own group, when p's parent (in another
 * group of the session) was what kept it attached, and each child's group
 * that p kept attached. */
void jobctl_exit_locked(struct proc *p)
{
	struct proc *par = p->parent;

	if (par && par->job.pgid != p->job.pgid && par->job.session == p->job.session)
		hup_if_orphaned_locked(p->job.pgid, p);
	for (struct proc *c = p->children; c; c = c->sibling)
		if (c->job.pgid != p->job.pgid && c->job.session == p->job.session)
			hup_if_orphaned_locked(c->job.pgid, p);
}
