/*
 * kernel/scheme/file_rw.h: the start of a read or write in line (the read
 * and write system calls, syscall/sys_file.c): the access-mode tests, and
 * the straight path of a scheme whose transfers need neither a caller nor
 * an offset (pipes: scheme_ops.rw_no_caller), which then costs no call
 * into the file layer. Everything else goes through file_read/file_write
 * (kernel/scheme/file.c), which make the same tests first.
 */
#ifndef KERNEL_SCHEME_FILE_RW_H
#define KERNEL_SCHEME_FILE_RW_H

#include "kernel/scheme/file.h"
#include "kernel/scheme/scheme.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"

/* The access mode is set at open and never changes, so flags' access bits
 * need no atomic read; an O_PATH file is neither readable nor writable. */
static inline bool file_may_read(const struct file *f)
{
	return !(f->flags & ABI_O_PATH) && (f->flags & ABI_O_ACCMODE) != ABI_O_WRONLY;
}

static inline bool file_may_write(const struct file *f)
{
	return !(f->flags & ABI_O_PATH) && (f->flags & ABI_O_ACCMODE) != ABI_O_RDONLY;
}

/* file_flags in line: O_APPEND and O_NONBLOCK may change meanwhile
 * (fcntl), hence the atomic read. */
static inline int file_flags_now(const struct file *f)
{
	return __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
}

typedef long (*file_rw_op)(struct file *, struct uio *, uint64_t, const struct caller *);

/* The operation a read or write of f at off (-1: at the file offset) runs
 * straight, with no caller and offset 0, or NULL where file_read or
 * file_write has more to do (or an error to give). */
static inline file_rw_op file_rw_direct(const struct file *f, int64_t off, bool write)
{
	const struct scheme_ops *ops = f->scheme->ops;

	if (off >= 0 || !ops->rw_no_caller || ops->seekable || f->type == ABI_S_IFDIR ||
	    !(write ? file_may_write(f) : file_may_read(f)))
		return NULL;
	return write ? ops->write : ops->read;
}

/* file_read or file_write, with file_rw_direct's path in line. */
static inline __attribute__((always_inline))
long file_rw_inline(struct file *f, struct uio *u, int64_t off, bool write)
{
	file_rw_op op = file_rw_direct(f, off, write);

	if (op)
		return op(f, u, 0, NULL);
	return write ? file_write(f, u, off) : file_read(f, u, off);
}

#endif
