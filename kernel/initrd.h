/*
 * kernel/initrd.h: the initrd a boot loader hands over through
 * /chosen/linux,initrd-start|end (QEMU -initrd, u-boot's booti, the UEFI
 * loader's initrd=). initrd_place() decides, from RAM and the ranges the
 * kernel already occupies, whether the bytes can be used and where their
 * page-aligned copy goes (pure: host-tested in tests/host/test_initrd.c);
 * initrd_take() (kernel/initrd.c) does it at boot, before the frame
 * allocator exists, and offers the result as the boot archive.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include "kernel/lib/types.h"
#include "mm/ranges.h"

struct dt_chosen;

/* A range the initrd must not share a page with (the kernel image, the
 * device tree): a loader that placed it there handed over garbage. */
struct initrd_busy {
	paddr_t base;
	uint64_t size;
	const char *what;	/* "the kernel image", for the message */
};

struct initrd_where {
	paddr_t at;		/* where the archive's first byte will be: start,
				 * or start rounded down to a page when the loader
				 * did not align it (the bytes move down there) */
	uint64_t size;		/* end - start */
	paddr_t rsv_base;	/* the pages to keep from the allocator */
	uint64_t rsv_size;
};

/*
 * Checks the initrd [start, end): not empty, inside one RAM range (whole
 * pages: the physmap maps nothing else), and sharing no page with any busy
 * range. An unaligned start is moved down to its page boundary: that head
 * of the page is RAM nobody else claims (the rule above), so the move
 * overwrites nothing. Returns 0 with *out filled, or -EINVAL (empty,
 * reversed), -ERANGE (outside RAM) or -EBUSY (shares a page with
 * busy[*which]); *which is set only for -EBUSY.
 */
int initrd_place(const struct mem_range *ram, int nram, const struct initrd_busy *busy,
		 int nbusy, paddr_t start, paddr_t end, struct initrd_where *out, int *which);

/*
 * At boot, after the physmap is mapped and before the frame allocator: the
 * initrd /chosen names (chosen_err: dt_chosen's result, -EINVAL for
 * malformed properties), checked by initrd_place and as an archive
 * (boot_archive_use_initrd). Every refusal is logged and the boot goes on
 * with the archive in the image. Returns true with *keep = the pages to
 * reserve when the initrd became the boot archive; false otherwise (its
 * pages are then free memory).
 */
bool initrd_take(const struct dt_chosen *chosen, int chosen_err, const struct initrd_busy *busy,
		 int nbusy, struct mem_range *keep);

#endif
