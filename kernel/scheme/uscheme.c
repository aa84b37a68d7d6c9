/*
 * kernel/scheme/uscheme.c: a scheme served by a user-space daemon (see uscheme.h):
 * its object and registration, the round trip of one request, and the
 * scheme's death.
 *
 * A call pushes the request (on the caller's stack) and sleeps on it,
 * handing the CPU straight to a daemon thread waiting in read() if there is
 * one (waitq_sleep_handoff); the daemon's reply wakes the caller the same
 * way (waitq_wake_handoff, uscheme_ctl.c). Lock order: the scheme's lock,
 * then wait_lock (inside the wait queue calls), then an address space's.
 */
#include "kernel/scheme/uscheme.h"
#include "kernel/scheme/grant.h"
#include "kernel/scheme/uscheme_stat.h"
#include "kernel/timer.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "kernel/signal.h"
#include "syscall/abi/abi.h"
#include <string.h>

/* How long a cancelled call waits for the daemon's answer. */
#define CANCEL_WAIT_NS (100 * 1000 * 1000ULL)

extern const struct scheme_ops uscheme_client_ops; /* uscheme_client.c */
extern const struct scheme uscheme_ctl_scheme;     /* uscheme_ctl.c */

void uscheme_hold(const struct scheme *s)
{
	struct uscheme *us = s->priv;

	__atomic_add_fetch(&us->refs, 1, __ATOMIC_RELAXED);
}

void uscheme_release(const struct scheme *s)
{
	struct uscheme *us = s->priv;

	if (__atomic_sub_fetch(&us->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(us);
}

int uscheme_register(const char *name, struct file *f, const struct caller *c)
{
	struct uscheme *us;
	int err;

	/* A name paths can reach: no ':' (path_resolve splits there). */
	if (strlen(name) >= SCHEME_NAME_MAX || !*name || strchr(name, ':'))
		return -EINVAL;
	if ((file_flags(f) & ABI_O_ACCMODE) != ABI_O_RDWR)
		return -EINVAL;
	us = kzalloc(sizeof(*us));
	if (!us)
		return -ENOMEM;
	memcpy(us->s.name, name, strlen(name) + 1);
	us->s.ops = &uscheme_client_ops;
	us->s.priv = us;
	us->s.server_pid = c->pid;
	us->refs = 2; /* the scheme descriptor's and the registry's */
	us->lock = (spinlock_t)SPINLOCK_INIT("uscheme");
	usq_init(&us->q);
	us->daemon_wq = (struct waitq)WAITQ_INIT;
	pollq_init(&us->pq);
	/* The namespace was checked by the caller (scheme_list.c's open). */
	err = scheme_register(&root_namespace, &us->s);
	if (err) {
		kfree(us);
		return err;
	}
	f->scheme = &uscheme_ctl_scheme;
	f->priv = us;
	f->type = ABI_S_IFCHR;
	return 0;
}

/* Ends r with result (the scheme's lock held) and wakes its caller. */
static void complete_locked(struct usreq *r, int64_t result)
{
	r->done = true;
	r->result = result;
	waitq_wake_all(&r->wq);
}

/* The descriptor's last reference went: the daemon is gone. Everything
 * queued fails with -EIO at once; the name stays (opens get -ENODEV) until
 * another daemon registers it (scheme_register). */
void uscheme_kill(struct uscheme *us)
{
	struct usq_node *n;
	uint64_t flags = spin_lock_irqsave(&us->lock);

	__atomic_store_n(&us->s.dead, true, __ATOMIC_RELEASE);
	while ((n = usq_take_any(&us->q)) != NULL) {
		struct usnode *u = container_of(n, struct usnode, n);

		if (u->kind == USN_REQ)
			complete_locked(container_of(u, struct usreq, node), -EIO);
		else if (u->kind == USN_CLOSE)
			usclose_free(container_of(u, struct usclose, node));
		/* a cancel's request is failed through its own node */
	}
	waitq_wake_all(&us->daemon_wq);
	pollq_wake(&us->pq, POLLHUP | POLLERR);
	spin_unlock_irqrestore(&us->lock, flags);
	usstat_forget(us);
	uscheme_release(&us->s);
}

/* The signal came while r was in flight: ask the daemon to give up. */
static void queue_cancel(struct uscheme *us, struct usreq *r)
{
	r->cancel.kind = USN_CANCEL;
	usq_push(&us->q, &r->cancel.n);
	uscheme_pushed_locked(us);
	waitq_wake_all(&us->daemon_wq);
}

/* Takes r out of the scheme and waits for data copies to end; lock held. */
static void leave_locked(struct uscheme *us, struct usreq *r, uint64_t *flags)
{
	if (r->node.n.where != USQ_NONE)
		usq_remove(&us->q, &r->node.n);
	if (r->cancel.n.where != USQ_NONE)
		usq_remove(&us->q, &r->cancel.n);
	while (r->pins) {
		/* A copy is short and never waits for this thread; a dying
		 * thread, which cannot sleep, lets it finish. */
		if (waitq_sleep_handoff(&r->wq, &us->lock, 0, NULL, true)) {
			spin_unlock_irqrestore(&us->lock, *flags);
			sched_yield();
			*flags = spin_lock_irqsave(&us->lock);
		}
	}
}

int64_t uscheme_call(struct uscheme *us, struct usreq *r, const struct caller *c)
{
	struct waitq *handoff = &us->daemon_wq;
	uint64_t deadline = 0, flags;
	bool cancelling = false, mutates;

	r->node.kind = USN_REQ;
	r->cancel.n.where = USQ_NONE;
	r->wq = (struct waitq)WAITQ_INIT;
	r->done = false;
	r->pins = 0;
	r->pkt.pid = (uint32_t)c->pid;
	r->pkt.uid = c->uid;
	r->pkt.gid = c->gid;
	/* The caller's rights travel like its credentials, so a daemon can
	 * refuse what the caller may not do (pl031d: setting the clock). The
	 * caller is the current process (exec's reads are its own too). */
	r->pkt.flags |= (uint16_t)(grant_current_rights() << SCHEME_REQ_RIGHTS_SHIFT);
	flags = spin_lock_irqsave(&us->lock);
	if (us->s.dead) {
		spin_unlock_irqrestore(&us->lock, flags);
		return -EIO;
	}
	r->pkt.tag = usq_push(&us->q, &r->node.n);
	mutates = usgen_sent_locked(&us->gen, &r->pkt);
	uscheme_pushed_locked(us);
	while (!r->done) {
		int err = waitq_sleep_handoff(&r->wq, &us->lock, deadline, handoff, cancelling);

		handoff = NULL;
		if (r->done || !err)
			continue;
		/* A dying caller neither cancels nor waits: the daemon's late
		 * answer finds no tag (-ENOENT), which is all it needs. */
		if (err == -EINTR && !cancelling && r->node.n.where == USQ_INFLIGHT &&
		    !signal_fatal_pending(current_thread())) {
			queue_cancel(us, r);
			cancelling = true;
			deadline = timer_now() + timer_ns_to_count(CANCEL_WAIT_NS);
			continue;
		}
		/* Not yet read, the daemon too slow to answer the cancel, or
		 * the thread is dying: the call ends here. */
		r->result = -EINTR;
		break;
	}
	/* Still in flight unanswered: the daemon may yet apply it. */
	if (mutates)
		usgen_done_locked(&us->gen, !r->done && r->node.n.where == USQ_INFLIGHT ? r->pkt.tag : 0);
	leave_locked(us, r, &flags);
	spin_unlock_irqrestore(&us->lock, flags);
	return r->result;
}
