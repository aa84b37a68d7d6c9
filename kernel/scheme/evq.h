/*
 * kernel/scheme/evq.h: event queues, the object behind both epoll descriptors and
 * the event: scheme. A queue holds subscriptions (a file, its descriptor
 * number, the events asked for, level or edge triggered, one-shot) and a
 * ready list that the watched files' pollq wake-ups feed (kernel/scheme/poll.h).
 *
 * Semantics are Linux's epoll: POLLERR and POLLHUP are always watched; a
 * level-triggered subscription is reported by every wait while its file is
 * ready; an edge-triggered one once per wake-up of its file; a one-shot one
 * once, then disabled until modified. A subscription holds a reference to
 * its file, so closing the descriptor alone does not end it (unlike Linux,
 * which drops it when the file's last descriptor goes): delete it first.
 * Queues do not nest: a queue cannot watch a queue (-EINVAL).
 */
#ifndef KERNEL_EVQ_H
#define KERNEL_EVQ_H

#include "kernel/lib/types.h"

struct file;
struct uio;
struct evq;

/* A new empty queue, or NULL when out of memory. */
struct evq *evq_create(void);
void evq_destroy(struct evq *q);
/* op ABI_EPOLL_CTL_*: subscribes target (descriptor fd; the queue takes its
 * own reference) with events/data, changes or deletes its subscription.
 * -EEXIST, -ENOENT, -EINVAL (bad op or events), -ENOMEM. */
int evq_ctl(struct evq *q, int op, int fd, struct file *target, uint32_t events, uint64_t data);
/* Copies up to max ready events (struct abi_epoll_event) into u, waiting
 * until the counter deadline (0: for ever) unless nonblock. Returns the
 * count; 0 at the deadline; -EAGAIN (nonblock, none ready), -EINTR,
 * -EFAULT (nothing could be copied; the events stay queued). */
long evq_wait(struct evq *q, struct uio *u, int max, uint64_t deadline, bool nonblock);
/* POLLIN when an event may be ready, after registering pt on the queue. */
struct poll_table;
unsigned evq_poll(struct evq *q, struct poll_table *pt);

/* The event: scheme's files (kernel/scheme/scheme_event.c). */
/* A new event queue file (epoll_create1), flags ABI_O_* (O_NONBLOCK kept). */
int evq_file_create(int flags, struct file **out);
/* f's queue if f is an event queue, else NULL. */
struct evq *file_evq(struct file *f);
/* evq_ctl on queue file evf for the caller's descriptor fd: -EBADF (fd),
 * -EPERM (its file cannot poll), -EINVAL (evf is not a queue, fd is evf
 * itself or another queue), or evq_ctl's result. */
int evq_ctl_fd(struct file *evf, int op, int fd, uint32_t events, uint64_t data);

#endif
