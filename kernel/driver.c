/*
 * kernel/driver.c: matches the in-kernel driver registry against the device
 * tree (see driver.h). Runs at boot only, while libfdt may be called.
 */
#include "kernel/driver.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include <libfdt.h>

extern const struct kdriver __kdrivers_start[], __kdrivers_end[];

static bool driver_matches(const struct kdriver *d, int node)
{
	for (const char *const *c = d->compatible; *c; c++)
		if (fdt_node_check_compatible(dt_blob(), node, *c) == 0)
			return true;
	return false;
}

static int probe_one(const struct kdriver *d, int node)
{
	int err = d->probe(node);

	if (err)
		printk("driver: %s on %s failed (%d)\n", d->name, dt_node_name(node), err);
	return err;
}

int driver_probe_node(int node, enum driver_class class)
{
	for (const struct kdriver *d = __kdrivers_start; d < __kdrivers_end; d++)
		if (d->class == class && driver_matches(d, node))
			return probe_one(d, node);
	return -ENODEV;
}

int driver_probe_first(enum driver_class class)
{
	const void *fdt = dt_blob();

	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL))
		if (dt_node_enabled(node) && driver_probe_node(node, class) == 0)
			return 0;
	return -ENODEV;
}

int driver_probe_all(void)
{
	const void *fdt = dt_blob();
	int bound = 0;

	for (int class = DRIVER_IRQCHIP; class < DRIVER_CLASSES; class++) {
		for (int node = fdt_next_node(fdt, -1, NULL); node >= 0;
		     node = fdt_next_node(fdt, node, NULL)) {
			if (!dt_node_enabled(node))
				continue;
			if (driver_probe_node(node, class) == 0)
				bound++;
		}
	}
	return bound;
}
