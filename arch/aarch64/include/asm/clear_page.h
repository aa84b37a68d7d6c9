/*
 * asm/clear_page.h: zeroing whole pages (arch/aarch64/clear_page.c), for the
 * frame allocator's zeroed frames (new page tables and user pages) and its
 * metadata at boot.
 */
#ifndef ASM_CLEAR_PAGE_H
#define ASM_CLEAR_PAGE_H

#include <stddef.h>

/* Zeroes the page-aligned, page-sized block of Normal memory at va. The
 * zeroes are visible to the table walker and other CPUs before any later
 * store (a descriptor that publishes the page): DSB ISHST at the end. */
void clear_page(void *va);
/* The same for bytes (a multiple of PAGE_SIZE) from the page-aligned va. */
void clear_pages(void *va, size_t bytes);

#endif
