/*
 * kernel/irq.h: interrupt handling independent of the controller.
 *
 * Controller drivers register chips; devices register handlers by
 * interrupt number. The root chip is the one the CPU's IRQ exception comes
 * from (the GIC on virt, the BCM2836 per-core controller on the Raspberry
 * Pi 3). A chained chip (the Pi's BCM2835 controller) signals through one
 * of its parent's interrupts; the layer installs a handler there that
 * dispatches the child's interrupts. Each chip numbers its own interrupts
 * from 0 (its "hardware" numbers, what its callbacks take); the root's are
 * the kernel's interrupt numbers as they are, and a chained chip's are
 * offset by the base it was given when added.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "kernel/lib/types.h"

#define IRQ_MAX 1024     /* interrupt numbers are below this */
#define IRQ_NONE UINT32_MAX
#define IRQ_MAX_CHIPS 8

struct trap_frame;
struct pollq;

typedef void (*irq_handler_t)(unsigned irq, void *arg);

/* Every callback takes the chip's own numbers, [0, nirqs). */
struct irq_chip {
	const char *name;
	/* Takes the highest-priority pending interrupt; IRQ_NONE if none. */
	unsigned (*ack)(void);
	/* Ends the handling of an acknowledged interrupt; NULL if nothing to do. */
	void (*eoi)(unsigned irq);
	void (*enable)(unsigned irq);
	void (*disable)(unsigned irq);
	/* A device-tree interrupt specifier to an interrupt number and whether
	 * it is edge-triggered; -EINVAL for a malformed one. */
	int (*xlate)(const uint32_t *cells, int ncells, unsigned *irq, bool *edge);
	/* Sets the trigger; NULL if the chip's interrupts have a fixed one. */
	void (*configure)(unsigned irq, bool edge);
	/* How many numbers the chip uses; 0 means all of [0, IRQ_MAX). */
	unsigned nirqs;
	/* SMP, root chip only (NULL/0 on a chip without): sets up the calling
	 * secondary CPU's own interface (GIC CPU interface, redistributor);
	 * interrupts [0, nlocal) are per CPU (enabled on each CPU by
	 * irq_cpu_init); kick raises ipi_irq on CPU cpu (kernel/smp_ipi.c). */
	void (*cpu_init)(void);
	unsigned nlocal;
	void (*kick)(unsigned cpu);
	unsigned ipi_irq;
};

/*
 * The root chip, with its device-tree node. irq_from_dt uses a chip for the
 * nodes whose interrupt parent is that chip's node; a root registered with
 * node -1 (irq_set_chip) also answers for every node no chip claims.
 * Called once, at boot.
 */
void irq_set_root(const struct irq_chip *chip, int node);
void irq_set_chip(const struct irq_chip *chip); /* irq_set_root(chip, -1) */
const struct irq_chip *irq_chip(void);          /* the root chip, or NULL */
/*
 * Adds chip, whose device-tree node is node, chained from node's first
 * "interrupts" specifier on an already registered chip. Its numbers become
 * [*base, *base + nirqs) (nirqs must not be 0); its parent interrupt is
 * requested with a handler that takes the chip's pending interrupts through
 * ack/eoi and runs theirs. -ENODEV (no parent chip yet), -ENOSPC (no numbers
 * or slots left), or irq_from_dt's and irq_request's errors. Boot only.
 */
int irq_add_chained(const struct irq_chip *chip, int node, unsigned *base);
/* Installs a handler and enables the interrupt; -EINVAL, -EBUSY, -ENODEV. */
int irq_request(unsigned irq, bool edge, irq_handler_t handler, void *arg);
/* Disables the interrupt and removes its handler (nothing if none). */
void irq_free(unsigned irq);
/* The irq of a node's index-th "interrupts" specifier, via the chip of the
 * node's interrupt parent; -ENODEV if no registered chip handles it. */
int irq_from_dt(int node, int index, unsigned *irq, bool *edge);
/* On a starting secondary CPU: the root chip's cpu_init, then every
 * per-CPU interrupt with a kernel handler enabled on this CPU too. */
void irq_cpu_init(void);
/* Called by the vector table for every IRQ exception. */
void irq_dispatch(struct trap_frame *tf);
/* Interrupts handled since boot, per number (for sys: and the self-tests). */
uint64_t irq_count(unsigned irq);

/*
 * Interrupts claimed by user space (kernel/scheme/scheme_irq.c checks the rights
 * first). When a claimed interrupt fires, the kernel masks it at the
 * controller and counts it; the driver waits for it (irq_claim_wait),
 * services its device and acknowledges (irq_claim_ack), which unmasks.
 */
/* -EINVAL (no such interrupt), -EBUSY (claimed by a process), -EPERM (the
 * kernel handles it), -EOPNOTSUPP (its controller cannot mask it). */
int irq_claim(unsigned irq, bool edge);
/* Masks a claimed interrupt and frees it (nothing if irq is not claimed). */
void irq_release(unsigned irq);
/* Waits until a claimed irq has fired: *fired gets the count since the
 * last ack (not reset). -EAGAIN if nonblock and none, -EINTR on a signal. */
long irq_claim_wait(unsigned irq, bool nonblock, uint64_t *fired);
/* Forgets the count and unmasks a claimed interrupt. */
void irq_claim_ack(unsigned irq);
/* Whether a claimed irq has fired since its last ack (poll's readiness). */
bool irq_claim_ready(unsigned irq);
/* The readiness queue of a claimed irq (kernel/scheme/poll.h); woken when it fires. */
struct pollq *irq_claim_pollq(unsigned irq);
/* Whether an in-kernel handler holds irq (never grantable). */
bool irq_kernel_owned(unsigned irq);

#endif
