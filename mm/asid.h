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
/* The fast path's shared word (mm/asid.c says who writes it): the current
 * generation. The context each CPU runs is its struct cpu's asid_active. */
extern uint64_t asid_generation;
/* asid_switch_in when the fast path cannot: a new context, or a rollover
 * raced (takes the ASID lock). */
uint16_t asid_switch_in_slow(uint64_t *ctx, unsigned cpu);
/* asid_switch_in's fast path alone: the context to run *ctxp's space with
 * on CPU c, made c's active one, or 0 when the slow path must
 * (a new context, or a rollover raced). Interrupts masked.
 *
 * Relaxed, as Linux's arm64 check_and_switch_context: only the
 * compare-and-swap orders anything, as read-modify-writes of one word are
 * totally ordered. Against a rollover's exchange of this CPU's slot, the
 * swap either comes first (the rollover then reserves ctx: it stays ours,
 * whatever generation we read) or after (it finds 0 and fails: the slow
 * path's lock then shows the new generation). A stale generation cannot
 * pass otherwise: the slot is nonzero again after a rollover only through
 * the slow path, under the lock the rollover held, so a later swap's
 * generation is at least that one's. A stale ctx of the generation read is
 * ctx itself: a space's context is given once per generation. */
static inline uint64_t asid_read_relaxed(const uint64_t *p)
{
	/* An aligned LDR is single-copy atomic (Arm ARM B2.2.1). Volatile,
	 * not __atomic_load_n: GCC gives even a relaxed one a bare base
	 * register, an ADD more per load on every switch. */
	return *(const volatile uint64_t *)p;
}

static inline uint64_t asid_switch_in_fast(uint64_t *ctxp, struct cpu *c)
{
	uint64_t ctx = asid_read_relaxed(ctxp);
	uint64_t old_active = asid_read_relaxed(&c->asid_active);

	if (old_active && ctx &&
	    (ctx & ~ASID_MASK) == asid_read_relaxed(&asid_generation) &&
	    __atomic_compare_exchange_n(&c->asid_active, &old_active, ctx, false,
					__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return ctx;
	return 0;
}
/* The ASID this CPU should run the space of context *ctx with, refreshing
 * *ctx (an atomic word) if its generation is over. Interrupts masked. */
static inline uint16_t asid_switch_in(uint64_t *ctxp)
{
	struct cpu *c = this_cpu();
	uint64_t ctx = asid_switch_in_fast(ctxp, c);

	return ctx ? (uint16_t)(ctx & ASID_MASK) : asid_switch_in_slow(ctxp, c->id);
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
