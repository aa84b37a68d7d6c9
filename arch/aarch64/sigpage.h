/*
 * arch/aarch64/sigpage.h: the signal-return trampoline page (sigpage.c)
 * and where user space sees it: the first page of the gap between the
 * mmap area and the stack, which nothing else maps.
 */
#ifndef ARCH_AARCH64_SIGPAGE_H
#define ARCH_AARCH64_SIGPAGE_H

#include "kernel/lib/types.h"
#include "mm/layout.h"
#include "mm/uvm.h"

#define USER_SIGPAGE USER_MMAP_TOP

extern const uint32_t sigreturn_page[PAGE_SIZE / sizeof(uint32_t)];

#endif
