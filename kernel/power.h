/*
 * kernel/power.h: powering the machine off or resetting it. The PSCI driver
 * (arch/aarch64/dev/psci.c) provides the method; without one (entered at
 * EL3, where no firmware answers PSCI) the kernel says so and halts.
 */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include "kernel/lib/types.h"

struct power_ops {
	const char *name;
	void (*off)(void);
	void (*reset)(void);
};

void power_register(const struct power_ops *ops);
__noreturn void power_off(void);
__noreturn void power_reset(void);

#endif
