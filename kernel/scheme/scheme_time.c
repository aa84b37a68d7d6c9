/*
 * kernel/scheme/scheme_time.c: the time: scheme: time:monotonic and time:realtime
 * read as "seconds.nanoseconds\n" text, taken at open. Real time is the
 * monotonic clock plus the boot time (the PL031 daemon will set it later).
 */
#include "kernel/scheme/scheme.h"
#include "kernel/lib/format.h"
#include "kernel/timer.h"
#include "kernel/clock.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "syscall/abi/abi.h"
#include <string.h>

#define TIME_TEXT_MAX 32

struct time_snapshot {
	char text[TIME_TEXT_MAX];
	size_t len;
};

static int time_open(const struct scheme *s, const char *path, int flags, struct file *f,
			 const struct caller *c)
{
	struct time_snapshot *t;
	int clock;
	uint64_t ns;

	(void)c;
	(void)s;
	if ((flags & ABI_O_ACCMODE) != ABI_O_RDONLY)
		return -EACCES;
	if (strcmp(path, "monotonic") == 0)
		clock = ABI_CLOCK_MONOTONIC;
	else if (strcmp(path, "realtime") == 0)
		clock = ABI_CLOCK_REALTIME;
	else
		return -ENOENT;
	if (clock_read_ns(clock, &ns))
		return -EINVAL;
	t = kmalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->len = (size_t)ksnprintf(t->text, sizeof(t->text), "%lu.%09lu\n", ns / NSEC_PER_SEC,
				   ns % NSEC_PER_SEC);
	f->priv = t;
	f->type = ABI_S_IFREG;
	return 0;
}

static long time_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct time_snapshot *t = f->priv;

	(void)c;
	return scheme_read_buffer(u, off, t->text, t->len);
}

static void time_close(struct file *f)
{
	kfree(f->priv);
}

static const struct scheme_ops time_ops = {
	.open = time_open, .read = time_read, .close = time_close, .seekable = true,
};
const struct scheme time_scheme = { .name = "time", .ops = &time_ops };
