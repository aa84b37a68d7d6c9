/*
 * tests/host/test_fdt_bad.c: host unit test of kernel/fdt.c on device trees
 * whose properties are missing or nonsensical, each made from QEMU virt's
 * own tree (argv[1]) by one edit: a memory node without reg or with zero
 * size, overlapping banks, a bank running past 2^64, absurd #address-cells
 * and #size-cells, a device without reg or with a ragged one, a compatible
 * with no NUL, interrupts of the wrong length and an absurd
 * #interrupt-cells. Each query must give the documented error (or skip the
 * nonsense) and never read past a property (ASan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "tests/host/read_file.h"

/* QEMU virt facts (hw/arm/virt.c memory map, -m 1G). */
#define VIRT_RAM_BASE 0x40000000ULL
#define VIRT_RAM_SIZE 0x40000000ULL
#define MEMORY_PATH "/memory@40000000"
#define UART_PATH "/pl011@9000000"
#define RTC_PATH "/pl031@9010000"
#define GIC_PATH "/intc@8000000"
#define UART_COMPAT "arm,pl011"
#define RTC_COMPAT "arm,pl031"
/* A second bank overlapping the first's top half and running 1 GiB on. */
#define OVERLAP_BASE (VIRT_RAM_BASE + VIRT_RAM_SIZE / 2)
#define OVERLAP_SIZE VIRT_RAM_SIZE
#define CELLS_WIDE 3           /* more than the 64 bits fdt.c holds */
#define CELLS_ABSURD 5         /* more than libfdt's FDT_MAX_NCELLS (4) */
#define IRQ_CELLS_ABSURD 1000  /* #interrupt-cells far beyond any specifier */
#define GIC_CELLS 3
#define TREE_ROOM 4096         /* growth room for one edit */
#define MAX_RANGES 8
#define MAX_CELLS 8

static void *virt_blob;
static size_t virt_len;
static char *tree;
static size_t tree_len;

/* A fresh writable copy of virt's tree with room to grow. */
static void *fresh(void)
{
	free(tree);
	tree_len = virt_len + TREE_ROOM;
	tree = malloc(tree_len);
	assert_non_null(tree);
	assert_int_equal(fdt_open_into(virt_blob, tree, (int)tree_len), 0);
	return tree;
}

/* Make the edited tree current: it is still well-formed as a blob. */
static void use(void)
{
	assert_int_equal(fdt_pack(tree), 0);
	assert_int_equal(dt_setup(tree, fdt_totalsize(tree)), 0);
}

static int node(const char *path)
{
	int n = fdt_path_offset(tree, path);

	assert_true(n >= 0);
	return n;
}

static void set_cells(const char *path, const char *name, int n, const uint32_t *v)
{
	fdt32_t be[MAX_CELLS];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_setprop(tree, node(path), name, be, n * (int)sizeof(fdt32_t)), 0);
}

static void set_reg64(const char *path, uint64_t base, uint64_t size)
{
	const uint32_t v[] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32), (uint32_t)size };

	set_cells(path, "reg", 4, v);
}

static void test_memory_without_reg(void **state)
{
	struct mem_range r[MAX_RANGES];

	(void)state;
	fresh();
	assert_int_equal(fdt_delprop(tree, node(MEMORY_PATH), "reg"), 0);
	use();
	/* Nothing to use: main.c stops with "device tree: no memory (0)". */
	assert_int_equal(dt_memory(r, MAX_RANGES), 0);
}

static void test_memory_zero_size(void **state)
{
	struct mem_range r[MAX_RANGES];

	(void)state;
	fresh();
	set_reg64(MEMORY_PATH, VIRT_RAM_BASE, 0);
	use();
	assert_int_equal(dt_memory(r, MAX_RANGES), 0);
}

/* Two banks over the same pages give one range, not the pages twice. */
static void test_memory_overlap_merged(void **state)
{
	struct mem_range r[MAX_RANGES];
	int n;

	(void)state;
	fresh();
	n = fdt_add_subnode(tree, 0, "memory@60000000");
	assert_true(n >= 0);
	assert_int_equal(fdt_setprop_string(tree, n, "device_type", "memory"), 0);
	set_reg64("/memory@60000000", OVERLAP_BASE, OVERLAP_SIZE);
	use();
	assert_int_equal(dt_memory(r, MAX_RANGES), 1);
	assert_int_equal(r[0].base, VIRT_RAM_BASE);
	assert_int_equal(r[0].size, OVERLAP_BASE + OVERLAP_SIZE - VIRT_RAM_BASE);

	/* The same bank listed twice in one reg. */
	fresh();
	{
		const uint32_t twice[] = { 0, (uint32_t)VIRT_RAM_BASE, 0, (uint32_t)VIRT_RAM_SIZE,
					   0, (uint32_t)VIRT_RAM_BASE, 0, (uint32_t)VIRT_RAM_SIZE };

		set_cells(MEMORY_PATH, "reg", 8, twice);
	}
	use();
	assert_int_equal(dt_memory(r, MAX_RANGES), 1);
	assert_int_equal(r[0].size, VIRT_RAM_SIZE);
}

static void test_memory_past_top(void **state)
{
	struct mem_range r[MAX_RANGES];

	(void)state;
	fresh();
	set_reg64(MEMORY_PATH, VIRT_RAM_BASE, UINT64_MAX);
	use();
	assert_int_equal(dt_memory(r, MAX_RANGES), -EINVAL);
	/* Exactly to 2^64 is past the top too: base + size wraps to 0. */
	set_reg64(MEMORY_PATH, VIRT_RAM_BASE, 0 - VIRT_RAM_BASE);
	use();
	assert_int_equal(dt_memory(r, MAX_RANGES), -EINVAL);
}

static void test_absurd_address_cells(void **state)
{
	struct mem_range r[MAX_RANGES];
	paddr_t a;
	uint64_t s;
	const uint32_t wide = CELLS_WIDE, absurd = CELLS_ABSURD, huge = UINT32_MAX, zero = 0;

	(void)state;
	fresh();
	set_cells("/", "#address-cells", 1, &wide);
	use();
	assert_int_equal(dt_memory(r, MAX_RANGES), -EOPNOTSUPP);
	assert_int_equal(dt_reg(node(UART_PATH), 0, &a, &s), -EOPNOTSUPP);

	fresh();
	set_cells("/", "#address-cells", 1, &absurd);
	use();
	assert_int_equal(dt_memory(r, MAX_RANGES), -EINVAL);
	assert_int_equal(dt_reg(node(UART_PATH), 0, &a, &s), -EINVAL);

	fresh();
	set_cells("/", "#address-cells", 1, &huge);
	use();
	assert_true(dt_memory(r, MAX_RANGES) < 0);
	assert_true(dt_reg(node(UART_PATH), 0, &a, &s) < 0);

	fresh();
	set_cells("/", "#size-cells", 1, &huge);
	use();
	assert_true(dt_memory(r, MAX_RANGES) < 0);

	fresh();
	set_cells("/", "#address-cells", 1, &zero);
	use();
	assert_int_equal(dt_reg(node(UART_PATH), 0, &a, &s), -EINVAL);

	/* #address-cells of two bytes, not a cell. */
	fresh();
	assert_int_equal(fdt_setprop(tree, 0, "#address-cells", "\0\2", 2), 0);
	use();
	assert_int_equal(dt_reg(node(UART_PATH), 0, &a, &s), -EINVAL);
}

static void test_device_without_reg(void **state)
{
	paddr_t a = 1;
	uint64_t s = 1;
	const uint32_t ragged[] = { 0, 0x9000000, 0 };

	(void)state;
	fresh();
	assert_int_equal(fdt_delprop(tree, node(UART_PATH), "reg"), 0);
	use();
	assert_int_equal(dt_reg(node(UART_PATH), 0, &a, &s), -ENOENT);
	assert_int_equal(a, 1);	/* untouched on error */

	fresh();
	set_cells(UART_PATH, "reg", 3, ragged);
	use();
	assert_int_equal(dt_reg(node(UART_PATH), 0, &a, &s), -EINVAL);
	/* Half a cell. */
	fresh();
	assert_int_equal(fdt_setprop(tree, node(UART_PATH), "reg", "\0\0", 2), 0);
	use();
	assert_int_equal(dt_reg(node(UART_PATH), 0, &a, &s), -EINVAL);
	assert_int_equal(a, 1);
}

/* A compatible without its NUL matches nothing and reads as no string. */
static void test_compatible_without_nul(void **state)
{
	(void)state;
	fresh();
	assert_int_equal(fdt_setprop(tree, node(RTC_PATH), "compatible", RTC_COMPAT,
				     (int)strlen(RTC_COMPAT)), 0);
	use();
	assert_int_equal(dt_find_compatible(-1, RTC_COMPAT), -ENOENT);
	assert_null(dt_prop_str(node(RTC_PATH), "compatible"));
	assert_false(dt_node_compatible(node(RTC_PATH), RTC_COMPAT));
	/* The UART beside it is still found. */
	assert_true(dt_node_compatible(node(UART_PATH), UART_COMPAT));
	assert_int_equal(dt_find_compatible(-1, UART_COMPAT), node(UART_PATH));

	fresh();
	assert_int_equal(fdt_setprop(tree, node(RTC_PATH), "compatible", "", 0), 0);
	use();
	assert_int_equal(dt_find_compatible(-1, RTC_COMPAT), -ENOENT);
	assert_null(dt_prop_str(node(RTC_PATH), "compatible"));
}

/* Interrupts of the wrong length or sized by nonsense are refused; a
 * number out of the controller's range is irq_from_dt's to refuse
 * (kernel/irq.c), and test_dtb_bad.py boots with one. */
static void test_bad_interrupts(void **state)
{
	uint32_t cells[MAX_CELLS];
	const uint32_t two[] = { 0, 1 }, absurd = IRQ_CELLS_ABSURD, zero = 0;

	(void)state;
	fresh();
	set_cells(UART_PATH, "interrupts", 2, two);
	use();
	assert_int_equal(dt_irq(node(UART_PATH), 0, cells, MAX_CELLS), -EINVAL);

	fresh();
	assert_int_equal(fdt_setprop(tree, node(UART_PATH), "interrupts", "\0\0\0\0\1", 5), 0);
	use();
	assert_int_equal(dt_irq(node(UART_PATH), 0, cells, MAX_CELLS), -EINVAL);

	fresh();
	set_cells(GIC_PATH, "#interrupt-cells", 1, &absurd);
	use();
	/* GIC_CELLS cells are not a whole specifier of IRQ_CELLS_ABSURD. */
	assert_int_equal(dt_irq(node(UART_PATH), 0, cells, MAX_CELLS), -EINVAL);

	fresh();
	set_cells(GIC_PATH, "#interrupt-cells", 1, &zero);
	use();
	assert_int_equal(dt_irq(node(UART_PATH), 0, cells, MAX_CELLS), -EINVAL);

	fresh();
	assert_int_equal(fdt_delprop(tree, node(GIC_PATH), "#interrupt-cells"), 0);
	use();
	assert_true(dt_irq(node(UART_PATH), 0, cells, MAX_CELLS) < 0);

	/* An intact tree still answers with the GIC's three cells. */
	fresh();
	use();
	assert_int_equal(dt_irq(node(UART_PATH), 0, cells, MAX_CELLS), GIC_CELLS);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_without_reg),
		cmocka_unit_test(test_memory_zero_size),
		cmocka_unit_test(test_memory_overlap_merged),
		cmocka_unit_test(test_memory_past_top),
		cmocka_unit_test(test_absurd_address_cells),
		cmocka_unit_test(test_device_without_reg),
		cmocka_unit_test(test_compatible_without_nul),
		cmocka_unit_test(test_bad_interrupts),
	};
	int failed;

	virt_blob = read_arg_file(argc, argv, "virt.dtb", &virt_len);
	failed = cmocka_run_group_tests_name("bad properties", tests, NULL, NULL);
	free(tree);
	free(virt_blob);
	return failed != 0;
}
