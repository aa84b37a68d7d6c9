/*
 * kernel/scheme/fdtable.h: a process's file descriptors: small integers naming
 * references to open files, each with its close-on-exec flag, with Linux's
 * dup/dup3/fcntl semantics (lowest free number first).
 */
#ifndef KERNEL_FDTABLE_H
#define KERNEL_FDTABLE_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"

#define FD_MAX 256

struct file;

struct fdtable {
	spinlock_t lock;             /* guards both arrays */
	struct file *files[FD_MAX];
	bool cloexec[FD_MAX];
};

/* Whether fd is a descriptor number at all (below FD_MAX). */
static inline bool fd_ok(int fd)
{
	return fd >= 0 && fd < FD_MAX;
}

struct fdtable *fdtable_create(void);
/* A copy for fork: the same files, one more reference each. */
struct fdtable *fdtable_clone(struct fdtable *t);
/* Closes every descriptor and frees the table. */
void fdtable_destroy(struct fdtable *t);
/* Closes the close-on-exec descriptors (execve). */
void fdtable_close_on_exec(struct fdtable *t);

/* Installs f at the lowest free number >= min; the number, -EMFILE if
 * full, -EINVAL if min is out of range. Takes the caller's reference either
 * way (a failed install drops it), so no error path can leak a file. */
int fd_install(struct fdtable *t, struct file *f, int min, bool cloexec);
/* The file at fd with a new reference, or NULL (-EBADF for the caller). */
struct file *fd_get(struct fdtable *t, int fd);
/*
 * The file at fd with no lock and no new reference (Linux's __fget_light
 * when files_struct's count is 1), for the table's sole user: the only
 * thread of the process that owns t, in one of its own system calls. Every
 * change that drops a slot's reference (close, dup3, exec's close-on-exec,
 * exit's destroy) is made by one of the owner's threads, and a table is
 * never shared between processes (fork copies it), so the file stays while
 * that call runs; others (/proc's fd/) only read under the lock and take
 * references. The caller must not file_put it. Inline: it is on every
 * read and write (syscall/sys_file.c's fdget).
 */
static inline struct file *fd_peek_sole(struct fdtable *t, int fd)
{
	return fd_ok(fd) ? __atomic_load_n(&t->files[fd], __ATOMIC_RELAXED) : NULL;
}
int fd_close(struct fdtable *t, int fd);
/* dup3: newfd becomes oldfd (closing what newfd held); -EINVAL if equal. */
int fd_dup3(struct fdtable *t, int oldfd, int newfd, bool cloexec);
int fd_get_cloexec(struct fdtable *t, int fd);
int fd_set_cloexec(struct fdtable *t, int fd, bool on);

/* RLIMIT_NOFILE (defined in kernel/rlimit.c): descriptor numbers below
 * this may be used (fd_install, dup3); FD_MAX outside a process (the first
 * one's console descriptors). */
int rlimit_nofile(void);

#endif
