/*
 * syscall/abi/abi_fs.h: the Linux AArch64 ABI of the file-system calls
 * (asm-generic/unistd.h numbers, fcntl.h and stat.h flags, struct statfs):
 * path operations, attributes, symbolic links. Kept apart from abi.h so the
 * file-system calls read as one set.
 */
#ifndef SYSCALL_ABI_FS_H
#define SYSCALL_ABI_FS_H

#include <stdint.h>

#define SYS_mknodat 33
#define SYS_mkdirat 34
#define SYS_unlinkat 35
#define SYS_symlinkat 36
#define SYS_linkat 37
#define SYS_renameat 38
#define SYS_statfs 43
#define SYS_fstatfs 44
#define SYS_truncate 45
#define SYS_ftruncate 46
#define SYS_faccessat 48
#define SYS_fchdir 50
#define SYS_fchmod 52
#define SYS_fchmodat 53
#define SYS_fchownat 54
#define SYS_fchown 55
#define SYS_readlinkat 78
#define SYS_sync 81
#define SYS_fsync 82
#define SYS_fdatasync 83
#define SYS_utimensat 88
#define SYS_umask 166
#define SYS_syncfs 267
#define SYS_renameat2 276
#define SYS_faccessat2 439

#define ABI_O_PATH 010000000
#define ABI_S_IFLNK 0120000
#define ABI_S_IFBLK 0060000
#define ABI_S_IFSOCK 0140000
#define ABI_S_ISVTX 01000
#define ABI_S_IALLUGO 07777        /* permission bits, set-id and sticky */
#define ABI_S_IRWXUGO 0777
#define ABI_S_IXUGO 0111

#define ABI_AT_REMOVEDIR 0x200
#define ABI_AT_SYMLINK_FOLLOW 0x400
#define ABI_AT_NO_AUTOMOUNT 0x800
#define ABI_AT_EACCESS 0x200       /* faccessat2: effective ids (shares AT_REMOVEDIR's bit) */

#define ABI_RENAME_NOREPLACE 0x1
#define ABI_RENAME_EXCHANGE 0x2
#define ABI_RENAME_WHITEOUT 0x4

#define ABI_F_OK 0
#define ABI_X_OK 1
#define ABI_W_OK 2
#define ABI_R_OK 4

#define ABI_UTIME_NOW ((1L << 30) - 1)
#define ABI_UTIME_OMIT ((1L << 30) - 2)
#define ABI_NSEC_PER_SEC 1000000000L

#define ABI_UMASK_DEFAULT 022      /* what Linux's init starts with */

/* struct statfs as asm-generic/statfs.h lays it out for AArch64. */
struct abi_statfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};
_Static_assert(sizeof(struct abi_statfs) == 120, "struct statfs is 120 bytes on AArch64");

#endif
