/*
 * arch/aarch64/efi/file.h: reading files from the EFI loader's own volume
 * (the Simple File System of LoadedImage->DeviceHandle).
 */
#ifndef EFI_FILE_H
#define EFI_FILE_H

#include <efi.h>

/* The root directory of the volume the loader was loaded from. */
EFI_STATUS file_open_volume(EFI_LOADED_IMAGE *loaded, EFI_FILE_HANDLE *root);

/* Opens a regular file for reading; EFI_NOT_FOUND if absent or a directory. */
EFI_STATUS file_open(EFI_FILE_HANDLE root, CHAR16 *name, EFI_FILE_HANDLE *file, UINT64 *size);

/* Reads exactly len bytes from the file's current position. */
EFI_STATUS file_read(EFI_FILE_HANDLE file, void *buf, UINT64 len);

/*
 * Reads a whole file of at most max bytes into a new pool buffer (FreePool
 * it); EFI_NOT_FOUND if absent, EFI_BAD_BUFFER_SIZE if larger than max.
 */
EFI_STATUS file_load(EFI_FILE_HANDLE root, CHAR16 *name, UINT64 max, void **buf, UINT64 *size);

#endif
