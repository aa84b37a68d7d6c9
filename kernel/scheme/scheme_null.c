/*
 * kernel/scheme/scheme_null.c: the null: scheme (reads end at once, writes vanish)
 * and the zero: scheme (reads give zeros, writes vanish). Both accept
 * positioned I/O like Linux's /dev/null. Unlike Linux, a write reads the
 * data it discards, so a bad buffer gives -EFAULT here too. Both are
 * always ready (poll), with nothing to register on.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/lib/errno.h"
#include "kernel/scheme/poll.h"
#include "syscall/abi/abi.h"

#define ZERO_CHUNK 256

static long null_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	(void)c;
	(void)f;
	(void)u;
	(void)off;
	return 0;
}

static long sink_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	uint8_t chunk[ZERO_CHUNK];

	(void)c;
	(void)f;
	(void)off;
	for (size_t done = 0; done < u->len; done += sizeof(chunk))
		if (uio_copy_in(u, done, chunk, MIN(u->len - done, sizeof(chunk))))
			return done ? (long)done : -EFAULT;
	return (long)u->len;
}

static long zero_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	static const uint8_t zeros[ZERO_CHUNK];
	size_t done = 0;

	(void)c;
	(void)f;
	(void)off;
	while (done < u->len) {
		size_t n = MIN(u->len - done, sizeof(zeros));

		if (uio_copy_out(u, done, zeros, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

static int64_t empty_size(struct file *f, const struct caller *c)
{
	(void)c;
	(void)f;
	return 0;
}

static unsigned always_ready(struct file *f, struct poll_table *pt)
{
	(void)f;
	(void)pt;
	return POLLIN | POLLOUT;
}

static const struct scheme_ops null_ops = {
	.open = scheme_open_device, .read = null_read, .write = sink_write, .size = empty_size, .seekable = true,
	.poll = always_ready,
};
static const struct scheme_ops zero_ops = {
	.open = scheme_open_device, .read = zero_read, .write = sink_write, .size = empty_size, .seekable = true,
	.poll = always_ready,
};
const struct scheme null_scheme = { .name = "null", .ops = &null_ops };
const struct scheme zero_scheme = { .name = "zero", .ops = &zero_ops };
