/*
 * kernel/scheme/file_attr.c: operations on an open file's attributes and
 * links (see file.h): readlink, truncate, chmod, chown, utimens, fsync,
 * statfs. Each asks the file's scheme; a scheme without the op answers
 * as Linux does for a file that cannot.
 */
#include "kernel/scheme/file.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"
#include <string.h>

/* What a kernel scheme's file system says of itself in statfs: no blocks
 * to count, Linux's names up to NAME_MAX. The magic is Linux's
 * ANON_INODE_FS_MAGIC (the kernel's own files, as pipes and eventfds). */
#define KERNEL_FS_MAGIC 0x09041934
#define KERNEL_FS_BSIZE 4096
#define KERNEL_FS_NAMELEN 255

long file_readlink(struct file *f, struct uio *u)
{
	struct caller c;

	if (!f->scheme->ops->readlink)
		return -EINVAL;
	caller_current(&c);
	return f->scheme->ops->readlink(f, u, &c);
}

int file_truncate(struct file *f, uint64_t len)
{
	struct caller c;

	if (f->type == ABI_S_IFDIR)
		return -EISDIR;
	if (!f->scheme->ops->truncate)
		return -EINVAL;
	if (f->type == ABI_S_IFREG && rlimit_fsize_truncate(len))
		return -EFBIG;
	caller_current(&c);
	return f->scheme->ops->truncate(f, len, &c);
}

int file_chmod(struct file *f, uint32_t mode)
{
	struct caller c;

	if (!f->scheme->ops->chmod)
		return -EPERM;
	caller_current(&c);
	return f->scheme->ops->chmod(f, mode & ABI_S_IALLUGO, &c);
}

int file_chown(struct file *f, uint32_t uid, uint32_t gid)
{
	struct caller c;

	if (!f->scheme->ops->chown)
		return -EPERM;
	caller_current(&c);
	return f->scheme->ops->chown(f, uid, gid, &c);
}

int file_utimens(struct file *f, const struct abi_timespec *ts)
{
	struct caller c;

	if (!f->scheme->ops->utimens)
		return -EPERM;
	caller_current(&c);
	return f->scheme->ops->utimens(f, ts, &c);
}

int file_fsync(struct file *f)
{
	struct caller c;

	if (!f->scheme->ops->fsync)
		return -EINVAL;
	caller_current(&c);
	return f->scheme->ops->fsync(f, &c);
}

int file_statfs(struct file *f, struct abi_statfs *st)
{
	struct caller c;

	memset(st, 0, sizeof(*st));
	if (!f->scheme->ops->statfs) {
		st->f_type = KERNEL_FS_MAGIC;
		st->f_bsize = KERNEL_FS_BSIZE;
		st->f_frsize = KERNEL_FS_BSIZE;
		st->f_namelen = KERNEL_FS_NAMELEN;
		return 0;
	}
	caller_current(&c);
	return f->scheme->ops->statfs(f, st, &c);
}
