/*
 * kernel/scheme/uscheme_data.c: a daemon's request-scoped access to its caller's
 * buffer (SCHEME_IOC_MSGREAD/MSGWRITE, syscall/abi/scheme_proto.h), and the
 * data that travels with the packets instead: paths put in the daemon's
 * receive area (SCHEME_REQ_INLINE) and a reply's bytes (SCHEME_DATA). The bytes
 * move once, between the daemon's memory (fault-safe user copies) and the
 * caller's pages reached through the physmap. Each caller page is taken
 * with a reference (uvm_get_page), so a concurrent munmap cannot free it
 * under the copy; the request is pinned meanwhile (usreq.pins), so its
 * caller, and with it the address space, stays until the copy ends.
 */
#include "kernel/scheme/uscheme.h"
#include "kernel/scheme/usproto.h"
#include "kernel/scheme/uscheme_ra.h"
#include "kernel/lib/errno.h"
#include "mm/uvm.h"
#include "mm/page.h"
#include "mm/kmap.h"
#include "arch/aarch64/uaccess.h"

/* Caller pages taken per hold of its space's lock (a stack array of their
 * addresses): a 1 MiB read needs 16 holds. */
#define COPY_BATCH_PAGES 16

/* Copies one piece between the daemon's memory at daddr and k: 0 or
 * -EFAULT (the daemon's address was bad). */
static long copy_daemon(void *k, uint64_t daddr, size_t n, bool to_daemon)
{
	return to_daemon ? copy_to_user(daddr, k, n) : copy_from_user(k, daddr, n);
}

/* The bytes the daemon may reach: it writes anywhere in the buffer (a
 * path request's whole SCHEME_PATH_BUF, for a redirect), but reads only
 * the bytes the request says it carries (args[SCHEME_ARG_LEN]: a path and
 * its NUL), never what the buffer held before. */
static uint64_t window(const struct usreq *r, bool to_daemon)
{
	return to_daemon ? MIN(r->buf.len, r->pkt.args[SCHEME_ARG_LEN]) : r->buf.len;
}

/* The caller's user buffer: its pages taken a run at a time (each with a
 * reference, dropped after the copy), copied a page's piece at a time. */
static long copy_user_buf(const struct usreq *r, uint64_t off, uint64_t daddr, uint64_t len,
			  bool to_daemon, bool *caller_fault)
{
	paddr_t pa[COPY_BATCH_PAGES];
	uint64_t done = 0;
	long err = 0;

	while (done < len && !err) {
		uint64_t va = r->buf.addr + off + done, first = ALIGN_DOWN(va, PAGE_SIZE);
		size_t want = MIN((ALIGN_UP(va + (len - done), PAGE_SIZE) - first) / PAGE_SIZE,
				  COPY_BATCH_PAGES);
		size_t got = uvm_get_pages(r->buf.as, first, want, !to_daemon, pa);

		if (!got) {
			*caller_fault = true;
			err = -EFAULT;
		}
		for (size_t i = 0; i < got; i++) {
			size_t at = (r->buf.addr + off + done) & (PAGE_SIZE - 1);
			size_t piece = MIN(len - done, PAGE_SIZE - at);

			if (!err)
				err = copy_daemon((uint8_t *)phys_to_virt(pa[i]) + at, daddr + done,
						  piece, to_daemon);
			if (!err)
				done += piece;
			page_put(pa[i]);
		}
	}
	return done ? (long)done : err;
}

long usreq_copy(const struct usreq *r, uint64_t off, uint64_t daddr, uint64_t len,
		bool to_daemon, bool *caller_fault)
{
	uint64_t done = 0;

	*caller_fault = false;
	if (r->buf.as)
		return copy_user_buf(r, off, daddr, len, to_daemon, caller_fault);
	/* A kernel buffer: only the daemon's side can fault; in the same
	 * page-sized pieces, so a partial count means the same. */
	while (done < len) {
		size_t piece = MIN(len - done, PAGE_SIZE - ((r->buf.addr + off + done) & (PAGE_SIZE - 1)));

		if (copy_daemon((uint8_t *)r->buf.addr + off + done, daddr + done, piece, to_daemon))
			return done ? (long)done : -EFAULT;
		done += piece;
	}
	return (long)done;
}

/* Ends one pin of r, us->lock held. Its caller waits for the pins to end
 * only once r is out of the queue (uscheme.c's leave_locked takes it out
 * first, under the lock): while r is still queued or in flight, the caller
 * sleeps on the same waitq for its answer alone, and waking it would only
 * make it run to sleep again. */
static void unpin_locked(struct usreq *r)
{
	if (--r->pins == 0 && r->node.n.where == USQ_NONE)
		waitq_wake_all(&r->wq);
}

/* unpin_locked, taking the lock (no lock held). */
static void unpin(struct uscheme *us, struct usreq *r)
{
	uint64_t flags = spin_lock_irqsave(&us->lock);

	unpin_locked(r);
	spin_unlock_irqrestore(&us->lock, flags);
}

long uscheme_msg(struct uscheme *us, struct uio *arg, bool to_daemon)
{
	struct scheme_msg m;
	struct usq_node *n;
	struct usreq *r = NULL;
	uint64_t flags;
	long err = 0, done;
	bool caller_fault;

	if (uio_copy_in(arg, 0, &m, sizeof(m)))
		return -EFAULT;
	flags = spin_lock_irqsave(&us->lock);
	n = usq_find(&us->q, m.tag);
	if (n && container_of(n, struct usnode, n)->kind == USN_REQ)
		r = container_of(n, struct usreq, node.n);
	if (!r)
		err = -ENOENT;
	else if (to_daemon ? !r->daemon_reads : !r->daemon_writes)
		err = -EINVAL;
	else if (m.offset > window(r, to_daemon) || m.len > window(r, to_daemon) - m.offset)
		err = -EINVAL;
	else
		r->pins++;
	spin_unlock_irqrestore(&us->lock, flags);
	if (err)
		return err;
	done = usreq_copy(r, m.offset, m.addr, m.len, to_daemon, &caller_fault);
	unpin(us, r);
	return done;
}

/* Copies the reply's data into r's buffer (r pinned, no lock held): 0, with
 * *result -EFAULT if the caller's buffer was bad; or -EFAULT for a bad
 * daemon address (the reply is refused). */
static int reply_data(struct usreq *r, const struct scheme_reply *rp, int64_t *result)
{
	uint64_t len = SCHEME_DATA_LEN(rp->data);
	bool caller_fault;
	long done;

	if (r->ra && (rp->aux & SCHEME_AUX_READAHEAD))
		return usra_pin(r->ra, rp->data & SCHEME_DATA_ADDR_MASK, len);
	done = usreq_copy(r, 0, rp->data & SCHEME_DATA_ADDR_MASK, len, false, &caller_fault);
	if (done == (long)len)
		return 0;
	if (!caller_fault)
		return -EFAULT;
	*result = -EFAULT;
	return 0;
}

int uscheme_reply_data(struct uscheme *us, struct usreq *r, const struct scheme_reply *rp,
			int64_t *result, uint64_t *flags)
{
	int err;

	r->pins++;
	spin_unlock_irqrestore(&us->lock, *flags);
	err = reply_data(r, rp, result);
	*flags = spin_lock_irqsave(&us->lock);
	unpin_locked(r);
	/* The pin kept r's memory, not its place: if its caller gave up
	 * meanwhile (the unpin woke it), r is no longer ours to touch. Tags
	 * are never reused, so still in flight means still this request,
	 * and no second lookup by tag is needed. */
	if (!err && r->node.n.where != USQ_INFLIGHT)
		err = -ENOENT;
	return err;
}

/* r is pinned until its bytes are copied. */
void uscheme_inline_path(struct usinline *a, struct usreq *r, struct scheme_request *p)
{
	uint64_t len = MIN(r->buf.len, r->pkt.args[SCHEME_ARG_LEN]);
	uint64_t room = ALIGN_UP(len, sizeof(uint64_t));

	if (!a || r->buf.as || !r->daemon_reads || !usproto_is_path_op(r->pkt.op) || len == 0 ||
	    room > a->len - a->used)
		return;
	p->flags |= SCHEME_REQ_INLINE;
	p->args[SCHEME_ARG_INLINE] = a->addr + a->used;
	a->used += room;
	r->pins++;
	a->pinned[a->npinned++] = r;
}

int uscheme_copy_inline(struct uscheme *us, struct usinline *a,
		       const struct scheme_request *pkts, size_t n)
{
	int err = 0;
	uint64_t flags;

	if (!a || !a->npinned)
		return 0;
	/* The pinned requests are the flagged packets, in order; a path
	 * buffer is the kernel's own (uscheme_inline_path): only the area can fault. */
	for (size_t i = 0, k = 0; i < n && !err; i++) {
		const struct usreq *r;

		if (!(pkts[i].flags & SCHEME_REQ_INLINE))
			continue;
		r = a->pinned[k++];
		if (copy_to_user(pkts[i].args[SCHEME_ARG_INLINE], (const void *)r->buf.addr,
				 MIN(r->buf.len, r->pkt.args[SCHEME_ARG_LEN])))
			err = -EFAULT;
	}
	flags = spin_lock_irqsave(&us->lock);
	for (size_t k = 0; k < a->npinned; k++)
		unpin_locked(a->pinned[k]);
	spin_unlock_irqrestore(&us->lock, flags);
	a->npinned = 0;
	return err;
}
