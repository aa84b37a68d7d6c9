/*
 * arch/aarch64/efi/initrd.c: reads the initrd file into whole pages (see
 * initrd.h). Pages, not pool memory: the kernel serves the archive's files
 * by mapping its pages, so it must start on one (the kernel would move an
 * unaligned one, but need not).
 */
#include <efi.h>
#include <efilib.h>
#include "bootargs.h"
#include "file.h"
#include "initrd.h"

EFI_STATUS initrd_load(EFI_FILE_HANDLE root, const char *path, struct initrd *rd)
{
	CHAR16 name[BOOTARGS_MAX];
	EFI_FILE_HANDLE file;
	EFI_STATUS st;
	UINTN i;

	*rd = (struct initrd){ 0 };
	for (i = 0; path[i] && i + 1 < BOOTARGS_MAX; i++)
		name[i] = (CHAR16)(unsigned char)path[i];
	name[i] = 0;
	st = file_open(root, name, &file, &rd->size);
	if (EFI_ERROR(st)) {
		Print(L"anode-efi: initrd %s: cannot open: %r\n", name, st);
		return st;
	}
	if (rd->size == 0) {
		file->Close(file);
		Print(L"anode-efi: initrd %s: cannot use an empty file\n", name);
		return EFI_LOAD_ERROR;
	}
	rd->pages = EFI_SIZE_TO_PAGES(rd->size);
	st = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, rd->pages, &rd->alloc);
	if (EFI_ERROR(st)) {
		rd->alloc = 0;
		file->Close(file);
		Print(L"anode-efi: initrd %s: no memory for %lu bytes: %r\n", name, rd->size, st);
		return st;
	}
	st = file_read(file, (void *)rd->alloc, rd->size);
	file->Close(file);
	if (EFI_ERROR(st)) {
		initrd_free(rd);
		Print(L"anode-efi: initrd %s: cannot read: %r\n", name, st);
		return st;
	}
	Print(L"anode-efi: initrd %s: %lu bytes at %lx\n", name, rd->size, rd->alloc);
	return EFI_SUCCESS;
}

void initrd_free(struct initrd *rd)
{
	if (rd->alloc)
		BS->FreePages(rd->alloc, rd->pages);
	rd->alloc = 0;
}
