/*
 * mm/space_switch.h: the scheduler's switch of TTBR0 to the next thread's
 * address space, inline in switch_locked (sched/switch.c): a yield between
 * two processes switches spaces every time, and three calls (process, space,
 * load) were a sixth of its kernel path. The rare cases (no space, a new
 * ASID, a rollover) stay out of line in mm/uvm.c (aspace_load).
 */
#ifndef MM_SPACE_SWITCH_H
#define MM_SPACE_SWITCH_H

#include "mm/uvm.h"
#include "mm/asid.h"
#include "kernel/percpu.h"
#include "asm/cpu.h"

/* TTBR0_EL1.ASID, bits [63:48] (Arm ARM D19.2.155, 16-bit ASIDs). */
#define TTBR_ASID_SHIFT 48

/* TTBR0 := ttbr, which names as (NULL: the empty table), on CPU c. */
static inline void space_load_ttbr0(struct cpu *c, struct aspace *as, uint64_t ttbr)
{
	write_sysreg(ttbr0_el1, ttbr);
	isb();
	c->space = as;
}

/* TTBR0 := as, its ASID chosen for this CPU c; IRQs masked (mm/uvm.c). */
void aspace_load(struct cpu *c, struct aspace *as);

/*
 * Makes as (NULL: none) the space TTBR0 holds on this CPU c, IRQs masked.
 * Nothing to do when TTBR0 holds as already: its ASID is this CPU's active
 * one (asid.c), or, after a rollover since, the one reserved for this CPU,
 * which as keeps in the new generation (Linux's switch_mm skips the same
 * space alike). c->space cannot name a freed space that a new one reuses
 * the address of: a space is destroyed only once no TTBR0 holds it (its
 * last thread activates NULL first; exec activates the new one; a CPU
 * holds a space only while it runs one of its threads).
 */
static inline void aspace_switch_to(struct cpu *c, struct aspace *as)
{
	uint64_t ctx;

	if (as == c->space)
		return;
	if (as && (ctx = asid_switch_in_fast(&as->context, c)))
		space_load_ttbr0(c, as, as->root | ((ctx & ASID_MASK) << TTBR_ASID_SHIFT));
	else
		aspace_load(c, as);
}

#endif
