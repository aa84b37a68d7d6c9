/*
 * kernel/scheme/usproto.c: user-scheme packet checks and builders (see usproto.h).
 */
#include "kernel/scheme/usproto.h"
#include "kernel/lib/errno.h"

int usproto_counts_bytes(uint16_t op)
{
	return op == SCHEME_OP_READ || op == SCHEME_OP_WRITE || op == SCHEME_OP_GETDENTS ||
	       op == SCHEME_OP_READLINK;
}

int usproto_check_reply(const struct scheme_reply *rp, uint16_t op, uint64_t buflen)
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

void usproto_cancel(const struct scheme_request *req, uint64_t ctag, struct scheme_request *out)
{
	*out = (struct scheme_request){ .op = SCHEME_OP_CANCEL, .tag = ctag, .pid = req->pid,
					.uid = req->uid, .gid = req->gid, .id = req->id,
					.args = { req->tag } };
}

int usproto_is_path_op(uint16_t op)
{
	return op == SCHEME_OP_OPEN || op == SCHEME_OP_UNLINK || op == SCHEME_OP_RMDIR ||
	       op == SCHEME_OP_MKDIR || op == SCHEME_OP_SYMLINK || op == SCHEME_OP_RENAME ||
	       op == SCHEME_OP_LINK;
}
