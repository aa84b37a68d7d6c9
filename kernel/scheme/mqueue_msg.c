/*
 * kernel/scheme/mqueue_msg.c: the messages of a POSIX message queue: send
 * and receive (priority order, blocking until an absolute deadline, EAGAIN
 * for O_NONBLOCK, EINTR for a signal), the mq_notify registration and its
 * signal, and mq_getsetattr. Linux's ipc/mqueue.c is the reference; the
 * locks are described in kernel/scheme/mqueue.h.
 */
#include "kernel/scheme/mqueue.h"
#include "kernel/scheme/file.h"
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "syscall/abi/abi.h"
#include <string.h>

/* A notification taken off the queue under its lock, sent after. */
struct mq_notice {
	int pid, signo;
	struct abi_siginfo info;
};

static void notify_clear_locked(struct mq_queue *q)
{
	q->notify_pid = 0;
	q->notify_file = NULL;
}

/* The queue went from empty to one message and nobody is waiting to
 * receive: the registration fires once and goes (__do_notify). Lock held. */
static void notify_take_locked(struct mq_queue *q, struct mq_notice *n)
{
	struct proc *self = current_proc();

	if (!q->notify_pid || q->curmsgs != 1 || q->recv_waiting)
		return;
	/* SIGEV_NONE, or SIGEV_SIGNAL with signal 0 (accepted, as Linux
	 * does), only unregister. */
	if (q->notify_kind == ABI_SIGEV_SIGNAL && q->notify_signo) {
		n->pid = q->notify_pid;
		n->signo = q->notify_signo;
		n->info = (struct abi_siginfo){ .si_signo = q->notify_signo, .si_code = ABI_SI_MESGQ,
						.kill = { .pid = self->pid, .uid = self->cred.uid,
							  .value = q->notify_value } };
	}
	notify_clear_locked(q);
}

static long send_notice(struct proc *p, void *arg)
{
	struct mq_notice *n = arg;

	return signal_send_proc(p, n->signo, &n->info);
}

/* The wait for room or a message: 0 to look again, or why not to. */
static int wait_locked(struct mq_queue *q, struct file *f, struct waitq *wq, uint64_t deadline)
{
	if (file_flags(f) & ABI_O_NONBLOCK)
		return -EAGAIN;
	if (deadline && deadline <= timer_now())
		return -ETIMEDOUT;
	return waitq_sleep(wq, &q->lock, deadline);
}

int mq_send(struct mq_queue *q, struct file *f, struct mq_msg *msg, uint64_t deadline)
{
	struct mq_notice n = { 0 };
	struct mq_msg **pp;
	uint64_t irq = spin_lock_irqsave(&q->lock);
	int err = 0;

	while (q->curmsgs >= q->maxmsg && !err)
		err = wait_locked(q, f, &q->send_wq, deadline);
	if (err) {
		spin_unlock_irqrestore(&q->lock, irq);
		kfree(msg);
		return err;
	}
	/* After every message of its priority or higher: FIFO within one. */
	for (pp = &q->head; *pp && (*pp)->prio >= msg->prio; pp = &(*pp)->next)
		;
	msg->next = *pp;
	*pp = msg;
	q->curmsgs++;
	q->qsize += msg->len;
	notify_take_locked(q, &n);
	waitq_wake_all(&q->recv_wq);
	pollq_wake(&q->pq, POLLIN);
	spin_unlock_irqrestore(&q->lock, irq);
	if (n.pid)
		proc_with_pid(n.pid, send_notice, &n); /* gone meanwhile: nobody to tell */
	return 0;
}

int mq_receive(struct mq_queue *q, struct file *f, uint64_t deadline, struct mq_msg **out)
{
	uint64_t irq = spin_lock_irqsave(&q->lock);
	struct mq_msg *msg;
	int err = 0;

	while (!q->curmsgs && !err) {
		q->recv_waiting++;
		err = wait_locked(q, f, &q->recv_wq, deadline);
		q->recv_waiting--;
	}
	if (err) {
		spin_unlock_irqrestore(&q->lock, irq);
		return err;
	}
	msg = q->head;
	q->head = msg->next;
	q->curmsgs--;
	q->qsize -= msg->len;
	waitq_wake_all(&q->send_wq);
	pollq_wake(&q->pq, POLLOUT);
	spin_unlock_irqrestore(&q->lock, irq);
	*out = msg;
	return 0;
}

static long proc_exists(struct proc *p, void *arg)
{
	(void)p;
	(void)arg;
	return 0;
}

/* A registration whose process has exited without closing the queue's
 * last file (a child still holds it) frees the slot, as Linux's exit
 * flushing the owner's descriptors does. The check runs outside the
 * queue's lock (proc_lock comes before it). */
static void notify_reap(struct mq_queue *q, int pid)
{
	uint64_t irq = spin_lock_irqsave(&q->lock);
	int owner = q->notify_pid;

	spin_unlock_irqrestore(&q->lock, irq);
	if (!owner || owner == pid || proc_with_pid(owner, proc_exists, NULL) != -ESRCH)
		return;
	irq = spin_lock_irqsave(&q->lock);
	if (q->notify_pid == owner)
		notify_clear_locked(q);
	spin_unlock_irqrestore(&q->lock, irq);
}

int mq_notify_set(struct mq_queue *q, const struct file *f, const struct abi_sigevent *ev, int pid)
{
	uint64_t irq;
	int err = 0;

	notify_reap(q, pid);
	irq = spin_lock_irqsave(&q->lock);
	if (!ev) {
		if (q->notify_pid == pid)
			notify_clear_locked(q);
	} else if (q->notify_pid) {
		err = -EBUSY;
	} else {
		q->notify_pid = pid;
		q->notify_file = f;
		q->notify_kind = ev->sigev_notify;
		q->notify_signo = ev->sigev_notify == ABI_SIGEV_SIGNAL ? ev->sigev_signo : 0;
		q->notify_value = ev->sigev_value;
	}
	spin_unlock_irqrestore(&q->lock, irq);
	return err;
}

void mq_notify_drop(struct mq_queue *q, const struct file *f)
{
	uint64_t irq = spin_lock_irqsave(&q->lock);

	if (q->notify_pid && q->notify_file == f)
		notify_clear_locked(q);
	spin_unlock_irqrestore(&q->lock, irq);
}

void mq_getsetattr(struct mq_queue *q, struct file *f, const struct abi_mq_attr *set,
		   struct abi_mq_attr *old)
{
	uint64_t irq = spin_lock_irqsave(&q->lock);

	if (old)
		*old = (struct abi_mq_attr){ .mq_flags = file_flags(f) & ABI_O_NONBLOCK,
					     .mq_maxmsg = q->maxmsg, .mq_msgsize = q->msgsize,
					     .mq_curmsgs = q->curmsgs };
	if (set)
		file_set_flags(f, ABI_O_NONBLOCK, (int)(set->mq_flags & ABI_O_NONBLOCK));
	spin_unlock_irqrestore(&q->lock, irq);
}

void mq_free_messages(struct mq_queue *q)
{
	while (q->head) {
		struct mq_msg *m = q->head;

		q->head = m->next;
		kfree(m);
	}
}
