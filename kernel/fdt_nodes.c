/*
 * kernel/fdt_nodes.c: the device tree's node table (every node's parent,
 * compatible list, status, cell counts and the properties the kernel asks
 * for, found in one pass at dt_setup) and the queries it answers: parent,
 * property lookup, compatible matching and enabled status.
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
/* From dt_find_compatible(-1, ...) on: libfdt's "start at the top". */
#define DT_SEARCH_FROM_START (-1)

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
#define DT_CACHED_PROPS (sizeof(cached_props) / sizeof(cached_props[0]))
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

static const char *compat_list(const void *blob, int node, int *len)
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

static bool status_enabled(const void *blob, int node)
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
struct dt_prop {
	uint32_t off;  /* the value's offset in the blob */
	int len;       /* its length; -FDT_ERR_NOTFOUND if absent */
};
struct dt_node {
	int node, parent;
	int depth;          /* fdt_next_node's from -1 and 0: the root's is 1 */
	const char *compat; /* compat_list's answer */
	int compat_len;
	bool enabled;       /* status_enabled's answer */
	bool props_ok;      /* prop[] holds every cached property's first instance */
	bool has_children;  /* addr_cells and size_cells are set */
	int addr_cells, size_cells; /* fdt_address_cells, fdt_size_cells */
	struct dt_prop prop[DT_CACHED_PROPS];
};
static struct dt_node dt_nodes[DT_NODE_TABLE_MAX];
static int dt_nnodes;
/* Every node of the tree is in the table: walks and searches use it. */
static bool dt_nodes_complete;

/* name's index in cached_props, or PROP_NONE. */
static int cached_index(const char *name)
{
	for (unsigned i = 0; i < DT_CACHED_PROPS; i++)
		if (strcmp(name, cached_props[i]) == 0)
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
		n->compat = compat_list(blob, n->node, &n->compat_len);
		n->enabled = status_enabled(blob, n->node);
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
static int first_at_or_after(int node)
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
static const struct dt_node *dt_node_of(int node)
{
	int i = first_at_or_after(node);

	return i < dt_nnodes && dt_nodes[i].node == node ? &dt_nodes[i] : NULL;
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

/* node's compatible ends with its NUL (see compat_list). */
static bool compatible_ok(int node)
{
	int len;

	return compat_list(dt_fdt, node, &len) != NULL;
}

int dt_next_node(int node, int *depth)
{
	int i, next;

	if (dt_fdt == NULL)
		return -ENODEV;
	if (!dt_nodes_complete || (node >= 0 && dt_node_of(node) == NULL)) {
		next = fdt_next_node(dt_fdt, node, depth);
		return next >= 0 ? next : dt_errno(next);
	}
	/* The entry after node's (the root's, from DT_SEARCH_FROM_START). */
	i = node < 0 ? 0 : first_at_or_after(node) + 1;
	if (i >= dt_nnodes)
		return -ENOENT;
	if (depth)
		*depth += dt_nodes[i].depth - (node < 0 ? 0 : dt_node_of(node)->depth);
	return dt_nodes[i].node;
}

int dt_next_by_prop_value(int prev, const char *name, const void *val, int len)
{
	if (dt_nodes_complete && (prev < 0 || dt_node_of(prev))) {
		/* fdt_node_offset_by_prop_value's search, over the table. */
		for (int i = prev < 0 ? 0 : first_at_or_after(prev + 1); i < dt_nnodes; i++) {
			int plen;
			const void *p = dt_getprop(dt_nodes[i].node, name, &plen);

			if (p && plen == len && memcmp(p, val, (size_t)len) == 0)
				return dt_nodes[i].node;
		}
		return -FDT_ERR_NOTFOUND;
	}
	return fdt_node_offset_by_prop_value(dt_fdt, prev, name, val, len);
}

int dt_find_compatible(int from, const char *compat)
{
	int node = from;

	if (dt_fdt == NULL)
		return -ENODEV;
	if (compat == NULL || from < DT_SEARCH_FROM_START)
		return -EINVAL;
	if (dt_nodes_complete && (from < 0 || dt_node_of(from))) {
		/* fdt_node_offset_by_compatible's search (from the root after
		 * -1), with compatible_ok's check, over the table. */
		for (int i = from < 0 ? 0 : first_at_or_after(from + 1); i < dt_nnodes; i++)
			if (dt_nodes[i].compat &&
			    fdt_stringlist_contains(dt_nodes[i].compat, dt_nodes[i].compat_len, compat))
				return dt_nodes[i].node;
		return -ENOENT;
	}
	do
		node = fdt_node_offset_by_compatible(dt_fdt, node, compat);
	while (node >= 0 && !compatible_ok(node));
	return node >= 0 ? node : dt_errno(node);
}

bool dt_node_compatible(int node, const char *compat)
{
	const struct dt_node *n;
	const char *list;
	int len;

	if (dt_fdt == NULL || compat == NULL || node < 0)
		return false;
	n = dt_node_of(node);
	if (n) {
		list = n->compat;
		len = n->compat_len;
	} else {
		list = compat_list(dt_fdt, node, &len);
	}
	/* fdt_node_check_compatible's own test, on the list. */
	return list && fdt_stringlist_contains(list, len, compat);
}

bool dt_node_enabled(int node)
{
	const struct dt_node *n;

	if (dt_fdt == NULL)
		return false;
	n = dt_node_of(node);
	return n ? n->enabled : status_enabled(dt_fdt, node);
}

