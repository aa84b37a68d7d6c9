/*
 * sched/mutex.h: sleeping mutexes, for holding exclusion across work that
 * may sleep (copies to and from user memory, a scheme's operation), where a
 * spinlock must not be held. Built on a wait queue: a thread that finds the
 * mutex taken sleeps until the holder lets go. Not recursive; only the
 * holder may unlock. Never taken from interrupt handlers.
 */
#ifndef SCHED_MUTEX_H
#define SCHED_MUTEX_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"
#include "sched/waitq.h"

struct mutex {
	spinlock_t lock;      /* guards locked; the wait queue's condition lock */
	bool locked;
	struct waitq waiters; /* threads waiting for locked to clear */
};

#define MUTEX_INIT(n) { .lock = SPINLOCK_INIT(n), .locked = false, .waiters = WAITQ_INIT }

void mutex_init(struct mutex *m, const char *name);
/* Takes m, sleeping while another thread holds it: 0, or -EINTR (without
 * m) if the process is killed while it waits. */
int mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

#endif
