/*
 * syscall/sys_wait.c: waiting for children and the CPU time they used:
 * wait4, waitid, getrusage, times. The choice of child and event is
 * proc_wait's (kernel/proc.c) and jobctl's (kernel/jobctl.h); this file
 * decodes the arguments and encodes the answers in Linux's formats.
 * Anode does not split user from system time: all CPU time is reported as
 * user time, system time is 0. Nothing else in struct rusage is counted
 * yet (zero).
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/clock.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

#define WAIT4_OPTIONS (ABI_WNOHANG | ABI_WUNTRACED | ABI_WCONTINUED)
#define WAITID_EVENTS (ABI_WEXITED | ABI_WSTOPPED | ABI_WCONTINUED)
#define WAITID_OPTIONS (WAITID_EVENTS | ABI_WNOHANG | ABI_WNOWAIT)
#define WAIT_CORE_FLAG 0x80        /* the "dumped core" bit of a status */
#define NSEC_PER_TICK (NSEC_PER_SEC / ABI_USER_HZ)

static struct abi_rusage ns_rusage(uint64_t cpu_ns)
{
	struct abi_rusage ru = { 0 };

	ru.ru_utime.tv_sec = (int64_t)(cpu_ns / NSEC_PER_SEC);
	ru.ru_utime.tv_usec = (int64_t)(cpu_ns % NSEC_PER_SEC / NSEC_PER_USEC);
	return ru;
}

static int copy_rusage(uint64_t urusage, uint64_t cpu_ns)
{
	struct abi_rusage ru = ns_rusage(cpu_ns);

	return urusage && copy_to_user(urusage, &ru, sizeof(ru)) ? -EFAULT : 0;
}

/* As on Linux, a child is reaped before its status and rusage are copied
 * out: a pointer that faults then gives -EFAULT with the child gone. */
SYSCALL(wait4)
{
	int pid = (int)ARG(0), options = (int)ARG(2);
	uint64_t ustatus = ARG(1), urusage = ARG(3);
	struct wait_req req = { .idtype = ABI_P_PID, .id = pid };
	struct wait_result res;
	long ret;

	if (options & ~WAIT4_OPTIONS)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH; /* -pid does not exist (Linux) */
	if (ustatus && !user_range_ok(ustatus, sizeof(int)))
		return -EFAULT;
	if (urusage && !user_range_ok(urusage, sizeof(struct abi_rusage)))
		return -EFAULT;
	req.options = options | ABI_WEXITED;
	if (pid == -1) {
		req.idtype = ABI_P_ALL;
	} else if (pid <= 0) {
		req.idtype = ABI_P_PGID;
		req.id = pid ? -pid : (int)jobctl_getpgid(0);
	}
	ret = proc_wait(&req, &res);
	if (ret <= 0)
		return ret;
	if (ustatus && copy_to_user(ustatus, &res.status, sizeof(res.status)))
		return -EFAULT;
	return copy_rusage(urusage, res.cpu_ns) ?: ret;
}

/* The siginfo waitid gives for res (all zero when nothing was found). */
static void fill_siginfo(struct abi_siginfo_chld *si, const struct wait_result *res)
{
	int st = res->status;

	memset(si, 0, sizeof(*si));
	if (!res->pid)
		return;
	si->si_signo = ABI_SIGCHLD;
	si->si_pid = res->pid;
	si->si_uid = 0; /* everything runs as root */
	si->si_utime = (int64_t)(res->cpu_ns / NSEC_PER_TICK);
	if (st == WAIT_CONTINUED) {
		si->si_code = ABI_CLD_CONTINUED;
		si->si_status = ABI_SIGCONT;
	} else if ((st & WAIT_CODE_MASK) == WAIT_STOP_MARK) {
		si->si_code = ABI_CLD_STOPPED;
		si->si_status = (st >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK;
	} else if (st & WAIT_SIG_MASK) {
		si->si_code = (st & WAIT_CORE_FLAG) ? ABI_CLD_DUMPED : ABI_CLD_KILLED;
		si->si_status = st & WAIT_SIG_MASK;
	} else {
		si->si_code = ABI_CLD_EXITED;
		si->si_status = (st >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK;
	}
}

SYSCALL(waitid)
{
	int idtype = (int)ARG(0), id = (int)ARG(1), options = (int)ARG(3);
	uint64_t uinfo = ARG(2), urusage = ARG(4);
	struct wait_req req = { .idtype = idtype, .id = id, .options = options };
	struct wait_result res = { 0 };
	struct abi_siginfo_chld si;
	long ret;

	if (idtype == ABI_P_PID && id <= 0)
		return -EINVAL;
	if (idtype == ABI_P_PGID && id < 0)
		return -EINVAL;
	if (idtype != ABI_P_ALL && idtype != ABI_P_PID && idtype != ABI_P_PGID)
		return -EINVAL; /* P_PIDFD: no pidfds */
	if ((options & ~WAITID_OPTIONS) || !(options & WAITID_EVENTS))
		return -EINVAL;
	if (uinfo && !user_range_ok(uinfo, sizeof(si)))
		return -EFAULT;
	if (urusage && !user_range_ok(urusage, sizeof(struct abi_rusage)))
		return -EFAULT;
	if (idtype == ABI_P_PGID && !id)
		req.id = (int)jobctl_getpgid(0); /* Linux 5.4: the caller's group */
	ret = proc_wait(&req, &res);
	if (ret < 0)
		return ret;
	fill_siginfo(&si, &res);
	if (uinfo && copy_to_user(uinfo, &si, sizeof(si)))
		return -EFAULT;
	return copy_rusage(urusage, res.cpu_ns);
}

/* CPU time of the caller (all its threads) or of the children it reaped. */
static long usage_ns(int who, uint64_t *ns)
{
	if (who == ABI_RUSAGE_CHILDREN) {
		/* Another thread may be reaping (proc_lock): one aligned load. */
		*ns = __atomic_load_n(&current_proc()->children_cpu_ns, __ATOMIC_RELAXED);
		return 0;
	}
	if (who == ABI_RUSAGE_SELF)
		return clock_read_ns(ABI_CLOCK_PROCESS_CPUTIME_ID, ns);
	if (who == ABI_RUSAGE_THREAD)
		return clock_read_ns(ABI_CLOCK_THREAD_CPUTIME_ID, ns);
	return -EINVAL;
}

SYSCALL(getrusage)
{
	uint64_t ns;
	long err = usage_ns((int)ARG(0), &ns);

	struct abi_rusage ru;

	if (err)
		return err;
	ru = ns_rusage(ns);
	return copy_to_user(ARG(1), &ru, sizeof(ru)) ? -EFAULT : 0;
}

SYSCALL(times)
{
	struct abi_tms t = { 0 };
	uint64_t self = 0, children = 0;

	usage_ns(ABI_RUSAGE_SELF, &self);
	usage_ns(ABI_RUSAGE_CHILDREN, &children);
	t.tms_utime = (int64_t)(self / NSEC_PER_TICK);
	t.tms_cutime = (int64_t)(children / NSEC_PER_TICK);
	if (ARG(0) && copy_to_user(ARG(0), &t, sizeof(t)))
		return -EFAULT;
	/* Ticks since boot: Linux's answer counts from an arbitrary point. */
	return (long)(timer_now_ns() / NSEC_PER_TICK);
}
