/*
 * syscall/sys_futex.c: the futex system calls: futex's operations decoded
 * and handed to kernel/futex.c and futex_pi.c, and the robust-list
 * registration (kernel/futex_robust.c walks the list at thread exit).
 */
#include "syscall/handlers.h"
#include "kernel/futex.h"
#include "kernel/proc.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
SYSCALL(futex)
{
	uint64_t uaddr = ARG(0), uaddr2 = ARG(4), deadline;
	int op = (int)ARG(1), cmd = op & ABI_FUTEX_CMD_MASK;
	bool private = op & ABI_FUTEX_PRIVATE_FLAG, realtime = op & ABI_FUTEX_CLOCK_REALTIME;
	uint32_t val = (uint32_t)ARG(2), val3 = (uint32_t)ARG(5);
	int val2 = (int)ARG(3); /* REQUEUE, CMP_REQUEUE, WAKE_OP: a count */
	long err;

	if (realtime && cmd != ABI_FUTEX_WAIT_BITSET && cmd != ABI_FUTEX_LOCK_PI2)
		return -ENOSYS; /* as Linux 6.x */
	switch (cmd) {
	case ABI_FUTEX_WAIT:
		val3 = ABI_FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case ABI_FUTEX_WAIT_BITSET:
		err = futex_deadline(ARG(3), cmd == ABI_FUTEX_WAIT_BITSET, realtime, &deadline);
		return err ? err : futex_wait(uaddr, private, val, deadline, val3);
	case ABI_FUTEX_WAKE:
		val3 = ABI_FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case ABI_FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, private, (int)MIN(val, (uint32_t)INT32_MAX), val3);
	case ABI_FUTEX_REQUEUE:
	case ABI_FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, private, (int)val, val2,
				     cmd == ABI_FUTEX_CMP_REQUEUE, val3);
	case ABI_FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, private, (int)MIN(val, (uint32_t)INT32_MAX),
				     val2 < 0 ? 0 : val2, val3);
	case ABI_FUTEX_LOCK_PI:
	case ABI_FUTEX_LOCK_PI2:
	case ABI_FUTEX_UNLOCK_PI:
	case ABI_FUTEX_TRYLOCK_PI:
		return futex_pi(cmd, uaddr, private, realtime, ARG(3));
	default:
		return -ENOSYS;
	}
}

SYSCALL(set_robust_list)
{
	if (ARG(1) != sizeof(struct abi_robust_list_head))
		return -EINVAL;
	current_thread()->robust_list = ARG(0);
	return 0;
}

struct robust_find {
	int tid;
	uint64_t head;
	bool found;
};

/* Under threads_lock (proc_for_each_thread). */
static void robust_find_one(struct thread *t, void *arg)
{
	struct robust_find *f = arg;

	if (t->user_tid == f->tid) {
		f->head = t->robust_list;
		f->found = true;
	}
}

/* get_robust_list(tid, head_ptr, len_ptr): tid 0 is the caller; other
 * threads only of the caller's own process (Anode has no ptrace rights). */
SYSCALL(get_robust_list)
{
	struct robust_find f = { .tid = (int)ARG(0) };
	uint64_t len = sizeof(struct abi_robust_list_head);

	if (f.tid < 0)
		return -EINVAL;
	if (!f.tid) {
		f.head = current_thread()->robust_list;
		f.found = true;
	} else {
		proc_for_each_thread(current_proc(), robust_find_one, &f);
	}
	if (!f.found)
		return -ESRCH;
	if (copy_to_user(ARG(1), &f.head, sizeof(f.head)) || copy_to_user(ARG(2), &len, sizeof(len)))
		return -EFAULT;
	return 0;
}
