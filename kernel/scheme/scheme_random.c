/*
 * kernel/scheme/scheme_random.c: random: and urandom: (/dev/random and
 * /dev/urandom link to them): reads give bytes of the kernel's generator
 * (kernel/random.h), never blocking, as Linux's since 5.6 once seeded;
 * writes are mixed into it, as Linux's are (without crediting entropy),
 * and poll is always ready.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/poll.h"
#include "kernel/random.h"
#include "kernel/lib/errno.h"

#define RANDOM_CHUNK 256

/* Reads give the generator's bytes; writes are mixed into it. A chunk at a
 * time through the stack; the bytes done before a bad buffer, else -EFAULT. */
static long random_xfer(struct uio *u, bool write)
{
	uint8_t chunk[RANDOM_CHUNK];
	size_t done = 0;

	while (done < u->len) {
		size_t n = MIN(u->len - done, sizeof(chunk));
		int err;

		if (!write)
			random_bytes(chunk, n);
		err = write ? uio_copy_in(u, done, chunk, n) : uio_copy_out(u, done, chunk, n);
		if (err)
			return done ? (long)done : -EFAULT;
		if (write)
			random_seed(chunk, n);
		done += n;
	}
	return (long)done;
}

static long random_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	(void)f;
	(void)off;
	(void)c;
	return random_xfer(u, false);
}

static long random_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	(void)f;
	(void)off;
	(void)c;
	return random_xfer(u, true);
}

static unsigned random_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	(void)pt;
	return POLLIN | POLLOUT;
}

static const struct scheme_ops random_ops = {
	.open = scheme_open_device, .read = random_read, .write = random_write, .poll = random_poll,
};
const struct scheme random_scheme = { .name = "random", .ops = &random_ops };
const struct scheme urandom_scheme = { .name = "urandom", .ops = &random_ops };
