/*
 * syscall/fs_args.c: the path arguments of the file-system calls (see
 * fs_args.h).
 */
#include "syscall/fs_args.h"
#include "kernel/proc.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "arch/aarch64/uaccess.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"
#include <string.h>

long fs_get_path(uint64_t upath, char *path)
{
	long n = strncpy_from_user(path, upath, PATH_MAX_LEN);

	if (n == 0)
		return -ENOENT; /* an empty path names nothing */
	return n < 0 ? n : 0;
}

long fs_resolve_at(int dirfd, char *path)
{
	char *joined;
	struct file *dir;
	long err;

	if (dirfd == ABI_AT_FDCWD || path_is_absolute(path))
		return 0;
	dir = fd_get(current_proc()->fds, dirfd);
	if (!dir)
		return -EBADF;
	joined = kmalloc(PATH_MAX_LEN);
	err = joined ? file_join_at(dir, path, joined) : -ENOMEM;
	if (!err)
		memcpy(path, joined, strlen(joined) + 1);
	kfree(joined);
	file_put(dir);
	return err;
}

long fs_path_at(int dirfd, uint64_t upath, char *path)
{
	long err = fs_get_path(upath, path);

	return err ? err : fs_resolve_at(dirfd, path);
}

long fs_file_at(int dirfd, uint64_t upath, int atflags, int oflags, struct file **out)
{
	char *path = kmalloc(PATH_MAX_LEN);
	struct proc *p = current_proc();
	long err, n;

	if (!path)
		return -ENOMEM;
	n = strncpy_from_user(path, upath, PATH_MAX_LEN);
	err = n < 0 ? n : 0;
	if (!err && n == 0) {
		if (!(atflags & ABI_AT_EMPTY_PATH))
			err = -ENOENT;
		else if (dirfd == ABI_AT_FDCWD)
			err = file_open(p->cwd, "/", oflags, out);
		else if (!(*out = fd_get(p->fds, dirfd)))
			err = -EBADF;
	} else if (!err) {
		if (atflags & ABI_AT_SYMLINK_NOFOLLOW)
			oflags |= ABI_O_NOFOLLOW;
		err = fs_resolve_at(dirfd, path);
		if (!err)
			err = file_open(path, p->cwd, oflags, out);
	}
	kfree(path);
	return err;
}

struct file *fs_fd(int fd, bool path_ok)
{
	struct file *f = fd_get(current_proc()->fds, fd);

	if (f && !path_ok && (file_flags(f) & ABI_O_PATH)) {
		file_put(f);
		return NULL;
	}
	return f;
}
