/*
 * arch/aarch64/efi/kernel.h: loading kernel.img, an arm64 Image, from the
 * loader's volume into 2 MiB-aligned memory.
 */
#ifndef EFI_KERNEL_H
#define EFI_KERNEL_H

#include <efi.h>

#define KERNEL_FILE L"\\kernel.img"

struct kernel {
	EFI_PHYSICAL_ADDRESS alloc;	/* what AllocatePages returned (0: none) */
	UINTN pages;
	UINT64 entry;		/* the image's first byte: base + text_offset */
	UINT64 image_size;	/* bytes from entry, bss included */
	UINT64 file_size;
};

/*
 * Opens, checks (image_check.c) and copies kernel.img; prints why on the
 * console when it cannot. The bss is zeroed.
 */
EFI_STATUS kernel_load(EFI_FILE_HANDLE root, struct kernel *k);

/* Gives back the memory of a kernel that will not be started. */
void kernel_free(struct kernel *k);

#endif
