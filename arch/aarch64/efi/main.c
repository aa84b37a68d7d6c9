/*
 * arch/aarch64/efi/main.c: efi_main of BOOTAA64.EFI, the UEFI loader of
 * Anode. It owns the order of the boot and where each input comes from:
 *
 *   kernel       \kernel.img on the loader's own volume (kernel.c)
 *   device tree  \anode.dtb on that volume if present, else the firmware's
 *                (UEFI configuration table, DEVICE_TREE_GUID)
 *   command line the loader's LoadOptions when they are text (UEFI shell
 *                arguments, a boot entry's data, u-boot's $bootargs; a first
 *                word ending in ".efi" is the loader's own path and dropped),
 *                else the text of \cmdline.txt, else the tree's own bootargs
 *   memory       the UEFI memory map at ExitBootServices (memmap.c)
 *
 * Then ExitBootServices, and enter.S turns the MMU and caches off and jumps
 * to the image with x0 = device tree. Any failure before ExitBootServices is
 * printed on the UEFI console and returned to the firmware.
 */
#include <efi.h>
#include <efilib.h>
#include <libfdt.h>
#include "bootargs.h"
#include "dt_update.h"
#include "file.h"
#include "kernel.h"
#include "memmap.h"

#define DTB_FILE L"\\anode.dtb"
#define CMDLINE_FILE L"\\cmdline.txt"
/* cmdline.txt may be a little larger than the line (blanks, line ends). */
#define CMDLINE_FILE_MAX (4 * BOOTARGS_MAX)
/* ExitBootServices fails while the map changes under us: try this often. */
#define EXIT_TRIES 8
/* Descriptors of room beyond the map's size, for what changes meanwhile. */
#define MEMMAP_SLACK_DESCS 32
#define CURRENTEL_SHIFT 2

void efi_enter_kernel(UINT64 entry, UINT64 dtb, UINT64 image, UINT64 image_size,
		      UINT64 dtb_size) __attribute__((noreturn));

static EFI_GUID dtb_table_guid = EFI_DTB_TABLE_GUID;
static char bootargs_buf[BOOTARGS_MAX];

struct dtree {
	const void *src;	/* the tree as found */
	void *file;		/* pool copy of anode.dtb, or NULL */
	const CHAR16 *origin;
	EFI_PHYSICAL_ADDRESS buf;	/* the tree the kernel gets */
	UINTN pages;
};

static unsigned current_el(void)
{
	UINT64 el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	return (unsigned)(el >> CURRENTEL_SHIFT);
}

static const void *firmware_tree(void)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
		if (CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &dtb_table_guid) == 0)
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}

/* anode.dtb if the volume has one, else the firmware's tree. */
static EFI_STATUS find_tree(EFI_FILE_HANDLE root, struct dtree *dt)
{
	UINT64 size;
	EFI_STATUS st = file_load(root, DTB_FILE, DT_MAX_SIZE, &dt->file, &size);
	int err;

	if (st == EFI_SUCCESS) {
		dt->src = dt->file;
		dt->origin = DTB_FILE;
		err = fdt_check_header(dt->src);
		if (!err && fdt_totalsize(dt->src) > size)
			err = -FDT_ERR_TRUNCATED;
	} else if (st == EFI_NOT_FOUND) {
		dt->src = firmware_tree();
		dt->origin = L"the firmware (UEFI configuration table)";
		if (dt->src == NULL) {
			Print(L"anode-efi: no device tree: the firmware provides none and there is no %s"
			      L" beside %s (QEMU virt: -M virt,acpi=off makes EDK2 provide one)\n",
			      DTB_FILE, KERNEL_FILE);
			return EFI_NOT_FOUND;
		}
		err = fdt_check_header(dt->src);
	} else {
		Print(L"anode-efi: cannot read %s: %r\n", DTB_FILE, st);
		return st;
	}
	if (err) {
		Print(L"anode-efi: device tree from %s refused: %a\n", dt->origin, fdt_strerror(err));
		return EFI_LOAD_ERROR;
	}
	if (fdt_totalsize(dt->src) > DT_MAX_SIZE - DT_UPDATE_EXTRA) {
		Print(L"anode-efi: device tree from %s is over %u KiB\n", dt->origin,
		      (DT_MAX_SIZE - DT_UPDATE_EXTRA) / 1024);
		return EFI_LOAD_ERROR;
	}
	dt->pages = EFI_SIZE_TO_PAGES(fdt_totalsize(dt->src) + DT_UPDATE_EXTRA);
	st = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, dt->pages, &dt->buf);
	if (EFI_ERROR(st)) {
		dt->buf = 0;
		Print(L"anode-efi: no memory for the device tree: %r\n", st);
	}
	return st;
}

static void free_tree(struct dtree *dt)
{
	if (dt->buf)
		BS->FreePages(dt->buf, dt->pages);
	if (dt->file)
		FreePool(dt->file);
	dt->buf = 0;
	dt->file = NULL;
}

/* The command line for /chosen/bootargs, or NULL to keep the tree's. */
static const char *choose_bootargs(EFI_LOADED_IMAGE *loaded, EFI_FILE_HANDLE root,
				   const CHAR16 **origin)
{
	enum bootargs_status bs;
	void *text;
	UINT64 size;
	EFI_STATUS st;

	bs = bootargs_from_ucs2(loaded->LoadOptions, loaded->LoadOptionsSize, bootargs_buf,
				sizeof(bootargs_buf));
	if (bs == BOOTARGS_OK) {
		*origin = L"the loader's LoadOptions";
		return bootargs_buf;
	}
	if (bs == BOOTARGS_TOO_LONG)
		Print(L"anode-efi: LoadOptions ignored: %a\n", bootargs_status_str(bs));

	st = file_load(root, CMDLINE_FILE, CMDLINE_FILE_MAX, &text, &size);
	if (st == EFI_NOT_FOUND) {
		*origin = L"the device tree (kept)";
		return NULL;
	}
	if (EFI_ERROR(st)) {
		Print(L"anode-efi: %s ignored: %r\n", CMDLINE_FILE, st);
		*origin = L"the device tree (kept)";
		return NULL;
	}
	bs = bootargs_from_text(text, size, bootargs_buf, sizeof(bootargs_buf));
	FreePool(text);
	if (bs == BOOTARGS_OK || bs == BOOTARGS_EMPTY) {
		*origin = CMDLINE_FILE;
		return bootargs_buf;
	}
	Print(L"anode-efi: %s ignored: %a\n", CMDLINE_FILE, bootargs_status_str(bs));
	*origin = L"the device tree (kept)";
	return NULL;
}

/*
 * Gets the memory map, writes it into the tree and exits boot services,
 * again with a fresh map while the firmware says the map changed. Nothing
 * between GetMemoryMap and ExitBootServices calls the firmware; errors are
 * printed only before the first ExitBootServices call.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct dtree *dt, const char *bootargs)
{
	struct memmap_result mm;
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN size = 0, cap, key, desc_size;
	UINT32 desc_version;
	EFI_STATUS st;
	int err;

	st = BS->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_version);
	if (st != EFI_BUFFER_TOO_SMALL) {
		Print(L"anode-efi: cannot size the memory map: %r\n", st);
		return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
	}
	cap = size + MEMMAP_SLACK_DESCS * desc_size;
	map = AllocatePool(cap);
	if (map == NULL) {
		Print(L"anode-efi: no memory for the memory map\n");
		return EFI_OUT_OF_RESOURCES;
	}
	for (int try = 0; try < EXIT_TRIES; try++) {
		size = cap;
		st = BS->GetMemoryMap(&size, map, &key, &desc_size, &desc_version);
		if (EFI_ERROR(st))
			break;
		if (memmap_convert(map, size, desc_size, &mm)) {
			st = EFI_LOAD_ERROR;
			if (try == 0)
				Print(L"anode-efi: the memory map has no usable RAM\n");
			break;
		}
		err = dt_update((void *)dt->buf, dt->pages * EFI_PAGE_SIZE, dt->src, &mm, bootargs);
		if (err) {
			st = EFI_LOAD_ERROR;
			if (try == 0)
				Print(L"anode-efi: cannot update the device tree: %a\n", fdt_strerror(err));
			break;
		}
		st = BS->ExitBootServices(image, key);
		if (st != EFI_INVALID_PARAMETER)
			break;
	}
	if (st == EFI_SUCCESS)
		return st;
	if (st == EFI_INVALID_PARAMETER)
		st = EFI_ABORTED;	/* the map kept changing */
	/* After a failed ExitBootServices only memory services may be called. */
	FreePool(map);
	return st;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *loaded;
	EFI_FILE_HANDLE root;
	struct kernel k;
	struct dtree dt = { 0 };
	const CHAR16 *args_origin;
	const char *bootargs;
	EFI_STATUS st;

	InitializeLib(image, systab);
	Print(L"anode-efi: Anode's UEFI loader, at EL%u\n", current_el());
	st = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded);
	if (EFI_ERROR(st)) {
		Print(L"anode-efi: no LoadedImage protocol: %r\n", st);
		return st;
	}
	st = file_open_volume(loaded, &root);
	if (EFI_ERROR(st)) {
		Print(L"anode-efi: cannot open the loader's volume (no Simple File System)\n");
		return st;
	}
	st = kernel_load(root, &k);
	if (EFI_ERROR(st))
		goto close_root;
	st = find_tree(root, &dt);
	if (EFI_ERROR(st))
		goto free_all;
	bootargs = choose_bootargs(loaded, root, &args_origin);
	root->Close(root);

	Print(L"anode-efi: %s: %lu bytes (image_size %lu) at %lx\n", KERNEL_FILE, k.file_size,
	      k.image_size, k.entry);
	Print(L"anode-efi: device tree from %s, %u bytes\n", dt.origin, fdt_totalsize(dt.src));
	if (bootargs)
		Print(L"anode-efi: command line from %s: \"%a\"\n", args_origin, bootargs);
	else
		Print(L"anode-efi: command line from %s\n", args_origin);
	Print(L"anode-efi: exiting boot services and starting the kernel\n");

	st = exit_boot_services(image, &dt, bootargs);
	if (st == EFI_SUCCESS)
		efi_enter_kernel(k.entry, dt.buf, k.entry, k.image_size, fdt_totalsize((void *)dt.buf));
	Print(L"anode-efi: cannot exit boot services: %r\n", st);
	free_tree(&dt);
	kernel_free(&k);
	return st;

free_all:
	free_tree(&dt);
	kernel_free(&k);
close_root:
	root->Close(root);
	return st;
}
