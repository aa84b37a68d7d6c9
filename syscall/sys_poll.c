/*
 * syscall/sys_poll.c: ppoll and pselect6 on the readiness mechanism
 * (kernel/scheme/poll.h). Each descriptor's file is polled with a table that puts
 * a watch of this call's poll_waiter on every pollq the file names; if
 * nothing is ready the thread sleeps until a watch fires, the timeout or a
 * signal (-EINTR), and polls again. The files are held (a reference each)
 * for the whole call, so a descriptor closed meanwhile changes nothing
 * here. A closed descriptor is POLLNVAL for ppoll and EBADF for pselect6.
 * A file whose scheme has no poll operation is always ready (file_poll).
 * The signal mask argument is in force for the call, as rt_sigsuspend's
 * (signal_mask_push): a signal it lets in that ends the wait is delivered
 * with it. The timeout is not written back.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/poll.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"

#define POLL_FD_MAX 256            /* RLIMIT_NOFILE: the descriptor table size */
#define FDSET_BITS 64              /* bits in one fd_set word */
/* select's classes in poll bits (Linux's POLLIN_SET and friends). */
#define SELECT_IN (POLLIN | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLERR)
#define SELECT_EX POLLPRI

/* One watch of the waiter, allocated as the files name their pollqs. */
struct set_watch {
	struct poll_watch w;
	struct set_watch *next;
};

struct poll_set {
	struct poll_table pt;     /* first: the table is the set */
	struct poll_waiter waiter;
	struct set_watch *watches;
	bool nomem;
};

static void set_add(struct poll_table *pt, struct pollq *q)
{
	struct poll_set *s = (struct poll_set *)pt;
	struct set_watch *sw = kmalloc(sizeof(*sw));

	if (!sw) {
		s->nomem = true;
		return;
	}
	sw->w = (struct poll_watch){ .fn = poll_waiter_fn, .owner = &s->waiter };
	sw->next = s->watches;
	s->watches = sw;
	pollq_add(q, &sw->w);
}

/* Polls every file once (registering if pt); fills revents with what is
 * ready of events and always; the count of entries with any. */
static long scan(struct abi_pollfd *fds, struct file **files, uint64_t n, struct poll_table *pt,
		 unsigned always)
{
	long ready = 0;

	for (uint64_t i = 0; i < n; i++) {
		unsigned want = (uint16_t)fds[i].events | always;

		if (fds[i].fd < 0)
			fds[i].revents = 0;
		else if (!files[i])
			fds[i].revents = POLLNVAL;
		else
			fds[i].revents = (int16_t)(file_poll(files[i], pt) & want);
		ready += fds[i].revents != 0;
	}
	return ready;
}

/* The wait: until an entry is ready, the timeout (ns, UINT64_MAX: none)
 * or a signal. Returns the ready count, 0 at the timeout, or -errno. */
static long wait_ready(struct abi_pollfd *fds, struct file **files, uint64_t n, uint64_t ns,
		       unsigned always)
{
	struct poll_set s = { .pt.add = set_add };
	uint64_t deadline = poll_deadline(ns);
	long ready;

	poll_waiter_init(&s.waiter);
	/* Only a call that may wait registers. */
	ready = scan(fds, files, n, ns ? &s.pt : NULL, always);
	while (!ready && ns && !s.nomem) {
		int err = poll_waiter_sleep(&s.waiter, deadline);

		if (err == -EINTR) {
			ready = err;
			break;
		}
		ready = scan(fds, files, n, NULL, always);
		if (err == -ETIMEDOUT)
			break;
	}
	if (!ready && s.nomem)
		ready = -ENOMEM;
	while (s.watches) {
		struct set_watch *sw = s.watches;

		s.watches = sw->next;
		pollq_remove(&sw->w);
		kfree(sw);
	}
	return ready;
}

/* Polls n entries with the caller's descriptors (always: bits reported
 * even if not asked for); what wait_ready gives. */
static long poll_fds(struct abi_pollfd *fds, uint64_t n, uint64_t ns, unsigned always)
{
	struct file **files = kzalloc(MAX(n, 1) * sizeof(*files));
	long ret;

	if (!files)
		return -ENOMEM;
	for (uint64_t i = 0; i < n; i++)
		if (fds[i].fd >= 0)
			files[i] = fd_get(current_proc()->fds, fds[i].fd);
	ret = wait_ready(fds, files, n, ns, always);
	for (uint64_t i = 0; i < n; i++)
		if (files[i])
			file_put(files[i]);
	kfree(files);
	return ret;
}

/* The timeout: 0 with *ns = UINT64_MAX for none (wait for ever). */
static long get_timeout(uint64_t uts, uint64_t *ns)
{
	*ns = UINT64_MAX;
	return uts ? timespec_from_user(uts, ns) : 0;
}

/* poll_fds with the caller's mask (if has_mask) in force. */
static long masked_poll(bool has_mask, uint64_t mask, struct abi_pollfd *fds, uint64_t n,
			uint64_t ns, unsigned always)
{
	struct thread *t = current_thread();
	long ret;

	if (has_mask)
		signal_mask_push(t, mask);
	ret = poll_fds(fds, n, ns, always);
	if (has_mask)
		signal_mask_pop(t, ret);
	return ret;
}

SYSCALL(ppoll)
{
	uint64_t ufds = ARG(0), nfds = ARG(1), ns, mask = 0;
	struct abi_pollfd *fds;
	long err;

	if (ARG(3) && ARG(4) != ABI_SIGSET_SIZE)
		return -EINVAL;
	if (nfds > POLL_FD_MAX)
		return -EINVAL;
	err = get_timeout(ARG(2), &ns);
	if (!err && ARG(3) && copy_from_user(&mask, ARG(3), sizeof(mask)))
		err = -EFAULT;
	if (err)
		return err;
	fds = kmalloc(MAX(nfds, 1) * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	err = copy_from_user(fds, ufds, nfds * sizeof(*fds)) ? -EFAULT : 0;
	if (!err)
		err = masked_poll(ARG(3) != 0, mask, fds, nfds, ns, POLL_ALWAYS);
	if (err >= 0 && copy_to_user(ufds, fds, nfds * sizeof(*fds)))
		err = -EFAULT;
	kfree(fds);
	return err;
}

/* One fd_set of pselect6: nwords words at uset (0: none). */
static long get_fdset(uint64_t uset, uint64_t *set, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++)
		set[i] = 0;
	return uset && copy_from_user(set, uset, nwords * sizeof(*set)) ? -EFAULT : 0;
}

/* The entries for the descriptors in the sets (n of them), each asking
 * for the bits of its classes, so that only those end the wait (a HUP
 * alone does not make a descriptor writable); -EBADF for a closed one. */
static long sets_to_fds(int nfds, const uint64_t *rd, const uint64_t *wr, const uint64_t *ex,
			struct abi_pollfd *fds, uint64_t *n)
{
	*n = 0;
	for (int fd = 0; fd < nfds; fd++) {
		uint64_t bit = 1UL << (fd % FDSET_BITS);
		size_t w = (size_t)fd / FDSET_BITS;
		unsigned ev = (rd[w] & bit ? SELECT_IN : 0) | (wr[w] & bit ? SELECT_OUT : 0) |
			      (ex[w] & bit ? SELECT_EX : 0);

		if (!ev)
			continue;
		if (fd_get_cloexec(current_proc()->fds, fd) < 0)
			return -EBADF;
		fds[(*n)++] = (struct abi_pollfd){ .fd = fd, .events = (int16_t)ev };
	}
	return 0;
}

/* Writes the results back into the sets (which still hold what was
 * asked); the count of bits set. */
static long fds_to_sets(const struct abi_pollfd *fds, uint64_t n, uint64_t *rd, uint64_t *wr,
			uint64_t *ex)
{
	long ready = 0;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t bit = 1UL << (fds[i].fd % FDSET_BITS);
		size_t w = (size_t)fds[i].fd / FDSET_BITS;
		unsigned re = (uint16_t)fds[i].revents;
		bool in = (rd[w] & bit) && (re & SELECT_IN), out = (wr[w] & bit) && (re & SELECT_OUT),
		     exc = (ex[w] & bit) && (re & SELECT_EX);

		rd[w] = in ? rd[w] | bit : rd[w] & ~bit;
		wr[w] = out ? wr[w] | bit : wr[w] & ~bit;
		ex[w] = exc ? ex[w] | bit : ex[w] & ~bit;
		ready += in + out + exc;
	}
	return ready;
}

SYSCALL(pselect6)
{
	int nfds = (int)ARG(0);
	uint64_t rd[ABI_FD_SETSIZE / FDSET_BITS], wr[ABI_FD_SETSIZE / FDSET_BITS];
	uint64_t ex[ABI_FD_SETSIZE / FDSET_BITS], ns, sig[2], mask = 0, n;
	struct abi_pollfd *fds;
	size_t nwords;
	long err;
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
	fds = kmalloc(MAX(nfds, 1) * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	err = sets_to_fds(nfds, rd, wr, ex, fds, &n);
	if (!err)
		err = masked_poll(has_mask, mask, fds, n, ns, 0);
	if (err >= 0)
		err = fds_to_sets(fds, n, rd, wr, ex);
	kfree(fds);
	if (err < 0)
		return err;
	if ((ARG(1) && copy_to_user(ARG(1), rd, nwords * sizeof(uint64_t))) ||
	    (ARG(2) && copy_to_user(ARG(2), wr, nwords * sizeof(uint64_t))) ||
	    (ARG(3) && copy_to_user(ARG(3), ex, nwords * sizeof(uint64_t))))
		return -EFAULT;
	return err;
}
