/*
 * arch/aarch64/efi/memmap.h: turns the UEFI memory map handed over at
 * ExitBootServices into what the kernel reads from the device tree: RAM
 * ranges for /memory and reserved ranges for /memreserve/. Pure C without
 * UEFI headers (the descriptor layout is fixed by the UEFI spec), so the
 * host tests run it as is.
 *
 * RAM is every write-back cacheable descriptor that is not MMIO, merged
 * where descriptors touch. Usable RAM is EfiConventionalMemory,
 * EfiBootServicesCode/Data and EfiLoaderCode/Data without the RUNTIME
 * attribute; the rest of RAM (runtime services, ACPI, reserved, persistent,
 * ...) is reserved, so the firmware's runtime regions stay out of the
 * kernel's allocator while its physmap still covers them.
 */
#ifndef EFI_MEMMAP_H
#define EFI_MEMMAP_H

#include <stdint.h>

/* UEFI memory types (UEFI spec 2.10, EFI_MEMORY_TYPE). */
#define EFI_MT_RESERVED 0
#define EFI_MT_LOADER_CODE 1
#define EFI_MT_LOADER_DATA 2
#define EFI_MT_BOOT_SERVICES_CODE 3
#define EFI_MT_BOOT_SERVICES_DATA 4
#define EFI_MT_RUNTIME_SERVICES_CODE 5
#define EFI_MT_RUNTIME_SERVICES_DATA 6
#define EFI_MT_CONVENTIONAL 7
#define EFI_MT_UNUSABLE 8
#define EFI_MT_ACPI_RECLAIM 9
#define EFI_MT_ACPI_NVS 10
#define EFI_MT_MMIO 11
#define EFI_MT_MMIO_PORT_SPACE 12

/* Memory attributes. */
#define EFI_MA_WB (UINT64_C(1) << 3)
#define EFI_MA_RUNTIME (UINT64_C(1) << 63)

#define EFI_MM_PAGE_SIZE UINT64_C(4096)	/* UEFI pages are always 4 KiB */

/* EFI_MEMORY_DESCRIPTOR; firmware may append fields (use desc_size). */
struct efi_mem_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t pages;
	uint64_t attr;
};

/*
 * Most RAM ranges handed on: the kernel keeps 8 (BOOT_MAX_RAM in
 * kernel/boot.h) and panics on more. Beyond that the smallest are dropped.
 */
#define MEMMAP_RAM_MAX 8
/*
 * Most reserved ranges handed on: the kernel takes 32 in all (MAX_RESERVED in
 * kernel/main.c), some for itself, the tree, an initrd and /reserved-memory.
 * Beyond that the two closest are merged, reserving the RAM between them.
 */
#define MEMMAP_RESERVED_MAX 16

struct mm_range {
	uint64_t base;
	uint64_t size;
};

struct memmap_result {
	struct mm_range ram[MEMMAP_RAM_MAX];
	int nram;
	struct mm_range reserved[MEMMAP_RESERVED_MAX];
	int nreserved;
};

/*
 * Converts map_size bytes of descriptors, desc_size bytes apart, in any
 * order. Returns 0, or -1 if desc_size is too small or unaligned or the map
 * has no RAM. Does not call the firmware: safe between GetMemoryMap and
 * ExitBootServices.
 */
int memmap_convert(const void *map, uint64_t map_size, uint64_t desc_size,
		   struct memmap_result *out);

#endif
