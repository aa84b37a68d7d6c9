/*
 * mm/uvm_pt.c: a user space's page tables (through the physmap): the walk to
 * a level-3 entry, the tables' allocation and record in as->tables, page
 * entries and their TLB invalidation, the scan of present entries, and the
 * freeing of tables an unmap left empty. The callers (mm/uvm*.c) hold
 * as->lock; see mm/uvm_internal.h.
 */
#include "mm/uvm_internal.h"
#include "mm/page.h"
#include "mm/frame.h"
#include "mm/kmap.h"
#include "mm/vm.h"
#include "mm/heap.h"
#include "kernel/lib/errno.h"
#include "asm/cpu.h"
#include "asm/cache.h"
#include <string.h>

#define TLBI_ASID_SHIFT 48
/* Room for tables in a new space's first list: a small program's text,
 * data, heap, mmap area and stack need about this many. */
#define TABLES_FIRST_CAP 16

void tlb_flush_asid(uint16_t asid)
{
	dsb(ishst);
	__asm__ volatile("tlbi aside1is, %0" : : "r"((uint64_t)asid << TLBI_ASID_SHIFT) : "memory");
	dsb(ish);
	isb();
}

void tlb_flush_user_page(uint16_t asid, uint64_t va)
{
	dsb(ishst);
	__asm__ volatile("tlbi vae1is, %0"
			 : : "r"(((uint64_t)asid << TLBI_ASID_SHIFT) | ((va >> PAGE_SHIFT) & TLBI_VA_MASK))
			 : "memory");
	dsb(ish);
	isb();
}

static uint64_t *table_of(uint64_t desc)
{
	return phys_to_virt(desc & PTE_ADDR_MASK);
}

/* A zeroed table for as, recorded in as->tables; 0 or -ENOMEM. */
static int table_new(struct aspace *as, paddr_t *pa)
{
	if (as->ntables == as->tables_cap) {
		size_t cap = as->tables_cap ? 2 * as->tables_cap : TABLES_FIRST_CAP;
		paddr_t *grown = kmalloc(cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		if (as->ntables)
			memcpy(grown, as->tables, as->ntables * sizeof(*grown));
		kfree(as->tables);
		as->tables = grown;
		as->tables_cap = cap;
	}
	if (frame_alloc_zeroed(0, pa))
		return -ENOMEM;
	as->tables[as->ntables++] = *pa;
	return 0;
}

/* The level-3 entry for va; allocates missing tables when create. */
uint64_t *pte_of(struct aspace *as, uint64_t va, bool create)
{
	uint64_t *t = phys_to_virt(as->root);

	for (int l = 0; l < PT_LEVELS - 1; l++) {
		uint64_t *e = &t[PT_INDEX(va, l)];

		if (!(*e & PTE_VALID)) {
			paddr_t pa;

			if (!create || table_new(as, &pa))
				return NULL;
			*e = pa | PTE_TABLE_DESC;
			dsb(ishst);
		}
		t = table_of(*e);
	}
	return &t[PT_INDEX(va, PT_LEVELS - 1)];
}

uint64_t user_pte(paddr_t pa, unsigned prot)
{
	return pa | vm_prot_bits(prot | VM_USER) | PTE_VALID | PTE_PAGE;
}

/* Before an entry first lets EL0 execute page pa, what the D-side wrote
 * there (a copy, a zero fill, a file's bytes) must reach the I-side: Arm ARM
 * B2.4.4 (asm/cache.h). prot is the entry's VM_* protection. */
void sync_exec_page(paddr_t pa, unsigned prot)
{
	if (prot & VM_EXEC)
		cache_sync_exec((vaddr_t)phys_to_virt(pa), PAGE_SIZE);
}

void set_pte(uint64_t *pte, uint64_t val)
{
	*pte = val;
	dsb(ishst);
}

/*
 * Calls fn for every present page entry in [start, end), one level-3 table
 * at a time: ranges with no table are skipped whole, and a table's entries
 * are scanned without walking from the top for each.
 */
/* Entries for_each_pte looks at together: a run of empty ones (most of a
 * sparse table: a stack's, a heap's) is passed over with one test of their
 * OR, not one test and branch each. Every walk of a whole space (fork,
 * exit, exec) scans each of its level-3 tables (a stack's is 512 entries
 * for a few pages): fork+exec some 10,000 and fork+exit 6,900 instructions
 * fewer than entry by entry (runs of 8 or 32: a few hundred more). */
#define PTE_RUN 16

/* Entries pte_run_or takes per loop turn: four LDPs, no loop overhead
 * between them. */
#define PTE_OR_STEP 8

/* The OR of the n entries from pte. */
static uint64_t pte_run_or(const uint64_t *pte, size_t n)
{
	uint64_t any = 0;
	size_t i = 0;

	for (; i + PTE_OR_STEP <= n; i += PTE_OR_STEP)
		any |= pte[i] | pte[i + 1] | pte[i + 2] | pte[i + 3] |
		       pte[i + 4] | pte[i + 5] | pte[i + 6] | pte[i + 7];
	for (; i < n; i++)
		any |= pte[i];
	return any;
}

int for_each_pte(struct aspace *as, uint64_t start, uint64_t end,
			int (*fn)(struct aspace *as, uint64_t va, uint64_t *pte, void *arg), void *arg)
{
	for (uint64_t va = start; va < end;) {
		uint64_t table_end = MIN(ALIGN_DOWN(va, PT_LEVEL_SIZE(2)) + PT_LEVEL_SIZE(2), end);
		uint64_t *pte = pte_of(as, va, false);

		while (pte && va < table_end) {
			size_t n = MIN((size_t)PTE_RUN, (size_t)((table_end - va) / PAGE_SIZE));

			if (pte_run_or(pte, n) & PTE_VALID) {
				for (size_t i = 0; i < n; i++) {
					int err = (pte[i] & PTE_VALID) ? fn(as, va + i * PAGE_SIZE, &pte[i], arg) : 0;

					if (err)
						return err;
				}
			}
			pte += n;
			va += n * PAGE_SIZE;
		}
		va = table_end;
	}
	return 0;
}

int clear_one(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	const struct vma *v = arg;

	/* Device registers are not RAM: nothing goes back to the allocator. */
	if (!(v->flags & VMA_DEVICE))
		page_put(*pte & PTE_ADDR_MASK);
	set_pte(pte, 0);
	tlb_flush_user_page(aspace_asid(as), va);
	as->pages--;
	return 0;
}

/* Clears the entries of region v, dropping page references. */
void clear_range(struct aspace *as, const struct vma *v)
{
	for_each_pte(as, v->start, v->end, clear_one, (void *)v);
}

/* Frees every table below the root (the space is no longer in use). */
void free_tables(struct aspace *as)
{
	for (size_t i = 0; i < as->ntables; i++)
		frame_free(as->tables[i], 0);
	kfree(as->tables);
	as->tables = NULL;
	as->ntables = as->tables_cap = 0;
}

/* Drops table pa from as->tables, for prune_tables. From the end: the
 * tables an unmap frees are mostly the newest (a thread's stack: made by
 * its first fault, top-down, and freed bottom-up, each the last entry by
 * then). */
static void table_forget(struct aspace *as, paddr_t pa)
{
	for (size_t i = as->ntables; i-- > 0;)
		if (as->tables[i] == pa) {
			as->tables[i] = as->tables[--as->ntables];
			return;
		}
}

/*
 * Whether level-cl table t, spanning [va, va + span), holds no entry. Only
 * an entry whose span reaches into a region of as can be in use (see
 * prune_tables), so only those are looked at, 8 at a time: a neighbour's
 * few, not the whole table (which a thread stack's unmap would otherwise
 * scan three times whenever a mapping sits next to it).
 */
static bool table_empty(const struct aspace *as, const uint64_t *t, int cl, uint64_t va,
			uint64_t span)
{
	uint64_t esz = PT_LEVEL_SIZE(cl), end = va + span;

	for (const struct vma *v = as->vmas; v && v->start < end; v = v->next) {
		size_t lo, hi;

		if (v->end <= va)
			continue;
		lo = (MAX(v->start, va) - va) / esz;
		hi = (MIN(v->end, end) - va + esz - 1) / esz;
		if (pte_run_or(t + lo, hi - lo))
			return false;
	}
	return true;
}

/* Frees the tables below level-l table t (covering base onwards) that
 * [g->start, g->end) crosses and that hold no entry. */
static void prune_level(struct aspace *as, uint64_t *t, int l, uint64_t base,
			const struct pt_gap *g)
{
	uint64_t size = PT_LEVEL_SIZE(l);
	size_t first = g->start > base ? (g->start - base) / size : 0;

	for (size_t i = first; i < PT_ENTRIES && base + i * size < g->end; i++) {
		uint64_t va = base + i * size;
		uint64_t *child;
		paddr_t pa;

		if (!(t[i] & PTE_VALID))
			continue;
		child = table_of(t[i]);
		if (l + 1 < PT_LEVELS - 1)
			prune_level(as, child, l + 1, va, g);
		/* A span wholly in the gap needs no look (prune_tables); one
		 * that a neighbour shares may hold its entries. */
		if ((va < g->floor || va + size > g->ceiling) && !table_empty(as, child, l + 1, va, size))
			continue;
		pa = t[i] & PTE_ADDR_MASK;
		set_pte(&t[i], 0);
		tlb_flush_user_page(aspace_asid(as), va);
		table_forget(as, pa);
		frame_free(pa, 0);
	}
}

/*
 * Frees the tables that [g->start, g->end) crosses and that hold no entry.
 * An unmap gives back the tables its region's faults made, as Linux's
 * free_pgtables does: otherwise a process that maps, touches and unmaps
 * ever new ranges (initfsd's file reservations, one per file, written at
 * random offsets) makes the kernel keep tables for memory no one has any
 * more. Page entries exist only inside regions (a fault maps a page only
 * where one is; an unmap clears its regions' entries first), and a table
 * exists only while some region reaches into its span (this function
 * frees the others). So the region list says which entries can be in use:
 * a table whose whole span lies in the gap [g->floor, g->ceiling) between
 * the neighbouring regions is empty without a look (Linux's rule), and of
 * one a region shares only the entries that region reaches are looked at
 * (Linux keeps such a table; here it goes too if the region has nothing in
 * it, as t_ptfree checks). Thread create+join unmaps a stack whose three
 * tables are its alone: scanning them cost some 2,500 of its 17,000
 * instructions. Each entry is cleared and its walk-cache copies
 * invalidated (TLBI VAE1IS covers every level used to translate the
 * address, Arm ARM D8.13) before its table goes back to the allocator.
 * Called locked.
 */
void prune_tables(struct aspace *as, const struct pt_gap *g)
{
	prune_level(as, phys_to_virt(as->root), 0, 0, g);
}
