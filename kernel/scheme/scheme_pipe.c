/*
 * kernel/scheme/scheme_pipe.c: the pipe: scheme, anonymous pipes. pipe2 makes a
 * pipe and opens both ends; a read waits for data and returns 0 (end of
 * file) once every writer is gone; a write waits for room and fails with
 * -EPIPE once every reader is gone (the write system call raises SIGPIPE). A write
 * of up to PIPE_ATOMIC_MAX bytes waits until all of it fits and goes in
 * whole; a longer one goes in as room appears and may interleave.
 *
 * Bytes are copied straight between the ring and the caller's memory, which
 * may fault and sleep, so a sleeping mutex (io) makes each transfer whole:
 * one reader's bytes are taken by no other reader, one writer's atomic
 * record is split by no other writer. io is never held while waiting for
 * data or room; the spinlock is the wait queues' condition lock.
 *
 * Readiness (poll): the read end is POLLIN with data and POLLHUP once every
 * writer is gone; the write end is POLLOUT with room for an atomic write
 * (PIPE_ATOMIC_MAX, as Linux wants a free page) and POLLERR once every
 * reader is gone. Both ends share one pollq, woken wherever the waitqs are.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/pipe.h"
#include "kernel/lib/errno.h"
#include "kernel/scheme/poll.h"
#include "mm/heap.h"
#include "sched/mutex.h"
#include "sched/waitq.h"
#include "syscall/abi/abi.h"

#define PIPE_MODE 0600 /* what fstat reports: owner read/write */

struct pipe {
	struct mutex io;   /* held by the one reader or writer moving bytes */
	spinlock_t lock;   /* guards the fields below */
	/* The buffered bytes are buf[head .. head+count) modulo PIPE_SIZE.
	 * head and count change only with io held as well, so the io holder
	 * may read them without lock; the bytes themselves belong to the io
	 * holder. */
	uint8_t *buf;
	size_t head, count;   /* count: also read without lock, atomically, as a hint (pipe_wait) */
	int readers, writers; /* readers: also read without lock, atomically (pipe_wait) */
	struct waitq can_read, can_write;
	struct pollq pq;   /* watchers of either end (its own lock) */
};

struct pipe_end {
	struct pipe *pipe;
	bool write;
};

static void pipe_free(struct pipe *p)
{
	if (p)
		kfree(p->buf);
	kfree(p);
}

/* What a reader waits for: data, or end of file. p->lock held. */
static bool readable(const struct pipe *p, size_t need)
{
	(void)need;
	return p->count || !p->writers;
}

/* What a writer waits for: room for need bytes, or no reader. */
static bool writable(const struct pipe *p, size_t need)
{
	return PIPE_SIZE - p->count >= need || !p->readers;
}

/* Takes p->io once ready(p, need) holds: 0 with io held, or -EAGAIN
 * (nonblock), -EINTR or (write: every reader gone) -EPIPE without it. */
static long pipe_wait(struct pipe *p, bool (*ready)(const struct pipe *, size_t), size_t need,
		      struct waitq *wq, bool nonblock, bool write)
{
	for (;;) {
		uint64_t flags;
		long err;

		/* A reader that finds the pipe empty at a glance waits for
		 * data before taking io: it then takes io once, after its
		 * wake-up, instead of once before sleeping and once after.
		 * The glance is only a hint; ready() decides under lock. */
		if (!write && !__atomic_load_n(&p->count, __ATOMIC_RELAXED)) {
			flags = spin_lock_irqsave(&p->lock);
			err = ready(p, need) ? 0 : nonblock ? -EAGAIN : waitq_sleep(wq, &p->lock, 0);
			spin_unlock_irqrestore(&p->lock, flags);
			if (err)
				return err;
		}
		err = mutex_lock(&p->io);
		if (err)
			return err;
		/* A reader holding io may read count without lock (struct
		 * pipe): data there is readable whatever the writers do. */
		if (!write && p->count)
			return 0;
		/* Likewise a writer holding io sees count stay (only io
		 * holders change it): with room and a reader left it goes
		 * ahead; a reader's close that races with it is as if it came
		 * just after the write. No reader: the lock decides -EPIPE. */
		if (write && PIPE_SIZE - p->count >= need && __atomic_load_n(&p->readers, __ATOMIC_RELAXED))
			return 0;
		flags = spin_lock_irqsave(&p->lock);
		if (ready(p, need)) {
			err = write && !p->readers ? -EPIPE : 0;
			spin_unlock_irqrestore(&p->lock, flags);
			if (err)
				mutex_unlock(&p->io);
			return err;
		}
		/* Let go of io but not of lock: the state cannot change before
		 * this thread is on wq, so no wake-up is lost. */
		mutex_unlock(&p->io);
		err = nonblock ? -EAGAIN : waitq_sleep(wq, &p->lock, 0);
		spin_unlock_irqrestore(&p->lock, flags);
		if (err)
			return err;
	}
}

/* Who must be told of a change made under p->lock (pipe_watched). */
#define WATCHED_WAITERS 1U   /* a sleeper on the waitq */
#define WATCHED_POLL 2U      /* a poll watcher */
#define WATCHED_ALL (WATCHED_WAITERS | WATCHED_POLL)

/* Who must be told of a change made under p->lock: waiters on wq, poll
 * watchers, both or none. Both join only with p->lock held (pipe_wait
 * sleeps under it; pipe_poll adds its watch before taking it and then
 * reads the state), so with the lock held an empty list stays empty until
 * the state change is visible: whoever comes later sees it and does not
 * wait. So a pipe nobody polls never takes the pollq's lock. */
static unsigned pipe_watched(const struct pipe *p, const struct waitq *wq)
{
	return (__atomic_load_n(&wq->head, __ATOMIC_RELAXED) ? WATCHED_WAITERS : 0) |
	       (__atomic_load_n(&p->pq.head, __ATOMIC_RELAXED) ? WATCHED_POLL : 0);
}

/* After a transfer: those of wq's waiters and the poll watchers that
 * pipe_watched found learn of events. */
static void pipe_notify(struct pipe *p, struct waitq *wq, unsigned events, unsigned watched)
{
	if (watched & WATCHED_WAITERS)
		waitq_wake_all(wq);
	if (watched & WATCHED_POLL)
		pollq_wake(&p->pq, events);
}

/* Copies n bytes between the ring at pos and the uio at uoff, in two pieces
 * where the ring wraps; 0 or -EFAULT. p->io held. */
static int ring_copy(struct pipe *p, size_t pos, struct uio *u, size_t uoff, size_t n, bool out)
{
	size_t first = MIN(n, PIPE_SIZE - pos);
	int err = out ? uio_copy_out(u, uoff, p->buf + pos, first)
		      : uio_copy_in(u, uoff, p->buf + pos, first);

	if (!err && n > first)
		err = out ? uio_copy_out(u, uoff + first, p->buf, n - first)
			  : uio_copy_in(u, uoff + first, p->buf, n - first);
	return err;
}

static bool nonblocking(struct file *f)
{
	return file_flags(f) & ABI_O_NONBLOCK;
}

static long pipe_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;
	uint64_t flags;
	size_t n;
	long err;
	unsigned watched;

	(void)c;
	(void)off;
	if (u->len == 0)
		return 0;
	err = pipe_wait(p, readable, 1, &p->can_read, nonblocking(f), false);
	if (err)
		return err;
	n = MIN(u->len, p->count); /* 0: end of file */
	/* A bad buffer takes nothing: the bytes stay for the next read. */
	if (n && ring_copy(p, p->head, u, 0, n, true)) {
		mutex_unlock(&p->io);
		return -EFAULT;
	}
	flags = spin_lock_irqsave(&p->lock);
	p->head = (p->head + n) % PIPE_SIZE;
	__atomic_store_n(&p->count, p->count - n, __ATOMIC_RELAXED);
	watched = n ? pipe_watched(p, &p->can_write) : 0;
	spin_unlock_irqrestore(&p->lock, flags);
	mutex_unlock(&p->io);
	pipe_notify(p, &p->can_write, POLLOUT, watched);
	return (long)n;
}

static long pipe_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;
	bool atomic = u->len <= PIPE_ATOMIC_MAX;
	size_t done = 0;

	(void)c;
	(void)off;
	while (done < u->len) {
		size_t n = u->len - done;
		uint64_t flags;
		unsigned watched;
		long err = pipe_wait(p, writable, atomic ? n : 1, &p->can_write, nonblocking(f), true);

		if (err)
			return done ? (long)done : err;
		n = MIN(n, PIPE_SIZE - p->count);
		if (ring_copy(p, (p->head + p->count) % PIPE_SIZE, u, done, n, false)) {
			mutex_unlock(&p->io);
			return done ? (long)done : -EFAULT;
		}
		flags = spin_lock_irqsave(&p->lock);
		__atomic_store_n(&p->count, p->count + n, __ATOMIC_RELAXED);
		watched = pipe_watched(p, &p->can_read);
		spin_unlock_irqrestore(&p->lock, flags);
		mutex_unlock(&p->io);
		pipe_notify(p, &p->can_read, POLLIN, watched);
		done += n;
	}
	return (long)done;
}

static void pipe_close(struct file *f)
{
	struct pipe_end *e = f->priv;
	struct pipe *p = e->pipe;
	uint64_t flags = spin_lock_irqsave(&p->lock);
	bool unused;

	if (e->write)
		p->writers--;
	else
		__atomic_store_n(&p->readers, p->readers - 1, __ATOMIC_RELAXED);
	/* Wake both sides (readers see EOF, writers see EPIPE) before letting
	 * go: once lock is free the other end's close may free p. */
	waitq_wake_all(&p->can_write);
	pipe_notify(p, &p->can_read, POLL_ALWAYS | POLLIN | POLLOUT, WATCHED_ALL);
	unused = p->readers == 0 && p->writers == 0;
	spin_unlock_irqrestore(&p->lock, flags);
	kfree(e);
	if (unused)
		pipe_free(p);
}

static int pipe_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	(void)c;
	st->st_mode = f->type | PIPE_MODE;
	st->st_nlink = 1;
	st->st_blksize = PIPE_SIZE;
	return 0;
}

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe_end *e = f->priv;
	struct pipe *p = e->pipe;
	unsigned mask = 0;
	uint64_t flags;

	poll_wait(pt, &p->pq);
	flags = spin_lock_irqsave(&p->lock);
	if (!e->write) {
		mask |= p->count ? POLLIN : 0;
		mask |= p->writers ? 0 : POLLHUP;
	} else {
		mask |= PIPE_SIZE - p->count >= PIPE_ATOMIC_MAX ? POLLOUT : 0;
		mask |= p->readers ? 0 : POLLERR;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return mask;
}

static const struct scheme_ops pipe_ops = {
	.read = pipe_read, .write = pipe_write, .stat = pipe_stat, .close = pipe_close,
	.poll = pipe_poll, .rw_no_caller = true,
};
const struct scheme pipe_scheme = { .name = "pipe", .ops = &pipe_ops };

/* One end's file, not yet counted in the pipe; NULL if out of memory. */
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

/* Undoes pipe_end_file: the end was never counted, so no close runs. */
static void pipe_end_discard(struct file *f)
{
	if (!f)
		return;
	kfree(f->priv);
	file_discard(f);
}

int pipe_create(int flags, struct file **rd, struct file **wr)
{
	struct pipe *p = kzalloc(sizeof(*p));

	/* Everything is allocated before anything is linked, so a failure
	 * only frees what it got. */
	if (p)
		p->buf = kmalloc(PIPE_SIZE);
	*rd = p ? pipe_end_file(p, false, flags) : NULL;
	*wr = p ? pipe_end_file(p, true, flags) : NULL;
	if (!p || !p->buf || !*rd || !*wr) {
		pipe_end_discard(*rd);
		pipe_end_discard(*wr);
		pipe_free(p);
		return -ENOMEM;
	}
	mutex_init(&p->io, "pipe io");
	p->lock = (spinlock_t)SPINLOCK_INIT("pipe");
	pollq_init(&p->pq);
	p->readers = p->writers = 1;
	return 0;
}
