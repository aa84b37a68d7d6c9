/*
 * arch/aarch64/include/asm/cache.h: making freshly written memory safe to
 * execute (arch/aarch64/cache.c). The instruction cache is not coherent
 * with data writes: a page about to become executable at EL0 is cleaned
 * to the point of unification and the instruction cache invalidated (Arm
 * ARM B2.4.4 "Concurrent modification and execution of instructions",
 * D7.5.9 "Ordering and completion of data and instruction cache
 * instructions"). QEMU does not model caches; a Raspberry Pi does.
 */
#ifndef ASM_CACHE_H
#define ASM_CACHE_H

#include "kernel/lib/types.h"

/* CTR_EL0 fields (Arm ARM D19.2.34). */
#define CTR_IMINLINE_SHIFT 0   /* log2 of the smallest I-cache line, in words */
#define CTR_L1IP_SHIFT 14      /* L1 I-cache policy */
#define CTR_L1IP_MASK 3UL
#define CTR_L1IP_PIPT 3        /* physically indexed: IC IVAU by any alias */
#define CTR_DMINLINE_SHIFT 16  /* log2 of the smallest D-cache line, in words */
#define CTR_LINE_MASK 0xfUL
#define CTR_IDC (1UL << 28)    /* no D-cache clean to PoU needed for I/D coherence */
#define CTR_DIC (1UL << 29)    /* no I-cache invalidation needed for I/D coherence */
#define CTR_WORD_BYTES 4

/* What one sync did (for the self-test): lines cleaned and invalidated,
 * and whether the whole I-cache was invalidated instead (not PIPT). */
struct cache_sync_count {
	size_t dc_lines, ic_lines;
	bool ic_all;
};

/* Makes [va, va + len) (kernel addresses, e.g. the physmap alias of a user
 * page) safe to execute from any alias on any CPU: DC CVAU per line,
 * DSB ISH, IC IVAU per line (IC IALLUIS where the I-cache is not PIPT),
 * DSB ISH, ISB; steps CTR_EL0.IDC/DIC say are not needed are skipped. */
void cache_sync_exec(vaddr_t va, size_t len);
/* The same with every step done whatever CTR_EL0 says; counts them. */
void cache_sync_exec_all(vaddr_t va, size_t len, struct cache_sync_count *count);
/* Calls of cache_sync_exec since boot (atomic; for self-tests). */
uint64_t cache_exec_syncs(void);
/* The smallest D- and I-cache line sizes in bytes (CTR_EL0). */
size_t cache_dline(void);
size_t cache_iline(void);

#endif
