/*
 * sched/waitq.h: wait queues. A thread sleeps on one until another wakes
 * it. To sleep on a condition guarded by a lock, hold the lock and call
 * waitq_sleep: it releases the lock only once the thread is on the queue,
 * so a wake-up between the check and the sleep cannot be lost.
 */
#ifndef SCHED_WAITQ_H
#define SCHED_WAITQ_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"

struct thread;

struct waitq {
	struct thread *head; /* guarded by wait_lock (sched/runqueue.h) */
};

#define WAITQ_INIT { .head = NULL }

/* Sleeps until woken or, if deadline != 0, until the counter reaches it.
 * lk (held, irqsave'd by the caller) is released while asleep and retaken.
 * Returns 0 when woken, -ETIMEDOUT at the deadline, -EINTR if a signal is pending for the thread (signal_pending_for). */
int waitq_sleep(struct waitq *wq, spinlock_t *lk, uint64_t deadline);
void waitq_wake_all(struct waitq *wq);

/* The direct hand-off (user-scheme IPC, kernel/scheme/uscheme.c): the CPU goes
 * straight to the thread at the other end, without a trip through the run
 * queue's pick. waitq_sleep_handoff sleeps as waitq_sleep does, and gives
 * the CPU to the first thread waiting on handoff (if any; NULL: none).
 * With killable_only only the thread's death (not any signal) ends the
 * sleep early. waitq_wake_handoff wakes every waiter of wq and switches to
 * the first at once (the caller stays runnable). lk, the condition's lock,
 * is held (IRQs masked) on entry and released on return, IRQs still masked:
 * the caller restores them (irq_restore). */
int waitq_sleep_handoff(struct waitq *wq, spinlock_t *lk, uint64_t deadline,
			struct waitq *handoff, bool killable_only);
void waitq_wake_handoff(struct waitq *wq, spinlock_t *lk);

#endif
