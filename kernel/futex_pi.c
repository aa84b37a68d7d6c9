/*
 * kernel/futex_pi.c: priority-inheritance futexes, FUTEX_LOCK_PI,
 * LOCK_PI2, UNLOCK_PI and TRYLOCK_PI, with Linux's word protocol: the word
 * holds the owner's TID (ABI_FUTEX_TID_MASK), FUTEX_WAITERS once a waiter
 * blocks (so the owner's user-space unlock fails its CAS and comes here),
 * FUTEX_OWNER_DIED after a robust owner's death.
 *
 * Waiters sleep on their own FUTEX_PI_BUCKETS hashed lists (not futex.c's,
 * so WAKE and REQUEUE never touch them). UNLOCK_PI hands the lock straight
 * to the best waiter (highest priority, FIFO inside one): it writes that
 * waiter's TID, with FUTEX_WAITERS if others remain, and wakes it.
 *
 * Inheritance: each blocked waiter is counted, by its priority, in its
 * owner's pi_boost (sched_pi_boost), and the owner runs at the best of its
 * own and its waiters' priorities; a handover moves the remaining waiters'
 * counts to the new owner, a waiter that gives up (timeout, signal) takes
 * its count back. One level: a boosted owner that itself waits on a PI
 * futex does not pass the boost on (no chains). Owners are found by TID
 * among the caller's own threads, so a futex shared with another process
 * whose owner is there gets ESRCH (Anode has no global TID lookup here).
 *
 * Lock order: a PI bucket lock, then the process's threads_lock
 * (proc_for_each_thread), then wait_lock. The word is read and written
 * under the bucket lock (IRQs masked), which orders the kernel's paths;
 * user space changes it at the same time with its own atomics on other
 * CPUs (the lock's fast path, CAS 0 -> TID, and the unlock's, TID -> 0,
 * both only while FUTEX_WAITERS is clear). So where the word may be free
 * or without FUTEX_WAITERS, LOCK_PI changes it by compare-and-exchange
 * (cmpxchg_user_u32, as Linux's futex_lock_pi_atomic), and starts again
 * when user space got there first: a plain store there could overwrite
 * an owner that took the word by CAS meanwhile (whose unlock then finds
 * another TID: EPERM), or set FUTEX_WAITERS on a word its owner just freed.
 * Where the word has FUTEX_WAITERS or an owner that is in here (UNLOCK_PI)
 * or dead, no user CAS can succeed, and plain stores suffice.
 */
#include "kernel/futex.h"
#include "kernel/proc.h"
#include "kernel/thread_group.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "sched/waitq.h"
#include "arch/aarch64/uaccess.h"

#define FUTEX_PI_BUCKETS 64
#define FUTEX_PI_HASH_SHIFT 58                  /* 64 - log2(FUTEX_PI_BUCKETS) */

/* On the waiting thread's stack while it waits; all fields guarded by its
 * bucket's lock. */
struct pi_waiter {
	struct futex_key key;
	uint64_t uaddr;     /* in proc's address space */
	struct proc *proc;  /* the waiter's process */
	uint32_t tid;       /* the waiter's user TID */
	int prio;           /* its priority when it blocked */
	uint32_t owner_tid; /* whose pi_boost counts it (if boosted) */
	bool boosted;
	bool granted;       /* the lock was handed to it: the word says so */
	struct pi_waiter *next;
	struct waitq wq;    /* the one thread sleeping here */
};

struct pi_bucket {
	spinlock_t lock;
	struct pi_waiter *head; /* guarded by lock, FIFO */
};

static struct pi_bucket pi_buckets[FUTEX_PI_BUCKETS] = {
	[0 ... FUTEX_PI_BUCKETS - 1] = { .lock = SPINLOCK_INIT("futex_pi"), .head = NULL },
};

static struct pi_bucket *pi_bucket_of(const struct futex_key *k)
{
	return &pi_buckets[futex_key_hash(k) >> FUTEX_PI_HASH_SHIFT];
}

struct boost_req {
	uint32_t tid;
	int prio, delta; /* delta 0: only look the thread up */
	bool found;
};

/* Under threads_lock (proc_for_each_thread): t stays alive. */
static void boost_one(struct thread *t, void *arg)
{
	struct boost_req *r = arg;

	if ((uint32_t)t->user_tid != r->tid)
		return;
	r->found = true;
	if (r->delta)
		sched_pi_boost(t, r->prio, r->delta);
}

/* Counts delta waiters of priority prio on the caller's thread tid; false
 * if the caller's process has no such thread. */
static bool boost_tid(uint32_t tid, int prio, int delta)
{
	struct boost_req r = { .tid = tid, .prio = prio, .delta = delta };

	proc_for_each_thread(current_proc(), boost_one, &r);
	return r.found;
}

static void unboost(struct pi_waiter *w)
{
	if (w->boosted)
		boost_tid(w->owner_tid, w->prio, -1);
	w->boosted = false;
}

static void pi_unlink(struct pi_bucket *b, struct pi_waiter *w)
{
	for (struct pi_waiter **pp = &b->head; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

/* The best waiter on k (lowest priority number, first come); NULL if none.
 * *others: whether another waiter remains. b->lock held. */
static struct pi_waiter *best_waiter(struct pi_bucket *b, const struct futex_key *k, bool *others)
{
	struct pi_waiter *best = NULL;
	int n = 0;

	for (struct pi_waiter *w = b->head; w; w = w->next) {
		if (!futex_key_eq(&w->key, k))
			continue;
		n++;
		if (!best || w->prio < best->prio)
			best = w;
	}
	*others = n > 1;
	return best;
}

/* Gives the futex at uaddr (its word now cur) to its best waiter, or frees
 * it: the word becomes the waiter's TID | keep (| FUTEX_WAITERS if others
 * remain), or free_val without waiters. Moves the boosts. b->lock held. */
static int handover_locked(struct pi_bucket *b, const struct futex_key *k, uint64_t uaddr,
			   uint32_t keep, uint32_t free_val)
{
	bool others;
	struct pi_waiter *best = best_waiter(b, k, &others);
	int err;

	if (!best)
		return futex_put_word(uaddr, free_val);
	err = futex_put_word(uaddr, best->tid | keep | (others ? ABI_FUTEX_WAITERS : 0));
	if (err)
		return err;
	pi_unlink(b, best);
	unboost(best);
	for (struct pi_waiter *w = b->head; w; w = w->next) {
		if (!futex_key_eq(&w->key, k))
			continue;
		unboost(w);
		w->owner_tid = best->tid;
		w->boosted = boost_tid(best->tid, w->prio, 1);
	}
	best->granted = true;
	waitq_wake_all(&best->wq);
	return 0;
}

static bool has_waiters(struct pi_bucket *b, const struct futex_key *k)
{
	bool others;

	return best_waiter(b, k, &others) != NULL;
}

/* Replaces the word at uaddr, read as cur, by val: 0, -EFAULT, or
 * -EAGAIN if user space changed it since (nothing written). */
static int pi_cas_word(uint64_t uaddr, uint32_t cur, uint32_t val)
{
	uint32_t prev;
	long err = cmpxchg_user_u32(uaddr, cur, val, &prev);

	if (err)
		return (int)err;
	return prev == cur ? 0 : -EAGAIN;
}

/* LOCK_PI (trylock false) and TRYLOCK_PI. deadline: timer counter, 0 none. */
static long pi_lock(uint64_t uaddr, bool private, uint64_t deadline, bool trylock)
{
	struct thread *self = current_thread();
	struct pi_waiter w = { .tid = (uint32_t)self->user_tid, .uaddr = uaddr,
			    .proc = current_proc(), .wq = WAITQ_INIT };
	struct pi_bucket *b;
	uint32_t cur, owner;
	uint64_t irq;
	long err;

	err = futex_key(uaddr, private, &w.key);
	if (!err)
		err = futex_get_word(uaddr, &cur); /* faults the page in, outside the lock */
	if (err)
		return err;
	w.prio = sched_get_prio(self);
	b = pi_bucket_of(&w.key);
retry:
	irq = spin_lock_irqsave(&b->lock);
	err = futex_get_word(uaddr, &cur);
	owner = cur & ABI_FUTEX_TID_MASK;
	if (err)
		goto out;
	if (!owner) { /* free (maybe after an owner's death): take it */
		err = pi_cas_word(uaddr, cur, w.tid | (cur & ABI_FUTEX_OWNER_DIED) |
						(has_waiters(b, &w.key) ? ABI_FUTEX_WAITERS : 0));
		goto out_or_retry;
	}
	if (owner == w.tid) {
		err = -EDEADLK;
		goto out;
	}
	w.owner_tid = owner;
	w.boosted = boost_tid(owner, w.prio, trylock ? 0 : 1);
	if (!w.boosted) {
		err = -ESRCH;
		goto out;
	}
	if (trylock) {
		w.boosted = false;
		err = -EAGAIN;
		goto out;
	}
	if (deadline && deadline <= timer_now())
		err = -ETIMEDOUT;
	else if (!(cur & ABI_FUTEX_WAITERS))
		err = pi_cas_word(uaddr, cur, cur | ABI_FUTEX_WAITERS);
	if (err) {
		unboost(&w);
		goto out_or_retry;
	}
	w.next = NULL;
	{
		struct pi_waiter **pp = &b->head;

		while (*pp)
			pp = &(*pp)->next;
		*pp = &w;
	}
	err = waitq_sleep(&w.wq, &b->lock, deadline);
	if (w.granted) {
		err = 0; /* handed over before the timeout or signal took effect */
	} else {
		/* Timeout or signal: leave; FUTEX_WAITERS may stay set (the
		 * owner's unlock then comes here and finds nobody). musl's
		 * lock loops on EINTR, as Linux restarts LOCK_PI itself. */
		pi_unlink(b, &w);
		unboost(&w);
	}
out_or_retry:
	if (err == -EAGAIN) { /* user space changed the word: look again */
		spin_unlock_irqrestore(&b->lock, irq);
		goto retry;
	}
out:
	spin_unlock_irqrestore(&b->lock, irq);
	return err;
}

static long pi_unlock(uint64_t uaddr, bool private)
{
	struct futex_key k;
	struct pi_bucket *b;
	uint32_t cur, me = (uint32_t)current_thread()->user_tid;
	uint64_t irq;
	long err;

	err = futex_key(uaddr, private, &k);
	if (!err)
		err = futex_get_word(uaddr, &cur);
	if (err)
		return err;
	b = pi_bucket_of(&k);
	irq = spin_lock_irqsave(&b->lock);
	err = futex_get_word(uaddr, &cur);
	if (!err && (cur & ABI_FUTEX_TID_MASK) != me)
		err = -EPERM;
	if (!err)
		err = handover_locked(b, &k, uaddr, 0, 0);
	spin_unlock_irqrestore(&b->lock, irq);
	return err;
}

void futex_pi_owner_died(uint64_t uaddr, uint32_t tid)
{
	struct futex_key k;
	struct pi_bucket *b;
	uint32_t cur;
	uint64_t irq;

	if (futex_key(uaddr, false, &k) || futex_get_word(uaddr, &cur))
		return;
	b = pi_bucket_of(&k);
	irq = spin_lock_irqsave(&b->lock);
	if (!futex_get_word(uaddr, &cur) && (cur & ABI_FUTEX_TID_MASK) == tid)
		handover_locked(b, &k, uaddr, ABI_FUTEX_OWNER_DIED,
				(cur & ABI_FUTEX_WAITERS) | ABI_FUTEX_OWNER_DIED);
	spin_unlock_irqrestore(&b->lock, irq);
}

/* A waiter of the caller's process in b counted on owner tid (its word is
 * in this address space); NULL if none. b->lock held. */
static struct pi_waiter *waiter_of_owner(struct pi_bucket *b, uint32_t tid)
{
	for (struct pi_waiter *w = b->head; w; w = w->next)
		if (w->owner_tid == tid && w->proc == current_proc())
			return w;
	return NULL;
}

/*
 * Linux's exit_pi_state_list: PI futexes the dying thread tid owns with
 * waiters blocked on them, robust or not, go to their best waiter with
 * FUTEX_OWNER_DIED. If the word meanwhile names another owner (a
 * user-space CAS after the C library's own robust-list walk freed it), the
 * waiters stay, counted on that owner, with FUTEX_WAITERS set so its unlock
 * comes here. Runs in the dying thread, so the words are in this space.
 */
void futex_pi_exit(uint32_t tid)
{
	for (int i = 0; i < FUTEX_PI_BUCKETS; i++) {
		struct pi_bucket *b = &pi_buckets[i];
		uint64_t irq = spin_lock_irqsave(&b->lock);
		struct pi_waiter *w;

		while ((w = waiter_of_owner(b, tid)) != NULL) {
			struct futex_key k = w->key;
			uint64_t uaddr = w->uaddr;
			uint32_t cur = 0, owner;

			if (futex_get_word(uaddr, &cur))
				cur = 0;
			owner = cur & ABI_FUTEX_TID_MASK;
			if ((owner == tid || !owner) &&
			    !handover_locked(b, &k, uaddr, ABI_FUTEX_OWNER_DIED, 0))
				continue;
			/* Another owner, or the word is gone: re-count on it (a
			 * thread elsewhere is not found, so its exit skips these).
			 * That owner may unlock in user space meanwhile (no
			 * FUTEX_WAITERS yet): then look at the word again. */
			if (owner && owner != tid &&
			    pi_cas_word(uaddr, cur, cur | ABI_FUTEX_WAITERS) == -EAGAIN)
				continue;
			if (owner == tid)
				owner = 0; /* the word faulted: nobody, so the loop ends */
			for (struct pi_waiter *o = b->head; o; o = o->next) {
				if (!futex_key_eq(&o->key, &k))
					continue;
				unboost(o);
				o->owner_tid = owner;
				o->boosted = owner && boost_tid(owner, o->prio, 1);
			}
		}
		spin_unlock_irqrestore(&b->lock, irq);
	}
}

long futex_pi(int cmd, uint64_t uaddr, bool private, bool realtime, uint64_t uts)
{
	uint64_t deadline = 0;
	long err = 0;

	switch (cmd) {
	case ABI_FUTEX_UNLOCK_PI:
		return pi_unlock(uaddr, private);
	case ABI_FUTEX_TRYLOCK_PI:
		return pi_lock(uaddr, private, 0, true);
	case ABI_FUTEX_LOCK_PI: /* absolute, on CLOCK_REALTIME (Linux) */
		err = futex_deadline(uts, true, true, &deadline);
		break;
	default: /* LOCK_PI2: CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME */
		err = futex_deadline(uts, true, realtime, &deadline);
		break;
	}
	return err ? err : pi_lock(uaddr, private, deadline, false);
}
