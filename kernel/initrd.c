/*
 * kernel/initrd.c: taking the boot loader's initrd as the boot archive
 * (see initrd.h). Runs once on the boot CPU, after the physmap is mapped
 * (the initrd is read and, if unaligned, moved through it) and before the
 * frame allocator exists, so nothing can have been allocated on top of it.
 */
#include "kernel/initrd.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "kernel/boot.h"
#include "kernel/scheme/boot.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/errno_str.h"
#include "mm/kmap.h"
#include <string.h>

static const char *place_error(int err)
{
	switch (err) {
	case -EINVAL:
		return "it is empty";
	case -ERANGE:
		return "it is not inside RAM";
	default:
		return errno_str(err);
	}
}

bool initrd_take(const struct dt_chosen *chosen, int chosen_err, const struct initrd_busy *busy,
		 int nbusy, struct mem_range *keep)
{
	struct initrd_where w;
	int which = 0, err;

	if (chosen_err == -EINVAL && !chosen->has_initrd) {
		printk("initrd: /chosen/linux,initrd-start|end malformed (a property alone, a bad "
		       "length or end < start); ignored\n");
		return false;
	}
	if (!chosen->has_initrd)
		return false;
	printk("initrd: [%#lx-%#lx), %lu bytes, from /chosen\n", chosen->initrd_start,
	       chosen->initrd_end, chosen->initrd_end - chosen->initrd_start);
	err = initrd_place(boot_info.ram, boot_info.nram, busy, nbusy, chosen->initrd_start,
			   chosen->initrd_end, &w, &which);
	if (err == -EBUSY) {
		printk("initrd: refused: it shares a page with %s; using the archive in the image\n",
		       busy[which].what);
		return false;
	}
	if (err) {
		printk("initrd: refused: %s; using the archive in the image\n", place_error(err));
		return false;
	}
	if (w.at != chosen->initrd_start) {
		/* Files in the archive are page aligned relative to its start,
		 * and user space maps them page by page: the start must be too. */
		memmove(phys_to_virt(w.at), phys_to_virt(chosen->initrd_start), w.size);
		printk("initrd: not page aligned: moved from %#lx to %#lx\n", chosen->initrd_start,
		       w.at);
	}
	err = boot_archive_use_initrd(phys_to_virt(w.at), w.size);
	if (err)
		return false;
	*keep = (struct mem_range){ w.rsv_base, w.rsv_size };
	return true;
}
