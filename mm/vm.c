/*
 * mm/vm.c: map, unmap, translate and change permissions through the
 * recursive window (see vm.h and mm/layout.h).
 *
 * TLB rules followed (Arm ARM D8.14 "TLB maintenance"): a new valid entry
 * replacing an invalid one needs no invalidation, only a DSB so the walker
 * sees it and an ISB before it is used; removing or changing an entry needs
 * TLBI by VA (all ASIDs for global kernel pages) then DSB and ISB.
 */
#include "mm/vm.h"
#include "mm/layout.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spinlock.h"
#include "asm/cpu.h"
#include <string.h>

static spinlock_t kernel_vm_lock = SPINLOCK_INIT("kernel-vm");
/* Guarded by kernel_vm_lock: */
static int (*table_alloc)(paddr_t *pa);

void vm_set_table_source(int (*alloc)(paddr_t *pa))
{
	uint64_t flags = spin_lock_irqsave(&kernel_vm_lock);

	table_alloc = alloc;
	spin_unlock_irqrestore(&kernel_vm_lock, flags);
}

uint64_t vm_prot_bits(unsigned prot)
{
	uint64_t bits = PTE_AF;

	if (prot & VM_DEVICE)
		bits |= PTE_ATTRINDX(MT_DEVICE_nGnRE);
	else
		bits |= PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER;
	if (!(prot & VM_WRITE))
		bits |= PTE_AP_RO;
	if (prot & VM_USER) {
		/* PROT_NONE: mapped (so the page is kept) but not for EL0. */
		if (prot & (VM_READ | VM_WRITE | VM_EXEC))
			bits |= PTE_AP_EL0;
		bits |= PTE_nG | PTE_PXN;
		if (!(prot & VM_EXEC))
			bits |= PTE_UXN;
	} else {
		bits |= PTE_UXN;
		if (!(prot & VM_EXEC) || (prot & VM_DEVICE))
			bits |= PTE_PXN;
	}
	return bits;
}

static bool va_ok(vaddr_t va)
{
	return va_is_kernel(va) || (va >> VA_BITS) == 0;
}

static inline bool is_table(uint64_t e, int level)
{
	return level < PT_LEVELS - 1 && (e & PTE_TYPE_MASK) == (PTE_VALID | PTE_TABLE);
}

static inline bool is_leaf(uint64_t e, int level)
{
	if (!(e & PTE_VALID))
		return false;
	return level == PT_LEVELS - 1 || !(e & PTE_TABLE);
}

/*
 * Makes sure the tables translating va exist down to level `level` and
 * returns a pointer to va's entry there. Caller holds the lock.
 */
static int walk_create(vaddr_t va, int level, uint64_t **entry)
{
	for (int l = 0; l < level; l++) {
		uint64_t *e = pt_entry_ptr(va, l);
		paddr_t pa;

		if (is_table(*e, l))
			continue;
		if (*e & PTE_VALID)
			return -EEXIST; /* a block covers va */
		if (!table_alloc || table_alloc(&pa))
			return -ENOMEM;
		*e = pa | PTE_TABLE_DESC;
		dsb(ishst);
		isb();
		/* The new table appears in the recursive window right away. */
		memset((void *)pt_table_va(va, l + 1), 0, PAGE_SIZE);
		dsb(ishst);
	}
	*entry = pt_entry_ptr(va, level);
	return 0;
}

/* Finds the leaf (page or block) entry for va; returns its level or -ENOENT. */
static int walk_find(vaddr_t va, uint64_t **entry)
{
	for (int l = 0; l < PT_LEVELS; l++) {
		uint64_t *e = pt_entry_ptr(va, l);

		if (!(*e & PTE_VALID))
			return -ENOENT;
		if (is_leaf(*e, l)) {
			*entry = e;
			return l;
		}
	}
	return -ENOENT;
}

static int map_locked(vaddr_t va, paddr_t pa, int level, unsigned prot)
{
	uint64_t *e;
	int err = walk_create(va, level, &e);

	if (err)
		return err;
	if (*e & PTE_VALID)
		return -EEXIST;
	*e = pa | vm_prot_bits(prot) | PTE_VALID |
		(level == PT_LEVELS - 1 ? PTE_PAGE : PTE_BLOCK);
	dsb(ishst);
	isb();
	return 0;
}

int vm_map(vaddr_t va, paddr_t pa, unsigned prot)
{
	uint64_t flags;
	int err;

	if (!va_ok(va) || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    (pa & ~PTE_ADDR_MASK))
		return -EINVAL;
	flags = spin_lock_irqsave(&kernel_vm_lock);
	err = map_locked(va, pa, PT_LEVELS - 1, prot);
	spin_unlock_irqrestore(&kernel_vm_lock, flags);
	return err;
}

/* The largest level whose block fits at va/pa within size (1 GiB, 2 MiB, 4 KiB). */
static int best_level(vaddr_t va, paddr_t pa, uint64_t size)
{
	for (int l = 1; l < PT_LEVELS - 1; l++) {
		uint64_t bs = PT_LEVEL_SIZE(l);

		if (IS_ALIGNED(va, bs) && IS_ALIGNED(pa, bs) && size >= bs)
			return l;
	}
	return PT_LEVELS - 1;
}

/* The bytes of [va, va + size) that share va's level-3 table. */
static uint64_t table_run(vaddr_t va, uint64_t size)
{
	return MIN(size, ALIGN_DOWN(va, PT_LEVEL_SIZE(PT_LEVELS - 2)) + PT_LEVEL_SIZE(PT_LEVELS - 2) - va);
}

/*
 * Maps the pages of [va, va + size), which share one level-3 table, with
 * one walk (a kernel stack's four pages on every thread creation): 0, or
 * -EEXIST/-ENOMEM as map_locked. One DSB and ISB for all: nothing uses the
 * entries before the last is written.
 */
static int map_pages_locked(vaddr_t va, paddr_t pa, uint64_t size, unsigned prot)
{
	uint64_t bits = vm_prot_bits(prot) | PTE_VALID | PTE_PAGE;
	uint64_t *e;
	int err = walk_create(va, PT_LEVELS - 1, &e);

	for (uint64_t i = 0; !err && i < size / PAGE_SIZE; i++) {
		if (e[i] & PTE_VALID)
			err = -EEXIST;
		else
			e[i] = (pa + i * PAGE_SIZE) | bits;
	}
	dsb(ishst);
	isb();
	return err;
}

int vm_map_range(vaddr_t va, paddr_t pa, uint64_t size, unsigned prot)
{
	uint64_t flags;
	int err = 0;

	if (!va_ok(va) || !IS_ALIGNED(va | pa | size, PAGE_SIZE) || va + size < va)
		return -EINVAL;
	flags = spin_lock_irqsave(&kernel_vm_lock);
	while (size && !err) {
		int level = best_level(va, pa, size);
		bool pages = level == PT_LEVELS - 1;
		uint64_t step = pages ? table_run(va, size) : PT_LEVEL_SIZE(level);

		err = pages ? map_pages_locked(va, pa, step, prot) : map_locked(va, pa, level, prot);
		va += step;
		pa += step;
		size -= step;
	}
	spin_unlock_irqrestore(&kernel_vm_lock, flags);
	return err;
}

/*
 * Replaces the level-3 entry of va with new_entry(old) and invalidates its
 * TLB entry: -ENOENT if unmapped, -EINVAL inside a block mapping.
 */
static int change_page(vaddr_t va, uint64_t (*new_entry)(uint64_t old, unsigned prot), unsigned prot)
{
	uint64_t *e, flags;
	int level;

	if (!va_ok(va) || !IS_ALIGNED(va, PAGE_SIZE))
		return -EINVAL;
	flags = spin_lock_irqsave(&kernel_vm_lock);
	level = walk_find(va, &e);
	if (level == PT_LEVELS - 1) {
		*e = new_entry(*e, prot);
		tlb_flush_kernel_page(va);
	}
	spin_unlock_irqrestore(&kernel_vm_lock, flags);
	if (level < 0)
		return level;
	return level == PT_LEVELS - 1 ? 0 : -EINVAL;
}

static uint64_t unmapped_entry(uint64_t old, unsigned prot)
{
	(void)old;
	(void)prot;
	return 0;
}

/* A permission-only change needs no break-before-make (D8.14.1). */
static uint64_t reprotected_entry(uint64_t old, unsigned prot)
{
	return (old & PTE_ADDR_MASK) | vm_prot_bits(prot) | PTE_VALID | PTE_PAGE;
}

int vm_unmap(vaddr_t va)
{
	return change_page(va, unmapped_entry, 0);
}

/* Rewrites the level-3 entries of [va, va + size), which share one table,
 * with new_entry(old) and one walk: 0, or -ENOENT at the first page not
 * mapped (those before it are changed), -EINVAL inside a block mapping.
 * Every page's TLBI is issued before one DSB waits for them all (Arm ARM
 * D8.14.3: a DSB after the TLBIs completes them). In line, so each caller
 * gets its new_entry without an indirect call per page. */
static inline __attribute__((always_inline)) int
change_pages_locked(vaddr_t va, uint64_t size, uint64_t (*new_entry)(uint64_t old, unsigned prot),
		    unsigned prot)
{
	uint64_t n = size / PAGE_SIZE, i;
	uint64_t *e;
	int level = walk_find(va, &e);

	if (level < 0)
		return level;
	if (level != PT_LEVELS - 1)
		return -EINVAL;
	for (i = 0; i < n && (e[i] & PTE_VALID); i++)
		e[i] = new_entry(e[i], prot);
	dsb(ishst);
	for (uint64_t j = 0; j < i; j++)
		__asm__ volatile("tlbi vaae1is, %0"
				 : : "r"(((va + j * PAGE_SIZE) >> TLBI_VA_SHIFT) & TLBI_VA_MASK) : "memory");
	dsb(ish);
	isb();
	return i < n ? -ENOENT : 0;
}

/* change_pages_locked over [va, va + size), one level-3 table at a time. */
static inline __attribute__((always_inline)) int
change_range(vaddr_t va, uint64_t size, uint64_t (*new_entry)(uint64_t old, unsigned prot),
	     unsigned prot)
{
	uint64_t flags;
	int err = 0;

	if (!va_ok(va) || !IS_ALIGNED(va | size, PAGE_SIZE) || va + size < va)
		return -EINVAL;
	flags = spin_lock_irqsave(&kernel_vm_lock);
	for (uint64_t step; size && !err; va += step, size -= step) {
		step = table_run(va, size);
		err = change_pages_locked(va, step, new_entry, prot);
	}
	spin_unlock_irqrestore(&kernel_vm_lock, flags);
	return err;
}

int vm_unmap_range(vaddr_t va, uint64_t size)
{
	return change_range(va, size, unmapped_entry, 0);
}

int vm_protect_range(vaddr_t va, uint64_t size, unsigned prot)
{
	return change_range(va, size, reprotected_entry, prot);
}

int vm_translate(vaddr_t va, paddr_t *pa, uint64_t *desc)
{
	uint64_t *e;
	int level;

	if (!va_ok(va))
		return -EINVAL;
	level = walk_find(va, &e);
	if (level < 0)
		return level;
	if (pa)
		*pa = (*e & PTE_ADDR_MASK & ~(PT_LEVEL_SIZE(level) - 1)) |
			(va & (PT_LEVEL_SIZE(level) - 1));
	if (desc)
		*desc = *e;
	return 0;
}

int vm_protect(vaddr_t va, unsigned prot)
{
	return change_page(va, reprotected_entry, prot);
}
