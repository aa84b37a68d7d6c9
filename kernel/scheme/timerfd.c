/*
 * kernel/scheme/timerfd.c: timer descriptors (see timerfd.h). The expiry runs in
 * interrupt context (a timer_event): it counts the expirations, re-arms a
 * periodic timer and wakes readers and pollers. A read takes the whole
 * count (waiting for one unless O_NONBLOCK). Like POSIX timers here, an
 * absolute CLOCK_REALTIME time is turned into a counter deadline when set:
 * a later change of the wall clock does not move it.
 *
 * Locks: set_mutex serializes settime and close (they cancel the event,
 * which may wait for a running expiry); lock (irqsave: the expiry takes it)
 * guards expiry, interval and ticks and is the readers' wait condition
 * lock; the expiry wakes pq after letting lock go.
 */
#include "kernel/scheme/timerfd.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/poll.h"
#include "kernel/timer.h"
#include "kernel/clock.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "sched/mutex.h"
#include "sched/waitq.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_signal.h"

/* A periodic timer re-arms at most this often, so that a tiny interval
 * cannot flood the CPU with timer interrupts (as posix_timer.c). */
#define REARM_FLOOR_NS (100 * NSEC_PER_USEC)

struct timerfd {
	int clock;                /* set at creation */
	struct mutex set_mutex;
	spinlock_t lock;
	uint64_t expiry;          /* counter deadline; 0: disarmed */
	uint64_t interval;        /* counter units; 0: one-shot */
	uint64_t interval_ns;
	uint64_t ticks;           /* expirations not read yet */
	struct timer_event ev;
	struct waitq readers;     /* guarded by wait_lock; condition: lock */
	struct pollq pq;
};

extern const struct scheme timerfd_scheme;

static void expired(struct timer_event *ev)
{
	struct timerfd *t = ev->arg;
	uint64_t flags = spin_lock_irqsave(&t->lock), now = timer_now();
	bool woke = false;

	if (t->expiry && t->expiry <= now) {
		uint64_t n = 1;

		if (t->interval) {
			n += (now - t->expiry) / t->interval;
			t->expiry += n * t->interval;
			if (t->expiry < now + timer_ns_to_count(REARM_FLOOR_NS))
				t->expiry = now + timer_ns_to_count(REARM_FLOOR_NS);
			t->ev.deadline = t->expiry;
			timer_add(&t->ev);
		} else {
			t->expiry = 0;
		}
		t->ticks += n;
		woke = true;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	if (woke) {
		waitq_wake_all(&t->readers);
		pollq_wake(&t->pq, POLLIN);
	}
}

static struct abi_timespec ts_of(uint64_t ns)
{
	return (struct abi_timespec){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
}

static void get_locked(struct timerfd *t, struct abi_itimerspec *cur)
{
	uint64_t now = timer_now(), left = 0;

	if (t->expiry == TIMER_NEVER)
		left = UINT64_MAX;
	else if (t->expiry)
		left = t->expiry > now ? timer_count_to_ns(t->expiry - now) : 1;
	cur->it_value = ts_of(left);
	cur->it_interval = ts_of(t->interval_ns);
}

static struct timerfd *file_timerfd(struct file *f)
{
	return f->scheme == &timerfd_scheme ? f->priv : NULL;
}

int timerfd_get(struct file *f, struct abi_itimerspec *cur)
{
	struct timerfd *t = file_timerfd(f);
	uint64_t flags;

	if (!t)
		return -EINVAL;
	flags = spin_lock_irqsave(&t->lock);
	get_locked(t, cur);
	spin_unlock_irqrestore(&t->lock, flags);
	return 0;
}

/* Disarms t: afterwards its expiry runs nowhere. set_mutex held. */
static void disarm(struct timerfd *t)
{
	uint64_t flags = spin_lock_irqsave(&t->lock);

	t->expiry = 0; /* a running expiry sees it and does not re-arm */
	spin_unlock_irqrestore(&t->lock, flags);
	timer_cancel(&t->ev);
}

int timerfd_set(struct file *f, bool abs, uint64_t value_ns, uint64_t interval_ns,
		struct abi_itimerspec *old)
{
	struct timerfd *t = file_timerfd(f);
	uint64_t flags, now_ns = 0;
	long err;

	if (!t)
		return -EINVAL;
	if ((err = mutex_lock(&t->set_mutex)))
		return (int)err;
	flags = spin_lock_irqsave(&t->lock);
	get_locked(t, old);
	spin_unlock_irqrestore(&t->lock, flags);
	disarm(t);
	if (abs && value_ns) {
		clock_read_ns(t->clock, &now_ns);
		value_ns = value_ns > now_ns ? value_ns - now_ns : 1; /* past: fires now */
	}
	flags = spin_lock_irqsave(&t->lock);
	t->ticks = 0;
	t->interval_ns = value_ns ? interval_ns : 0;
	t->interval = t->interval_ns ? MAX(timer_ns_to_count(t->interval_ns), 1) : 0;
	t->expiry = value_ns ? timer_deadline_after_ns(value_ns) : 0;
	if (t->expiry && t->expiry != TIMER_NEVER) {
		t->ev.deadline = t->expiry;
		timer_add(&t->ev);
	}
	spin_unlock_irqrestore(&t->lock, flags);
	mutex_unlock(&t->set_mutex);
	return 0;
}

static long timerfd_read(struct file *f, struct uio *u, uint64_t off,
			const struct caller *c)
{
	struct timerfd *t = f->priv;
	uint64_t flags, n;
	int err = 0;

	(void)c;
	(void)off;
	if (u->len < sizeof(n))
		return -EINVAL;
	flags = spin_lock_irqsave(&t->lock);
	while (!t->ticks && !err)
		err = (file_flags(f) & ABI_O_NONBLOCK) ? -EAGAIN : waitq_sleep(&t->readers, &t->lock, 0);
	n = err ? 0 : t->ticks;
	t->ticks = 0;
	spin_unlock_irqrestore(&t->lock, flags);
	if (err)
		return err;
	if (uio_copy_out(u, 0, &n, sizeof(n))) {
		flags = spin_lock_irqsave(&t->lock);
		t->ticks += n; /* nothing is lost to a bad buffer */
		spin_unlock_irqrestore(&t->lock, flags);
		return -EFAULT;
	}
	return sizeof(n);
}

static unsigned timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd *t = f->priv;
	uint64_t flags;
	bool ready;

	poll_wait(pt, &t->pq);
	flags = spin_lock_irqsave(&t->lock);
	ready = t->ticks != 0;
	spin_unlock_irqrestore(&t->lock, flags);
	return ready ? POLLIN : 0;
}

static void timerfd_close(struct file *f)
{
	struct timerfd *t = f->priv;

	disarm(t);
	kfree(t);
}

static const struct scheme_ops timerfd_ops = {
	.read = timerfd_read, .poll = timerfd_poll, .close = timerfd_close,
};
/* Not registered in any namespace: its files come from timerfd_create. */
const struct scheme timerfd_scheme = { .name = "timerfd", .ops = &timerfd_ops };

int timerfd_file_create(int clock, int flags, struct file **out)
{
	struct timerfd *t;
	struct file *f;

	if (clock != ABI_CLOCK_REALTIME && clock != ABI_CLOCK_MONOTONIC)
		return -EINVAL;
	t = kzalloc(sizeof(*t));
	f = t ? file_alloc(&timerfd_scheme, ABI_O_RDONLY | (flags & ABI_O_NONBLOCK)) : NULL;
	if (!f) {
		kfree(t);
		return -ENOMEM;
	}
	t->clock = clock;
	mutex_init(&t->set_mutex, "timerfd");
	t->lock = (spinlock_t)SPINLOCK_INIT("timerfd");
	t->readers = (struct waitq)WAITQ_INIT;
	pollq_init(&t->pq);
	t->ev.fn = expired;
	t->ev.arg = t;
	f->priv = t;
	f->type = 0; /* Linux: an anonymous inode, no file type in st_mode */
	*out = f;
	return 0;
}
