/*
 * kernel/scheme/scheme_event.c: the event: scheme, event queues as files (the
 * ABI is in syscall/abi/abi_event.h; the queue itself is kernel/scheme/evq.c). An
 * epoll descriptor is one of these files too (syscall/sys_epoll.c), so
 * epoll_ctl and a write of subscriptions are one path (evq_ctl_fd).
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/evq.h"
#include "kernel/scheme/poll.h"
#include "kernel/proc.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_event.h"

extern const struct scheme event_scheme;

struct evq *file_evq(struct file *f)
{
	return f->scheme == &event_scheme ? f->priv : NULL;
}

int evq_ctl_fd(struct file *evf, int op, int fd, uint32_t events, uint64_t data)
{
	struct file *target = fd_get(current_proc()->fds, fd);
	int err = 0;

	if (!target)
		return -EBADF;
	/* Linux refuses files that cannot poll (regular files) with EPERM. */
	if (!file_can_poll(target))
		err = -EPERM;
	else if (target == evf || !file_evq(evf) || file_evq(target))
		err = -EINVAL; /* itself, not a queue, or nesting */
	else
		err = evq_ctl(file_evq(evf), op, fd, target, events, data);
	file_put(target);
	return err;
}

static int event_open(const struct scheme *s, const char *path, int flags, struct file *f,
			const struct caller *c)
{
	int err = scheme_open_device(s, path, flags, f, c); /* only the root */

	if (err)
		return err;
	f->priv = evq_create();
	return f->priv ? 0 : -ENOMEM;
}

int evq_file_create(int flags, struct file **out)
{
	struct file *f = file_alloc(&event_scheme, ABI_O_RDWR | (flags & ABI_O_NONBLOCK));

	if (!f)
		return -ENOMEM;
	if (event_open(&event_scheme, "", flags, f, NULL)) {
		file_discard(f);
		return -ENOMEM;
	}
	*out = f;
	return 0;
}

static long event_read(struct file *f, struct uio *u, uint64_t off,
			const struct caller *c)
{
	size_t max = u->len / sizeof(struct abi_epoll_event);
	long n;

	(void)c;
	(void)off;
	if (!max)
		return -EINVAL;
	if (max > ABI_EPOLL_MAXEVENTS)
		max = ABI_EPOLL_MAXEVENTS;
	n = evq_wait(f->priv, u, (int)max, 0, file_flags(f) & ABI_O_NONBLOCK);
	return n > 0 ? n * (long)sizeof(struct abi_epoll_event) : n;
}

/* Applies whole records in order; stops at the first that fails. */
static long event_write(struct file *f, struct uio *u, uint64_t off,
			const struct caller *c)
{
	size_t done = 0;

	(void)c;
	(void)off;
	if (u->len % sizeof(struct abi_event_sub))
		return -EINVAL;
	while (done < u->len) {
		struct abi_event_sub sub;
		int err;

		if (uio_copy_in(u, done, &sub, sizeof(sub)))
			return done ? (long)done : -EFAULT;
		err = sub.__pad ? -EINVAL : evq_ctl_fd(f, sub.op, sub.fd, sub.events, sub.data);
		if (err)
			return done ? (long)done : err;
		done += sizeof(sub);
	}
	return (long)done;
}

static unsigned event_poll(struct file *f, struct poll_table *pt)
{
	return evq_poll(f->priv, pt);
}

static void event_close(struct file *f)
{
	evq_destroy(f->priv);
}

static const struct scheme_ops event_ops = {
	.open = event_open, .read = event_read, .write = event_write, .poll = event_poll,
	.close = event_close,
};
const struct scheme event_scheme = { .name = "event", .ops = &event_ops };
