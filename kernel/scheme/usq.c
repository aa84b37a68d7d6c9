/*
 * kernel/scheme/usq.c: a user scheme's pending FIFO and in-flight tag table (see
 * usq.h). Pure bookkeeping; the caller locks.
 */
#include "kernel/scheme/usq.h"

void usq_init(struct usq *q)
{
	*q = (struct usq){ .next_tag = 1 };
}

static struct usq_node **chain_of(const struct usq *q, uint64_t tag)
{
	return (struct usq_node **)&q->chains[tag & (USQ_BUCKETS - 1)];
}

uint64_t usq_push(struct usq *q, struct usq_node *n)
{
	n->tag = q->next_tag++;
	n->next = NULL;
	n->where = USQ_PENDING;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	q->pending++;
	return n->tag;
}

struct usq_node *usq_pop(struct usq *q, bool inflight)
{
	struct usq_node *n = q->head;

	if (!n)
		return NULL;
	q->head = n->next;
	if (!q->head)
		q->tail = NULL;
	q->pending--;
	n->next = NULL;
	n->where = USQ_NONE;
	if (inflight) {
		struct usq_node **c = chain_of(q, n->tag);

		n->next = *c;
		if (n->next)
			n->next->pprev = &n->next;
		n->pprev = c;
		*c = n;
		n->where = USQ_INFLIGHT;
		q->inflight++;
	}
	return n;
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

struct usq_node *usq_find(const struct usq *q, uint64_t tag)
{
	for (struct usq_node *n = *chain_of(q, tag); n; n = n->next)
		if (n->tag == tag)
			return n;
	return NULL;
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

bool usq_remove(struct usq *q, struct usq_node *n)
{
	bool found = false;

	if (n->where == USQ_PENDING && unlink_from(&q->head, n, &q->tail)) {
		q->pending--;
		found = true;
	} else if (n->where == USQ_INFLIGHT) {
		*n->pprev = n->next;
		if (n->next)
			n->next->pprev = n->pprev;
		n->next = NULL;
		q->inflight--;
		found = true;
	}
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
