/*
 * arch/aarch64/efi/initrd.h: loading the initrd the command line's
 * "initrd=PATH" names (bootargs_initrd) from the loader's volume into
 * page-aligned EfiLoaderData pages, which the kernel finds through
 * /chosen/linux,initrd-start|end (dt_update) and reserves itself.
 */
#ifndef EFI_INITRD_H
#define EFI_INITRD_H

#include <efi.h>

struct initrd {
	EFI_PHYSICAL_ADDRESS alloc;	/* its first byte, page aligned (0: none) */
	UINTN pages;
	UINT64 size;			/* the file's bytes */
};

/* Reads the file path (ASCII, '\\' separated) whole; prints why on the
 * console when it cannot (absent, empty, unreadable, no memory). */
EFI_STATUS initrd_load(EFI_FILE_HANDLE root, const char *path, struct initrd *rd);

/* Gives back the memory of an initrd that will not be handed over. */
void initrd_free(struct initrd *rd);

#endif
