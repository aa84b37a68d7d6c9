/*
 * sched/mutex.c: sleeping mutexes (see mutex.h). The wait is waitq_sleep's,
 * so a release between a waiter's check and its sleep is never lost.
 * mutex_unlock wakes every waiter and they race for the mutex again: simple,
 * and fine for the short, rarely contended holds it serves (a file's offset,
 * a pipe's buffer).
 */
#include "sched/mutex.h"

void mutex_init(struct mutex *m, const char *name)
{
	*m = (struct mutex)MUTEX_INIT(name);
}

int mutex_lock(struct mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&m->lock);

	while (m->locked) {
		int err = waitq_sleep(&m->waiters, &m->lock, 0);

		if (err) {
			spin_unlock_irqrestore(&m->lock, flags);
			return err;
		}
	}
	m->locked = true;
	spin_unlock_irqrestore(&m->lock, flags);
	return 0;
}

void mutex_unlock(struct mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&m->lock);
	/* Every thread that found m taken queued itself before it let go of
	 * m->lock (waitq_sleep), so with m->lock held an empty queue means no
	 * waiter: the common uncontended unlock skips wait_lock. (A waiter
	 * leaving on a signal may leave a stale head: a needless wake.) */
	bool waiters = __atomic_load_n(&m->waiters.head, __ATOMIC_RELAXED) != NULL;

	m->locked = false;
	spin_unlock_irqrestore(&m->lock, flags);
	if (waiters)
		waitq_wake_all(&m->waiters);
}
