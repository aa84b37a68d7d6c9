/*
 * kernel/lib/libc/string.h: the C string functions the kernel and libfdt use.
 * The kernel is freestanding, so it supplies these itself (kernel/lib/libc/string.c).
 */
#ifndef KERNEL_LIBC_STRING_H
#define KERNEL_LIBC_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strcpy(char *dst, const char *src);

#endif
