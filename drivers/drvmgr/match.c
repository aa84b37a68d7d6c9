/*
 * drivers/drvmgr/match.c: device-tree nodes to drivers (see match.h).
 * Validates the blob, walks every node in tree order and, for each
 * enabled node the table has a driver for, fills a struct drvmatch from
 * kernel/fdt.c's queries: translated reg ranges and interrupt specifiers
 * with their controller and, for a GIC, the INTID.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "drivers/drvmgr/match.h"
#include "kernel/fdt.h"

#define PROP_COMPATIBLE "compatible"

/*
 * The GIC binding (Linux Documentation/devicetree/bindings/
 * interrupt-controller/arm,gic.yaml and arm,gic-v3.yaml): cell 0 is the
 * type, cell 1 the number within it. INTID ranges from the GIC
 * architecture (IHI 0048B 2.2.1 for v2; IHI 0069 2.2 for v3.1's
 * extended ranges).
 */
static const char *const gic_compatibles[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic",
	"arm,arm11mp-gic", "arm,arm1176jzf-devchip-gic", "arm,pl390", "arm,gic-v3",
};
#define NGIC_COMPATIBLES (sizeof(gic_compatibles) / sizeof(gic_compatibles[0]))
#define GIC_MIN_CELLS 2
#define GIC_CELL_TYPE 0
#define GIC_CELL_NUMBER 1

struct gic_range {
	uint32_t type;	/* the binding's first cell */
	uint32_t first_intid;
	uint32_t count;
};

static const struct gic_range gic_ranges[] = {
	{ 0, 32, 988 },		/* SPI: INTIDs 32-1019 */
	{ 1, 16, 16 },		/* PPI: INTIDs 16-31 */
	{ 2, 4096, 1024 },	/* extended SPI (v3.1): 4096-5119 */
	{ 3, 1056, 64 },	/* extended PPI (v3.1): 1056-1119 */
};
#define NGIC_RANGES (sizeof(gic_ranges) / sizeof(gic_ranges[0]))

static int fail(struct drvconf_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct drvconf_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		err->line = 0;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* The checks kernel/fdt.c's dt_setup makes, one message each. */
static int setup(const void *blob, size_t size, struct drvconf_error *err)
{
	int rc;

	if (blob == NULL || size < sizeof(struct fdt_header))
		return fail(err, "device tree: %zu bytes, shorter than its header", size);
	rc = fdt_check_header(blob);
	if (rc != 0)
		return fail(err, "device tree: bad header: %s", fdt_strerror(rc));
	if (fdt_totalsize(blob) > size)
		return fail(err, "device tree: truncated: header says %u bytes, have %zu",
			    fdt_totalsize(blob), size);
	if (dt_setup(blob, size) != 0)
		return fail(err, "device tree: structure is corrupt (fdt_check_full)");
	return 0;
}

static bool is_gic(int node)
{
	for (size_t i = 0; i < NGIC_COMPATIBLES; i++)
		if (fdt_node_check_compatible(dt_blob(), node, gic_compatibles[i]) == 0)
			return true;
	return false;
}

static int gic_intid(const struct drvmatch_irq *irq)
{
	uint32_t type = irq->cells[GIC_CELL_TYPE], n = irq->cells[GIC_CELL_NUMBER];

	if (irq->ncells < GIC_MIN_CELLS)
		return -EINVAL;
	for (size_t i = 0; i < NGIC_RANGES; i++)
		if (gic_ranges[i].type == type)
			return n < gic_ranges[i].count ? (int)(gic_ranges[i].first_intid + n)
						       : -EINVAL;
	return -EINVAL;
}

static int read_irqs(int node, struct drvmatch *m)
{
	int ctrl = -ENOENT;

	for (int i = 0;; i++) {
		uint32_t cells[DRVMATCH_MAX_IRQ_CELLS];
		int n = dt_irq(node, i, cells, DRVMATCH_MAX_IRQ_CELLS);
		struct drvmatch_irq *irq;
		const char *compat;

		if (n == -ENOENT)
			return 0;	/* the end, or no interrupts at all */
		if (n < 0)
			return n;
		if (i == DRVMATCH_MAX_IRQS)
			return -ENOSPC;
		if (ctrl == -ENOENT)
			ctrl = dt_interrupt_parent(node);	/* dt_irq found it already */
		irq = &m->irq[i];
		*irq = (struct drvmatch_irq){ .ncells = n, .intid = DRVMATCH_NO_INTID };
		memcpy(irq->cells, cells, (size_t)n * sizeof(cells[0]));
		irq->ctrl_phandle = fdt_get_phandle(dt_blob(), ctrl);
		compat = dt_prop_str(ctrl, PROP_COMPATIBLE);
		if (compat != NULL)
			snprintf(irq->ctrl_compat, sizeof(irq->ctrl_compat), "%s", compat);
		if (is_gic(ctrl)) {
			irq->intid = gic_intid(irq);
			if (irq->intid < 0)
				return irq->intid;
		}
		m->nirqs = i + 1;
	}
}

static int read_regs(int node, struct drvmatch *m)
{
	for (int i = 0;; i++) {
		uint64_t base, size;
		int rc = dt_reg(node, i, &base, &size);

		if (rc == -ENOENT)
			return 0;
		if (rc < 0)
			return rc;
		if (i == DRVMATCH_MAX_REGS)
			return -ENOSPC;
		m->reg[i] = (struct drvmatch_reg){ .base = base, .size = size };
		m->nregs = i + 1;
	}
}

/* The driver for node's earliest known compatible; NULL if none. */
static const struct drvconf_entry *driver_for(const struct drvconf *conf, int node,
					      const char **matched)
{
	int n = fdt_stringlist_count(dt_blob(), node, PROP_COMPATIBLE);

	for (int i = 0; i < n; i++) {
		const char *c = fdt_stringlist_get(dt_blob(), node, PROP_COMPATIBLE, i, NULL);
		const struct drvconf_entry *e = c != NULL ? drvconf_lookup(conf, c) : NULL;

		if (e == NULL)
			continue;
		for (int j = 0; j < e->ncompat; j++)
			if (strcmp(e->compat[j], c) == 0)
				*matched = e->compat[j];
		return e;
	}
	return NULL;
}

static void fill(int node, const struct drvconf_entry *e, const char *compat,
		 struct drvmatch *m)
{
	int rc;

	*m = (struct drvmatch){ .driver = e, .compatible = compat };
	rc = fdt_get_path(dt_blob(), node, m->path, sizeof(m->path));
	if (rc != 0) {
		m->error = rc == -FDT_ERR_NOSPACE ? -ENAMETOOLONG : -EINVAL;
		return;
	}
	m->error = read_regs(node, m);
	if (m->error == 0)
		m->error = read_irqs(node, m);
}

int drvmatch_scan(const void *blob, size_t size, const struct drvconf *conf,
		  struct drvmatch *out, int max, struct drvconf_error *err)
{
	int count = 0, depth = 0;
	int rc = setup(blob, size, err);

	if (rc)
		return rc;
	for (int node = 0; node >= 0; node = fdt_next_node(dt_blob(), node, &depth)) {
		const char *compat = NULL;
		const struct drvconf_entry *e = driver_for(conf, node, &compat);

		if (e == NULL || !dt_node_enabled(node))
			continue;
		if (count == max)
			return -ENOSPC;
		fill(node, e, compat, &out[count++]);
	}
	return count;
}
