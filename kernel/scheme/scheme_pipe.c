/*
 * kernel/scheme/scheme_pipe.c: the pipe: scheme, anonymous pipes. pipe2 makes a
 * pipe and opens both ends; a read waits for data and returns 0 (end of
 * file) once every writer is gone; a write waits for room and fails with
 * -EPIPE once every reader is gone (the write system call raises SIGPIPE). A write
 * of up to PIPE_ATOMIC_MAX bytes waits until all of it fits and goes in
 * whole; a longer one goes in as room appears and may interleave.
 *
 * Bytes are copied straight between the ring and the caller's memory, which
 * may fault and sleep, so they move without the spinlock: under it a reader
 * takes its side's turn (reading) with the bytes [head, head+n) it will
 * copy, a writer its side's turn (writing) with the free room it will fill
 * at head+count; both come back under the lock to publish the move and
 * hand the turn back. One turn per side keeps each transfer whole: one
 * reader's bytes are taken by no other reader, one writer's atomic record
 * is split by no other writer. A reader and a writer copy at once: a read
 * only moves head forward over bytes it has copied and a write only fills
 * room past head+count, which the read leaves where it is. A move of at
 * most one word (UIO_WORD_MAX bytes, kernel/scheme/uio_word.h) goes
 * through a register instead of the general copy: a small write reads the
 * caller's bytes before taking the lock and puts them in the ring under
 * it in one step, with no turn; a small read still takes its turn, since
 * its store to the caller may fault and sleep.
 *
 * Readiness (poll): the read end is POLLIN with data and POLLHUP once every
 * writer is gone; the write end is POLLOUT with room for an atomic write
 * (PIPE_ATOMIC_MAX, as Linux wants a free page) and POLLERR once every
 * reader is gone. Both ends share one pollq, woken wherever the waitqs are.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/pipe.h"
#include "kernel/scheme/file_flags.h"
#include "kernel/lib/errno.h"
#include "kernel/scheme/poll.h"
#include "kernel/scheme/uio_word.h"
#include "mm/heap.h"
#include "sched/waitq.h"
#include "syscall/abi/abi.h"

#define PIPE_MODE 0600 /* what fstat reports: owner read/write */

struct pipe {
	spinlock_t lock;   /* guards the fields below except buf's bytes */
	/* The buffered bytes are buf[head .. head+count) modulo PIPE_SIZE.
	 * The bytes a turn holder copies belong to it until it publishes
	 * the move (see above). */
	uint8_t *buf;
	size_t head, count;
	int readers, writers;
	bool reading, writing; /* a reader / a writer holds its side's turn */
	/* Readers waiting for data or for the read turn; writers waiting for
	 * room or for the write turn. */
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

static bool nonblocking(struct file *f)
{
	return file_flags_now(f) & ABI_O_NONBLOCK;
}

/* Whether this side may move bytes now, p->lock held: its turn is free
 * and a reader finds data or end of file, a writer readers and room for
 * need bytes. */
static inline bool pipe_ready(const struct pipe *p, bool write, size_t need)
{
	if (write)
		return !p->writing && p->readers && PIPE_SIZE - p->count >= need;
	return !p->reading && (p->count || !p->writers);
}

/*
 * Waits, p->lock held (released while asleep), until this side may move
 * bytes: its turn is free and a reader finds data or end of file, a writer
 * room for need bytes. 0, or -EAGAIN (nonblocking and not ready), -EINTR,
 * or (write: every reader gone) -EPIPE. A taken turn is waited for even
 * when nonblocking, as Linux waits for the pipe's mutex. In line: with
 * write a constant each caller keeps its own side's half, and a reader
 * woken with data goes on without a call.
 */
static inline __attribute__((always_inline))
long pipe_wait(struct pipe *p, struct file *f, bool write, size_t need)
{
	for (;;) {
		bool busy = write ? p->writing : p->reading;
		long err;

		if (write && !p->readers)
			return -EPIPE;
		if (pipe_ready(p, write, need))
			return 0;
		if (!busy && nonblocking(f))
			return -EAGAIN;
		err = waitq_sleep(write ? &p->can_write : &p->can_read, &p->lock, 0);
		if (err)
			return err;
	}
}

/* Whom a move just published must tell (pipe_move_done), found under p->lock. */
#define TELL_OTHER 1U   /* the other side's waiters: data or room came */
#define TELL_SAME 2U    /* this side's waiters: the turn is free */
#define TELL_POLL 4U    /* poll watchers */

/*
 * Ends a turn: publishes a move of n bytes (0: nothing moved), hands the
 * turn back and says whom to tell. Sleepers and poll watchers join only
 * with p->lock held (pipe_wait sleeps under it; pipe_poll adds its watch
 * before taking it and then reads the state), so with the lock held an
 * empty list stays empty until the change is visible: whoever comes later
 * sees it and does not wait. So a pipe nobody waits on or polls never
 * takes wait_lock or the pollq's lock. This side's waiters want the turn
 * and, for readers, data or end of file: they are told only if some is
 * left or every writer is gone. A move made without the turn (turn
 * false: a small write, pipe_write_word) hands none back, and took only
 * room, so this side has nothing to be told. Always inline: with write and
 * turn constants each caller keeps only its own part.
 */
static inline __attribute__((always_inline))
unsigned pipe_move_done(struct pipe *p, bool write, size_t n, bool turn)
{
	struct waitq *other = write ? &p->can_read : &p->can_write;
	struct waitq *same = write ? &p->can_write : &p->can_read;
	unsigned tell = 0;

	if (write) {
		p->count += n;
		if (turn)
			p->writing = false;
	} else {
		p->head = (p->head + n) % PIPE_SIZE;
		p->count -= n;
		p->reading = false;
	}
	/* The heads are read atomically: wait_lock and the pollq's lock
	 * guard them, and a wake-up elsewhere may empty a list meanwhile
	 * (then the wake-up finds nobody: harmless). */
	if (n && __atomic_load_n(&other->head, __ATOMIC_RELAXED))
		tell |= TELL_OTHER;
	if (n && __atomic_load_n(&p->pq.head, __ATOMIC_RELAXED))
		tell |= TELL_POLL;
	if (turn && __atomic_load_n(&same->head, __ATOMIC_RELAXED) &&
	    (write || p->count || !p->writers))
		tell |= TELL_SAME;
	return tell;
}

/* After pipe_move_done, p->lock released: the wake-ups it asked for. The
 * caller's end keeps p alive. */
static void pipe_tell(struct pipe *p, bool write, unsigned tell)
{
	if (tell & TELL_OTHER)
		waitq_wake_all(write ? &p->can_read : &p->can_write);
	if (tell & TELL_SAME)
		waitq_wake_all(write ? &p->can_write : &p->can_read);
	if (tell & TELL_POLL)
		pollq_wake(&p->pq, write ? POLLIN : POLLOUT);
}

/* Copies n bytes between the ring at pos and the uio at uoff, in two pieces
 * where the ring wraps; 0 or -EFAULT. The caller holds the turn. */
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

/* The n (<= UIO_WORD_MAX) bytes at ring position pos, byte i in bits
 * 8i..8i+7, and their store: a small move's bytes in a register. */
static uint64_t ring_get_word(const struct pipe *p, size_t pos, size_t n)
{
	uint64_t v = 0;

	for (size_t i = n; i-- > 0;)
		v = v << BITS_PER_BYTE | p->buf[(pos + i) % PIPE_SIZE];
	return v;
}

static void ring_put_word(struct pipe *p, size_t pos, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++, v >>= BITS_PER_BYTE)
		p->buf[(pos + i) % PIPE_SIZE] = (uint8_t)v;
}

static long pipe_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;
	uint64_t flags;
	size_t n, pos;
	unsigned tell;
	long err;

	(void)c;
	(void)off;
	if (u->len == 0)
		return 0;
	flags = spin_lock_irqsave(&p->lock);
	err = pipe_wait(p, f, false, 1);
	n = err ? 0 : MIN(u->len, p->count); /* 0: end of file */
	if (!n) {
		spin_unlock_irqrestore(&p->lock, flags);
		return err;
	}
	p->reading = true;
	pos = p->head;
	if (uio_word_ok(u, n)) {
		/* A small read: the bytes go out from a register, in line. */
		uint64_t v = ring_get_word(p, pos, n);

		spin_unlock_irqrestore(&p->lock, flags);
		err = uio_word_out(u, n, v);
	} else {
		spin_unlock_irqrestore(&p->lock, flags);
		err = ring_copy(p, pos, u, 0, n, true);
	}
	/* A bad buffer takes nothing: the bytes stay for the next read. */
	flags = spin_lock_irqsave(&p->lock);
	tell = pipe_move_done(p, false, err ? 0 : n, true);
	spin_unlock_irqrestore(&p->lock, flags);
	pipe_tell(p, false, tell);
	return err ? -EFAULT : (long)n;
}

/*
 * A write of n <= UIO_WORD_MAX bytes already taken into v from the
 * caller's buffer (uio_word_in): they go into the ring under the lock in
 * one step, without the turn (none but a turn holder touches the room past
 * head+count, and pipe_wait saw the turn free). pipe_write's result.
 */
static long pipe_write_word(struct pipe *p, struct file *f, size_t n, uint64_t v)
{
	uint64_t flags = spin_lock_irqsave(&p->lock);
	long err = pipe_wait(p, f, true, n);
	unsigned tell;

	if (err) {
		spin_unlock_irqrestore(&p->lock, flags);
		return err;
	}
	ring_put_word(p, (p->head + p->count) % PIPE_SIZE, n, v);
	tell = pipe_move_done(p, true, n, false);
	spin_unlock_irqrestore(&p->lock, flags);
	pipe_tell(p, true, tell);
	return (long)n;
}

/* A write through the ring's turn (see the top), in pieces as room
 * appears unless atomic: out of line, so a small write's frame stays
 * small. */
static __attribute__((noinline)) long pipe_write_ring(struct pipe *p, struct file *f, struct uio *u)
{
	bool atomic = u->len <= PIPE_ATOMIC_MAX;
	size_t done = 0;

	while (done < u->len) {
		size_t n = u->len - done, pos;
		uint64_t flags = spin_lock_irqsave(&p->lock);
		long err = pipe_wait(p, f, true, atomic ? n : 1);
		unsigned tell;

		if (err) {
			spin_unlock_irqrestore(&p->lock, flags);
			return done ? (long)done : err;
		}
		n = MIN(n, PIPE_SIZE - p->count);
		pos = (p->head + p->count) % PIPE_SIZE;
		p->writing = true;
		spin_unlock_irqrestore(&p->lock, flags);
		err = ring_copy(p, pos, u, done, n, false);
		flags = spin_lock_irqsave(&p->lock);
		tell = pipe_move_done(p, true, err ? 0 : n, true);
		spin_unlock_irqrestore(&p->lock, flags);
		pipe_tell(p, true, tell);
		if (err)
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

static long pipe_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;

	(void)c;
	(void)off;
	/* A bad small buffer takes the general path, so that -EPIPE and
	 * -EAGAIN still come before -EFAULT, as on Linux. */
	if (u->len && uio_word_ok(u, u->len)) {
		uint64_t v;

		if (!uio_word_in(u, u->len, &v))
			return pipe_write_word(p, f, u->len, v);
	}
	return pipe_write_ring(p, f, u);
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
		p->readers--;
	/* Wake both sides (readers see EOF, writers see EPIPE) before letting
	 * go: once lock is free the other end's close may free p. */
	waitq_wake_all(&p->can_write);
	waitq_wake_all(&p->can_read);
	pollq_wake(&p->pq, POLL_ALWAYS | POLLIN | POLLOUT);
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
	p->lock = (spinlock_t)SPINLOCK_INIT("pipe");
	pollq_init(&p->pq);
	p->readers = p->writers = 1;
	return 0;
}
