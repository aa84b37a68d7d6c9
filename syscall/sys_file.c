/*
 * syscall/sys_file.c: system calls on files and descriptors. Paths reach
 * their scheme through kernel/scheme/file.c; data moves through uios naming user
 * memory, so a bad pointer gives -EFAULT wherever it is met.
 */
#include "syscall/handlers.h"
#include "syscall/fs_args.h"
#include "syscall/abi/abi_fs.h"
#include "kernel/proc.h"
#include "kernel/cwd.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/pipe.h"
#include "kernel/scheme/path.h"
#include "kernel/scheme/scheme.h"
#include "kernel/lib/errno.h"
#include "kernel/signal.h"
#include "mm/heap.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

#define IOV_MAX 1024
/* Vectors up to this long are copied to the stack, as Linux's UIO_FASTIOV:
 * stdio's writev then cannot fail for want of kernel memory. */
#define IOV_FAST 8
#define RW_MAX ((size_t)INT64_MAX) /* largest byte count one call may move */
#define SETFL_CHANGEABLE (ABI_O_APPEND | ABI_O_NONBLOCK)

static struct fdtable *fds(void)
{
	return current_proc()->fds;
}

/* O_CREAT's mode loses the umask's bits (open(2)). */
SYSCALL(openat)
{
	int dirfd = (int)ARG(0), flags = (int)ARG(2);
	uint32_t mode = (uint32_t)ARG(3) & ABI_S_IALLUGO;
	char *path = file_path_buf_get();
	struct file *f;
	long err;

	if (!path)
		return -ENOMEM;
	mode &= ~__atomic_load_n(&current_proc()->umask, __ATOMIC_RELAXED);
	err = fs_path_at(dirfd, ARG(1), path);
	if (!err) {
		struct cwd *cwd = fs_cwd_for(path);

		err = file_open_mode(path, fs_cwd_path(cwd), flags, (flags & ABI_O_CREAT) ? mode : 0,
				     &f);
		cwd_put(cwd);
	}
	file_path_buf_put(path);
	if (err)
		return err;
	return fd_install(fds(), f, 0, flags & ABI_O_CLOEXEC);
}

SYSCALL(close)
{
	return fd_close(fds(), (int)ARG(0));
}

/*
 * The file at fd for the rest of this call, as Linux's fdget: in a
 * single-threaded process without the table's lock or a reference
 * (fd_peek_sole: only this thread could drop it, and it is here; the
 * count cannot grow meanwhile, only this thread could clone), else with
 * one (*ref: fdput must drop it).
 */
static struct file *fdget(struct proc *p, int fd, bool *ref)
{
	*ref = __atomic_load_n(&p->nthreads, __ATOMIC_RELAXED) != 1;
	return *ref ? fd_get(p->fds, fd) : fd_peek_sole(p->fds, fd);
}

static void fdput(struct file *f, bool ref)
{
	if (ref)
		file_put(f);
}

/* One read or write of a user buffer at off (-1: the file offset).
 * Always inline: read and write would otherwise build a frame only to
 * tail-call it, on every call of the two busiest system calls. */
static inline __attribute__((always_inline)) long rw_one(int fd, uint64_t ubuf, size_t len, int64_t off, bool write)
{
	struct proc *p = current_proc();
	struct uio u = { .as = p->as, .addr = ubuf, .len = MIN(len, RW_MAX) };
	struct file *f;
	bool ref;
	long n;

	if (!user_range_ok(ubuf, u.len))
		return -EFAULT;
	f = fdget(p, fd, &ref);
	if (!f)
		return -EBADF;
	n = write ? file_write(f, &u, off) : file_read(f, &u, off);
	fdput(f, ref);
	if (n == -EPIPE && write)
		signal_raise_sigpipe(); /* a pipe with no reader, as on Linux */
	return n;
}

SYSCALL(read)
{
	return rw_one((int)ARG(0), ARG(1), ARG(2), -1, false);
}

SYSCALL(write)
{
	return rw_one((int)ARG(0), ARG(1), ARG(2), -1, true);
}

SYSCALL(pread64)
{
	if ((int64_t)ARG(3) < 0)
		return -EINVAL;
	return rw_one((int)ARG(0), ARG(1), ARG(2), (int64_t)ARG(3), false);
}

SYSCALL(pwrite64)
{
	if ((int64_t)ARG(3) < 0)
		return -EINVAL;
	return rw_one((int)ARG(0), ARG(1), ARG(2), (int64_t)ARG(3), true);
}

/* readv/writev: the whole vector is copied in and checked before any I/O. */
static long rw_vec(int fd, uint64_t uiov, uint64_t count, bool write)
{
	struct abi_iovec fast[IOV_FAST], *iov = fast;
	size_t total = 0;
	long done = 0;

	if (count > IOV_MAX)
		return -EINVAL;
	if (count == 0)
		return 0;
	if (count > IOV_FAST)
		iov = kmalloc(count * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (copy_from_user(iov, uiov, count * sizeof(*iov))) {
		done = -EFAULT;
		goto out;
	}
	for (uint64_t i = 0; i < count; i++) {
		if (iov[i].iov_len > RW_MAX - total) {
			done = -EINVAL;
			goto out;
		}
		total += iov[i].iov_len;
		if (!user_range_ok(iov[i].iov_base, iov[i].iov_len)) {
			done = -EFAULT;
			goto out;
		}
	}
	for (uint64_t i = 0; i < count; i++) {
		long n;

		if (!iov[i].iov_len)
			continue;
		n = rw_one(fd, iov[i].iov_base, iov[i].iov_len, -1, write);
		if (n < 0) {
			if (!done)
				done = n;
			break;
		}
		done += n;
		if ((uint64_t)n < iov[i].iov_len)
			break;
	}
out:
	if (iov != fast)
		kfree(iov);
	return done;
}

SYSCALL(readv)
{
	return rw_vec((int)ARG(0), ARG(1), ARG(2), false);
}

SYSCALL(writev)
{
	return rw_vec((int)ARG(0), ARG(1), ARG(2), true);
}

SYSCALL(lseek)
{
	struct file *f = fd_get(fds(), (int)ARG(0));
	long r;

	if (!f)
		return -EBADF;
	r = file_seek(f, (int64_t)ARG(1), (int)ARG(2));
	file_put(f);
	return r;
}

SYSCALL(dup)
{
	struct file *f = fd_get(fds(), (int)ARG(0));

	if (!f)
		return -EBADF;
	return fd_install(fds(), f, 0, false);
}

SYSCALL(dup3)
{
	int flags = (int)ARG(2);

	if (flags & ~ABI_O_CLOEXEC)
		return -EINVAL;
	return fd_dup3(fds(), (int)ARG(0), (int)ARG(1), flags & ABI_O_CLOEXEC);
}

/* Every path drops the reference fd_get took once; F_DUPFD's new descriptor
 * gets a reference of its own, so a refused one leaves nothing behind. */
SYSCALL(fcntl)
{
	int fd = (int)ARG(0), cmd = (int)ARG(1);
	struct file *f = fd_get(fds(), fd);
	uint64_t arg = ARG(2);
	long r = 0;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case ABI_F_DUPFD:
	case ABI_F_DUPFD_CLOEXEC:
		/* Linux reads arg as unsigned: a negative one is too large. */
		if (arg >= FD_MAX) {
			r = -EINVAL;
			break;
		}
		file_get(f);
		r = fd_install(fds(), f, (int)arg, cmd == ABI_F_DUPFD_CLOEXEC);
		break;
	case ABI_F_GETFD:
		r = fd_get_cloexec(fds(), fd) > 0 ? ABI_FD_CLOEXEC : 0;
		break;
	case ABI_F_SETFD:
		r = fd_set_cloexec(fds(), fd, arg & ABI_FD_CLOEXEC);
		break;
	case ABI_F_GETFL:
		r = file_flags(f);
		break;
	case ABI_F_SETFL:
		file_set_flags(f, SETFL_CHANGEABLE, (int)arg);
		break;
	default:
		r = -EINVAL;
		break;
	}
	file_put(f);
	return r;
}

static long stat_out(struct file *f, uint64_t ustat)
{
	struct abi_stat st;
	long err = file_stat(f, &st);

	if (!err && copy_to_user(ustat, &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

SYSCALL(fstat)
{
	struct file *f;
	long err;

	if (!user_range_ok(ARG(1), sizeof(struct abi_stat)))
		return -EFAULT;
	f = fd_get(fds(), (int)ARG(0));
	if (!f)
		return -EBADF;
	err = stat_out(f, ARG(1));
	file_put(f);
	return err;
}

/* Stats what the path names without opening it for reading (O_PATH, so
 * a file without read permission, or a FIFO, stats too); with
 * AT_SYMLINK_NOFOLLOW the link itself. */
#define FSTATAT_FLAGS (ABI_AT_SYMLINK_NOFOLLOW | ABI_AT_NO_AUTOMOUNT | ABI_AT_EMPTY_PATH)
SYSCALL(newfstatat)
{
	int flags = (int)ARG(3);
	struct abi_stat st;
	long err;

	if (flags & ~FSTATAT_FLAGS)
		return -EINVAL;
	if (!user_range_ok(ARG(2), sizeof(struct abi_stat)))
		return -EFAULT;
	err = fs_stat_at((int)ARG(0), ARG(1), flags, &st);
	if (!err && copy_to_user(ARG(2), &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

SYSCALL(getdents64)
{
	struct uio u = { .as = current_proc()->as, .addr = ARG(1), .len = ARG(2) };
	struct file *f;
	long n;

	if (!user_range_ok(u.addr, u.len))
		return -EFAULT;
	f = fd_get(fds(), (int)ARG(0));
	if (!f)
		return -EBADF;
	n = file_getdents(f, &u);
	file_put(f);
	return n;
}

SYSCALL(pipe2)
{
	int flags = (int)ARG(1), fd[2];
	bool cloexec = flags & ABI_O_CLOEXEC;
	struct file *rd, *wr;
	long err;

	if (flags & ~(ABI_O_CLOEXEC | ABI_O_NONBLOCK))
		return -EINVAL;
	if (!user_range_ok(ARG(0), sizeof(fd)))
		return -EFAULT;
	err = pipe_create(flags, &rd, &wr);
	if (err)
		return err;
	fd[0] = fd_install(fds(), rd, 0, cloexec);
	if (fd[0] < 0) {
		file_put(wr);
		return fd[0];
	}
	fd[1] = fd_install(fds(), wr, 0, cloexec);
	if (fd[1] < 0) {
		fd_close(fds(), fd[0]);
		return fd[1];
	}
	if (copy_to_user(ARG(0), fd, sizeof(fd))) {
		/* Nothing must change when the result cannot be delivered. */
		fd_close(fds(), fd[0]);
		fd_close(fds(), fd[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL(ioctl)
{
	struct file *f = fd_get(fds(), (int)ARG(0));
	long r;

	if (!f)
		return -EBADF;
	r = file_ioctl(f, (uint32_t)ARG(1), ARG(2)); /* Linux: cmd is an unsigned int */
	file_put(f);
	return r;
}

SYSCALL(getcwd)
{
	struct cwd *cwd = cwd_get(current_proc());
	size_t len = strlen(cwd->path) + 1;
	long r = (long)len;

	if (ARG(1) < len)
		r = -ERANGE;
	else if (copy_to_user(ARG(0), cwd->path, len))
		r = -EFAULT;
	cwd_put(cwd);
	return r;
}

SYSCALL(chdir)
{
	char *path = kmalloc(PATH_MAX_LEN), scheme[SCHEME_NAME_MAX], *rest;
	struct proc *p = current_proc();
	struct file *f;
	long err;

	if (!path)
		return -ENOMEM;
	rest = kmalloc(PATH_MAX_LEN);
	err = rest ? fs_get_path(ARG(0), path) : -ENOMEM;
	if (!err) {
		struct cwd *cwd = cwd_get(p);

		err = path_resolve(path, cwd->path, scheme, sizeof(scheme), rest, PATH_MAX_LEN);
		cwd_put(cwd);
	}
	/* The working directory lives in the file scheme. */
	if (!err && strcmp(scheme, PATH_FILE_SCHEME) != 0)
		err = -ENOTDIR;
	if (!err)
		err = file_open(rest, "/", ABI_O_RDONLY | ABI_O_DIRECTORY, &f);
	if (!err) {
		file_put(f);
		err = cwd_set(p, rest);
	}
	kfree(path);
	kfree(rest);
	return err;
}
