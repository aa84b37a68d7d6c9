/*
 * arch/aarch64/efi/dt_update.c: device-tree edits of the EFI loader (see
 * dt_update.h), through libfdt.
 */
#include <libfdt.h>
#include "dt_update.h"

#define NODE_MEMORY "memory"
#define PROP_DEVICE_TYPE "device_type"
#define PROP_REG "reg"
#define PATH_CHOSEN "/chosen"
#define NODE_CHOSEN "chosen"
#define PROP_BOOTARGS "bootargs"
#define PROP_INITRD_START "linux,initrd-start"
#define PROP_INITRD_END "linux,initrd-end"
#define ROOT_NODE 0
#define HEX_DIGITS_U64 16
#define NIBBLE_BITS 4
#define NIBBLE_MASK 0xfu
/* "memory@" + 16 hex digits + NUL */
#define MEMORY_NAME_MAX (sizeof(NODE_MEMORY) + 1 + HEX_DIGITS_U64)

/* "memory@<base in hex, no leading zeros>", as device-tree names go. */
static void memory_node_name(char *out, uint64_t base)
{
	static const char hex[] = "0123456789abcdef";
	char digits[HEX_DIGITS_U64];
	int n = 0;
	size_t len = sizeof(NODE_MEMORY) - 1;

	for (size_t i = 0; i < len; i++)
		out[i] = NODE_MEMORY[i];
	out[len++] = '@';
	do {
		digits[n++] = hex[base & NIBBLE_MASK];
		base >>= NIBBLE_BITS;
	} while (base);
	while (n)
		out[len++] = digits[--n];
	out[len] = '\0';
}

static int delete_memory_nodes(void *fdt)
{
	for (;;) {
		int node = fdt_node_offset_by_prop_value(fdt, -1, PROP_DEVICE_TYPE, NODE_MEMORY,
							 sizeof(NODE_MEMORY));

		if (node == -FDT_ERR_NOTFOUND)
			return 0;
		if (node < 0)
			return node;
		node = fdt_del_node(fdt, node);
		if (node < 0)
			return node;
	}
}

static int set_memory(void *fdt, const struct memmap_result *mm)
{
	char name[MEMORY_NAME_MAX];
	int node, err;

	err = delete_memory_nodes(fdt);
	if (err)
		return err;
	memory_node_name(name, mm->ram[0].base);
	node = fdt_add_subnode(fdt, ROOT_NODE, name);
	if (node < 0)
		return node;
	err = fdt_setprop_string(fdt, node, PROP_DEVICE_TYPE, NODE_MEMORY);
	for (int i = 0; !err && i < mm->nram; i++)
		err = fdt_appendprop_addrrange(fdt, ROOT_NODE, node, PROP_REG, mm->ram[i].base,
					       mm->ram[i].size);
	return err;
}

static int add_reserved(void *fdt, const struct memmap_result *mm)
{
	int err = 0;

	for (int i = 0; !err && i < mm->nreserved; i++)
		err = fdt_add_mem_rsv(fdt, mm->reserved[i].base, mm->reserved[i].size);
	return err;
}

/* The initrd's bounds, or (none loaded) no stale ones a firmware left. */
static int set_initrd(void *fdt, int node, uint64_t start, uint64_t end)
{
	int err;

	if (end > start) {
		err = fdt_setprop_u64(fdt, node, PROP_INITRD_START, start);
		return err ? err : fdt_setprop_u64(fdt, node, PROP_INITRD_END, end);
	}
	err = fdt_delprop(fdt, node, PROP_INITRD_START);
	if (err && err != -FDT_ERR_NOTFOUND)
		return err;
	err = fdt_delprop(fdt, node, PROP_INITRD_END);
	return err == -FDT_ERR_NOTFOUND ? 0 : err;
}

static int set_chosen(void *fdt, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end)
{
	int node = fdt_path_offset(fdt, PATH_CHOSEN), err;

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, ROOT_NODE, NODE_CHOSEN);
	if (node < 0)
		return node;
	err = set_initrd(fdt, node, initrd_start, initrd_end);
	if (err || bootargs == NULL)
		return err;
	return fdt_setprop_string(fdt, node, PROP_BOOTARGS, bootargs);
}

int dt_update(void *buf, size_t size, const void *src, const struct memmap_result *mm,
	      const char *bootargs, uint64_t initrd_start, uint64_t initrd_end)
{
	int err;

	if (mm->nram <= 0)
		return -FDT_ERR_BADVALUE;
	err = fdt_open_into(src, buf, (int)size);
	if (!err)
		err = set_memory(buf, mm);
	if (!err)
		err = add_reserved(buf, mm);
	if (!err)
		err = set_chosen(buf, bootargs, initrd_start, initrd_end);
	if (!err)
		err = fdt_pack(buf);
	return err;
}
