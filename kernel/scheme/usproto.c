/*
 * kernel/scheme/usproto.c: user-scheme packet builders and op classes (see
 * usproto.h, which has the reply check inline).
 */
#include "kernel/scheme/usproto.h"

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
