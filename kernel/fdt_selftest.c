/*
 * kernel/fdt_selftest.c: self-tests of what the kernel learned at boot: the
 * device tree's contents as the drivers saw them, a corrupted copy being
 * refused, and the embedded symbol table and kernel log.
 */
#include "kernel/selftest.h"
#include "kernel/fdt.h"
#include "kernel/boot.h"
#include "kernel/ksyms.h"
#include "kernel/klog.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include <string.h>
#include <libfdt.h>

#define MAX_RANGES 8
#define FDT_MAGIC_OFFSET 0

void kmain(paddr_t dtb_pa);

static int test_dt_contents(void)
{
	struct mem_range ram[MAX_RANGES];
	struct dt_chosen chosen;
	int n = dt_memory(ram, MAX_RANGES), uart;

	SELFTEST_CHECK(n == boot_info.nram && n > 0, "%d memory ranges, boot saw %d", n, boot_info.nram);
	SELFTEST_CHECK(ram[0].base == boot_info.ram[0].base && ram[0].size == boot_info.ram[0].size,
		       "memory range changed");
	SELFTEST_CHECK(dt_chosen(&chosen) == 0 && chosen.stdout_node >= 0, "no stdout node");
	uart = chosen.stdout_node;
	/* The console is stdout's PL011 (virt), else the first PL011 (the
	 * Raspberry Pi 3's stdout is its mini UART). */
	SELFTEST_CHECK(fdt_node_check_compatible(dt_blob(), uart, "arm,pl011") == 0 ||
		       dt_find_compatible(-1, "arm,pl011") >= 0, "no PL011 for the console");
	SELFTEST_CHECK(dt_find_compatible(-1, "arm,armv8-timer") >= 0 ||
		       dt_find_compatible(-1, "arm,armv7-timer") >= 0, "no generic timer node");
	SELFTEST_CHECK(dt_size() == boot_info.dtb_size, "tree size changed");
	return 0;
}
SELFTEST(st_dt, "device-tree contents", test_dt_contents);

static int test_dt_corrupt(void)
{
	const void *orig = dt_blob();
	size_t size = dt_size();
	uint8_t *copy = kmalloc(size);
	int err;

	SELFTEST_CHECK(copy, "no memory for a copy");
	memcpy(copy, orig, size);
	copy[FDT_MAGIC_OFFSET] ^= 0xff;
	err = dt_setup(copy, size);
	kfree(copy);
	SELFTEST_CHECK(err == -EINVAL, "corrupted tree accepted (%d)", err);
	SELFTEST_CHECK(dt_blob() == orig, "the valid tree was replaced");
	return 0;
}
SELFTEST(st_dt_corrupt, "corrupt device tree refused", test_dt_corrupt);

static int test_ksyms(void)
{
	uint64_t off;
	const char *name = ksym_lookup((uint64_t)kmain + 4, &off);

	SELFTEST_CHECK(name && strcmp(name, "kmain") == 0 && off == 4, "kmain+4 resolves to %s", name ? name : "nothing");
	SELFTEST_CHECK(ksym_address("kmain") == (uint64_t)kmain, "kmain not found by name");
	return 0;
}
SELFTEST(st_ksyms, "embedded symbol table", test_ksyms);

static int test_klog(void)
{
	static const char banner[] = "Anode (AArch64) booting";
	char buf[sizeof(banner)];
	uint64_t pos;

	for (pos = klog_start(); pos + sizeof(banner) - 1 <= klog_end(); pos++) {
		if (klog_read(pos, buf, sizeof(banner) - 1) != sizeof(banner) - 1)
			break;
		if (memcmp(buf, banner, sizeof(banner) - 1) == 0)
			return 0;
	}
	return selftest_fail("boot banner not in the kernel log");
}
SELFTEST(st_klog, "kernel log", test_klog);
