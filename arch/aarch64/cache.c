/*
 * arch/aarch64/cache.c: instruction-cache maintenance for memory about to
 * be executed (see asm/cache.h). Line sizes come from CTR_EL0, which the
 * architecture fixes for the life of the system; a system's CPUs may
 * differ, so the sizes are read each time (one MRS) rather than cached.
 */
#include "asm/cache.h"
#include "asm/cpu.h"

static uint64_t syncs; /* atomic */

size_t cache_dline(void)
{
	return CTR_WORD_BYTES << ((read_sysreg(ctr_el0) >> CTR_DMINLINE_SHIFT) & CTR_LINE_MASK);
}

size_t cache_iline(void)
{
	return CTR_WORD_BYTES << ((read_sysreg(ctr_el0) >> CTR_IMINLINE_SHIFT) & CTR_LINE_MASK);
}

/* DC CVAU over every line of [va, va + len); the lines done. */
static size_t clean_pou(vaddr_t va, size_t len)
{
	size_t line = cache_dline(), n = 0;

	for (vaddr_t a = ALIGN_DOWN(va, line); a < va + len; a += line, n++)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	return n;
}

/* IC IVAU over every line of [va, va + len); the lines done. */
static size_t inval_pou(vaddr_t va, size_t len)
{
	size_t line = cache_iline(), n = 0;

	for (vaddr_t a = ALIGN_DOWN(va, line); a < va + len; a += line, n++)
		__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
	return n;
}

static void sync(vaddr_t va, size_t len, bool all, struct cache_sync_count *count)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	struct cache_sync_count c = { 0 };

	if (all || !(ctr & CTR_IDC)) {
		c.dc_lines = clean_pou(va, len);
		dsb(ish);
	} else {
		dsb(ishst); /* IDC: the writes need only be complete */
	}
	if (all || !(ctr & CTR_DIC)) {
		/* A VIPT I-cache may hold the line under the user alias, which
		 * IC IVAU by the kernel's does not reach (Linux's
		 * icache_is_aliasing): invalidate all of it then. */
		if (((ctr >> CTR_L1IP_SHIFT) & CTR_L1IP_MASK) == CTR_L1IP_PIPT) {
			c.ic_lines = inval_pou(va, len);
		} else {
			__asm__ volatile("ic ialluis" : : : "memory");
			c.ic_all = true;
		}
		dsb(ish);
	}
	isb();
	if (count)
		*count = c;
}

void cache_sync_exec(vaddr_t va, size_t len)
{
	__atomic_add_fetch(&syncs, 1, __ATOMIC_RELAXED);
	sync(va, len, false, NULL);
}

void cache_sync_exec_all(vaddr_t va, size_t len, struct cache_sync_count *count)
{
	sync(va, len, true, count);
}

uint64_t cache_exec_syncs(void)
{
	return __atomic_load_n(&syncs, __ATOMIC_RELAXED);
}
