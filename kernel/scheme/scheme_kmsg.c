/*
 * kernel/scheme/scheme_kmsg.c: the kmsg: scheme, the kernel log as a stream
 * to follow. Each open has its own position, starting at what the console
 * has not shown (kernel/console.h: once the console is handed over, from
 * the hand-over on; before, from the log's end). A read returns the text
 * written since, waiting for some (unless O_NONBLOCK); text the ring
 * overwrote before it was read is skipped. The serial daemon copies it to
 * the terminal, so kernel messages still reach the console. sys:log stays
 * the snapshot of the whole ring.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/console.h"
#include "kernel/klog.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "syscall/abi/abi.h"

#define KMSG_CHUNK 512 /* bytes copied per step */

struct kmsg_reader {
	/* Log position, accessed atomically. One reader per open is the use:
	 * two threads reading one open file at once may get the same text. */
	uint64_t pos;
};

static int kmsg_open(const struct scheme *s, const char *path, int flags, struct file *f,
		     const struct caller *c)
{
	struct kmsg_reader *r;
	int err = scheme_open_device(s, path, flags, f, c);

	if (err)
		return err;
	if ((flags & ABI_O_ACCMODE) != ABI_O_RDONLY)
		return -EACCES;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->pos = console_log_start();
	f->priv = r;
	return 0;
}

static long kmsg_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct kmsg_reader *r = f->priv;
	char buf[KMSG_CHUNK];
	uint64_t pos = __atomic_load_n(&r->pos, __ATOMIC_RELAXED);
	long n;

	(void)off;
	(void)c;
	if (u->len == 0)
		return 0;
	n = klog_follow(&pos, buf, MIN(u->len, sizeof(buf)), !(f->flags & ABI_O_NONBLOCK));
	if (n <= 0)
		return n;
	if (uio_copy_out(u, 0, buf, (size_t)n))
		return -EFAULT; /* the text stays unread */
	__atomic_store_n(&r->pos, pos, __ATOMIC_RELAXED);
	console_log_taken(pos);
	return n;
}

static void kmsg_close(struct file *f)
{
	kfree(f->priv);
}

static const struct scheme_ops kmsg_ops = {
	.open = kmsg_open, .read = kmsg_read, .close = kmsg_close,
};
const struct scheme kmsg_scheme = { .name = "kmsg", .ops = &kmsg_ops };
