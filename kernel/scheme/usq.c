/*
 * kernel/scheme/usq.c: a user scheme's pending FIFO and in-flight tag table (see
 * usq.h). Pure bookkeeping; the caller locks. The four every round trip
 * calls (push, pop, find, remove from flight) are inline in usq.h.
 */
#include "kernel/scheme/usq.h"

void usq_init(struct usq *q)
{
	*q = (struct usq){ .next_tag = 1 };
}

void usq_unpop(struct usq *q, struct usq_node *n)
{
	usq_remove(q, n);
	n->next = q->head;
	n->where = USQ_PENDING;
	q->head = n;
	if (!q->tail)
		q->tail = n;
	q->pending++;
}

/* Unlinks n from the pending FIFO at *pp, keeping *tail right. */
static bool unlink_from(struct usq_node **pp, struct usq_node *n, struct usq_node **tail)
{
	struct usq_node *prev = NULL;

	for (; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp != n)
			continue;
		*pp = n->next;
		if (*tail == n)
			*tail = prev;
		n->next = NULL;
		return true;
	}
	return false;
}

bool usq_remove_pending(struct usq *q, struct usq_node *n)
{
	bool found = n->where == USQ_PENDING && unlink_from(&q->head, n, &q->tail);

	if (found)
		q->pending--;
	n->where = USQ_NONE;
	return found;
}

struct usq_node *usq_take_any(struct usq *q)
{
	struct usq_node *n = usq_pop(q, false);

	if (n)
		return n;
	for (int i = 0; i < USQ_BUCKETS; i++) {
		n = q->chains[i];
		if (n) {
			usq_remove(q, n);
			return n;
		}
	}
	return NULL;
}
