/*
 * arch/aarch64/efi/include/stdlib.h: the one stdlib function libfdt needs,
 * for the freestanding EFI loader (libc.c).
 */
#ifndef EFI_LIBC_STDLIB_H
#define EFI_LIBC_STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);

#endif
