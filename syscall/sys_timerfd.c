/*
 * syscall/sys_timerfd.c: timerfd_create, timerfd_settime and
 * timerfd_gettime (the timer is kernel/scheme/timerfd.c). Arguments are checked
 * and copied before anything changes.
 */
#include "syscall/handlers.h"
#include "syscall/abi/abi_signal.h"
#include "kernel/proc.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/timerfd.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"
#include <stddef.h>

#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2   /* accepted; the wall clock is never set */

static struct file *get(int fd)
{
	return fd_get(current_proc()->fds, fd);
}

SYSCALL(timerfd_create)
{
	int flags = (int)ARG(1);
	struct file *f;
	long err;

	if (flags & ~(ABI_O_NONBLOCK | ABI_O_CLOEXEC))
		return -EINVAL;
	err = timerfd_file_create((int)ARG(0), flags, &f);
	if (err)
		return err;
	return fd_install(current_proc()->fds, f, 0, flags & ABI_O_CLOEXEC);
}

SYSCALL(timerfd_settime)
{
	struct abi_itimerspec old;
	uint64_t value, interval;
	int flags = (int)ARG(1);
	struct file *f;
	long err;

	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	err = itimerspec_from_user(ARG(2), &value, &interval);
	if (err)
		return err;
	if (ARG(3) && !user_range_ok(ARG(3), sizeof(old)))
		return -EFAULT;
	if (!(f = get((int)ARG(0))))
		return -EBADF;
	err = timerfd_set(f, flags & TFD_TIMER_ABSTIME, value, interval, &old);
	file_put(f);
	if (!err && ARG(3) && copy_to_user(ARG(3), &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

SYSCALL(timerfd_gettime)
{
	struct abi_itimerspec cur;
	struct file *f = get((int)ARG(0));
	long err;

	if (!f)
		return -EBADF;
	err = timerfd_get(f, &cur);
	file_put(f);
	if (!err && copy_to_user(ARG(1), &cur, sizeof(cur)))
		err = -EFAULT;
	return err;
}
