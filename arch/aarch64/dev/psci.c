/*
 * arch/aarch64/dev/psci.c: the Power State Coordination Interface (Arm DEN
 * 0022), for SYSTEM_OFF, SYSTEM_RESET and CPU_ON (secondary CPUs,
 * kernel/smp_boot.c), through the conduit the device tree's "method" names:
 * "hvc" (QEMU, entered at EL1) or "smc".
 */
#include "kernel/driver.h"
#include "kernel/power.h"
#include "kernel/smp.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include <string.h>

#define PSCI_0_2_FN_PSCI_VERSION 0x84000000u
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u
/* Return codes (DEN 0022 5.2.2). */
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_VERSION_MAJOR_SHIFT 16
#define PSCI_VERSION_MINOR_MASK 0xffffu

static bool use_smc; /* set once at probe */

static uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (use_smc)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

static void psci_off(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
}

static void psci_reset(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
}

static int psci_cpu_on(uint64_t mpidr, paddr_t entry)
{
	int64_t ret = (int64_t)psci_call(PSCI_0_2_FN64_CPU_ON, mpidr, entry, 0);

	switch (ret) {
	case PSCI_RET_SUCCESS:
		return 0;
	case PSCI_RET_INVALID_PARAMS:
		return -EINVAL;
	case PSCI_RET_ALREADY_ON:
	case PSCI_RET_ON_PENDING:
		return -EBUSY;
	default:
		return -EIO;
	}
}

static const struct power_ops psci_power = {
	.name = "PSCI",
	.off = psci_off,
	.reset = psci_reset,
};

static int psci_probe(int node)
{
	const char *method = dt_prop_str(node, "method");
	uint64_t version;

	if (!method)
		return -EINVAL;
	if (strcmp(method, "smc") == 0)
		use_smc = true;
	else if (strcmp(method, "hvc") != 0)
		return -EINVAL;
	version = psci_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
	printk("psci: version %lu.%lu through %s\n", version >> PSCI_VERSION_MAJOR_SHIFT,
	       version & PSCI_VERSION_MINOR_MASK, method);
	power_register(&psci_power);
	smp_set_cpu_on(psci_cpu_on);
	return 0;
}

/* Only 0.2 and later have fixed function numbers with SYSTEM_OFF. */
static const char *const psci_compat[] = { "arm,psci-1.0", "arm,psci-0.2", NULL };
KDRIVER(psci_driver) = {
	.name = "psci",
	.class = DRIVER_POWER,
	.compatible = psci_compat,
	.probe = psci_probe,
};
