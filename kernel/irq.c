/*
 * kernel/irq.c: the interrupt handler table and dispatch (see irq.h).
 */
#include "kernel/irq.h"
#include "kernel/fdt.h"
#include "kernel/errno.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/printk.h"

#define IRQ_SPEC_MAX_CELLS 4

struct irq_slot {
	irq_handler_t handler;
	void *arg;
	uint64_t count;
};

static const struct irq_chip *chip; /* set once at boot */
static spinlock_t irq_lock = SPINLOCK_INIT("irq");
static struct irq_slot slots[IRQ_MAX]; /* handler/arg guarded by irq_lock; count by the handling CPU */

void irq_set_chip(const struct irq_chip *c)
{
	chip = c;
}

const struct irq_chip *irq_chip(void)
{
	return chip;
}

int irq_request(unsigned irq, bool edge, irq_handler_t handler, void *arg)
{
	uint64_t flags;

	if (irq >= IRQ_MAX || !handler)
		return -EINVAL;
	if (!chip)
		return -ENODEV;
	flags = spin_lock_irqsave(&irq_lock);
	if (slots[irq].handler) {
		spin_unlock_irqrestore(&irq_lock, flags);
		return -EBUSY;
	}
	slots[irq].handler = handler;
	slots[irq].arg = arg;
	spin_unlock_irqrestore(&irq_lock, flags);
	if (chip->configure)
		chip->configure(irq, edge);
	chip->enable(irq);
	return 0;
}

int irq_from_dt(int node, int index, unsigned *irq, bool *edge)
{
	uint32_t cells[IRQ_SPEC_MAX_CELLS];
	int n;

	if (!chip || !chip->xlate)
		return -ENODEV;
	n = dt_irq(node, index, cells, IRQ_SPEC_MAX_CELLS);
	if (n < 0)
		return n;
	return chip->xlate(cells, n, irq, edge);
}

void irq_dispatch(struct trap_frame *tf)
{
	struct cpu *cpu = this_cpu();
	unsigned irq;

	(void)tf;
	if (!chip)
		return;
	cpu->irq_depth++;
	while ((irq = chip->ack()) != IRQ_NONE) {
		struct irq_slot *s = irq < IRQ_MAX ? &slots[irq] : NULL;

		if (s && s->handler) {
			s->count++;
			s->handler(irq, s->arg);
		} else {
			printk("irq: spurious interrupt %u\n", irq);
			if (chip->disable && s)
				chip->disable(irq);
		}
		chip->eoi(irq);
	}
	cpu->irq_depth--;
}

uint64_t irq_count(unsigned irq)
{
	return irq < IRQ_MAX ? slots[irq].count : 0;
}
