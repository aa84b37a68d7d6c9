/*
 * syscall/fs_args.c: the path arguments of the file-system calls (see
 * fs_args.h).
 */
#include "syscall/fs_args.h"
#include "kernel/proc.h"
#include "kernel/cwd.h"
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

/* Only a relative path reads the working directory: an absolute one
 * takes no reference (nor the process's cwd_lock). */
struct cwd *fs_cwd_for(const char *path)
{
	return path_is_absolute(path) ? NULL : cwd_get(current_proc());
}

const char *fs_cwd_path(const struct cwd *c)
{
	return c ? c->path : "/";
}

/* fs_file_at, with the status into st->st when the scheme gives it with
 * the open (st NULL: nobody asks). */
static long file_at(int dirfd, uint64_t upath, int atflags, int oflags,
		    struct file_open_stat *st, struct file **out)
{
	char *path = file_path_buf_get();
	struct proc *p = current_proc();
	struct cwd *cwd = NULL;
	long err, n;

	if (!path)
		return -ENOMEM;
	n = strncpy_from_user(path, upath, PATH_MAX_LEN);
	err = n < 0 ? n : 0;
	if (!err && n == 0) {
		if (!(atflags & ABI_AT_EMPTY_PATH))
			err = -ENOENT;
		else if (dirfd == ABI_AT_FDCWD) {
			cwd = cwd_get(p);
			err = file_open(cwd->path, "/", oflags, out);
		} else if (!(*out = fd_get(p->fds, dirfd)))
			err = -EBADF;
	} else if (!err) {
		if (atflags & ABI_AT_SYMLINK_NOFOLLOW)
			oflags |= ABI_O_NOFOLLOW;
		err = fs_resolve_at(dirfd, path);
		if (!err) {
			cwd = fs_cwd_for(path);
			err = st ? file_open_stat(path, fs_cwd_path(cwd), oflags, st, out) :
				   file_open(path, fs_cwd_path(cwd), oflags, out);
		}
	}
	cwd_put(cwd);
	file_path_buf_put(path);
	return err;
}

long fs_file_at(int dirfd, uint64_t upath, int atflags, int oflags, struct file **out)
{
	return file_at(dirfd, upath, atflags, oflags, NULL, out);
}

long fs_stat_at(int dirfd, uint64_t upath, int atflags, struct abi_stat *st)
{
	struct file_open_stat os = { .st = st };
	struct file *f;
	long err = file_at(dirfd, upath, atflags, ABI_O_PATH, &os, &f);

	if (err)
		return err;
	if (!os.valid)
		err = file_stat(f, st);
	file_put(f);
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
