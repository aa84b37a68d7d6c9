/*
 * kernel/scheme/initfs_format.h: the on-disk format of the initfs archive, version 2.
 *
 * The initfs is a read-only file-system image: a tree of directories,
 * regular files and symbolic links with their owners, built on the host by tools/mkinitfs and carried in the
 * kernel image (later served to user space by a daemon). The reader is
 * kernel/scheme/initfs.c, shared by the kernel, mkinitfs and the host tests; the
 * writer is tools/initfs_write.c.
 *
 * Every integer is little-endian and naturally aligned within the archive.
 * Offsets are in bytes from the first byte of the archive.
 *
 *   0                 struct initfs_header (64 bytes)
 *   64                entry table: entry_count struct initfs_entry (40 bytes
 *                     each), entry 0 is the root directory
 *   names_offset      name table: names_size bytes of NUL-terminated names
 *   (after the names) symbolic links' targets, packed, unaligned (the writer
 *                     puts them here; the reader accepts a target anywhere
 *                     after the name table)
 *   data_offset       file data, each file at a multiple of INITFS_DATA_ALIGN,
 *                     zero-padded to the next multiple
 *   total_size        end of the archive (a multiple of INITFS_DATA_ALIGN)
 *
 * Tree. An entry holds one path component (its name, without '/') and the
 * index of its parent directory. Entries are sorted by the key
 * (parent, name), strictly increasing, names compared as unsigned bytes
 * (memcmp on the common length, then the shorter first: strcmp order).
 * Each entry's parent is a directory with a smaller index. This is the
 * breadth-first order of the tree with each directory's children sorted by
 * name, so
 *   - a directory's children are consecutive entries, in name order;
 *   - looking up one path component is a binary search on (parent, name)
 *     over the whole table;
 *   - the tree has no cycles (parent < index) and no duplicate names.
 * Entry 0 is the root: a directory whose parent is 0 (itself) and whose
 * name is empty. It is nobody's child.
 *
 * Names. 1 to INITFS_NAME_MAX bytes, none of them '/' or NUL, and never "."
 * or "..", each followed by a NUL in the name table (the root's name is
 * the empty string: a NUL). The full path of every entry ("a/b/c", no
 * leading '/') is shorter than INITFS_PATH_MAX, so every entry can be
 * reached by path lookup (mkinitfs guarantees it; the reader checks every
 * component but, to stay linear, not the whole path's length).
 *
 * Data alignment: 4 KiB, the kernel's page size. A file's bytes start on a
 * page boundary of the archive, the bytes after its end up to the next
 * boundary are zero, and the archive ends on a boundary. So, as long as
 * the archive itself is loaded at a page-aligned address (the kernel
 * embeds it with .balign 4096), every page of every file can be mapped
 * directly and read-only into user space (private read-only mmap, ELF
 * segments) with no copy, and the tail of the last page reads as zeros,
 * as POSIX requires past end-of-file. The cost is under 4 KiB of padding
 * per file, which is small for an archive of a few dozen programs.
 *
 * Symbolic links (version 2). A link's entry has mode INITFS_S_IFLNK |
 * permissions (mkinitfs records 0777, as Linux shows links) and its target
 * as its data: size 1 to INITFS_PATH_MAX - 1 bytes, no NUL among them and
 * none after them, at data_offset (no alignment: a target is never mapped,
 * so packing them keeps hundreds of applet links in a page or two), inside
 * the archive and after the name table. The target is kept as written:
 * relative ("busybox"), absolute ("/scheme/null") or naming a scheme
 * ("proc:self"); resolving it is the server's business.
 *
 * Owners (version 2). Every entry has a uid and gid, Linux's numbers.
 * They are in the archive rather than in a table of the daemon because
 * ownership belongs with the tree it describes: a user's own initrd can
 * carry their home directories. mkinitfs records 0:0 unless told otherwise
 * (the build runs unprivileged, so host owners mean nothing).
 *
 * Checksum: CRC-32 as in zlib, gzip, PNG and Ethernet (polynomial
 * 0x04C11DB7 reflected, i.e. 0xEDB88320; initial value and final XOR
 * 0xFFFFFFFF; CRC-32 of "123456789" = 0xCBF43926) over the whole archive,
 * bytes [0, total_size), with the 4 bytes of the crc32 field itself taken
 * as zeros. Python: zlib.crc32(img[:24] + bytes(4) + img[28:total_size]).
 *
 * Versioning: a reader accepts only the versions it knows (this one: 2)
 * and refuses any other, any header_size or entry_size other than the
 * sizes below, and any flag bit set. Any change a version-1 reader would
 * misread bumps INITFS_VERSION. Version 1 had 32-byte entries without
 * owners and no links; nothing builds it any more, so it is refused.
 */
#ifndef KERNEL_INITFS_FORMAT_H
#define KERNEL_INITFS_FORMAT_H

#include "kernel/lib/types.h"

#define INITFS_MAGIC "ANODEIFS"		/* 8 bytes, no NUL in the archive */
#define INITFS_MAGIC_LEN 8
#define INITFS_VERSION 2
#define INITFS_DATA_ALIGN 4096u		/* file data and archive size alignment */
#define INITFS_NAME_MAX 255		/* bytes in one name, without the NUL */
#define INITFS_PATH_MAX 4096		/* bytes in a path, including the NUL */
#define INITFS_MAX_ENTRIES (1u << 24)	/* sanity limit on entry_count */
#define INITFS_ROOT 0			/* index of the root directory */

/* File types and permissions in initfs_entry.mode: Linux's st_mode values. */
#define INITFS_S_IFMT 0170000
#define INITFS_S_IFDIR 0040000
#define INITFS_S_IFREG 0100000
#define INITFS_S_IFLNK 0120000
#define INITFS_S_IPERM 07777		/* setuid, setgid, sticky, rwxrwxrwx */

/* At offset 0. */
struct initfs_header {
	uint8_t magic[INITFS_MAGIC_LEN]; /*  0: INITFS_MAGIC */
	uint32_t version;	/*  8: INITFS_VERSION */
	uint32_t header_size;	/* 12: sizeof(struct initfs_header) = 64 */
	uint64_t total_size;	/* 16: archive bytes, a multiple of INITFS_DATA_ALIGN;
				 *     a blob handed to the reader may be longer
				 *     (loaders round up), never shorter */
	uint32_t crc32;		/* 24: CRC-32 of the archive, see above */
	uint32_t flags;		/* 28: none defined, must be 0 */
	uint32_t entry_count;	/* 32: entries, root included: 1 to INITFS_MAX_ENTRIES */
	uint32_t entry_size;	/* 36: sizeof(struct initfs_entry) = 40 */
	uint64_t names_offset;	/* 40: the name table; the entry table, which
				 *     starts at header_size, ends exactly here */
	uint64_t names_size;	/* 48: bytes in the name table, >= 1 */
	uint64_t data_offset;	/* 56: start of the data area, a multiple of
				 *     INITFS_DATA_ALIGN, >= names_offset + names_size,
				 *     <= total_size */
};

/* entry_count of these at offset header_size, in (parent, name) order. */
struct initfs_entry {
	uint32_t mode;		/*  0: INITFS_S_IFDIR, _IFREG or _IFLNK, ORed with
				 *     permission bits (INITFS_S_IPERM); no other bits */
	uint32_t parent;	/*  4: index of the parent directory, < this
				 *     entry's index (root: 0) */
	uint32_t name_offset;	/*  8: the name, from the start of the name table */
	uint32_t name_len;	/* 12: bytes in the name, without its NUL
				 *     (1 to INITFS_NAME_MAX; root: 0) */
	uint64_t data_offset;	/* 16: regular file of size > 0: its first byte,
				 *     a multiple of INITFS_DATA_ALIGN, >= the
				 *     header's data_offset; empty file or
				 *     directory: 0 */
	uint64_t size;		/* 24: regular file: bytes, data_offset + size <=
				 *     total_size; directory: 0; symbolic link:
				 *     its target's bytes (data_offset: see above) */
	uint32_t uid;		/* 32: owner */
	uint32_t gid;		/* 36: group */
};

_Static_assert(sizeof(struct initfs_header) == 64, "initfs header layout");
_Static_assert(sizeof(struct initfs_entry) == 40, "initfs entry layout");
_Static_assert(offsetof(struct initfs_header, crc32) == 24, "initfs crc32 offset");
_Static_assert(offsetof(struct initfs_header, data_offset) == 56, "initfs header layout");
_Static_assert(offsetof(struct initfs_entry, size) == 24, "initfs entry layout");
_Static_assert(offsetof(struct initfs_entry, gid) == 36, "initfs entry layout");

#define INITFS_CRC_OFFSET 24		/* offsetof(struct initfs_header, crc32) */

/*
 * Little-endian conversions between the archive's fields and native values
 * (the identity on AArch64 and x86-64). Each is its own inverse.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define initfs_le32(x) __builtin_bswap32(x)
#define initfs_le64(x) __builtin_bswap64(x)
#else
#define initfs_le32(x) ((uint32_t)(x))
#define initfs_le64(x) ((uint64_t)(x))
#endif

#endif
