/*
 * kernel/scheme/uscheme_ctl.c: the daemon's side of a user scheme, its scheme
 * descriptor (see syscall/abi/scheme_proto.h): read() takes a batch of
 * requests, write() answers a batch, ioctl() reaches a caller's buffer,
 * tells who the caller is (SCHEME_IOC_CALLER) or reports a handle's
 * readiness (SCHEME_IOC_READY, uscheme_poll.c),
 * and the last close kills the scheme.
 */
#include "kernel/scheme/uscheme.h"
#include "kernel/scheme/usproto.h"
#include "kernel/lib/errno.h"
#include "kernel/proc.h"
#include "mm/uvm.h"
#include "arch/aarch64/uaccess.h"
#include "mm/layout.h"
#include "mm/heap.h"
#include "syscall/abi/abi.h"
#include <string.h>

/* Packets moved per lock hold: bounded so the stack copy stays small. */
#define CTL_BATCH 8
_Static_assert(CTL_BATCH <= USINLINE_BATCH, "a batch's paths fit struct usinline");

/* uio_copy_in/out in line for the daemon's packets, three per round trip:
 * the same checks (u's bounds, then the current space's range), with the
 * copy called straight; anything but the current space goes through uio. */
static inline bool in_own_space(const struct uio *u, size_t off, size_t n)
{
	return u->as && u->as == current_thread()->as && off <= u->len && n <= u->len - off;
}

static inline long pkt_copy_in(const struct uio *u, size_t off, void *dst, size_t n)
{
	return in_own_space(u, off, n) ? copy_from_user(dst, u->addr + off, n)
				       : uio_copy_in(u, off, dst, n);
}

static inline long pkt_copy_out(const struct uio *u, size_t off, const void *src, size_t n)
{
	return in_own_space(u, off, n) ? copy_to_user(u->addr + off, src, n)
				       : uio_copy_out(u, off, src, n);
}

/* The packet the daemon reads for node u (popped, the scheme's lock held).
 * Inline: ctl_recv copies every request through it. */
static inline void packet_of(struct usnode *u, struct scheme_request *out)
{
	if (u->kind == USN_REQ) {
		*out = container_of(u, struct usreq, node)->pkt;
	} else if (u->kind == USN_CANCEL) {
		struct usreq *r = container_of(u, struct usreq, cancel);

		usproto_cancel(&r->pkt, u->n.tag, out);
	} else {
		*out = container_of(u, struct usclose, node)->pkt;
		out->tag = u->n.tag;
	}
}

/* Ends node u with result (lock held): wakes a caller, frees a close. */
static void answer_locked(struct usnode *u, int64_t result, uint64_t aux, bool *woke)
{
	if (u->kind == USN_REQ) {
		struct usreq *r = container_of(u, struct usreq, node);

		r->done = true;
		r->result = result;
		r->aux = aux;
		*woke = true;
	} else {
		usclose_free(container_of(u, struct usclose, node));
	}
}

/* The daemon's buffer refused pkts[0..n): those still in flight go back to
 * the head of the queue, in order, for the next read. (A cancel is only
 * dropped: its caller may have gone meanwhile, and it times out anyway.) */
static void unpop(struct uscheme *us, const struct scheme_request *pkts, size_t n)
{
	uint64_t flags = spin_lock_irqsave(&us->lock);

	for (size_t i = n; i-- > 0;) {
		struct usq_node *node = pkts[i].op == SCHEME_OP_CANCEL ? NULL
					: usq_find(&us->q, pkts[i].tag);

		if (node)
			usq_unpop(&us->q, node);
	}
	spin_unlock_irqrestore(&us->lock, flags);
}

/* Receives requests into u, paths into area a (NULL: none). Inline, as
 * apply_batch, apply_reply and ctl_replyrecv: the serve loop's REPLYRECV,
 * once per round trip, runs in ctl_ioctl's one frame (one prologue, one
 * stack-protector check) instead of four (59 instructions a round trip). */
static inline __attribute__((always_inline)) long ctl_recv(struct file *f, struct uio *u,
							    struct usinline *a)
{
	struct uscheme *us = f->priv;
	struct scheme_request pkts[CTL_BATCH];
	size_t want = u->len / sizeof(pkts[0]), got = 0;
	uint64_t flags;

	if (!want)
		return -EINVAL;
	flags = spin_lock_irqsave(&us->lock);
	while (!us->q.pending) {
		int err = (file_flags(f) & ABI_O_NONBLOCK) ? -EAGAIN
				: waitq_sleep(&us->daemon_wq, &us->lock, 0);

		if (err) {
			spin_unlock_irqrestore(&us->lock, flags);
			return err;
		}
	}
	while (got < want) {
		size_t n = 0, room = MIN(want - got, (size_t)CTL_BATCH);

		while (n < room && us->q.pending) {
			struct usq_node *q = us->q.head;
			struct usnode *un = container_of(q, struct usnode, n);

			usq_pop(&us->q, un->kind != USN_CANCEL);
			packet_of(un, &pkts[n]);
			/* Only a kernel buffer can be a path (the common reads
			 * and writes skip the call). */
			if (a && un->kind == USN_REQ &&
			    !container_of(un, struct usreq, node)->buf.as)
				uscheme_inline_path(a, container_of(un, struct usreq, node), &pkts[n]);
			n++;
		}
		if (!n)
			break;
		spin_unlock_irqrestore(&us->lock, flags);
		if ((a && a->npinned && uscheme_copy_inline(us, a, pkts, n)) ||
		    pkt_copy_out(u, got * sizeof(pkts[0]), pkts, n * sizeof(pkts[0]))) {
			unpop(us, pkts, n);
			return got ? (long)(got * sizeof(pkts[0])) : -EFAULT;
		}
		got += n;
		/* A batch short of CTL_BATCH emptied the queue (or filled the
		 * buffer): done, without taking the lock again to look. */
		if (n < CTL_BATCH)
			return (long)(got * sizeof(pkts[0]));
		flags = spin_lock_irqsave(&us->lock);
	}
	spin_unlock_irqrestore(&us->lock, flags);
	return (long)(got * sizeof(pkts[0]));
}

static long ctl_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	(void)off;
	(void)c;
	return ctl_recv(f, u, NULL);
}

/* The daemon's pages an FMAP reply names (aux, page aligned), taken in its
 * own space before the scheme's lock: 0 and *obj, or -EINVAL/-EFAULT. */
static int fmap_pages(const struct scheme_reply *rp, uint64_t len, struct vm_object **obj)
{
	size_t npages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;

	if (!IS_ALIGNED(rp->aux, PAGE_SIZE) || npages == 0)
		return -EINVAL;
	*obj = vm_object_from(current_proc()->as, rp->aux, npages);
	return *obj ? 0 : -EFAULT;
}

/* Applies one reply: 0 or -ENOENT/-EINVAL/-EFAULT, changing nothing on
 * error (but the caller's buffer, for data). last: hand the CPU to its
 * caller on the way out. */
static inline __attribute__((always_inline)) int apply_reply(struct uscheme *us,
							       const struct scheme_reply *rp, bool last)
{
	struct vm_object *obj = NULL;
	int64_t result = rp->result;
	struct usq_node *n;
	struct usnode *u;
	struct usreq *r;
	uint64_t flags;
	bool woke = false;
	int err;

	for (;;) {
		flags = spin_lock_irqsave(&us->lock);
		n = usq_find(&us->q, rp->tag);
		u = n ? container_of(n, struct usnode, n) : NULL;
		r = u && u->kind == USN_REQ ? container_of(u, struct usreq, node) : NULL;
		err = !n ? -ENOENT : usproto_check_reply(rp, r ? r->pkt.op : SCHEME_OP_CLOSE,
							 r ? r->buf.len : 0);
		/* Data only where the daemon may write (a close has no buffer:
		 * usproto refused it). */
		if (!err && rp->data && r && !r->daemon_writes)
			err = -EINVAL;
		if (err || !r || r->pkt.op != SCHEME_OP_FMAP || rp->result < 0 || obj)
			break;
		/* An FMAP answer: take the pages, then look the tag up again
		 * (the caller may have given up meanwhile). */
		spin_unlock_irqrestore(&us->lock, flags);
		err = fmap_pages(rp, r->pkt.args[1], &obj);
		if (err)
			return err;
	}
	/* Data last: the copy leaves the lock held again, r still in flight. */
	if (!err && rp->data && r)
		err = uscheme_reply_data(us, r, rp, &result, &flags);
	if (err) {
		spin_unlock_irqrestore(&us->lock, flags);
		if (obj)
			vm_object_put(obj);
		return err;
	}
	usq_remove(&us->q, n);
	if (r)
		r->obj = obj;
	if (r && r->ready)
		uscheme_ready_open_locked(us, r, rp);
	if (r)
		r->data_len = rp->data ? (uint32_t)SCHEME_DATA_LEN(rp->data) : 0;
	answer_locked(u, result, rp->aux, &woke);
	if (woke && last) {
		waitq_wake_handoff(&r->wq, &us->lock);
		irq_restore(flags);
		return 0;
	}
	if (woke)
		waitq_wake_all(&r->wq);
	spin_unlock_irqrestore(&us->lock, flags);
	return 0;
}

/* The daemon answered tag, which nobody waits for (any more: apply_reply
 * said -ENOENT): the answer may end an abandoned change (usgen.h). Out of
 * the way of the replies that find their caller. */
static __attribute__((noinline)) void late_answer(struct uscheme *us, uint64_t tag)
{
	uint64_t flags = spin_lock_irqsave(&us->lock);

	usgen_late_answer_locked(&us->gen, tag);
	spin_unlock_irqrestore(&us->lock, flags);
}

/* Applies the replies in u, in order: 0, or the error of the first one
 * refused (or -EFAULT/-EINVAL for the buffer). *done: replies taken. */
static inline __attribute__((always_inline)) int apply_batch(struct uscheme *us, struct uio *u,
								size_t *done)
{
	struct scheme_reply rps[CTL_BATCH];
	size_t count = u->len / sizeof(rps[0]), taken = 0;
	int err = count && !(u->len % sizeof(rps[0])) ? 0 : -EINVAL;

	/* The count in a local, stored once: *done would be stored and
	 * loaded again around every reply. */
	while (!err && taken < count) {
		size_t n = MIN(count - taken, (size_t)CTL_BATCH);

		if (pkt_copy_in(u, taken * sizeof(rps[0]), rps, n * sizeof(rps[0]))) {
			err = -EFAULT;
			break;
		}
		for (size_t i = 0; i < n && !err; i++) {
			err = apply_reply(us, &rps[i], taken + 1 == count);
			if (err == -ENOENT)
				late_answer(us, rps[i].tag);
			if (!err)
				taken++;
		}
	}
	*done = taken;
	return err;
}

static long ctl_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	size_t done;
	int err = apply_batch(f->priv, u, &done);

	(void)off;
	(void)c;
	return done ? (long)(done * sizeof(struct scheme_reply)) : err;
}

/* SCHEME_IOC_REPLYRECV: a write of the replies, then a read of requests,
 * in one system call (syscall/abi/scheme_proto.h); both arrays lie in
 * arg's space, the daemon's. */
static inline __attribute__((always_inline)) int ctl_replyrecv(struct file *f, struct uio *arg)
{
	struct scheme_replyrecv rr;
	struct usinline area;
	struct uio reps, reqs;
	size_t done = 0;
	uint32_t accepted;
	int err = 0;

	if (pkt_copy_in(arg, 0, &rr, sizeof(rr)))
		return -EFAULT;
	reps = (struct uio){ .as = arg->as, .addr = rr.replies,
			     .len = (size_t)rr.nreplies * sizeof(struct scheme_reply) };
	reqs = (struct uio){ .as = arg->as, .addr = rr.requests,
			     .len = rr.cap * sizeof(struct scheme_request) };
	if (rr.cap > SIZE_MAX / sizeof(struct scheme_request) || !user_range_ok(reqs.addr, reqs.len) ||
	    !user_range_ok(rr.data, rr.data_len))
		return -EFAULT;
	/* Field by field: pinned[] is filled as used, no need to clear it. */
	area.addr = rr.data;
	area.len = rr.data_len;
	area.used = 0;
	area.npinned = 0;
	if (rr.nreplies)
		err = apply_batch(f->priv, &reps, &done);
	/* cap 0: the replies alone (a daemon whose whole batch was answered
	 * at once has no room for requests until they are sent). */
	if (!err && !rr.cap)
		return 0;
	if (!err) {
		long n = ctl_recv(f, &reqs, &area);

		if (n >= 0) /* all taken: accepted is only written on errors */
			return (int)n;
		err = (int)n;
	}
	accepted = (uint32_t)done;
	if (uio_copy_out(arg, offsetof(struct scheme_replyrecv, accepted), &accepted, sizeof(accepted)))
		return -EFAULT;
	return err;
}

static long groups_of(struct proc *p, void *arg)
{
	struct cred cr;
	struct scheme_caller *out = arg;

	cred_get(p, &cr);
	out->ngroups = MIN(cr.ngroups, (uint32_t)SCHEME_CALLER_GROUPS_MAX);
	memcpy(out->groups, cr.groups, out->ngroups * sizeof(out->groups[0]));
	return 0;
}

/* SCHEME_IOC_CALLER: the in-flight request's caller, its ids as the
 * request carries them and its groups as its process has them now. */
static int ctl_caller(struct uscheme *us, struct uio *arg)
{
	struct scheme_caller out;
	struct usq_node *n;
	uint64_t flags;
	uint64_t tag;
	int err = -ENOENT;

	if (uio_copy_in(arg, 0, &tag, sizeof(tag)))
		return -EFAULT;
	memset(&out, 0, sizeof(out));
	out.tag = tag;
	flags = spin_lock_irqsave(&us->lock);
	n = usq_find(&us->q, tag);
	if (n && n->where == USQ_INFLIGHT && container_of(n, struct usnode, n)->kind == USN_REQ) {
		const struct usreq *r = container_of(n, struct usreq, node.n);

		out.pid = r->pkt.pid;
		out.uid = r->pkt.uid;
		out.gid = r->pkt.gid;
		err = 0;
	}
	spin_unlock_irqrestore(&us->lock, flags);
	if (err)
		return err;
	/* The caller sleeps in its request, so its process is there (a
	 * kernel-made request without one has no groups). */
	proc_with_pid((int)out.pid, groups_of, &out);
	return uio_copy_out(arg, 0, &out, sizeof(out)) ? -EFAULT : 0;
}

static int ctl_ioctl(struct file *f, unsigned long cmd, struct uio *arg, const struct caller *c)
{
	(void)c; /* NULL: ioctl_no_caller */
	if (cmd == SCHEME_IOC_REPLYRECV) /* the serve loop's: first */
		return ctl_replyrecv(f, arg);
	if (cmd == SCHEME_IOC_CALLER)
		return ctl_caller(f->priv, arg);
	if (cmd == SCHEME_IOC_READY)
		return uscheme_ready(f->priv, arg);
	if (cmd == SCHEME_IOC_MSGREAD)
		return (int)uscheme_msg(f->priv, arg, true);
	if (cmd == SCHEME_IOC_MSGWRITE)
		return (int)uscheme_msg(f->priv, arg, false);
	return -ENOTTY;
}

static void ctl_close(struct file *f)
{
	uscheme_kill(f->priv);
}

/* Readable while a request (or cancel, or close) waits to be read; a
 * reply can always be written. */
static unsigned ctl_poll(struct file *f, struct poll_table *pt)
{
	struct uscheme *us = f->priv;
	uint64_t flags;
	bool pending;

	poll_wait(pt, &us->pq);
	flags = spin_lock_irqsave(&us->lock);
	pending = us->q.pending > 0;
	spin_unlock_irqrestore(&us->lock, flags);
	return POLLOUT | (pending ? POLLIN : 0);
}

static const struct scheme_ops ctl_ops = {
	.read = ctl_read, .write = ctl_write, .ioctl = ctl_ioctl, .close = ctl_close,
	.poll = ctl_poll, .ioctl_no_caller = true,
};
const struct scheme uscheme_ctl_scheme = { .name = SCHEME_LIST_NAME, .ops = &ctl_ops };
