/*
 * kernel/fdt.c: device-tree queries on top of libfdt. Owns the validated
 * blob pointer (the only global state) and all interpretation of
 * properties: cell sizes, address translation through "ranges", the
 * interrupt-parent walk and the /chosen facts. libfdt trusts property
 * contents, so every length and cell count is checked here before use.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "mm/ranges.h"	/* ranges_sort */

/* Property and node names, spelled once. */
#define PROP_REG "reg"
#define PROP_COMPATIBLE "compatible"
#define PROP_RANGES "ranges"
#define PROP_STATUS "status"
#define PROP_DEVICE_TYPE "device_type"
#define PROP_BOOTARGS "bootargs"
#define PROP_INITRD_START "linux,initrd-start"
#define PROP_INITRD_END "linux,initrd-end"
#define PROP_STDOUT_PATH "stdout-path"
#define PROP_STDOUT_PATH_OLD "linux,stdout-path"
#define PROP_INTERRUPTS "interrupts"
#define PROP_INTERRUPT_PARENT "interrupt-parent"
#define PROP_INTERRUPT_CELLS "#interrupt-cells"
#define DEVICE_TYPE_MEMORY "memory"
#define STATUS_OKAY "okay"
#define STATUS_OK "ok"
#define PATH_CHOSEN "/chosen"
#define PATH_RESERVED_MEMORY "/reserved-memory"
/* stdout-path = "path:options"; the options are the UART's business. */
#define STDOUT_OPTIONS_SEP ':'

/* The first version whose header has size_dt_struct. */
#define DT_MIN_VERSION 17
/* Values we hold are 64-bit: at most two 32-bit cells. */
#define DT_MAX_VALUE_CELLS 2
#define DT_CELL_BITS 32
/* Specifier sizes are ints here; <limits.h> is avoided (see format.c). */
#define DT_INT_MAX __INT_MAX__
/*
 * Bounds the interrupt-parent walk, which climbs the tree and hops
 * phandles: real trees need a handful of steps, so this many means a
 * phandle loop.
 */
#define DT_IRQ_PARENT_HOPS_MAX 128
/* From dt_find_compatible(-1, ...) on: libfdt's "start at the top". */
#define DT_SEARCH_FROM_START (-1)

static const void *dt_fdt;

/* A property seen as an array of big-endian cells. */
struct dt_cells {
	const fdt32_t *cell;
	int n;
};

/* libfdt's FDT_ERR_* (positive) as our negative errno values. */
static int fdt_errno(int fdt_err)
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

static void fill_nodes(const void *blob)
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
static int dt_parent(int node)
{
	const struct dt_node *n = dt_node_of(node);

	return n ? n->parent : fdt_parent_offset(dt_fdt, node);
}

int dt_setup(const void *blob, size_t max_size)
{
	/* The header is checked first: fdt_check_full trusts its sizes. */
	if (!header_ok(blob, max_size))
		return -EINVAL;
	if (fdt_check_full(blob, fdt_totalsize(blob)) != 0)
		return -EINVAL;
	dt_fdt = blob;
	fill_nodes(blob);
	memset(phandle_cache, 0, sizeof(phandle_cache));
	phandle_cache_next = 0;
	irq_parent_memo.node = irq_parent_memo.parent = IRQ_PARENT_NONE;
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
static int get_cells(int node, const char *name, struct dt_cells *c)
{
	int len;
	const void *p = fdt_getprop(dt_fdt, node, name, &len);

	if (p == NULL)
		return fdt_errno(len);
	if (len % (int)sizeof(fdt32_t) != 0)
		return -EINVAL;
	c->cell = p;
	c->n = len / (int)sizeof(fdt32_t);
	return 0;
}

/* Combine n (<= 2) cells into a 64-bit value, advancing the cursor. */
static uint64_t take_value(const fdt32_t **cell, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << DT_CELL_BITS) | fdt32_ld((*cell)++);
	return v;
}

/* A node's #address-cells / #size-cells, limited to what we can hold. */
static int node_cells(int node, bool address)
{
	int n = address ? fdt_address_cells(dt_fdt, node)
			: fdt_size_cells(dt_fdt, node);

	if (n < 0)
		return fdt_errno(n);
	return n > DT_MAX_VALUE_CELLS ? -EOPNOTSUPP : n;
}

/*
 * Map addr from bus's child address space into its parent's through one
 * "ranges" entry list (child-addr parent-addr size). Empty = identity.
 */
static int translate_one(int bus, uint64_t *addr)
{
	struct dt_cells r;
	int ca, pa, sc, entry, err;

	err = get_cells(bus, PROP_RANGES, &r);
	if (err)
		return err == -ENOENT ? -ERANGE : err;
	if (r.n == 0)
		return 0;
	ca = node_cells(bus, true);
	pa = node_cells(dt_parent(bus), true);
	sc = node_cells(bus, false);
	if (ca < 0 || pa < 0 || sc < 0)
		return ca < 0 ? ca : pa < 0 ? pa : sc;
	entry = ca + pa + sc;
	if (entry == 0 || r.n % entry != 0)
		return -EINVAL;
	for (const fdt32_t *c = r.cell; c < r.cell + r.n;) {
		uint64_t child = take_value(&c, ca);
		uint64_t parent = take_value(&c, pa);
		uint64_t size = take_value(&c, sc);

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
	return bus < 0 ? fdt_errno(bus) : 0;
}

/* Read the index-th (address, size) pair of reg, untranslated. */
static int read_reg(int node, int index, uint64_t *addr, uint64_t *size)
{
	int parent = dt_parent(node);
	int ac, sc, err;
	struct dt_cells reg;
	const fdt32_t *c;

	if (parent < 0)
		return fdt_errno(parent);	/* the root: -ENOENT */
	ac = node_cells(parent, true);
	sc = node_cells(parent, false);
	if (ac < 0 || sc < 0)
		return ac < 0 ? ac : sc;
	err = get_cells(node, PROP_REG, &reg);
	if (err)
		return err;
	if (ac == 0 || reg.n % (ac + sc) != 0)
		return -EINVAL;
	if (index < 0 || index >= reg.n / (ac + sc))
		return -ENOENT;
	c = reg.cell + index * (ac + sc);
	*addr = take_value(&c, ac);
	*size = take_value(&c, sc);
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

/*
 * Append a non-empty range, failing once out[] is full. A range whose end
 * passes 2^64 is malformed: every user computes base + size.
 */
static int range_add(struct mem_range *out, int max, int *count,
		     uint64_t base, uint64_t size)
{
	if (size == 0)
		return 0;
	if (size > UINT64_MAX - base)
		return -EINVAL;
	if (*count >= max)
		return -ENOSPC;
	out[*count].base = base;
	out[*count].size = size;
	(*count)++;
	return 0;
}

/* Append every reg range of node; a node without reg adds nothing. */
static int add_node_regs(int node, struct mem_range *out, int max,
			 int *count)
{
	for (int i = 0;; i++) {
		paddr_t base;
		uint64_t size;
		int err = dt_reg(node, i, &base, &size);

		if (err == -ENOENT)
			return 0;
		if (!err)
			err = range_add(out, max, count, base, size);
		if (err)
			return err;
	}
}

/*
 * Merges overlapping ranges of the sorted r, returning the new count: a
 * tree listing a bank twice must not give the frame allocator the same
 * page twice. Ranges that only touch stay apart (separate zones).
 */
static int merge_overlaps(struct mem_range *r, int n)
{
	int out = 0;

	for (int i = 0; i < n; i++) {
		struct mem_range *last = out ? &r[out - 1] : NULL;

		if (last && r[i].base < last->base + last->size) {
			if (r[i].base + r[i].size > last->base + last->size)
				last->size = r[i].base + r[i].size - last->base;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

/* The next node after prev with device_type = "memory" (-1: first). */
static int next_memory_node(int prev)
{
	return fdt_node_offset_by_prop_value(dt_fdt, prev, PROP_DEVICE_TYPE,
					     DEVICE_TYPE_MEMORY,
					     sizeof(DEVICE_TYPE_MEMORY));
}

int dt_memory(struct mem_range *out, int max)
{
	int count = 0;
	int node;

	if (dt_fdt == NULL)
		return -ENODEV;
	for (node = next_memory_node(-1); node >= 0;
	     node = next_memory_node(node)) {
		int err;

		if (!dt_node_enabled(node))
			continue;
		err = add_node_regs(node, out, max, &count);
		if (err)
			return err;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return fdt_errno(node);
	ranges_sort(out, count);
	return merge_overlaps(out, count);
}

/* The /memreserve/ table in the blob's header area. */
static int add_memreserve(struct mem_range *out, int max, int *count)
{
	int n = fdt_num_mem_rsv(dt_fdt);

	if (n < 0)
		return fdt_errno(n);
	for (int i = 0; i < n; i++) {
		uint64_t base, size;
		int err;

		if (fdt_get_mem_rsv(dt_fdt, i, &base, &size) != 0)
			return -EINVAL;
		err = range_add(out, max, count, base, size);
		if (err)
			return err;
	}
	return 0;
}

int dt_reserved(struct mem_range *out, int max)
{
	int count = 0;
	int parent, node, err;

	if (dt_fdt == NULL)
		return -ENODEV;
	err = add_memreserve(out, max, &count);
	if (err)
		return err;
	parent = fdt_path_offset(dt_fdt, PATH_RESERVED_MEMORY);
	fdt_for_each_subnode(node, dt_fdt, parent) {
		if (!dt_node_enabled(node))
			continue;
		err = add_node_regs(node, out, max, &count);
		if (err)
			return err;
	}
	ranges_sort(out, count);
	return count;
}

/* An address property of one or two cells (initrd bounds). */
static int prop_addr(int node, const char *name, paddr_t *out)
{
	struct dt_cells c;
	int err = get_cells(node, name, &c);

	if (err)
		return err;
	if (c.n == 0 || c.n > DT_MAX_VALUE_CELLS)
		return -EINVAL;
	*out = take_value(&c.cell, c.n);
	return 0;
}

static int chosen_initrd(int chosen, struct dt_chosen *out)
{
	paddr_t start = 0, end = 0;	/* set on success; 0 quiets gcc */
	int err_start = prop_addr(chosen, PROP_INITRD_START, &start);
	int err_end = prop_addr(chosen, PROP_INITRD_END, &end);

	if (err_start == -ENOENT && err_end == -ENOENT)
		return 0;
	/* Half a pair, a bad length or a reversed range: all malformed. */
	if (err_start || err_end || end < start)
		return -EINVAL;
	out->has_initrd = true;
	out->initrd_start = start;
	out->initrd_end = end;
	return 0;
}

/* stdout-path "serial0:115200n8" -> the node behind alias serial0. */
static int chosen_stdout(int chosen)
{
	const char *path = dt_prop_str(chosen, PROP_STDOUT_PATH);
	const char *sep;
	int node;

	if (path == NULL)
		path = dt_prop_str(chosen, PROP_STDOUT_PATH_OLD);
	if (path == NULL)
		return -1;
	sep = strchr(path, STDOUT_OPTIONS_SEP);
	node = fdt_path_offset_namelen(dt_fdt, path,
				       sep ? (int)(sep - path)
					   : (int)strlen(path));
	return node >= 0 ? node : -1;
}

int dt_chosen(struct dt_chosen *out)
{
	int chosen;

	memset(out, 0, sizeof(*out));
	out->stdout_node = -1;
	if (dt_fdt == NULL)
		return -ENODEV;
	chosen = fdt_path_offset(dt_fdt, PATH_CHOSEN);
	if (chosen < 0)
		return chosen == -FDT_ERR_NOTFOUND ? 0 : fdt_errno(chosen);
	out->bootargs = dt_prop_str(chosen, PROP_BOOTARGS);
	out->stdout_node = chosen_stdout(chosen);
	return chosen_initrd(chosen, out);
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
	return node >= 0 ? node : fdt_errno(node);
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

int dt_prop_u32(int node, const char *name, uint32_t *out)
{
	struct dt_cells c;
	int err;

	if (dt_fdt == NULL)
		return -ENODEV;
	err = get_cells(node, name, &c);
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
	s = fdt_getprop(dt_fdt, node, name, &len);
	if (s == NULL || len <= 0 || memchr(s, '\0', (size_t)len) == NULL)
		return NULL;
	return s;
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
	return next >= 0 ? next : fdt_errno(next);
}

static int interrupt_parent_walk(int node)
{
	for (int hops = 0; hops < DT_IRQ_PARENT_HOPS_MAX; hops++) {
		int len;

		node = irq_parent_step(node);
		if (node < 0)
			return node;
		if (fdt_getprop(dt_fdt, node, PROP_INTERRUPT_CELLS, &len))
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
	err = get_cells(node, PROP_INTERRUPTS, &irqs);
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
	node = fdt_path_offset(dt_fdt, path_or_alias);
	return node >= 0 ? node : fdt_errno(node);
}
