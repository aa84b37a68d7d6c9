/*
 * arch/aarch64/efi/dt_update.h: the edits the EFI loader makes to the
 * device tree it hands the kernel: /memory from the UEFI memory map,
 * /memreserve/ entries for firmware-owned RAM, /chosen/bootargs and the
 * initrd's /chosen/linux,initrd-start|end.
 * Pure libfdt, no UEFI, so the host tests run it against host libfdt.
 */
#ifndef EFI_DT_UPDATE_H
#define EFI_DT_UPDATE_H

#include <stddef.h>
#include "memmap.h"

/* Room the edits may need beyond the source tree (nodes, entries, text). */
#define DT_UPDATE_EXTRA (64u * 1024)
/* The kernel maps at most this much device tree (FDT_WINDOW_SIZE). */
#define DT_MAX_SIZE (2u * 1024 * 1024)

/*
 * Copies the tree src into buf (size bytes) and edits the copy: every node
 * with device_type "memory" is replaced by one /memory node listing mm's
 * RAM ranges; mm's reserved ranges are added to /memreserve/ (existing
 * entries and /reserved-memory stay); /chosen/bootargs is set to bootargs
 * unless it is NULL; /chosen/linux,initrd-start|end are set to the initrd
 * [initrd_start, initrd_end) as 64-bit values when it is not empty, else
 * any stale ones are removed. The result is packed. Returns 0 or a negative
 * libfdt error (fdt_strerror). Calls no firmware: safe between
 * GetMemoryMap and ExitBootServices.
 */
int dt_update(void *buf, size_t size, const void *src, const struct memmap_result *mm,
	      const char *bootargs, uint64_t initrd_start, uint64_t initrd_end);

#endif
