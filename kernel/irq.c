/*
 * kernel/irq.c: the interrupt handler table, the registered chips and
 * dispatch, through chained chips too (see irq.h).
 */
#include "kernel/irq.h"
#include "kernel/fdt.h"
#include "kernel/lib/errno.h"
#include "kernel/percpu.h"
#include "kernel/lib/spinlock.h"
#include "kernel/printk.h"
#include "sched/waitq.h"
#include "kernel/scheme/poll.h"

#define IRQ_SPEC_MAX_CELLS 4

struct irq_slot {
	irq_handler_t handler;
	void *arg;
	uint64_t count;
	/* A user-space claim (irq: scheme): handler is user_irq_handler. */
	bool user;
	uint64_t fired;       /* times fired since the last irq_claim_ack */
	struct waitq wait;    /* irq_claim_wait sleeps here */
	struct pollq pq;      /* poll/epoll watchers of the claim (own lock) */
};

/* A registered chip and the interrupt numbers [base, base + count) it owns. */
struct irq_domain {
	const struct irq_chip *chip;
	int node;       /* device-tree node; -1: the root answering for any node */
	unsigned base, count;
};

/* Set at boot, before interrupts are enabled; domains[0] is the root. */
static struct irq_domain domains[IRQ_MAX_CHIPS];
static unsigned ndomains;
static spinlock_t irq_lock = SPINLOCK_INIT("irq");
/* handler, arg, user and fired guarded by irq_lock (also the condition lock
 * of wait); count atomic (per-CPU interrupts are handled on every CPU). */
static struct irq_slot slots[IRQ_MAX] = {
	[0 ... IRQ_MAX - 1] = { .pq = POLLQ_INIT("irq poll") },
};

static unsigned chip_nirqs(const struct irq_chip *c)
{
	return c->nirqs ? MIN(c->nirqs, (unsigned)IRQ_MAX) : IRQ_MAX;
}

void irq_set_root(const struct irq_chip *c, int node)
{
	domains[0] = (struct irq_domain){ .chip = c, .node = node, .base = 0, .count = chip_nirqs(c) };
	if (ndomains == 0)
		ndomains = 1;
}

void irq_set_chip(const struct irq_chip *c)
{
	irq_set_root(c, -1);
}

const struct irq_chip *irq_chip(void)
{
	return ndomains ? domains[0].chip : NULL;
}

/* The chip owning interrupt number irq. */
static struct irq_domain *domain_of_irq(unsigned irq)
{
	for (unsigned i = 0; i < ndomains; i++)
		if (irq >= domains[i].base && irq - domains[i].base < domains[i].count)
			return &domains[i];
	return NULL;
}

/* The chip for devices whose interrupt parent is node (see irq_set_root). */
static struct irq_domain *domain_of_node(int node)
{
	if (node >= 0)
		for (unsigned i = 0; i < ndomains; i++)
			if (domains[i].node == node)
				return &domains[i];
	return ndomains && domains[0].node < 0 ? &domains[0] : NULL;
}

/* Runs irq's handler, or disables an interrupt nobody handles. */
static void irq_handle(struct irq_domain *d, unsigned hwirq)
{
	unsigned irq = d->base + hwirq;
	struct irq_slot *s = hwirq < d->count ? &slots[irq] : NULL;

	if (s && s->handler) {
		__atomic_add_fetch(&s->count, 1, __ATOMIC_RELAXED); /* any CPU */
		s->handler(irq, s->arg);
		return;
	}
	printk("irq: spurious interrupt %u (%s %u)\n", irq, d->chip->name, hwirq);
	if (s && d->chip->disable)
		d->chip->disable(hwirq);
}

/* Takes and handles every pending interrupt of d's chip. */
static void irq_handle_chip(struct irq_domain *d)
{
	const struct irq_chip *c = d->chip;
	unsigned hwirq;

	while ((hwirq = c->ack()) != IRQ_NONE) {
		irq_handle(d, hwirq);
		if (c->eoi)
			c->eoi(hwirq);
	}
}

/* The handler of a chained chip's parent interrupt. */
static void irq_chain_handler(unsigned irq, void *arg)
{
	(void)irq;
	irq_handle_chip(arg);
}

int irq_add_chained(const struct irq_chip *c, int node, unsigned *base)
{
	struct irq_domain *d, *last;
	unsigned parent_irq;
	bool edge;
	int err;

	if (!c || !c->nirqs || node < 0)
		return -EINVAL;
	if (!ndomains)
		return -ENODEV;
	if (ndomains == IRQ_MAX_CHIPS)
		return -ENOSPC;
	err = irq_from_dt(node, 0, &parent_irq, &edge);
	if (err)
		return err;
	last = &domains[ndomains - 1];
	d = &domains[ndomains];
	*d = (struct irq_domain){ .chip = c, .node = node,
				  .base = last->base + last->count, .count = c->nirqs };
	if (d->base >= IRQ_MAX || d->count > IRQ_MAX - d->base)
		return -ENOSPC;
	/* Visible to irq_request (child numbers) only once the cascade works. */
	err = irq_request(parent_irq, edge, irq_chain_handler, d);
	if (err)
		return err;
	ndomains++;
	*base = d->base;
	return 0;
}

/* Installs handler for irq, if the slot is free, and enables the line:
 * 0, -EBUSY if a user claim holds it, busy_kernel if the kernel does. */
static int slot_install(unsigned irq, bool edge, irq_handler_t handler, void *arg, bool user,
			int busy_kernel)
{
	struct irq_domain *d = domain_of_irq(irq);
	uint64_t flags;

	if (!d)
		return -EINVAL;
	flags = spin_lock_irqsave(&irq_lock);
	if (slots[irq].handler) {
		int err = slots[irq].user ? -EBUSY : busy_kernel;

		spin_unlock_irqrestore(&irq_lock, flags);
		return err;
	}
	slots[irq].handler = handler;
	slots[irq].arg = arg;
	slots[irq].user = user;
	slots[irq].fired = 0;
	spin_unlock_irqrestore(&irq_lock, flags);
	if (d->chip->configure)
		d->chip->configure(irq - d->base, edge);
	d->chip->enable(irq - d->base);
	return 0;
}

int irq_request(unsigned irq, bool edge, irq_handler_t handler, void *arg)
{
	if (irq >= IRQ_MAX || !handler)
		return -EINVAL;
	if (!ndomains)
		return -ENODEV;
	return slot_install(irq, edge, handler, arg, false, -EBUSY);
}

void irq_free(unsigned irq)
{
	struct irq_domain *d = irq < IRQ_MAX ? domain_of_irq(irq) : NULL;
	uint64_t flags;

	if (!d)
		return;
	if (d->chip->disable)
		d->chip->disable(irq - d->base);
	flags = spin_lock_irqsave(&irq_lock);
	slots[irq].handler = NULL;
	slots[irq].arg = NULL;
	slots[irq].user = false;
	slots[irq].fired = 0;
	spin_unlock_irqrestore(&irq_lock, flags);
}

int irq_from_dt(int node, int index, unsigned *irq, bool *edge)
{
	uint32_t cells[IRQ_SPEC_MAX_CELLS];
	struct irq_domain *d;
	unsigned hwirq;
	int n, err;

	if (!ndomains || !domains[0].chip->xlate)
		return -ENODEV;
	n = dt_irq(node, index, cells, IRQ_SPEC_MAX_CELLS);
	if (n < 0)
		return n;
	d = domain_of_node(dt_interrupt_parent(node));
	if (!d || !d->chip->xlate)
		return -ENODEV;
	err = d->chip->xlate(cells, n, &hwirq, edge);
	if (err)
		return err;
	if (hwirq >= d->count)
		return -EINVAL;
	*irq = d->base + hwirq;
	return 0;
}

void irq_cpu_init(void)
{
	const struct irq_chip *c = irq_chip();

	if (!c)
		return;
	if (c->cpu_init)
		c->cpu_init();
	for (unsigned irq = 0; irq < c->nlocal && irq < IRQ_MAX; irq++)
		if (slots[irq].handler && !slots[irq].user)
			c->enable(irq);
}

void irq_dispatch(struct trap_frame *tf)
{
	struct cpu *cpu = this_cpu();
	const struct trap_frame *outer = cpu->irq_tf;

	if (!ndomains)
		return;
	cpu->irq_tf = tf; /* for a stop IPI's register report */
	cpu->irq_depth++;
	irq_handle_chip(&domains[0]);
	cpu->irq_depth--;
	cpu->irq_tf = outer;
}

uint64_t irq_count(unsigned irq)
{
	return irq < IRQ_MAX ? slots[irq].count : 0;
}

/* ---- interrupts claimed by user space (the irq: scheme) ---- */

/*
 * Runs in interrupt context. Masks the line at its controller first: the
 * device is serviced only later, by its user-space driver, and a level
 * interrupt would otherwise fire again as soon as this returns. Then
 * counts it and wakes the driver; irq_claim_ack unmasks.
 */
static void user_irq_handler(unsigned irq, void *arg)
{
	struct irq_domain *d = arg;
	uint64_t flags;

	d->chip->disable(irq - d->base);
	flags = spin_lock_irqsave(&irq_lock);
	slots[irq].fired++;
	spin_unlock_irqrestore(&irq_lock, flags);
	waitq_wake_all(&slots[irq].wait);
	pollq_wake(&slots[irq].pq, POLLIN);
}

int irq_claim(unsigned irq, bool edge)
{
	struct irq_domain *d = irq < IRQ_MAX && ndomains ? domain_of_irq(irq) : NULL;

	if (!d)
		return -EINVAL;
	if (!d->chip->disable)
		return -EOPNOTSUPP; /* a line that cannot be masked cannot wait for user space */
	return slot_install(irq, edge, user_irq_handler, d, true, -EPERM);
}

void irq_release(unsigned irq)
{
	if (irq < IRQ_MAX && slots[irq].user)
		irq_free(irq);
}

long irq_claim_wait(unsigned irq, bool nonblock, uint64_t *fired)
{
	uint64_t flags = spin_lock_irqsave(&irq_lock);
	long err = 0;

	while (!slots[irq].fired) {
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		err = waitq_sleep(&slots[irq].wait, &irq_lock, 0);
		if (err)
			break;
	}
	if (!err)
		*fired = slots[irq].fired;
	spin_unlock_irqrestore(&irq_lock, flags);
	return err;
}

void irq_claim_ack(unsigned irq)
{
	struct irq_domain *d = domain_of_irq(irq);
	uint64_t flags = spin_lock_irqsave(&irq_lock);

	/* Counted again from here: a firing after the unmask below is new. */
	slots[irq].fired = 0;
	spin_unlock_irqrestore(&irq_lock, flags);
	d->chip->enable(irq - d->base);
}

struct pollq *irq_claim_pollq(unsigned irq)
{
	return &slots[irq].pq;
}

bool irq_claim_ready(unsigned irq)
{
	return irq < IRQ_MAX && __atomic_load_n(&slots[irq].fired, __ATOMIC_RELAXED) != 0;
}

bool irq_kernel_owned(unsigned irq)
{
	uint64_t flags = spin_lock_irqsave(&irq_lock);
	bool owned = irq < IRQ_MAX && slots[irq].handler && !slots[irq].user;

	spin_unlock_irqrestore(&irq_lock, flags);
	return owned;
}
