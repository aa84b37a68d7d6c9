/*
 * kernel/rlimit.c: a process's resource limits: defaults, inheritance, the
 * rules of prlimit64 and the per-call checks (see rlimit.h). The address
 * space limits are kernel/rlimit_vm.c; NPROC's count is proc.c's.
 */
#include "kernel/rlimit.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/sigstate.h"
#include "kernel/timer.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/file.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi_mqueue.h"
#include "sched/sched.h"
#include "mm/uvm.h"
#include "mm/layout.h"

#define INF ABI_RLIM_INFINITY
/* Linux's MLOCK_LIMIT (include/uapi/linux/resource.h, 6.1): 8 MiB. */
#define RLIMIT_MLOCK_DEFAULT (8 * MiB)
/* Linux gives init max_threads / 2 processes; here half the pid table
 * (threads take pid slots too), so a user's fork bomb leaves the other
 * half to root, who is exempt and can log in and kill it. */
#define RLIMIT_NPROC_DEFAULT (PROC_MAX / 2)
/* The smallest stack exec gives, whatever STACK says: room for the
 * arguments and environment exec copies (EXEC_MAX_STRINGS) and a page. */
#define RLIMIT_STACK_MIN (128 * KiB)
#define TICKS_PER_SEC (NSEC_PER_SEC / TICK_NS)

static const struct abi_rlimit rlimit_defaults[ABI_RLIM_NLIMITS] = {
	[ABI_RLIMIT_CPU] = { INF, INF },
	[ABI_RLIMIT_FSIZE] = { INF, INF },
	[ABI_RLIMIT_DATA] = { INF, INF },
	[ABI_RLIMIT_STACK] = { USER_STACK_SIZE, INF },
	[ABI_RLIMIT_CORE] = { 0, INF },
	[ABI_RLIMIT_RSS] = { INF, INF },
	[ABI_RLIMIT_NPROC] = { RLIMIT_NPROC_DEFAULT, RLIMIT_NPROC_DEFAULT },
	[ABI_RLIMIT_NOFILE] = { FD_MAX, FD_MAX },
	[ABI_RLIMIT_MEMLOCK] = { RLIMIT_MLOCK_DEFAULT, RLIMIT_MLOCK_DEFAULT },
	[ABI_RLIMIT_AS] = { INF, INF },
	[ABI_RLIMIT_LOCKS] = { INF, INF },
	[ABI_RLIMIT_SIGPENDING] = { SIGQUEUE_MAX, SIGQUEUE_MAX },
	[ABI_RLIMIT_MSGQUEUE] = { MQ_BYTES_MAX, MQ_BYTES_MAX },
	[ABI_RLIMIT_NICE] = { 0, 0 },
	[ABI_RLIMIT_RTPRIO] = { 0, 0 },
	[ABI_RLIMIT_RTTIME] = { INF, INF },
};

static void set_pair(struct proc_rlimits *rl, int r, const struct abi_rlimit *v)
{
	__atomic_store_n(&rl->lim[r].rlim_cur, v->rlim_cur, __ATOMIC_RELAXED);
	__atomic_store_n(&rl->lim[r].rlim_max, v->rlim_max, __ATOMIC_RELAXED);
}

void rlimit_init_first(struct proc *p)
{
	p->rl.lock = (spinlock_t)SPINLOCK_INIT("rlimit");
	for (int r = 0; r < ABI_RLIM_NLIMITS; r++)
		p->rl.lim[r] = rlimit_defaults[r];
}

void rlimit_fork(struct proc *child, struct proc *parent)
{
	uint64_t flags = spin_lock_irqsave(&parent->rl.lock);

	for (int r = 0; r < ABI_RLIM_NLIMITS; r++)
		child->rl.lim[r] = parent->rl.lim[r];
	spin_unlock_irqrestore(&parent->rl.lock, flags);
	child->rl.lock = (spinlock_t)SPINLOCK_INIT("rlimit");
}

int rlimit_prlimit(struct proc *p, int resource, const struct abi_rlimit *new,
		   struct abi_rlimit *old, bool privileged)
{
	struct proc_rlimits *rl = &p->rl;
	uint64_t flags;
	int err = 0;

	if (resource < 0 || resource >= ABI_RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->rlim_cur > new->rlim_max)
		return -EINVAL;
	/* Linux's nr_open: no descriptor table past FD_MAX, even for root. */
	if (new && resource == ABI_RLIMIT_NOFILE && new->rlim_max > FD_MAX)
		return -EPERM;
	flags = spin_lock_irqsave(&rl->lock);
	if (old)
		*old = rl->lim[resource];
	if (new && new->rlim_max > rl->lim[resource].rlim_max && !privileged)
		err = -EPERM;
	else if (new)
		set_pair(rl, resource, new);
	spin_unlock_irqrestore(&rl->lock, flags);
	return err;
}

uint64_t rlimit_cur(struct proc *p, int resource)
{
	return __atomic_load_n(&p->rl.lim[resource].rlim_cur, __ATOMIC_RELAXED);
}

int rlimit_nproc_check(struct proc *p)
{
	struct cred c;

	cred_get(p, &c);
	if (c.uid == CRED_ROOT_ID || c.euid == CRED_ROOT_ID)
		return 0;
	return (uint64_t)proc_count_ruid(c.uid) >= rlimit_cur(p, ABI_RLIMIT_NPROC) ? -EAGAIN : 0;
}

int rlimit_nofile(void)
{
	struct thread *t = current_thread();
	uint64_t n = t && t->proc ? rlimit_cur(t->proc, ABI_RLIMIT_NOFILE) : FD_MAX;

	return n < FD_MAX ? (int)n : FD_MAX;
}

uint64_t rlimit_stack_size(struct proc *p)
{
	uint64_t want = ALIGN_UP(MIN(rlimit_cur(p, ABI_RLIMIT_STACK), (uint64_t)USER_STACK_SIZE),
				 PAGE_SIZE);

	return want < RLIMIT_STACK_MIN ? RLIMIT_STACK_MIN : want;
}

/* The calling process's FSIZE soft limit; infinity outside a process. */
static uint64_t fsize_limit(void)
{
	struct thread *t = current_thread();

	return t && t->proc ? rlimit_cur(t->proc, ABI_RLIMIT_FSIZE) : INF;
}

bool rlimit_fsize_limited(void)
{
	return fsize_limit() != INF;
}

/* Linux's generic_write_check_limits and inode_newsize_ok: send_sig(SIGXFSZ). */
static int too_big(void)
{
	struct abi_siginfo info;

	signal_kill_info(&info, ABI_SIGXFSZ, ABI_SI_USER);
	signal_send_thread(current_thread(), ABI_SIGXFSZ, &info);
	return -EFBIG;
}

int rlimit_fsize_check(uint64_t pos, size_t *len)
{
	uint64_t lim = fsize_limit();

	if (lim == INF || *len == 0)
		return 0;
	if (pos >= lim)
		return too_big();
	*len = MIN(*len, lim - pos);
	return 0;
}

int rlimit_fsize_truncate(uint64_t size)
{
	uint64_t lim = fsize_limit();

	return lim != INF && size > lim ? too_big() : 0;
}

void rlimit_cpu_tick(struct proc *p)
{
	uint64_t ticks = __atomic_add_fetch(&p->rl.cpu_ticks, 1, __ATOMIC_RELAXED);
	uint64_t secs, soft, hard, flags;
	struct abi_siginfo info = { .si_code = ABI_SI_KERNEL };

	if (ticks % TICKS_PER_SEC)
		return; /* checked as each whole second of CPU time is reached */
	secs = ticks / TICKS_PER_SEC;
	soft = __atomic_load_n(&p->rl.lim[ABI_RLIMIT_CPU].rlim_cur, __ATOMIC_RELAXED);
	hard = __atomic_load_n(&p->rl.lim[ABI_RLIMIT_CPU].rlim_max, __ATOMIC_RELAXED);
	if (soft == 0)
		soft = 1; /* Linux's update_rlimit_cpu: 0 means one second */
	if (hard != INF && secs >= hard)
		info.si_signo = ABI_SIGKILL;
	else if (soft != INF && secs >= soft)
		info.si_signo = ABI_SIGXCPU;
	else
		return;
	signal_lock(p, &flags);
	signal_send_timer_locked(p, NULL, info.si_signo, &info);
	signal_unlock(p, flags);
}
