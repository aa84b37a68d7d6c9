/*
 * kernel/fdt.c: device-tree set-up and property access on top of libfdt.
 * Owns the validated blob pointer and the checked reading of properties:
 * libfdt trusts property contents, so every length and cell count is
 * checked here before use. The rest is split by purpose: the node table
 * (fdt_nodes.c), address translation (fdt_reg.c), memory ranges
 * (fdt_memory.c), /chosen (fdt_chosen.c) and interrupts (fdt_irq.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "kernel/fdt_internal.h"

/* The first version whose header has size_dt_struct. */
#define DT_MIN_VERSION 17
#define DT_CELL_BITS 32

const void *dt_fdt;

/* libfdt's FDT_ERR_* (positive) as our negative errno values. */
int dt_errno(int fdt_err)
{
	switch (fdt_err < 0 ? -fdt_err : fdt_err) {
	case FDT_ERR_NOTFOUND:
	case FDT_ERR_BADPATH:
		return -ENOENT;
	case FDT_ERR_NOSPACE:
		return -ENOSPC;
	default:
		return -EINVAL;
	}
}

static bool header_ok(const void *blob, size_t max_size)
{
	if (blob == NULL || max_size < sizeof(struct fdt_header))
		return false;
	if (fdt_check_header(blob) != 0)
		return false;
	if (fdt_totalsize(blob) > max_size)
		return false;
	return fdt_version(blob) >= DT_MIN_VERSION;
}

int dt_setup(const void *blob, size_t max_size)
{
	/* The header is checked first: fdt_check_full trusts its sizes. */
	if (!header_ok(blob, max_size))
		return -EINVAL;
	if (fdt_check_full(blob, fdt_totalsize(blob)) != 0)
		return -EINVAL;
	dt_fdt = blob;
	dt_nodes_fill(blob);
	dt_irq_forget();
	return 0;
}

const void *dt_blob(void)
{
	return dt_fdt;
}

size_t dt_size(void)
{
	return dt_fdt ? fdt_totalsize(dt_fdt) : 0;
}

/* Fetch a property as whole cells; a ragged length is malformed. */
int dt_get_cells(int node, const char *name, struct dt_cells *c)
{
	int len;
	const void *p = dt_getprop(node, name, &len);

	if (p == NULL)
		return dt_errno(len);
	if (len % (int)sizeof(fdt32_t) != 0)
		return -EINVAL;
	c->cell = p;
	c->n = len / (int)sizeof(fdt32_t);
	return 0;
}

/* Combine n (<= 2) cells into a 64-bit value, advancing the cursor. */
uint64_t dt_take_value(const fdt32_t **cell, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << DT_CELL_BITS) | fdt32_ld((*cell)++);
	return v;
}

/* A node's #address-cells / #size-cells, limited to what we can hold. */
int dt_node_cells(int node, bool address)
{
	int n = dt_cells_of(node, address);

	if (n < 0)
		return dt_errno(n);
	return n > DT_MAX_VALUE_CELLS ? -EOPNOTSUPP : n;
}

int dt_prop_u32(int node, const char *name, uint32_t *out)
{
	struct dt_cells c;
	int err;

	if (dt_fdt == NULL)
		return -ENODEV;
	err = dt_get_cells(node, name, &c);
	if (err)
		return err;
	if (c.n != 1)
		return -EINVAL;
	*out = fdt32_ld(c.cell);
	return 0;
}

const char *dt_prop_str(int node, const char *name)
{
	const char *s;
	int len;

	if (dt_fdt == NULL)
		return NULL;
	s = dt_getprop(node, name, &len);
	if (s == NULL || len <= 0 || memchr(s, '\0', (size_t)len) == NULL)
		return NULL;
	return s;
}

const char *dt_node_name(int node)
{
	if (dt_fdt == NULL)
		return NULL;
	return fdt_get_name(dt_fdt, node, NULL);
}

int dt_path_offset(const char *path_or_alias)
{
	int node;

	if (dt_fdt == NULL)
		return -ENODEV;
	if (path_or_alias == NULL)
		return -EINVAL;
	node = dt_path_lookup(path_or_alias, (int)strlen(path_or_alias));
	return node >= 0 ? node : dt_errno(node);
}
