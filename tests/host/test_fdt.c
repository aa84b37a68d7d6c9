/*
 * tests/host/test_fdt.c: host unit test of kernel/fdt.c. Checks facts of
 * the tree QEMU's virt machine (-m 1G) hands a kernel (its path is argv[1])
 * and of a Raspberry-Pi-like tree built here with libfdt's sequential-write
 * API, which exercises address translation through "ranges", aliases,
 * /memreserve/ and /reserved-memory. Corrupted blobs must be rejected
 * without disturbing the tree already set up.
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
#define VIRT_RAM_SIZE (1 * GiB)
#define VIRT_UART_BASE 0x09000000ULL
#define VIRT_UART_SIZE 0x1000ULL
#define VIRT_GICD_BASE 0x08000000ULL
#define VIRT_GICC_BASE 0x08010000ULL
#define VIRT_GIC_REGION_SIZE 0x10000ULL
#define VIRT_TIMER_IRQS 4
#define GIC_IRQ_CELLS 3
#define GIC_PPI 1
/* Timer PPIs: secure phys, non-secure phys, virtual, hypervisor. */
#define TIMER_PPI_S 13
#define TIMER_PPI_NS 14
#define TIMER_PPI_VIRT 11
#define TIMER_PPI_HYP 10
/* Level-high, routed to CPU 0 (GIC_CPU_MASK_SIMPLE(1) << 8 | 4). */
#define TIMER_IRQ_FLAGS 0x104

/* The Raspberry-Pi-like tree: VideoCore bus 0x7e.. is CPU 0x3f.. */
#define RPI_BUS_BASE 0x7e000000U
#define RPI_CPU_BASE 0x3f000000U
#define RPI_BUS_SIZE 0x01000000U
#define RPI_LOCAL_BASE 0x40000000U
#define RPI_LOCAL_SIZE 0x1000U
#define RPI_UART_BUS 0x7e201000U
#define RPI_UART_SIZE 0x200U
#define RPI_INTC_BUS 0x7e00b200U
#define RPI_SUBBUS_BUS 0x7e400000U
#define RPI_SUBBUS_SIZE 0x1000U
#define RPI_SUBDEV_OFFSET 0x10U
#define RPI_INTC_PHANDLE 1
#define RPI_INTC_CELLS 2
#define RPI_UART_IRQ_BANK 2
#define RPI_UART_IRQ 25
#define RPI_MEM_LOW_SIZE 0x08000000U
#define RPI_MEM_HIGH_BASE 0x10000000U
#define RPI_MEM_HIGH_SIZE 0x2f000000U
#define RPI_FB_BASE 0x3c000000U
#define RPI_FB_SIZE 0x04000000U
#define RPI_RSV_SPIN_BASE 0x0ULL
#define RPI_RSV_SPIN_SIZE 0x1000ULL
#define RPI_RSV_INITRD_BASE 0x2000000ULL
#define RPI_RSV_INITRD_SIZE 0x400000ULL
#define RPI_INITRD_START 0x2000000U
#define RPI_INITRD_END 0x2400000ULL
#define RPI_BOOTARGS "console=serial0 selftest=fault"
#define RPI_UART_PATH "/soc/serial@7e201000"
#define LOOP_PHANDLE_A 0x10
#define LOOP_PHANDLE_B 0x11
#define DANGLING_PHANDLE 0x99

#define TREE_SIZE 8192
#define MAX_RANGES 16
#define MAX_CELLS 8
#define FUZZ_ROUNDS 2000
#define FUZZ_SEED 12345

static void *virt_blob;
static size_t virt_len;
static char rpi_tree[TREE_SIZE];
static char variant[TREE_SIZE];

/* ---- building trees with libfdt's sequential-write API ---- */

#define SW(call) assert_int_equal((call), 0)

/* A property of n big-endian cells. */
static void prop_cells(void *t, const char *name, int n, ...)
{
	fdt32_t cells[MAX_CELLS];
	va_list ap;

	assert_true(n <= MAX_CELLS);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	va_end(ap);
	SW(fdt_property(t, name, cells, n * (int)sizeof(fdt32_t)));
}

static void bus_cells(void *t, uint32_t address, uint32_t size)
{
	SW(fdt_property_u32(t, "#address-cells", address));
	SW(fdt_property_u32(t, "#size-cells", size));
}

static void add_chosen(void *t)
{
	SW(fdt_begin_node(t, "aliases"));
	SW(fdt_property_string(t, "serial0", RPI_UART_PATH));
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "chosen"));
	SW(fdt_property_string(t, "bootargs", RPI_BOOTARGS));
	SW(fdt_property_string(t, "stdout-path", "serial0:115200n8"));
	/* One cell for start, two for end: both forms must work. */
	SW(fdt_property_u32(t, "linux,initrd-start", RPI_INITRD_START));
	SW(fdt_property_u64(t, "linux,initrd-end", RPI_INITRD_END));
	SW(fdt_end_node(t));
}

static void add_memory(void *t)
{
	/* Two ranges, deliberately out of order. */
	SW(fdt_begin_node(t, "memory@0"));
	SW(fdt_property_string(t, "device_type", "memory"));
	prop_cells(t, "reg", 4, RPI_MEM_HIGH_BASE, RPI_MEM_HIGH_SIZE,
		   0U, RPI_MEM_LOW_SIZE);
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "memory@40000000"));
	SW(fdt_property_string(t, "device_type", "memory"));
	SW(fdt_property_string(t, "status", "disabled"));
	prop_cells(t, "reg", 2, 0x40000000U, 0x1000000U);
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "memory@50000000"));
	SW(fdt_property_string(t, "device_type", "memory"));
	prop_cells(t, "reg", 2, 0x50000000U, 0U);	/* empty: dropped */
	SW(fdt_end_node(t));
}

static void add_reserved_memory(void *t)
{
	SW(fdt_begin_node(t, "reserved-memory"));
	bus_cells(t, 1, 1);
	SW(fdt_property(t, "ranges", NULL, 0));
	SW(fdt_begin_node(t, "framebuffer@3c000000"));
	prop_cells(t, "reg", 2, RPI_FB_BASE, RPI_FB_SIZE);
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "pool"));		/* dynamic: no reg */
	SW(fdt_property_string(t, "compatible", "shared-dma-pool"));
	SW(fdt_property_u32(t, "size", 0x400000));
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "off@1000000"));
	SW(fdt_property_string(t, "status", "disabled"));
	prop_cells(t, "reg", 2, 0x1000000U, 0x1000U);
	SW(fdt_end_node(t));
	SW(fdt_end_node(t));
}

static void add_soc_devices(void *t)
{
	SW(fdt_begin_node(t, "interrupt-controller@7e00b200"));
	SW(fdt_property_string(t, "compatible", "brcm,bcm2836-armctrl-ic"));
	prop_cells(t, "reg", 2, RPI_INTC_BUS, 0x200U);
	SW(fdt_property(t, "interrupt-controller", NULL, 0));
	SW(fdt_property_u32(t, "#interrupt-cells", RPI_INTC_CELLS));
	SW(fdt_property_u32(t, "phandle", RPI_INTC_PHANDLE));
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "serial@7e201000"));
	SW(fdt_property(t, "compatible", "arm,pl011\0arm,primecell",
			sizeof("arm,pl011\0arm,primecell")));
	prop_cells(t, "reg", 2, RPI_UART_BUS, RPI_UART_SIZE);
	prop_cells(t, "interrupts", 2, RPI_UART_IRQ_BANK, RPI_UART_IRQ);
	SW(fdt_property_string(t, "status", "okay"));
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "local@40000000"));
	prop_cells(t, "reg", 2, RPI_LOCAL_BASE, 0x100U);
	SW(fdt_property_string(t, "status", "ok"));
	SW(fdt_end_node(t));
	/* Just past the first range's end: not mapped. */
	SW(fdt_begin_node(t, "outside@7f000000"));
	prop_cells(t, "reg", 2, RPI_BUS_BASE + RPI_BUS_SIZE, 0x100U);
	SW(fdt_property_string(t, "status", "disabled"));
	SW(fdt_end_node(t));
	/* Three cells where entries are two: malformed. */
	SW(fdt_begin_node(t, "bad-reg@7e300000"));
	prop_cells(t, "reg", 3, 0x7e300000U, 0x10U, 0x5U);
	SW(fdt_end_node(t));
}

/* A bus below the bus, a bus without ranges, and a malformed ranges. */
static void add_soc_subbuses(void *t)
{
	SW(fdt_begin_node(t, "bus@7e400000"));
	bus_cells(t, 1, 1);
	prop_cells(t, "ranges", 3, 0U, RPI_SUBBUS_BUS, RPI_SUBBUS_SIZE);
	SW(fdt_begin_node(t, "dev@10"));
	prop_cells(t, "reg", 2, RPI_SUBDEV_OFFSET, 0x4U);
	prop_cells(t, "interrupts", 3, 1U, 2U, 3U);	/* not 2-cell sized */
	SW(fdt_end_node(t));
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "nomap"));
	bus_cells(t, 1, 0);
	SW(fdt_begin_node(t, "cpu@3"));
	prop_cells(t, "reg", 1, 3U);
	SW(fdt_end_node(t));
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "badranges"));
	bus_cells(t, 1, 1);
	prop_cells(t, "ranges", 2, 0U, 0x1000U);
	SW(fdt_begin_node(t, "child@0"));
	prop_cells(t, "reg", 2, 0U, 4U);
	SW(fdt_end_node(t));
	SW(fdt_end_node(t));
}

static void add_soc(void *t)
{
	SW(fdt_begin_node(t, "soc"));
	SW(fdt_property_string(t, "compatible", "simple-bus"));
	bus_cells(t, 1, 1);
	prop_cells(t, "ranges", 6, RPI_BUS_BASE, RPI_CPU_BASE, RPI_BUS_SIZE,
		   RPI_LOCAL_BASE, RPI_LOCAL_BASE, RPI_LOCAL_SIZE);
	SW(fdt_property_u32(t, "interrupt-parent", RPI_INTC_PHANDLE));
	add_soc_devices(t);
	add_soc_subbuses(t);
	SW(fdt_end_node(t));
}

/* Nodes whose properties are broken in one specific way each. */
static void add_odd_nodes(void *t)
{
	static const char two_bytes[] = { 0, 1 };
	static const char no_nul[] = { 'a', 'b' };

	SW(fdt_begin_node(t, "props"));
	SW(fdt_property_u32(t, "u32", 7));
	SW(fdt_property(t, "u32short", two_bytes, sizeof(two_bytes)));
	prop_cells(t, "u32long", 2, 1U, 2U);
	SW(fdt_property_string(t, "str", "hi"));
	SW(fdt_property(t, "strbad", no_nul, sizeof(no_nul)));
	SW(fdt_property(t, "strlist", "a\0b", sizeof("a\0b")));
	SW(fdt_property(t, "empty", NULL, 0));
	SW(fdt_property_string(t, "status", "fail"));
	SW(fdt_property_u32(t, "interrupt-parent", DANGLING_PHANDLE));
	prop_cells(t, "interrupts", 2, 1U, 2U);
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "loop-a"));
	SW(fdt_property_u32(t, "phandle", LOOP_PHANDLE_A));
	SW(fdt_property_u32(t, "interrupt-parent", LOOP_PHANDLE_B));
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "loop-b"));
	SW(fdt_property_u32(t, "phandle", LOOP_PHANDLE_B));
	SW(fdt_property_u32(t, "interrupt-parent", LOOP_PHANDLE_A));
	prop_cells(t, "interrupts", 1, 5U);
	SW(fdt_end_node(t));
	SW(fdt_begin_node(t, "wide"));		/* PCI-like 3-cell addresses */
	bus_cells(t, 3, 2);
	SW(fdt_property(t, "ranges", NULL, 0));
	SW(fdt_begin_node(t, "child@0"));
	prop_cells(t, "reg", 5, 0U, 0U, 0U, 0U, 0x10U);
	SW(fdt_end_node(t));
	SW(fdt_end_node(t));
}

static void build_rpi_tree(void *t, int size)
{
	SW(fdt_create(t, size));
	SW(fdt_add_reservemap_entry(t, RPI_RSV_INITRD_BASE,
				    RPI_RSV_INITRD_SIZE));
	SW(fdt_add_reservemap_entry(t, RPI_RSV_SPIN_BASE, RPI_RSV_SPIN_SIZE));
	SW(fdt_finish_reservemap(t));
	SW(fdt_begin_node(t, ""));
	bus_cells(t, 1, 1);
	SW(fdt_property_string(t, "compatible", "raspberrypi,3-model-b"));
	add_chosen(t);
	add_memory(t);
	add_reserved_memory(t);
	add_soc(t);
	add_odd_nodes(t);
	SW(fdt_end_node(t));
	SW(fdt_finish(t));
}

static int setup_virt(void **state)
{
	(void)state;
	return dt_setup(virt_blob, virt_len);
}

static int setup_rpi(void **state)
{
	(void)state;
	return dt_setup(rpi_tree, sizeof(rpi_tree));
}

/* A writable copy of the RPi tree with room to grow, for one edit. */
static void *rpi_variant(void)
{
	assert_int_equal(fdt_open_into(rpi_tree, variant, sizeof(variant)), 0);
	return variant;
}

static int node(const char *path)
{
	int n = dt_path_offset(path);

	if (n < 0)
		fail_msg("no node %s: %d", path, n);
	return n;
}

/* ---- before any tree ---- */

static void test_no_tree(void **state)
{
	struct mem_range r[1];
	struct dt_chosen c;
	paddr_t a;
	uint32_t v;

	(void)state;
	assert_null(dt_blob());
	assert_int_equal(dt_size(), 0);
	assert_int_equal(dt_memory(r, 1), -ENODEV);
	assert_int_equal(dt_reserved(r, 1), -ENODEV);
	assert_int_equal(dt_chosen(&c), -ENODEV);
	assert_int_equal(c.stdout_node, -1);
	assert_int_equal(dt_find_compatible(-1, "arm,pl011"), -ENODEV);
	assert_false(dt_node_enabled(0));
	assert_int_equal(dt_reg(0, 0, &a, NULL), -ENODEV);
	assert_int_equal(dt_prop_u32(0, "x", &v), -ENODEV);
	assert_null(dt_prop_str(0, "x"));
	assert_int_equal(dt_interrupt_parent(0), -ENODEV);
	assert_int_equal(dt_irq(0, 0, &v, 1), -ENODEV);
	assert_null(dt_node_name(0));
	assert_int_equal(dt_path_offset("/"), -ENODEV);
	/* A failed setup does not install anything either. */
	assert_int_equal(dt_setup(NULL, TREE_SIZE), -EINVAL);
	assert_null(dt_blob());
}

/* ---- QEMU virt ---- */

static void test_virt_setup(void **state)
{
	(void)state;
	assert_ptr_equal(dt_blob(), virt_blob);
	assert_int_equal(dt_size(), fdt_totalsize(virt_blob));
	assert_true(dt_size() <= virt_len);
}

static void test_virt_memory(void **state)
{
	struct mem_range r[MAX_RANGES];

	(void)state;
	assert_int_equal(dt_memory(r, MAX_RANGES), 1);
	assert_int_equal(r[0].base, VIRT_RAM_BASE);
	assert_int_equal(r[0].size, VIRT_RAM_SIZE);
	assert_int_equal(dt_memory(r, 0), -ENOSPC);
	assert_int_equal(dt_reserved(r, MAX_RANGES), 0);
}

static void test_virt_uart_is_stdout(void **state)
{
	int uart = dt_find_compatible(-1, "arm,pl011");
	struct dt_chosen c;
	paddr_t base;
	uint64_t size;

	(void)state;
	assert_true(uart > 0);
	assert_string_equal(dt_node_name(uart), "pl011@9000000");
	assert_true(dt_node_enabled(uart));
	assert_int_equal(dt_reg(uart, 0, &base, &size), 0);
	assert_int_equal(base, VIRT_UART_BASE);
	assert_int_equal(size, VIRT_UART_SIZE);
	assert_int_equal(dt_reg(uart, 1, &base, &size), -ENOENT);
	assert_int_equal(dt_find_compatible(uart, "arm,pl011"), -ENOENT);

	assert_int_equal(dt_chosen(&c), 0);
	assert_int_equal(c.stdout_node, uart);
	assert_null(c.bootargs);	/* no -append when dumping */
	assert_false(c.has_initrd);
}

static void test_virt_gic(void **state)
{
	int gic = dt_find_compatible(-1, "arm,cortex-a15-gic");
	paddr_t base;
	uint64_t size;
	uint32_t cells;

	(void)state;
	assert_true(gic > 0);
	assert_int_equal(dt_reg(gic, 0, &base, &size), 0);
	assert_int_equal(base, VIRT_GICD_BASE);
	assert_int_equal(size, VIRT_GIC_REGION_SIZE);
	assert_int_equal(dt_reg(gic, 1, &base, &size), 0);
	assert_int_equal(base, VIRT_GICC_BASE);
	assert_int_equal(size, VIRT_GIC_REGION_SIZE);
	assert_int_equal(dt_reg(gic, 2, &base, &size), -ENOENT);
	assert_int_equal(dt_prop_u32(gic, "#interrupt-cells", &cells), 0);
	assert_int_equal(cells, GIC_IRQ_CELLS);
}

static void test_virt_timer(void **state)
{
	static const uint32_t want[VIRT_TIMER_IRQS][GIC_IRQ_CELLS] = {
		{ GIC_PPI, TIMER_PPI_S, TIMER_IRQ_FLAGS },
		{ GIC_PPI, TIMER_PPI_NS, TIMER_IRQ_FLAGS },
		{ GIC_PPI, TIMER_PPI_VIRT, TIMER_IRQ_FLAGS },
		{ GIC_PPI, TIMER_PPI_HYP, TIMER_IRQ_FLAGS },
	};
	int timer = dt_find_compatible(-1, "arm,armv8-timer");
	int gic = dt_find_compatible(-1, "arm,cortex-a15-gic");
	uint32_t cells[MAX_CELLS];

	(void)state;
	assert_true(timer > 0);
	/* Inherited from the root's interrupt-parent. */
	assert_int_equal(dt_interrupt_parent(timer), gic);
	for (int i = 0; i < VIRT_TIMER_IRQS; i++) {
		assert_int_equal(dt_irq(timer, i, cells, MAX_CELLS),
				 GIC_IRQ_CELLS);
		assert_memory_equal(cells, want[i], sizeof(want[i]));
	}
	assert_int_equal(dt_irq(timer, VIRT_TIMER_IRQS, cells, MAX_CELLS),
			 -ENOENT);
	assert_int_equal(dt_irq(timer, -1, cells, MAX_CELLS), -ENOENT);
	assert_int_equal(dt_irq(timer, 0, cells, GIC_IRQ_CELLS - 1), -ENOSPC);
	/* No interrupts property at all. */
	assert_int_equal(dt_irq(gic, 0, cells, MAX_CELLS), -ENOENT);
}

static void test_virt_psci_and_props(void **state)
{
	int psci = dt_find_compatible(-1, "arm,psci-0.2");
	int clk = dt_find_compatible(-1, "fixed-clock");
	uint32_t freq;

	(void)state;
	assert_true(psci > 0);
	assert_string_equal(dt_prop_str(psci, "method"), "hvc");
	assert_null(dt_prop_str(psci, "no-such-property"));
	assert_true(clk > 0);
	assert_int_equal(dt_prop_u32(clk, "clock-frequency", &freq), 0);
	assert_int_equal(freq, 24000000);
	assert_int_equal(dt_find_compatible(-1, "no,such-device"), -ENOENT);
	assert_int_equal(dt_path_offset("/chosen"),
			 fdt_path_offset(virt_blob, "/chosen"));
	assert_int_equal(dt_path_offset("/no-such-node"), -ENOENT);
	assert_int_equal(dt_path_offset("serial0"), -ENOENT);	/* no aliases */
}

/* ---- the Raspberry-Pi-like tree ---- */

static void test_rpi_translation(void **state)
{
	paddr_t base;
	uint64_t size;

	(void)state;
	assert_int_equal(dt_reg(node(RPI_UART_PATH), 0, &base, &size), 0);
	assert_int_equal(base, RPI_CPU_BASE + (RPI_UART_BUS - RPI_BUS_BASE));
	assert_int_equal(base, 0x3f201000);
	assert_int_equal(size, RPI_UART_SIZE);
	/* The second ranges entry. */
	assert_int_equal(dt_reg(node("/soc/local@40000000"), 0, &base, &size),
			 0);
	assert_int_equal(base, RPI_LOCAL_BASE);
	/* Two levels of ranges. */
	assert_int_equal(dt_reg(node("/soc/bus@7e400000/dev@10"), 0, &base,
				NULL), 0);
	assert_int_equal(base, 0x3f400010);
	/* The sub-bus's own reg-less address space: translated once. */
	assert_int_equal(dt_reg(node("/soc/interrupt-controller@7e00b200"), 0,
				&base, &size), 0);
	assert_int_equal(base, 0x3f00b200);
}

static void test_rpi_translation_errors(void **state)
{
	paddr_t base = 0xdead;
	uint64_t size = 0xbeef;

	(void)state;
	assert_int_equal(dt_reg(node("/soc/outside@7f000000"), 0, &base,
				&size), -ERANGE);
	assert_int_equal(dt_reg(node("/soc/nomap/cpu@3"), 0, &base, &size),
			 -ERANGE);
	assert_int_equal(dt_reg(node("/soc/badranges/child@0"), 0, &base,
				&size), -EINVAL);
	assert_int_equal(dt_reg(node("/soc/bad-reg@7e300000"), 0, &base,
				&size), -EINVAL);
	assert_int_equal(dt_reg(node("/wide/child@0"), 0, &base, &size),
			 -EOPNOTSUPP);
	assert_int_equal(dt_reg(node("/soc"), 0, &base, &size), -ENOENT);
	assert_int_equal(dt_reg(0, 0, &base, &size), -ENOENT);	/* root */
	assert_int_equal(dt_reg(-1, 0, &base, &size), -EINVAL);
	assert_int_equal(dt_reg(3, 0, &base, &size), -EINVAL);	/* unaligned */
	/* Failures leave the outputs alone. */
	assert_int_equal(base, 0xdead);
	assert_int_equal(size, 0xbeef);
}

static void test_rpi_memory(void **state)
{
	struct mem_range r[MAX_RANGES];

	(void)state;
	assert_int_equal(dt_memory(r, MAX_RANGES), 2);
	assert_int_equal(r[0].base, 0);
	assert_int_equal(r[0].size, RPI_MEM_LOW_SIZE);
	assert_int_equal(r[1].base, RPI_MEM_HIGH_BASE);
	assert_int_equal(r[1].size, RPI_MEM_HIGH_SIZE);
	assert_int_equal(dt_memory(r, 2), 2);
	assert_int_equal(dt_memory(r, 1), -ENOSPC);
}

static void test_rpi_reserved(void **state)
{
	struct mem_range r[MAX_RANGES];

	(void)state;
	assert_int_equal(dt_reserved(r, MAX_RANGES), 3);
	assert_int_equal(r[0].base, RPI_RSV_SPIN_BASE);
	assert_int_equal(r[0].size, RPI_RSV_SPIN_SIZE);
	assert_int_equal(r[1].base, RPI_RSV_INITRD_BASE);
	assert_int_equal(r[1].size, RPI_RSV_INITRD_SIZE);
	assert_int_equal(r[2].base, RPI_FB_BASE);
	assert_int_equal(r[2].size, RPI_FB_SIZE);
	assert_int_equal(dt_reserved(r, 2), -ENOSPC);
}

static void test_rpi_chosen(void **state)
{
	struct dt_chosen c;

	(void)state;
	assert_int_equal(dt_chosen(&c), 0);
	assert_string_equal(c.bootargs, RPI_BOOTARGS);
	assert_true(c.has_initrd);
	assert_int_equal(c.initrd_start, RPI_INITRD_START);
	assert_int_equal(c.initrd_end, RPI_INITRD_END);
	/* "serial0:115200n8": options stripped, alias resolved. */
	assert_int_equal(c.stdout_node, node(RPI_UART_PATH));
	assert_int_equal(dt_path_offset("serial0"), node(RPI_UART_PATH));
}

/*
 * Replace /chosen's stdout-path by name = path (or just delete it when path
 * is NULL) and return the name of the node dt_chosen resolves, or NULL.
 * Names, not offsets: editing the tree moves the nodes after /chosen.
 */
static const char *chosen_with_stdout(const char *name, const char *path)
{
	void *t = rpi_variant();
	int chosen = fdt_path_offset(t, "/chosen");
	struct dt_chosen c;

	assert_int_equal(fdt_delprop(t, chosen, "stdout-path"), 0);
	if (path != NULL)
		assert_int_equal(fdt_setprop_string(t, chosen, name, path), 0);
	assert_int_equal(dt_setup(t, sizeof(variant)), 0);
	assert_int_equal(dt_chosen(&c), 0);
	if (c.stdout_node < 0) {
		assert_int_equal(c.stdout_node, -1);
		return NULL;
	}
	return dt_node_name(c.stdout_node);
}

static void test_rpi_stdout_forms(void **state)
{
	static const char uart[] = "serial@7e201000";

	(void)state;
	assert_string_equal(chosen_with_stdout("stdout-path", RPI_UART_PATH),
			    uart);
	assert_string_equal(chosen_with_stdout("stdout-path", "serial0"),
			    uart);
	assert_string_equal(chosen_with_stdout("stdout-path",
					       RPI_UART_PATH ":9600"), uart);
	assert_string_equal(chosen_with_stdout("linux,stdout-path",
					       "serial0:115200"), uart);
	assert_string_equal(chosen_with_stdout("stdout-path", "/soc:x"),
			    "soc");
	assert_null(chosen_with_stdout("stdout-path", "nosuch:9600"));
	assert_null(chosen_with_stdout("stdout-path", ":9600"));
	assert_null(chosen_with_stdout("stdout-path", ""));
	assert_null(chosen_with_stdout("stdout-path", NULL));
}

/* Set up a variant whose initrd property is edited; returns dt_chosen. */
static int chosen_with_initrd(const char *name, const void *val, int len,
			      struct dt_chosen *c)
{
	void *t = rpi_variant();
	int chosen = fdt_path_offset(t, "/chosen");

	if (val == NULL)
		assert_int_equal(fdt_delprop(t, chosen, name), 0);
	else
		assert_int_equal(fdt_setprop(t, chosen, name, val, len), 0);
	assert_int_equal(dt_setup(t, sizeof(variant)), 0);
	return dt_chosen(c);
}

static void test_rpi_initrd_errors(void **state)
{
	static const char three[] = { 0, 0, 1 };
	fdt32_t low = cpu_to_fdt32(0x1000);
	struct dt_chosen c;

	(void)state;
	assert_int_equal(chosen_with_initrd("linux,initrd-end", three,
					    sizeof(three), &c), -EINVAL);
	assert_false(c.has_initrd);
	/* The other facts survive a broken initrd. */
	assert_string_equal(c.bootargs, RPI_BOOTARGS);
	assert_true(c.stdout_node > 0);
	assert_int_equal(chosen_with_initrd("linux,initrd-end", NULL, 0, &c),
			 -EINVAL);
	assert_false(c.has_initrd);
	assert_int_equal(chosen_with_initrd("linux,initrd-end", &low,
					    sizeof(low), &c), -EINVAL);
	assert_false(c.has_initrd);

	/* Neither property: simply no initrd. */
	rpi_variant();
	assert_int_equal(fdt_delprop(variant, fdt_path_offset(variant,
				     "/chosen"), "linux,initrd-start"), 0);
	assert_int_equal(fdt_delprop(variant, fdt_path_offset(variant,
				     "/chosen"), "linux,initrd-end"), 0);
	assert_int_equal(dt_setup(variant, sizeof(variant)), 0);
	assert_int_equal(dt_chosen(&c), 0);
	assert_false(c.has_initrd);
}

static void test_rpi_no_chosen(void **state)
{
	void *t = rpi_variant();
	struct dt_chosen c;

	(void)state;
	assert_int_equal(fdt_del_node(t, fdt_path_offset(t, "/chosen")), 0);
	assert_int_equal(dt_setup(t, sizeof(variant)), 0);
	assert_int_equal(dt_chosen(&c), 0);
	assert_null(c.bootargs);
	assert_false(c.has_initrd);
	assert_int_equal(c.stdout_node, -1);
}

static void test_rpi_interrupts(void **state)
{
	int uart = node(RPI_UART_PATH);
	int intc = node("/soc/interrupt-controller@7e00b200");
	uint32_t cells[MAX_CELLS];

	(void)state;
	/* interrupt-parent on /soc, inherited. */
	assert_int_equal(dt_interrupt_parent(uart), intc);
	assert_int_equal(dt_irq(uart, 0, cells, MAX_CELLS), RPI_INTC_CELLS);
	assert_int_equal(cells[0], RPI_UART_IRQ_BANK);
	assert_int_equal(cells[1], RPI_UART_IRQ);
	assert_int_equal(dt_irq(uart, 1, cells, MAX_CELLS), -ENOENT);
	/* Climbs past a bus without interrupt-parent or #interrupt-cells. */
	assert_int_equal(dt_interrupt_parent(node("/soc/bus@7e400000/dev@10")),
			 intc);
	/* 3 cells of 2-cell specifiers. */
	assert_int_equal(dt_irq(node("/soc/bus@7e400000/dev@10"), 0, cells,
				MAX_CELLS), -EINVAL);
	/* Dangling phandle, phandle loop, no controller at all. */
	assert_int_equal(dt_interrupt_parent(node("/props")), -ENOENT);
	assert_int_equal(dt_irq(node("/props"), 0, cells, MAX_CELLS), -ENOENT);
	assert_int_equal(dt_interrupt_parent(node("/loop-b")), -EINVAL);
	assert_int_equal(dt_irq(node("/loop-b"), 0, cells, MAX_CELLS), -EINVAL);
	assert_int_equal(dt_interrupt_parent(node("/chosen")), -ENOENT);
}

static void test_rpi_props(void **state)
{
	int props = node("/props");
	uint32_t v = 0;

	(void)state;
	assert_int_equal(dt_prop_u32(props, "u32", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(dt_prop_u32(props, "u32short", &v), -EINVAL);
	assert_int_equal(dt_prop_u32(props, "u32long", &v), -EINVAL);
	assert_int_equal(dt_prop_u32(props, "empty", &v), -EINVAL);
	assert_int_equal(dt_prop_u32(props, "absent", &v), -ENOENT);
	assert_int_equal(dt_prop_u32(-1, "u32", &v), -EINVAL);
	assert_int_equal(v, 7);
	assert_string_equal(dt_prop_str(props, "str"), "hi");
	assert_string_equal(dt_prop_str(props, "strlist"), "a");
	assert_null(dt_prop_str(props, "strbad"));
	assert_null(dt_prop_str(props, "empty"));
	assert_null(dt_prop_str(props, "absent"));
	assert_string_equal(dt_node_name(props), "props");
	assert_string_equal(dt_node_name(0), "");
	assert_null(dt_node_name(-1));
	assert_int_equal(dt_path_offset(NULL), -EINVAL);
	assert_int_equal(dt_find_compatible(-1, NULL), -EINVAL);
}

static void test_rpi_enabled(void **state)
{
	(void)state;
	assert_true(dt_node_enabled(node(RPI_UART_PATH)));	/* "okay" */
	/* "ok" */
	assert_true(dt_node_enabled(node("/soc/local@40000000")));
	assert_true(dt_node_enabled(node("/soc")));		/* absent */
	assert_false(dt_node_enabled(node("/soc/outside@7f000000")));
	assert_false(dt_node_enabled(node("/props")));		/* "fail" */
	assert_false(dt_node_enabled(-1));
	assert_int_equal(dt_find_compatible(-1, "arm,primecell"),
			 node(RPI_UART_PATH));
}

/* ---- corrupted blobs ---- */

/* A heap copy of exactly len bytes, so ASan sees any overread. */
static void *copy_of(const void *blob, size_t len)
{
	void *p = malloc(len);

	assert_non_null(p);
	memcpy(p, blob, len);
	return p;
}

/* dt_setup must refuse, and the virt tree must still answer. */
static void assert_rejected(const void *blob, size_t len)
{
	struct mem_range r[MAX_RANGES];

	assert_int_equal(dt_setup(blob, len), -EINVAL);
	assert_ptr_equal(dt_blob(), virt_blob);
	assert_int_equal(dt_size(), fdt_totalsize(virt_blob));
	assert_int_equal(dt_memory(r, MAX_RANGES), 1);
	assert_int_equal(r[0].base, VIRT_RAM_BASE);
}

static void set_header(void *blob, size_t field_offset, uint32_t value)
{
	fdt32_t v = cpu_to_fdt32(value);

	memcpy((char *)blob + field_offset, &v, sizeof(v));
}

static void test_reject_bad_header(void **state)
{
	uint32_t total = fdt_totalsize(virt_blob);
	char *bad;

	(void)state;
	bad = copy_of(virt_blob, virt_len);
	set_header(bad, offsetof(struct fdt_header, magic), 0xfeedd00d);
	assert_rejected(bad, virt_len);
	free(bad);

	/* totalsize claims more than the buffer holds. */
	bad = copy_of(virt_blob, virt_len);
	set_header(bad, offsetof(struct fdt_header, totalsize),
		   (uint32_t)virt_len + 4096);
	assert_rejected(bad, virt_len);
	free(bad);
	assert_rejected(virt_blob, total - 1);

	bad = copy_of(virt_blob, virt_len);
	set_header(bad, offsetof(struct fdt_header, off_dt_struct), total + 8);
	assert_rejected(bad, virt_len);
	free(bad);

	bad = copy_of(virt_blob, virt_len);
	set_header(bad, offsetof(struct fdt_header, off_dt_strings), total);
	assert_rejected(bad, virt_len);
	free(bad);

	bad = copy_of(virt_blob, virt_len);
	set_header(bad, offsetof(struct fdt_header, version), 16);
	assert_rejected(bad, virt_len);
	free(bad);
}

static void test_reject_truncated(void **state)
{
	size_t used = fdt_off_dt_strings(virt_blob) +
		      fdt_size_dt_strings(virt_blob);
	char *half = copy_of(virt_blob, used / 2);
	char *tiny = copy_of(virt_blob, sizeof(struct fdt_header) - 1);

	(void)state;
	assert_rejected(half, used / 2);
	assert_rejected(tiny, sizeof(struct fdt_header) - 1);
	assert_rejected(virt_blob, 0);
	free(half);
	free(tiny);
}

/* Overwrite the 32-bit big-endian word at a structure-block offset. */
static void poke_struct(void *blob, int offset, uint32_t value)
{
	fdt32_t v = cpu_to_fdt32(value);

	memcpy((char *)blob + fdt_off_dt_struct(blob) + offset, &v, sizeof(v));
}

static void test_reject_bad_structure(void **state)
{
	int mem = fdt_path_offset(virt_blob, "/memory@40000000");
	int prop = fdt_first_property_offset(virt_blob, mem);
	char *bad;

	(void)state;
	assert_true(mem > 0);
	assert_true(prop > 0);
	/* The node's FDT_BEGIN_NODE tag replaced by garbage. */
	bad = copy_of(virt_blob, virt_len);
	poke_struct(bad, mem, 0xdeadbeef);
	assert_rejected(bad, virt_len);
	free(bad);
	/* A property whose name offset points outside the strings block. */
	bad = copy_of(virt_blob, virt_len);
	poke_struct(bad, prop + (int)offsetof(struct fdt_property, nameoff),
		    0x7fffff00);
	assert_rejected(bad, virt_len);
	free(bad);
	/* A property length running past the structure block. */
	bad = copy_of(virt_blob, virt_len);
	poke_struct(bad, prop + (int)offsetof(struct fdt_property, len),
		    0x100000);
	assert_rejected(bad, virt_len);
	free(bad);
	/* An FDT_END_NODE too many. */
	bad = copy_of(virt_blob, virt_len);
	poke_struct(bad, mem, FDT_END_NODE);
	assert_rejected(bad, virt_len);
	free(bad);
}

/* Every query on every node; only crashes (ASan/UBSan) can fail this. */
static void query_everything(void)
{
	struct mem_range r[MAX_RANGES];
	struct dt_chosen c;
	uint32_t cells[MAX_CELLS];
	const void *t = dt_blob();

	dt_memory(r, MAX_RANGES);
	dt_reserved(r, MAX_RANGES);
	dt_chosen(&c);
	dt_path_offset("serial0:x");
	for (int n = 0; n >= 0; n = fdt_next_node(t, n, NULL)) {
		paddr_t a;
		uint64_t s;

		dt_node_enabled(n);
		dt_node_name(n);
		for (int i = 0; i < 3; i++) {
			dt_reg(n, i, &a, &s);
			dt_irq(n, i, cells, MAX_CELLS);
		}
		dt_interrupt_parent(n);
		dt_prop_u32(n, "#interrupt-cells", cells);
		dt_prop_str(n, "compatible");
		dt_find_compatible(n, "arm,pl011");
	}
}

/*
 * Random damage anywhere in the RPi tree: whatever dt_setup accepts must
 * be safe to query, and whatever it refuses must leave the old tree.
 */
static void test_fuzz(void **state)
{
	char *bad = malloc(TREE_SIZE);
	int rejected = 0;

	(void)state;
	assert_non_null(bad);
	srand(FUZZ_SEED);
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		int at = rand() % (int)fdt_totalsize(rpi_tree);

		memcpy(bad, rpi_tree, TREE_SIZE);
		for (int i = 0; i < 4 && at + i < TREE_SIZE; i++)
			bad[at + i] = (char)rand();
		assert_int_equal(dt_setup(virt_blob, virt_len), 0);
		if (dt_setup(bad, TREE_SIZE) == 0) {
			query_everything();
			continue;
		}
		rejected++;
		assert_ptr_equal(dt_blob(), virt_blob);
	}
	/* Some damage must have been caught, some was harmless. */
	assert_true(rejected > 0);
	assert_true(rejected < FUZZ_ROUNDS);
	assert_int_equal(dt_setup(virt_blob, virt_len), 0);
	free(bad);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest first[] = {
		cmocka_unit_test(test_no_tree),
	};
	const struct CMUnitTest virt[] = {
		cmocka_unit_test(test_virt_setup),
		cmocka_unit_test(test_virt_memory),
		cmocka_unit_test(test_virt_uart_is_stdout),
		cmocka_unit_test(test_virt_gic),
		cmocka_unit_test(test_virt_timer),
		cmocka_unit_test(test_virt_psci_and_props),
		cmocka_unit_test(test_reject_bad_header),
		cmocka_unit_test(test_reject_truncated),
		cmocka_unit_test(test_reject_bad_structure),
	};
	const struct CMUnitTest rpi[] = {
		cmocka_unit_test_setup(test_rpi_translation, setup_rpi),
		cmocka_unit_test_setup(test_rpi_translation_errors, setup_rpi),
		cmocka_unit_test_setup(test_rpi_memory, setup_rpi),
		cmocka_unit_test_setup(test_rpi_reserved, setup_rpi),
		cmocka_unit_test_setup(test_rpi_chosen, setup_rpi),
		cmocka_unit_test_setup(test_rpi_stdout_forms, setup_rpi),
		cmocka_unit_test_setup(test_rpi_initrd_errors, setup_rpi),
		cmocka_unit_test_setup(test_rpi_no_chosen, setup_rpi),
		cmocka_unit_test_setup(test_rpi_interrupts, setup_rpi),
		cmocka_unit_test_setup(test_rpi_props, setup_rpi),
		cmocka_unit_test_setup(test_rpi_enabled, setup_rpi),
		cmocka_unit_test(test_fuzz),
	};
	int failed;

	virt_blob = read_arg_file(argc, argv, "virt.dtb", &virt_len);
	/* Built outside cmocka so a failure here is not a silent skip. */
	build_rpi_tree(rpi_tree, sizeof(rpi_tree));
	failed = cmocka_run_group_tests_name("no tree", first, NULL, NULL);
	failed += cmocka_run_group_tests_name("virt", virt, setup_virt, NULL);
	failed += cmocka_run_group_tests_name("rpi", rpi, setup_virt, NULL);
	free(virt_blob);
	return failed != 0;
}
