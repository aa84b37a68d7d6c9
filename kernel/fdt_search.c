/*
 * kernel/fdt_search.c: walks and searches over the device tree's node
 * table (kernel/fdt_nodes.c), each giving libfdt's answer: the next node,
 * a path's node, the next node with a compatible string or a property
 * value, and the compatible and enabled tests of one node. A table that
 * misses nodes (too many, too deep) leaves them to libfdt.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "kernel/fdt_internal.h"

/* From dt_find_compatible(-1, ...) on: libfdt's "start at the top". */
#define DT_SEARCH_FROM_START (-1)

/* node's compatible ends with its NUL (see dt_compat_list). */
static bool compatible_ok(int node)
{
	int len;

	return dt_compat_list(dt_fdt, node, &len) != NULL;
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
	i = node < 0 ? 0 : dt_first_at_or_after(node) + 1;
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
		for (int i = prev < 0 ? 0 : dt_first_at_or_after(prev + 1); i < dt_nnodes; i++) {
			int plen;
			const void *p = dt_getprop(dt_nodes[i].node, name, &plen);

			if (p && plen == len && memcmp(p, val, (size_t)len) == 0)
				return dt_nodes[i].node;
		}
		return -FDT_ERR_NOTFOUND;
	}
	return fdt_node_offset_by_prop_value(dt_fdt, prev, name, val, len);
}

/* libfdt's node-name match: exactly, or up to the unit address when name
 * has none ("memory" matches "memory@40000000"). */
static bool name_matches(int node, const char *name, int len)
{
	int nlen;
	const char *p = fdt_get_name(dt_fdt, node, &nlen);

	if (p == NULL || nlen < len || memcmp(p, name, (size_t)len) != 0)
		return false;
	return p[len] == '\0' || (p[len] == '@' && memchr(name, '@', (size_t)len) == NULL);
}

/* fdt_subnode_offset_namelen over the table: the first child that matches. */
static int table_subnode(int parent, const char *name, int len)
{
	const struct dt_node *pn = dt_node_of(parent);

	if (pn == NULL)
		return fdt_subnode_offset_namelen(dt_fdt, parent, name, len);
	for (int i = (int)(pn - dt_nodes) + 1; i < dt_nnodes && dt_nodes[i].depth > pn->depth; i++)
		if (dt_nodes[i].depth == pn->depth + 1 && name_matches(dt_nodes[i].node, name, len))
			return dt_nodes[i].node;
	return -FDT_ERR_NOTFOUND;
}

int dt_path_lookup(const char *path, int len)
{
	const char *p = path, *end = path + len;
	int node = 0;

	/* An alias: libfdt resolves it (once per lookup, rarely asked). */
	if (!dt_nodes_complete || len == 0 || path[0] != '/')
		return fdt_path_offset_namelen(dt_fdt, path, len);
	/* fdt_path_offset_namelen's walk, one component at a time. */
	while (p < end) {
		const char *q;

		while (*p == '/') {
			p++;
			if (p == end)
				return node;
		}
		q = memchr(p, '/', (size_t)(end - p));
		if (q == NULL)
			q = end;
		node = table_subnode(node, p, (int)(q - p));
		if (node < 0)
			return node;
		p = q;
	}
	return node;
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
		for (int i = from < 0 ? 0 : dt_first_at_or_after(from + 1); i < dt_nnodes; i++)
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

/*
 * fdt_stringlist_contains, with each entry's first byte compared before
 * the rest: the boot asks every node for every driver's strings, and
 * nearly all differ at once. list ends with its NUL (compat_checked).
 */
static bool list_contains(const char *list, int len, const char *str)
{
	size_t n = strlen(str) + 1;	/* with the NUL, as libfdt compares */

	while ((size_t)len >= n) {
		const char *end;

		if (list[0] == str[0] && memcmp(list, str, n) == 0)
			return true;
		end = memchr(list, '\0', (size_t)len);
		if (end == NULL)
			return false;
		len -= (int)(end - list) + 1;
		list = end + 1;
	}
	return false;
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
		list = dt_compat_list(dt_fdt, node, &len);
	}
	/* fdt_node_check_compatible's own test, on the list. */
	return list && list_contains(list, len, compat);
}

bool dt_node_enabled(int node)
{
	const struct dt_node *n;

	if (dt_fdt == NULL)
		return false;
	n = dt_node_of(node);
	return n ? n->enabled : dt_status_enabled(dt_fdt, node);
}
