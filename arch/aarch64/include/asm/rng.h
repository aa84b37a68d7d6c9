/*
 * arch/aarch64/include/asm/rng.h: the CPU's own entropy: the generic
 * timer's counter (always there, unpredictable in its low bits from one
 * boot to the next) and RNDR (FEAT_RNG, Arm ARM D19.2.112) where
 * ID_AA64ISAR0_EL1 says the CPU has it. Inline and unprotected, as the
 * stack canary is set from it before any protected function returns.
 */
#ifndef ASM_RNG_H
#define ASM_RNG_H

#include <stdbool.h>
#include <stdint.h>
#include "asm/cpu.h"

#define RNG_STR_(x) #x
#define RNG_STR(x) RNG_STR_(x) /* the register's name after expansion */

static inline bool cpu_has_rndr(void)
{
	return (read_sysreg(id_aa64isar0_el1) >> ID_AA64ISAR0_RNDR_SHIFT) &
		((UL(1) << ID_AA64ISAR0_RNDR_BITS) - 1);
}

/* One RNDR value; false (and *v 0) when the CPU had none to give (NZCV.Z). */
static inline bool cpu_rndr(uint64_t *v)
{
	uint64_t ok;

	__asm__ volatile("mrs %0, " RNG_STR(SYSREG_RNDR) "\n\tcset %1, ne"
			 : "=r"(*v), "=r"(ok) : : "cc");
	return ok;
}

/* A 64-bit value to mix in: the counter, and RNDR's if the CPU has it. */
static inline uint64_t cpu_entropy(void)
{
	uint64_t v = read_sysreg(cntvct_el0), r;

	if (cpu_has_rndr() && cpu_rndr(&r))
		v ^= r;
	return v;
}

#endif
