/*
 * kernel/scheme/poll.c: readiness queues and poll waiters (see poll.h for the
 * model and the lock order).
 */
#include "kernel/scheme/poll.h"
#include "kernel/lib/errno.h"

void pollq_init(struct pollq *q)
{
	*q = (struct pollq)POLLQ_INIT("pollq");
}

void pollq_wake(struct pollq *q, unsigned events)
{
	uint64_t flags = spin_lock_irqsave(&q->lock);

	/* Under the lock, so pollq_remove waits for a running callback. A
	 * callback never removes its own watch. */
	for (struct poll_watch *w = q->head; w; w = w->next)
		w->fn(w, events);
	spin_unlock_irqrestore(&q->lock, flags);
}

void pollq_add(struct pollq *q, struct poll_watch *w)
{
	uint64_t flags = spin_lock_irqsave(&q->lock);

	w->q = q;
	w->next = q->head;
	q->head = w;
	spin_unlock_irqrestore(&q->lock, flags);
}

void pollq_remove(struct poll_watch *w)
{
	struct pollq *q = w->q;
	uint64_t flags;

	if (!q)
		return;
	flags = spin_lock_irqsave(&q->lock);
	for (struct poll_watch **p = &q->head; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	spin_unlock_irqrestore(&q->lock, flags);
	w->q = NULL;
}

void poll_waiter_init(struct poll_waiter *w)
{
	w->lock = (spinlock_t)SPINLOCK_INIT("poll waiter");
	w->woken = false;
	w->wq = (struct waitq)WAITQ_INIT;
}

void poll_waiter_wake(struct poll_waiter *w)
{
	uint64_t flags = spin_lock_irqsave(&w->lock);

	w->woken = true;
	waitq_wake_all(&w->wq);
	spin_unlock_irqrestore(&w->lock, flags);
}

int poll_waiter_sleep(struct poll_waiter *w, uint64_t deadline)
{
	uint64_t flags = spin_lock_irqsave(&w->lock);
	int err = 0;

	/* A wake since the last sleep (between registering and here) is
	 * kept in woken, so the caller never sleeps through it. */
	while (!w->woken && !err)
		err = waitq_sleep(&w->wq, &w->lock, deadline);
	if (w->woken)
		err = 0;
	w->woken = false;
	spin_unlock_irqrestore(&w->lock, flags);
	return err;
}

void poll_waiter_fn(struct poll_watch *w, unsigned events)
{
	(void)events;
	poll_waiter_wake(w->owner);
}
