/*
 * tests/host/test_efi_loader.c: host unit test of the EFI loader's pure
 * parts. memmap.c: RAM and reserved ranges from EDK2- and u-boot-like
 * memory maps, caps and merging; bootargs.c: LoadOptions and cmdline.txt
 * to a command line; dt_update.c: /memory, /memreserve/ and /chosen edits
 * on QEMU virt's own tree (its path is argv[1]) and on trees built here.
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

#include "arch/aarch64/efi/bootargs.h"
#include "arch/aarch64/efi/dt_update.h"
#include "arch/aarch64/efi/memmap.h"

#define PAGE EFI_MM_PAGE_SIZE
#define MIB (1024ull * 1024)
#define GIB (1024ull * MIB)
#define RAM_BASE 0x40000000ull	/* QEMU virt */
#define MAX_DESCS 256
#define EDK2_DESC_SIZE 48	/* EDK2 pads descriptors to 48 bytes */
#define TREE_BUF_SIZE (64 * 1024)
#define MANY 100		/* more than the memmap's working lists hold */
#define BIG_TREE_BUF (2 * 1024 * 1024)

static const char *virt_dtb_path;

/* ---- memory maps ---------------------------------------------------- */

static uint8_t map[MAX_DESCS * EDK2_DESC_SIZE];
static size_t map_len, desc_size = sizeof(struct efi_mem_desc);

static void map_reset(size_t dsize)
{
	memset(map, 0, sizeof(map));
	map_len = 0;
	desc_size = dsize;
}

static void add_desc(uint32_t type, uint64_t base, uint64_t size, uint64_t attr)
{
	struct efi_mem_desc d = { .type = type, .phys_start = base, .pages = size / PAGE, .attr = attr };

	assert_true(map_len + desc_size <= sizeof(map));
	memcpy(map + map_len, &d, sizeof(d));
	map_len += desc_size;
}

static struct memmap_result mm;

static int convert(void)
{
	memset(&mm, 0xa5, sizeof(mm));
	return memmap_convert(map, map_len, desc_size, &mm);
}

static void assert_range(const struct mm_range *r, uint64_t base, uint64_t size)
{
	assert_int_equal(r->base, base);
	assert_int_equal(r->size, size);
}

/* Does some reserved range cover [base, base + size)? */
static int reserved_covers(uint64_t base, uint64_t size)
{
	for (int i = 0; i < mm.nreserved; i++)
		if (mm.reserved[i].base <= base &&
		    base + size <= mm.reserved[i].base + mm.reserved[i].size)
			return 1;
	return 0;
}

static void assert_sorted_disjoint(const struct mm_range *r, int n)
{
	for (int i = 1; i < n; i++)
		assert_true(r[i - 1].base + r[i - 1].size < r[i].base);
}

/* EDK2-like: out of order, runtime regions, ACPI, MMIO, padded descriptors. */
static void test_memmap_edk2_like(void **state)
{
	(void)state;
	map_reset(EDK2_DESC_SIZE);
	add_desc(EFI_MT_BOOT_SERVICES_DATA, RAM_BASE + 512 * MIB, 64 * MIB, EFI_MA_WB);
	add_desc(EFI_MT_CONVENTIONAL, RAM_BASE, 256 * MIB, EFI_MA_WB);
	add_desc(EFI_MT_LOADER_CODE, RAM_BASE + 256 * MIB, 1 * MIB, EFI_MA_WB);
	add_desc(EFI_MT_RUNTIME_SERVICES_CODE, RAM_BASE + 257 * MIB, 1 * MIB,
		 EFI_MA_WB | EFI_MA_RUNTIME);
	add_desc(EFI_MT_RUNTIME_SERVICES_DATA, RAM_BASE + 258 * MIB, 2 * MIB,
		 EFI_MA_WB | EFI_MA_RUNTIME);
	add_desc(EFI_MT_LOADER_DATA, RAM_BASE + 260 * MIB, 252 * MIB, EFI_MA_WB);
	add_desc(EFI_MT_ACPI_RECLAIM, RAM_BASE + 576 * MIB, 4 * PAGE, EFI_MA_WB);
	add_desc(EFI_MT_BOOT_SERVICES_CODE, RAM_BASE + 576 * MIB + 4 * PAGE,
		 448 * MIB - 4 * PAGE, EFI_MA_WB);
	add_desc(EFI_MT_MMIO, 0x04000000, 64 * MIB, EFI_MA_RUNTIME);	/* flash: not RAM */
	add_desc(EFI_MT_CONVENTIONAL, RAM_BASE + 2 * GIB, 0, EFI_MA_WB);	/* empty: ignored */

	assert_int_equal(convert(), 0);
	assert_int_equal(mm.nram, 1);
	assert_range(&mm.ram[0], RAM_BASE, 1 * GIB);
	assert_int_equal(mm.nreserved, 2);
	assert_range(&mm.reserved[0], RAM_BASE + 257 * MIB, 3 * MIB);	/* runtime, merged */
	assert_range(&mm.reserved[1], RAM_BASE + 576 * MIB, 4 * PAGE);	/* ACPI */
}

/* u-boot-like: descending order, its runtime pages, two RAM banks. */
static void test_memmap_uboot_like(void **state)
{
	(void)state;
	map_reset(sizeof(struct efi_mem_desc));
	add_desc(EFI_MT_CONVENTIONAL, 0x100000000ull, 1 * GIB, EFI_MA_WB);
	add_desc(EFI_MT_RUNTIME_SERVICES_DATA, RAM_BASE + 1 * GIB - 16 * PAGE, 16 * PAGE,
		 EFI_MA_WB | EFI_MA_RUNTIME);
	add_desc(EFI_MT_BOOT_SERVICES_DATA, RAM_BASE + 512 * MIB, 512 * MIB - 16 * PAGE, EFI_MA_WB);
	add_desc(EFI_MT_RESERVED, RAM_BASE, 2 * MIB, EFI_MA_WB);	/* a DT carve-out */
	add_desc(EFI_MT_CONVENTIONAL, RAM_BASE + 2 * MIB, 510 * MIB, EFI_MA_WB);

	assert_int_equal(convert(), 0);
	assert_int_equal(mm.nram, 2);
	assert_range(&mm.ram[0], RAM_BASE, 1 * GIB);
	assert_range(&mm.ram[1], 0x100000000ull, 1 * GIB);
	assert_int_equal(mm.nreserved, 2);
	assert_range(&mm.reserved[0], RAM_BASE, 2 * MIB);
	assert_range(&mm.reserved[1], RAM_BASE + 1 * GIB - 16 * PAGE, 16 * PAGE);
}

/* A usable type marked RUNTIME (firmware keeps it) is reserved. */
static void test_memmap_runtime_attribute(void **state)
{
	(void)state;
	map_reset(sizeof(struct efi_mem_desc));
	add_desc(EFI_MT_CONVENTIONAL, RAM_BASE, 1 * MIB, EFI_MA_WB);
	add_desc(EFI_MT_BOOT_SERVICES_DATA, RAM_BASE + 1 * MIB, 1 * MIB, EFI_MA_WB | EFI_MA_RUNTIME);
	assert_int_equal(convert(), 0);
	assert_int_equal(mm.nram, 1);
	assert_int_equal(mm.nreserved, 1);
	assert_range(&mm.reserved[0], RAM_BASE + 1 * MIB, 1 * MIB);
}

static void test_memmap_refuses(void **state)
{
	(void)state;
	map_reset(sizeof(struct efi_mem_desc));
	add_desc(EFI_MT_MMIO, 0x09000000, PAGE, EFI_MA_RUNTIME);
	assert_int_equal(convert(), -1);	/* no RAM at all */
	map_reset(sizeof(struct efi_mem_desc));
	assert_int_equal(convert(), -1);	/* empty map */
	add_desc(EFI_MT_CONVENTIONAL, RAM_BASE, 1 * MIB, EFI_MA_WB);
	assert_int_equal(memmap_convert(map, map_len, sizeof(struct efi_mem_desc) - 8, &mm), -1);
	assert_int_equal(memmap_convert(map, map_len, sizeof(struct efi_mem_desc) + 4, &mm), -1);
	/* A descriptor whose end wraps past 2^64 is ignored. */
	map_reset(sizeof(struct efi_mem_desc));
	add_desc(EFI_MT_CONVENTIONAL, UINT64_MAX - PAGE + 1, 2 * PAGE, EFI_MA_WB);
	assert_int_equal(convert(), -1);
}

/* More RAM banks than the kernel takes: the largest stay, in order. */
static void test_memmap_ram_cap(void **state)
{
	const int banks = MEMMAP_RAM_MAX + 3;

	(void)state;
	map_reset(sizeof(struct efi_mem_desc));
	for (int i = 0; i < banks; i++)	/* bank i: (i + 1) MiB, 1 GiB apart */
		add_desc(EFI_MT_CONVENTIONAL, RAM_BASE + (uint64_t)i * GIB, (uint64_t)(i + 1) * MIB,
			 EFI_MA_WB);
	assert_int_equal(convert(), 0);
	assert_int_equal(mm.nram, MEMMAP_RAM_MAX);
	assert_sorted_disjoint(mm.ram, mm.nram);
	for (int i = 0; i < MEMMAP_RAM_MAX; i++) {
		int bank = i + (banks - MEMMAP_RAM_MAX);

		assert_range(&mm.ram[i], RAM_BASE + (uint64_t)bank * GIB, (uint64_t)(bank + 1) * MIB);
	}
}

/* More reservations than fit (even the working list): none is lost. */
static void test_memmap_reserved_cap(void **state)
{
	(void)state;
	map_reset(sizeof(struct efi_mem_desc));
	add_desc(EFI_MT_CONVENTIONAL, RAM_BASE, 1 * GIB, EFI_MA_WB);
	for (int i = 0; i < MANY; i++)	/* every other page from 16 MiB up, gaps grow */
		add_desc(EFI_MT_RUNTIME_SERVICES_DATA, RAM_BASE + 16 * MIB + (uint64_t)i * i * 2 * PAGE,
			 PAGE, EFI_MA_WB | EFI_MA_RUNTIME);
	assert_int_equal(convert(), 0);
	assert_int_equal(mm.nram, 1);
	assert_range(&mm.ram[0], RAM_BASE, 1 * GIB);	/* reservations stay in RAM */
	assert_true(mm.nreserved <= MEMMAP_RESERVED_MAX && mm.nreserved > 0);
	assert_sorted_disjoint(mm.reserved, mm.nreserved);
	for (int i = 0; i < MANY; i++)
		assert_true(reserved_covers(RAM_BASE + 16 * MIB + (uint64_t)i * i * 2 * PAGE, PAGE));
	assert_true(mm.reserved[0].base == RAM_BASE + 16 * MIB);
}

/* ---- command line --------------------------------------------------- */

static char out[BOOTARGS_MAX];

/* UCS-2 copy of an ASCII string, with (nul = 1) or without its NUL. */
static size_t ucs2(uint16_t *dst, const char *s, int nul)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		dst[i] = (unsigned char)s[i];
	if (nul)
		dst[n++] = 0;
	return n * sizeof(uint16_t);
}

static enum bootargs_status from_ucs2(const char *s, int nul)
{
	static uint16_t buf[2 * BOOTARGS_MAX];

	return bootargs_from_ucs2(buf, ucs2(buf, s, nul), out, sizeof(out));
}

static void test_bootargs_load_options(void **state)
{
	(void)state;
	/* The UEFI shell passes the command as typed, loader path first. */
	assert_int_equal(from_ucs2("FS0:\\EFI\\BOOT\\BOOTAA64.EFI selftest", 1), BOOTARGS_OK);
	assert_string_equal(out, "selftest");
	assert_int_equal(from_ucs2("  \\efi\\boot\\bootaa64.efi   selftest=fault -- a b ", 1), BOOTARGS_OK);
	assert_string_equal(out, "selftest=fault -- a b");
	assert_int_equal(from_ucs2("\\EFI\\BOOT\\BOOTAA64.EFI", 1), BOOTARGS_EMPTY);
	assert_string_equal(out, "");
	/* u-boot passes $bootargs as is, without a NUL here. */
	assert_int_equal(from_ucs2("selftest console=x", 0), BOOTARGS_OK);
	assert_string_equal(out, "selftest console=x");
	/* A NUL ends the text; trailing NULs are common. */
	{
		uint16_t buf[] = { 'a', 'b', 0, 'c', 0, 0 };

		assert_int_equal(bootargs_from_ucs2(buf, sizeof(buf), out, sizeof(out)), BOOTARGS_OK);
		assert_string_equal(out, "ab");
	}
	assert_int_equal(bootargs_from_ucs2(NULL, 0, out, sizeof(out)), BOOTARGS_EMPTY);
}

static void test_bootargs_load_options_refused(void **state)
{
	/* EDK2's auto-created boot entries carry a GUID as their data. */
	static const uint8_t guid[16] = { 0x9e, 0xca, 0x7d, 0x83, 0x74, 0xe8, 0x82, 0x4d,
					  0xb2, 0x9a, 0x23, 0xfe, 0x0e, 0x23, 0xd1, 0xe2 };
	uint16_t buf[sizeof(guid) / 2];
	uint16_t odd[] = { 'a', 'b' };
	char *lng = malloc(BOOTARGS_MAX + 1);

	(void)state;
	memcpy(buf, guid, sizeof(guid));
	assert_int_equal(bootargs_from_ucs2(buf, sizeof(buf), out, sizeof(out)), BOOTARGS_NOT_TEXT);
	assert_string_equal(out, "");
	assert_int_equal(bootargs_from_ucs2(odd, sizeof(odd) - 1, out, sizeof(out)), BOOTARGS_NOT_TEXT);
	assert_int_equal(from_ucs2("caf\xc3\xa9", 1), BOOTARGS_NOT_TEXT);	/* non-ASCII */
	assert_non_null(lng);
	memset(lng, 'x', BOOTARGS_MAX);
	lng[BOOTARGS_MAX] = '\0';
	assert_int_equal(from_ucs2(lng, 1), BOOTARGS_TOO_LONG);
	lng[BOOTARGS_MAX - 1] = '\0';	/* 1023 characters fit */
	assert_int_equal(from_ucs2(lng, 1), BOOTARGS_OK);
	assert_int_equal(strlen(out), BOOTARGS_MAX - 1);
	free(lng);
	assert_non_null(strstr(bootargs_status_str(BOOTARGS_TOO_LONG), "1023"));
}

static void test_bootargs_text(void **state)
{
	static const char dos[] = "selftest\r\n";
	static const char lines[] = "\ta=1\nb=2 \n\n";
	static const char bin[] = "a\x01z";

	(void)state;
	assert_int_equal(bootargs_from_text(dos, strlen(dos), out, sizeof(out)), BOOTARGS_OK);
	assert_string_equal(out, "selftest");
	assert_int_equal(bootargs_from_text(lines, strlen(lines), out, sizeof(out)), BOOTARGS_OK);
	assert_string_equal(out, "a=1 b=2");
	/* A first word ending in .efi is kept: only LoadOptions name the loader. */
	assert_int_equal(bootargs_from_text("x.efi y", 7, out, sizeof(out)), BOOTARGS_OK);
	assert_string_equal(out, "x.efi y");
	assert_int_equal(bootargs_from_text("\n", 1, out, sizeof(out)), BOOTARGS_EMPTY);
	assert_int_equal(bootargs_from_text("", 0, out, sizeof(out)), BOOTARGS_EMPTY);
	assert_int_equal(bootargs_from_text(bin, strlen(bin), out, sizeof(out)), BOOTARGS_NOT_TEXT);
	assert_int_equal(bootargs_from_text("a\0b", 3, out, sizeof(out)), BOOTARGS_NOT_TEXT);
	assert_int_equal(bootargs_from_text("abc", 3, out, 3), BOOTARGS_TOO_LONG);
	assert_int_equal(bootargs_from_text("abc", 3, out, 4), BOOTARGS_OK);
}

/* ---- device tree ---------------------------------------------------- */

static uint8_t src[TREE_BUF_SIZE], dst[TREE_BUF_SIZE];

/* A tree with two memory nodes, a reservation and a stale initrd. */
static void build_tree(int addr_cells, int with_chosen)
{
	int node;

	assert_int_equal(fdt_create_empty_tree(src, sizeof(src)), 0);
	assert_int_equal(fdt_setprop_u32(src, 0, "#address-cells", addr_cells), 0);
	assert_int_equal(fdt_setprop_u32(src, 0, "#size-cells", 2), 0);
	assert_int_equal(fdt_add_mem_rsv(src, 0x48000000, 0x1000), 0);
	for (int i = 0; i < 2; i++) {
		node = fdt_add_subnode(src, 0, i ? "memory@80000000" : "memory@40000000");
		assert_true(node >= 0);
		assert_int_equal(fdt_setprop_string(src, node, "device_type", "memory"), 0);
	}
	node = fdt_add_subnode(src, 0, "uart@9000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop_string(src, node, "compatible", "arm,pl011"), 0);
	if (with_chosen) {
		node = fdt_add_subnode(src, 0, "chosen");
		assert_true(node >= 0);
		assert_int_equal(fdt_setprop_string(src, node, "bootargs", "old"), 0);
		assert_int_equal(fdt_setprop_u64(src, node, "linux,initrd-start", 0x48000000), 0);
		assert_int_equal(fdt_setprop_u64(src, node, "linux,initrd-end", 0x48100000), 0);
	}
}

static void two_banks(void)
{
	mm = (struct memmap_result){ .nram = 2, .nreserved = 2 };
	mm.ram[0] = (struct mm_range){ RAM_BASE, 1 * GIB };
	mm.ram[1] = (struct mm_range){ 0x100000000ull, 2 * GIB };
	mm.reserved[0] = (struct mm_range){ RAM_BASE + 10 * MIB, 1 * MIB };
	mm.reserved[1] = (struct mm_range){ RAM_BASE + 1 * GIB - PAGE, PAGE };
}

static int count_memory_nodes(const void *fdt)
{
	int n = 0;

	for (int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	     node >= 0; node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7))
		n++;
	return n;
}

static uint64_t be64_at(const void *p, int i)
{
	return fdt64_ld((const fdt64_t *)p + i);
}

static void test_dt_update_built_tree(void **state)
{
	const fdt64_t *reg;
	uint64_t base, size;
	const char *args;
	int node, len, chosen;

	(void)state;
	build_tree(2, 1);
	two_banks();
	assert_int_equal(dt_update(dst, sizeof(dst), src, &mm, "selftest", 0, 0), 0);
	assert_int_equal(fdt_check_full(dst, fdt_totalsize(dst)), 0);
	assert_true(fdt_totalsize(dst) < sizeof(dst));	/* packed */

	assert_int_equal(count_memory_nodes(dst), 1);
	node = fdt_path_offset(dst, "/memory@40000000");
	assert_true(node >= 0);
	reg = fdt_getprop(dst, node, "reg", &len);
	assert_non_null(reg);
	assert_int_equal(len, 2 * 2 * sizeof(fdt64_t));
	assert_int_equal(be64_at(reg, 0), RAM_BASE);
	assert_int_equal(be64_at(reg, 1), 1 * GIB);
	assert_int_equal(be64_at(reg, 2), 0x100000000ull);
	assert_int_equal(be64_at(reg, 3), 2 * GIB);

	assert_int_equal(fdt_num_mem_rsv(dst), 3);	/* the tree's own, then ours */
	assert_int_equal(fdt_get_mem_rsv(dst, 0, &base, &size), 0);
	assert_int_equal(base, 0x48000000);
	assert_int_equal(fdt_get_mem_rsv(dst, 2, &base, &size), 0);
	assert_int_equal(base, RAM_BASE + 1 * GIB - PAGE);
	assert_int_equal(size, PAGE);

	chosen = fdt_path_offset(dst, "/chosen");
	args = fdt_getprop(dst, chosen, "bootargs", NULL);
	assert_string_equal(args, "selftest");
	assert_null(fdt_getprop(dst, chosen, "linux,initrd-start", NULL));
	assert_null(fdt_getprop(dst, chosen, "linux,initrd-end", NULL));
	assert_true(fdt_path_offset(dst, "/uart@9000000") >= 0);

	/* NULL bootargs keeps the tree's. */
	assert_int_equal(dt_update(dst, sizeof(dst), src, &mm, NULL, 0, 0), 0);
	assert_string_equal(fdt_getprop(dst, fdt_path_offset(dst, "/chosen"), "bootargs", NULL), "old");
}

/* The loader's initrd replaces a stale one, as 64-bit values. */
static void test_dt_update_sets_initrd(void **state)
{
	const uint64_t start = 0x7b71c000ull, end = 0x7bbd7000ull;
	const void *p;
	int chosen, len;

	(void)state;
	build_tree(2, 1);
	two_banks();
	assert_int_equal(dt_update(dst, sizeof(dst), src, &mm, "x", start, end), 0);
	assert_int_equal(fdt_check_full(dst, fdt_totalsize(dst)), 0);
	chosen = fdt_path_offset(dst, "/chosen");
	for (int i = 0; i < 2; i++) {
		p = fdt_getprop(dst, chosen, i ? "linux,initrd-end" : "linux,initrd-start", &len);
		assert_non_null(p);
		assert_int_equal(len, sizeof(fdt64_t));
		assert_int_equal(be64_at(p, 0), i ? end : start);
	}
	/* A tree with no /chosen gets one holding the initrd. */
	build_tree(2, 0);
	assert_int_equal(dt_update(dst, sizeof(dst), src, &mm, NULL, start, end), 0);
	assert_non_null(fdt_getprop(dst, fdt_path_offset(dst, "/chosen"), "linux,initrd-end", NULL));
}

/* initrd=PATH: the first such word before "--", '/' made '\\'. */
static void test_bootargs_initrd(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(bootargs_initrd("initrd=\\initrd.img init=/bin/sh", out, sizeof(out)),
			 BOOTARGS_OK);
	assert_string_equal(out, "\\initrd.img");
	assert_int_equal(bootargs_initrd("  quiet  initrd=/boot/rd.img initrd=/x", out, sizeof(out)),
			 BOOTARGS_OK);
	assert_string_equal(out, "\\boot\\rd.img");
	/* None, empty, only after "--", a longer word that merely starts alike. */
	assert_int_equal(bootargs_initrd("selftest", out, sizeof(out)), BOOTARGS_EMPTY);
	assert_string_equal(out, "");
	assert_int_equal(bootargs_initrd("", out, sizeof(out)), BOOTARGS_EMPTY);
	assert_int_equal(bootargs_initrd("initrd= x", out, sizeof(out)), BOOTARGS_EMPTY);
	assert_int_equal(bootargs_initrd("init=/bin/cat -- initrd=/x", out, sizeof(out)),
			 BOOTARGS_EMPTY);
	assert_int_equal(bootargs_initrd("--x initrd=/y", out, sizeof(out)), BOOTARGS_OK);
	assert_string_equal(out, "\\y");
	assert_int_equal(bootargs_initrd("initrdx=/y", out, sizeof(out)), BOOTARGS_EMPTY);
	/* Exactly cap - 1 bytes fit; one more does not. */
	assert_int_equal(bootargs_initrd("initrd=123456789012345", out, sizeof(out)), BOOTARGS_OK);
	assert_int_equal(bootargs_initrd("initrd=1234567890123456", out, sizeof(out)),
			 BOOTARGS_TOO_LONG);
}

static void test_dt_update_adds_chosen_and_32bit_cells(void **state)
{
	const fdt32_t *reg;
	int len;

	(void)state;
	build_tree(1, 0);
	mm = (struct memmap_result){ .nram = 1 };
	mm.ram[0] = (struct mm_range){ RAM_BASE, 512 * MIB };
	assert_int_equal(dt_update(dst, sizeof(dst), src, &mm, "", 0, 0), 0);
	assert_string_equal(fdt_getprop(dst, fdt_path_offset(dst, "/chosen"), "bootargs", NULL), "");
	reg = fdt_getprop(dst, fdt_path_offset(dst, "/memory@40000000"), "reg", &len);
	assert_non_null(reg);
	assert_int_equal(len, 3 * sizeof(fdt32_t));	/* one address cell, two size cells */
	assert_int_equal(fdt32_ld(reg), RAM_BASE);
	/* RAM above 4 GiB does not fit one address cell. */
	two_banks();
	assert_true(dt_update(dst, sizeof(dst), src, &mm, "x", 0, 0) < 0);
}

static void test_dt_update_errors(void **state)
{
	(void)state;
	build_tree(2, 1);
	two_banks();
	assert_int_equal(dt_update(dst, fdt_totalsize(src) / 2, src, &mm, "x", 0, 0), -FDT_ERR_NOSPACE);
	mm.nram = 0;
	assert_true(dt_update(dst, sizeof(dst), src, &mm, "x", 0, 0) < 0);
	two_banks();
	memset(src, 0, sizeof(src));	/* not a tree */
	assert_int_equal(dt_update(dst, sizeof(dst), src, &mm, "x", 0, 0), -FDT_ERR_BADMAGIC);
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = malloc(BIG_TREE_BUF);

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	*len = fread(buf, 1, BIG_TREE_BUF, f);
	fclose(f);
	return buf;
}

/* QEMU's own tree: what EDK2 (acpi=off) hands the loader. */
static void test_dt_update_virt_tree(void **state)
{
	size_t len;
	void *virt = read_file(virt_dtb_path, &len);
	void *buf = malloc(BIG_TREE_BUF);
	const char *stdout_path;
	int chosen;

	(void)state;
	assert_non_null(virt);
	assert_non_null(buf);
	assert_int_equal(fdt_check_header(virt), 0);
	mm = (struct memmap_result){ .nram = 1, .nreserved = 1 };
	mm.ram[0] = (struct mm_range){ RAM_BASE, 1 * GIB };
	mm.reserved[0] = (struct mm_range){ 0x7c000000, 4 * MIB };
	assert_int_equal(dt_update(buf, fdt_totalsize(virt) + DT_UPDATE_EXTRA, virt, &mm, "selftest", 0, 0), 0);
	assert_int_equal(fdt_check_full(buf, fdt_totalsize(buf)), 0);
	assert_int_equal(count_memory_nodes(buf), 1);
	assert_true(fdt_path_offset(buf, "/memory@40000000") >= 0);
	assert_int_equal(fdt_num_mem_rsv(buf), fdt_num_mem_rsv(virt) + 1);
	chosen = fdt_path_offset(buf, "/chosen");
	assert_string_equal(fdt_getprop(buf, chosen, "bootargs", NULL), "selftest");
	stdout_path = fdt_getprop(buf, chosen, "stdout-path", NULL);
	assert_non_null(stdout_path);
	assert_string_equal(stdout_path, fdt_getprop(virt, fdt_path_offset(virt, "/chosen"),
						     "stdout-path", NULL));
	assert_true(fdt_node_offset_by_compatible(buf, -1, "arm,armv8-timer") >= 0);
	free(virt);
	free(buf);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmap_edk2_like),
		cmocka_unit_test(test_memmap_uboot_like),
		cmocka_unit_test(test_memmap_runtime_attribute),
		cmocka_unit_test(test_memmap_refuses),
		cmocka_unit_test(test_memmap_ram_cap),
		cmocka_unit_test(test_memmap_reserved_cap),
		cmocka_unit_test(test_bootargs_load_options),
		cmocka_unit_test(test_bootargs_load_options_refused),
		cmocka_unit_test(test_bootargs_text),
		cmocka_unit_test(test_dt_update_built_tree),
		cmocka_unit_test(test_dt_update_sets_initrd),
		cmocka_unit_test(test_bootargs_initrd),
		cmocka_unit_test(test_dt_update_adds_chosen_and_32bit_cells),
		cmocka_unit_test(test_dt_update_errors),
		cmocka_unit_test(test_dt_update_virt_tree),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s virt.dtb\n", argv[0]);
		return 2;
	}
	virt_dtb_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
