/*
 * kernel/scheme/scheme_full.c: full: (/dev/full): reads give zeros as
 * zero: does, every write fails with ENOSPC (Linux's drivers/char/mem.c),
 * seeks succeed and poll is always ready.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/poll.h"
#include "kernel/lib/errno.h"

extern const struct scheme zero_scheme;

static long full_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	(void)f;
	(void)u;
	(void)off;
	(void)c;
	return -ENOSPC;
}

static long full_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	return zero_scheme.ops->read(f, u, off, c);
}

static unsigned full_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	(void)pt;
	return POLLIN | POLLOUT;
}

static int64_t full_size(struct file *f, const struct caller *c)
{
	(void)f;
	(void)c;
	return 0;
}

static const struct scheme_ops full_ops = {
	.open = scheme_open_device, .read = full_read, .write = full_write, .size = full_size,
	.poll = full_poll, .seekable = true,
};
const struct scheme full_scheme = { .name = "full", .ops = &full_ops };
