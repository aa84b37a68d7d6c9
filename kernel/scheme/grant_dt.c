/*
 * kernel/scheme/grant_dt.c: grants from the device tree (see grant.h): the
 * resources of one node (what a process narrows to), and the first
 * process's grant: every enabled device node's, minus RAM and minus what
 * the kernel drives itself (not the console: it is handed over). The tree is immutable after boot (sys:fdt
 * serves it too), so these run at any time.
 */
#include "kernel/scheme/grant.h"
#include "kernel/fdt.h"
#include "kernel/irq.h"
#include "kernel/driver.h"
#include "kernel/console.h"
#include "kernel/lib/errno.h"
#include "kernel/printk.h"
#include "mm/layout.h"
#include <libfdt.h>
#include <string.h>

#define PROP_DEVICE_TYPE "device_type"
#define DEVICE_TYPE_MEMORY "memory"
/* RAM ranges (memory nodes, then reserved ones) kept to refuse them always. */
#define RAM_RANGES_MAX 32

/* RAM, as the tree describes it; filled by grant_boot. Written once,
 * before any process runs, then read-only. */
static struct grant ram;

/* Adds node's reg ranges and interrupts to g. Entries the kernel cannot
 * use (an address no bus translates, an interrupt no registered controller
 * handles) are skipped: a process could not use them either. A range is
 * widened to whole pages, the unit memory: maps (the Raspberry Pi's UART0
 * is 0x200 bytes at 0x3F201000): what shares its pages comes with it, and a
 * kernel device's pages are taken out whole. */
static int add_node(struct grant *g, int node)
{
	int err = 0;

	for (int i = 0; !err; i++) {
		paddr_t base;
		uint64_t size;
		int r = dt_reg(node, i, &base, &size);

		if (r && r != -ERANGE)
			break; /* past the end, or a reg the kernel cannot read */
		if (r == 0 && size) {
			paddr_t start = ALIGN_DOWN(base, PAGE_SIZE);

			err = grant_add_range(g, start, ALIGN_UP(base + size, PAGE_SIZE) - start);
		}
	}
	for (int i = 0; !err; i++) {
		unsigned irq;
		bool edge;
		uint32_t cells[1];
		int r = irq_from_dt(node, i, &irq, &edge);

		if (r == 0)
			err = grant_add_irq(g, irq, edge);
		else if (dt_irq(node, i, cells, 0) != -ENOSPC)
			break; /* no such specifier: past the end */
	}
	return err;
}

int grant_of_node(int node, struct grant *out)
{
	out->nranges = out->nirqs = 0;
	if (!dt_node_enabled(node))
		return -ENODEV;
	return add_node(out, node);
}

/*
 * A walk over every node in tree order that knows whether the node lies in
 * a subtree the kernel drives (the GIC's v2m frame, a child of the GIC, is
 * the GIC's). One pass: libfdt's fdt_parent_offset rescans the tree from
 * its root, and asking it for every node's ancestors made the first grant
 * cost some 120 ms of boot.
 */
struct node_walk {
	int node, depth;
	int kernel_depth;   /* depth of the kernel-driven node we are under; -1: none */
	bool kernel;        /* node is that node or below it */
};

static bool walk_next(struct node_walk *w)
{
	w->node = dt_next_node(w->node, &w->depth);
	if (w->node < 0)
		return false;
	if (w->kernel_depth >= 0 && w->depth <= w->kernel_depth)
		w->kernel_depth = -1; /* left that subtree */
	if (w->kernel_depth < 0 && driver_node_bound(w->node))
		w->kernel_depth = w->depth;
	w->kernel = w->kernel_depth >= 0;
	return true;
}

#define NODE_WALK_INIT { .node = -1, .depth = 0, .kernel_depth = -1 }

static bool is_memory_node(int node)
{
	const char *type = dt_prop_str(node, PROP_DEVICE_TYPE);

	return type && strcmp(type, DEVICE_TYPE_MEMORY) == 0;
}

/* Removes the kernel's devices from g: their ranges and interrupts. */
static int remove_kernel_devices(struct grant *g, struct grant *tmp)
{
	struct node_walk w = NODE_WALK_INIT;
	int err = 0;

	while (!err && walk_next(&w)) {
		if (!w.kernel)
			continue;
		tmp->nranges = tmp->nirqs = 0;
		err = add_node(tmp, w.node);
		for (int i = 0; i < tmp->nranges && !err; i++)
			err = grant_remove_range(g, tmp->ranges[i].base, tmp->ranges[i].size);
		for (int i = 0; i < tmp->nirqs; i++)
			grant_remove_irq(g, tmp->irqs[i].irq);
	}
	/* And any interrupt an in-kernel handler holds (a chained controller's
	 * parent line, the timer's), whatever node names it, but the console's
	 * input, which the kernel frees when it hands the console over. */
	for (int i = g->nirqs - 1; i >= 0; i--)
		if (irq_kernel_owned(g->irqs[i].irq) && !console_irq_grantable(g->irqs[i].irq))
			grant_remove_irq(g, g->irqs[i].irq);
	return err;
}

/* Fills ram from the tree's memory and reserved ranges. */
static int load_ram(void)
{
	struct mem_range r[RAM_RANGES_MAX];
	int n, err = 0;

	ram.nranges = ram.nirqs = 0;
	n = dt_memory(r, RAM_RANGES_MAX);
	for (int i = 0; i < n && !err; i++)
		err = grant_add_range(&ram, r[i].base, r[i].size);
	if (n < 0)
		return n;
	n = dt_reserved(r, RAM_RANGES_MAX);
	for (int i = 0; i < n && !err; i++)
		err = grant_add_range(&ram, r[i].base, r[i].size);
	return n < 0 ? n : err;
}

bool grant_is_ram(paddr_t base, uint64_t len)
{
	return grant_overlaps(&ram, base, len);
}

struct grant *grant_boot(void)
{
	const void *fdt = dt_blob();
	struct grant *g = grant_alloc(), *tmp = grant_alloc();
	struct node_walk w = NODE_WALK_INIT;
	int err = (g && tmp && fdt) ? load_ram() : -ENOMEM;

	while (!err && walk_next(&w)) {
		if (w.kernel || !dt_node_enabled(w.node) || is_memory_node(w.node))
			continue;
		tmp->nranges = tmp->nirqs = 0;
		err = add_node(tmp, w.node);
		for (int i = 0; i < tmp->nranges && !err; i++)
			err = grant_add_range(g, tmp->ranges[i].base, tmp->ranges[i].size);
		for (int i = 0; i < tmp->nirqs && !err; i++)
			err = grant_add_irq(g, tmp->irqs[i].irq, tmp->irqs[i].edge);
	}
	/* RAM is never grantable, whatever a node's reg says (reserved-memory
	 * children are RAM too). */
	for (int i = 0; i < ram.nranges && !err; i++)
		err = grant_remove_range(g, ram.ranges[i].base, ram.ranges[i].size);
	if (!err)
		err = remove_kernel_devices(g, tmp);
	grant_put(tmp);
	if (err) {
		/* Fail closed: init gets no device at all. */
		printk("grant: cannot build the first grant (%d): no device rights\n", err);
		grant_put(g);
		return NULL;
	}
	g->rights = GRANT_RIGHTS_ALL; /* the first process may do everything */
	return g;
}
