/*
 * mm/uvm.c: user address spaces (see uvm.h): page tables, faults, fork, and
 * the region list (mm/vma.c) under the space's lock. Lock order: an aspace's
 * lock, then the heap's and the frame allocator's. A shared vm_object's pages are filled under
 * the lock of whichever space faults first: fine while processes are single
 * CPU; SMP will give objects their own lock.
 */
#include "mm/uvm.h"
#include "mm/uvm_internal.h"
#include "mm/page.h"
#include "mm/frame.h"
#include "mm/kmap.h"
#include "mm/vm.h"
#include "mm/heap.h"
#include "mm/uprot.h"
#include "mm/asid.h"
#include "mm/urange.h"
#include "kernel/failalloc.h"
#include "mm/uvm_oom.h"
#include "kernel/lib/errno.h"
#include "asm/cpu.h"
#include "asm/cache.h"
#include <string.h>

#define TTBR_ASID_SHIFT 48
#define TLBI_ASID_SHIFT 48
/* Room for tables in a new space's first list: a small program's text,
 * data, heap, mmap area and stack need about this many. */
#define TABLES_FIRST_CAP 16

static paddr_t empty_root;                 /* set once by uvm_init */

void uvm_init(void)
{
	asid_init();
	if (frame_alloc_zeroed(0, &empty_root))
		return;
	write_sysreg(ttbr0_el1, empty_root);
	isb();
	/* TTBR0 walks were off since the switch-over; user spaces need them. */
	write_sysreg(tcr_el1, read_sysreg(tcr_el1) & ~TCR_EPD0);
	isb();
	tlb_flush_all();
}

static void tlb_flush_asid(uint16_t asid)
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

/* ---- page tables (through the physmap) ---- */

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

static uint64_t user_pte(paddr_t pa, unsigned prot)
{
	return pa | vm_prot_bits(prot | VM_USER) | PTE_VALID | PTE_PAGE;
}

/* Before an entry first lets EL0 execute page pa, what the D-side wrote
 * there (a copy, a zero fill, a file's bytes) must reach the I-side: Arm ARM
 * B2.4.4 (asm/cache.h). prot is the entry's VM_* protection. */
static void sync_exec_page(paddr_t pa, unsigned prot)
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
int for_each_pte(struct aspace *as, uint64_t start, uint64_t end,
			int (*fn)(struct aspace *as, uint64_t va, uint64_t *pte, void *arg), void *arg)
{
	for (uint64_t va = start; va < end;) {
		uint64_t table_end = MIN(ALIGN_DOWN(va, PT_LEVEL_SIZE(2)) + PT_LEVEL_SIZE(2), end);
		uint64_t *pte = pte_of(as, va, false);

		for (; pte && va < table_end; va += PAGE_SIZE, pte++) {
			if (*pte & PTE_VALID) {
				int err = fn(as, va, pte, arg);

				if (err)
					return err;
			}
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
static void clear_range(struct aspace *as, const struct vma *v)
{
	for_each_pte(as, v->start, v->end, clear_one, (void *)v);
}

/* Frees every table below the root (the space is no longer in use). */
static void free_tables(struct aspace *as)
{
	for (size_t i = 0; i < as->ntables; i++)
		frame_free(as->tables[i], 0);
	kfree(as->tables);
	as->tables = NULL;
	as->ntables = as->tables_cap = 0;
}

/* Drops table pa from as->tables, for prune_tables. */
static void table_forget(struct aspace *as, paddr_t pa)
{
	for (size_t i = 0; i < as->ntables; i++)
		if (as->tables[i] == pa) {
			as->tables[i] = as->tables[--as->ntables];
			return;
		}
}

/*
 * Every unmap asks this of up to three tables, and a region alone in its
 * 512 GiB (a static program's mmap area: the bench's mmap and thread rows)
 * has all three empty each time, so it reads 8 entries per step, ORed
 * (about a third of the instructions of one test per entry), starting at
 * the group holding entry `from`, the one the unmap crossed: a table
 * still in use mostly has a neighbour of the unmapped range next to it.
 */
#define TABLE_SCAN_GROUP 8 /* g[0] to g[7] below */
static bool table_empty(const uint64_t *t, size_t from)
{
	for (size_t n = 0; n < PT_ENTRIES; n += TABLE_SCAN_GROUP) {
		const uint64_t *g = t + ((from + n) & (PT_ENTRIES - TABLE_SCAN_GROUP));

		/*
		 * Any entry, valid or not, keeps its table. Written out: GCC
		 * keeps a loop for it, at 4 instructions an entry.
		 */
		if (g[0] | g[1] | g[2] | g[3] | g[4] | g[5] | g[6] | g[7])
			return false;
	}
	return true;
}

/*
 * Frees the tables below level-l table t (covering base onwards) that
 * [start, end) crosses and that hold no valid entry. An unmap gives back
 * the tables its region's faults made, as Linux's free_pgtables does:
 * otherwise a process that maps, touches and unmaps ever new ranges
 * (initfsd's file reservations, one per file, written at random offsets)
 * makes the kernel keep tables for memory no one has any more. Each entry
 * is cleared and its walk-cache copies invalidated (TLBI VAE1IS covers
 * every level used to translate the address, Arm ARM D8.13) before its
 * table goes back to the allocator. Called locked.
 */
static void prune_tables(struct aspace *as, uint64_t *t, int l, uint64_t base, uint64_t start,
			 uint64_t end)
{
	uint64_t size = PT_LEVEL_SIZE(l);
	size_t first = start > base ? (start - base) / size : 0;

	for (size_t i = first; i < PT_ENTRIES && base + i * size < end; i++) {
		uint64_t va = base + i * size;
		uint64_t *child;
		paddr_t pa;

		if (!(t[i] & PTE_VALID))
			continue;
		child = table_of(t[i]);
		if (l + 1 < PT_LEVELS - 1)
			prune_tables(as, child, l + 1, va, start, end);
		if (!table_empty(child, PT_INDEX(va > start ? va : start, l + 1)))
			continue;
		pa = t[i] & PTE_ADDR_MASK;
		set_pte(&t[i], 0);
		tlb_flush_user_page(aspace_asid(as), va);
		table_forget(as, pa);
		frame_free(pa, 0);
	}
}

/* ---- regions ---- */

static void obj_put(struct vm_object *obj)
{
	if (!obj || __atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	for (size_t i = 0; i < obj->npages; i++)
		if (obj->pages[i])
			page_put(obj->pages[i]);
	kfree(obj);
}

/* Frees a region that is in no list (its pages, if any, are gone). */
void vma_free(struct vma *v)
{
	obj_put(v->obj);
	kfree(v);
}

/* Unmaps and frees a list of regions detached from as. Called locked. */
static void release_locked(struct aspace *as, struct vma *list)
{
	while (list) {
		struct vma *v = list;

		list = v->next;
		clear_range(as, v);
		vma_free(v);
	}
}

/* Removes [start, end) from every region of as. Called locked. */
int unmap_locked(struct aspace *as, uint64_t start, uint64_t end)
{
	int err = vma_split_range(as->vmas, start, end);

	if (!err) {
		release_locked(as, vma_detach(&as->vmas, start, end));
		prune_tables(as, phys_to_virt(as->root), 0, 0, start, end);
	}
	return err;
}

void vm_object_put(struct vm_object *obj)
{
	obj_put(obj);
}

/* Whether as may write at va (its region's protection). */
static bool region_writable(struct aspace *as, uint64_t va)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	struct vma *v = vma_find(as->vmas, va);
	bool w = v && (v->prot & VM_WRITE);

	spin_unlock_irqrestore(&as->lock, irq);
	return w;
}

struct vm_object *vm_object_from(struct aspace *as, uint64_t va, size_t npages)
{
	struct vm_object *obj = kzalloc(sizeof(*obj) + npages * sizeof(paddr_t));

	if (!obj)
		return NULL;
	obj->refcount = 1;
	obj->npages = npages;
	obj->foreign = true;
	for (size_t i = 0; i < npages; i++) {
		uint64_t page_va = va + i * PAGE_SIZE;

		/* Where the daemon may write, its copy-on-write is broken first:
		 * the page handed over is then its own for good, so a shared
		 * mapping and the daemon see each other's writes. */
		if (uvm_get_page(as, page_va, region_writable(as, page_va), &obj->pages[i])) {
			obj_put(obj); /* drops the pages taken so far */
			return NULL;
		}
	}
	return obj;
}

/* Links the new region v into as, first unmapping [v->start, v->end) if
 * replace, in one hold of the lock; on failure v is freed and the old
 * mappings stand. */
static int insert_region(struct aspace *as, struct vma *v, bool replace)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	int err = replace ? unmap_locked(as, v->start, v->end) : 0;

	if (!err)
		err = vma_insert(&as->vmas, v);
	spin_unlock_irqrestore(&as->lock, irq);
	if (err)
		vma_free(v);
	return err;
}

/* A region mapping obj's pages from pgoff on with these VMA flags. */
static int map_object(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		      struct vm_object *obj, uint64_t pgoff, bool replace, unsigned flags)
{
	struct vma *v;

	if (!IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || start < USER_BASE || end > USER_TOP)
		return -EINVAL;
	if (pgoff > obj->npages || (end - start) / PAGE_SIZE > obj->npages - pgoff)
		return -EINVAL;
	if (!uprot_valid(prot, flags & VMA_FILE))
		return -EACCES;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	*v = (struct vma){ .start = start, .end = end, .prot = prot, .flags = flags,
			   .obj = obj, .obj_pgoff = pgoff };
	__atomic_add_fetch(&obj->refcount, 1, __ATOMIC_RELAXED);
	return insert_region(as, v, replace);
}

int uvm_map_object(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		   struct vm_object *obj, uint64_t pgoff, bool replace)
{
	/* A file view: never writable, now or by mprotect (uprot_valid). */
	return map_object(as, start, end, prot, obj, pgoff, replace, VMA_SHARED | VMA_FILE);
}

int uvm_map_object_shared(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
			  struct vm_object *obj, uint64_t pgoff, bool replace, bool may_write)
{
	/* Shared memory like an anonymous shared region (fork shares it,
	 * writes go to the pages themselves), but not writable for good
	 * unless the file was opened for writing (Linux's VM_MAYWRITE). */
	return map_object(as, start, end, prot, obj, pgoff, replace,
			  may_write ? VMA_SHARED : VMA_SHARED | VMA_FILE);
}

/* A new region (and its shared object), in no list yet; NULL if no memory. */
struct vma *vma_new(uint64_t start, uint64_t end, unsigned prot, unsigned flags,
			   paddr_t file_pa, uint64_t file_len)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (!v)
		return NULL;
	*v = (struct vma){ .start = start, .end = end, .prot = prot, .flags = flags,
			   .file_pa = file_pa, .file_len = file_len };
	if (flags & VMA_SHARED) {
		size_t n = (end - start) / PAGE_SIZE;

		v->obj = kzalloc(sizeof(*v->obj) + n * sizeof(paddr_t));
		if (!v->obj) {
			kfree(v);
			return NULL;
		}
		v->obj->refcount = 1;
		v->obj->npages = n;
	}
	return v;
}

/* Whether a region with these flags may have protection prot: uprot's
 * policy, and device memory is never executable. */
static bool region_prot_ok(unsigned prot, unsigned flags)
{
	return uprot_valid(prot, flags & VMA_FILE) && !((flags & VMA_DEVICE) && (prot & VM_EXEC));
}

/* The VM_* protection of a page entry of v (see uprot_page), with the
 * memory type: Device-nGnRE for device registers. */
static unsigned page_prot(const struct vma *v, bool cow)
{
	return uprot_page(v->prot, cow) | ((v->flags & VMA_DEVICE) ? VM_DEVICE : 0);
}

/* Adds a region, first unmapping [start, end) if replace. Everything that
 * can fail for a reason of the caller's is checked before anything changes. */
static int map_region(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		      unsigned flags, paddr_t file_pa, uint64_t file_len, bool replace)
{
	struct vma *v;

	if (!IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || start < USER_BASE || end > USER_TOP)
		return -EINVAL;
	if (!region_prot_ok(prot, flags))
		return -EACCES;
	v = vma_new(start, end, prot, flags, file_pa, file_len);
	if (!v)
		return -ENOMEM;
	return insert_region(as, v, replace);
}

int uvm_add_region(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		   unsigned flags, paddr_t file_pa, uint64_t file_len)
{
	return map_region(as, start, end, prot, flags, file_pa, file_len, false);
}

int uvm_replace_region(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		       unsigned flags, paddr_t file_pa, uint64_t file_len)
{
	return map_region(as, start, end, prot, flags, file_pa, file_len, true);
}

int uvm_unmap(struct aspace *as, uint64_t start, uint64_t end)
{
	uint64_t irq;
	int err;

	if (!IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || end > USER_TOP)
		return -EINVAL;
	irq = spin_lock_irqsave(&as->lock);
	err = unmap_locked(as, start, end);
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/* Rewrites one present entry of region arg for its new protection. */
static int reprotect_one(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	struct vma *v = arg;
	paddr_t pa = *pte & PTE_ADDR_MASK;
	/* A shared or sole-owner page may be writable; others stay COW. */
	bool cow = (v->prot & VM_WRITE) && !(v->flags & (VMA_SHARED | VMA_DEVICE)) && page_refs(pa) != 1;

	/* Becoming executable (mprotect adding PROT_EXEC): the page may have
	 * been written while it was not. */
	if (*pte & PTE_UXN)
		sync_exec_page(pa, page_prot(v, cow));
	set_pte(pte, user_pte(pa, page_prot(v, cow)) | (cow ? PTE_SW_COW : 0));
	tlb_flush_user_page(aspace_asid(as), va);
	return 0;
}

int uvm_protect(struct aspace *as, uint64_t start, uint64_t end, unsigned prot)
{
	uint64_t irq;
	int err;

	if (!IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || end > USER_TOP)
		return -EINVAL;
	if (!uprot_valid(prot, false))
		return -EACCES;
	irq = spin_lock_irqsave(&as->lock);
	/* Everything in the range must be mapped (Linux: ENOMEM otherwise). */
	for (uint64_t a = start; a < end;) {
		struct vma *v = vma_find(as->vmas, a);

		err = !v ? -ENOMEM : !region_prot_ok(prot, v->flags) ? -EACCES : 0;
		if (err) {
			spin_unlock_irqrestore(&as->lock, irq);
			return err;
		}
		a = v->end;
	}
	err = vma_split_range(as->vmas, start, end);
	for (struct vma *v = as->vmas; !err && v; v = v->next) {
		if (v->start >= start && v->end <= end) {
			v->prot = prot;
			for_each_pte(as, v->start, v->end, reprotect_one, v);
		}
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

uint64_t uvm_find_free(struct aspace *as, uint64_t len)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	uint64_t found = vma_find_gap(as->vmas, ALIGN_UP(as->brk, PAGE_SIZE) + BRK_ROOM, as->mmap_top, len);

	spin_unlock_irqrestore(&as->lock, irq);
	return found;
}

uint64_t uvm_brk(struct aspace *as, uint64_t want)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	uint64_t brk = as->brk, old_end = ALIGN_UP(brk, PAGE_SIZE), new_end;
	struct vma *v;
	int err = 0;

	/* brk(0) and every failure leave the break; checked against USER_BRK_MAX
	 * first, so rounding want up cannot wrap. */
	if (want < as->brk_start || want > USER_BRK_MAX)
		goto out;
	new_end = ALIGN_UP(want, PAGE_SIZE);
	if (new_end > old_end) {
		/* Under the lock, as splits allocate: the heap never takes it. */
		v = kzalloc(sizeof(*v));
		if (!v)
			goto out;
		*v = (struct vma){ .start = old_end, .end = new_end, .prot = VM_READ | VM_WRITE,
				   .flags = VMA_HEAP };
		err = vma_insert(&as->vmas, v);
		if (err)
			kfree(v);
	} else if (new_end < old_end) {
		err = unmap_locked(as, new_end, old_end);
	}
	if (!err)
		as->brk = brk = want;
out:
	spin_unlock_irqrestore(&as->lock, irq);
	return brk;
}

size_t uvm_pages(struct aspace *as)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	size_t pages = as->pages;

	spin_unlock_irqrestore(&as->lock, irq);
	return pages;
}

/* ---- faults ---- */

/* The page that should back va in v, with a reference for the new mapping. */
static int page_for(struct vma *v, uint64_t va, paddr_t *pa)
{
	uint64_t off = va - v->start;

	if (v->flags & VMA_DEVICE) {
		*pa = v->file_pa + off; /* not counted: see clear_one */
		return 0;
	}
	if (v->flags & VMA_SHARED) {
		paddr_t *slot = &v->obj->pages[v->obj_pgoff + off / PAGE_SIZE];

		if (!*slot && page_alloc(slot))
			return -ENOMEM;
		page_get(*slot);
		*pa = *slot;
		return 0;
	}
	if ((v->flags & VMA_FILE) && off < v->file_len) {
		uint64_t avail = MIN(v->file_len - off, (uint64_t)PAGE_SIZE);

		/* Whole, aligned pages of the initfs are mapped where they are. */
		if (IS_ALIGNED(v->file_pa, PAGE_SIZE) && avail == PAGE_SIZE) {
			*pa = v->file_pa + off;
			return 0;
		}
		if (page_alloc(pa))
			return -ENOMEM;
		memcpy(phys_to_virt(*pa), phys_to_virt(v->file_pa + off), avail);
		return 0;
	}
	return page_alloc(pa);
}

/* Gives the writer of a copy-on-write page its own copy. */
static int break_cow(struct aspace *as, struct vma *v, uint64_t va, uint64_t *pte)
{
	paddr_t old = *pte & PTE_ADDR_MASK, copy;

	if (page_refs(old) == 1) {
		set_pte(pte, user_pte(old, uprot_page(v->prot, false)));
	} else {
		if (page_alloc(&copy))
			return -ENOMEM;
		memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
		sync_exec_page(copy, uprot_page(v->prot, false)); /* none while W^X holds */
		set_pte(pte, user_pte(copy, uprot_page(v->prot, false)));
		page_put(old);
	}
	tlb_flush_user_page(aspace_asid(as), va);
	return 0;
}

/*
 * Makes va present (and writable if write). kernel: a kernel write through
 * the physmap (uvm_write), which skips the region's protection and needs
 * only the page. Otherwise 0 means the entry now allows the access: a fault
 * whose entry this cannot change is -EFAULT, never "resolved", or the retry
 * would take the same fault forever.
 */
static int fault_locked(struct aspace *as, uint64_t va, bool write, bool exec, bool kernel)
{
	struct vma *v = vma_find(as->vmas, va);
	uint64_t *pte;
	paddr_t pa;
	int err = 0;

	va = ALIGN_DOWN(va, PAGE_SIZE);
	if (!v || (!kernel && !uprot_allows(v->prot, write, exec)))
		return -EFAULT;
	if (kernel && (v->flags & VMA_DEVICE))
		return -EFAULT; /* uvm_write copies through the physmap: RAM only */
	pte = pte_of(as, va, true);
	if (!pte)
		return -ENOMEM;
	if (!(*pte & PTE_VALID)) {
		if (page_for(v, va, &pa))
			return -ENOMEM;
		/* A kernel write (uvm_write) syncs the page after writing it. */
		if (!kernel)
			sync_exec_page(pa, page_prot(v, false));
		set_pte(pte, user_pte(pa, page_prot(v, false)));
		as->pages++;
	} else if (write && (*pte & PTE_SW_COW)) {
		err = break_cow(as, v, va, pte);
	} else if (!kernel && uprot_pte_allows(*pte, write, exec)) {
		/* Made right since the fault was taken; a stale TLB entry may remain. */
		tlb_flush_user_page(aspace_asid(as), va);
	}
	if (err)
		return err;
	return kernel || uprot_pte_allows(*pte, write, exec) ? 0 : -EFAULT;
}

/* OOM kills one fault may cause before it fails as it did before: memory
 * another fault took while this one waited. */
#define UVM_OOM_TRIES 3

/* After a fault's try failed with err (as's lock dropped): whether to try
 * again, the OOM killer having freed memory (mm/uvm_oom.h). */
static bool oom_retry(int err, int tries)
{
	return err == -ENOMEM && tries < UVM_OOM_TRIES && oom_kill_and_wait();
}

int uvm_fault(struct aspace *as, uint64_t addr, bool write, bool exec)
{
	uint64_t irq;
	int err;

	if (addr >= USER_TOP)
		return -EFAULT;
	for (int tries = 0;; tries++) {
		irq = spin_lock_irqsave(&as->lock);
		failalloc_suspend(); /* a fault cannot report ENOMEM (failalloc.h) */
		err = fault_locked(as, addr, write, exec, false);
		failalloc_resume();
		spin_unlock_irqrestore(&as->lock, irq);
		if (!oom_retry(err, tries))
			return err ? -EFAULT : 0;
	}
}

int uvm_get_page(struct aspace *as, uint64_t va, bool write, paddr_t *pa)
{
	uint64_t irq;
	uint64_t *pte;
	int err;

	if (va >= USER_TOP)
		return -EFAULT;
	for (int tries = 0;; tries++) {
		irq = spin_lock_irqsave(&as->lock);
		failalloc_suspend(); /* as for a fault: the page is the caller's own */
		err = fault_locked(as, va, write, false, false);
		failalloc_resume();
		pte = err ? NULL : pte_of(as, ALIGN_DOWN(va, PAGE_SIZE), false);
		if (pte) {
			*pa = *pte & PTE_ADDR_MASK;
			page_get(*pa);
		}
		spin_unlock_irqrestore(&as->lock, irq);
		if (!oom_retry(err, tries))
			return pte ? 0 : -EFAULT;
	}
}

int uvm_write(struct aspace *as, uint64_t va, const void *src, size_t len)
{
	const uint8_t *s = src;
	uint64_t end;

	if (!urange_end(va, len, USER_TOP, &end))
		return -EFAULT;
	while (len) {
		uint64_t irq = spin_lock_irqsave(&as->lock);
		size_t chunk = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		int err = fault_locked(as, va, true, false, true);
		uint64_t *pte = err ? NULL : pte_of(as, va, false);

		if (pte) {
			uint8_t *dst = (uint8_t *)phys_to_virt(*pte & PTE_ADDR_MASK) + (va & (PAGE_SIZE - 1));

			memcpy(dst, s, chunk);
			/* Executable (exec loading a segment, a debugger's poke):
			 * the whole page, as fault_locked left a new one unsynced. */
			if (!(*pte & PTE_UXN))
				cache_sync_exec((vaddr_t)ALIGN_DOWN((vaddr_t)dst, PAGE_SIZE), PAGE_SIZE);
		}
		spin_unlock_irqrestore(&as->lock, irq);
		if (err)
			return err;
		va += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

/* ---- whole spaces ---- */

struct aspace *aspace_create(void)
{
	struct aspace *as = kzalloc(sizeof(*as));

	if (!as)
		return NULL;
	as->lock = (spinlock_t)SPINLOCK_INIT("aspace");
	/* The ASID comes at the first switch-in (mm/asid.c): never one a
	 * TLB still holds entries of, as ASIDs are not reused within a
	 * generation and a new one starts with every TLB flushed. */
	as->mmap_top = USER_MMAP_TOP;
	if (frame_alloc_zeroed(0, &as->root)) {
		kfree(as);
		return NULL;
	}
	return as;
}

void aspace_destroy(struct aspace *as)
{
	if (!as)
		return;
	/* The last user is gone: nobody else can take the lock. */
	release_locked(as, as->vmas);
	as->vmas = NULL;
	free_tables(as);
	frame_free(as->root, 0);
	/* The tables are gone: drop any walk of them a TLB kept (its number
	 * is not handed out again before the next generation anyway). */
	if (aspace_asid(as))
		tlb_flush_asid(aspace_asid(as));
	kfree(as);
}

void aspace_activate(struct aspace *as)
{
	/* Masked: the ASID is chosen for this CPU and must go into its TTBR0. */
	uint64_t irq = irq_save();
	uint64_t asid = as ? asid_switch_in(&as->context) : 0;

	write_sysreg(ttbr0_el1, as ? as->root | (asid << TTBR_ASID_SHIFT) : empty_root);
	isb();
	irq_restore(irq);
}

struct fork_ctx {
	struct aspace *child;
	struct vma *v;
};

/* Shares one present page with the child (copy-on-write if private). */
static int fork_one(struct aspace *parent, uint64_t va, uint64_t *pte, void *arg)
{
	struct fork_ctx *ctx = arg;
	uint64_t val = *pte, *cpte;

	(void)parent;
	if (!(ctx->v->flags & (VMA_SHARED | VMA_DEVICE)) && (ctx->v->prot & VM_WRITE)) {
		val = user_pte(val & PTE_ADDR_MASK, uprot_page(ctx->v->prot, true)) | PTE_SW_COW;
		set_pte(pte, val);
	}
	cpte = pte_of(ctx->child, va, true);
	if (!cpte)
		return -ENOMEM;
	if (!(ctx->v->flags & VMA_DEVICE))
		page_get(val & PTE_ADDR_MASK);
	set_pte(cpte, val);
	ctx->child->pages++;
	return 0;
}

static int fork_region(struct aspace *parent, struct aspace *child, struct vma *v)
{
	struct fork_ctx ctx = { .child = child, .v = v };

	return for_each_pte(parent, v->start, v->end, fork_one, &ctx);
}

struct aspace *aspace_fork(struct aspace *parent)
{
	struct aspace *child = aspace_create();
	struct vma **tail;
	uint64_t irq;
	int err = 0;

	if (!child)
		return NULL;
	tail = &child->vmas;
	irq = spin_lock_irqsave(&parent->lock);
	for (struct vma *v = parent->vmas; v && !err; v = v->next) {
		struct vma *c = kmalloc(sizeof(*c));

		if (!c) {
			err = -ENOMEM;
			break;
		}
		*c = *v;
		c->next = NULL;
		if (c->obj)
			__atomic_add_fetch(&c->obj->refcount, 1, __ATOMIC_RELAXED);
		*tail = c;
		tail = &c->next;
		err = fork_region(parent, child, v);
	}
	child->brk_start = parent->brk_start;
	child->mmap_top = parent->mmap_top;
	child->brk = parent->brk;
	/* The parent's writable pages just became read-only. */
	tlb_flush_asid(aspace_asid(parent));
	spin_unlock_irqrestore(&parent->lock, irq);
	if (err) {
		aspace_destroy(child);
		return NULL;
	}
	return child;
}
