/*
 * syscall/sys_epoll.c: epoll_create1, epoll_ctl, epoll_pwait and
 * epoll_pwait2. An epoll descriptor is an event: scheme file, its queue a
 * kernel/scheme/evq.c event queue (so the semantics, and what differs from Linux,
 * are described in kernel/scheme/evq.h). Errors are checked in Linux's order.
 */
#include "syscall/handlers.h"
#include "syscall/abi/abi_event.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/evq.h"
#include "kernel/scheme/poll.h"
#include "kernel/lib/errno.h"
#include "kernel/timer.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"

static struct fdtable *fds(void)
{
	return current_proc()->fds;
}

SYSCALL(epoll_create1)
{
	int flags = (int)ARG(0);
	struct file *f;
	long err;

	if (flags & ~ABI_EPOLL_CLOEXEC)
		return -EINVAL;
	err = evq_file_create(0, &f);
	if (err)
		return err;
	return fd_install(fds(), f, 0, flags & ABI_EPOLL_CLOEXEC);
}

SYSCALL(epoll_ctl)
{
	int op = (int)ARG(1), fd = (int)ARG(2);
	struct abi_epoll_event ev = { 0 };
	struct file *ef;
	long err;

	if (op != ABI_EPOLL_CTL_DEL && copy_from_user(&ev, ARG(3), sizeof(ev)))
		return -EFAULT;
	ef = fd_get(fds(), (int)ARG(0));
	if (!ef)
		return -EBADF;
	err = evq_ctl_fd(ef, op, fd, ev.events, ev.data);
	file_put(ef);
	return err;
}

/* The common wait: maxevents checked, deadline a counter value (0: for
 * ever), immediate when poll_now; the caller's mask (if has_mask) is in
 * force during it. */
static long epoll_wait_common(int epfd, uint64_t uevents, int maxevents, uint64_t deadline,
			      bool poll_now, bool has_mask, uint64_t mask)
{
	struct uio u = { .as = current_proc()->as, .addr = uevents };
	struct thread *t = current_thread();
	struct file *ef;
	long ret;

	if (maxevents <= 0 || maxevents > ABI_EPOLL_MAXEVENTS)
		return -EINVAL;
	u.len = (size_t)maxevents * sizeof(struct abi_epoll_event);
	if (!user_range_ok(uevents, u.len))
		return -EFAULT;
	ef = fd_get(fds(), epfd);
	if (!ef)
		return -EBADF;
	if (!file_evq(ef)) {
		file_put(ef);
		return -EINVAL;
	}
	if (has_mask)
		signal_mask_push(t, mask);
	ret = evq_wait(file_evq(ef), &u, maxevents, deadline, poll_now);
	if (ret == -EAGAIN)
		ret = 0; /* a zero timeout: nothing ready */
	if (has_mask)
		signal_mask_pop(t, ret);
	file_put(ef);
	return ret;
}

/* The signal mask argument: 0 and has_mask false if none. */
static long get_sigmask(uint64_t umask, uint64_t size, bool *has_mask, uint64_t *mask)
{
	*has_mask = umask != 0;
	if (!umask)
		return 0;
	if (size != ABI_SIGSET_SIZE)
		return -EINVAL;
	return copy_from_user(mask, umask, sizeof(*mask)) ? -EFAULT : 0;
}

SYSCALL(epoll_pwait)
{
	int timeout_ms = (int)ARG(3);
	uint64_t mask = 0, deadline = 0;
	bool has_mask;
	long err = get_sigmask(ARG(4), ARG(5), &has_mask, &mask);

	if (err)
		return err;
	if (timeout_ms > 0)
		deadline = poll_deadline((uint64_t)timeout_ms * NSEC_PER_MSEC);
	return epoll_wait_common((int)ARG(0), ARG(1), (int)ARG(2), deadline, timeout_ms == 0,
				 has_mask, mask);
}

SYSCALL(epoll_pwait2)
{
	uint64_t mask = 0, ns = UINT64_MAX;
	bool has_mask;
	long err = get_sigmask(ARG(4), ARG(5), &has_mask, &mask);

	if (!err && ARG(3))
		err = timespec_from_user(ARG(3), &ns);
	if (err)
		return err;
	return epoll_wait_common((int)ARG(0), ARG(1), (int)ARG(2), ns ? poll_deadline(ns) : 0,
				 ns == 0, has_mask, mask);
}
