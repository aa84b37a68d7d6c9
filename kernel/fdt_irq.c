/*
 * kernel/fdt_irq.c: interrupts in the device tree: the interrupt-parent
 * walk (with its phandle cache and last answer) and the specifiers of a
 * node's "interrupts".
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "kernel/fdt_internal.h"

#define PROP_INTERRUPTS "interrupts"
#define PROP_INTERRUPT_PARENT "interrupt-parent"
#define PROP_INTERRUPT_CELLS "#interrupt-cells"
/* Specifier sizes are ints here; <limits.h> is avoided (see format.c). */
#define DT_INT_MAX __INT_MAX__
/*
 * Bounds the interrupt-parent walk, which climbs the tree and hops
 * phandles: real trees need a handful of steps, so this many means a
 * phandle loop.
 */
#define DT_IRQ_PARENT_HOPS_MAX 128

/*
 * The last phandles looked up, and their nodes: libfdt's lookup scans the
 * whole tree, and nearly every interrupt names the same parent (the GIC),
 * so the first grant asked it thousands of times (some 80 ms of boot).
 * Filled at boot by one CPU and emptied by dt_setup; a stale entry cannot
 * exist, as the tree does not change once dt_setup has it.
 */
#define PHANDLE_CACHE_SIZE 4
static struct {
	uint32_t phandle;  /* 0: empty (0 is never a phandle) */
	int node;
} phandle_cache[PHANDLE_CACHE_SIZE];
static unsigned phandle_cache_next;
/* dt_interrupt_parent's last answer (same rules). */
#define IRQ_PARENT_NONE (-1)
static struct {
	int node, parent;
} irq_parent_memo = { IRQ_PARENT_NONE, IRQ_PARENT_NONE };

/* Empties the caches above: dt_setup may bring a different tree. */
void dt_irq_forget(void)
{
	memset(phandle_cache, 0, sizeof(phandle_cache));
	phandle_cache_next = 0;
	irq_parent_memo.node = irq_parent_memo.parent = IRQ_PARENT_NONE;
}

/* One step of the walk: the interrupt-parent target, else the parent. */
static int node_by_phandle(uint32_t phandle)
{
	int node;

	for (int i = 0; i < PHANDLE_CACHE_SIZE; i++)
		if (phandle && phandle_cache[i].phandle == phandle)
			return phandle_cache[i].node;
	node = fdt_node_offset_by_phandle(dt_fdt, phandle);
	if (node >= 0 && phandle) {
		phandle_cache[phandle_cache_next] = (typeof(phandle_cache[0])){ phandle, node };
		phandle_cache_next = (phandle_cache_next + 1) % PHANDLE_CACHE_SIZE;
	}
	return node;
}

static int irq_parent_step(int node)
{
	uint32_t phandle;
	int err = dt_prop_u32(node, PROP_INTERRUPT_PARENT, &phandle);
	int next;

	if (err == -ENOENT)
		next = dt_parent(node);
	else if (err)
		return err;
	else
		next = node_by_phandle(phandle);
	return next >= 0 ? next : dt_errno(next);
}

static int interrupt_parent_walk(int node)
{
	for (int hops = 0; hops < DT_IRQ_PARENT_HOPS_MAX; hops++) {
		int len;

		node = irq_parent_step(node);
		if (node < 0)
			return node;
		if (dt_getprop(node, PROP_INTERRUPT_CELLS, &len))
			return node;
	}
	return -EINVAL;
}

int dt_interrupt_parent(int node)
{
	if (dt_fdt == NULL)
		return -ENODEV;
	/* Asked several times in a row for one node (each specifier, its
	 * cell count): the last answer is kept (emptied by dt_setup). */
	if (node != irq_parent_memo.node || irq_parent_memo.parent == IRQ_PARENT_NONE) {
		irq_parent_memo.node = node;
		irq_parent_memo.parent = interrupt_parent_walk(node);
	}
	return irq_parent_memo.parent;
}

/* How many cells one interrupt specifier of node takes. */
static int irq_cells(int node)
{
	int parent = dt_interrupt_parent(node);
	uint32_t n;
	int err;

	if (parent < 0)
		return parent;
	err = dt_prop_u32(parent, PROP_INTERRUPT_CELLS, &n);
	if (err)
		return err;
	return n == 0 || n > (uint32_t)DT_INT_MAX ? -EINVAL : (int)n;
}

int dt_irq(int node, int index, uint32_t *cells, int max)
{
	struct dt_cells irqs;
	int n, err;

	if (dt_fdt == NULL)
		return -ENODEV;
	err = dt_get_cells(node, PROP_INTERRUPTS, &irqs);
	if (err)
		return err;
	n = irq_cells(node);
	if (n < 0)
		return n;
	if (irqs.n % n != 0)
		return -EINVAL;
	if (index < 0 || index >= irqs.n / n)
		return -ENOENT;
	if (n > max)
		return -ENOSPC;
	for (int i = 0; i < n; i++)
		cells[i] = fdt32_ld(&irqs.cell[index * n + i]);
	return n;
}

