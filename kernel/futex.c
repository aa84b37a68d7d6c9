/*
 * kernel/futex.c: futex(2): WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE,
 * CMP_REQUEUE and WAKE_OP (robust futexes: futex_robust.c; priority
 * inheritance: futex_pi.c).
 *
 * A futex is named by a key: a private futex (FUTEX_PRIVATE_FLAG), or any
 * futex in private memory, by (address space, address); one in a MAP_SHARED
 * mapping by (its vm_object, byte offset in it), so processes sharing the
 * object after fork meet on one key whatever address they map it at. A
 * daemon's file pages (shm_open, sem_open: each mmap gets its own foreign
 * vm_object for the same pages) are keyed by (physical page, offset in it),
 * so unrelated processes mapping the file meet too; a physical address
 * never equals a kernel pointer (those are in the upper half). The page
 * stays while any mapping holds it; a waiter whose mapping went away
 * waits on a key nobody can wake but a timeout or signal, as on Linux.
 *
 * Waiters are on FUTEX_BUCKETS hashed lists, each with its own lock (no
 * global lock). A waiter checks the word under its bucket's lock and goes
 * to sleep (waitq_sleep) before releasing it; a waker takes the same lock
 * to find it, so no wake-up is lost. A bucket also counts its waiters, so
 * that a FUTEX_WAKE with none (every unlock of a contended pthread mutex
 * while a waiter is on its way) skips the lock (bucket_may_wait says why
 * that loses nothing). Lock order: bucket locks (two at once
 * by address), then wait_lock; a user access under a bucket lock may take
 * the faulting space's lock inside it.
 *
 * WAKE_OP's update and a robust owner's OWNER_DIED store change the user
 * word by compare-and-swap (cmpxchg_user_u32, LDXR/STXR), retried until it
 * lands: atomic against user-space atomics on other CPUs too, as Linux's
 * futex_atomic_op_inuser and handle_futex_death are. Plain reads of the
 * word (WAIT's comparison) are single aligned 32-bit loads.
 */
#include "kernel/futex.h"
#include "kernel/proc.h"
#include "kernel/clock.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "sched/waitq.h"
#include "mm/uvm.h"
#include "mm/layout.h"
#include "arch/aarch64/uaccess.h"

#define FUTEX_BUCKETS 64
#define FUTEX_HASH_SHIFT 58                  /* 64 - log2(FUTEX_BUCKETS) */
#define FUTEX_WORD sizeof(uint32_t)
#define FUTEX_OPARG_SIGN 0x800 /* the top bit of a 12-bit FUTEX_OP field */
#define FUTEX_SHIFT_MAX 31

struct futex_bucket;

/* On the waiting thread's stack while it waits. */
struct futex_waiter {
	/* Guarded by bucket->lock; bucket itself changes only with both the old
	 * and the new bucket's lock held (requeue), so holding either is
	 * enough to read it. */
	struct futex_key key;
	uint32_t bitset;
	bool woken;                  /* unlinked by a waker: the wake counts */
	struct futex_bucket *bucket;
	struct futex_waiter *next;
	struct waitq wq;             /* the one thread sleeping here */
};

struct futex_bucket {
	spinlock_t lock;
	struct futex_waiter *head; /* guarded by lock, FIFO */
	/* Atomic: waiters counted here, each from before it reads its word
	 * until it has left the list (a requeue moves the count with it), so
	 * that FUTEX_WAKE finding none skips the lock (bucket_may_wait). */
	uint32_t waiters;
};

static struct futex_bucket buckets[FUTEX_BUCKETS] = {
	[0 ... FUTEX_BUCKETS - 1] = { .lock = SPINLOCK_INIT("futex"), .head = NULL },
};

/* The waiter's half of bucket_may_wait's pairing: counted, then a full
 * barrier before it reads the futex word. */
static void waiters_inc(struct futex_bucket *b)
{
	__atomic_add_fetch(&b->waiters, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* DMB ISH: count, then word */
}

static void waiters_dec(struct futex_bucket *b)
{
	__atomic_sub_fetch(&b->waiters, 1, __ATOMIC_RELEASE);
}

/* Whether a waiter may be on b. The waker's user space changed the word
 * before the call; the barrier orders that store before this load, as
 * waiters_inc orders the count before the waiter's read of the word. So
 * either this sees the count, or the waiter sees the new word and does
 * not sleep (EAGAIN): skipping the lock loses no wake-up. Linux's
 * futex_hb_waiters_pending is the same pairing. */
static bool bucket_may_wait(struct futex_bucket *b)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* DMB ISH: word, then count */
	return __atomic_load_n(&b->waiters, __ATOMIC_RELAXED) != 0;
}

static struct futex_bucket *bucket_of(const struct futex_key *k)
{
	return &buckets[futex_key_hash(k) >> FUTEX_HASH_SHIFT];
}

int futex_key(uint64_t uaddr, bool private, struct futex_key *k)
{
	struct aspace *as = current_proc()->as;
	struct vma *v;
	uint64_t irq;
	int err = 0;

	if (uaddr % FUTEX_WORD)
		return -EINVAL;
	if (!user_range_ok(uaddr, FUTEX_WORD))
		return -EFAULT;
	k->space = (uintptr_t)as;
	k->off = uaddr;
	if (private)
		return 0;
	irq = spin_lock_irqsave(&as->lock);
	v = vma_find(as->vmas, uaddr);
	if (!v) {
		err = -EFAULT;
	} else if ((v->flags & VMA_SHARED) && v->obj->foreign) {
		uint64_t off = v->obj_pgoff * PAGE_SIZE + (uaddr - v->start);

		k->space = (uintptr_t)v->obj->pages[off / PAGE_SIZE];
		k->off = off % PAGE_SIZE;
	} else if (v->flags & VMA_SHARED) {
		k->space = (uintptr_t)v->obj;
		k->off = v->obj_pgoff * PAGE_SIZE + (uaddr - v->start);
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

int futex_get_word(uint64_t uaddr, uint32_t *val)
{
	return copy_from_user(val, uaddr, sizeof(*val)) ? -EFAULT : 0;
}

int futex_put_word(uint64_t uaddr, uint32_t val)
{
	return copy_to_user(uaddr, &val, sizeof(val)) ? -EFAULT : 0;
}

static void bucket_link(struct futex_bucket *b, struct futex_waiter *w)
{
	struct futex_waiter **pp = &b->head;

	while (*pp)
		pp = &(*pp)->next;
	w->next = NULL;
	__atomic_store_n(&w->bucket, b, __ATOMIC_RELEASE); /* lock_waiter_bucket */
	*pp = w;
}

static void bucket_unlink(struct futex_bucket *b, struct futex_waiter *w)
{
	for (struct futex_waiter **pp = &b->head; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

/* The two futexes of REQUEUE, CMP_REQUEUE and WAKE_OP. */
struct futex_pair {
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	uint64_t irq;
};

static int pair_init(struct futex_pair *fp, uint64_t uaddr, uint64_t uaddr2, bool private)
{
	int err = futex_key(uaddr, private, &fp->k1);

	if (!err)
		err = futex_key(uaddr2, private, &fp->k2);
	if (err)
		return err;
	fp->b1 = bucket_of(&fp->k1);
	fp->b2 = bucket_of(&fp->k2);
	return 0;
}

/* Locks both buckets (one if they are the same), by address, IRQs masked. */
static void pair_lock(struct futex_pair *fp)
{
	struct futex_bucket *a = MIN(fp->b1, fp->b2), *b = MAX(fp->b1, fp->b2);

	fp->irq = irq_save();
	spin_lock(&a->lock);
	if (b != a)
		spin_lock(&b->lock);
}

static void pair_unlock(struct futex_pair *fp)
{
	if (fp->b2 != fp->b1)
		spin_unlock(&fp->b2->lock);
	spin_unlock(&fp->b1->lock);
	irq_restore(fp->irq);
}

/* Wakes up to n waiters on k whose bitset meets bitset; b->lock held. The
 * waiter may return as soon as b->lock is dropped: w is not used after. */
static int wake_locked(struct futex_bucket *b, const struct futex_key *k, uint32_t bitset, int n)
{
	int woken = 0;

	for (struct futex_waiter **pp = &b->head; *pp && woken < n;) {
		struct futex_waiter *w = *pp;

		if (!futex_key_eq(&w->key, k) || !(w->bitset & bitset)) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		w->woken = true;
		waitq_wake_all(&w->wq);
		woken++;
	}
	return woken;
}

/* Locks the bucket w is on now (a requeue may have moved it). */
static struct futex_bucket *lock_waiter_bucket(struct futex_waiter *w)
{
	for (;;) {
		struct futex_bucket *b = __atomic_load_n(&w->bucket, __ATOMIC_ACQUIRE);

		spin_lock(&b->lock);
		if (__atomic_load_n(&w->bucket, __ATOMIC_RELAXED) == b)
			return b;
		spin_unlock(&b->lock);
	}
}

/* deadline: timer counter, 0 for none. */
long futex_wait(uint64_t uaddr, bool private, uint32_t val, uint64_t deadline,
		uint32_t bitset)
{
	struct futex_waiter w = { .bitset = bitset, .wq = WAITQ_INIT };
	struct futex_bucket *b;
	uint32_t cur;
	uint64_t irq;
	int err;

	if (!bitset)
		return -EINVAL;
	err = futex_key(uaddr, private, &w.key);
	if (!err)
		err = futex_get_word(uaddr, &cur); /* faults the page in, outside the lock */
	if (err)
		return err;
	b = bucket_of(&w.key);
	waiters_inc(b);
	irq = spin_lock_irqsave(&b->lock);
	err = futex_get_word(uaddr, &cur);
	if (!err && cur != val)
		err = -EAGAIN;
	if (!err && deadline && deadline <= timer_now())
		err = -ETIMEDOUT;
	if (err) {
		spin_unlock_irqrestore(&b->lock, irq);
		waiters_dec(b);
		return err;
	}
	bucket_link(b, &w);
	err = waitq_sleep(&w.wq, &b->lock, deadline);
	spin_unlock(&b->lock); /* the bucket it slept on; it may have moved */
	b = lock_waiter_bucket(&w);
	if (w.woken)
		err = 0; /* woken before the timeout or kill took effect: it counts */
	else
		bucket_unlink(b, &w);
	spin_unlock_irqrestore(&b->lock, irq);
	waiters_dec(b); /* the bucket it ended on, which holds its count */
	return err;
}

long futex_wake(uint64_t uaddr, bool private, int n, uint32_t bitset)
{
	struct futex_key k;
	struct futex_bucket *b;
	uint64_t irq;
	int err, woken;

	if (!bitset)
		return -EINVAL;
	err = futex_key(uaddr, private, &k);
	if (err)
		return err;
	b = bucket_of(&k);
	if (!bucket_may_wait(b))
		return 0;
	irq = spin_lock_irqsave(&b->lock);
	woken = wake_locked(b, &k, bitset, n);
	spin_unlock_irqrestore(&b->lock, irq);
	return woken;
}

long futex_wake_shared(uint64_t uaddr, int n)
{
	return futex_wake(uaddr, false, n, ABI_FUTEX_BITSET_MATCH_ANY);
}

/* REQUEUE and CMP_REQUEUE (cmp: check *uaddr == val3 first). */
long futex_requeue(uint64_t uaddr, uint64_t uaddr2, bool private, int nr_wake,
		   int nr_requeue, bool cmp, uint32_t val3)
{
	struct futex_pair fp;
	uint32_t cur;
	long err, done;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	err = pair_init(&fp, uaddr, uaddr2, private);
	if (!err && cmp)
		err = futex_get_word(uaddr, &cur);
	if (err)
		return err;
	pair_lock(&fp);
	if (cmp) {
		err = futex_get_word(uaddr, &cur);
		if (!err && cur != val3)
			err = -EAGAIN;
	}
	if (err) {
		pair_unlock(&fp);
		return err;
	}
	done = wake_locked(fp.b1, &fp.k1, ABI_FUTEX_BITSET_MATCH_ANY, nr_wake);
	for (struct futex_waiter **pp = &fp.b1->head; *pp && nr_requeue > 0;) {
		struct futex_waiter *w = *pp;

		if (!futex_key_eq(&w->key, &fp.k1)) {
			pp = &w->next;
			continue;
		}
		nr_requeue--;
		done++;
		if (futex_key_eq(&fp.k1, &fp.k2)) {
			pp = &w->next; /* onto itself: it stays */
			continue;
		}
		*pp = w->next;
		w->key = fp.k2;
		if (fp.b2 != fp.b1) { /* its count goes with it */
			waiters_inc(fp.b2);
			waiters_dec(fp.b1);
		}
		bucket_link(fp.b2, w); /* both locks held: w->bucket may change */
	}
	pair_unlock(&fp);
	return done;
}

static int32_t sign_extend12(uint32_t v)
{
	v &= ABI_FUTEX_FIELD_MASK;
	return (v & FUTEX_OPARG_SIGN) ? (int32_t)v - (int32_t)(ABI_FUTEX_FIELD_MASK + 1) : (int32_t)v;
}

/* FUTEX_OP's operation on old: 0 and *out, or -ENOSYS for an unknown op. */
static int wake_op_apply(uint32_t val3, uint32_t old, uint32_t *out)
{
	unsigned op = (val3 >> ABI_FUTEX_OP_SHIFT) & ABI_FUTEX_NIBBLE_MASK;
	uint32_t arg = (uint32_t)sign_extend12(val3 >> ABI_FUTEX_OPARG_SHIFT);

	if (op & ABI_FUTEX_OP_ARG_SHIFT_FLAG) {
		arg = 1U << (arg & FUTEX_SHIFT_MAX);
		op &= ~ABI_FUTEX_OP_ARG_SHIFT_FLAG;
	}
	switch (op) {
	case ABI_FUTEX_OP_SET: *out = arg; return 0;
	case ABI_FUTEX_OP_ADD: *out = old + arg; return 0;
	case ABI_FUTEX_OP_OR: *out = old | arg; return 0;
	case ABI_FUTEX_OP_ANDN: *out = old & ~arg; return 0;
	case ABI_FUTEX_OP_XOR: *out = old ^ arg; return 0;
	default: return -ENOSYS;
	}
}

/* FUTEX_OP's comparison of the old value: 1, 0, or -ENOSYS. */
static int wake_op_cmp(uint32_t val3, uint32_t old)
{
	int32_t o = (int32_t)old, arg = sign_extend12(val3);

	switch ((val3 >> ABI_FUTEX_CMP_SHIFT) & ABI_FUTEX_NIBBLE_MASK) {
	case ABI_FUTEX_OP_CMP_EQ: return o == arg;
	case ABI_FUTEX_OP_CMP_NE: return o != arg;
	case ABI_FUTEX_OP_CMP_LT: return o < arg;
	case ABI_FUTEX_OP_CMP_LE: return o <= arg;
	case ABI_FUTEX_OP_CMP_GT: return o > arg;
	case ABI_FUTEX_OP_CMP_GE: return o >= arg;
	default: return -ENOSYS;
	}
}

/* Applies FUTEX_OP to the word at uaddr by compare-and-swap, retried
 * while user space (any CPU) changes it between: *old gets the value the
 * update replaced. 0 or -EFAULT. */
static long wake_op_update(uint64_t uaddr, uint32_t val3, uint32_t *old)
{
	uint32_t cur, new = 0, prev; /* op checked valid by the caller */
	long err = futex_get_word(uaddr, &cur);

	while (!err) {
		wake_op_apply(val3, cur, &new);
		err = cmpxchg_user_u32(uaddr, cur, new, &prev);
		if (!err && prev == cur) {
			*old = cur;
			return 0;
		}
		cur = prev;
	}
	return err;
}

long futex_wake_op(uint64_t uaddr, uint64_t uaddr2, bool private, int n, int n2,
		   uint32_t val3)
{
	struct futex_pair fp;
	uint32_t old, new;
	long err, woken;

	err = pair_init(&fp, uaddr, uaddr2, private);
	if (!err)
		err = futex_get_word(uaddr2, &old);
	if (!err)
		err = wake_op_apply(val3, old, &new);
	if (!err && wake_op_cmp(val3, old) < 0)
		err = -ENOSYS;
	if (err)
		return err;
	pair_lock(&fp);
	err = wake_op_update(uaddr2, val3, &old);
	if (!err) {
		woken = wake_locked(fp.b1, &fp.k1, ABI_FUTEX_BITSET_MATCH_ANY, n);
		if (wake_op_cmp(val3, old) > 0)
			woken += wake_locked(fp.b2, &fp.k2, ABI_FUTEX_BITSET_MATCH_ANY, n2);
		err = woken;
	}
	pair_unlock(&fp);
	return err;
}

/* The timeout's deadline on the timer counter (0: none). WAIT takes a
 * relative time; WAIT_BITSET an absolute one on CLOCK_MONOTONIC, or on
 * CLOCK_REALTIME with FUTEX_CLOCK_REALTIME. */
long futex_deadline(uint64_t uts, bool absolute, bool realtime, uint64_t *deadline)
{
	uint64_t ns, now;
	long err;

	*deadline = 0;
	if (!uts)
		return 0;
	err = timespec_from_user(uts, &ns);
	if (err)
		return err;
	if (absolute) {
		clock_read_ns(realtime ? ABI_CLOCK_REALTIME : ABI_CLOCK_MONOTONIC, &now);
		ns = ns > now ? ns - now : 0;
	}
	*deadline = ns ? timer_deadline_after_ns(ns) : timer_now();
	if (*deadline == TIMER_NEVER)
		*deadline = 0;
	return 0;
}
