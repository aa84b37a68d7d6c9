/*
 * kernel/scheme/boot.h: the boot archive (the boot loader's initrd, taken by
 * kernel/initrd.c, or else the initfs image the kernel image carries,
 * kernel/scheme/initfs_blob.S, which may be empty) and the `boot:` scheme that hands
 * it to user space. The kernel serves no file of the archive itself: it
 * finds /bin/init in it to start the first process, and from then on the
 * archive's files are initfsd's to serve (drivers/initfsd/), from the
 * archive it maps through `boot:initfs`.
 */
#ifndef KERNEL_SCHEME_BOOT_H
#define KERNEL_SCHEME_BOOT_H

#include "kernel/lib/types.h"

#define BOOT_SCHEME "boot"          /* the scheme's name (a private name, namespace.h) */
#define BOOT_ARCHIVE_FILE "initfs"  /* its one file: boot:initfs */

/* Makes blob[0, size) (the initrd, page aligned, in the physmap) the boot
 * archive if it is a valid one (kernel/scheme/initfs.h); else says why and
 * returns -EINVAL, leaving the choice to boot_archive_init. Boot CPU, before
 * boot_archive_init. */
int boot_archive_use_initrd(const void *blob, size_t size);

/* Settles the archive: the initrd if boot_archive_use_initrd took one, else
 * the image's, checked. Says which and what it holds; 0, or -EINVAL (an
 * invalid archive in the image) or -ENOENT (the image carries none): then
 * boot: serves nothing and no program can start. */
int boot_archive_init(void);

/* The regular file at path in the archive, for the first exec: its bytes
 * (in place, page aligned) and its mode. 0, or -ENOENT/-ENOTDIR/-EINVAL
 * (no valid archive) as initfs_lookup answers, -EISDIR for a directory. */
int boot_archive_find(const char *path, const void **data, size_t *size, uint32_t *mode);

#endif
