/*
 * kernel/scheme/uscheme_poll.c: readiness of a daemon's files
 * (syscall/abi/scheme_proto.h's SCHEME_AUX_POLLED and SCHEME_IOC_READY).
 * A handle whose OPEN reply says POLLED gets a struct usready (inside its
 * file's struct usclose), linked on the scheme's list when that reply is
 * applied, so a READY the daemon sends right after it always finds it. Its
 * mask starts at 0 (not ready) and is whatever the daemon last reported;
 * every report wakes the file's pollers. Other handles are always ready for
 * reading and writing (a read may still block in the daemon). A dead
 * daemon's files are POLLHUP | POLLERR, polled or not (uscheme_kill wakes
 * the scheme's pollq, which every client poll registers on).
 */
#include "kernel/scheme/uscheme.h"
#include "kernel/lib/errno.h"

/* What a daemon may report (scheme_proto.h). */
#define READY_BITS (POLLIN | POLLPRI | POLLOUT | POLLERR | POLLHUP)

void uscheme_ready_open_locked(struct uscheme *us, struct usreq *r, const struct scheme_reply *rp)
{
	struct usready *rd = r->ready;

	if (r->pkt.op != SCHEME_OP_OPEN || rp->result < 0 || !(rp->aux & SCHEME_AUX_POLLED))
		return;
	rd->id = (uint64_t)rp->result;
	rd->mask = 0;
	rd->linked = true;
	rd->next = us->polled;
	us->polled = rd;
}

void uscheme_ready_close_locked(struct uscheme *us, struct usclose *c)
{
	struct usready **pp = &us->polled;

	if (!c->ready.linked)
		return;
	while (*pp && *pp != &c->ready)
		pp = &(*pp)->next;
	if (*pp)
		*pp = c->ready.next;
	c->ready.linked = false;
}

int uscheme_ready(struct uscheme *us, struct uio *arg)
{
	struct scheme_ready rq;
	struct usready *rd;
	uint64_t flags;

	if (uio_copy_in(arg, 0, &rq, sizeof(rq)))
		return -EFAULT;
	if (rq.mask & ~(uint64_t)READY_BITS)
		return -EINVAL;
	flags = spin_lock_irqsave(&us->lock);
	for (rd = us->polled; rd && rd->id != rq.id; rd = rd->next)
		;
	if (rd) {
		rd->mask = (unsigned)rq.mask;
		/* Under the lock: the file (and rd) cannot close meanwhile. */
		pollq_wake(&rd->pq, rd->mask);
	}
	spin_unlock_irqrestore(&us->lock, flags);
	return rd ? 0 : -ENOENT;
}

unsigned uscheme_poll(struct file *f, struct poll_table *pt)
{
	struct usclose *c = f->priv;
	struct uscheme *us = c->us;
	uint64_t flags;
	unsigned mask;

	poll_wait(pt, &us->pq);
	if (c->ready.linked)
		poll_wait(pt, &c->ready.pq);
	flags = spin_lock_irqsave(&us->lock);
	if (us->s.dead)
		mask = POLLHUP | POLLERR;
	else
		mask = c->ready.linked ? c->ready.mask : POLLIN | POLLOUT;
	spin_unlock_irqrestore(&us->lock, flags);
	return mask;
}
