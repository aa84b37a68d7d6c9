/*
 * syscall/sys_sched.c: the scheduling calls a C library reaches for, as
 * Linux answers them for an ordinary process: the affinity mask of a thread
 * (pid 0: the caller; else a thread of the caller's process, by TID; a mask
 * naming no online CPU is EINVAL), getcpu, and every
 * process runs under SCHED_OTHER at static priority 0. Anode's own
 * priorities (sched/policy.h) are not visible through these calls; asking
 * for a real-time or other policy gives EPERM, as for an unprivileged
 * Linux process.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "kernel/thread_group.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"

#define CPU_MASK_BYTES sizeof(uint64_t) /* Linux: whole longs */

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

struct affinity_req {
	bool set;
	uint64_t mask; /* set: the new mask; get: the mask found */
};

static long affinity_one(struct thread *t, void *arg)
{
	struct affinity_req *r = arg;

	if (r->set)
		return sched_set_affinity(t, r->mask);
	r->mask = sched_get_affinity(t) & smp_online_mask(); /* as Linux */
	return 0;
}

static long affinity_apply(int pid, struct affinity_req *r)
{
	return pid < 0 ? -ESRCH : with_own_thread(pid, affinity_one, r);
}

SYSCALL(sched_getaffinity)
{
	uint64_t len = ARG(1);
	struct affinity_req r = { .set = false };
	long err;

	if (len < CPU_MASK_BYTES || (len % CPU_MASK_BYTES))
		return -EINVAL;
	err = affinity_apply((int)ARG(0), &r);
	if (err)
		return err;
	if (copy_to_user(ARG(2), &r.mask, sizeof(r.mask)))
		return -EFAULT;
	return CPU_MASK_BYTES; /* the bytes written, as the raw call returns */
}

SYSCALL(sched_setaffinity)
{
	uint64_t len = MIN(ARG(1), CPU_MASK_BYTES);
	struct affinity_req r = { .set = true };

	if (copy_from_user(&r.mask, ARG(2), len))
		return -EFAULT;
	return affinity_apply((int)ARG(0), &r);
}

/* getcpu(cpu, node, tcache): the CPU now and NUMA node 0 (either may be NULL). */
SYSCALL(getcpu)
{
	uint32_t cpu = this_cpu()->id, node = 0;

	if (ARG(0) && copy_to_user(ARG(0), &cpu, sizeof(cpu)))
		return -EFAULT;
	if (ARG(1) && copy_to_user(ARG(1), &node, sizeof(node)))
		return -EFAULT;
	return 0;
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
