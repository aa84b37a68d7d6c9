/*
 * syscall/fs_args.h: copying and resolving the path arguments of the
 * file-system calls (syscall/fs_args.c), shared by sys_file.c, sys_path.c
 * and sys_fsattr.c: a path is copied from user memory (bounded, -EFAULT,
 * -ENAMETOOLONG, -ENOENT for "") and made relative to its *at() directory
 * before anything changes.
 */
#ifndef SYSCALL_FS_ARGS_H
#define SYSCALL_FS_ARGS_H

#include "kernel/lib/types.h"

struct file;

/* Copies a user path into path (PATH_MAX_LEN bytes); "" is -ENOENT. */
long fs_get_path(uint64_t upath, char *path);
/* Rewrites path (PATH_MAX_LEN bytes) relative to dirfd; AT_FDCWD leaves it
 * relative to the working directory, and an absolute path (path.h) ignores
 * dirfd, as on Linux, even if dirfd is not open. */
long fs_resolve_at(int dirfd, char *path);
/* Both: the user path upath relative to dirfd, into path. */
long fs_path_at(int dirfd, uint64_t upath, char *path);
/* The working directory a resolved path is relative to: a reference
 * (cwd_put) for a relative path, NULL for an absolute one, which never
 * reads it; fs_cwd_path gives its text ("/" for NULL) for file_open. */
struct cwd;
struct cwd *fs_cwd_for(const char *path);
const char *fs_cwd_path(const struct cwd *c);
/* The file upath names relative to dirfd, opened with oflags (O_NOFOLLOW
 * added for AT_SYMLINK_NOFOLLOW in atflags); with AT_EMPTY_PATH an empty
 * path names dirfd itself (AT_FDCWD: the working directory). */
long fs_file_at(int dirfd, uint64_t upath, int atflags, int oflags, struct file **out);
/* The status of what fs_file_at(..., O_PATH) would open, into *st (one
 * round trip fewer where the scheme answers it with the open). */
struct abi_stat;
long fs_stat_at(int dirfd, uint64_t upath, int atflags, struct abi_stat *st);
/* The file of descriptor fd, with a reference; NULL if fd is not open, or
 * is an O_PATH descriptor and path_ok is false (the calls that need a
 * real open file answer -EBADF for those, as on Linux). */
struct file *fs_fd(int fd, bool path_ok);

#endif
