/*
 * sched/policy.c: run queues, the quantum and wait-queue lists (see
 * policy.h). Callers hold the queue's lock, or wait_lock for wait queues
 * (sched/runqueue.h).
 */
#include "sched/policy.h"

bool rq_remove(struct runqueue *rq, struct thread *t)
{
	struct thread *prev = NULL;

	for (struct thread *c = rq->head[t->prio]; c; prev = c, c = c->next) {
		if (c != t)
			continue;
		if (prev)
			prev->next = t->next;
		else
			rq->head[t->prio] = t->next;
		if (rq->tail[t->prio] == t)
			rq->tail[t->prio] = prev;
		if (!rq->head[t->prio])
			rq->nonempty &= ~(1u << t->prio);
		t->next = NULL;
		return true;
	}
	return false;
}

int rq_best_prio(const struct runqueue *rq)
{
	return rq->nonempty ? __builtin_ctz(rq->nonempty) : THREAD_PRIORITIES;
}

bool rq_empty(const struct runqueue *rq)
{
	return !rq->nonempty;
}

bool quantum_tick(struct thread *t)
{
	return --t->slice <= 0;
}

void waitq_remove(struct thread *t)
{
	if (!t->waiting_on)
		return;
	for (struct thread **p = &t->waiting_on->head; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	t->next = NULL;
	t->waiting_on = NULL;
}
