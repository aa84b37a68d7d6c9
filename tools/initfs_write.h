/*
 * tools/initfs_write.h: builds initfs archives (kernel/scheme/initfs_format.h) in
 * memory, on the host. Used by tools/mkinitfs and the host tests.
 *
 * Add the tree's directories and files in any order, each after its parent
 * directory; initfs_writer_finish() lays them out in the format's
 * canonical order (breadth-first, names sorted bytewise), so the same tree
 * always gives the same bytes. Nothing about the host is recorded beyond
 * what is passed in: no times or inode numbers; owners only as
 * initfs_writer_chown sets them.
 *
 * Paths name an entry from the root: components separated by single '/',
 * no leading or trailing '/', no "." or ".." components, each component
 * 1 to INITFS_NAME_MAX bytes, the whole shorter than INITFS_PATH_MAX.
 * Permissions are the low 12 mode bits (INITFS_S_IPERM: rwx, setuid,
 * setgid, sticky); the type bits are implied by the call.
 *
 * Errors are negative errno values (<errno.h>): -EINVAL (bad path or
 * permission bits), -ENAMETOOLONG, -ENOENT (parent not added), -ENOTDIR
 * (parent is a file), -EEXIST (already added), -EFBIG (over
 * INITFS_MAX_ENTRIES entries or too large), -ENOMEM.
 */
#ifndef TOOLS_INITFS_WRITE_H
#define TOOLS_INITFS_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/scheme/initfs_format.h"

struct initfs_writer;

/* An empty tree whose root directory has permissions root_perm; NULL if
 * out of memory or root_perm has bits outside INITFS_S_IPERM. */
struct initfs_writer *initfs_writer_new(uint32_t root_perm);

void initfs_writer_free(struct initfs_writer *w);

int initfs_writer_add_dir(struct initfs_writer *w, const char *path, uint32_t perm);

/* data[0, size) is copied; data may be NULL when size is 0. */
int initfs_writer_add_file(struct initfs_writer *w, const char *path, uint32_t perm,
			   const void *data, size_t size);

/* A symbolic link to target (1 to INITFS_PATH_MAX - 1 bytes, kept as
 * given), permissions INITFS_LINK_PERM. -EINVAL for an empty target,
 * -ENAMETOOLONG for a longer one. */
#define INITFS_LINK_PERM 0777
int initfs_writer_add_symlink(struct initfs_writer *w, const char *path, const char *target);

/* Sets the owner of the entry at path ("" = the root; every entry starts
 * as 0:0). -ENOENT if it was not added, or the path errors above. */
int initfs_writer_chown(struct initfs_writer *w, const char *path, uint32_t uid, uint32_t gid);

/*
 * Lay the archive out, checksum it and check it with the reader
 * (initfs_open). On 0, *out is a malloc'd buffer of *out_size bytes for
 * the caller to free. The writer is unchanged and can take more entries.
 * -EIO means the reader refused the result (a bug).
 */
int initfs_writer_finish(struct initfs_writer *w, uint8_t **out, size_t *out_size);

#endif
