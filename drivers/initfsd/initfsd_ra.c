/*
 * drivers/initfsd/initfsd_ra.c: file:'s read-ahead (scheme_proto.h's
 * SCHEME_REQ_READAHEAD): an OPEN that asks for it gets the regular
 * file's first bytes with the reply, so the kernel answers the first
 * read without a round trip. This daemon's files change only through
 * requests (this thread's alone), except through a shared mapping of
 * their own pages: a mapped file (pinned) gets none. Nor does a program
 * (any execute bit), which exec maps rather than reads.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include "user/libscheme.h"
#include "drivers/initfsd/initfsd_file.h"

#define EXEC_BITS (S_IXUSR | S_IXGRP | S_IXOTH)

void initfsd_readahead(const struct scheme_request *q, struct scheme_reply *r,
		       const struct ramfs_inode *n, int flags)
{
	uint64_t want = MIN(n->size, (uint64_t)SCHEME_PATH_BUF), seg = 0;
	const void *p = NULL;

	/* A program is opened to be mapped (exec: FSTAT and FMAP, no READ):
	 * its bytes would be copied for nothing. */
	if (!(q->flags & SCHEME_REQ_READAHEAD) || (n->mode & S_IFMT) != S_IFREG ||
	    (n->mode & EXEC_BITS) || (flags & (O_ACCMODE | O_PATH)) != O_RDONLY || n->file.pins > 0)
		return;
	/* One run of bytes, as a READ's reply would carry it (a hole is the
	 * READ's to send). An empty file brings nothing, and says it ends. */
	if (want > 0)
		seg = ramfs_read_seg(n, 0, want, &p);
	if (want > 0 && (p == NULL || seg != want || !scheme_reply_data(r, p, seg)))
		return;
	r->aux |= SCHEME_AUX_READAHEAD | (n->size <= SCHEME_PATH_BUF ? SCHEME_AUX_READAHEAD_EOF : 0);
}
