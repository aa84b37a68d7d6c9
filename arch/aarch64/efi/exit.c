/*
 * arch/aarch64/efi/exit.c: ExitBootServices and the jump to the kernel.
 * The memory map is read again for each ExitBootServices attempt (it fails
 * with EFI_INVALID_PARAMETER when the map changed since), and nothing
 * between GetMemoryMap and ExitBootServices calls the firmware.
 */
#include <efi.h>
#include <efilib.h>
#include <libfdt.h>
#include "dt_update.h"
#include "exit.h"
#include "memmap.h"

/* ExitBootServices fails while the map changes under us: try this often. */
#define EXIT_TRIES 8
/* Descriptors of room beyond the map's size, for what changes meanwhile. */
#define MEMMAP_SLACK_DESCS 32

void efi_enter_kernel(UINT64 entry, UINT64 dtb, UINT64 image, UINT64 image_size,
		      UINT64 dtb_size) __attribute__((noreturn));

/* One attempt: map, tree, ExitBootServices. Prints only if loud. */
static EFI_STATUS try_exit(EFI_HANDLE image, const struct dtree *dt, const char *bootargs,
			   const struct initrd *rd, EFI_MEMORY_DESCRIPTOR *map, UINTN cap,
			   BOOLEAN loud)
{
	struct memmap_result mm;
	UINTN size = cap, key, desc_size;
	UINT32 desc_version;
	EFI_STATUS st;
	int err;

	st = BS->GetMemoryMap(&size, map, &key, &desc_size, &desc_version);
	if (EFI_ERROR(st)) {
		if (loud)
			Print(L"anode-efi: cannot read the memory map: %r\n", st);
		return st;
	}
	if (memmap_convert(map, size, desc_size, &mm)) {
		if (loud)
			Print(L"anode-efi: the memory map has no usable RAM\n");
		return EFI_LOAD_ERROR;
	}
	err = dt_update((void *)dt->buf, dt->pages * EFI_PAGE_SIZE, dt->src, &mm, bootargs,
			rd->alloc, rd->alloc ? rd->alloc + rd->size : 0);
	if (err) {
		if (loud)
			Print(L"anode-efi: cannot update the device tree: %a\n", fdt_strerror(err));
		return EFI_LOAD_ERROR;
	}
	return BS->ExitBootServices(image, key);
}

EFI_STATUS exit_and_start(EFI_HANDLE image, const struct kernel *k, const struct dtree *dt,
			  const char *bootargs, const struct initrd *rd)
{
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN size = 0, cap, key, desc_size;
	UINT32 desc_version;
	EFI_STATUS st;

	st = BS->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_version);
	if (st != EFI_BUFFER_TOO_SMALL) {
		Print(L"anode-efi: cannot size the memory map: %r\n", st);
		return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
	}
	cap = size + MEMMAP_SLACK_DESCS * desc_size;
	map = AllocatePool(cap);
	if (map == NULL) {
		Print(L"anode-efi: no memory for the memory map\n");
		return EFI_OUT_OF_RESOURCES;
	}
	Print(L"anode-efi: exiting boot services and starting the kernel\n");
	st = EFI_INVALID_PARAMETER;
	for (int try = 0; try < EXIT_TRIES && st == EFI_INVALID_PARAMETER; try++)
		st = try_exit(image, dt, bootargs, rd, map, cap, try == 0);
	if (st == EFI_SUCCESS)
		efi_enter_kernel(k->entry, dt->buf, k->entry, k->image_size,
				 fdt_totalsize((void *)dt->buf));
	/* After a failed ExitBootServices only memory services may be called. */
	FreePool(map);
	return st == EFI_INVALID_PARAMETER ? EFI_ABORTED : st;
}
