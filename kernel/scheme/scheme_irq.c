/*
 * kernel/scheme/scheme_irq.c: the irq: scheme, interrupts for user-space drivers.
 * open("irq:N") claims interrupt N (the kernel's number: a GIC INTID on
 * QEMU virt, kernel/irq.h's numbering on the Raspberry Pi 3) if the
 * caller's grant (kernel/scheme/grant.h) has it (-EPERM otherwise), the kernel
 * does not handle it (-EPERM) and no other descriptor holds it (-EBUSY).
 * When it fires the kernel masks it at the controller and counts it.
 *     read(fd, &count, 8)   waits until it has fired and gives the count
 *                           since the last acknowledgement (a uint64_t);
 *                           EAGAIN with O_NONBLOCK, EINTR on a signal
 *     write(fd, &any, 8)    acknowledges: forgets the count and unmasks,
 *                           once the driver has serviced its device
 * The last close masks and frees the interrupt.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/grant.h"
#include "kernel/irq.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "kernel/scheme/poll.h"
#include "syscall/abi/abi.h"

#define DECIMAL_BASE 10

struct irq_handle {
	unsigned irq;
};

/* N in "N": decimal, no sign, no leading zero; -ENOENT if not a number. */
static int parse_irq(const char *path, unsigned *irq)
{
	uint64_t n = 0;

	if (*path == '\0' || (path[0] == '0' && path[1] != '\0'))
		return -ENOENT;
	for (; *path; path++) {
		if (*path < '0' || *path > '9')
			return -ENOENT;
		n = n * DECIMAL_BASE + (uint64_t)(*path - '0');
		if (n >= IRQ_MAX)
			return -ENOENT;
	}
	*irq = (unsigned)n;
	return 0;
}

static int irq_open(const struct scheme *s, const char *path, int flags, struct file *f,
			const struct caller *c)
{
	const struct grant_irq *gi;
	struct irq_handle *h;
	struct grant *g;
	unsigned irq;
	bool edge = false;
	int err;

	(void)c;
	(void)s;
	(void)flags;
	err = parse_irq(path, &irq);
	if (err)
		return err;
	g = proc_grant(current_proc());
	gi = grant_find_irq(g, irq);
	if (gi)
		edge = gi->edge;
	grant_put(g);
	if (!gi)
		return -EPERM;
	h = kzalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	err = irq_claim(irq, edge);
	if (err) {
		kfree(h);
		return err;
	}
	h->irq = irq;
	f->priv = h;
	f->type = ABI_S_IFCHR;
	return 0;
}

static long irq_read(struct file *f, struct uio *u, uint64_t off,
			const struct caller *c)
{
	struct irq_handle *h = f->priv;
	uint64_t fired;
	long err;

	(void)c;
	(void)off;
	if (u->len < sizeof(fired))
		return -EINVAL;
	err = irq_claim_wait(h->irq, file_flags(f) & ABI_O_NONBLOCK, &fired);
	if (err)
		return err;
	return uio_copy_out(u, 0, &fired, sizeof(fired)) ? -EFAULT : (long)sizeof(fired);
}

static long irq_write(struct file *f, struct uio *u, uint64_t off,
			const struct caller *c)
{
	struct irq_handle *h = f->priv;
	uint64_t value;

	(void)c;
	(void)off;
	if (u->len < sizeof(value))
		return -EINVAL;
	/* Read, though unused: a bad buffer is -EFAULT and acknowledges nothing. */
	if (uio_copy_in(u, 0, &value, sizeof(value)))
		return -EFAULT;
	irq_claim_ack(h->irq);
	return (long)sizeof(value);
}

static void irq_close(struct file *f)
{
	struct irq_handle *h = f->priv;

	irq_release(h->irq);
	kfree(h);
}

/* Readable once the interrupt has fired and until it is acknowledged. */
static unsigned irq_poll(struct file *f, struct poll_table *pt)
{
	struct irq_handle *h = f->priv;

	poll_wait(pt, irq_claim_pollq(h->irq));
	return irq_claim_ready(h->irq) ? POLLIN : 0;
}

static const struct scheme_ops irq_ops = {
	.open = irq_open, .read = irq_read, .write = irq_write, .close = irq_close,
	.poll = irq_poll,
};
const struct scheme irq_scheme = { .name = "irq", .ops = &irq_ops };
