/*
 * kernel/klog.c: the kernel log ring buffer (see klog.h), and waiting for
 * new text (kmsg:). A writer wakes followers only when one sleeps (a
 * counter read without the lock: a follower counts itself under the lock
 * before it checks for text, so a writer that appended after that check
 * sees the count). Writers in a panic wake nobody: the scheduler's state
 * may be what broke.
 */
#include "kernel/klog.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "sched/waitq.h"

static spinlock_t klog_lock = SPINLOCK_INIT("klog");
/* Guarded by klog_lock: */
static char klog_buf[KLOG_SIZE];
static uint64_t klog_total; /* bytes ever written; the ring holds the last KLOG_SIZE */
static unsigned followers; /* sleeping in klog_follow; written under klog_lock, read atomically */
static struct waitq follow_wait = WAITQ_INIT;
static bool no_wake; /* atomic: set for good by klog_stop_waking */

void klog_write(const char *s, size_t n)
{
	uint64_t flags = spin_lock_irqsave(&klog_lock);

	for (size_t i = 0; i < n; i++)
		klog_buf[(klog_total + i) % KLOG_SIZE] = s[i];
	klog_total += n;
	spin_unlock_irqrestore(&klog_lock, flags);
	if (__atomic_load_n(&followers, __ATOMIC_SEQ_CST) && !__atomic_load_n(&no_wake, __ATOMIC_RELAXED))
		waitq_wake_all(&follow_wait);
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

long klog_follow(uint64_t *pos, char *buf, size_t n, bool block)
{
	uint64_t flags = spin_lock_irqsave(&klog_lock);
	uint64_t oldest;
	size_t count = 0;

	while (*pos >= klog_total) {
		int err;

		if (!block) {
			spin_unlock_irqrestore(&klog_lock, flags);
			return -EAGAIN;
		}
		__atomic_add_fetch(&followers, 1, __ATOMIC_SEQ_CST);
		err = waitq_sleep(&follow_wait, &klog_lock, 0);
		__atomic_sub_fetch(&followers, 1, __ATOMIC_SEQ_CST);
		if (err) {
			spin_unlock_irqrestore(&klog_lock, flags);
			return err;
		}
	}
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
