/*
 * kernel/printk.c: printk formats with kernel/format.c and hands the text to
 * the log and the console together, under one lock so lines from different
 * CPUs or interrupt handlers do not interleave.
 */
#include "kernel/printk.h"
#include "kernel/format.h"
#include "kernel/klog.h"
#include "kernel/console.h"
#include "kernel/spinlock.h"
#include <string.h>

#define PRINTK_LINE_MAX 512 /* longer output is cut, with "..." marking the cut */

static spinlock_t printk_lock = SPINLOCK_INIT("printk");

int vprintk(const char *fmt, va_list ap)
{
	static const char cut[] = "...\n";
	char buf[PRINTK_LINE_MAX];
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n;
	uint64_t flags;

	if (len >= sizeof(buf)) {
		len = sizeof(buf) - 1;
		memcpy(buf + len - (sizeof(cut) - 1), cut, sizeof(cut) - 1);
	}
	flags = spin_lock_irqsave(&printk_lock);
	klog_write(buf, len);
	console_write(buf, len);
	spin_unlock_irqrestore(&printk_lock, flags);
	return (int)len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
