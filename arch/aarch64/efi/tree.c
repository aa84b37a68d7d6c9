/*
 * arch/aarch64/efi/tree.c: finds the device tree the EFI loader edits and
 * hands on (see tree.h); the edits themselves are dt_update.c's.
 */
#include <efi.h>
#include <efilib.h>
#include <libfdt.h>
#include "dt_update.h"
#include "file.h"
#include "kernel.h"
#include "tree.h"

#define KIB 1024

static EFI_GUID dtb_table_guid = EFI_DTB_TABLE_GUID;

static const void *firmware_tree(void)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
		if (CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &dtb_table_guid) == 0)
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}

/* Points dt->src at anode.dtb or the firmware's tree; 0 or a libfdt error. */
static EFI_STATUS locate(EFI_FILE_HANDLE root, struct dtree *dt, int *err)
{
	UINT64 size;
	EFI_STATUS st = file_load(root, DTB_FILE, DT_MAX_SIZE, &dt->file, &size);

	if (st == EFI_SUCCESS) {
		dt->src = dt->file;
		dt->origin = DTB_FILE;
		*err = fdt_check_header(dt->src);
		if (!*err && fdt_totalsize(dt->src) > size)
			*err = -FDT_ERR_TRUNCATED;
		return st;
	}
	if (st != EFI_NOT_FOUND) {
		Print(L"anode-efi: cannot read %s: %r\n", DTB_FILE, st);
		return st;
	}
	dt->src = firmware_tree();
	dt->origin = L"the firmware (UEFI configuration table)";
	if (dt->src == NULL) {
		Print(L"anode-efi: no device tree: the firmware provides none and there is no %s"
		      L" beside %s (QEMU virt: -M virt,acpi=off makes EDK2 provide one)\n",
		      DTB_FILE, KERNEL_FILE);
		return EFI_NOT_FOUND;
	}
	*err = fdt_check_header(dt->src);
	return EFI_SUCCESS;
}

EFI_STATUS tree_find(EFI_FILE_HANDLE root, struct dtree *dt)
{
	EFI_STATUS st;
	int err = 0;

	*dt = (struct dtree){ 0 };
	st = locate(root, dt, &err);
	if (EFI_ERROR(st))
		return st;
	if (err) {
		Print(L"anode-efi: device tree from %s refused: %a\n", dt->origin, fdt_strerror(err));
		return EFI_LOAD_ERROR;
	}
	if (fdt_totalsize(dt->src) > DT_MAX_SIZE - DT_UPDATE_EXTRA) {
		Print(L"anode-efi: device tree from %s is over %u KiB\n", dt->origin,
		      (DT_MAX_SIZE - DT_UPDATE_EXTRA) / KIB);
		return EFI_LOAD_ERROR;
	}
	dt->pages = EFI_SIZE_TO_PAGES(fdt_totalsize(dt->src) + DT_UPDATE_EXTRA);
	st = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, dt->pages, &dt->buf);
	if (EFI_ERROR(st)) {
		dt->buf = 0;
		Print(L"anode-efi: no memory for the device tree: %r\n", st);
	}
	return st;
}

void tree_free(struct dtree *dt)
{
	if (dt->buf)
		BS->FreePages(dt->buf, dt->pages);
	if (dt->file)
		FreePool(dt->file);
	dt->buf = 0;
	dt->file = NULL;
}
