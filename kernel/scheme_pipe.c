/*
 * kernel/scheme_pipe.c: the pipe: scheme, anonymous pipes. pipe2 makes a
 * pipe and opens both ends; a read waits for data and returns 0 (end of
 * file) once every writer is gone; a write waits for room and fails with
 * -EPIPE once every reader is gone (signals come in a later issue).
 */
#include "kernel/scheme.h"
#include "kernel/pipe.h"
#include "kernel/errno.h"
#include "mm/heap.h"
#include "sched/waitq.h"
#include "syscall/abi.h"

#define PIPE_SIZE 16384 /* bytes buffered */
#define PIPE_CHUNK 256
#define PIPE_MODE 0600 /* what fstat reports: owner read/write */

struct pipe {
	spinlock_t lock;
	/* Guarded by lock: */
	uint8_t buf[PIPE_SIZE];
	size_t head, count;
	int readers, writers;
	struct waitq can_read, can_write;
};

struct pipe_end {
	struct pipe *pipe;
	bool write;
};

static void pipe_free_if_unused(struct pipe *p, uint64_t flags)
{
	bool unused = p->readers == 0 && p->writers == 0;

	spin_unlock_irqrestore(&p->lock, flags);
	if (unused)
		kfree(p);
}

static long pipe_read(struct file *f, struct uio *u, uint64_t off)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;
	uint8_t chunk[PIPE_CHUNK];
	uint64_t flags;
	size_t done = 0;

	(void)off;
	if (u->len == 0)
		return 0;
	flags = spin_lock_irqsave(&p->lock);
	while (p->count == 0) {
		int err;

		if (p->writers == 0) {
			spin_unlock_irqrestore(&p->lock, flags);
			return 0;
		}
		if (f->flags & ABI_O_NONBLOCK) {
			spin_unlock_irqrestore(&p->lock, flags);
			return -EAGAIN;
		}
		err = waitq_sleep(&p->can_read, &p->lock, 0);
		if (err) {
			spin_unlock_irqrestore(&p->lock, flags);
			return err;
		}
	}
	while (done < u->len && p->count) {
		size_t n = MIN(MIN(u->len - done, p->count), sizeof(chunk));

		for (size_t i = 0; i < n; i++)
			chunk[i] = p->buf[(p->head + i) % PIPE_SIZE];
		/* Copy out without the lock: a user page fault may sleep. */
		spin_unlock_irqrestore(&p->lock, flags);
		if (uio_copy_out(u, done, chunk, n))
			return done ? (long)done : -EFAULT;
		flags = spin_lock_irqsave(&p->lock);
		p->head = (p->head + n) % PIPE_SIZE;
		p->count -= n;
		done += n;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	waitq_wake_all(&p->can_write);
	return (long)done;
}

static long pipe_write(struct file *f, struct uio *u, uint64_t off)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;
	uint8_t chunk[PIPE_CHUNK];
	uint64_t flags;
	size_t done = 0;

	(void)off;
	while (done < u->len) {
		size_t n = MIN(u->len - done, sizeof(chunk)), room;

		if (uio_copy_in(u, done, chunk, n))
			return done ? (long)done : -EFAULT;
		flags = spin_lock_irqsave(&p->lock);
		for (;;) {
			int err = 0;

			if (p->readers == 0)
				err = -EPIPE;
			else if (p->count < PIPE_SIZE)
				break;
			else if (f->flags & ABI_O_NONBLOCK)
				err = -EAGAIN;
			else
				err = waitq_sleep(&p->can_write, &p->lock, 0);
			if (err) {
				spin_unlock_irqrestore(&p->lock, flags);
				return done ? (long)done : err;
			}
		}
		room = MIN(n, PIPE_SIZE - p->count);
		for (size_t i = 0; i < room; i++)
			p->buf[(p->head + p->count + i) % PIPE_SIZE] = chunk[i];
		p->count += room;
		done += room;
		spin_unlock_irqrestore(&p->lock, flags);
		waitq_wake_all(&p->can_read);
	}
	return (long)done;
}

static void pipe_close(struct file *f)
{
	struct pipe_end *e = f->priv;
	struct pipe *p = e->pipe;
	uint64_t flags = spin_lock_irqsave(&p->lock);

	if (e->write)
		p->writers--;
	else
		p->readers--;
	kfree(e);
	/* Wake both sides: readers see EOF, writers see EPIPE. */
	waitq_wake_all(&p->can_read);
	waitq_wake_all(&p->can_write);
	pipe_free_if_unused(p, flags);
}

static int pipe_stat(struct file *f, struct abi_stat *st)
{
	st->st_mode = f->type | PIPE_MODE;
	st->st_nlink = 1;
	st->st_blksize = PIPE_SIZE;
	return 0;
}

static const struct scheme_ops pipe_ops = {
	.read = pipe_read, .write = pipe_write, .stat = pipe_stat, .close = pipe_close,
};
const struct scheme pipe_scheme = { .name = "pipe", .ops = &pipe_ops };

static struct file *pipe_end_file(struct pipe *p, bool write, int flags)
{
	struct pipe_end *e = kmalloc(sizeof(*e));
	struct file *f;

	if (!e)
		return NULL;
	f = file_alloc(&pipe_scheme, (write ? ABI_O_WRONLY : ABI_O_RDONLY) | (flags & ABI_O_NONBLOCK));
	if (!f) {
		kfree(e);
		return NULL;
	}
	*e = (struct pipe_end){ .pipe = p, .write = write };
	f->priv = e;
	f->type = ABI_S_IFIFO;
	return f;
}

int pipe_create(int flags, struct file **rd, struct file **wr)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->lock = (spinlock_t)SPINLOCK_INIT("pipe");
	p->readers = p->writers = 1;
	*rd = pipe_end_file(p, false, flags);
	*wr = pipe_end_file(p, true, flags);
	if (!*rd || !*wr) {
		/* Uncount the missing end first: closing the other then sees
		 * the pipe unused and frees it. */
		if (!*rd)
			p->readers--;
		if (!*wr)
			p->writers--;
		if (*rd)
			file_put(*rd);
		if (*wr)
			file_put(*wr);
		if (!*rd && !*wr)
			kfree(p);
		return -ENOMEM;
	}
	return 0;
}
