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
	/* Bit p set exactly when head[p] is not NULL, so that a switch finds
	 * the best list with one count of trailing zeros instead of testing
	 * each empty level before it. Guarded by lock. */
	uint32_t nonempty;
	/* "runqueue": these lists, and what sched/runqueue.h lists. */
	spinlock_t lock;
	/* The priority its CPU runs at (THREAD_PRIORITIES: idle). Written by
	 * that CPU's switch under lock; read atomically by wake-ups elsewhere
	 * choosing a CPU to preempt. */
	int curr_prio;
};

_Static_assert(THREAD_PRIORITIES <= 32, "struct runqueue's nonempty has a bit per priority");

/* Makes t ready at the tail of its priority's list. (Inline, with rq_pop,
 * quantum_start and wake_preempts: every switch or wake-up runs them.) */
static inline void rq_push(struct runqueue *rq, struct thread *t)
{
	t->next = NULL;
	if (rq->tail[t->prio])
		rq->tail[t->prio]->next = t;
	else
		rq->head[t->prio] = t;
	rq->tail[t->prio] = t;
	rq->nonempty |= 1u << t->prio;
	t->state = THREAD_READY;
}

/* Takes ready t off rq; false if it is not on it. */
bool rq_remove(struct runqueue *rq, struct thread *t);
/* Takes the first thread of the highest non-empty priority; NULL if none. */
static inline struct thread *rq_pop(struct runqueue *rq)
{
	struct thread *t;
	int p;

	if (!rq->nonempty)
		return NULL;
	p = __builtin_ctz(rq->nonempty);
	t = rq->head[p];
	rq->head[p] = t->next;
	if (!rq->head[p]) {
		rq->tail[p] = NULL;
		rq->nonempty &= ~(1u << p);
	}
	t->next = NULL;
	return t;
}

/* rq_push(rq, t) then rq_pop(rq): a running thread's turn ends. In one
 * step when t's level is the best and holds one thread, which t replaces
 * there (a yield or a quantum's end between two threads). */
static inline struct thread *rq_push_pop(struct runqueue *rq, struct thread *t)
{
	struct thread *h = rq->head[t->prio];

	if (h && !h->next && (int)__builtin_ctz(rq->nonempty) == t->prio) {
		rq->head[t->prio] = rq->tail[t->prio] = t;
		t->next = NULL;
		t->state = THREAD_READY;
		return h; /* its next is NULL already */
	}
	rq_push(rq, t);
	return rq_pop(rq);
}

bool rq_empty(const struct runqueue *rq);
/* The highest priority (lowest number) on rq; THREAD_PRIORITIES if empty. */
int rq_best_prio(const struct runqueue *rq);

/* Charges a tick to running t; true once its quantum is used up. */
bool quantum_tick(struct thread *t);
/* t is picked to run: a fresh quantum if it used up its last one (a thread
 * that slept early keeps the rest, so sleeping does not buy extra time). */
static inline void quantum_start(struct thread *t)
{
	if (t->slice <= 0)
		t->slice = THREAD_SLICE_TICKS;
}
/* Whether waking t should take the CPU from cur: always from the idle
 * thread, otherwise only for a strictly higher priority. */
static inline bool wake_preempts(const struct thread *t, const struct thread *cur,
				 const struct thread *idle)
{
	return cur == idle || t->prio < cur->prio;
}

/* t starts waiting on wq. Inline, as waitq_pop: every sleep and wake-up
 * runs them. */
static inline void waitq_add(struct waitq *wq, struct thread *t)
{
	t->next = wq->head;
	wq->head = t;
	t->waiting_on = wq;
}

/* Takes t off the wait queue it waits on, if any. */
void waitq_remove(struct thread *t);

/* Takes a thread off wq; NULL if it is empty. */
static inline struct thread *waitq_pop(struct waitq *wq)
{
	struct thread *t = wq->head;

	if (t) {
		wq->head = t->next;
		t->next = NULL;
		t->waiting_on = NULL;
	}
	return t;
}

#endif
