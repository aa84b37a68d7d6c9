/*
 * mm/asid.h: address space identifiers by generation (mm/asid.c). An
 * address space holds a context, (generation << ASID_GEN_SHIFT) | ASID, that
 * is only good while its generation is the current one; switching to it
 * refreshes it first, so the ASID space never runs out.
 */
#ifndef MM_ASID_H
#define MM_ASID_H

#include "kernel/lib/types.h"

#define ASID_GEN_SHIFT 16         /* the ASID is the low 16 bits of a context */
#define ASID_MASK 0xffffUL
#define ASID_BITS_MIN 4           /* asid_bits=N accepts 4..16 (8 on 8-bit CPUs) */

/* Reads ID_AA64MMFR0_EL1.ASIDBits and the command line's asid_bits=N. */
void asid_init(void);
/* The ASID this CPU should run the space of context *ctx with, refreshing
 * *ctx (an atomic word) if its generation is over. Interrupts masked. */
uint16_t asid_switch_in(uint64_t *ctx);
/* The ASID part of a context, read atomically (0: none yet). */
static inline uint16_t asid_of(const uint64_t *ctx)
{
	return (uint16_t)(__atomic_load_n(ctx, __ATOMIC_ACQUIRE) & ASID_MASK);
}
/* Generations started since boot (for tests and sys:). */
uint64_t asid_rollovers(void);
/* How many ASIDs there are (2^asid_bits). */
unsigned asid_count(void);

#endif
