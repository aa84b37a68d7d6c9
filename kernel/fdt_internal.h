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

/* kernel/fdt_nodes.c; dt_nodes_fill runs with dt_fdt already blob. */
void dt_nodes_fill(const void *blob);
int dt_parent(int node);
/* fdt_getprop's answer, from the node table for the properties it keeps. */
const void *dt_getprop(int node, const char *name, int *len);
/* fdt_address_cells (address) or fdt_size_cells's answer, likewise. */
int dt_cells_of(int node, bool address);
/* fdt_node_offset_by_prop_value's answer (libfdt errors), likewise. */
int dt_next_by_prop_value(int prev, const char *name, const void *val, int len);

/* kernel/fdt_irq.c */
void dt_irq_forget(void);

#endif
