/*
 * kernel/scheme/uscheme_ra.h: the read-ahead of a daemon's OPEN
 * (syscall/abi/scheme_proto.h's SCHEME_REQ_READAHEAD): a read-only open
 * of a regular file brings its first bytes with the reply, and the
 * handle's first read, at offset 0, is answered from them without a round
 * trip while the scheme's change stamp (kernel/scheme/usgen.h) still is
 * what it was before the open was sent.
 *
 * The bytes are not copied at the reply: the daemon's pages holding them
 * are taken (each with a frame reference, so they cannot be freed under
 * the read), and the first read copies them once, straight to the reader.
 * They are the daemon's bytes at the read, not at the reply; while the
 * stamp stands no request that may change a file was sent meanwhile, so
 * they are the file's (a daemon's files change only through requests; one
 * whose pages a shared mapping may write sends no read-ahead). The pages
 * go back at the first read, at the close, or with an open that fails.
 * The records come from a small static set: an open that finds none free
 * asks for no read-ahead, so files opened and never read cost no memory
 * beyond the pages of those few.
 */
#ifndef KERNEL_USCHEME_RA_H
#define KERNEL_USCHEME_RA_H

#include "kernel/scheme/uscheme.h"
#include "mm/page.h"
#include "mm/layout.h"

/* The pages a read-ahead's bytes may span: SCHEME_PATH_BUF bytes at any
 * offset into the first. */
#define USRA_PAGES (SCHEME_PATH_BUF / PAGE_SIZE + 1)

struct usra {
	paddr_t pa[USRA_PAGES];     /* the daemon's pages, each referenced */
	uint32_t npages;            /* ... how many are taken */
	uint32_t off;               /* where the bytes start in pa[0] */
	uint64_t stamp;             /* the scheme's change stamp before the open */
	uint32_t len;               /* the bytes the reply brought */
	bool eof;                   /* ... and they are the whole file */
};

/* A free record for an open of flags with caller cl (NULL: no read-ahead
 * for it: not a plain read-only open, or none free); its stamp is read
 * now, before the open is sent. */
struct usra *usra_get(struct uscheme *us, int flags, const struct caller *cl);
/* Gives a record back, and the pages it holds. */
void usra_put(struct usra *ra);
/* The reply's read-ahead of len bytes at daddr in the current (the
 * daemon's) address space: takes the pages holding them into ra. 0, or
 * -EFAULT for an address the daemon may not read (the reply is refused;
 * ra holds nothing). For uscheme_data.c's reply_data, r pinned. */
int usra_pin(struct usra *ra, uint64_t daddr, uint64_t len);
/* After a successful OPEN that had ra, reply r for a file of type: keeps
 * ra in c if the reply brought a read-ahead that can stand, else gives it
 * back. */
void usra_keep(struct usclose *c, struct usra *ra, const struct usreq *r, uint32_t type);
/* The first read of c's file (len bytes at off into u): true and *n (the
 * bytes, or -EFAULT) when the read-ahead answers it; false when the
 * daemon must. Either way the read-ahead is gone after it. */
bool usra_read(struct usclose *c, struct uio *u, uint64_t off, long *n);

#endif
