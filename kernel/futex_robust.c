/*
 * kernel/futex_robust.c: robust futexes: set_robust_list/get_robust_list,
 * and the walk of a dying thread's list (Linux's exit_robust_list): each
 * futex it still owns gets FUTEX_OWNER_DIED and one waiter is woken, so the
 * next pthread_mutex_lock returns EOWNERDEAD; a PI futex (bit 0 of the
 * entry) is handed to its best waiter by futex_pi_owner_died. The list is user memory, read
 * with the copy helpers; a bad pointer ends the walk. As in futex.c, the
 * OWNER_DIED store is not atomic against a user-space CAS on another CPU.
 */
#include "kernel/futex.h"
#include "kernel/proc.h"
#include "kernel/thread_group.h"
#include "kernel/errno.h"
#include "sched/sched.h"
#include "syscall/handlers.h"
#include "arch/aarch64/uaccess.h"

#define ROBUST_LIST_LIMIT 2048 /* Linux's bound on a (maybe circular) list */
#define ROBUST_ENTRY_PI 1UL    /* bit 0 of an entry: a PI futex */
#define FUTEX_WORD sizeof(uint32_t)

/* One robust futex of the dead owner tid: OWNER_DIED, and one waiter woken.
 * pending: the entry was being locked or unlocked; a free word then still
 * gets a wake, in case the owner died between release and wake. */
static void robust_death(uint64_t uaddr, uint32_t tid, bool pending)
{
	uint32_t val, new;

	if (uaddr % FUTEX_WORD || futex_get_word(uaddr, &val))
		return;
	if (pending && !val) {
		futex_wake_shared(uaddr, 1);
		return;
	}
	if ((val & ABI_FUTEX_TID_MASK) != tid)
		return;
	new = (val & ABI_FUTEX_WAITERS) | ABI_FUTEX_OWNER_DIED;
	if (futex_put_word(uaddr, new))
		return;
	if (val & ABI_FUTEX_WAITERS)
		futex_wake_shared(uaddr, 1);
}

static void robust_walk(struct thread *t)
{
	struct abi_robust_list_head head;
	uint64_t entry, pending;
	int limit = ROBUST_LIST_LIMIT;

	if (!t->robust_list || copy_from_user(&head, t->robust_list, sizeof(head)))
		return;
	pending = head.list_op_pending & ~ROBUST_ENTRY_PI;
	for (entry = head.list; entry != t->robust_list && limit-- > 0;) {
		uint64_t next;
		bool pi = entry & ROBUST_ENTRY_PI;

		entry &= ~ROBUST_ENTRY_PI;
		if (copy_from_user(&next, entry, sizeof(next)))
			return;
		if (entry != pending && pi)
			futex_pi_owner_died(entry + (uint64_t)head.futex_offset, (uint32_t)t->user_tid);
		else if (entry != pending)
			robust_death(entry + (uint64_t)head.futex_offset, (uint32_t)t->user_tid, false);
		entry = next;
	}
	if (pending && (head.list_op_pending & ROBUST_ENTRY_PI))
		futex_pi_owner_died(pending + (uint64_t)head.futex_offset, (uint32_t)t->user_tid);
	else if (pending)
		robust_death(pending + (uint64_t)head.futex_offset, (uint32_t)t->user_tid, true);
}

void futex_robust_exit(struct thread *t)
{
	robust_walk(t);
	futex_pi_exit((uint32_t)t->user_tid);
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
