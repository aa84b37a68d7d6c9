/*
 * kernel/fdt.h: device-tree queries. Owns the one flattened device tree the
 * boot loader handed over: it validates the blob once (dt_setup) and then
 * answers questions about it through libfdt, checking every property's
 * length and cell counts so a malformed tree yields -EINVAL rather than a
 * read past a property. Callers copy out what they need at boot.
 *
 * Node offsets are libfdt's: an int >= 0. Unless stated otherwise,
 * functions return -ENODEV before a successful dt_setup, -ENOENT for a
 * missing node/property/index and -EINVAL for malformed data or a bad
 * offset.
 */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include "kernel/lib/types.h"
#include "mm/ranges.h"	/* struct mem_range */

struct dt_chosen {
	const char *bootargs;	/* points into the blob; NULL if absent */
	bool has_initrd;
	paddr_t initrd_start, initrd_end;	/* end is exclusive */
	int stdout_node;	/* -1 if none or unresolvable */
};

/*
 * Validate blob and make it the tree every other function queries.
 * Checks: fdt_check_header, totalsize <= max_size, version >= 17 (the
 * first with size_dt_struct, which the checks rely on) and fdt_check_full
 * (present in Debian 12's libfdt 1.6.1), which walks the whole structure
 * block. Returns 0 or -EINVAL; on failure the previously set-up tree, if
 * any, stays in use. max_size must cover at least the header, and no byte
 * past blob + max_size is read.
 */
int dt_setup(const void *blob, size_t max_size);
const void *dt_blob(void);	/* NULL before dt_setup */
size_t dt_size(void);		/* the blob's totalsize; 0 before dt_setup */

/*
 * Every reg range of enabled nodes with device_type = "memory", skipping
 * empty ones, sorted by base, overlapping ones merged. Returns the count,
 * -ENOSPC if more than max (before merging), -EINVAL if a range runs past
 * 2^64 or a reg is malformed, -EOPNOTSUPP for cells wider than 64 bits.
 */
int dt_memory(struct mem_range *out, int max);

/*
 * The /memreserve/ entries followed by the reg ranges of enabled
 * /reserved-memory children (children without reg, i.e. dynamically
 * placed pools, are skipped); empty ranges dropped, sorted by base.
 * Returns the count, -ENOSPC if more than max, -EINVAL if a range runs
 * past 2^64 or a reg is malformed.
 */
int dt_reserved(struct mem_range *out, int max);

/*
 * Facts from /chosen: bootargs, linux,initrd-start/end (each one or two
 * cells), and stdout-path (or the older linux,stdout-path) with any
 * ":options" stripped and an alias resolved, as a node offset. Each fact
 * is parsed independently, so out is always fully filled with what could
 * be read; the return is 0, or -EINVAL if an initrd property is
 * malformed, only one of the pair is present, or end < start (then
 * has_initrd is false). A tree without /chosen gives an empty out and 0.
 */
int dt_chosen(struct dt_chosen *out);

/* Like fdt_node_offset_by_compatible: from = -1 starts at the top. A
 * node whose compatible lacks its final NUL is malformed and skipped. */
int dt_find_compatible(int from, const char *compat);

/*
 * fdt_next_node over the whole tree, from the node table: node -1 gives
 * the root. depth, if not NULL, changes as fdt_next_node changes it (from
 * -1 and 0, the root's depth is 1). -ENOENT after the last node.
 */
int dt_next_node(int node, int *depth);

/* node's compatible list holds compat (a malformed list holds nothing). */
bool dt_node_compatible(int node, const char *compat);

/* status is absent, "okay" or "ok". False for a bad offset or no tree. */
bool dt_node_enabled(int node);

/*
 * The index-th reg entry of node, read with the parent's #address-cells
 * and #size-cells and translated to a CPU physical address through the
 * "ranges" of every ancestor bus: empty ranges is the identity, an absent
 * one or an address outside every range gives -ERANGE. Cell counts above
 * two (64 bits), as on PCI buses, give -EOPNOTSUPP. A reg whose length is
 * not a multiple of the entry size gives -EINVAL; index past the end or no
 * reg at all gives -ENOENT. size may be NULL.
 */
int dt_reg(int node, int index, paddr_t *addr, uint64_t *size);

/* A property that is exactly one cell. */
int dt_prop_u32(int node, const char *name, uint32_t *out);

/*
 * A property holding a string (the first one, for a string list), or
 * NULL if it is absent, empty or has no NUL within its length.
 */
const char *dt_prop_str(int node, const char *name);

/*
 * node's interrupt controller: follows interrupt-parent, else the tree
 * parent, until a node with #interrupt-cells (as Linux's
 * of_irq_find_parent). Returns its offset, -ENOENT if there is none or
 * a phandle names no node, -EINVAL for a malformed interrupt-parent or a
 * phandle loop. A top-level controller whose parent chain leads back to
 * itself (QEMU virt's GIC) gets itself: callers treat that as "no parent".
 */
int dt_interrupt_parent(int node);

/*
 * The index-th specifier of node's "interrupts", sized by its interrupt
 * parent's #interrupt-cells, copied to cells in host byte order. Returns
 * the number of cells, -ENOSPC if that is more than max, -ENOENT if there
 * is no such specifier. interrupts-extended is not supported.
 */
int dt_irq(int node, int index, uint32_t *cells, int max);

/* The node's name with its unit address ("pl011@9000000"), or NULL. */
const char *dt_node_name(int node);

/* A node offset from a full path or an alias ("serial0", "serial0/x"). */
int dt_path_offset(const char *path_or_alias);

#endif
