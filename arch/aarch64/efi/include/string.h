/*
 * arch/aarch64/efi/include/string.h: the string functions libfdt (built by
 * Debian for a C library) and the EFI loader use. memcpy and memset come
 * from gnu-efi's libefi; the rest from libc.c.
 */
#ifndef EFI_LIBC_STRING_H
#define EFI_LIBC_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

#endif
