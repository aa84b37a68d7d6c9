/*
 * kernel/boot.h: facts gathered at boot, kept for the rest of the kernel
 * (sys: files, self-tests). Written by kmain on the boot CPU only.
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include "kernel/lib/types.h"
#include "mm/ranges.h"

#define BOOT_MAX_RAM 8

struct boot_info {
	paddr_t dtb_pa;
	size_t dtb_size;
	struct mem_range ram[BOOT_MAX_RAM];
	int nram;
	uint64_t kmain_count; /* CNTVCT_EL0 on entering kmain */
};

extern struct boot_info boot_info;

#endif
