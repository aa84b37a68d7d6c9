/*
 * kernel/scheme/boot.h: the boot archive (the initfs image the kernel image
 * carries, kernel/scheme/initfs_blob.S) and the `boot:` scheme that hands
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

/* Checks the archive (kernel/scheme/initfs.h) and says what it holds; 0 or
 * -EINVAL (then boot: serves nothing and no program can start). */
int boot_archive_init(void);

/* The regular file at path in the archive, for the first exec: its bytes
 * (in place, page aligned) and its mode. 0, or -ENOENT/-ENOTDIR/-EINVAL
 * (no valid archive) as initfs_lookup answers, -EISDIR for a directory. */
int boot_archive_find(const char *path, const void **data, size_t *size, uint32_t *mode);

#endif
