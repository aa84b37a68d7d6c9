/*
 * kernel/scheme/evq.c: event queues (see evq.h), epoll's bookkeeping.
 *
 * Locks. mtx (sleeping) serializes the queue's users: subscribing,
 * collecting events and destroying; it guards the list of subscriptions and
 * each subscription's watches and file. lock (a spinlock, irqsave: the
 * watch callbacks run where their source wakes, interrupts included) guards
 * the ready list and each item's events, queued and ready links; it sits
 * below the watched pollqs' locks and above the queue's own pollq (poll.h).
 * Collecting polls each file without lock (a file's poll takes its own
 * locks, which come before ours), holding only mtx.
 */
#include "kernel/scheme/evq.h"
#include "kernel/scheme/poll.h"
#include "kernel/scheme/file.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "sched/mutex.h"
#include "syscall/abi/abi_event.h"

/* pollqs one file may register on (a pipe uses one; a source watched in two
 * directions two). More makes the subscription fail with -ENOMEM. */
#define EVQ_WATCH_MAX 2
/* Events that may be asked for; the rest of the bits are flags. */
#define EVQ_EVENT_BITS (ABI_EPOLLIN | ABI_EPOLLPRI | ABI_EPOLLOUT | ABI_EPOLLERR | \
			ABI_EPOLLHUP | ABI_EPOLLRDHUP)
#define EVQ_FLAG_BITS (ABI_EPOLLET | ABI_EPOLLONESHOT | ABI_EPOLLEXCLUSIVE | ABI_EPOLLWAKEUP)

struct evitem {
	struct evq *q;
	struct file *file;            /* a reference while subscribed */
	int fd;
	uint64_t data;                /* guarded by lock */
	uint32_t events;              /* guarded by lock; 0 event bits: disabled */
	bool queued;                  /* on the ready list; guarded by lock */
	struct evitem *rnext;         /* ready list; guarded by lock */
	struct evitem *next;          /* all items; guarded by mtx */
	int nwatch;                   /* guarded by mtx */
	bool watch_overflow;
	struct poll_watch watch[EVQ_WATCH_MAX];
};

struct evq {
	struct mutex mtx;
	struct evitem *items;         /* guarded by mtx */
	spinlock_t lock;
	struct evitem *rhead, *rtail; /* ready list, FIFO; guarded by lock */
	int rcount;                   /* guarded by lock */
	struct pollq pq;              /* waiters for this queue's events */
};

struct evq *evq_create(void)
{
	struct evq *q = kzalloc(sizeof(*q));

	if (!q)
		return NULL;
	mutex_init(&q->mtx, "evq");
	q->lock = (spinlock_t)SPINLOCK_INIT("evq");
	pollq_init(&q->pq);
	return q;
}

/* Appends it to the ready list unless it is there; lock held. */
static bool ready_append(struct evq *q, struct evitem *it)
{
	if (it->queued)
		return false;
	it->queued = true;
	it->rnext = NULL;
	if (q->rtail)
		q->rtail->rnext = it;
	else
		q->rhead = it;
	q->rtail = it;
	q->rcount++;
	return true;
}

static struct evitem *ready_pop(struct evq *q)
{
	struct evitem *it = q->rhead;

	if (!it)
		return NULL;
	q->rhead = it->rnext;
	if (!q->rhead)
		q->rtail = NULL;
	it->queued = false;
	q->rcount--;
	return it;
}

/* Takes it off the ready list wherever it is; lock held. */
static void ready_unlink(struct evq *q, struct evitem *it)
{
	struct evitem *prev = NULL;

	if (!it->queued)
		return;
	for (struct evitem *c = q->rhead; c; prev = c, c = c->rnext) {
		if (c != it)
			continue;
		if (prev)
			prev->rnext = c->rnext;
		else
			q->rhead = c->rnext;
		if (q->rtail == c)
			q->rtail = prev;
		break;
	}
	it->queued = false;
	q->rcount--;
}

/* Queues it if mask (0: unknown) touches what it asks for, and wakes the
 * queue's waiters. Called under the watched pollq's lock or mtx. */
static void item_ready(struct evitem *it, unsigned mask)
{
	struct evq *q = it->q;
	uint64_t flags = spin_lock_irqsave(&q->lock);
	uint32_t want = it->events & EVQ_EVENT_BITS;
	bool woke = want && (!mask || (mask & want)) && ready_append(q, it);

	spin_unlock_irqrestore(&q->lock, flags);
	if (woke)
		pollq_wake(&q->pq, POLLIN);
}

static void item_wake(struct poll_watch *w, unsigned events)
{
	item_ready(w->owner, events);
}

struct item_table {
	struct poll_table pt;
	struct evitem *it;
};

static void item_add_watch(struct poll_table *pt, struct pollq *pq)
{
	struct evitem *it = ((struct item_table *)pt)->it;
	struct poll_watch *w;

	if (it->nwatch == EVQ_WATCH_MAX) {
		it->watch_overflow = true;
		return;
	}
	w = &it->watch[it->nwatch++];
	w->fn = item_wake;
	w->owner = it;
	pollq_add(pq, w);
}

static struct evitem *item_find(struct evq *q, int fd, struct file *f)
{
	for (struct evitem *it = q->items; it; it = it->next)
		if (it->fd == fd && it->file == f)
			return it;
	return NULL;
}

/* Unsubscribes it: no callback runs for it afterwards. mtx held. */
static void item_free(struct evq *q, struct evitem *it)
{
	uint64_t flags;

	for (int i = 0; i < it->nwatch; i++)
		pollq_remove(&it->watch[i]);
	flags = spin_lock_irqsave(&q->lock);
	ready_unlink(q, it);
	spin_unlock_irqrestore(&q->lock, flags);
	file_put(it->file);
	kfree(it);
}

static void item_unlink(struct evq *q, struct evitem *it)
{
	for (struct evitem **p = &q->items; *p; p = &(*p)->next)
		if (*p == it) {
			*p = it->next;
			return;
		}
}

static int item_add(struct evq *q, int fd, struct file *f, uint32_t events, uint64_t data)
{
	struct evitem *it = kzalloc(sizeof(*it));
	struct item_table t = { .pt.add = item_add_watch, .it = NULL };
	unsigned mask;

	if (!it)
		return -ENOMEM;
	file_get(f);
	*it = (struct evitem){ .q = q, .file = f, .fd = fd, .data = data,
			       .events = events | POLL_ALWAYS };
	t.it = it;
	/* Registered before the state is read: a change in between wakes. */
	mask = file_poll(f, &t.pt);
	if (it->watch_overflow) {
		item_free(q, it);
		return -ENOMEM;
	}
	it->next = q->items;
	q->items = it;
	if (mask & it->events)
		item_ready(it, mask);
	return 0;
}

static void item_modify(struct evitem *it, uint32_t events, uint64_t data)
{
	struct evq *q = it->q;
	uint64_t flags = spin_lock_irqsave(&q->lock);
	unsigned mask;

	it->events = events | POLL_ALWAYS;
	it->data = data;
	spin_unlock_irqrestore(&q->lock, flags);
	mask = file_poll(it->file, NULL);
	if (mask & it->events)
		item_ready(it, mask);
}

int evq_ctl(struct evq *q, int op, int fd, struct file *target, uint32_t events, uint64_t data)
{
	struct evitem *it;
	long err;

	if (op != ABI_EPOLL_CTL_ADD && op != ABI_EPOLL_CTL_MOD && op != ABI_EPOLL_CTL_DEL)
		return -EINVAL;
	/* Linux: EPOLLEXCLUSIVE only with ADD (it is a hint here). */
	if (op == ABI_EPOLL_CTL_MOD && (events & ABI_EPOLLEXCLUSIVE))
		return -EINVAL;
	events &= EVQ_EVENT_BITS | EVQ_FLAG_BITS;
	err = mutex_lock(&q->mtx);
	if (err)
		return (int)err;
	it = item_find(q, fd, target);
	if (op == ABI_EPOLL_CTL_ADD)
		err = it ? -EEXIST : item_add(q, fd, target, events, data);
	else if (!it)
		err = -ENOENT;
	else if (op == ABI_EPOLL_CTL_MOD)
		item_modify(it, events, data);
	else {
		item_unlink(q, it);
		item_free(q, it);
	}
	mutex_unlock(&q->mtx);
	return (int)err;
}

/* One harvested event into u at index got: 0 or -EFAULT. */
static int put_event(struct uio *u, int got, uint32_t mask, uint64_t data)
{
	struct abi_epoll_event ev = { .events = mask, .data = data };

	return uio_copy_out(u, (size_t)got * sizeof(ev), &ev, sizeof(ev));
}

/* Reports what is ready now: each queued item is polled again (it may have
 * stopped being ready) and, if still ready, copied out; level-triggered
 * ones go back on the list for the next wait. Only the items queued at the
 * start are looked at, so nothing is reported twice in one call. */
static long evq_collect(struct evq *q, struct uio *u, int max)
{
	struct evitem *again = NULL;
	uint64_t flags;
	int got = 0, n;
	long err = mutex_lock(&q->mtx);

	if (err)
		return err;
	flags = spin_lock_irqsave(&q->lock);
	n = q->rcount;
	spin_unlock_irqrestore(&q->lock, flags);
	while (n-- > 0 && got < max) {
		struct evitem *it;
		uint32_t want;
		uint64_t udata;
		unsigned mask;

		flags = spin_lock_irqsave(&q->lock);
		it = ready_pop(q);
		want = it ? it->events : 0;
		udata = it ? it->data : 0;
		spin_unlock_irqrestore(&q->lock, flags);
		if (!it)
			break;
		mask = file_poll(it->file, NULL) & want & EVQ_EVENT_BITS;
		if (!mask)
			continue;
		if (put_event(u, got, mask, udata)) {
			err = -EFAULT;
			flags = spin_lock_irqsave(&q->lock);
			ready_append(q, it);
			spin_unlock_irqrestore(&q->lock, flags);
			break;
		}
		got++;
		flags = spin_lock_irqsave(&q->lock);
		if (want & ABI_EPOLLONESHOT)
			it->events &= EVQ_FLAG_BITS;
		else if (!(want & ABI_EPOLLET) && !it->queued) {
			/* Kept aside, not appended now: it must not come round
			 * again in this call. */
			it->queued = true;
			it->rnext = again;
			again = it;
		}
		spin_unlock_irqrestore(&q->lock, flags);
	}
	flags = spin_lock_irqsave(&q->lock);
	while (again) {
		struct evitem *it = again;

		again = it->rnext;
		it->queued = false;
		ready_append(q, it);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	mutex_unlock(&q->mtx);
	return got ? got : err;
}

long evq_wait(struct evq *q, struct uio *u, int max, uint64_t deadline, bool nonblock)
{
	struct poll_waiter w;
	struct poll_watch watch = { .fn = poll_waiter_fn, .owner = &w };
	long n;

	poll_waiter_init(&w);
	pollq_add(&q->pq, &watch);
	for (;;) {
		int err;

		n = evq_collect(q, u, max);
		if (n || nonblock) {
			n = n ? n : -EAGAIN;
			break;
		}
		err = poll_waiter_sleep(&w, deadline);
		if (err) {
			n = err == -ETIMEDOUT ? 0 : err;
			break;
		}
	}
	pollq_remove(&watch);
	return n;
}

unsigned evq_poll(struct evq *q, struct poll_table *pt)
{
	uint64_t flags;
	bool ready;

	poll_wait(pt, &q->pq);
	flags = spin_lock_irqsave(&q->lock);
	ready = q->rhead != NULL;
	spin_unlock_irqrestore(&q->lock, flags);
	return ready ? POLLIN : 0;
}

/* The last reference is gone: nobody waits on q or subscribes. */
void evq_destroy(struct evq *q)
{
	while (q->items) {
		struct evitem *it = q->items;

		q->items = it->next;
		item_free(q, it);
	}
	kfree(q);
}
