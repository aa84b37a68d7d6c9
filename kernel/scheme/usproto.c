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
	if (rp->reserved)
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
