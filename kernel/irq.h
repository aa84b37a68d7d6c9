/*
 * kernel/irq.h: interrupt handling independent of the controller. The
 * controller driver (GICv2, GICv3, the Raspberry Pi's) registers a chip;
 * devices register handlers by interrupt number.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "kernel/types.h"

#define IRQ_MAX 1024     /* interrupt numbers are below this */
#define IRQ_NONE UINT32_MAX

struct trap_frame;

typedef void (*irq_handler_t)(unsigned irq, void *arg);

struct irq_chip {
	const char *name;
	/* Takes the highest-priority pending interrupt; IRQ_NONE if none. */
	unsigned (*ack)(void);
	void (*eoi)(unsigned irq);
	void (*enable)(unsigned irq);
	void (*disable)(unsigned irq);
	/* A device-tree interrupt specifier to an interrupt number and whether
	 * it is edge-triggered; -EINVAL for a malformed one. */
	int (*xlate)(const uint32_t *cells, int ncells, unsigned *irq, bool *edge);
	void (*configure)(unsigned irq, bool edge);
};

void irq_set_chip(const struct irq_chip *chip);
const struct irq_chip *irq_chip(void);
/* Installs a handler and enables the interrupt; -EINVAL, -EBUSY, -ENODEV. */
int irq_request(unsigned irq, bool edge, irq_handler_t handler, void *arg);
/* The irq of a node's index-th "interrupts" specifier, via the chip. */
int irq_from_dt(int node, int index, unsigned *irq, bool *edge);
/* Called by the vector table for every IRQ exception. */
void irq_dispatch(struct trap_frame *tf);
/* Interrupts handled since boot, per number (for sys: and the self-tests). */
uint64_t irq_count(unsigned irq);

#endif
