/*
 * syscall/sys_signal.c: rt_sigaction and rt_sigprocmask. Signals are not
 * delivered yet (only kill's default actions exist); these record what a
 * program asks for, with Linux's argument checks, so that C library code
 * that sets masks and handlers (musl's fork, signal(SIGPIPE, SIG_IGN)) runs.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/errno.h"
#include "arch/aarch64/uaccess.h"

/* SIGKILL and SIGSTOP can be neither caught nor blocked. */
#define UNBLOCKABLE ((1UL << (ABI_SIGKILL - 1)) | (1UL << (ABI_SIGSTOP - 1)))

SYSCALL(rt_sigaction)
{
	int sig = (int)ARG(0);
	struct proc *p = current_proc();
	struct abi_sigaction act;

	if (ARG(3) != ABI_SIGSET_SIZE || sig < 1 || sig > ABI_SIG_MAX)
		return -EINVAL;
	if (ARG(1)) {
		if (copy_from_user(&act, ARG(1), sizeof(act)))
			return -EFAULT;
		if (sig == ABI_SIGKILL || sig == ABI_SIGSTOP)
			return -EINVAL;
	}
	if (ARG(2) && copy_to_user(ARG(2), &p->sigactions[sig], sizeof(act)))
		return -EFAULT;
	if (ARG(1))
		p->sigactions[sig] = act;
	return 0;
}

SYSCALL(rt_sigprocmask)
{
	int how = (int)ARG(0);
	struct proc *p = current_proc();
	uint64_t set = 0, old = p->sigmask;

	if (ARG(3) != ABI_SIGSET_SIZE)
		return -EINVAL;
	if (ARG(1)) {
		if (how != ABI_SIG_BLOCK && how != ABI_SIG_UNBLOCK && how != ABI_SIG_SETMASK)
			return -EINVAL;
		if (copy_from_user(&set, ARG(1), sizeof(set)))
			return -EFAULT;
	}
	if (ARG(2) && copy_to_user(ARG(2), &old, sizeof(old)))
		return -EFAULT;
	if (ARG(1)) {
		if (how == ABI_SIG_BLOCK)
			p->sigmask |= set;
		else if (how == ABI_SIG_UNBLOCK)
			p->sigmask &= ~set;
		else
			p->sigmask = set;
		p->sigmask &= ~UNBLOCKABLE;
	}
	return 0;
}
