/*
 * kernel/printk.c: printk formats with kernel/lib/format.c, appends the text to
 * the kernel log in one piece (so lines from different CPUs or interrupt
 * handlers do not interleave) and has the console show it (console.c).
 */
#include "kernel/printk.h"
#include "kernel/lib/format.h"
#include "kernel/klog.h"
#include "kernel/console.h"
#include <string.h>

#define PRINTK_LINE_MAX 512 /* longer output is cut, with "..." marking the cut */

int vprintk(const char *fmt, va_list ap)
{
	static const char cut[] = "...\n";
	char buf[PRINTK_LINE_MAX];
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n;

	if (len >= sizeof(buf)) {
		len = sizeof(buf) - 1;
		memcpy(buf + len - (sizeof(cut) - 1), cut, sizeof(cut) - 1);
	}
	klog_write(buf, len);
	console_flush();
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
