/*
 * arch/aarch64/efi/file.c: file access on the EFI loader's volume through
 * gnu-efi's libefi (LibOpenRoot, LibFileInfo) and EFI_FILE_PROTOCOL.
 */
#include <efi.h>
#include <efilib.h>
#include "file.h"

EFI_STATUS file_open_volume(EFI_LOADED_IMAGE *loaded, EFI_FILE_HANDLE *root)
{
	*root = LibOpenRoot(loaded->DeviceHandle);
	return *root ? EFI_SUCCESS : EFI_UNSUPPORTED;
}

EFI_STATUS file_open(EFI_FILE_HANDLE root, CHAR16 *name, EFI_FILE_HANDLE *file, UINT64 *size)
{
	EFI_FILE_INFO *info;
	EFI_STATUS st;
	BOOLEAN dir;

	st = root->Open(root, file, name, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(*file);
	if (info == NULL) {
		(*file)->Close(*file);
		return EFI_DEVICE_ERROR;
	}
	dir = (info->Attribute & EFI_FILE_DIRECTORY) != 0;
	*size = info->FileSize;
	FreePool(info);
	if (dir) {
		(*file)->Close(*file);
		return EFI_NOT_FOUND;
	}
	return EFI_SUCCESS;
}

EFI_STATUS file_read(EFI_FILE_HANDLE file, void *buf, UINT64 len)
{
	UINT8 *p = buf;

	while (len) {
		UINTN got = len;
		EFI_STATUS st = file->Read(file, &got, p);

		if (EFI_ERROR(st))
			return st;
		if (got == 0)
			return EFI_END_OF_FILE;
		p += got;
		len -= got;
	}
	return EFI_SUCCESS;
}

EFI_STATUS file_load(EFI_FILE_HANDLE root, CHAR16 *name, UINT64 max, void **buf, UINT64 *size)
{
	EFI_FILE_HANDLE file;
	EFI_STATUS st;

	st = file_open(root, name, &file, size);
	if (EFI_ERROR(st))
		return st;
	if (*size > max) {
		file->Close(file);
		return EFI_BAD_BUFFER_SIZE;
	}
	/* One byte more, so that an empty file still gets a buffer. */
	*buf = AllocatePool(*size + 1);
	if (*buf == NULL) {
		file->Close(file);
		return EFI_OUT_OF_RESOURCES;
	}
	st = file_read(file, *buf, *size);
	file->Close(file);
	if (EFI_ERROR(st)) {
		FreePool(*buf);
		*buf = NULL;
	}
	return st;
}
