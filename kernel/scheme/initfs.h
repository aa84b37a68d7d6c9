/*
 * kernel/scheme/initfs.h: the initfs archive reader (format: kernel/scheme/initfs_format.h).
 *
 * Pure C with no allocation and no global state, compiled into the kernel,
 * into tools/mkinitfs and into the host tests. initfs_open() checks the
 * whole archive once; after that every query is bounds-safe by
 * construction and costs a binary search at most. Nothing is copied: names
 * and file data point into the archive, which must stay mapped and
 * unchanged while the struct initfs is used.
 *
 * Entries are named by their index (0 = the root, INITFS_ROOT), which is
 * stable for a given archive; the inode number is index + 1.
 */
#ifndef KERNEL_INITFS_H
#define KERNEL_INITFS_H

#include "kernel/scheme/initfs_format.h"
#include "kernel/lib/types.h"

struct initfs {
	const uint8_t *base;	/* the archive's first byte */
	size_t size;		/* the archive's bytes (header total_size) */
	uint32_t count;		/* entries, root included; 0 if not open */
	const char *names;	/* the name table */
};

struct initfs_stat {
	uint32_t index;		/* entry index, 0 = root */
	uint32_t parent;	/* parent directory's index (root: 0) */
	uint32_t mode;		/* Linux st_mode: S_IFDIR, S_IFREG or S_IFLNK | 07777 bits */
	uint64_t size;		/* regular file: bytes; directory: 0; link: its
				 * target's bytes */
	const void *data;	/* regular file: its bytes in the archive, page
				 * aligned relative to the archive (an empty
				 * file's is the archive's base: read nothing);
				 * link: its target (size bytes, no NUL after
				 * them); directory: NULL */
	uint64_t ino;		/* inode number: index + 1 (root: 1), never 0 */
	uint32_t uid, gid;	/* owner and group */
};

/*
 * Check the archive in blob[0, size) and set fs up to read it. Everything
 * is validated up front: magic, version, header and entry sizes, flags,
 * total_size (a multiple of 4 KiB, <= size: bytes past it are ignored),
 * the CRC-32, the table offsets, every entry's type and mode bits, name
 * (in range, NUL-terminated, a valid component), parent (an earlier
 * directory), sort order (strictly increasing (parent, name): no
 * duplicates), and every file's data (aligned, inside the archive,
 * zero-padded to the next 4 KiB). blob needs no particular alignment.
 * Returns 0, or -EINVAL with fs emptied (count 0: every other call then
 * fails cleanly).
 */
int initfs_open(struct initfs *fs, const void *blob, size_t size);

/*
 * The same, with every check but the CRC-32: for an archive whose CRC was
 * checked already by whoever hands it over and cannot have changed since
 * (initfsd's boot:initfs, which the kernel checked at boot and serves
 * read-only: a second pass over its megabytes was most of initfsd's
 * start-up). The table checks stay, so every query is as bounds-safe.
 */
int initfs_open_verified(struct initfs *fs, const void *blob, size_t size);

/*
 * Resolve path from the root, lexically: a symbolic link is an entry
 * like a file (never followed here; one used as a directory is -ENOTDIR):
 * servers follow links themselves, a component at a time with
 * initfs_lookup_at, as their scheme's rules say. Leading, repeated and trailing '/' are
 * allowed ("", "/" and "//" are the root); "." stays and ".." goes to the
 * parent (the root's ".." is the root). Every component but the last must
 * be a directory, and a trailing '/' requires the last to be one too.
 * Fills *st when st is not NULL. Returns the entry's index (>= 0), or
 * -ENOENT (a component is missing), -ENOTDIR (a component used as a
 * directory is a file), -ENAMETOOLONG (path is INITFS_PATH_MAX bytes or
 * more, or a component is longer than INITFS_NAME_MAX), -EINVAL (fs not
 * open, path NULL). The first error met walking left to right wins.
 */
int initfs_lookup(const struct initfs *fs, const char *path, struct initfs_stat *st);

/*
 * The same from directory dir (openat-style): a relative path starts at
 * dir, an absolute one at the root. -ENOENT if dir is not an entry,
 * -ENOTDIR if it is a file and path has a component.
 */
int initfs_lookup_at(const struct initfs *fs, uint32_t dir, const char *path,
		     struct initfs_stat *st);

/* Fill *st for entry index. Returns 0, or -ENOENT if there is no such entry. */
int initfs_stat_index(const struct initfs *fs, uint32_t index, struct initfs_stat *st);

/* Entry index's name (one component, NUL-terminated; "" for the root), or
 * NULL if there is no such entry. */
const char *initfs_name(const struct initfs *fs, uint32_t index);

/*
 * The next child of directory dir_index, in name order ("." and ".." are
 * not entries: a server synthesizes them from st.index and st.parent).
 * *cursor is the number of children already returned: start at 0; any
 * value k resumes at the k-th child, so it can serve as a directory
 * offset. On 1, *cursor is advanced and *name (if name is not NULL) and
 * *st (if st is not NULL) describe the child. Returns 1 (got one),
 * 0 (no more), -ENOTDIR (dir_index is a file), -ENOENT (no such entry).
 */
int initfs_readdir(const struct initfs *fs, uint32_t dir_index, uint32_t *cursor,
		   const char **name, struct initfs_stat *st);

/*
 * CRC-32 (zlib's: see initfs_format.h) of buf[0, len), continuing from crc:
 * initfs_crc32(0, buf, len) is the CRC of buf, and
 * initfs_crc32(initfs_crc32(0, a, n), b, m) that of a followed by b.
 */
uint32_t initfs_crc32(uint32_t crc, const void *buf, size_t len);

#endif
