/*
 * kernel/scheme/poll.h: readiness, the one wait-for-many mechanism under ppoll,
 * pselect6, epoll and the event: scheme.
 *
 * A readiness source (a pipe, the console, an event queue, a user scheme's
 * descriptor, an irq: descriptor, a timer) embeds a struct pollq and calls
 * pollq_wake whenever its state may have changed. A file's scheme reports
 * the current state through its poll operation:
 *
 *   unsigned my_poll(struct file *f, struct poll_table *pt)
 *   {
 *           poll_wait(pt, &src->pq);      // register first (pt may be NULL)
 *           return POLLIN-ish mask now;   // then read the state
 *   }
 *
 * Registering before reading means a change between the two is never lost:
 * it wakes the watcher, which looks again.
 *
 * Watchers: a struct poll_watch sits on one pollq's list and carries a
 * callback run by pollq_wake. Callbacks run under the pollq's lock, so once
 * pollq_remove has returned no callback for the watch is running on any
 * CPU and its memory may be freed. The owner of a watch holds a reference
 * to the watched file for as long as the watch is queued, so the source
 * (whose lifetime is the file's) outlives every watch on its pollq.
 *
 * Wiring a new source (a user scheme's descriptor readable when requests
 * are pending, an irq: descriptor readable when its interrupt fired):
 *   1. embed `struct pollq pq` in the object and pollq_init it (or
 *      POLLQ_INIT for a static one) before any file can reach it;
 *   2. give the scheme a .poll op as above (poll_wait(pt, &obj->pq), then
 *      the mask under the object's own lock);
 *   3. call pollq_wake(&obj->pq, POLLIN) (or POLLOUT/POLLHUP/POLLERR, or 0
 *      for "anything") after every change that may make the mask grow,
 *      next to the waitq_wake_all of the object's blocking readers; this
 *      is allowed in an interrupt handler and under the object's lock.
 *   The object must outlive its files (watchers hold a file reference, so
 *   freeing it in the scheme's close, after the last file, is right).
 *
 * Locks. pollq.lock is irqsave (pollq_wake may be called from interrupt
 * handlers). Order: a source's own locks → pollq.lock → an event queue's
 * lock (evq.c) → the pollq of that event queue → a poll_waiter's lock →
 * wait_lock. So pollq_wake may be called holding proc_lock, proc_sig.lock,
 * threads_lock or a source's lock, but never wait_lock or a lock a watch
 * callback takes (an event queue's or a poll_waiter's). Callbacks take only
 * those, never a source's lock.
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"
#include "sched/waitq.h"
#include "kernel/timer.h"

struct file;

/* Readiness bits, Linux's values (ABI_POLL* and ABI_EPOLL* agree). */
#define POLLIN 0x001u
#define POLLPRI 0x002u
#define POLLOUT 0x004u
#define POLLERR 0x008u
#define POLLHUP 0x010u
#define POLLNVAL 0x020u
/* Always reported whether asked for or not. */
#define POLL_ALWAYS (POLLERR | POLLHUP)

struct poll_watch;
typedef void (*poll_wake_fn)(struct poll_watch *w, unsigned events);

struct poll_watch {
	struct poll_watch *next;   /* guarded by the pollq's lock */
	struct pollq *q;           /* the pollq it is on; set by pollq_add */
	poll_wake_fn fn;           /* set by the owner before pollq_add */
	void *owner;               /* for fn */
};

struct pollq {
	spinlock_t lock;           /* guards the list of watches */
	struct poll_watch *head;
};

#define POLLQ_INIT(n) { .lock = SPINLOCK_INIT(n), .head = NULL }

void pollq_init(struct pollq *q);
/* Tells every watcher of q that the state changed; events are the bits
 * that may have become true (0: unknown, watchers look at everything). */
void pollq_wake(struct pollq *q, unsigned events);
void pollq_add(struct pollq *q, struct poll_watch *w);
/* Takes w off its pollq; afterwards its callback runs nowhere. */
void pollq_remove(struct poll_watch *w);

/* What a poll operation registers on: the caller's add puts a watch of its
 * own on q (it cannot fail: an out-of-memory add records the error in the
 * table and the caller reports it). */
struct poll_table {
	void (*add)(struct poll_table *pt, struct pollq *q);
};

static inline void poll_wait(struct poll_table *pt, struct pollq *q)
{
	if (pt)
		pt->add(pt, q);
}

/* The current readiness of f and, if pt, registers pt's watches on it.
 * A scheme without a poll operation is always ready for reading and
 * writing (as regular files are on Linux). kernel/scheme/file.c. */
unsigned file_poll(struct file *f, struct poll_table *pt);
/* Whether epoll takes f: its scheme has a poll operation and f is not a
 * regular file or directory (always ready; Linux refuses them too). */
bool file_can_poll(const struct file *f);

/* One sleeping thread waiting for any of its watches to fire (ppoll,
 * epoll_pwait, read of event:). Its watches' callbacks call
 * poll_waiter_wake. */
struct poll_waiter {
	spinlock_t lock;           /* guards woken; the condition lock of wq */
	bool woken;
	struct waitq wq;
};

void poll_waiter_init(struct poll_waiter *w);
/* A watch callback waking the poll_waiter that is the watch's owner. */
void poll_waiter_fn(struct poll_watch *w, unsigned events);
void poll_waiter_wake(struct poll_waiter *w);
/* Sleeps until woken since the last sleep, the counter deadline (0: none)
 * or a signal: 0, -ETIMEDOUT or -EINTR. Clears woken. */
int poll_waiter_sleep(struct poll_waiter *w, uint64_t deadline);

/* A counter deadline for a relative timeout in ns: UINT64_MAX (none) gives
 * 0 (wait for ever), as poll_waiter_sleep takes it. A deadline already
 * past makes the sleep end at once with -ETIMEDOUT. */
static inline uint64_t poll_deadline(uint64_t ns)
{
	uint64_t d;

	if (ns == UINT64_MAX)
		return 0;
	d = timer_deadline_after_ns(ns);
	return d == TIMER_NEVER ? 0 : d;
}

#endif
