/*
 * kernel/scheme/file.c: open files and the operations on them (see file.h). The
 * file layer owns offsets, access modes and O_APPEND; schemes only see
 * explicit offsets. Lock order: pos_lock, then whatever the scheme takes.
 */
#include "kernel/scheme/file.h"
#include "kernel/scheme/file_flags.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/path.h"
#include "kernel/scheme/namespace.h"
#include "kernel/scheme/poll.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "arch/aarch64/uaccess.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"
#include "syscall/abi/scheme_proto.h"
#include <string.h>

/* Sets up a zeroed file (file_new) for s. */
static struct file *file_init(struct file *f, const struct scheme *s, int flags)
{
	if (!f)
		return NULL;
	f->refcount = 1;
	f->scheme = s;
	f->flags = flags;
	f->lock = (spinlock_t)SPINLOCK_INIT("file");
	mutex_init(&f->pos_lock, "file pos");
	return f;
}

struct file *file_alloc(const struct scheme *s, int flags)
{
	return file_init(file_new(), s, flags);
}

void file_discard(struct file *f)
{
	file_free(f);
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refcount, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	if (f->scheme->ops->close)
		f->scheme->ops->close(f);
	scheme_put(f->scheme);
	if (f->path != f->path_buf)
		kfree(f->path);
	file_free(f);
}

/* Remembers the path a file was opened by: a directory's for later *at()
 * calls, every file's for /proc's fd/ links; -ENOMEM fails the open (a
 * directory without it could never serve them). A path the scheme set
 * stays: a file reached through a /proc link names its target. */
static int remember_path(struct file *f, const char *scheme, const char *rest)
{
	size_t sl = strlen(scheme), rl = strlen(rest);

	if (f->path)
		return 0;
	f->path = sl + 1 + rl + 1 <= sizeof(f->path_buf) ? f->path_buf : kmalloc(sl + 1 + rl + 1);
	if (!f->path)
		return -ENOMEM;
	memcpy(f->path, scheme, sl);
	f->path[sl] = ':';
	memcpy(f->path + sl + 1, rest, rl + 1);
	return 0;
}

/* Frees path, which f's remember_path may have allocated (never its
 * inline buffer). */
static void forget_path(char *path, struct file *f)
{
	if (path != f->path_buf)
		kfree(path);
}

int file_join_at(const struct file *dir, const char *path, char *out)
{
	size_t dl, pl = strlen(path);

	if (path_is_absolute(path)) {
		if (pl >= PATH_MAX_LEN)
			return -ENAMETOOLONG;
		memcpy(out, path, pl + 1);
		return 0;
	}
	if (dir->type != ABI_S_IFDIR)
		return -ENOTDIR;
	if (!dir->path)
		return -ENOMEM;
	dl = strlen(dir->path);
	if (dl + 1 + pl >= PATH_MAX_LEN)
		return -ENAMETOOLONG;
	memcpy(out, dir->path, dl);
	out[dl] = '/';
	memcpy(out + dl + 1, path, pl + 1);
	return 0;
}

#define KERNEL_DEVICE_MODE 0666

/* Flags the file layer keeps; the creation flags only matter at open. */
#define FILE_KEPT_FLAGS (ABI_O_ACCMODE | ABI_O_APPEND | ABI_O_NONBLOCK | ABI_O_PATH)
/* What O_PATH keeps of the flags (open(2): the others are ignored). */
#define FILE_PATH_FLAGS (ABI_O_PATH | ABI_O_DIRECTORY | ABI_O_NOFOLLOW | ABI_O_CLOEXEC)

int file_open(const char *path, const char *cwd, int flags, struct file **out)
{
	return file_open_mode(path, cwd, flags, 0, out);
}

/* One open of path in the scheme it names: 0 and *out, SCHEME_EREDIRECT
 * (the scheme wrote the path to resolve instead into redirect), or -errno. */
/* An O_PATH open of a scheme's root that the scheme cannot open (it
 * serves names below it only: ENOENT, EOPNOTSUPP, EROFS, ENOSYS, EINVAL)
 * still names an entry of /scheme, as lstat of /scheme/NAME needs; the
 * caller's refusals (EACCES, EPERM, ENOMEM) and a dead daemon's (ENODEV,
 * EIO) stand. */
static bool root_entry_allowed(int flags, bool at_root, int err)
{
	if (!(flags & ABI_O_PATH) || !at_root)
		return false;
	return err == -ENOENT || err == -EOPNOTSUPP || err == -EROFS || err == -ENOSYS ||
	       err == -EINVAL;
}

static int open_once(const char *path, const char *cwd, int flags, uint32_t mode,
		     char *redirect, struct file_open_stat *st, struct file **out)
{
	char name[SCHEME_NAME_MAX], own[PATH_MAX_LEN];
	/* The rest resolves straight into redirect, where a daemon's open
	 * sends it (us_open copies it there otherwise), unless path itself
	 * is there (after a redirect). */
	char *rest = path != redirect ? redirect : own, *kept;
	const struct scheme *s;
	struct caller c;
	struct file *f;
	bool at_root;
	int err = path_resolve(path, cwd, name, sizeof(name), rest, PATH_MAX_LEN);

	if (err)
		return err;
	/* Read before the scheme may write redirect. */
	at_root = rest[0] == '\0';
	/* A name outside the caller's namespace does not exist for it. */
	if (!current_ns_allows(name))
		return -ENOENT;
	s = scheme_find(&root_namespace, name);
	if (!s)
		return -ENOENT;
	f = file_init(file_new(), s, flags & FILE_KEPT_FLAGS);
	if (!f) {
		scheme_put(s);
		return -ENOMEM;
	}
	f->create_mode = mode;
	/* Before the scheme may write redirect. A file opened for its status
	 * alone is never a descriptor or an *at() directory: it needs no
	 * path. */
	if (!st && remember_path(f, name, rest)) {
		file_discard(f);
		scheme_put(s);
		return -ENOMEM;
	}
	kept = f->path;
	caller_current(&c);
	c.redirect = redirect;
	c.stat = st;
	/* A scheme without open (pipe:) makes its files otherwise. */
	err = s->ops->open ? s->ops->open(s, rest, flags, f, &c) : -EOPNOTSUPP;
	/* An open that handed the file to another scheme (the listing's
	 * forward, a registration) gave it that scheme's reference. */
	if (err || f->scheme != s)
		scheme_put(s);
	/* A path the open put in its place (a /proc proxy names its target). */
	if (f->path != kept)
		forget_path(kept, f);
	if (err && root_entry_allowed(flags, at_root, err)) {
		/* The scheme's root as an entry of /scheme: stat-able only. */
		f->scheme = &scheme_root_entry;
		f->priv = NULL;
		f->type = ABI_S_IFDIR;
		err = 0;
	}
	if (err) {
		forget_path(f->path, f);
		file_discard(f);
		return err;
	}
	if ((flags & ABI_O_DIRECTORY) && f->type != ABI_S_IFDIR) {
		file_put(f);
		return -ENOTDIR;
	}
	*out = f;
	return 0;
}

/* A path ending in "/" or "/." names a directory (path_resolution(7)):
 * for a file it is ENOTDIR, however the kernel's normal form drops them. */
static bool names_directory(const char *path)
{
	size_t n = strlen(path);

	if (n > 1 && path[n - 1] == '.' && path[n - 2] == '/')
		n--;
	return n > 0 && path[n - 1] == '/';
}

static int open_mode_stat(const char *path, const char *cwd, int flags, uint32_t mode,
			  struct file_open_stat *st, struct file **out)
{
	char *redirect;
	int err;

	/* Checked as O_DIRECTORY after the open; the slash follows a link. */
	if (names_directory(path) && !(flags & ABI_O_CREAT))
		flags = (flags | ABI_O_DIRECTORY) & ~ABI_O_NOFOLLOW;
	if (flags & ABI_O_PATH)
		flags &= FILE_PATH_FLAGS;
	if ((flags & ABI_O_ACCMODE) == ABI_O_ACCMODE)
		return -EINVAL;
	redirect = file_path_buf_get();
	if (!redirect)
		return -ENOMEM;
	/* Each redirect is a symbolic link followed (scheme_proto.h). */
	for (int links = 0;; links++) {
		err = open_once(path, cwd, flags, mode, redirect, st, out);
		if (err != SCHEME_EREDIRECT)
			break;
		if (links == SCHEME_SYMLINK_MAX) {
			err = -ELOOP;
			break;
		}
		/* The scheme's path is whole: it names its scheme or is absolute. */
		path = redirect;
		cwd = "/";
	}
	file_path_buf_put(redirect);
	return err;
}

int file_open_mode(const char *path, const char *cwd, int flags, uint32_t mode,
		   struct file **out)
{
	return open_mode_stat(path, cwd, flags, mode, NULL, out);
}

int file_open_stat(const char *path, const char *cwd, int flags, struct file_open_stat *st,
		   struct file **out)
{
	st->valid = false;
	return open_mode_stat(path, cwd, flags, 0, st, out);
}

int file_flags(struct file *f)
{
	return file_flags_now(f);
}

void file_set_flags(struct file *f, int mask, int value)
{
	uint64_t flags = spin_lock_irqsave(&f->lock);

	__atomic_store_n(&f->flags, (f->flags & ~mask) | (value & mask), __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&f->lock, flags);
}

/* The access mode is set at open and never changes. */
bool file_readable(const struct file *f)
{
	return !(f->flags & ABI_O_PATH) && (f->flags & ABI_O_ACCMODE) != ABI_O_WRONLY;
}

bool file_writable(const struct file *f)
{
	return !(f->flags & ABI_O_PATH) && (f->flags & ABI_O_ACCMODE) != ABI_O_RDONLY;
}

static int64_t file_size(struct file *f, const struct caller *c)
{
	return f->scheme->ops->size ? f->scheme->ops->size(f, c) : -EOPNOTSUPP;
}

/* An O_APPEND write a scheme appends itself (SCHEME_WRITE_APPEND): it
 * stores the end in f->offset under pos_lock. pwrite appends too, as on
 * Linux, but leaves the offset as it was. */
static long append_native(struct file *f, struct uio *u, int64_t off,
			  long (*op)(struct file *, struct uio *, uint64_t, const struct caller *),
			  const struct caller *c)
{
	uint64_t saved;
	long n = mutex_lock(&f->pos_lock);

	if (n)
		return n;
	saved = f->offset;
	n = op(f, u, 0, c);
	if (off >= 0 || n < 0)
		f->offset = saved;
	mutex_unlock(&f->pos_lock);
	return n;
}

/* RLIMIT_FSIZE on a write of u at pos (file.h): regular files
 * only, as on Linux (not pipes, devices or sockets). */
static int fsize_check(const struct file *f, bool write, uint64_t pos, struct uio *u)
{
	return write && f->type == ABI_S_IFREG ? rlimit_fsize_check(pos, &u->len) : 0;
}

/* file_rw for a file whose operation needs the caller: builds it (and the
 * stack frame it lives in) out of line, so the no-caller path in file_rw
 * (pipes) stays a tail call without a frame. */
static __attribute__((noinline)) long
file_rw_caller(struct file *f, struct uio *u, int64_t off,
	       long (*op)(struct file *, struct uio *, uint64_t, const struct caller *), bool write)
{
	bool seekable = f->scheme->ops->seekable, sole;
	struct caller c;
	uint64_t pos;
	long n;

	caller_current(&c);
	if (write && seekable && f->scheme->ops->native_append && (file_flags(f) & ABI_O_APPEND)) {
		/* The daemon picks the offset: FSIZE is checked against the size
		 * just before, so a racing append by another file may pass it. */
		int64_t size = rlimit_fsize_limited() ? file_size(f, &c) : -1;

		n = size >= 0 ? fsize_check(f, write, (uint64_t)size, u) : 0;
		return n ? n : append_native(f, u, off, op, &c);
	}
	if (off >= 0) {
		if (!seekable)
			return -ESPIPE;
		n = fsize_check(f, write, (uint64_t)off, u);
		return n ? n : op(f, u, (uint64_t)off, &c);
	}
	if (!seekable)
		return op(f, u, 0, &c);
	/* Linux's fdget_pos: a file with no other reference than the one this
	 * call reached it by (a single-threaded process's descriptor, taken
	 * without one: fdget) sees no other read, write or seek meanwhile, as
	 * only this thread could take a second; pos_lock is for shared ones. */
	sole = __atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE) == 1;
	if (!sole) {
		n = mutex_lock(&f->pos_lock);
		if (n)
			return n;
	}
	pos = f->offset;
	if (write && (file_flags(f) & ABI_O_APPEND)) {
		int64_t size = file_size(f, &c);

		if (size >= 0)
			pos = (uint64_t)size;
	}
	n = fsize_check(f, write, pos, u);
	if (!n)
		n = op(f, u, pos, &c);
	if (n > 0)
		f->offset = pos + (uint64_t)n;
	if (!sole)
		mutex_unlock(&f->pos_lock);
	return n;
}

/* Runs a read or write at off (>= 0) or at the file offset, advancing it.
 * pos_lock is held from reading the offset (or, for O_APPEND, the size) to
 * storing the new one, across op, which may sleep. */
static inline long file_rw(struct file *f, struct uio *u, int64_t off,
			   long (*op)(struct file *, struct uio *, uint64_t, const struct caller *),
			   bool write)
{
	const struct scheme_ops *ops = f->scheme->ops;

	if (!op)
		return -EOPNOTSUPP;
	if (f->type == ABI_S_IFDIR)
		return -EISDIR;
	/* rw_no_caller first: every other file leaves at its one test. */
	if (ops->rw_no_caller && off < 0 && !ops->seekable)
		return op(f, u, 0, NULL);
	return file_rw_caller(f, u, off, op, write);
}

long file_read(struct file *f, struct uio *u, int64_t off)
{
	if (!file_readable(f))
		return -EBADF;
	return file_rw(f, u, off, f->scheme->ops->read, false);
}

long file_write(struct file *f, struct uio *u, int64_t off)
{
	if (!file_writable(f))
		return -EBADF;
	return file_rw(f, u, off, f->scheme->ops->write, true);
}

/* An O_PATH file only names its file (open(2)): everything else is -EBADF. */
static bool path_only(const struct file *f)
{
	return f->flags & ABI_O_PATH;
}

long file_seek(struct file *f, int64_t off, int whence)
{
	int64_t base = 0, pos;
	struct caller c;
	long err;

	if (path_only(f))
		return -EBADF;
	if (!f->scheme->ops->seekable)
		return -ESPIPE;
	if (whence != ABI_SEEK_SET && whence != ABI_SEEK_CUR && whence != ABI_SEEK_END)
		return -EINVAL;
	err = mutex_lock(&f->pos_lock);
	if (err)
		return err;
	if (whence == ABI_SEEK_CUR)
		base = (int64_t)f->offset;
	else if (whence == ABI_SEEK_END) {
		caller_current(&c);
		base = file_size(f, &c);
	}
	if (base < 0)
		pos = base;
	else if (__builtin_add_overflow(base, off, &pos) || pos < 0)
		pos = -EINVAL;
	else
		f->offset = (uint64_t)pos;
	mutex_unlock(&f->pos_lock);
	return pos;
}

int file_stat(struct file *f, struct abi_stat *st)
{
	struct caller c;

	memset(st, 0, sizeof(*st));
	if (!f->scheme->ops->stat) {
		/* A kernel device (null:, zero:, debug:) is open to all, as
		 * Linux's /dev/null is (0666): faccessat reads these bits. */
		st->st_mode = f->type | (f->type == ABI_S_IFCHR ? KERNEL_DEVICE_MODE : 0);
		st->st_nlink = 1;
		return 0;
	}
	caller_current(&c);
	return f->scheme->ops->stat(f, st, &c);
}

/* The directory's offset is the scheme's cursor, kept only on success. */
long file_getdents(struct file *f, struct uio *u)
{
	struct caller c;
	uint64_t cursor;
	long n;

	if (path_only(f))
		return -EBADF;
	if (!f->scheme->ops->getdents)
		return f->type == ABI_S_IFDIR ? -EOPNOTSUPP : -ENOTDIR;
	n = mutex_lock(&f->pos_lock);
	if (n)
		return n;
	cursor = f->offset;
	caller_current(&c);
	n = f->scheme->ops->getdents(f, u, &cursor, &c);
	if (n >= 0)
		f->offset = cursor;
	mutex_unlock(&f->pos_lock);
	return n;
}

/* Linux's ioctl encoding (asm-generic/ioctl.h): the size is bits 16..29. */
#define IOC_SIZE_SHIFT 16
#define IOC_SIZE_MASK 0x3fffUL
#define IOC_LEGACY_MAX 0xffffUL /* numbers below this carry no size */
/* The kernel's struct termios (asm-generic/termbits.h): 4 flag words, c_line
 * and 19 c_cc bytes. libc's is 60 bytes; the kernel moves only these 36. */
#define TERMIOS_SIZE 36
#define WINSIZE_SIZE 8  /* struct winsize: four unsigned shorts */
#define PID_ARG_SIZE 4  /* pid_t, int */

/* The terminal ioctls older than the encoding that take a pointer, with
 * their argument sizes (the others take a value, or nothing). */
static const struct { unsigned long cmd; size_t size; } legacy_ioctls[] = {
	{ ABI_TCGETS, TERMIOS_SIZE }, { ABI_TCSETS, TERMIOS_SIZE }, { ABI_TCSETSW, TERMIOS_SIZE },
	{ ABI_TCSETSF, TERMIOS_SIZE }, { ABI_TIOCGWINSZ, WINSIZE_SIZE },
	{ ABI_TIOCSWINSZ, WINSIZE_SIZE }, { ABI_TIOCGPGRP, PID_ARG_SIZE },
	{ ABI_TIOCSPGRP, PID_ARG_SIZE }, { ABI_TIOCOUTQ, PID_ARG_SIZE },
	{ ABI_FIONREAD, PID_ARG_SIZE }, { ABI_TIOCGSID, PID_ARG_SIZE },
};

size_t file_ioctl_size(unsigned long cmd)
{
	if (cmd > IOC_LEGACY_MAX)
		return (cmd >> IOC_SIZE_SHIFT) & IOC_SIZE_MASK;
	for (size_t i = 0; i < ARRAY_SIZE(legacy_ioctls); i++)
		if (legacy_ioctls[i].cmd == cmd)
			return legacy_ioctls[i].size;
	return 0;
}

int file_ioctl(struct file *f, unsigned long cmd, uint64_t arg)
{
	struct caller c;
	struct uio u;

	if (path_only(f))
		return -EBADF;
	if (!f->scheme->ops->ioctl)
		return -ENOTTY;
	/* A bad pointer is the scheme's to find (uio copies): one that knows
	 * no such cmd answers -ENOTTY whatever arg is, as Linux does. */
	if (f->scheme->ops->ioctl_no_caller) {
		u = (struct uio){ .as = caller_space(), .addr = arg, .len = file_ioctl_size(cmd) };
		return f->scheme->ops->ioctl(f, cmd, &u, NULL);
	}
	caller_current(&c);
	u = uio_user(&c, arg, file_ioctl_size(cmd));
	return f->scheme->ops->ioctl(f, cmd, &u, &c);
}

int file_fmap(struct file *f, uint64_t off, uint64_t len, unsigned prot, struct fmap_desc *out)
{
	if (path_only(f))
		return -EBADF;
	if (!f->scheme->ops->fmap)
		return -EOPNOTSUPP;
	return f->scheme->ops->fmap(f, off, len, prot, out);
}

unsigned file_poll(struct file *f, struct poll_table *pt)
{
	if (!f->scheme->ops->poll)
		return POLLIN | POLLOUT;
	return f->scheme->ops->poll(f, pt);
}

/* Regular files and directories are always ready and epoll refuses them
 * (EPERM), as on Linux, whoever serves them (initfsd's have a poll op for
 * its death). */
bool file_can_poll(const struct file *f)
{
	return f->scheme->ops->poll != NULL && f->type != ABI_S_IFREG && f->type != ABI_S_IFDIR;
}
