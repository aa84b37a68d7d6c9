/*
 * kernel/lib/format.h: the kernel's freestanding printf engine. It formats into
 * a caller-supplied buffer only; console and log output are built on top of
 * it elsewhere, so this module has no notion of devices or locks.
 */
#ifndef KERNEL_FORMAT_H
#define KERNEL_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#include "kernel/lib/types.h"

/*
 * C99 snprintf semantics: at most size - 1 characters are stored, the
 * result is always NUL-terminated when size > 0, and the return value is
 * the length the full output would have had (so ret >= size means it was
 * truncated). buf may be NULL when size is 0. Returns -EOVERFLOW if that
 * length does not fit in an int.
 *
 * Supported: flags "-0+ #", width and precision (digits or '*'), length
 * modifiers hh h l ll z t j, conversions d i u x X o c s p %.
 * Deliberate choices, all matching glibc except the last two:
 *  - %s with a NULL pointer prints "(null)" (precision still truncates it);
 *  - %p prints a non-NULL pointer as "0x" plus lowercase hex with no
 *    leading zeros (i.e. like %#lx), honouring width and '-'; a NULL
 *    pointer prints "(nil)";
 *  - length modifiers on %c and %s are ignored (no wide characters);
 *  - an unknown conversion, %n included, is copied to the output
 *    literally (the whole "%...X" sequence), so a bad format is visible
 *    rather than silently eaten; a lone '%' at the end is printed as is.
 * There is no floating point: the kernel is built -mgeneral-regs-only.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
