/*
 * kernel/scheme/fmap.c: what a struct fmap_desc holds (kernel/scheme/scheme.h): a page
 * set's reference goes back when its user (mmap, exec) is done with it.
 */
#include "kernel/scheme/scheme.h"
#include "mm/uvm.h"

void fmap_desc_release(struct fmap_desc *d)
{
	if (d->kind == FMAP_OBJECT && d->obj)
		vm_object_put(d->obj);
	d->obj = NULL;
}
