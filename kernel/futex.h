/*
 * kernel/futex.h: futex(2) wait queues, hashed by key (futex.c), and the
 * robust-futex list a dying thread leaves (futex_robust.c).
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "kernel/lib/types.h"

struct thread;

/* A futex's name (futex.c): (address space, address) for a private futex
 * or one in private memory, (vm_object, byte offset) in a MAP_SHARED one. */
struct futex_key {
	uintptr_t space; /* struct aspace *, struct vm_object *, or a physical page */
	uint64_t off;    /* user address, or byte offset in the object or page */
};

#define FUTEX_HASH_MUL 0x9e3779b97f4a7c15ULL /* Fibonacci hashing */

static inline bool futex_key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->off == b->off;
}

/* A hash of k whose top bits pick a bucket. */
static inline uint64_t futex_key_hash(const struct futex_key *k)
{
	return ((uint64_t)k->space ^ k->off) * FUTEX_HASH_MUL;
}

/* The key of the current process's word at uaddr: -EINVAL if misaligned,
 * -EFAULT if no mapping holds it. */
int futex_key(uint64_t uaddr, bool private, struct futex_key *k);
/* The futex word at uaddr, read or written through the user-copy helpers:
 * 0 or -EFAULT. Atomic against other kernel paths only under the caller's
 * bucket lock, not against user space on another CPU. */
int futex_get_word(uint64_t uaddr, uint32_t *val);
int futex_put_word(uint64_t uaddr, uint32_t val);
/* FUTEX_LOCK_PI, LOCK_PI2, UNLOCK_PI, TRYLOCK_PI (futex_pi.c): cmd and
 * flags as futex(2)'s op; uts the timeout argument. */
long futex_pi(int cmd, uint64_t uaddr, bool private, bool realtime, uint64_t uts);
/* A dying thread tid's robust PI futex at uaddr: FUTEX_OWNER_DIED, and
 * the lock handed to its best waiter if any (futex_pi.c). */
void futex_pi_owner_died(uint64_t uaddr, uint32_t tid);
/* At a thread's exit: the PI futexes it owns with waiters go to them with
 * FUTEX_OWNER_DIED (futex_pi.c). */
void futex_pi_exit(uint32_t tid);
/* The operations of futex(2) (syscall/sys_futex.c decodes them): WAIT
 * (until deadline on the timer counter, 0: none; bitset selects wakers),
 * WAKE, (CMP_)REQUEUE (cmp: compare *uaddr with val3 first) and WAKE_OP;
 * the number woken or -errno. */
long futex_wait(uint64_t uaddr, bool private, uint32_t val, uint64_t deadline, uint32_t bitset);
long futex_wake(uint64_t uaddr, bool private, int n, uint32_t bitset);
long futex_requeue(uint64_t uaddr, uint64_t uaddr2, bool private, int nr_wake, int nr_requeue,
		   bool cmp, uint32_t val3);
long futex_wake_op(uint64_t uaddr, uint64_t uaddr2, bool private, int n, int n2, uint32_t val3);
/* The timeout argument as a deadline on the timer counter, 0 for none. */
long futex_deadline(uint64_t uts, bool absolute, bool realtime, uint64_t *deadline);

/* Wakes up to n waiters on the current process's word at uaddr, keyed as
 * a shared futex (exit's child-tid word, robust futexes); the number woken
 * or -errno. */
long futex_wake_shared(uint64_t uaddr, int n);
/* Marks the robust futexes the current thread t still holds as
 * FUTEX_OWNER_DIED and wakes one waiter of each (at its exit). */
void futex_robust_exit(struct thread *t);

#endif
