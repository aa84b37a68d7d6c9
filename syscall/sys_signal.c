/*
 * syscall/sys_signal.c: a thread's own signal state: rt_sigaction,
 * rt_sigprocmask, rt_sigpending, rt_sigsuspend, sigaltstack and
 * rt_sigreturn (sending and waiting: sys_sigsend.c). Every argument is
 * checked and copied in before anything changes.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"

SYSCALL(rt_sigaction)
{
	int sig = (int)ARG(0);
	struct abi_sigaction act, old;

	if (ARG(3) != ABI_SIGSET_SIZE || sig < 1 || sig > ABI_SIG_MAX)
		return -EINVAL;
	if (ARG(1)) {
		if (copy_from_user(&act, ARG(1), sizeof(act)))
			return -EFAULT;
		if (sig == ABI_SIGKILL || sig == ABI_SIGSTOP)
			return -EINVAL;
	}
	if (ARG(2) && !user_range_ok(ARG(2), sizeof(old)))
		return -EFAULT;
	signal_set_action(current_proc(), sig, ARG(1) ? &act : NULL, &old);
	if (ARG(2) && copy_to_user(ARG(2), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(rt_sigprocmask)
{
	int how = (int)ARG(0);
	struct thread *t = current_thread();
	uint64_t set = 0, old = t->sig.blocked;

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
			set |= old;
		else if (how == ABI_SIG_UNBLOCK)
			set = old & ~set;
		signal_set_mask(t, set);
	}
	return 0;
}

/* The pending signals the thread blocks (the others are being delivered). */
SYSCALL(rt_sigpending)
{
	struct thread *t = current_thread();
	uint64_t set;

	if (ARG(1) != ABI_SIGSET_SIZE)
		return -EINVAL;
	set = signal_pending_set(t) & t->sig.blocked;
	return copy_to_user(ARG(0), &set, sizeof(set)) ? -EFAULT : 0;
}

/* Sleeps with the given mask until a signal is delivered: always -EINTR;
 * the old mask comes back when the handler's frame is built (it is the
 * frame's uc_sigmask) or at the return (signal_return_done). */
SYSCALL(rt_sigsuspend)
{
	struct thread *t = current_thread();
	uint64_t mask;

	if (ARG(1) != ABI_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&mask, ARG(0), sizeof(mask)))
		return -EFAULT;
	signal_mask_push(t, mask);
	while (sched_sleep_until(TIMER_NEVER) != -EINTR)
		;
	return -EINTR;
}

#define SS_FLAGS_KNOWN (ABI_SS_DISABLE | ABI_SS_ONSTACK | ABI_SS_AUTODISARM)

SYSCALL(sigaltstack)
{
	struct thread *t = current_thread();
	struct abi_stack ss, old = t->sig.altstack;
	bool on = sigframe_on_altstack(tf->sp);

	if (old.ss_flags & ABI_SS_DISABLE || !old.ss_size)
		old = (struct abi_stack){ .ss_flags = ABI_SS_DISABLE };
	else
		old.ss_flags = on ? ABI_SS_ONSTACK : 0;
	if (ARG(1) && !user_range_ok(ARG(1), sizeof(old)))
		return -EFAULT;
	if (ARG(0)) {
		if (copy_from_user(&ss, ARG(0), sizeof(ss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		if (ss.ss_flags & ~SS_FLAGS_KNOWN)
			return -EINVAL;
		if (ss.ss_flags & ABI_SS_DISABLE)
			ss = (struct abi_stack){ .ss_flags = ABI_SS_DISABLE };
		else if (ss.ss_size < ABI_MINSIGSTKSZ)
			return -ENOMEM;
		else if (ss.ss_sp + ss.ss_size < ss.ss_sp)
			return -EINVAL; /* wraps around */
		else
			ss.ss_flags = 0; /* SS_ONSTACK means "enabled"; autodisarm is not kept */
		t->sig.altstack = ss;
	}
	if (ARG(1) && copy_to_user(ARG(1), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* Returns from a handler: registers, FP/SIMD state and mask from the frame
 * at sp. A frame that does not check out (bad pointer, forged PSTATE) gets
 * SIGSEGV, as on Linux. */
SYSCALL(rt_sigreturn)
{
	struct thread *t = current_thread();
	struct sigframe_restored r;

	t->sig.in_syscall = false; /* x0 is the interrupted code's, not a result */
	r = sigframe_restore(tf);
	if (r.err) {
		signal_force_fault(ABI_SIGSEGV, ABI_SI_KERNEL, 0);
		return (long)tf->x[0];
	}
	signal_set_mask(t, r.mask);
	return (long)tf->x[0];
}
