/*
 * kernel/scheme/uscheme_ra.h: the read-ahead of a daemon's OPEN
 * (syscall/abi/scheme_proto.h's SCHEME_REQ_READAHEAD): a read-only open
 * of a regular file brings its first bytes with the reply, and the
 * handle's first read, at offset 0, is answered from them without a round
 * trip while the scheme's change stamp (kernel/scheme/usgen.h) still is
 * what it was before the open was sent. The bytes travel in a buffer of a
 * small static set, never the heap: an open that finds none free asks for
 * no read-ahead, so files opened and never read cost no memory.
 */
#ifndef KERNEL_USCHEME_RA_H
#define KERNEL_USCHEME_RA_H

#include "kernel/scheme/uscheme.h"

struct usra {
	char buf[SCHEME_PATH_BUF];  /* the OPEN's buffer: the path, then the bytes */
	uint64_t stamp;             /* the scheme's change stamp before the open */
	uint32_t len;               /* the bytes the reply brought */
	bool eof;                   /* ... and they are the whole file */
};

/* A free buffer for an open of flags with caller cl (NULL: no read-ahead
 * for it: not a plain read-only open, or none free); its stamp is read
 * now, before the open is sent. */
struct usra *usra_get(struct uscheme *us, int flags, const struct caller *cl);
/* Gives a buffer back. */
void usra_put(struct usra *ra);
/* After a successful OPEN that used ra as its buffer, reply r for a file
 * of type: keeps ra in c if the reply brought a read-ahead that can stand,
 * else gives it back. */
void usra_keep(struct usclose *c, struct usra *ra, const struct usreq *r, uint32_t type);
/* The first read of c's file (len bytes at off into u): true and *n (the
 * bytes, or -EFAULT) when the read-ahead answers it; false when the
 * daemon must. Either way the read-ahead is gone after it. */
bool usra_read(struct usclose *c, struct uio *u, uint64_t off, long *n);

#endif
