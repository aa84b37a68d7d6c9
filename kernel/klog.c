/*
 * kernel/klog.c: the kernel log ring buffer (see klog.h).
 */
#include "kernel/klog.h"
#include "kernel/lib/spinlock.h"

static spinlock_t klog_lock = SPINLOCK_INIT("klog");
/* Guarded by klog_lock: */
static char klog_buf[KLOG_SIZE];
static uint64_t klog_total; /* bytes ever written; the ring holds the last KLOG_SIZE */

void klog_write(const char *s, size_t n)
{
	uint64_t flags = spin_lock_irqsave(&klog_lock);

	for (size_t i = 0; i < n; i++)
		klog_buf[(klog_total + i) % KLOG_SIZE] = s[i];
	klog_total += n;
	spin_unlock_irqrestore(&klog_lock, flags);
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
