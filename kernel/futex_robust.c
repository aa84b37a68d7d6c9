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
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "arch/aarch64/uaccess.h"

#define ROBUST_LIST_LIMIT 2048 /* Linux's bound on a (maybe circular) list */
#define ROBUST_ENTRY_PI 1UL    /* bit 0 of an entry: a PI futex */
#define FUTEX_WORD sizeof(uint32_t)

/* One robust futex of the dead owner tid: OWNER_DIED, and one waiter woken.
 * pending: the entry was being locked or unlocked; a free word then still
 * gets a wake, in case the owner died between release and wake. */
static void robust_death(uint64_t uaddr, uint32_t tid, bool pending)
{
	uint32_t val, prev;

	if (uaddr % FUTEX_WORD || futex_get_word(uaddr, &val))
		return;
	if (pending && !val) {
		futex_wake_shared(uaddr, 1);
		return;
	}
	/* By compare-and-swap: a waiter on another CPU may be setting
	 * FUTEX_WAITERS in user space at this moment (Linux's
	 * handle_futex_death retries the same way). */
	for (;;) {
		if ((val & ABI_FUTEX_TID_MASK) != tid)
			return;
		if (cmpxchg_user_u32(uaddr, val, (val & ABI_FUTEX_WAITERS) | ABI_FUTEX_OWNER_DIED, &prev))
			return;
		if (prev == val)
			break;
		val = prev;
	}
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
