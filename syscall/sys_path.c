/*
 * syscall/sys_path.c: the system calls that change names: unlinkat,
 * mkdirat, mknodat, symlinkat, readlinkat, linkat, renameat, renameat2, and
 * the umask that shapes new files' modes. Arguments are copied and checked
 * first (fs_args.h); then kernel/scheme/file_path.c asks the scheme.
 */
#include "syscall/handlers.h"
#include "syscall/fs_args.h"
#include "kernel/proc.h"
#include "kernel/cwd.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "arch/aarch64/uaccess.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"
#include <string.h>

#define RENAME_FLAGS (ABI_RENAME_NOREPLACE | ABI_RENAME_EXCHANGE | ABI_RENAME_WHITEOUT)
#define LINKAT_FLAGS (ABI_AT_SYMLINK_FOLLOW | ABI_AT_EMPTY_PATH)
/* mkdir keeps the permission and sticky bits (Linux's S_IRWXUGO|S_ISVTX). */
#define MKDIR_MODE_BITS (ABI_S_IRWXUGO | ABI_S_ISVTX)

static uint32_t umasked(uint32_t mode, uint32_t bits)
{
	return mode & bits & ~__atomic_load_n(&current_proc()->umask, __ATOMIC_RELAXED);
}

SYSCALL(unlinkat)
{
	int flags = (int)ARG(2);
	char *path;
	long err;

	if (flags & ~ABI_AT_REMOVEDIR)
		return -EINVAL;
	path = kmalloc(PATH_MAX_LEN);
	if (!path)
		return -ENOMEM;
	err = fs_path_at((int)ARG(0), ARG(1), path);
	if (!err) {
		struct cwd *cwd = cwd_get(current_proc());

		err = file_unlink(path, cwd->path, flags & ABI_AT_REMOVEDIR);
		cwd_put(cwd);
	}
	kfree(path);
	return err;
}

SYSCALL(mkdirat)
{
	char *path = kmalloc(PATH_MAX_LEN);
	long err;

	if (!path)
		return -ENOMEM;
	err = fs_path_at((int)ARG(0), ARG(1), path);
	if (!err) {
		struct cwd *cwd = cwd_get(current_proc());

		err = file_mkdir(path, cwd->path, umasked((uint32_t)ARG(2), MKDIR_MODE_BITS));
		cwd_put(cwd);
	}
	kfree(path);
	return err;
}

/* Regular files only (an O_CREAT|O_EXCL open): devices, FIFOs and sockets
 * are -EPERM, as for an unprivileged Linux process (no scheme serves
 * FIFOs by name yet). */
SYSCALL(mknodat)
{
	uint32_t mode = (uint32_t)ARG(2), type = mode & ABI_S_IFMT;
	char *path;
	struct file *f;
	long err;

	if (type != 0 && type != ABI_S_IFREG && type != ABI_S_IFCHR && type != ABI_S_IFBLK &&
	    type != ABI_S_IFIFO && type != ABI_S_IFSOCK)
		return -EINVAL;
	path = kmalloc(PATH_MAX_LEN);
	if (!path)
		return -ENOMEM;
	err = fs_path_at((int)ARG(0), ARG(1), path);
	if (!err && type != 0 && type != ABI_S_IFREG)
		err = -EPERM;
	if (!err) {
		struct cwd *cwd = cwd_get(current_proc());

		err = file_open_mode(path, cwd->path, ABI_O_WRONLY | ABI_O_CREAT | ABI_O_EXCL,
				     umasked(mode, ABI_S_IALLUGO), &f);
		cwd_put(cwd);
	}
	if (!err)
		file_put(f);
	kfree(path);
	return err;
}

SYSCALL(symlinkat)
{
	char *target = kmalloc(PATH_MAX_LEN), *path = kmalloc(PATH_MAX_LEN);
	long err = (target && path) ? 0 : -ENOMEM;

	if (!err)
		err = fs_get_path(ARG(0), target);
	if (!err)
		err = fs_path_at((int)ARG(1), ARG(2), path);
	if (!err) {
		struct cwd *cwd = cwd_get(current_proc());

		err = file_symlink(target, path, cwd->path);
		cwd_put(cwd);
	}
	kfree(target);
	kfree(path);
	return err;
}

/* An empty path reads the link dirfd itself names (opened
 * O_PATH|O_NOFOLLOW): ENOENT if it is no link (its scheme says -EINVAL),
 * as on Linux. */
SYSCALL(readlinkat)
{
	int64_t size = (int64_t)ARG(3);
	struct caller c;
	struct uio u;
	struct file *f;
	char first;
	long n;

	if (size <= 0)
		return -EINVAL;
	if (!user_range_ok(ARG(2), (uint64_t)size))
		return -EFAULT;
	if (copy_from_user(&first, ARG(1), sizeof(first)))
		return -EFAULT;
	n = fs_file_at((int)ARG(0), ARG(1), ABI_AT_EMPTY_PATH | ABI_AT_SYMLINK_NOFOLLOW,
		       ABI_O_PATH, &f);
	if (n)
		return n;
	caller_current(&c);
	u = uio_user(&c, ARG(2), (size_t)size);
	n = file_readlink(f, &u);
	if (n == -EINVAL && first == '\0')
		n = -ENOENT;
	file_put(f);
	return n;
}

/* The path of the file dirfd names, for linkat(AT_EMPTY_PATH): what it
 * was opened by (O_PATH descriptors remember it); a directory is -EPERM. */
static long path_of_fd(int fd, char *path)
{
	struct file *f = fs_fd(fd, true);
	long err = 0;

	if (!f)
		return -EBADF;
	if (f->type == ABI_S_IFDIR)
		err = -EPERM;
	else if (!f->path || strlen(f->path) >= PATH_MAX_LEN)
		err = -ENOENT;
	else
		memcpy(path, f->path, strlen(f->path) + 1);
	file_put(f);
	return err;
}

SYSCALL(linkat)
{
	int flags = (int)ARG(4);
	char *old, *new;
	char first;
	long err;

	if (flags & ~LINKAT_FLAGS)
		return -EINVAL;
	if (copy_from_user(&first, ARG(1), sizeof(first)))
		return -EFAULT;
	old = kmalloc(PATH_MAX_LEN);
	new = kmalloc(PATH_MAX_LEN);
	err = (old && new) ? 0 : -ENOMEM;
	if (!err && first == '\0' && (flags & ABI_AT_EMPTY_PATH))
		err = path_of_fd((int)ARG(0), old);
	else if (!err)
		err = fs_path_at((int)ARG(0), ARG(1), old);
	if (!err)
		err = fs_path_at((int)ARG(2), ARG(3), new);
	if (!err) {
		struct cwd *cwd = cwd_get(current_proc());

		err = file_link(old, new, cwd->path, flags & ABI_AT_SYMLINK_FOLLOW);
		cwd_put(cwd);
	}
	kfree(old);
	kfree(new);
	return err;
}

static long rename_at(int olddir, uint64_t uold, int newdir, uint64_t unew, unsigned flags)
{
	char *old, *new;
	long err;

	/* Whiteouts are an overlay file system's: none here. */
	if ((flags & ~RENAME_FLAGS) || (flags & ABI_RENAME_WHITEOUT) ||
	    ((flags & ABI_RENAME_NOREPLACE) && (flags & ABI_RENAME_EXCHANGE)))
		return -EINVAL;
	old = kmalloc(PATH_MAX_LEN);
	new = kmalloc(PATH_MAX_LEN);
	err = (old && new) ? 0 : -ENOMEM;
	if (!err)
		err = fs_path_at(olddir, uold, old);
	if (!err)
		err = fs_path_at(newdir, unew, new);
	if (!err) {
		struct cwd *cwd = cwd_get(current_proc());

		err = file_rename(old, new, cwd->path, flags);
		cwd_put(cwd);
	}
	kfree(old);
	kfree(new);
	return err;
}

SYSCALL(renameat)
{
	return rename_at((int)ARG(0), ARG(1), (int)ARG(2), ARG(3), 0);
}

SYSCALL(renameat2)
{
	return rename_at((int)ARG(0), ARG(1), (int)ARG(2), ARG(3), (unsigned)ARG(4));
}

/* Threads share it: swapped atomically. */
SYSCALL(umask)
{
	return __atomic_exchange_n(&current_proc()->umask, (uint32_t)ARG(0) & ABI_S_IRWXUGO,
				   __ATOMIC_RELAXED);
}
