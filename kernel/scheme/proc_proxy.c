/*
 * kernel/scheme/proc_proxy.c: a file reached through a /proc link (fd/N,
 * exe, cwd, and /dev/stdin, /dev/fd/N that lead there; tty:): a file of
 * its own, with its own offset and flags, that forwards every operation to
 * the file the link names. A descriptor's file opened by a path is opened
 * again by that path, as Linux reopens /proc/PID/fd/N: a new open file
 * (its offset starts at 0, its scheme checks the new access), where BSD's
 * fdescfs gives a new reference to the same open file (shared offset). A
 * file with no path (a pipe's end) is reached as the very same object, its
 * access bounded by the one it was opened with: unlike Linux, a pipe's
 * read end cannot be reopened for writing. The scheme is not registered:
 * no path names it; files become its own at open.
 */
#include "kernel/scheme/procfs.h"
#include "kernel/scheme/poll.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "mm/heap.h"
#include <string.h>

/* Opens out of /proc one inside the other: each costs a path's worth of
 * kernel stack (file_open), so few, as Linux's MAX_NESTED_LINKS. */
#define PROC_LINK_NEST_MAX 4

static struct file *target(const struct file *f)
{
	return f->priv;
}

static const struct scheme_ops *tops(const struct file *f)
{
	return target(f)->scheme->ops;
}

static long proxy_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	return tops(f)->read ? tops(f)->read(target(f), u, off, c) : -EINVAL;
}

static long proxy_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	return tops(f)->write ? tops(f)->write(target(f), u, off, c) : -EINVAL;
}

static int proxy_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	return tops(f)->stat ? tops(f)->stat(target(f), st, c) : -EOPNOTSUPP;
}

static long proxy_getdents(struct file *f, struct uio *u, uint64_t *cursor, const struct caller *c)
{
	return tops(f)->getdents ? tops(f)->getdents(target(f), u, cursor, c) : -ENOTDIR;
}

static int proxy_ioctl(struct file *f, unsigned long cmd, struct uio *arg, const struct caller *c)
{
	return tops(f)->ioctl ? tops(f)->ioctl(target(f), cmd, arg, c) : -ENOTTY;
}

static int proxy_fmap(struct file *f, uint64_t off, uint64_t len, unsigned prot,
		      struct fmap_desc *out)
{
	return tops(f)->fmap ? tops(f)->fmap(target(f), off, len, prot, out) : -EOPNOTSUPP;
}

static int64_t proxy_size(struct file *f, const struct caller *c)
{
	return tops(f)->size ? tops(f)->size(target(f), c) : -ESPIPE;
}

static unsigned proxy_poll(struct file *f, struct poll_table *pt)
{
	return tops(f)->poll ? tops(f)->poll(target(f), pt) : (POLLIN | POLLOUT);
}

static long proxy_readlink(struct file *f, struct uio *u, const struct caller *c)
{
	return tops(f)->readlink ? tops(f)->readlink(target(f), u, c) : -EINVAL;
}

static void proxy_close(struct file *f)
{
	file_put(target(f));
}

static const struct scheme_ops proxy_ops = {
	.read = proxy_read, .write = proxy_write, .stat = proxy_stat, .getdents = proxy_getdents,
	.ioctl = proxy_ioctl, .fmap = proxy_fmap, .size = proxy_size, .poll = proxy_poll,
	.readlink = proxy_readlink, .close = proxy_close, .seekable = true,
};
static const struct scheme proxy_scheme = { .name = "proc", .ops = &proxy_ops };

int procfs_open_nested(const char *path, int flags, struct file **out)
{
	struct thread *self = current_thread();
	int err;

	/* A link may lead back into /proc (a cwd or exe named through it):
	 * each level is an open of its own, on the kernel stack, so the depth
	 * is counted here. */
	if (self->proc_link_depth >= PROC_LINK_NEST_MAX)
		return -ELOOP;
	self->proc_link_depth++;
	err = file_open(path, "/", flags, out);
	self->proc_link_depth--;
	return err;
}

int procfs_reopen(struct file *f, struct file *t, int flags)
{
	struct file *again;
	int err;

	if (!t->path)
		return procfs_proxy_open(f, t, flags);
	/* It exists: creating it is not asked of its scheme again. */
	err = procfs_open_nested(t->path, flags & ~(ABI_O_CREAT | ABI_O_EXCL), &again);
	file_put(t);
	return err ? err : procfs_proxy_open(f, again, flags);
}

int procfs_proxy_open(struct file *f, struct file *t, int flags)
{
	int acc = flags & ABI_O_ACCMODE;

	/* The access t was opened with bounds the new file's (Linux checks
	 * the object's permissions on reopen; a pipe's end has only its own).
	 * An O_PATH file asks for none. */
	if (!(flags & ABI_O_PATH) && ((acc != ABI_O_WRONLY && !file_readable(t)) ||
				      (acc != ABI_O_RDONLY && !file_writable(t)))) {
		file_put(t);
		return -EACCES;
	}
	/* It names its target (fd/ links, exe): kept by the file layer. */
	if (t->path) {
		size_t n = strlen(t->path) + 1;

		f->path = kmalloc(n);
		if (!f->path) {
			file_put(t);
			return -ENOMEM;
		}
		memcpy(f->path, t->path, n);
	}
	f->scheme = &proxy_scheme;
	f->priv = t;
	f->type = t->type;
	return 0;
}
