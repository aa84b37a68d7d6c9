/*
 * tests/host/ramfs_testmem.h: the memory callbacks of drivers/ramfs for
 * host tests (ramfs_testmem.c): metadata from calloc, reservations from
 * mmap, a page budget, a clock that ticks once a call, and failure
 * injection: the Nth allocation or page commit from now fails.
 */
#ifndef TESTS_HOST_RAMFS_TESTMEM_H
#define TESTS_HOST_RAMFS_TESTMEM_H

#include "drivers/ramfs/ramfs.h"

struct testmem {
	long fail_at;           /* allocations and commits until one fails (-1: never) */
	long failed;            /* failures injected */
	long live;              /* metadata blocks alive */
	int64_t clock;          /* seconds of the fake clock */
};

extern struct testmem testmem;

/* Callbacks with budget_pages pages. */
struct ramfs_mem testmem_ops(uint64_t budget_pages);
/* A new tree, its root 0755 and owned by root. */
void testmem_fs(struct ramfs *fs, uint64_t budget_pages);

#endif
