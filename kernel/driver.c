/*
 * kernel/driver.c: matches the in-kernel driver registry against the device
 * tree (see driver.h). Runs at boot only, while libfdt may be called.
 */
#include "kernel/driver.h"
#include "kernel/fdt.h"
#include "kernel/lib/errno_str.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include <libfdt.h>

/* Interrupt controller nodes a driver handles, at most (probe_irqchips). */
#define MAX_IRQCHIP_NODES 16
/* Nodes bound to an in-kernel driver that driver_node_bound remembers. */
#define MAX_BOUND_NODES 32

extern const struct kdriver __kdrivers_start[], __kdrivers_end[];

static bool driver_matches(const struct kdriver *d, int node)
{
	for (const char *const *c = d->compatible; *c; c++)
		if (dt_node_compatible(node, *c))
			return true;
	return false;
}

/* The nodes the kernel drives: never granted to a process (kernel/scheme/grant.h).
 * Written at boot only, before any process exists. */
static int bound_nodes[MAX_BOUND_NODES];
static int nbound;
static bool bound_overflow; /* then every node counts as the kernel's */

static int probe_one(const struct kdriver *d, int node)
{
	int err = d->probe(node);

	if (err)
		printk("driver: %s on %s failed: %s\n", d->name, dt_node_name(node), errno_str(err));
	else if (d->class == DRIVER_CONSOLE)
		; /* the kernel hands the console over to its daemon: grantable */
	else if (nbound < MAX_BOUND_NODES)
		bound_nodes[nbound++] = node;
	else
		bound_overflow = true;
	return err;
}

bool driver_node_bound(int node)
{
	if (bound_overflow)
		return true; /* fail closed: no process gets any device */
	for (int i = 0; i < nbound; i++)
		if (bound_nodes[i] == node)
			return true;
	return false;
}

static const struct kdriver *driver_for(int node, enum driver_class class)
{
	for (const struct kdriver *d = __kdrivers_start; d < __kdrivers_end; d++)
		if (d->class == class && driver_matches(d, node))
			return d;
	return NULL;
}

int driver_probe_node(int node, enum driver_class class)
{
	const struct kdriver *d = driver_for(node, class);

	return d ? probe_one(d, node) : -ENODEV;
}

int driver_probe_first(enum driver_class class)
{
	for (int node = dt_next_node(-1, NULL); node >= 0; node = dt_next_node(node, NULL))
		if (dt_node_enabled(node) && driver_probe_node(node, class) == 0)
			return 0;
	return -ENODEV;
}

/*
 * Interrupt controllers go parents first, as a chained controller needs its
 * parent's interrupt (the Raspberry Pi 3's BCM2835 controller comes before
 * the per-core controller it signals through, in tree order).
 */
struct irqchip_probe {
	int tried[MAX_IRQCHIP_NODES];
	int ntried, bound;
};

static bool irqchip_tried(const struct irqchip_probe *p, int node)
{
	for (int i = 0; i < p->ntried; i++)
		if (p->tried[i] == node)
			return true;
	return false;
}

/* Probes, in tree order, the controllers not yet tried whose interrupt
 * parent is themselves, none, one no driver handles or one already tried
 * (any parent, if any_parent); returns how many it tried. */
static int irqchip_pass(struct irqchip_probe *p, bool any_parent)
{
	int n = 0;

	for (int node = dt_next_node(-1, NULL); node >= 0; node = dt_next_node(node, NULL)) {
		int parent;

		if (!dt_node_enabled(node) || !driver_for(node, DRIVER_IRQCHIP) || irqchip_tried(p, node))
			continue;
		parent = dt_interrupt_parent(node);
		if (!any_parent && parent >= 0 && parent != node && dt_node_enabled(parent) &&
		    driver_for(parent, DRIVER_IRQCHIP) && !irqchip_tried(p, parent))
			continue;
		if (p->ntried == MAX_IRQCHIP_NODES)
			return n;
		p->tried[p->ntried++] = node;
		n++;
		if (driver_probe_node(node, DRIVER_IRQCHIP) == 0)
			p->bound++;
	}
	return n;
}

static int probe_irqchips(void)
{
	struct irqchip_probe p = { .ntried = 0 };

	/* Ends when even a pass ignoring parents (a parent loop) tries nothing. */
	while (irqchip_pass(&p, false) || irqchip_pass(&p, true))
		;
	if (p.ntried == MAX_IRQCHIP_NODES)
		printk("driver: probed at most %d interrupt controllers\n", MAX_IRQCHIP_NODES);
	return p.bound;
}

int driver_probe_all(void)
{
	int bound = probe_irqchips();

	for (int class = DRIVER_IRQCHIP + 1; class < DRIVER_CLASSES; class++) {
		for (int node = dt_next_node(-1, NULL); node >= 0;
		     node = dt_next_node(node, NULL)) {
			if (!dt_node_enabled(node))
				continue;
			if (driver_probe_node(node, class) == 0)
				bound++;
		}
	}
	return bound;
}
