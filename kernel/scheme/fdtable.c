/*
 * kernel/scheme/fdtable.c: file descriptor tables (see fdtable.h). File references
 * are dropped outside the table lock: a scheme's close may sleep.
 */
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/file.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (t)
		t->lock = (spinlock_t)SPINLOCK_INIT("fdtable");
	return t;
}

struct fdtable *fdtable_clone(struct fdtable *src)
{
	struct fdtable *t = fdtable_create();
	uint64_t flags;

	if (!t)
		return NULL;
	flags = spin_lock_irqsave(&src->lock);
	for (int fd = 0; fd < FD_MAX; fd++) {
		if (src->files[fd]) {
			file_get(src->files[fd]);
			t->files[fd] = src->files[fd];
			t->cloexec[fd] = src->cloexec[fd];
		}
	}
	spin_unlock_irqrestore(&src->lock, flags);
	return t;
}

void fdtable_destroy(struct fdtable *t)
{
	if (!t)
		return;
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->files[fd])
			file_put(t->files[fd]);
	kfree(t);
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (int fd = 0; fd < FD_MAX; fd++) {
		struct file *f = NULL;
		uint64_t flags = spin_lock_irqsave(&t->lock);

		if (t->files[fd] && t->cloexec[fd]) {
			f = t->files[fd];
			t->files[fd] = NULL;
			t->cloexec[fd] = false;
		}
		spin_unlock_irqrestore(&t->lock, flags);
		if (f)
			file_put(f);
	}
}

int fd_install(struct fdtable *t, struct file *f, int min, bool cloexec)
{
	uint64_t flags;

	int ret = -EMFILE, lim = rlimit_nofile();

	if (!fd_ok(min) || min >= lim) { /* F_DUPFD past RLIMIT_NOFILE: EINVAL */
		file_put(f);
		return -EINVAL;
	}
	flags = spin_lock_irqsave(&t->lock);
	for (int fd = min; fd < lim; fd++) {
		if (!t->files[fd]) {
			t->files[fd] = f;
			t->cloexec[fd] = cloexec;
			ret = fd;
			break;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	if (ret < 0)
		file_put(f);
	return ret;
}

struct file *fd_get(struct fdtable *t, int fd)
{
	struct file *f = NULL;
	uint64_t flags;

	if (!fd_ok(fd))
		return NULL;
	flags = spin_lock_irqsave(&t->lock);
	f = t->files[fd];
	if (f)
		file_get(f);
	spin_unlock_irqrestore(&t->lock, flags);
	return f;
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *f;
	uint64_t flags;

	if (!fd_ok(fd))
		return -EBADF;
	flags = spin_lock_irqsave(&t->lock);
	f = t->files[fd];
	t->files[fd] = NULL;
	t->cloexec[fd] = false;
	spin_unlock_irqrestore(&t->lock, flags);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int fd_dup3(struct fdtable *t, int oldfd, int newfd, bool cloexec)
{
	struct file *f, *old = NULL;
	uint64_t flags;

	if (!fd_ok(oldfd) || !fd_ok(newfd) || newfd >= rlimit_nofile())
		return -EBADF;
	if (oldfd == newfd)
		return -EINVAL;
	flags = spin_lock_irqsave(&t->lock);
	f = t->files[oldfd];
	if (!f) {
		spin_unlock_irqrestore(&t->lock, flags);
		return -EBADF;
	}
	file_get(f);
	old = t->files[newfd];
	t->files[newfd] = f;
	t->cloexec[newfd] = cloexec;
	spin_unlock_irqrestore(&t->lock, flags);
	if (old)
		file_put(old);
	return newfd;
}

int fd_get_cloexec(struct fdtable *t, int fd)
{
	uint64_t flags;
	int ret;

	if (!fd_ok(fd))
		return -EBADF;
	flags = spin_lock_irqsave(&t->lock);
	ret = t->files[fd] ? t->cloexec[fd] : -EBADF;
	spin_unlock_irqrestore(&t->lock, flags);
	return ret;
}

int fd_set_cloexec(struct fdtable *t, int fd, bool on)
{
	uint64_t flags;
	int ret = 0;

	if (!fd_ok(fd))
		return -EBADF;
	flags = spin_lock_irqsave(&t->lock);
	if (t->files[fd])
		t->cloexec[fd] = on;
	else
		ret = -EBADF;
	spin_unlock_irqrestore(&t->lock, flags);
	return ret;
}
