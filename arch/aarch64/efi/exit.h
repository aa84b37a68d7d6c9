/*
 * arch/aarch64/efi/exit.h: the EFI loader's hand-over: the final memory map
 * into the device tree, ExitBootServices, and the jump (enter.S).
 */
#ifndef EFI_EXIT_H
#define EFI_EXIT_H

#include <efi.h>
#include "initrd.h"
#include "kernel.h"
#include "tree.h"

/*
 * Gets the memory map, writes it (memmap.c, dt_update.c), bootargs (NULL:
 * keep the tree's) and the initrd's bounds (rd->alloc 0: none) into dt's
 * copy, exits boot services and starts the
 * kernel. Returns only on failure: errors met before the first
 * ExitBootServices call are printed, later ones only returned.
 */
EFI_STATUS exit_and_start(EFI_HANDLE image, const struct kernel *k, const struct dtree *dt,
			  const char *bootargs, const struct initrd *rd);

#endif
