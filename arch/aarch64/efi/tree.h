/*
 * arch/aarch64/efi/tree.h: where the EFI loader's device tree comes from
 * (\anode.dtb on its volume if present, else the firmware's UEFI
 * configuration table) and the pages the kernel's edited copy goes to.
 */
#ifndef EFI_TREE_H
#define EFI_TREE_H

#include <efi.h>

#define DTB_FILE L"\\anode.dtb"

struct dtree {
	const void *src;		/* the tree as found */
	void *file;			/* pool copy of anode.dtb, or NULL */
	const CHAR16 *origin;		/* for messages */
	EFI_PHYSICAL_ADDRESS buf;	/* the tree the kernel gets (0: none) */
	UINTN pages;
};

/*
 * Finds and checks the tree and allocates room for the edited copy
 * (EfiLoaderData pages); prints why on the console when it cannot. A
 * present but broken anode.dtb is refused, not passed over.
 */
EFI_STATUS tree_find(EFI_FILE_HANDLE root, struct dtree *dt);

void tree_free(struct dtree *dt);

#endif
