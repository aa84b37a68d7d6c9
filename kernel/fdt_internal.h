/*
 * kernel/fdt_internal.h: what the device-tree query files (kernel/fdt*.c)
 * share and nobody else sees: the validated blob, libfdt's errors as ours,
 * property cells with their lengths checked, the node table's parent
 * lookup, and the reset of the interrupt caches that dt_setup does.
 */
#ifndef KERNEL_FDT_INTERNAL_H
#define KERNEL_FDT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

/* Values we hold are 64-bit: at most two 32-bit cells. */
#define DT_MAX_VALUE_CELLS 2

/* The validated blob (kernel/fdt.c); NULL before dt_setup. */
extern const void *dt_fdt;

/* A property seen as an array of big-endian cells. */
struct dt_cells {
	const fdt32_t *cell;
	int n;
};

/* kernel/fdt.c */
int dt_errno(int fdt_err);
int dt_get_cells(int node, const char *name, struct dt_cells *c);
uint64_t dt_take_value(const fdt32_t **cell, int n);
int dt_node_cells(int node, bool address);

/*
 * The node table (kernel/fdt_nodes.c): every node in tree (offset) order,
 * written by dt_nodes_fill only (dt_setup, boot, one CPU), then read-only.
 */
#define DT_CACHED_PROPS 8  /* properties kept per node (fdt_nodes.c) */
struct dt_prop {
	uint32_t off;  /* the value's offset in the blob */
	int len;       /* its length; -FDT_ERR_NOTFOUND if absent */
};
struct dt_node {
	int node, parent;
	int depth;          /* fdt_next_node's from -1 and 0: the root's is 1 */
	const char *compat; /* dt_compat_list's answer */
	int compat_len;
	bool enabled;       /* dt_status_enabled's answer */
	bool props_ok;      /* prop[] holds every cached property's first instance */
	bool has_children;  /* addr_cells and size_cells are set */
	int addr_cells, size_cells; /* fdt_address_cells, fdt_size_cells */
	struct dt_prop prop[DT_CACHED_PROPS];
};
extern struct dt_node dt_nodes[];
extern int dt_nnodes;
extern bool dt_nodes_complete; /* every node of the tree is in the table */
/* The index of the first entry whose node is at or after node. */
int dt_first_at_or_after(int node);
/* node's entry in the table, or NULL (then ask libfdt). */
const struct dt_node *dt_node_of(int node);
/* node's compatible list when it ends with its NUL, else NULL; and its
 * status being absent, "okay" or "ok": libfdt asked. */
const char *dt_compat_list(const void *blob, int node, int *len);
bool dt_status_enabled(const void *blob, int node);

/* kernel/fdt_nodes.c; dt_nodes_fill runs with dt_fdt already blob. */
void dt_nodes_fill(const void *blob);
int dt_parent(int node);
/* fdt_getprop's answer, from the node table for the properties it keeps. */
const void *dt_getprop(int node, const char *name, int *len);
/* fdt_address_cells (address) or fdt_size_cells's answer, likewise. */
int dt_cells_of(int node, bool address);
/* fdt_node_offset_by_prop_value's answer (libfdt errors), likewise. */
int dt_next_by_prop_value(int prev, const char *name, const void *val, int len);
/* fdt_path_offset_namelen's answer (libfdt errors), likewise. */
int dt_path_lookup(const char *path, int len);

/* kernel/fdt_irq.c */
void dt_irq_forget(void);

#endif
