/*
 * syscall/sys_fsattr.c: the system calls on files' attributes and data
 * durability: fchmod(at), fchown(at), utimensat, (f)truncate, fsync,
 * fdatasync, sync, syncfs, (f)statfs, faccessat(2), fchdir. A path names
 * its file by an O_PATH open (fs_args.h), so attributes change without
 * read or write permission on the file, as on Linux; the scheme checks
 * ownership.
 */
#include "syscall/handlers.h"
#include "syscall/fs_args.h"
#include "kernel/proc.h"
#include "kernel/cwd.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/path.h"
#include "kernel/scheme/scheme.h"
#include "mm/heap.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"
#include <string.h>

#define FCHOWNAT_FLAGS (ABI_AT_SYMLINK_NOFOLLOW | ABI_AT_EMPTY_PATH)
#define UTIMENSAT_FLAGS (ABI_AT_SYMLINK_NOFOLLOW | ABI_AT_EMPTY_PATH)
#define FACCESSAT_FLAGS (ABI_AT_EACCESS | ABI_AT_SYMLINK_NOFOLLOW | ABI_AT_EMPTY_PATH)
#define ACCESS_MODES (ABI_R_OK | ABI_W_OK | ABI_X_OK)
/* Where the owner's and the group's rwx bits sit in st_mode. */
#define MODE_OWNER_SHIFT 6
#define MODE_GROUP_SHIFT 3

SYSCALL(fchmod)
{
	struct file *f = fs_fd((int)ARG(0), false);
	long err;

	if (!f)
		return -EBADF;
	err = file_chmod(f, (uint32_t)ARG(1));
	file_put(f);
	return err;
}

/* Linux's fchmodat has no flags argument (glibc does AT_SYMLINK_NOFOLLOW
 * itself): the path is followed. */
SYSCALL(fchmodat)
{
	struct file *f;
	long err = fs_file_at((int)ARG(0), ARG(1), 0, ABI_O_PATH, &f);

	if (err)
		return err;
	err = file_chmod(f, (uint32_t)ARG(2));
	file_put(f);
	return err;
}

SYSCALL(fchown)
{
	struct file *f = fs_fd((int)ARG(0), false);
	long err;

	if (!f)
		return -EBADF;
	err = file_chown(f, (uint32_t)ARG(1), (uint32_t)ARG(2));
	file_put(f);
	return err;
}

SYSCALL(fchownat)
{
	int flags = (int)ARG(4);
	struct file *f;
	long err;

	if (flags & ~FCHOWNAT_FLAGS)
		return -EINVAL;
	err = fs_file_at((int)ARG(0), ARG(1), flags, ABI_O_PATH, &f);
	if (err)
		return err;
	err = file_chown(f, (uint32_t)ARG(2), (uint32_t)ARG(3));
	file_put(f);
	return err;
}

static bool utime_valid(const struct abi_timespec *ts)
{
	return ts->tv_nsec == ABI_UTIME_NOW || ts->tv_nsec == ABI_UTIME_OMIT ||
	       (ts->tv_nsec >= 0 && ts->tv_nsec < ABI_NSEC_PER_SEC);
}

/* A NULL path (Linux's extension) names dirfd itself, opened for real;
 * NULL times mean now for both. */
SYSCALL(utimensat)
{
	struct abi_timespec ts[2] = { { .tv_nsec = ABI_UTIME_NOW }, { .tv_nsec = ABI_UTIME_NOW } };
	int dirfd = (int)ARG(0), flags = (int)ARG(3);
	struct file *f;
	long err;

	if (ARG(2) && copy_from_user(ts, ARG(2), sizeof(ts)))
		return -EFAULT;
	/* Nothing to do: Linux does not even look at the path or flags. */
	if (ts[0].tv_nsec == ABI_UTIME_OMIT && ts[1].tv_nsec == ABI_UTIME_OMIT)
		return 0;
	if (!utime_valid(&ts[0]) || !utime_valid(&ts[1]) || (flags & ~UTIMENSAT_FLAGS))
		return -EINVAL;
	if (ARG(1) == 0 && dirfd != ABI_AT_FDCWD) {
		if (flags)
			return -EINVAL;
		f = fs_fd(dirfd, false);
		err = f ? 0 : -EBADF;
	} else {
		err = fs_file_at(dirfd, ARG(1), flags, ABI_O_PATH, &f);
	}
	if (err)
		return err;
	err = file_utimens(f, ts);
	file_put(f);
	return err;
}

/* truncate needs write permission: the path is opened for writing
 * (a directory is -EISDIR). */
SYSCALL(truncate)
{
	int64_t len = (int64_t)ARG(1);
	struct file *f;
	long err;

	if (len < 0)
		return -EINVAL;
	err = fs_file_at(ABI_AT_FDCWD, ARG(0), 0, ABI_O_WRONLY, &f);
	if (err)
		return err;
	err = file_truncate(f, (uint64_t)len);
	file_put(f);
	return err;
}

/* Linux: -EINVAL for a descriptor not open for writing or not a file. */
SYSCALL(ftruncate)
{
	int64_t len = (int64_t)ARG(1);
	struct file *f = fs_fd((int)ARG(0), false);
	long err;

	if (!f)
		return -EBADF;
	if (len < 0 || !file_writable(f) || f->type != ABI_S_IFREG)
		err = -EINVAL;
	else
		err = file_truncate(f, (uint64_t)len);
	file_put(f);
	return err;
}

SYSCALL(fsync)
{
	struct file *f = fs_fd((int)ARG(0), false);
	long err;

	if (!f)
		return -EBADF;
	err = file_fsync(f);
	file_put(f);
	return err;
}

/* No file system keeps data apart from its metadata: fsync's whole work. */
SYSCALL(fdatasync)
{
	return sys_fsync(tf);
}

/* Every scheme today keeps its files in RAM: nothing waits to be written.
 * A disk's daemon would be asked here. */
SYSCALL(sync)
{
	(void)tf;
	return 0;
}

SYSCALL(syncfs)
{
	struct file *f = fs_fd((int)ARG(0), false);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

static long statfs_out(struct file *f, uint64_t ubuf)
{
	struct abi_statfs st;
	long err = file_statfs(f, &st);

	file_put(f);
	if (!err && copy_to_user(ubuf, &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

SYSCALL(statfs)
{
	struct file *f;
	long err;

	if (!user_range_ok(ARG(1), sizeof(struct abi_statfs)))
		return -EFAULT;
	err = fs_file_at(ABI_AT_FDCWD, ARG(0), 0, ABI_O_PATH, &f);
	return err ? err : statfs_out(f, ARG(1));
}

SYSCALL(fstatfs)
{
	struct file *f;

	if (!user_range_ok(ARG(1), sizeof(struct abi_statfs)))
		return -EFAULT;
	f = fs_fd((int)ARG(0), true);
	return f ? statfs_out(f, ARG(1)) : -EBADF;
}

/* The access the mode bits of st give uid and the groups of c (its fsgid
 * standing for the group id asked about): root may read and write
 * anything and execute what has an x bit (or search a directory). */
static long access_allowed(const struct abi_stat *st, int mode, uint32_t uid, const struct cred *c)
{
	uint32_t bits;

	if (uid == CRED_ROOT_ID) {
		if ((mode & ABI_X_OK) && (st->st_mode & ABI_S_IFMT) != ABI_S_IFDIR &&
		    !(st->st_mode & ABI_S_IXUGO))
			return -EACCES;
		return 0;
	}
	if (uid == st->st_uid)
		bits = st->st_mode >> MODE_OWNER_SHIFT;
	else if (cred_in_group(c, st->st_gid))
		bits = st->st_mode >> MODE_GROUP_SHIFT;
	else
		bits = st->st_mode;
	return ((bits & ACCESS_MODES) & (uint32_t)mode) == (uint32_t)mode ? 0 : -EACCES;
}

/*
 * Checked here against the file's mode (fstat), not by the scheme: with
 * the real ids, as Linux, or the effective ones with AT_EACCESS; the
 * supplementary groups either way (kernel/cred.h).
 */
static long access_at(int dirfd, uint64_t upath, int mode, int flags)
{
	struct cred c = caller_cred();
	bool effective = flags & ABI_AT_EACCESS;
	struct abi_stat st;
	long err;

	if ((mode & ~ACCESS_MODES) || (flags & ~FACCESSAT_FLAGS))
		return -EINVAL;
	err = fs_stat_at(dirfd, upath, flags, &st);
	if (err || mode == ABI_F_OK)
		return err;
	c.fsgid = effective ? c.egid : c.gid;
	return access_allowed(&st, mode, effective ? c.euid : c.uid, &c);
}

SYSCALL(faccessat)
{
	return access_at((int)ARG(0), ARG(1), (int)ARG(2), 0);
}

SYSCALL(faccessat2)
{
	return access_at((int)ARG(0), ARG(1), (int)ARG(2), (int)ARG(3));
}

/* The working directory is a path in the file scheme (as chdir's). */
SYSCALL(fchdir)
{
	char scheme[SCHEME_NAME_MAX], *rest;
	struct proc *p = current_proc();
	struct file *f = fs_fd((int)ARG(0), true);
	long err = 0;

	if (!f)
		return -EBADF;
	rest = kmalloc(PATH_MAX_LEN);
	if (!rest)
		err = -ENOMEM;
	else if (f->type != ABI_S_IFDIR || !f->path)
		err = -ENOTDIR;
	if (!err)
		err = path_resolve(f->path, "/", scheme, sizeof(scheme), rest, PATH_MAX_LEN);
	if (!err && strcmp(scheme, PATH_FILE_SCHEME) != 0)
		err = -ENOTDIR;
	if (!err)
		err = cwd_set(p, rest);
	kfree(rest);
	file_put(f);
	return err;
}
