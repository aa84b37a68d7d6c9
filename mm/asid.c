/*
 * mm/asid.c: ASID allocation by generation, after the idea of Linux's
 * arch/arm64/mm/context.c (read for the facts; this is its own code).
 *
 * An address space's context is (generation << ASID_GEN_SHIFT) | ASID. An
 * ASID is handed out once per generation and never freed in it, so a TLB
 * entry tagged with it can only belong to its one owner. When the space is
 * used up, a new generation starts: the map is emptied, every TLB is
 * flushed Inner Shareable (TLBI VMALLE1IS; DSB ISH), and every address
 * space takes a new ASID at its next switch-in. The ASID each CPU is
 * running (asid_active) is carried into the new generation as reserved, so
 * a running space keeps its number and nobody else gets it: the running
 * CPU's TLB entries with it stay right, whatever it caches meanwhile.
 *
 * asid_lock guards asid_map, asid_next, reserved_asid and the writes of
 * asid_generation (read atomically without it). asid_active, a field of
 * each struct cpu (the context it runs), is atomic:
 * its CPU sets it, with a compare-and-swap on the fast path, and a
 * rollover swaps it to 0 (under the lock); a CPU that finds 0 there takes
 * the lock, so a switch-in racing a rollover either lands before it (and
 * is reserved) or sees the new generation. The switch-in runs with
 * interrupts masked, so the CPU cannot change under it.
 *
 * TLBI by ASID on a space that is not running here reads its context
 * atomically after the table update; a rollover between the two flushed
 * every TLB anyway (the same reasoning as Linux's flush_tlb_page).
 */
#include "mm/asid.h"
#include "kernel/lib/spinlock.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/cmdline.h"
#include "kernel/fdt.h"
#include "asm/cpu.h"
#include "asm/sysreg.h"
#include <stdlib.h>
#include <string.h>

#define ASID_BITS_16 16           /* ID_AA64MMFR0_EL1.ASIDBits == 0b0010 */
#define ASID_BITS_8 8             /* otherwise (Arm ARM D19.2.64) */
#define ASID_COUNT_MAX (1U << ASID_BITS_16)
#define ASID_MAP_BITS 64          /* bits per asid_map word */
#define ASID_NONE 0               /* TTBR0's ASID with no user space (empty table) */
#define ASID_GEN_ONE (1UL << ASID_GEN_SHIFT)

/* Every CPU may reserve one ASID at a rollover, and ASID 0 is never given:
 * the smallest space must still leave one free. */
_Static_assert((1U << ASID_BITS_MIN) > MAX_CPUS + 1, "asid_bits minimum leaves no free ASID");

static spinlock_t asid_lock = SPINLOCK_INIT("asid");
static uint64_t asid_map[ASID_COUNT_MAX / ASID_MAP_BITS]; /* asid_lock */
static unsigned asid_next = 1;                   /* asid_lock: where the search starts */
static uint64_t reserved_asid[MAX_CPUS];        /* asid_lock */
uint64_t asid_generation = ASID_GEN_ONE;        /* written under asid_lock */
static uint64_t rollovers;                      /* atomic */
static unsigned asid_limit = ASID_COUNT_MAX;    /* set once by asid_init */

static struct cmdline asid_cmdline; /* asid_init's own parse of bootargs */

/* asid_bits=N from the command line, within [ASID_BITS_MIN, hw_bits];
 * anything else is reported and ignored (hw_bits then). */
static unsigned cmdline_asid_bits(unsigned hw_bits)
{
	struct dt_chosen chosen;
	const char *v;
	char *end;
	unsigned long n;

	if (dt_chosen(&chosen) || cmdline_parse(&asid_cmdline, chosen.bootargs))
		return hw_bits;
	v = cmdline_get(&asid_cmdline, "asid_bits");
	if (!v)
		return hw_bits;
	n = strtoul(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < ASID_BITS_MIN || n > hw_bits) {
		printk("asid: asid_bits=%s is not in %u..%u, ignored\n", v, ASID_BITS_MIN, hw_bits);
		return hw_bits;
	}
	printk("asid: asid_bits=%lu: %lu ASIDs\n", n, 1UL << n);
	return (unsigned)n;
}

void asid_init(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	unsigned hw_bits = ((mmfr0 >> ID_AA64MMFR0_ASIDBITS_SHIFT) & ID_AA64MMFR0_ASIDBITS_MASK) ==
		ID_AA64MMFR0_ASIDBITS_16 ? ASID_BITS_16 : ASID_BITS_8;

	asid_limit = 1U << cmdline_asid_bits(hw_bits);
	asid_map[0] |= 1UL << ASID_NONE;
}

static bool map_test_set(unsigned asid)
{
	uint64_t bit = 1UL << (asid % ASID_MAP_BITS);
	bool was = asid_map[asid / ASID_MAP_BITS] & bit;

	asid_map[asid / ASID_MAP_BITS] |= bit;
	return was;
}

/* A free ASID from asid_next on (wrapping), or 0 if none. */
static unsigned map_find_free(void)
{
	for (unsigned n = 0, a = asid_next; n < asid_limit; n++, a = a + 1 < asid_limit ? a + 1 : 1)
		if (!(asid_map[a / ASID_MAP_BITS] & (1UL << (a % ASID_MAP_BITS))))
			return a;
	return ASID_NONE;
}

/* Starts a new generation: only what each CPU runs stays taken. Locked. */
static void rollover_locked(void)
{
	memset(asid_map, 0, sizeof(asid_map));
	asid_map[0] |= 1UL << ASID_NONE;
	__atomic_store_n(&asid_generation, asid_generation + ASID_GEN_ONE, __ATOMIC_SEQ_CST);
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		uint64_t ctx = __atomic_exchange_n(&cpus[cpu].asid_active, 0, __ATOMIC_SEQ_CST);

		/* 0: the CPU has not switched since the last rollover, so it
		 * still runs what was reserved for it then. */
		if (!ctx)
			ctx = reserved_asid[cpu];
		map_test_set(ctx & ASID_MASK);
		reserved_asid[cpu] = ctx;
	}
	asid_next = 1;
	tlb_flush_all(); /* TLBI VMALLE1IS; DSB ISH; ISB */
	/* Counted, not printed: this runs inside the scheduler's switch, and
	 * printk may wake a kmsg: reader (wait_lock). */
	__atomic_add_fetch(&rollovers, 1, __ATOMIC_RELAXED);
}

/* Moves a reserved old context to the new generation, on every CPU that
 * reserved it; whether it was reserved. Locked. */
static bool update_reserved_locked(uint64_t old, uint64_t new)
{
	bool hit = false;

	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (reserved_asid[cpu] == old) {
			reserved_asid[cpu] = new;
			hit = true;
		}
	}
	return hit;
}

/* A context of the current generation for a space whose context is old
 * (0 for none yet). Locked. */
static uint64_t new_context_locked(uint64_t old)
{
	unsigned asid = old & ASID_MASK;

	if (old) {
		uint64_t same = asid_generation | asid;

		/* Running somewhere at the rollover: it keeps its number. */
		if (update_reserved_locked(old, same))
			return same;
		/* Free in this generation: keep it too (no need to search). */
		if (asid < asid_limit && !map_test_set(asid))
			return same;
	}
	asid = map_find_free();
	if (asid == ASID_NONE) {
		rollover_locked();
		asid = map_find_free(); /* the static assert says one is free */
	}
	map_test_set(asid);
	asid_next = asid + 1 < asid_limit ? asid + 1 : 1;
	return asid_generation | asid;
}

static bool current_generation(uint64_t ctx)
{
	return ctx && (ctx & ~ASID_MASK) == __atomic_load_n(&asid_generation, __ATOMIC_SEQ_CST);
}

/* asid_switch_in's slow path (mm/asid.h), under asid_lock. Out of line,
 * so the inline fast path saves no registers for it. */
uint16_t asid_switch_in_slow(uint64_t *ctxp, unsigned cpu)
{
	uint64_t ctx;

	spin_lock(&asid_lock);
	ctx = __atomic_load_n(ctxp, __ATOMIC_SEQ_CST);
	if (!current_generation(ctx)) {
		ctx = new_context_locked(ctx);
		__atomic_store_n(ctxp, ctx, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&cpus[cpu].asid_active, ctx, __ATOMIC_SEQ_CST);
	spin_unlock(&asid_lock);
	return (uint16_t)(ctx & ASID_MASK);
}

uint64_t asid_rollovers(void)
{
	return __atomic_load_n(&rollovers, __ATOMIC_RELAXED);
}

unsigned asid_count(void)
{
	return asid_limit;
}
