/*
 * kernel/printk.h: the kernel's formatted log. Every line goes to the kernel
 * log buffer and to the console.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include "kernel/lib/types.h"

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#endif
