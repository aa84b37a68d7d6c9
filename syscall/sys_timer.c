/*
 * syscall/sys_timer.c: the POSIX timer system calls (timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete): user
 * input checked and copied here, the timers in kernel/posix_timer.c.
 */
#include "syscall/handlers.h"
#include "syscall/syscall.h"
#include "kernel/posix_timer.h"
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"
#include <stddef.h>
#include <string.h>

/* Linux's good_sigevent: a known notify, a valid signal, and for
 * SIGEV_THREAD_ID a thread of the calling process. */
static bool sigevent_ok(struct proc *p, const struct abi_sigevent *sev)
{
	uint64_t flags;
	bool found;

	switch (sev->sigev_notify) {
	case ABI_SIGEV_SIGNAL | ABI_SIGEV_THREAD_ID:
		signal_lock(p, &flags);
		found = signal_find_thread_locked(p, sev->tid) != NULL;
		signal_unlock(p, flags);
		if (!found)
			return false;
		/* fallthrough */
	case ABI_SIGEV_SIGNAL:
	case ABI_SIGEV_THREAD:
		return sev->sigev_signo > 0 && sev->sigev_signo <= ABI_SIG_MAX;
	case ABI_SIGEV_NONE:
		return true;
	default:
		return false;
	}
}

SYSCALL(timer_create)
{
	struct proc *p = current_proc();
	struct abi_sigevent sev = { .sigev_signo = ABI_SIGALRM, .sigev_notify = ABI_SIGEV_SIGNAL };
	int id, err;

	if (ARG(1) && copy_from_user(&sev, ARG(1), sizeof(sev)))
		return -EFAULT;
	if (!user_range_ok(ARG(2), sizeof(int)))
		return -EFAULT;
	if (!sigevent_ok(p, &sev))
		return -EINVAL;
	err = posix_timer_create(p, (int)ARG(0), &sev, !ARG(1), &id);
	if (err)
		return err;
	if (copy_to_user(ARG(2), &id, sizeof(id))) {
		posix_timer_delete(p, id);
		return -EFAULT;
	}
	return 0;
}

SYSCALL(timer_settime)
{
	struct abi_itimerspec old;
	uint64_t value, interval;
	int flags = (int)ARG(1);
	long err;

	if (flags & ~ABI_TIMER_ABSTIME)
		return -EINVAL;
	if (!ARG(2))
		return -EINVAL;
	err = itimerspec_from_user(ARG(2), &value, &interval);
	if (err)
		return err;
	if (ARG(3) && !user_range_ok(ARG(3), sizeof(old)))
		return -EFAULT;
	err = posix_timer_set(current_proc(), (int)ARG(0), flags & ABI_TIMER_ABSTIME, value, interval, &old);
	if (err)
		return err;
	if (ARG(3) && copy_to_user(ARG(3), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(timer_gettime)
{
	struct abi_itimerspec cur;
	int err = posix_timer_get(current_proc(), (int)ARG(0), &cur);

	if (err)
		return err;
	return copy_to_user(ARG(1), &cur, sizeof(cur)) ? -EFAULT : 0;
}

SYSCALL(timer_getoverrun)
{
	return posix_timer_getoverrun(current_proc(), (int)ARG(0));
}

SYSCALL(timer_delete)
{
	return posix_timer_delete(current_proc(), (int)ARG(0));
}
