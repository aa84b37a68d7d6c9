/*
 * sched/policy.h: the scheduling policy as plain functions on threads and
 * queues: run queues (strict priorities, round robin inside each), the
 * quantum, wake-up preemption and wait-queue membership. No locks and no
 * CPU state, so the host unit tests run them (tests/host/test_sched.c).
 * The rest of sched/ calls them with the locks sched/runqueue.h names: a
 * run queue's own lock for rq_* and the quantum, wait_lock for waitq_*.
 */
#ifndef SCHED_POLICY_H
#define SCHED_POLICY_H

#include "sched/thread.h"
#include "sched/waitq.h"
#include "kernel/lib/spinlock.h"

/* One list per priority; 0 is the highest. One per CPU (sched/runqueue.h). */
struct runqueue {
	/* Guarded by lock; read without it only as a hint (rq_hint_best). */
	struct thread *head[THREAD_PRIORITIES], *tail[THREAD_PRIORITIES];
	/* "runqueue": these lists, and what sched/runqueue.h lists. */
	spinlock_t lock;
	/* The priority its CPU runs at (THREAD_PRIORITIES: idle). Written by
	 * that CPU's switch under lock; read atomically by wake-ups elsewhere
	 * choosing a CPU to preempt. */
	int curr_prio;
};

/* Makes t ready at the tail of its priority's list. */
void rq_push(struct runqueue *rq, struct thread *t);
/* Takes ready t off rq; false if it is not on it. */
bool rq_remove(struct runqueue *rq, struct thread *t);
/* Takes the first thread of the highest non-empty priority; NULL if none. */
struct thread *rq_pop(struct runqueue *rq);
bool rq_empty(const struct runqueue *rq);
/* The highest priority (lowest number) on rq; THREAD_PRIORITIES if empty. */
int rq_best_prio(const struct runqueue *rq);

/* Charges a tick to running t; true once its quantum is used up. */
bool quantum_tick(struct thread *t);
/* t is picked to run: a fresh quantum if it used up its last one (a thread
 * that slept early keeps the rest, so sleeping does not buy extra time). */
void quantum_start(struct thread *t);
/* Whether waking t should take the CPU from cur: always from the idle
 * thread, otherwise only for a strictly higher priority. */
bool wake_preempts(const struct thread *t, const struct thread *cur, const struct thread *idle);

/* t starts waiting on wq. */
void waitq_add(struct waitq *wq, struct thread *t);
/* Takes t off the wait queue it waits on, if any. */
void waitq_remove(struct thread *t);
/* Takes a thread off wq; NULL if it is empty. */
struct thread *waitq_pop(struct waitq *wq);

#endif
