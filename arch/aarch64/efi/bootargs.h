/*
 * arch/aarch64/efi/bootargs.h: the kernel command line the EFI loader puts
 * in /chosen/bootargs, from the loader's UEFI LoadOptions or from the text
 * of cmdline.txt. Pure C without UEFI, so the host tests run it as is.
 *
 * Which source wins is main.c's choice (documented there): LoadOptions
 * when they hold text, else cmdline.txt, else the tree's own bootargs.
 */
#ifndef EFI_BOOTARGS_H
#define EFI_BOOTARGS_H

#include <stddef.h>
#include <stdint.h>

#define BOOTARGS_MAX 1024	/* bytes with the NUL: the kernel's CMDLINE_MAX */

enum bootargs_status {
	BOOTARGS_OK,		/* out holds a non-empty command line */
	BOOTARGS_EMPTY,		/* nothing to pass (out is "") */
	BOOTARGS_NOT_TEXT,	/* not printable ASCII: ignore the source */
	BOOTARGS_TOO_LONG,	/* does not fit BOOTARGS_MAX */
};

/*
 * LoadOptions are UCS-2 text from the UEFI shell ("\EFI\BOOT\BOOTAA64.EFI
 * selftest": the first word, the loader's own path, ending in ".efi", is
 * dropped), from a boot entry, or from u-boot's bootargs; firmware may also
 * pass binary data (EDK2's own entries carry a GUID), which is refused as
 * BOOTARGS_NOT_TEXT. size is in bytes; a NUL ends the text early.
 */
enum bootargs_status bootargs_from_ucs2(const uint16_t *opts, size_t size, char *out, size_t cap);

/*
 * The text of cmdline.txt: line breaks and tabs become spaces, leading and
 * trailing blanks go; anything else outside printable ASCII is refused.
 */
enum bootargs_status bootargs_from_text(const char *text, size_t len, char *out, size_t cap);

const char *bootargs_status_str(enum bootargs_status status);

#define BOOTARGS_INITRD "initrd="	/* the word that names an initrd file */
#define BOOTARGS_END_OF_OPTIONS "--"	/* words after it are the program's */

/*
 * The file named by the first "initrd=PATH" word of the command line
 * (before a standalone "--", whose words are the main program's), as the
 * Linux EFI stub takes it: PATH on the loader's volume, '/' or '\'
 * separated. Copies PATH to out with every '/' turned into '\' (UEFI's
 * separator). Returns BOOTARGS_OK, BOOTARGS_EMPTY (no such word, or
 * "initrd=" with nothing after it: out is "") or BOOTARGS_TOO_LONG.
 */
enum bootargs_status bootargs_initrd(const char *cmdline, char *out, size_t cap);

#endif
