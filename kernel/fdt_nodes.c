/*
 * kernel/fdt_nodes.c: the device tree's node table (every node's parent,
 * compatible list and status, found in one pass at dt_setup) and the
 * queries it answers: parent, compatible matching and enabled status.
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
 * node's compatible list when it ends with its NUL, else NULL. libfdt's
 * match compares the name's NUL with the byte after the property, so a
 * list without one could match (reading one byte past it): such a node
 * matches nothing here.
 */
static const char *compat_list(const void *blob, int node, int *len)
{
	const char *p = fdt_getprop(blob, node, PROP_COMPATIBLE, len);

	return p != NULL && *len > 0 && p[*len - 1] == '\0' ? p : NULL;
}

/* No status, "okay" or "ok" (exactly, within the property: it need not be a string). */
static bool status_enabled(const void *blob, int node)
{
	int len;
	const char *status = fdt_getprop(blob, node, PROP_STATUS, &len);

	if (status == NULL)
		return len == -FDT_ERR_NOTFOUND;
	return (len == sizeof(STATUS_OKAY) &&
		memcmp(status, STATUS_OKAY, sizeof(STATUS_OKAY)) == 0) ||
	       (len == sizeof(STATUS_OK) &&
		memcmp(status, STATUS_OK, sizeof(STATUS_OK)) == 0);
}

/*
 * Every node's parent, compatible list and status, in tree (offset)
 * order, found in one pass at dt_setup: libfdt's fdt_parent_offset
 * rescans the tree from its root each time, and the boot asks it for
 * every node's reg and interrupt parent (some 20M instructions), and the
 * drivers' matching asked for every node's status and compatible once per
 * driver class and string (some 10M). The root, nodes past the table and
 * nodes deeper than DT_NODE_DEPTH_MAX are left to libfdt. Written by
 * dt_setup only (boot, one CPU), then read-only: the tree does not change.
 */
#define DT_NODE_TABLE_MAX 1024
#define DT_NODE_DEPTH_MAX 32
struct dt_node {
	int node, parent;
	const char *compat; /* compat_list's answer */
	int compat_len;
	bool enabled;       /* status_enabled's answer */
};
static struct dt_node dt_nodes[DT_NODE_TABLE_MAX];
static int dt_nnodes;

void dt_nodes_fill(const void *blob)
{
	int stack[DT_NODE_DEPTH_MAX], depth = 0;

	dt_nnodes = 0;
	stack[0] = 0; /* the root, at depth 0 */
	for (int node = fdt_next_node(blob, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(blob, node, &depth)) {
		struct dt_node *n = &dt_nodes[dt_nnodes];

		if (depth >= DT_NODE_DEPTH_MAX || dt_nnodes == DT_NODE_TABLE_MAX)
			return;
		stack[depth] = node;
		n->node = node;
		n->parent = stack[depth - 1];
		n->compat = compat_list(blob, node, &n->compat_len);
		n->enabled = status_enabled(blob, node);
		dt_nnodes++;
	}
}

/* node's entry in the table, or NULL (then ask libfdt). */
static const struct dt_node *dt_node_of(int node)
{
	int lo = 0, hi = dt_nnodes;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (dt_nodes[mid].node == node)
			return &dt_nodes[mid];
		if (dt_nodes[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* fdt_parent_offset's answer, from the table when node is in it. */
int dt_parent(int node)
{
	const struct dt_node *n = dt_node_of(node);

	return n ? n->parent : fdt_parent_offset(dt_fdt, node);
}

/* node's compatible ends with its NUL (see compat_list). */
static bool compatible_ok(int node)
{
	int len;

	return compat_list(dt_fdt, node, &len) != NULL;
}

int dt_find_compatible(int from, const char *compat)
{
	int node = from;

	if (dt_fdt == NULL)
		return -ENODEV;
	if (compat == NULL || from < DT_SEARCH_FROM_START)
		return -EINVAL;
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

