/*
 * kernel/scheme/scheme_debug.c: the debug: scheme, the kernel console as a file:
 * stdin, stdout and stderr of the first process until a user-space serial
 * driver exists. Writes go to the console (and the kernel log is not
 * involved, so user output does not fill it); reads take what the console
 * driver received, waiting for at least one byte. It is always writable
 * and readable when the console has buffered input (poll). Once the
 * console is handed over to the serial daemon (kernel/console.h), writes
 * go to the kernel log (which the daemon shows) and reads end with EIO.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/console.h"
#include "kernel/lib/errno.h"
#include "kernel/scheme/poll.h"
#include "syscall/abi/abi.h"

#define DEBUG_WRITE_CHUNK 256

static long debug_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	char buf[DEBUG_WRITE_CHUNK];
	size_t done = 0;

	(void)c;
	(void)f;
	(void)off;
	while (done < u->len) {
		size_t n = MIN(u->len - done, sizeof(buf));

		if (uio_copy_in(u, done, buf, n))
			return done ? (long)done : -EFAULT;
		console_write(buf, n);
		done += n;
	}
	return (long)done;
}

static long debug_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	char buf[DEBUG_WRITE_CHUNK];
	long n;

	(void)c;
	(void)off;
	if (u->len == 0)
		return 0;
	n = console_read(buf, MIN(u->len, sizeof(buf)), !(f->flags & ABI_O_NONBLOCK));
	if (n > 0 && uio_copy_out(u, 0, buf, (size_t)n))
		return -EFAULT;
	return n;
}

/* No terminal: TCGETS and TIOCGWINSZ answer -ENOTTY, as on a serial pipe. */
static int debug_ioctl(struct file *f, unsigned long cmd, struct uio *arg, const struct caller *c)
{
	(void)c;
	(void)f;
	(void)cmd;
	(void)arg;
	return -ENOTTY;
}

static unsigned debug_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	return console_poll_input(pt) | POLLOUT;
}

static const struct scheme_ops debug_ops = {
	.open = scheme_open_device, .read = debug_read, .write = debug_write, .ioctl = debug_ioctl,
	.poll = debug_poll,
};
const struct scheme debug_scheme = { .name = "debug", .ops = &debug_ops };
