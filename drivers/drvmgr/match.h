/*
 * drivers/drvmgr/match.h: which driver each device-tree node gets, and
 * the resources the driver's grant must name. Given a flattened device
 * tree blob (drvmgr reads it from sys:fdt) and the parsed
 * /etc/drivers.conf (drvconf.h), drvmatch_scan walks every enabled node
 * (status absent, "okay" or "ok"), picks the driver for the earliest
 * entry of its compatible list that the table knows (as Linux's
 * of_match_node prefers the most specific compatible), and reads the
 * node's reg ranges as CPU physical addresses (through every parent
 * bus's "ranges", honouring #address-cells/#size-cells) and its
 * interrupts (raw cells, the controller found through interrupt-parent,
 * and the GIC INTID where the controller is a GIC).
 *
 * The tree queries are kernel/fdt.c's (the same libfdt code the kernel
 * boots with, pure and user-space safe), so the blob becomes that file's
 * one tree: drvmgr scans one tree at a time.
 */
#ifndef DRIVERS_DRVMGR_MATCH_H
#define DRIVERS_DRVMGR_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/drvmgr/drvconf.h"

#define DRVMATCH_MAX_REGS 4
#define DRVMATCH_MAX_IRQS 4
#define DRVMATCH_MAX_IRQ_CELLS 4
#define DRVMATCH_PATH_MAX 256
#define DRVMATCH_NO_INTID (-1)

struct drvmatch_reg {
	uint64_t base;	/* CPU physical */
	uint64_t size;
};

struct drvmatch_irq {
	uint32_t ctrl_phandle;	/* the interrupt controller's phandle, 0 if none */
	char ctrl_compat[DRVCONF_WORD_MAX];	/* its first compatible, "" if none */
	int ncells;
	uint32_t cells[DRVMATCH_MAX_IRQ_CELLS];	/* as in "interrupts" */
	/* GIC INTID (SPI n = 32 + n, PPI n = 16 + n), or DRVMATCH_NO_INTID. */
	int intid;
};

struct drvmatch {
	char path[DRVMATCH_PATH_MAX];	/* "/pl011@9000000" */
	const struct drvconf_entry *driver;
	const char *compatible;	/* the one that matched: driver->compat[] */
	/*
	 * 0, or why the node's resources could not be read (-EINVAL for a
	 * malformed reg or interrupts, -ERANGE for a reg outside its bus's
	 * ranges, -ENOSPC past the limits above...). drvmgr logs such a
	 * node and does not start its driver; the other nodes are unaffected.
	 */
	int error;
	int nregs;
	struct drvmatch_reg reg[DRVMATCH_MAX_REGS];
	int nirqs;
	struct drvmatch_irq irq[DRVMATCH_MAX_IRQS];
};

/*
 * Scan the blob (size bytes readable at blob). Returns the number of
 * matches written to out, in tree order; -EINVAL with err->msg saying why
 * for a blob that is not a valid tree (bad header, truncated,
 * structure corrupt): nothing is scanned then; -ENOSPC if more than max
 * nodes match. err may be NULL.
 */
int drvmatch_scan(const void *blob, size_t size, const struct drvconf *conf,
		  struct drvmatch *out, int max, struct drvconf_error *err);

#endif
