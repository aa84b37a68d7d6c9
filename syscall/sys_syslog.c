/*
 * syscall/sys_syslog.c: syslog(2) (klogctl in C libraries), the kernel log
 * as busybox's dmesg reads it: SIZE_BUFFER then READ_ALL. The log is
 * kernel/klog.c's ring; "clearing" it moves a mark that READ_ALL starts
 * from, as Linux's clear_seq does. Reading is open to every user (Linux
 * with dmesg_restrict=0); clearing and the console controls need root
 * (Linux: CAP_SYSLOG), so an unprivileged user cannot hide messages.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/klog.h"
#include "kernel/cred.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spinlock.h"
#include "arch/aarch64/uaccess.h"

/* Linux's SYSLOG_ACTION_* (include/linux/syslog.h). */
enum {
	SYSLOG_ACTION_CLOSE = 0,
	SYSLOG_ACTION_OPEN = 1,
	SYSLOG_ACTION_READ = 2,
	SYSLOG_ACTION_READ_ALL = 3,
	SYSLOG_ACTION_READ_CLEAR = 4,
	SYSLOG_ACTION_CLEAR = 5,
	SYSLOG_ACTION_CONSOLE_OFF = 6,
	SYSLOG_ACTION_CONSOLE_ON = 7,
	SYSLOG_ACTION_CONSOLE_LEVEL = 8,
	SYSLOG_ACTION_SIZE_UNREAD = 9,
	SYSLOG_ACTION_SIZE_BUFFER = 10,
};

#define SYSLOG_CHUNK 256

static spinlock_t syslog_lock = SPINLOCK_INIT("syslog");
/* guarded by syslog_lock: */
static uint64_t clear_pos; /* where READ_ALL starts */
static uint64_t read_pos;  /* where the next destructive READ starts */

static uint64_t read_start(bool clear)
{
	uint64_t irq = spin_lock_irqsave(&syslog_lock), start = clear_pos, oldest = klog_start();

	if (start < oldest)
		start = oldest;
	if (clear)
		clear_pos = klog_end();
	spin_unlock_irqrestore(&syslog_lock, irq);
	return start;
}

/* Copies the newest len bytes kept after the mark to ubuf; the count. */
static long read_all(uint64_t ubuf, uint64_t len, bool clear)
{
	uint64_t start = read_start(clear), end = klog_end(), done = 0;
	char chunk[SYSLOG_CHUNK];

	/* As Linux: the most recent bytes that fit. */
	if (end - start > len)
		start = end - len;
	while (start + done < end) {
		size_t n = klog_read(start + done, chunk, MIN(sizeof(chunk), end - start - done));

		if (!n)
			break;
		if (copy_to_user(ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

/* The destructive read a syslog daemon makes: waits for text after the
 * last READ's end, takes up to len bytes of it. */
static long read_new(uint64_t ubuf, uint64_t len)
{
	char chunk[SYSLOG_CHUNK];
	uint64_t irq = spin_lock_irqsave(&syslog_lock), pos = read_pos;
	long n;

	spin_unlock_irqrestore(&syslog_lock, irq);
	n = klog_follow(&pos, chunk, MIN(len, sizeof(chunk)), true);
	if (n <= 0)
		return n;
	if (copy_to_user(ubuf, chunk, (size_t)n))
		return -EFAULT;
	irq = spin_lock_irqsave(&syslog_lock);
	if (pos > read_pos)
		read_pos = pos; /* two readers at once: the text goes to both */
	spin_unlock_irqrestore(&syslog_lock, irq);
	return n;
}

SYSCALL(syslog)
{
	int type = (int)ARG(0);
	uint64_t ubuf = ARG(1);
	int64_t len = (int32_t)ARG(2);
	bool root = caller_cred().uid == CRED_ROOT_ID;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (type == SYSLOG_ACTION_READ_CLEAR && !root)
			return -EPERM;
		if (len < 0 || (len && !ubuf))
			return -EINVAL;
		if (!user_range_ok(ubuf, (uint64_t)len))
			return -EFAULT;
		return read_all(ubuf, (uint64_t)len, type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (!root)
			return -EPERM;
		if (type == SYSLOG_ACTION_CLEAR)
			read_start(true);
		/* The console is pl011d's: it shows every kernel line. */
		return 0;
	case SYSLOG_ACTION_SIZE_BUFFER:
		return KLOG_SIZE;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)(klog_end() - read_start(false));
	case SYSLOG_ACTION_READ:
		if (!root)
			return -EPERM;
		if (len < 0 || (len && !ubuf))
			return -EINVAL;
		if (!user_range_ok(ubuf, (uint64_t)len))
			return -EFAULT;
		return len ? read_new(ubuf, (uint64_t)len) : 0;
	default:
		return -EINVAL;
	}
}
