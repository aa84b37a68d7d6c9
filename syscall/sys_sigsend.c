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

/* asm-generic/siginfo.h: codes without their own ABI_ name here. */
#define SI_DETHREAD (-7)
#define SI_ASYNCNL (-60)
/* SIGPOLL (SIGIO, asm-generic/signal.h) and the number of each
 * signal-specific si_code set in Linux 6.1 (NSIGILL ... NSIGSYS): a
 * positive code above its signal's is a layout Linux does not know. */
#define SIGPOLL_NR 29
#define NSIGILL 11
#define NSIGFPE 15
#define NSIGSEGV 9
#define NSIGBUS 5
#define NSIGTRAP 6
#define NSIGCHLD 6
#define NSIGPOLL 6
#define NSIGSYS 2
static const int8_t sicode_limit[ABI_SIG_MAX + 1] = {
	[ABI_SIGILL] = NSIGILL, [ABI_SIGFPE] = NSIGFPE, [ABI_SIGSEGV] = NSIGSEGV,
	[ABI_SIGBUS] = NSIGBUS, [ABI_SIGTRAP] = NSIGTRAP, [ABI_SIGCHLD] = NSIGCHLD,
	[SIGPOLL_NR] = NSIGPOLL, [ABI_SIGSYS] = NSIGSYS,
};

/* Linux's known_siginfo_layout: whether the kernel knows which union
 * member (si_signo, si_code) names, all of which fit in the 48 bytes it
 * keeps (struct ksiginfo). */
static bool siginfo_layout_known(int signo, int code)
{
	if (code == ABI_SI_KERNEL)
		return true;
	if (code > ABI_SI_USER) {
		int limit = signo >= 1 && signo <= ABI_SIG_MAX && sicode_limit[signo] ?
			    sicode_limit[signo] : NSIGPOLL;

		return code <= limit;
	}
	return code >= SI_DETHREAD || code == SI_ASYNCNL;
}

/* Whether a user's siginfo has anything beyond the part a queue keeps. */
static bool siginfo_has_more(const struct abi_siginfo *info)
{
	const uint8_t *b = (const uint8_t *)info;

	for (size_t i = SIGINFO_KEPT_SIZE; i < sizeof(*info); i++)
		if (b[i])
			return true;
	return false;
}

/* A user-made siginfo: as on Linux, only to oneself may it claim to come
 * from the kernel (si_code >= 0) or from tkill. Only its first
 * SIGINFO_KEPT_SIZE bytes are queued, as on Linux; one of a layout Linux
 * does not know, with more than that, gets -E2BIG (post_copy_siginfo_from_user). */
static long queue_info(int pid, int tid, int sig, uint64_t uinfo)
{
	struct send_req r = { .tid = tid, .sig = sig };

	if (copy_from_user(&r.info, uinfo, sizeof(r.info)))
		return -EFAULT;
	if (!siginfo_layout_known(r.info.si_signo, r.info.si_code) && siginfo_has_more(&r.info))
		return -E2BIG;
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
