/*
 * arch/aarch64/efi/main.c: efi_main of BOOTAA64.EFI, the UEFI loader of
 * Anode. It owns the order of the boot and the choice of command line:
 *
 *   kernel       \kernel.img on the loader's own volume (kernel.c)
 *   device tree  \anode.dtb on that volume if present, else the firmware's
 *                (UEFI configuration table, DEVICE_TREE_GUID) (tree.c)
 *   command line the loader's LoadOptions when they are text (UEFI shell
 *                arguments, a boot entry's data, u-boot's $bootargs; a first
 *                word ending in ".efi" is the loader's own path and dropped),
 *                else the text of \cmdline.txt, else the tree's own bootargs
 *   initrd       the file its "initrd=PATH" word names (as Linux's EFI stub
 *                takes it), in /chosen/linux,initrd-start|end (initrd.c)
 *   memory       the UEFI memory map at ExitBootServices (exit.c, memmap.c)
 *
 * Then exit.c exits boot services and enter.S turns the MMU and caches off
 * and jumps to the image with x0 = device tree. Any failure before
 * ExitBootServices is printed on the UEFI console and returned to the
 * firmware, with what was allocated given back.
 */
#include <efi.h>
#include <efilib.h>
#include <libfdt.h>
#include "bootargs.h"
#include "exit.h"
#include "file.h"
#include "initrd.h"
#include "kernel.h"
#include "tree.h"

#define CMDLINE_FILE L"\\cmdline.txt"
/* cmdline.txt may be a little larger than the line (blanks, line ends). */
#define CMDLINE_FILE_MAX (4 * BOOTARGS_MAX)
#define CURRENTEL_SHIFT 2
#define KEEP_TREE_ARGS L"the device tree (kept)"

static char bootargs_buf[BOOTARGS_MAX];

static unsigned current_el(void)
{
	UINT64 el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	return (unsigned)(el >> CURRENTEL_SHIFT);
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
	/* Binary LoadOptions are normal (EDK2's own boot entries): no word. */
	if (bs == BOOTARGS_TOO_LONG)
		Print(L"anode-efi: LoadOptions ignored: %a\n", bootargs_status_str(bs));

	*origin = KEEP_TREE_ARGS;
	st = file_load(root, CMDLINE_FILE, CMDLINE_FILE_MAX, &text, &size);
	if (st == EFI_NOT_FOUND)
		return NULL;
	if (EFI_ERROR(st)) {
		Print(L"anode-efi: %s ignored: %r\n", CMDLINE_FILE, st);
		return NULL;
	}
	bs = bootargs_from_text(text, size, bootargs_buf, sizeof(bootargs_buf));
	FreePool(text);
	if (bs != BOOTARGS_OK && bs != BOOTARGS_EMPTY) {
		Print(L"anode-efi: %s ignored: %a\n", CMDLINE_FILE, bootargs_status_str(bs));
		return NULL;
	}
	*origin = CMDLINE_FILE;
	return bootargs_buf;
}

/* The initrd the command line names, if any: 0 or why not (printed). */
static EFI_STATUS load_initrd(EFI_FILE_HANDLE root, const char *bootargs, struct initrd *rd)
{
	char path[BOOTARGS_MAX];
	enum bootargs_status bs;

	*rd = (struct initrd){ 0 };
	if (bootargs == NULL)
		return EFI_SUCCESS;
	bs = bootargs_initrd(bootargs, path, sizeof(path));
	if (bs == BOOTARGS_EMPTY)
		return EFI_SUCCESS;
	if (bs != BOOTARGS_OK) {
		Print(L"anode-efi: cannot use %a: %a\n", BOOTARGS_INITRD, bootargs_status_str(bs));
		return EFI_INVALID_PARAMETER;
	}
	return initrd_load(root, path, rd);
}

static void report(const struct kernel *k, const struct dtree *dt, const char *bootargs,
		   const CHAR16 *args_origin)
{
	Print(L"anode-efi: %s: %lu bytes (image_size %lu) at %lx\n", KERNEL_FILE, k->file_size,
	      k->image_size, k->entry);
	Print(L"anode-efi: device tree from %s, %u bytes\n", dt->origin, fdt_totalsize(dt->src));
	if (bootargs)
		Print(L"anode-efi: command line from %s: \"%a\"\n", args_origin, bootargs);
	else
		Print(L"anode-efi: command line from %s\n", args_origin);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *loaded;
	EFI_FILE_HANDLE root;
	struct kernel k;
	struct dtree dt;
	struct initrd rd;
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
	if (EFI_ERROR(st)) {
		root->Close(root);
		return st;
	}
	st = tree_find(root, &dt);
	if (EFI_ERROR(st)) {
		tree_free(&dt);
		kernel_free(&k);
		root->Close(root);
		return st;
	}
	bootargs = choose_bootargs(loaded, root, &args_origin);
	/* An initrd asked for and not loadable stops the boot, as a kernel does. */
	st = load_initrd(root, bootargs, &rd);
	root->Close(root);
	if (EFI_ERROR(st)) {
		tree_free(&dt);
		kernel_free(&k);
		return st;
	}
	report(&k, &dt, bootargs, args_origin);

	st = exit_and_start(image, &k, &dt, bootargs, &rd);
	/* Back here only on failure; if ExitBootServices ran, the console may be gone. */
	initrd_free(&rd);
	tree_free(&dt);
	kernel_free(&k);
	return st;
}
