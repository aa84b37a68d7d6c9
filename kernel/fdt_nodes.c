/*
 * kernel/fdt_nodes.c: the device tree's node table (every node's parent,
 * depth, compatible list, status, cell counts and the properties the
 * kernel asks for, found in one pass at dt_setup), the lookup of a node's
 * entry, and the answers it gives per node: parent, property, cell
 * counts. Walks and searches over it are in fdt_search.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "kernel/fdt_internal.h"

#define PROP_COMPATIBLE "compatible"
#define PROP_STATUS "status"
#define STATUS_OKAY "okay"
#define STATUS_OK "ok"

/*
 * The properties the table keeps for each node: those the boot asks of
 * every device (reg, interrupts and their parent's cells, for drivers and
 * the first process's grant), which libfdt finds by a scan of the node's
 * properties each time (some 3M instructions of boot).
 */
static const char *const cached_props[] = {
	PROP_COMPATIBLE, PROP_STATUS, "reg", "ranges", "interrupts",
	"interrupt-parent", "#interrupt-cells", "device_type",
};
_Static_assert(sizeof(cached_props) / sizeof(cached_props[0]) == DT_CACHED_PROPS,
	       "DT_CACHED_PROPS (fdt_internal.h) counts cached_props");
#define CACHED_COMPATIBLE 0 /* index of PROP_COMPATIBLE above */
#define CACHED_STATUS 1     /* index of PROP_STATUS above */
#define PROP_NONE (-1)      /* cached_index: not a cached property */

/*
 * node's compatible list when it ends with its NUL, else NULL. libfdt's
 * match compares the name's NUL with the byte after the property, so a
 * list without one could match (reading one byte past it): such a node
 * matches nothing here.
 */
static const char *compat_checked(const char *p, int len)
{
	return p != NULL && len > 0 && p[len - 1] == '\0' ? p : NULL;
}

const char *dt_compat_list(const void *blob, int node, int *len)
{
	const char *p = fdt_getprop(blob, node, PROP_COMPATIBLE, len);

	return compat_checked(p, *len);
}

/* No status, "okay" or "ok" (exactly, within the property: it need not be
 * a string); len is fdt_getprop's. */
static bool status_ok(const char *status, int len)
{
	if (status == NULL)
		return len == -FDT_ERR_NOTFOUND;
	return (len == sizeof(STATUS_OKAY) &&
		memcmp(status, STATUS_OKAY, sizeof(STATUS_OKAY)) == 0) ||
	       (len == sizeof(STATUS_OK) &&
		memcmp(status, STATUS_OK, sizeof(STATUS_OK)) == 0);
}

bool dt_status_enabled(const void *blob, int node)
{
	int len;
	const char *status = fdt_getprop(blob, node, PROP_STATUS, &len);

	return status_ok(status, len);
}

/*
 * Every node's parent, compatible list, status, cached properties and (for
 * nodes with children, the only ones asked) #address-cells and
 * #size-cells as libfdt reads them, in tree (offset) order, found in one
 * pass at dt_setup: libfdt's fdt_parent_offset rescans the tree from its
 * root each time, and the boot asks it for every node's reg and interrupt
 * parent (some 20M instructions), and the drivers' matching asked for
 * every node's status and compatible once per driver class and string
 * (some 10M). Nodes past the table and nodes deeper than DT_NODE_DEPTH_MAX
 * are left to libfdt. Written by dt_setup only (boot, one CPU), then
 * read-only: the tree does not change.
 */
#define DT_NODE_TABLE_MAX 1024
#define DT_ROOT_DEPTH 1 /* fdt_next_node(fdt, -1, &depth) from depth 0 */
#define DT_NODE_DEPTH_MAX 32
struct dt_node dt_nodes[DT_NODE_TABLE_MAX];
int dt_nnodes;
bool dt_nodes_complete;
/*
 * The table index dt_node_of found last: callers ask about one node
 * several times in a row, or walk the nodes in order. A hint only, read
 * and written atomically by any CPU, and checked before use.
 */
static int last_index;


/* name's index in cached_props, or PROP_NONE. */
static int cached_index(const char *name)
{
	/* The first byte first: it rules most names out (every property of
	 * every node passes here at dt_setup). */
	for (unsigned i = 0; i < DT_CACHED_PROPS; i++)
		if (name[0] == cached_props[i][0] && strcmp(name, cached_props[i]) == 0)
			return (int)i;
	return PROP_NONE;
}

/* A cached property as fdt_getprop gives it (the first of that name). */
static const void *cached_value(const struct dt_node *n, int i, int *len)
{
	*len = n->prop[i].len;
	return n->prop[i].len >= 0 ? (const char *)dt_fdt + n->prop[i].off : NULL;
}

/* One walk over n's properties fills prop[]; a property libfdt cannot
 * read (fdt_check_full makes it unlikely) leaves them all to libfdt. */
static void read_props(const void *blob, struct dt_node *n)
{
	int off;

	for (unsigned i = 0; i < DT_CACHED_PROPS; i++)
		n->prop[i].len = -FDT_ERR_NOTFOUND;
	n->props_ok = true;
	fdt_for_each_property_offset(off, blob, n->node) {
		const char *name;
		int len, i;
		const void *v = fdt_getprop_by_offset(blob, off, &name, &len);

		if (v == NULL || name == NULL) {
			n->props_ok = false;
			break;
		}
		i = cached_index(name);
		if (i != PROP_NONE && n->prop[i].len < 0)
			n->prop[i] = (struct dt_prop){ (uint32_t)((const char *)v - (const char *)blob), len };
	}
	if (off != -FDT_ERR_NOTFOUND)
		n->props_ok = false;
	if (n->props_ok) {
		const char *p;
		int len;

		p = cached_value(n, CACHED_COMPATIBLE, &len);
		n->compat = compat_checked(p, len);
		n->compat_len = len;
		p = cached_value(n, CACHED_STATUS, &len);
		n->enabled = status_ok(p, len);
	} else {
		n->compat = dt_compat_list(blob, n->node, &n->compat_len);
		n->enabled = dt_status_enabled(blob, n->node);
	}
}

/* Enters node (its parent at table index parent_idx, -1 for the root). */
static struct dt_node *add_node(const void *blob, int node, int parent, int parent_idx)
{
	struct dt_node *n = &dt_nodes[dt_nnodes++];

	n->node = node;
	n->parent = parent;
	n->depth = parent_idx >= 0 ? dt_nodes[parent_idx].depth + 1 : DT_ROOT_DEPTH;
	n->has_children = false;
	read_props(blob, n);
	if (parent_idx >= 0 && !dt_nodes[parent_idx].has_children) {
		struct dt_node *p = &dt_nodes[parent_idx];

		p->has_children = true;
		p->addr_cells = fdt_address_cells(blob, p->node);
		p->size_cells = fdt_size_cells(blob, p->node);
	}
	return n;
}

void dt_nodes_fill(const void *blob)
{
	int stack[DT_NODE_DEPTH_MAX], depth = 0;

	/* dt_fdt is blob already: cached_value reads through it. */
	dt_nnodes = 0;
	dt_nodes_complete = false;
	__atomic_store_n(&last_index, 0, __ATOMIC_RELAXED);
	add_node(blob, 0, fdt_parent_offset(blob, 0), -1); /* the root */
	stack[0] = 0; /* the root's table index, at depth 0 */
	for (int node = fdt_next_node(blob, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(blob, node, &depth)) {
		if (depth >= DT_NODE_DEPTH_MAX || dt_nnodes == DT_NODE_TABLE_MAX)
			return;
		stack[depth] = dt_nnodes;
		add_node(blob, node, dt_nodes[stack[depth - 1]].node, stack[depth - 1]);
	}
	dt_nodes_complete = true;
}

/* The index of the first entry whose node is at or after node. */
int dt_first_at_or_after(int node)
{
	int lo = 0, hi = dt_nnodes;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (dt_nodes[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* node's entry in the table, or NULL (then ask libfdt). */
const struct dt_node *dt_node_of(int node)
{
	int i = __atomic_load_n(&last_index, __ATOMIC_RELAXED);

	if (i < dt_nnodes && dt_nodes[i].node == node)
		return &dt_nodes[i];
	if (i + 1 < dt_nnodes && dt_nodes[i + 1].node == node)
		i++;
	else
		i = dt_first_at_or_after(node);
	if (i >= dt_nnodes || dt_nodes[i].node != node)
		return NULL;
	__atomic_store_n(&last_index, i, __ATOMIC_RELAXED);
	return &dt_nodes[i];
}

/* fdt_parent_offset's answer, from the table when node is in it. */
int dt_parent(int node)
{
	const struct dt_node *n = dt_node_of(node);

	return n ? n->parent : fdt_parent_offset(dt_fdt, node);
}

const void *dt_getprop(int node, const char *name, int *len)
{
	const struct dt_node *n = dt_node_of(node);
	int i = n && n->props_ok ? cached_index(name) : PROP_NONE;

	return i != PROP_NONE ? cached_value(n, i, len) : fdt_getprop(dt_fdt, node, name, len);
}

int dt_cells_of(int node, bool address)
{
	const struct dt_node *n = dt_node_of(node);

	if (n && n->has_children)
		return address ? n->addr_cells : n->size_cells;
	return address ? fdt_address_cells(dt_fdt, node) : fdt_size_cells(dt_fdt, node);
}

