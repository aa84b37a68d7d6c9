/*
 * syscall/sys_poll.c: ppoll and pselect6. What is supported: waiting with
 * no descriptors (musl's pause() is ppoll(NULL, 0, NULL, NULL)) until the
 * timeout or until the process is killed (-EINTR); closed descriptors
 * (POLLNVAL, EBADF). Files have no readiness interface yet, so an open
 * descriptor is reported ready for the reading and writing it asks about:
 * the read or write that follows then blocks (or gives EAGAIN) as it would
 * without poll. The signal mask argument is in force for the call, as
 * rt_sigsuspend's (signal_mask_push): a signal it lets in that ends the
 * wait is delivered with it. The timeout is not written back.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/fdtable.h"
#include "kernel/timer.h"
#include "kernel/errno.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"

#define POLL_FD_MAX 256            /* RLIMIT_NOFILE: the descriptor table size */
#define POLL_READY (ABI_POLLIN | ABI_POLLOUT)
#define FDSET_BITS 64              /* bits in one fd_set word */

static bool fd_open(int fd)
{
	return fd_get_cloexec(current_proc()->fds, fd) >= 0;
}

/* The timeout: 0 with *ns = UINT64_MAX for none (wait for ever). */
static long get_timeout(uint64_t uts, uint64_t *ns)
{
	*ns = UINT64_MAX;
	return uts ? timespec_from_user(uts, ns) : 0;
}

/* Nothing is ready: wait out the timeout (0) or a signal (-EINTR). Unlike
 * nanosleep, ppoll and pselect6 report no time left. */
static long wait_nothing(uint64_t ns)
{
	uint64_t left;

	if (!ns)
		return 0;
	return sleep_for_ns(ns, &left);
}

/* The end of ppoll and pselect6 once the descriptors are checked: with
 * the caller's mask (if has_mask) in force, waits if none is ready;
 * returns ready, or what the wait gives. */
static long masked_wait(bool has_mask, uint64_t mask, long ready, uint64_t ns)
{
	struct thread *t = current_thread();
	long ret;

	if (has_mask)
		signal_mask_push(t, mask);
	ret = ready ? ready : wait_nothing(ns);
	if (has_mask)
		signal_mask_pop(t, ret);
	return ret;
}

SYSCALL(ppoll)
{
	uint64_t ufds = ARG(0), nfds = ARG(1), ns, mask = 0;
	struct abi_pollfd *fds;
	long err, ready = 0;

	if (ARG(3) && ARG(4) != ABI_SIGSET_SIZE)
		return -EINVAL;
	if (nfds > POLL_FD_MAX)
		return -EINVAL;
	err = get_timeout(ARG(2), &ns);
	if (!err && ARG(3) && copy_from_user(&mask, ARG(3), sizeof(mask)))
		err = -EFAULT;
	if (err)
		return err;
	if (!nfds)
		return masked_wait(ARG(3) != 0, mask, 0, ns);
	fds = kmalloc(nfds * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	err = copy_from_user(fds, ufds, nfds * sizeof(*fds)) ? -EFAULT : 0;
	for (uint64_t i = 0; !err && i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		if (!fd_open(fds[i].fd))
			fds[i].revents = ABI_POLLNVAL;
		else
			fds[i].revents = (int16_t)(fds[i].events & POLL_READY);
		ready += fds[i].revents != 0;
	}
	if (!err && copy_to_user(ufds, fds, nfds * sizeof(*fds)))
		err = -EFAULT;
	kfree(fds);
	if (err)
		return err;
	return masked_wait(ARG(3) != 0, mask, ready, ns);
}

/* One fd_set of pselect6: nwords words at uset (0: none). */
static long get_fdset(uint64_t uset, uint64_t *set, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++)
		set[i] = 0;
	return uset && copy_from_user(set, uset, nwords * sizeof(*set)) ? -EFAULT : 0;
}

SYSCALL(pselect6)
{
	int nfds = (int)ARG(0);
	uint64_t rd[ABI_FD_SETSIZE / FDSET_BITS], wr[ABI_FD_SETSIZE / FDSET_BITS];
	uint64_t ex[ABI_FD_SETSIZE / FDSET_BITS], ns, sig[2], mask = 0;
	size_t nwords;
	long err, ready = 0;
	bool has_mask;

	if (nfds < 0)
		return -EINVAL;
	nfds = MIN(nfds, POLL_FD_MAX); /* Linux caps nfds at the table size */
	nwords = ((size_t)nfds + FDSET_BITS - 1) / FDSET_BITS;
	err = get_timeout(ARG(4), &ns);
	if (!err && ARG(5) && copy_from_user(sig, ARG(5), sizeof(sig)))
		err = -EFAULT; /* { const sigset_t *mask; size_t size } */
	if (!err && ARG(5) && sig[0] && sig[1] != ABI_SIGSET_SIZE)
		err = -EINVAL;
	has_mask = !err && ARG(5) && sig[0];
	if (has_mask && copy_from_user(&mask, sig[0], sizeof(mask)))
		err = -EFAULT;
	if (!err)
		err = get_fdset(ARG(1), rd, nwords) ?: get_fdset(ARG(2), wr, nwords) ?:
		      get_fdset(ARG(3), ex, nwords);
	if (err)
		return err;
	for (int fd = 0; fd < nfds; fd++) {
		uint64_t bit = 1UL << (fd % FDSET_BITS);
		size_t w = (size_t)fd / FDSET_BITS;

		if (((rd[w] | wr[w] | ex[w]) & bit) && !fd_open(fd))
			return -EBADF;
		ready += !!(rd[w] & bit) + !!(wr[w] & bit);
		ex[w] &= ~bit; /* no exceptional conditions exist */
	}
	if ((err = masked_wait(has_mask, mask, ready, ns)) < 0)
		return err;
	if ((ARG(1) && copy_to_user(ARG(1), rd, nwords * sizeof(uint64_t))) ||
	    (ARG(2) && copy_to_user(ARG(2), wr, nwords * sizeof(uint64_t))) ||
	    (ARG(3) && copy_to_user(ARG(3), ex, nwords * sizeof(uint64_t))))
		return -EFAULT;
	return ready;
}
