/*
 * syscall/sys_sched.c: the scheduling calls a C library reaches for, as
 * Linux answers them for an ordinary process on a machine with one CPU:
 * the affinity mask is CPU 0 alone (a mask without it is EINVAL), and every
 * process runs under SCHED_OTHER at static priority 0. Anode's own
 * priorities (sched/policy.h) are not visible through these calls; asking
 * for a real-time or other policy gives EPERM, as for an unprivileged
 * Linux process.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"

#define CPU_MASK_BYTES sizeof(uint64_t) /* Linux: whole longs */
#define CPU0_BIT 1UL

struct abi_sched_param {
	int32_t sched_priority;
};

/* 0 if pid names the caller (0) or a process, -ESRCH, or -EINVAL < 0. */
static long check_pid(int pid)
{
	uint64_t flags;
	bool found;

	if (pid < 0)
		return -EINVAL;
	if (!pid)
		return 0;
	flags = spin_lock_irqsave(&proc_lock);
	found = proc_find_locked(pid) != NULL;
	spin_unlock_irqrestore(&proc_lock, flags);
	return found ? 0 : -ESRCH;
}

SYSCALL(sched_getaffinity)
{
	uint64_t len = ARG(1), mask = CPU0_BIT;
	long err = check_pid((int)ARG(0));

	if (err)
		return err;
	if (len < CPU_MASK_BYTES || (len % CPU_MASK_BYTES))
		return -EINVAL;
	if (copy_to_user(ARG(2), &mask, sizeof(mask)))
		return -EFAULT;
	return CPU_MASK_BYTES; /* the bytes written, as the raw call returns */
}

SYSCALL(sched_setaffinity)
{
	uint64_t len = MIN(ARG(1), CPU_MASK_BYTES), mask = 0;
	long err = check_pid((int)ARG(0));

	if (err)
		return err;
	if (copy_from_user(&mask, ARG(2), len))
		return -EFAULT;
	return (mask & CPU0_BIT) ? 0 : -EINVAL; /* CPU 0 is the only one */
}

static long policy_ok(int policy)
{
	switch (policy) {
	case ABI_SCHED_OTHER:
	case ABI_SCHED_BATCH:
	case ABI_SCHED_IDLE:
	case ABI_SCHED_FIFO:
	case ABI_SCHED_RR:
		return 0;
	default:
		return -EINVAL;
	}
}

static bool policy_rt(int policy)
{
	return policy == ABI_SCHED_FIFO || policy == ABI_SCHED_RR;
}

SYSCALL(sched_get_priority_max)
{
	int policy = (int)ARG(0);

	return policy_ok(policy) ?: (policy_rt(policy) ? ABI_SCHED_RT_PRIO_MAX : 0);
}

SYSCALL(sched_get_priority_min)
{
	int policy = (int)ARG(0);

	return policy_ok(policy) ?: (policy_rt(policy) ? 1 : 0);
}

SYSCALL(sched_getscheduler)
{
	return check_pid((int)ARG(0)) ?: ABI_SCHED_OTHER;
}

SYSCALL(sched_getparam)
{
	struct abi_sched_param sp = { 0 };
	long err = ARG(1) ? check_pid((int)ARG(0)) : -EINVAL;

	if (err)
		return err;
	return copy_to_user(ARG(1), &sp, sizeof(sp)) ? -EFAULT : 0;
}

/* Linux's checks of a (policy, param) pair; then anything but SCHED_OTHER
 * at priority 0 (the only thing there is) is EPERM. */
static long set_sched(int pid, int policy, uint64_t uparam)
{
	struct abi_sched_param sp;
	long err;

	if (!uparam || pid < 0)
		return -EINVAL;
	if (copy_from_user(&sp, uparam, sizeof(sp)))
		return -EFAULT;
	err = check_pid(pid) ?: policy_ok(policy);
	if (err)
		return err;
	if (policy_rt(policy) ? (sp.sched_priority < 1 || sp.sched_priority > ABI_SCHED_RT_PRIO_MAX)
			      : sp.sched_priority != 0)
		return -EINVAL;
	return policy == ABI_SCHED_OTHER ? 0 : -EPERM;
}

SYSCALL(sched_setscheduler)
{
	return set_sched((int)ARG(0), (int)(ARG(1) & ~(uint64_t)ABI_SCHED_RESET_ON_FORK), ARG(2));
}

SYSCALL(sched_setparam)
{
	return set_sched((int)ARG(0), ABI_SCHED_OTHER, ARG(1));
}
