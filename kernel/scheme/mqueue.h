/*
 * kernel/scheme/mqueue.h: POSIX message queues, served by the kernel scheme
 * mqueue: (kernel/scheme/scheme_mqueue.c: names, permissions, the memory
 * they pin; kernel/scheme/mqueue_msg.c: messages, blocking, notification).
 * A descriptor from mq_open is an ordinary file of that scheme: read gives
 * Linux's status line, poll its readiness, close and fork work as for any
 * file; syscall/sys_mqueue.c validates and copies user arguments and calls
 * the operations here.
 *
 * Lifetime: a queue lives while its name is linked or a file refers to it
 * (refs, under the registry lock); mq_unlink takes the name away, the last
 * close frees it and its messages and gives back the bytes it pinned.
 *
 * Locks: mq_registry_lock (scheme_mqueue.c) guards the registry and every
 * queue's name, linked and refs; each queue's lock guards its messages and
 * notification (the fields under it below). Order: registry lock, then a
 * queue's lock, then pollq.lock (pollq_wake) and wait_lock (waitq). A
 * signal is sent (proc_lock) only after the queue's lock is dropped.
 * A sender and a receiver on two CPUs meet under the queue's lock: each
 * checks and changes the count under it and sleeps with waitq_sleep, which
 * drops it only once the thread is queued, so no wake-up is lost.
 */
#ifndef KERNEL_MQUEUE_H
#define KERNEL_MQUEUE_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"
#include "kernel/scheme/poll.h"
#include "sched/waitq.h"
#include "syscall/abi/abi_mqueue.h"
#include "syscall/abi/abi_signal.h"

struct file;
struct caller;

/* One message: the list is sorted by priority, highest first, FIFO within. */
struct mq_msg {
	struct mq_msg *next;
	unsigned prio;
	size_t len;
	uint8_t data[];
};

struct mq_queue {
	/* Guarded by mq_registry_lock. */
	struct mq_queue *next;       /* every queue, linked or not (accounting) */
	char name[MQ_NAME_MAX + 1];
	bool linked;                 /* the name still finds it */
	uint32_t refs;               /* open files, and one while linked */
	/* Set at creation, then read-only. */
	uint32_t uid, gid, mode;     /* the creator's ids; permission bits */
	int64_t maxmsg, msgsize;
	uint64_t bytes;              /* charged to uid against MQ_BYTES_MAX */

	spinlock_t lock;
	/* Guarded by lock. */
	struct mq_msg *head;
	int64_t curmsgs;
	uint64_t qsize;              /* bytes of message text queued */
	int recv_waiting;            /* receivers asleep: a message goes to them,
				      * not to the notification (as Linux) */
	int notify_pid;              /* 0: nobody registered */
	const struct file *notify_file; /* the file registered through */
	int notify_kind;             /* ABI_SIGEV_SIGNAL or ABI_SIGEV_NONE */
	int notify_signo;
	uint64_t notify_value;
	struct waitq send_wq, recv_wq; /* senders on a full queue, receivers on
					* an empty one; conditions under lock */
	struct pollq pq;
};

/* The queue behind f, or NULL if f is not a message queue (-EBADF). */
struct mq_queue *mq_of_file(const struct file *f);

/* mq_open of name (no '/'; checked here as Linux's lookup does): opens or
 * creates (oflag's O_CREAT/O_EXCL, mode, attr or NULL for the defaults)
 * and gives a file with one reference. */
int mq_open_name(const char *name, int oflag, unsigned mode, const struct abi_mq_attr *attr,
		 const struct caller *c, struct file **out);
int mq_unlink_name(const char *name, const struct caller *c);

/* The operations on an open queue (kernel/scheme/mqueue_msg.c). deadline:
 * timer counter, 0 for none. Send takes msg (kmalloc'd, filled) and frees
 * it on failure; receive gives one the caller frees. */
int mq_send(struct mq_queue *q, struct file *f, struct mq_msg *msg, uint64_t deadline);
int mq_receive(struct mq_queue *q, struct file *f, uint64_t deadline, struct mq_msg **out);
/* ev NULL: unregister if the caller (pid) is the one registered. */
int mq_notify_set(struct mq_queue *q, const struct file *f, const struct abi_sigevent *ev, int pid);
void mq_getsetattr(struct mq_queue *q, struct file *f, const struct abi_mq_attr *set,
		   struct abi_mq_attr *old);
/* The last close of f: a registration made through f goes (Linux drops
 * it when the owner closes a descriptor of the queue). */
void mq_notify_drop(struct mq_queue *q, const struct file *f);
/* Frees every message (the queue is unreachable). */
void mq_free_messages(struct mq_queue *q);

#endif
