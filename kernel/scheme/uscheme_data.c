/*
 * kernel/scheme/uscheme_data.c: a daemon's request-scoped access to its caller's
 * buffer (SCHEME_IOC_MSGREAD/MSGWRITE, syscall/abi/scheme_proto.h). The bytes
 * move once, between the daemon's memory (fault-safe user copies) and the
 * caller's pages reached through the physmap. Each caller page is taken
 * with a reference (uvm_get_page), so a concurrent munmap cannot free it
 * under the copy; the request is pinned meanwhile (usreq.pins), so its
 * caller, and with it the address space, stays until the copy ends.
 */
#include "kernel/scheme/uscheme.h"
#include "kernel/lib/errno.h"
#include "mm/uvm.h"
#include "mm/page.h"
#include "mm/kmap.h"
#include "arch/aarch64/uaccess.h"

/* Copies one piece that lies inside one caller page (or kernel buffer);
 * *caller_fault: the caller's page was the bad one. */
static long copy_piece(const struct usreq *r, uint64_t off, uint64_t daddr, size_t n,
		       bool to_daemon, bool *caller_fault)
{
	uint8_t *k;
	paddr_t pa = 0;
	long err;

	if (r->buf.as) {
		if (uvm_get_page(r->buf.as, r->buf.addr + off, !to_daemon, &pa)) {
			*caller_fault = true;
			return -EFAULT;
		}
		k = (uint8_t *)phys_to_virt(pa) + ((r->buf.addr + off) & (PAGE_SIZE - 1));
	} else {
		k = (uint8_t *)r->buf.addr + off;
	}
	err = to_daemon ? copy_to_user(daddr, k, n) : copy_from_user(k, daddr, n);
	if (pa)
		page_put(pa);
	return err;
}

/* The bytes the daemon may reach: it writes anywhere in the buffer (a
 * path request's whole SCHEME_PATH_BUF, for a redirect), but reads only
 * the bytes the request says it carries (args[SCHEME_ARG_LEN]: a path and
 * its NUL), never what the buffer held before. */
static uint64_t window(const struct usreq *r, bool to_daemon)
{
	return to_daemon ? MIN(r->buf.len, r->pkt.args[SCHEME_ARG_LEN]) : r->buf.len;
}

long usreq_copy(const struct usreq *r, uint64_t off, uint64_t daddr, uint64_t len,
		bool to_daemon, bool *caller_fault)
{
	uint64_t done = 0;
	long err = 0;

	*caller_fault = false;
	while (done < len) {
		uint64_t at = off + done;
		size_t piece = MIN(len - done, PAGE_SIZE - ((r->buf.addr + at) & (PAGE_SIZE - 1)));

		err = copy_piece(r, at, daddr + done, piece, to_daemon, caller_fault);
		if (err)
			break;
		done += piece;
	}
	return done ? (long)done : err;
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
	flags = spin_lock_irqsave(&us->lock);
	if (--r->pins == 0)
		waitq_wake_all(&r->wq);
	spin_unlock_irqrestore(&us->lock, flags);
	return done;
}
