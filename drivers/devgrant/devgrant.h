/*
 * drivers/devgrant/devgrant.h: how a driver learns its device from its
 * grant and reaches it. A driver started for one device-tree node (by
 * drvmgr, or by a test) holds a grant of that node's reg ranges and
 * interrupts only; reading grant: lists them (kernel/scheme/scheme_grant.c):
 *     mem 0x<base> 0x<size>
 *     irq <number> edge|level
 *     right <name>
 * devgrant_parse reads that text (pure, host-tested in tests/host/test_pl031.c);
 * devgrant_load reads grant: itself, devgrant_map maps a range through
 * memory: (MAP_SHARED at offset BASE: device memory).
 */
#ifndef DRIVERS_DEVGRANT_H
#define DRIVERS_DEVGRANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEVGRANT_MAX 8	/* ranges or interrupts kept (one node has a few) */

struct devgrant {
	int nmem, nirq;
	struct { uint64_t base, size; } mem[DEVGRANT_MAX];
	struct { uint32_t irq; bool edge; } irq[DEVGRANT_MAX];
	bool clock;	/* "right clock": may set CLOCK_REALTIME */
};

/* Parses grant: text (NUL-terminated). 0, or -EINVAL for a malformed
 * line (unknown lines are skipped: newer kernels may add kinds); entries
 * past DEVGRANT_MAX are dropped. */
int devgrant_parse(const char *text, struct devgrant *out);

/* Narrows to node (and the clock right, if want_clock: kept only if held)
 * when node is not NULL, then reads and parses grant:. 0 or -errno. */
int devgrant_load(const char *node, bool want_clock, struct devgrant *out);

/* Maps [base, base + size) of device memory read-write; the mapping or
 * NULL (errno set). */
volatile uint32_t *devgrant_map(uint64_t base, uint64_t size);

#endif
