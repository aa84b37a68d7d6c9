/*
 * mm/asid.h: address space identifiers by generation (mm/asid.c). An
 * address space holds a context, (generation << ASID_GEN_SHIFT) | ASID, that
 * is only good while its generation is the current one; switching to it
 * refreshes it first, so the ASID space never runs out.
 */
#ifndef MM_ASID_H
#define MM_ASID_H

#include "kernel/lib/types.h"
#include "kernel/percpu.h"

#define ASID_GEN_SHIFT 16         /* the ASID is the low 16 bits of a context */
#define ASID_MASK 0xffffUL
#define ASID_BITS_MIN 4           /* asid_bits=N accepts 4..16 (8 on 8-bit CPUs) */

/* Reads ID_AA64MMFR0_EL1.ASIDBits and the command line's asid_bits=N. */
void asid_init(void);
/* The fast path's shared words (mm/asid.c says who writes them): the
 * current generation, and the context each CPU runs. */
extern uint64_t asid_generation;
extern uint64_t asid_active[MAX_CPUS];
/* asid_switch_in when the fast path cannot: a new context, or a rollover
 * raced (takes the ASID lock). */
uint16_t asid_switch_in_slow(uint64_t *ctx, unsigned cpu);
/* asid_switch_in's fast path alone: the context to run *ctxp's space with
 * on CPU cpu, made this CPU's active one, or 0 when the slow path must
 * (a new context, or a rollover raced). The context is current and no
 * rollover took this CPU's slot meanwhile (a rollover sets it to 0 before
 * anyone can see its generation in use). Interrupts masked. */
static inline uint64_t asid_switch_in_fast(uint64_t *ctxp, unsigned cpu)
{
	uint64_t ctx = __atomic_load_n(ctxp, __ATOMIC_SEQ_CST);
	uint64_t old_active = __atomic_load_n(&asid_active[cpu], __ATOMIC_SEQ_CST);

	if (old_active && ctx &&
	    (ctx & ~ASID_MASK) == __atomic_load_n(&asid_generation, __ATOMIC_SEQ_CST) &&
	    __atomic_compare_exchange_n(&asid_active[cpu], &old_active, ctx, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return ctx;
	return 0;
}
/* The ASID this CPU should run the space of context *ctx with, refreshing
 * *ctx (an atomic word) if its generation is over. Interrupts masked. */
static inline uint16_t asid_switch_in(uint64_t *ctxp)
{
	unsigned cpu = this_cpu()->id;
	uint64_t ctx = asid_switch_in_fast(ctxp, cpu);

	return ctx ? (uint16_t)(ctx & ASID_MASK) : asid_switch_in_slow(ctxp, cpu);
}
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
