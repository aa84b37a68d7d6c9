/*
 * kernel/ksyms.h: the kernel's own symbol table, embedded at build time by
 * tools/ksyms.py, so panics name functions and offsets.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include "kernel/lib/types.h"

/* The function containing addr, and addr's offset into it; NULL if none. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
/* The address of a function by name, or 0. */
uint64_t ksym_address(const char *name);

#endif
