/*
 * kernel/scheme/usq.h: the request bookkeeping of one user scheme: a FIFO of
 * requests waiting for the daemon to read them, and the set of requests the
 * daemon has read but not answered, keyed by tag. Pure code (no locks, no
 * allocation, no hardware) so the host tests run it; kernel/scheme/uscheme.c holds
 * the scheme's lock around every call. Nodes live in their owners (on a
 * blocked caller's kernel stack, or in a client file for its close).
 */
#ifndef KERNEL_USQ_H
#define KERNEL_USQ_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define USQ_BUCKETS 64 /* in-flight hash chains; a power of two */

enum usq_where { USQ_NONE, USQ_PENDING, USQ_INFLIGHT };

struct usq_node {
	struct usq_node *next; /* pending FIFO or in-flight chain link */
	/* In flight: the link that points at this node (its chain's head or
	 * the previous node's next), so a reply unlinks it without a walk. */
	struct usq_node **pprev;
	uint64_t tag;          /* assigned by usq_push */
	enum usq_where where;
};

struct usq {
	struct usq_node *head, *tail; /* pending, oldest first */
	size_t pending, inflight;
	struct usq_node *chains[USQ_BUCKETS];
	uint64_t next_tag;            /* 64 bits: never wraps, so never reused */
};

void usq_init(struct usq *q);

/* Every round trip pushes, pops, finds and removes one node: these four
 * are inline (a call and its frame cost as much as their bodies). */
static inline struct usq_node **usq_chain_of(const struct usq *q, uint64_t tag)
{
	return (struct usq_node **)&q->chains[tag & (USQ_BUCKETS - 1)];
}

/* Gives n a fresh tag and queues it for the daemon; returns the tag. */
static inline uint64_t usq_push(struct usq *q, struct usq_node *n)
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

/* Takes the oldest pending node (NULL if none); with inflight it becomes
 * in flight (the daemon owes a reply), else it is out of the queue. */
static inline struct usq_node *usq_pop(struct usq *q, bool inflight)
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
		struct usq_node **c = usq_chain_of(q, n->tag);

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
/* Puts n (in flight, or out of the queue) back at the head of the pending
 * FIFO with its tag: for requests the daemon could not take after all. */
void usq_unpop(struct usq *q, struct usq_node *n);
/* The in-flight node with tag, or NULL. */
static inline struct usq_node *usq_find(const struct usq *q, uint64_t tag)
{
	for (struct usq_node *n = *usq_chain_of(q, tag); n; n = n->next)
		if (n->tag == tag)
			return n;
	return NULL;
}
/* usq_remove of a node not in flight (usq.c). */
bool usq_remove_pending(struct usq *q, struct usq_node *n);

/* Unlinks n from wherever it is (pending or in flight; in flight, the
 * common case of a reply, without a walk); false if nowhere. */
static inline bool usq_remove(struct usq *q, struct usq_node *n)
{
	if (n->where != USQ_INFLIGHT)
		return usq_remove_pending(q, n);
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	n->next = NULL;
	n->where = USQ_NONE;
	q->inflight--;
	return true;
}
/* Unlinks and returns any one node, pending first (NULL when empty): for
 * failing everything when the daemon dies. */
struct usq_node *usq_take_any(struct usq *q);

#endif
