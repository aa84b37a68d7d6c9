/*
 * kernel/scheme/usproto.h: checking and building user-scheme packets
 * (syscall/abi/scheme_proto.h). Pure code, so the host tests run it.
 */
#ifndef KERNEL_USPROTO_H
#define KERNEL_USPROTO_H

#include "syscall/abi/scheme_proto.h"
#include "kernel/lib/errno.h"

/* The most negative result that is an errno (Linux's MAX_ERRNO). */
#define USPROTO_ERRNO_MAX 4095

/* The byte count a bulk-data op returns is bounded by its buffer. */
static inline int usproto_counts_bytes(uint16_t op)
{
	return op == SCHEME_OP_READ || op == SCHEME_OP_WRITE || op == SCHEME_OP_GETDENTS ||
	       op == SCHEME_OP_READLINK;
}

/* A reply's fields are well formed for a request of op whose buffer holds
 * buflen bytes: 0, or -EINVAL (data of no length or beyond the buffer, a
 * result that is neither a count nor an errno, a byte count beyond the
 * buffer). Inline: every reply's. */
static inline int usproto_check_reply(const struct scheme_reply *rp, uint16_t op, uint64_t buflen)
{
	/* Data must fit the buffer (where it may go at all is the kernel's
	 * to check: the request's direction). */
	if (rp->data && (SCHEME_DATA_LEN(rp->data) == 0 || SCHEME_DATA_LEN(rp->data) > buflen))
		return -EINVAL;
	if (rp->result < -USPROTO_ERRNO_MAX)
		return -EINVAL;
	if (rp->result > 0 && usproto_counts_bytes(op) && (uint64_t)rp->result > buflen)
		return -EINVAL;
	return 0;
}
/* The CANCEL packet the daemon reads for request req (its own tag ctag). */
void usproto_cancel(const struct scheme_request *req, uint64_t ctag, struct scheme_request *out);
/* Whether op carries a path (or two) as its buffer: those the kernel may
 * put in the daemon's data area (SCHEME_REQ_INLINE). */
int usproto_is_path_op(uint16_t op);

#endif
