/*
 * mm/uvm_pages.c: a run of another address space's pages for a copy (see
 * uvm_get_pages in uvm.h): a user scheme's data ioctl copies a caller's
 * buffer a page at a time through the physmap, and taking the pages in one
 * hold of the space's lock spares a lock round and a call per page.
 */
#include "mm/uvm.h"
#include "mm/uvm_internal.h"

size_t uvm_get_pages(struct aspace *as, uint64_t va, size_t n, bool write, paddr_t *pa)
{
	size_t got = uvm_present_pages(as, va, n, write, pa);

	if (got || n == 0)
		return got;
	/* The first needs a fault (not present, or copy-on-write). */
	return uvm_get_page(as, va, write, pa) ? 0 : 1;
}
