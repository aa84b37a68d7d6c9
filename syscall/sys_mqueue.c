/*
 * syscall/sys_mqueue.c: POSIX message queue system calls (mq_open,
 * mq_unlink, mq_timedsend, mq_timedreceive, mq_notify, mq_getsetattr):
 * every user argument is checked and copied here, in Linux 6.1's order
 * (ipc/mqueue.c), before the queue (kernel/scheme/mqueue.h) changes.
 * The name arrives without its leading '/' (the C library strips it).
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/futex.h"
#include "kernel/scheme/mqueue.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"
#include "mm/heap.h"
#include "syscall/abi/abi.h"

/* The largest signal number sigev_signo may name (valid_signal: _NSIG). */
#define MQ_SIGNO_MAX 64

/* getname: the name copied, an empty one names nothing. */
static long get_name(uint64_t uname, char name[MQ_NAME_MAX + 2])
{
	long n = strncpy_from_user(name, uname, MQ_NAME_MAX + 2);

	if (n == 0)
		return -ENOENT;
	return n < 0 ? n : 0;
}

/* The descriptor's file and queue; -EBADF if it is not a queue. */
static long get_queue(int fd, struct file **f, struct mq_queue **q)
{
	*f = fd_get(current_proc()->fds, fd);
	if (!*f)
		return -EBADF;
	*q = mq_of_file(*f);
	if (!*q) {
		file_put(*f);
		return -EBADF;
	}
	return 0;
}

/* The arguments a send or receive checks first, in Linux's order: the
 * absolute CLOCK_REALTIME timeout (NULL: none) as a counter deadline
 * (EFAULT/EINVAL, prepare_timeout), a send's priority, then the queue. */
static long timed_queue(uint64_t uts, bool bad_prio, int fd, uint64_t *deadline, struct file **f,
			struct mq_queue **q)
{
	long err = futex_deadline(uts, true, true, deadline);

	if (err)
		return err;
	if (bad_prio)
		return -EINVAL;
	return get_queue(fd, f, q);
}

/* The message to send, copied in before the queue is touched (load_msg). */
static long load_msg(uint64_t uptr, size_t len, unsigned prio, struct mq_msg **out)
{
	struct mq_msg *msg = kmalloc(sizeof(*msg) + len);

	if (!msg)
		return -ENOMEM;
	if (copy_from_user(msg->data, uptr, len)) {
		kfree(msg);
		return -EFAULT;
	}
	msg->len = len;
	msg->prio = prio;
	*out = msg;
	return 0;
}

SYSCALL(mq_open)
{
	struct abi_mq_attr attr;
	char name[MQ_NAME_MAX + 2];
	struct caller c;
	struct file *f;
	long err;

	if (ARG(3) && copy_from_user(&attr, ARG(3), sizeof(attr)))
		return -EFAULT;
	err = get_name(ARG(0), name);
	if (err)
		return err;
	caller_current(&c);
	/* A new queue's mode loses the umask's bits, as a new file's does. */
	err = mq_open_name(name, (int)ARG(1), (unsigned)ARG(2) & ~current_proc()->umask,
			   ARG(3) ? &attr : NULL, &c, &f);
	if (err)
		return err;
	/* Linux's mq_open descriptors are always close-on-exec. */
	return fd_install(current_proc()->fds, f, 0, true);
}

SYSCALL(mq_unlink)
{
	char name[MQ_NAME_MAX + 2];
	struct caller c;
	long err = get_name(ARG(0), name);

	if (err)
		return err;
	caller_current(&c);
	return mq_unlink_name(name, &c);
}

SYSCALL(mq_timedsend)
{
	uint64_t deadline, len = ARG(2);
	struct mq_queue *q;
	struct mq_msg *msg;
	struct file *f;
	long err = timed_queue(ARG(4), ARG(3) >= ABI_MQ_PRIO_MAX, (int)ARG(0), &deadline, &f, &q);

	if (err)
		return err;
	if (!file_writable(f))
		err = -EBADF;
	else if (len > (uint64_t)q->msgsize)
		err = -EMSGSIZE;
	else
		err = load_msg(ARG(1), len, (unsigned)ARG(3), &msg);
	if (!err)
		err = mq_send(q, f, msg, deadline);
	file_put(f);
	return err;
}

SYSCALL(mq_timedreceive)
{
	uint64_t deadline, uprio = ARG(3);
	struct mq_queue *q;
	struct mq_msg *msg;
	struct file *f;
	long err = timed_queue(ARG(4), false, (int)ARG(0), &deadline, &f, &q);

	if (err)
		return err;
	if (!file_readable(f))
		err = -EBADF;
	else if (ARG(2) < (uint64_t)q->msgsize)
		err = -EMSGSIZE;
	else
		err = mq_receive(q, f, deadline, &msg);
	file_put(f);
	if (err)
		return err;
	/* As Linux: the message is taken even if the copy out fails. */
	err = (long)msg->len;
	if ((uprio && copy_to_user(uprio, &msg->prio, sizeof(msg->prio))) ||
	    copy_to_user(ARG(1), msg->data, msg->len))
		err = -EFAULT;
	kfree(msg);
	return err;
}

/* SIGEV_THREAD asks for a netlink socket's descriptor in sigev_signo
 * (musl's mq_notify opens one first, and fails there): the cookie must be
 * readable, then the descriptor open; Anode has no netlink sockets. */
static long thread_notify(const struct abi_sigevent *ev)
{
	uint8_t cookie[MQ_NOTIFY_COOKIE_LEN];
	struct file *sock;

	if (copy_from_user(cookie, ev->sigev_value, sizeof(cookie)))
		return -EFAULT;
	sock = fd_get(current_proc()->fds, ev->sigev_signo);
	if (!sock)
		return -EBADF;
	file_put(sock);
	return -ENOTSOCK;
}

SYSCALL(mq_notify)
{
	struct abi_sigevent ev;
	struct mq_queue *q;
	struct file *f;
	long err;

	if (ARG(1)) {
		if (copy_from_user(&ev, ARG(1), sizeof(ev)))
			return -EFAULT;
		if (ev.sigev_notify != ABI_SIGEV_NONE && ev.sigev_notify != ABI_SIGEV_SIGNAL &&
		    ev.sigev_notify != ABI_SIGEV_THREAD)
			return -EINVAL;
		if (ev.sigev_notify == ABI_SIGEV_SIGNAL &&
		    (ev.sigev_signo < 0 || ev.sigev_signo > MQ_SIGNO_MAX))
			return -EINVAL;
		if (ev.sigev_notify == ABI_SIGEV_THREAD)
			return thread_notify(&ev);
	}
	err = get_queue((int)ARG(0), &f, &q);
	if (err)
		return err;
	err = mq_notify_set(q, f, ARG(1) ? &ev : NULL, current_proc()->pid);
	file_put(f);
	return err;
}

SYSCALL(mq_getsetattr)
{
	struct abi_mq_attr set, old;
	struct mq_queue *q;
	struct file *f;
	long err;

	if (ARG(1) && copy_from_user(&set, ARG(1), sizeof(set)))
		return -EFAULT;
	if (ARG(1) && (set.mq_flags & ~(int64_t)ABI_O_NONBLOCK))
		return -EINVAL;
	err = get_queue((int)ARG(0), &f, &q);
	if (err)
		return err;
	mq_getsetattr(q, f, ARG(1) ? &set : NULL, ARG(2) ? &old : NULL);
	file_put(f);
	if (ARG(2) && copy_to_user(ARG(2), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
