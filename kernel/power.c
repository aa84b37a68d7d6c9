/*
 * kernel/power.c: power off and reset (see power.h).
 */
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

static const struct power_ops *power; /* set once at boot */

void power_register(const struct power_ops *ops)
{
	power = ops;
}

void power_off(void)
{
	if (power && power->off) {
		printk("power: off through %s\n", power->name);
		power->off();
	}
	printk("power: no way to power off (no PSCI: entered at EL3 without firmware); halting\n");
	halt();
}

void power_reset(void)
{
	if (power && power->reset) {
		printk("power: reset through %s\n", power->name);
		power->reset();
	}
	printk("power: no way to reset (no PSCI); halting\n");
	halt();
}
