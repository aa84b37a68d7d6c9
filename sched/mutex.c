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

	m->locked = false;
	spin_unlock_irqrestore(&m->lock, flags);
	waitq_wake_all(&m->waiters);
}
