/*
 * kernel/klog.c: the kernel log ring buffer (see klog.h), and waiting for
 * new text (kmsg:). klog_lock is the last lock of all (printk works under
 * any lock), so a follower must not sleep holding it (waitq_sleep takes
 * sched_lock inside its lock): followers wait under their own klog_wait,
 * ranked before sched (LOCKING in kernel/lib/spinlock.h). A writer wakes
 * them only when one sleeps: a follower counts itself, then reads the
 * total; a writer adds to the total, then reads the count (both sequentially
 * consistent), so at least one sees the other; the wake-up itself is under
 * klog_wait, so it cannot fall between a follower's check and its sleep.
 * Writers in a panic wake nobody: the scheduler's state may be what broke.
 */
#include "kernel/klog.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "sched/waitq.h"

static spinlock_t klog_lock = SPINLOCK_INIT("klog");
/* Guarded by klog_lock: */
static char klog_buf[KLOG_SIZE];
static uint64_t klog_total; /* bytes ever written; the ring holds the last KLOG_SIZE */
static spinlock_t klog_wait = SPINLOCK_INIT("klog-wait");
/* Guarded by klog_wait (and read atomically without it): */
static unsigned followers; /* sleeping in klog_follow */
static struct waitq follow_wait = WAITQ_INIT;
static bool no_wake; /* atomic: set for good by klog_stop_waking */

void klog_write(const char *s, size_t n)
{
	uint64_t flags = spin_lock_irqsave(&klog_lock);

	for (size_t i = 0; i < n; i++)
		klog_buf[(klog_total + i) % KLOG_SIZE] = s[i];
	__atomic_store_n(&klog_total, klog_total + n, __ATOMIC_SEQ_CST);
	spin_unlock_irqrestore(&klog_lock, flags);
	if (__atomic_load_n(&followers, __ATOMIC_SEQ_CST) && !__atomic_load_n(&no_wake, __ATOMIC_RELAXED)) {
		flags = spin_lock_irqsave(&klog_wait);
		waitq_wake_all(&follow_wait);
		spin_unlock_irqrestore(&klog_wait, flags);
	}
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
	uint64_t flags = spin_lock_irqsave(&klog_lock);
	uint64_t oldest = klog_total > KLOG_SIZE ? klog_total - KLOG_SIZE : 0;
	size_t count = 0;

	if (pos < oldest)
		pos = oldest;
	for (; count < n && pos < klog_total; count++, pos++)
		buf[count] = klog_buf[pos % KLOG_SIZE];
	spin_unlock_irqrestore(&klog_lock, flags);
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
	uint64_t flags, oldest;
	size_t count = 0;
	int err = wait_for_text(*pos, block);

	if (err)
		return err;
	flags = spin_lock_irqsave(&klog_lock);
	oldest = klog_total > KLOG_SIZE ? klog_total - KLOG_SIZE : 0;
	if (*pos < oldest)
		*pos = oldest;
	for (; count < n && *pos < klog_total; count++, (*pos)++)
		buf[count] = klog_buf[*pos % KLOG_SIZE];
	spin_unlock_irqrestore(&klog_lock, flags);
	return (long)count;
}

void klog_stop_waking(void)
{
	__atomic_store_n(&no_wake, true, __ATOMIC_RELAXED);
}
