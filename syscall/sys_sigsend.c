/*
 * syscall/sys_sigsend.c: sending and waiting for signals: tkill, tgkill,
 * rt_sigqueueinfo, rt_tgsigqueueinfo, rt_sigtimedwait (kill(2) is
 * proc_kill, kernel/proc.c, for its process-group rules). Each checks
 * the sender's permission as kill(2) does (cred_may_signal).
 */
#include "syscall/handlers.h"
#include "syscall/syscall.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "kernel/timer.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

struct send_req {
	int tid;                     /* thread-directed: its id; 0: the process */
	int sig;                     /* 0: only checks that the target exists */
	struct abi_siginfo info;
};

/* Under proc_lock (proc_with_pid): p stays alive meanwhile. */
static long send_to(struct proc *p, void *arg)
{
	struct send_req *r = arg;

	/* kill(2)'s permission rule for every sender (cred.h). */
	if (!cred_may_signal(current_proc(), p, r->sig))
		return -EPERM;
	if (r->tid)
		return signal_send_tid(p, r->tid, r->sig, &r->info);
	if (!r->sig)
		return 0;
	return signal_send_proc(p, r->sig, &r->info);
}

static long send_req(int pid, struct send_req *r)
{
	if (r->sig < 0 || r->sig > ABI_SIG_MAX)
		return -EINVAL;
	r->info.si_signo = r->sig;
	return proc_with_pid(pid, send_to, r);
}

SYSCALL(tkill)
{
	struct send_req r = { .tid = (int)ARG(0), .sig = (int)ARG(1) };

	if (r.tid <= 0)
		return -EINVAL;
	signal_kill_info(&r.info, r.sig, ABI_SI_TKILL);
	if (r.sig < 0 || r.sig > ABI_SIG_MAX)
		return -EINVAL;
	r.info.si_signo = r.sig;
	return proc_with_tid(r.tid, send_to, &r);
}

SYSCALL(tgkill)
{
	int tgid = (int)ARG(0);
	struct send_req r = { .tid = (int)ARG(1), .sig = (int)ARG(2) };

	if (tgid <= 0 || r.tid <= 0)
		return -EINVAL;
	signal_kill_info(&r.info, r.sig, ABI_SI_TKILL);
	return send_req(tgid, &r);
}

/* A user-made siginfo: as on Linux, only to oneself may it claim to come
 * from the kernel (si_code >= 0) or from tkill. */
static long queue_info(int pid, int tid, int sig, uint64_t uinfo)
{
	struct send_req r = { .tid = tid, .sig = sig };

	if (copy_from_user(&r.info, uinfo, sizeof(r.info)))
		return -EFAULT;
	if (pid != current_proc()->pid && (r.info.si_code >= 0 || r.info.si_code == ABI_SI_TKILL))
		return -EPERM;
	return send_req(pid, &r);
}

SYSCALL(rt_sigqueueinfo)
{
	return queue_info((int)ARG(0), 0, (int)ARG(1), ARG(2));
}

SYSCALL(rt_tgsigqueueinfo)
{
	if ((int)ARG(0) <= 0 || (int)ARG(1) <= 0)
		return -EINVAL;
	return queue_info((int)ARG(0), (int)ARG(1), (int)ARG(2), ARG(3));
}

/* Waits for one of a set of signals (normally blocked) and takes it
 * without running its action. -EAGAIN at the timeout, -EINTR if another
 * signal is delivered. */
SYSCALL(rt_sigtimedwait)
{
	struct thread *t = current_thread();
	struct proc *p = t->proc;
	struct abi_siginfo info;
	uint64_t set, ns = UINT64_MAX, flags, saved;
	long err = 0;
	int sig;

	if (ARG(3) != ABI_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, ARG(0), sizeof(set)))
		return -EFAULT;
	if (ARG(2) && (err = timespec_from_user(ARG(2), &ns)))
		return err;
	if (ARG(1) && !user_range_ok(ARG(1), sizeof(info)))
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	signal_lock(p, &flags);
	sig = signal_dequeue_locked(t, set, &info);
	if (!sig && ns) {
		/* Unblocked while waiting, so that they wake it. */
		uint64_t deadline = timer_deadline_after_ns(ns);

		saved = t->sig.real_blocked = t->sig.blocked;
		t->sig.blocked &= ~set;
		signal_recalc_locked(p);
		signal_unlock(p, flags);
		err = sched_sleep_until(deadline);
		signal_lock(p, &flags);
		t->sig.blocked = saved;
		t->sig.real_blocked = 0;
		sig = signal_dequeue_locked(t, set, &info);
	}
	signal_recalc_locked(p);
	signal_unlock(p, flags);
	if (!sig)
		return err == -EINTR ? -EINTR : -EAGAIN;
	if (ARG(1) && copy_to_user(ARG(1), &info, sizeof(info)))
		return -EFAULT;
	return sig;
}
