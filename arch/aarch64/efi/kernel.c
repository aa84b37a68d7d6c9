/*
 * arch/aarch64/efi/kernel.c: reads kernel.img's header, refuses a bad one
 * with the reason, and copies the image to a 2 MiB-aligned base taken from
 * EfiLoaderData pages (the kernel reserves its own image from the header,
 * so nothing else needs to mark it).
 */
#include <efi.h>
#include <efilib.h>
#include "file.h"
#include "image_check.h"
#include "kernel.h"

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((UINT64)(a) - 1))

static EFI_STATUS refuse(EFI_STATUS st, const char *why)
{
	Print(L"anode-efi: %s refused: %a\n", KERNEL_FILE, why);
	return st;
}

EFI_STATUS kernel_load(EFI_FILE_HANDLE root, struct kernel *k)
{
	UINT8 head[IMAGE_HEADER_SIZE];
	struct image_info info;
	enum image_status check;
	EFI_FILE_HANDLE file;
	EFI_STATUS st;
	UINT64 base;

	*k = (struct kernel){ 0 };
	st = file_open(root, KERNEL_FILE, &file, &k->file_size);
	if (st == EFI_NOT_FOUND) {
		Print(L"anode-efi: no %s on the loader's volume\n", KERNEL_FILE);
		return st;
	}
	if (EFI_ERROR(st)) {
		Print(L"anode-efi: cannot open %s: %r\n", KERNEL_FILE, st);
		return st;
	}
	st = file_read(file, head, k->file_size < sizeof(head) ? k->file_size : sizeof(head));
	if (EFI_ERROR(st)) {
		file->Close(file);
		Print(L"anode-efi: cannot read %s: %r\n", KERNEL_FILE, st);
		return st;
	}
	check = image_check(head, k->file_size, &info);
	if (check != IMAGE_OK) {
		file->Close(file);
		return refuse(EFI_LOAD_ERROR, image_status_str(check));
	}

	/* Enough pages to find a 2 MiB boundary with the whole image above it. */
	k->pages = EFI_SIZE_TO_PAGES(info.text_offset + info.image_size + IMAGE_ALIGN - EFI_PAGE_SIZE);
	st = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, k->pages, &k->alloc);
	if (EFI_ERROR(st)) {
		k->alloc = 0;
		file->Close(file);
		Print(L"anode-efi: no memory for a %lu-byte kernel: %r\n", info.image_size, st);
		return st;
	}
	base = ALIGN_UP(k->alloc, IMAGE_ALIGN);
	k->entry = base + info.text_offset;
	k->image_size = info.image_size;

	st = file->SetPosition(file, 0);
	if (!EFI_ERROR(st))
		st = file_read(file, (void *)k->entry, k->file_size);
	file->Close(file);
	if (EFI_ERROR(st)) {
		kernel_free(k);
		Print(L"anode-efi: cannot read %s: %r\n", KERNEL_FILE, st);
		return st;
	}
	SetMem((UINT8 *)k->entry + k->file_size, k->image_size - k->file_size, 0);
	return EFI_SUCCESS;
}

void kernel_free(struct kernel *k)
{
	if (k->alloc)
		BS->FreePages(k->alloc, k->pages);
	k->alloc = 0;
}
