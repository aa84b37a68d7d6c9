/*
 * kernel/power.c: power off and reset (see power.h).
 */
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "mm/kmap.h"
#include "kernel/profile.h"

static const struct power_ops *power; /* set once at boot */

void power_register(const struct power_ops *ops)
{
	power = ops;
}

void power_off(void)
{
	/* The last lines are written polled, even with a serial daemon. */
	console_reclaim();
	profile_dump(); /* profile=HZ: the samples, for tools/profile.py */
	if (power && power->off) {
		printk("power: off through %s\n", power->name);
		power->off();
	}
	/* No psci node: entered at EL3 without firmware, or a machine whose
	 * firmware has no PSCI (the Raspberry Pi 3's). */
	printk("power: no way to power off (no PSCI%s); halting\n",
	       boot_el == 3 ? ": entered at EL3 without firmware" : " in the device tree");
	halt();
}

void power_reset(void)
{
	console_reclaim();
	if (power && power->reset) {
		printk("power: reset through %s\n", power->name);
		power->reset();
	}
	printk("power: no way to reset (no PSCI); halting\n");
	halt();
}
