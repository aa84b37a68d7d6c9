/*
 * kernel/lib/libc/stdlib.h: the one stdlib function libfdt needs (strtoul), for
 * the freestanding kernel.
 */
#ifndef KERNEL_LIBC_STDLIB_H
#define KERNEL_LIBC_STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);

#endif
