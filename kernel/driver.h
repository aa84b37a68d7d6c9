/*
 * kernel/driver.h: the registry of in-kernel drivers. Each declares the
 * device-tree compatible strings it handles; at boot, driver_probe_all()
 * matches them against the tree's enabled nodes, class by class, so that
 * interrupt controllers exist before the devices that need them.
 * (User-space drivers are daemons in drivers/ and are not listed here.)
 */
#ifndef KERNEL_DRIVER_H
#define KERNEL_DRIVER_H

#include "kernel/lib/types.h"

enum driver_class {
	DRIVER_CONSOLE,  /* probed only for /chosen/stdout-path */
	DRIVER_IRQCHIP,
	DRIVER_TIMER,
	DRIVER_POWER,
	DRIVER_CLASSES
};

struct kdriver {
	const char *name;
	enum driver_class class;
	const char *const *compatible; /* NULL-terminated */
	int (*probe)(int node);        /* node: device-tree offset; 0 or -errno */
};

/* Declares a driver; the linker gathers them in .kdrivers. */
#define KDRIVER(sym) \
	static const struct kdriver sym __attribute__((used, section(".kdrivers"), aligned(8)))

/* Probes the first driver of the class matching node; -ENODEV if none does. */
int driver_probe_node(int node, enum driver_class class);
/* Probes the first enabled node, in tree order, that a driver of the class
 * handles; 0, or -ENODEV if none does. */
int driver_probe_first(enum driver_class class);
/* Probes every enabled node for every class but DRIVER_CONSOLE; returns the
 * number of devices bound. */
int driver_probe_all(void);
/* Whether an in-kernel driver is bound to node (its resources are the
 * kernel's: kernel/scheme/grant_dt.c keeps them out of every grant). The
 * console's node is not: the kernel hands it over (kernel/console.h). */
bool driver_node_bound(int node);

#endif
