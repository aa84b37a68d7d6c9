/*
 * kernel/fdt_reg.c: a node's reg entries, read with its parent's cell
 * counts and translated to CPU physical addresses through the "ranges"
 * of every ancestor bus.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "kernel/fdt_internal.h"

#define PROP_REG "reg"
#define PROP_RANGES "ranges"

/*
 * Map addr from bus's child address space into its parent's through one
 * "ranges" entry list (child-addr parent-addr size). Empty = identity.
 */
static int translate_one(int bus, uint64_t *addr)
{
	struct dt_cells r;
	int ca, pa, sc, entry, err;

	err = dt_get_cells(bus, PROP_RANGES, &r);
	if (err)
		return err == -ENOENT ? -ERANGE : err;
	if (r.n == 0)
		return 0;
	ca = dt_node_cells(bus, true);
	pa = dt_node_cells(dt_parent(bus), true);
	sc = dt_node_cells(bus, false);
	if (ca < 0 || pa < 0 || sc < 0)
		return ca < 0 ? ca : pa < 0 ? pa : sc;
	entry = ca + pa + sc;
	if (entry == 0 || r.n % entry != 0)
		return -EINVAL;
	for (const fdt32_t *c = r.cell; c < r.cell + r.n;) {
		uint64_t child = dt_take_value(&c, ca);
		uint64_t parent = dt_take_value(&c, pa);
		uint64_t size = dt_take_value(&c, sc);

		if (*addr >= child && *addr - child < size) {
			*addr = parent + (*addr - child);
			return 0;
		}
	}
	return -ERANGE;
}

/* Translate a bus address up through every ancestor of node to the CPU. */
static int translate(int node, uint64_t *addr)
{
	int bus = dt_parent(node);

	while (bus > 0) {	/* the root (offset 0) has nothing above it */
		int err = translate_one(bus, addr);

		if (err)
			return err;
		bus = dt_parent(bus);
	}
	return bus < 0 ? dt_errno(bus) : 0;
}

/* Read the index-th (address, size) pair of reg, untranslated. */
static int read_reg(int node, int index, uint64_t *addr, uint64_t *size)
{
	int parent = dt_parent(node);
	int ac, sc, err;
	struct dt_cells reg;
	const fdt32_t *c;

	if (parent < 0)
		return dt_errno(parent);	/* the root: -ENOENT */
	ac = dt_node_cells(parent, true);
	sc = dt_node_cells(parent, false);
	if (ac < 0 || sc < 0)
		return ac < 0 ? ac : sc;
	err = dt_get_cells(node, PROP_REG, &reg);
	if (err)
		return err;
	if (ac == 0 || reg.n % (ac + sc) != 0)
		return -EINVAL;
	if (index < 0 || index >= reg.n / (ac + sc))
		return -ENOENT;
	c = reg.cell + index * (ac + sc);
	*addr = dt_take_value(&c, ac);
	*size = dt_take_value(&c, sc);
	return 0;
}

int dt_reg(int node, int index, paddr_t *addr, uint64_t *size)
{
	uint64_t a = 0, s = 0;	/* set on success; 0 quiets gcc */
	int err;

	if (dt_fdt == NULL)
		return -ENODEV;
	err = read_reg(node, index, &a, &s);
	if (!err)
		err = translate(node, &a);
	if (err)
		return err;
	*addr = a;
	if (size != NULL)
		*size = s;
	return 0;
}

