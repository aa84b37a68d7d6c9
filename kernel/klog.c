/*
 * kernel/klog.c: the kernel log ring buffer (see klog.h), and waiting for
 * new text (kmsg:). klog_lock is the last lock of all (printk works under
 * any lock), so a follower must not sleep holding it (waitq_sleep takes
 * wait_lock inside its lock): followers wait under their own klog_wait,
 * ranked before sched (LOCKING in kernel/lib/spinlock.h). A writer wakes
 * them only when one sleeps: a follower counts itself, then reads the
 * total; a writer adds to the total, then reads the count (both sequentially
 * consistent), so at least one sees the other; the wake-up itself is under
 * klog_wait, so it cannot fall between a follower's check and its sleep.
 * Writers in a panic wake nobody: the scheduler's state may be what broke.
 *
 * A panic also busts klog_lock (Linux's "bust the locks"): the holder may
 * be a CPU that will never let go (stopped, stuck with interrupts masked,
 * or the panicking CPU itself), so from klog_panic() on the lock is taken
 * with a bounded wait, then regardless. Only the reporting CPU and the
 * stopped ones print then, one at a time (kernel/panic.c), so the ring
 * stays whole; what a stuck holder was writing may be lost.
 */
#include "kernel/klog.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "kernel/timer.h"
#include "kernel/selftest.h"
#include "kernel/panic.h"
#include "kernel/smp.h"
#include "kernel/percpu.h"
#include "sched/waitq.h"
#include "asm/cpu.h"

#define KLOG_BUST_WAIT_NS (100 * NSEC_PER_MSEC) /* a healthy holder lets go far sooner */

static spinlock_t klog_lock = SPINLOCK_INIT("klog");
/* Guarded by klog_lock: */
static char klog_buf[KLOG_SIZE];
static uint64_t klog_total; /* bytes ever written; the ring holds the last KLOG_SIZE */
static bool user_open; /* the log ends inside a program's line (klog_write_user) */
static spinlock_t klog_wait = SPINLOCK_INIT("klog-wait");
/* Guarded by klog_wait (and read atomically without it): */
static unsigned followers; /* sleeping in klog_follow */
static struct waitq follow_wait = WAITQ_INIT;
static bool no_wake; /* atomic: set for good by klog_stop_waking */
static bool busting; /* atomic: set for good by klog_panic */

/* How klog_lock was taken: raw (a panic's bounded take, no lockdep) or not. */
struct klog_hold {
	uint64_t irq;
	bool raw;
};

static struct klog_hold log_lock(void)
{
	struct klog_hold h = { .irq = irq_save() };
	uint64_t deadline;

	if (!__atomic_load_n(&busting, __ATOMIC_ACQUIRE)) {
		spin_lock(&klog_lock);
		return h;
	}
	h.raw = true;
	deadline = timer_deadline_after_ns(KLOG_BUST_WAIT_NS);
	while (__atomic_exchange_n(&klog_lock.locked, 1, __ATOMIC_ACQUIRE) && timer_now() < deadline)
		__asm__ volatile("yield");
	return h; /* owned, or taken from a holder that will never let go */
}

static void log_unlock(struct klog_hold h)
{
	if (h.raw)
		__atomic_store_n(&klog_lock.locked, 0, __ATOMIC_RELEASE);
	else
		spin_unlock(&klog_lock);
	irq_restore(h.irq);
}

/* Appends s; klog_lock held. */
static void put_locked(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		klog_buf[(klog_total + i) % KLOG_SIZE] = s[i];
	__atomic_store_n(&klog_total, klog_total + n, __ATOMIC_SEQ_CST);
}

/* After an append: wakes the followers, if any sleep. */
static void wake_followers(void)
{
	uint64_t flags;

	if (__atomic_load_n(&followers, __ATOMIC_SEQ_CST) && !__atomic_load_n(&no_wake, __ATOMIC_RELAXED)) {
		flags = spin_lock_irqsave(&klog_wait);
		waitq_wake_all(&follow_wait);
		spin_unlock_irqrestore(&klog_wait, flags);
	}
}

void klog_write(const char *s, size_t n)
{
	static const char newline = '\n';
	struct klog_hold h = log_lock();

	/* Kernel text starts on a fresh line, never inside a program's. */
	if (user_open && n) {
		put_locked(&newline, sizeof(newline));
		user_open = false;
	}
	put_locked(s, n);
	log_unlock(h);
	wake_followers();
}

void klog_write_user(const char *s, size_t n)
{
	struct klog_hold h = log_lock();

	put_locked(s, n);
	if (n)
		user_open = s[n - 1] != '\n';
	log_unlock(h);
	wake_followers();
}

uint64_t klog_end(void)
{
	return __atomic_load_n(&klog_total, __ATOMIC_RELAXED);
}

uint64_t klog_start(void)
{
	uint64_t end = klog_end();

	return end > KLOG_SIZE ? end - KLOG_SIZE : 0;
}

size_t klog_read(uint64_t pos, char *buf, size_t n)
{
	struct klog_hold h = log_lock();
	uint64_t oldest = klog_total > KLOG_SIZE ? klog_total - KLOG_SIZE : 0;
	size_t count = 0;

	if (pos < oldest)
		pos = oldest;
	for (; count < n && pos < klog_total; count++, pos++)
		buf[count] = klog_buf[pos % KLOG_SIZE];
	log_unlock(h);
	return count;
}

/* Waits until the log goes past pos: 0, -EAGAIN (!block) or -EINTR. */
static int wait_for_text(uint64_t pos, bool block)
{
	uint64_t flags = spin_lock_irqsave(&klog_wait);
	bool ready;
	int err;

	do {
		__atomic_add_fetch(&followers, 1, __ATOMIC_SEQ_CST);
		ready = pos < __atomic_load_n(&klog_total, __ATOMIC_SEQ_CST);
		err = ready ? 0 : !block ? -EAGAIN : waitq_sleep(&follow_wait, &klog_wait, 0);
		__atomic_sub_fetch(&followers, 1, __ATOMIC_SEQ_CST);
	} while (!ready && !err);
	spin_unlock_irqrestore(&klog_wait, flags);
	return err;
}

long klog_follow(uint64_t *pos, char *buf, size_t n, bool block)
{
	struct klog_hold h;
	uint64_t oldest;
	size_t count = 0;
	int err = wait_for_text(*pos, block);

	if (err)
		return err;
	h = log_lock();
	oldest = klog_total > KLOG_SIZE ? klog_total - KLOG_SIZE : 0;
	if (*pos < oldest)
		*pos = oldest;
	for (; count < n && *pos < klog_total; count++, (*pos)++)
		buf[count] = klog_buf[*pos % KLOG_SIZE];
	log_unlock(h);
	return (long)count;
}

void klog_stop_waking(void)
{
	__atomic_store_n(&no_wake, true, __ATOMIC_RELAXED);
}

void klog_panic(void)
{
	klog_stop_waking();
	__atomic_store_n(&busting, true, __ATOMIC_RELEASE);
}

/* The last online CPU (0 if alone). */
static unsigned last_cpu(void)
{
	unsigned last = 0;

	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (smp_cpu_online(i))
			last = i;
	return last;
}

void selftest_klog_panic_demo(bool self)
{
	unsigned last = last_cpu();

	/* Taken as a writer would and never let go, interrupts masked. */
	irq_disable();
	spin_lock(&klog_lock);
	if (self || last == 0)
		panic("selftest: deliberate panic holding klog_lock (selftest=klogpanicself)");
	smp_send_ipi(last, IPI_PANIC_DEMO);
	for (;;) /* stuck holding it: the stop IPI cannot reach this CPU */
		__asm__ volatile("yield");
}
