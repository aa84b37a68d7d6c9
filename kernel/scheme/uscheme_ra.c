/*
 * kernel/scheme/uscheme_ra.c: the read-ahead of a daemon's OPEN (see
 * uscheme_ra.h): its static records, the daemon's pages taken at the
 * reply, the open's decision to keep them, and the first read answered
 * from them.
 */
#include "kernel/scheme/uscheme_ra.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spare.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"
#include "kernel/proc.h"
#include "mm/uvm.h"
#include "mm/kmap.h"
#include "arch/aarch64/uaccess.h"

/* Records for files opened and not yet read: a program reading a file at a
 * time needs one (its last file's record is back by its next open), a
 * few more serve other programs and CPUs; beyond, opens go without. */
#define USRA_SPARES 4
static struct usra usra_spare[USRA_SPARES];
static bool usra_busy[USRA_SPARES];

/* What a read-ahead may be asked for: a read-only open that changes
 * nothing (usgen_mutates spares it, so it leaves the stamp as it is) of
 * a path alone (a stat's open wants the status in the buffer instead). */
#define USRA_NOT_WITH (ABI_O_ACCMODE | ABI_O_CREAT | ABI_O_TRUNC | ABI_O_PATH)

struct usra *usra_get(struct uscheme *us, int flags, const struct caller *cl)
{
	if ((flags & USRA_NOT_WITH) || cl->stat || !cl->redirect)
		return NULL;
	int i = spare_claim(usra_busy, USRA_SPARES);

	if (i < 0)
		return NULL;
	usra_spare[i].stamp = usgen_stamp(&us->gen);
	usra_spare[i].npages = 0;
	usra_spare[i].len = 0;
	return &usra_spare[i];
}

void usra_put(struct usra *ra)
{
	for (uint32_t i = 0; i < ra->npages; i++)
		page_put(ra->pa[i]);
	spare_release(usra_busy, (int)(ra - usra_spare));
}

int usra_pin(struct usra *ra, uint64_t daddr, uint64_t len)
{
	struct aspace *as = current_proc()->as;
	uint64_t first = ALIGN_DOWN(daddr, PAGE_SIZE);
	size_t want;

	/* usproto_check_reply bounds len by the buffer (SCHEME_PATH_BUF):
	 * at most USRA_PAGES pages. No bytes need no page. */
	if (len == 0)
		return 0;
	if (daddr >= USER_TOP || len > USER_TOP - daddr || len > SCHEME_PATH_BUF)
		return -EFAULT;
	want = (ALIGN_UP(daddr + len, PAGE_SIZE) - first) / PAGE_SIZE;
	while (ra->npages < want) {
		size_t got = uvm_get_pages(as, first + ra->npages * PAGE_SIZE, want - ra->npages,
					   false, ra->pa + ra->npages);

		if (!got) {
			for (uint32_t i = 0; i < ra->npages; i++)
				page_put(ra->pa[i]);
			ra->npages = 0;
			return -EFAULT;
		}
		ra->npages += got;
	}
	ra->off = daddr & (PAGE_SIZE - 1);
	ra->len = (uint32_t)len;
	return 0;
}

/* Copies the first len (<= ra->len) of ra's bytes to u: 0 or -EFAULT. */
static int copy_kept(const struct usra *ra, struct uio *u, size_t len)
{
	size_t done = 0, at = ra->off;

	for (uint32_t i = 0; done < len; i++, at = 0) {
		size_t piece = MIN(len - done, PAGE_SIZE - at);

		if (uio_copy_out(u, done, (const uint8_t *)phys_to_virt(ra->pa[i]) + at, piece))
			return -EFAULT;
		done += piece;
	}
	return 0;
}

void usra_keep(struct usclose *c, struct usra *ra, const struct usreq *r, uint32_t type)
{
	/* A mutation in flight when the stamp was read may have changed the
	 * file before or after the daemon took the bytes: none kept. The
	 * length is what usra_pin took, never the daemon's word. */
	if (!(r->aux & SCHEME_AUX_READAHEAD) || type != ABI_S_IFREG || !usgen_settled(ra->stamp) ||
	    r->data_len != ra->len) {
		usra_put(ra);
		return;
	}
	ra->eof = r->aux & SCHEME_AUX_READAHEAD_EOF;
	c->ra = ra;
}

bool usra_read(struct usclose *c, struct uio *u, uint64_t off, long *n)
{
	/* One reader takes it (two threads may read one file at once). */
	struct usra *ra = __atomic_exchange_n(&c->ra, NULL, __ATOMIC_ACQUIRE);
	bool hit;

	if (!ra)
		return false;
	/* A read past the bytes brought is the daemon's unless they are the
	 * whole file (then it ends there, as the daemon's read would). A
	 * dead daemon's file reads as its reads do (-EIO), kept bytes or not. */
	hit = off == 0 && usgen_stamp(&c->us->gen) == ra->stamp && (u->len <= ra->len || ra->eof) &&
	      !__atomic_load_n(&c->us->s.dead, __ATOMIC_ACQUIRE);
	if (hit) {
		size_t len = MIN(u->len, (size_t)ra->len);

		*n = copy_kept(ra, u, len) ? -EFAULT : (long)len;
	}
	usra_put(ra);
	return hit;
}
