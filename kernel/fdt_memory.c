/*
 * kernel/fdt_memory.c: the RAM banks (memory nodes) and the reserved
 * ranges (/memreserve/ and /reserved-memory) of the device tree, as
 * sorted lists of struct mem_range.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "kernel/fdt_internal.h"
#include "mm/ranges.h"	/* ranges_sort */

#define PROP_DEVICE_TYPE "device_type"
#define DEVICE_TYPE_MEMORY "memory"
#define PATH_RESERVED_MEMORY "/reserved-memory"

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
	return dt_next_by_prop_value(prev, PROP_DEVICE_TYPE, DEVICE_TYPE_MEMORY,
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
		return dt_errno(node);
	ranges_sort(out, count);
	return merge_overlaps(out, count);
}

/* The /memreserve/ table in the blob's header area. */
static int add_memreserve(struct mem_range *out, int max, int *count)
{
	int n = fdt_num_mem_rsv(dt_fdt);

	if (n < 0)
		return dt_errno(n);
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
	parent = dt_path_lookup(PATH_RESERVED_MEMORY, (int)strlen(PATH_RESERVED_MEMORY));
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

