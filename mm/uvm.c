/*
 * mm/uvm.c: user address spaces (see uvm.h). Lock order: an aspace's lock,
 * then the frame allocator's. A shared vm_object's pages are filled under
 * the lock of whichever space faults first: fine while processes are single
 * CPU; SMP will give objects their own lock.
 */
#include "mm/uvm.h"
#include "mm/page.h"
#include "mm/frame.h"
#include "mm/kmap.h"
#include "mm/vm.h"
#include "mm/heap.h"
#include "mm/failalloc.h"
#include "kernel/errno.h"
#include "asm/cpu.h"
#include <string.h>

#define ASID_COUNT 65536      /* 16-bit ASIDs (TCR_EL1.AS) */
#define ASID_COUNT_8BIT 256   /* CPUs with 8-bit ASIDs only */
#define ASID_MAP_BITS 64      /* bits per asid_map word */
#define ASID_RESERVED 0       /* the empty table of threads with no space */
#define TTBR_ASID_SHIFT 48
#define TLBI_ASID_SHIFT 48

static spinlock_t asid_lock = SPINLOCK_INIT("asid");
static uint64_t asid_map[ASID_COUNT / ASID_MAP_BITS]; /* guarded by asid_lock */
static unsigned asid_limit = ASID_COUNT;   /* 256 if only 8-bit ASIDs */
static paddr_t empty_root;                 /* set once by uvm_init */

void uvm_init(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);

	if (((mmfr0 >> ID_AA64MMFR0_ASIDBITS_SHIFT) & ID_AA64MMFR0_ASIDBITS_MASK) != ID_AA64MMFR0_ASIDBITS_16)
		asid_limit = ASID_COUNT_8BIT;
	asid_map[0] |= 1UL << ASID_RESERVED;
	if (frame_alloc_zeroed(0, &empty_root))
		return;
	write_sysreg(ttbr0_el1, empty_root);
	isb();
	/* TTBR0 walks were off since the switch-over; user spaces need them. */
	write_sysreg(tcr_el1, read_sysreg(tcr_el1) & ~TCR_EPD0);
	isb();
	tlb_flush_all();
}

static int asid_alloc(uint16_t *asid)
{
	uint64_t flags = spin_lock_irqsave(&asid_lock);

	for (unsigned i = 0; i < asid_limit; i++) {
		if (!(asid_map[i / ASID_MAP_BITS] & (1UL << (i % ASID_MAP_BITS)))) {
			asid_map[i / ASID_MAP_BITS] |= 1UL << (i % ASID_MAP_BITS);
			spin_unlock_irqrestore(&asid_lock, flags);
			*asid = (uint16_t)i;
			return 0;
		}
	}
	spin_unlock_irqrestore(&asid_lock, flags);
	return -EAGAIN;
}

static void tlb_flush_asid(uint16_t asid)
{
	dsb(ishst);
	__asm__ volatile("tlbi aside1is, %0" : : "r"((uint64_t)asid << TLBI_ASID_SHIFT) : "memory");
	dsb(ish);
	isb();
}

static void tlb_flush_user_page(uint16_t asid, uint64_t va)
{
	dsb(ishst);
	__asm__ volatile("tlbi vae1is, %0"
			 : : "r"(((uint64_t)asid << TLBI_ASID_SHIFT) | ((va >> PAGE_SHIFT) & TLBI_VA_MASK))
			 : "memory");
	dsb(ish);
	isb();
}

static void asid_free(uint16_t asid)
{
	uint64_t flags;

	tlb_flush_asid(asid);
	flags = spin_lock_irqsave(&asid_lock);
	asid_map[asid / ASID_MAP_BITS] &= ~(1UL << (asid % ASID_MAP_BITS));
	spin_unlock_irqrestore(&asid_lock, flags);
}

/* ---- page tables (through the physmap) ---- */

static uint64_t *table_of(uint64_t desc)
{
	return phys_to_virt(desc & PTE_ADDR_MASK);
}

/* The level-3 entry for va; allocates missing tables when create. */
static uint64_t *pte_of(struct aspace *as, uint64_t va, bool create)
{
	uint64_t *t = phys_to_virt(as->root);

	for (int l = 0; l < PT_LEVELS - 1; l++) {
		uint64_t *e = &t[PT_INDEX(va, l)];

		if (!(*e & PTE_VALID)) {
			paddr_t pa;

			if (!create || frame_alloc_zeroed(0, &pa))
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

static void set_pte(uint64_t *pte, uint64_t val)
{
	*pte = val;
	dsb(ishst);
}

/*
 * Calls fn for every present page entry in [start, end), one level-3 table
 * at a time: ranges with no table are skipped whole, and a table's entries
 * are scanned without walking from the top for each.
 */
static int for_each_pte(struct aspace *as, uint64_t start, uint64_t end,
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

static int clear_one(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	(void)arg;
	page_put(*pte & PTE_ADDR_MASK);
	set_pte(pte, 0);
	tlb_flush_user_page(as->asid, va);
	as->pages--;
	return 0;
}

/* Clears the entries of [start, end), dropping page references. */
static void clear_range(struct aspace *as, uint64_t start, uint64_t end)
{
	for_each_pte(as, start, end, clear_one, NULL);
}

static void free_tables(uint64_t *t, int level)
{
	for (unsigned i = 0; level < PT_LEVELS - 1 && i < PT_ENTRIES; i++) {
		if (t[i] & PTE_VALID) {
			free_tables(table_of(t[i]), level + 1);
			frame_free(t[i] & PTE_ADDR_MASK, 0);
		}
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

static struct vma *vma_find(struct aspace *as, uint64_t addr)
{
	for (struct vma *v = as->vmas; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

static bool prot_ok(unsigned prot)
{
	return !((prot & VM_WRITE) && (prot & VM_EXEC));
}

/* Anonymous private regions with the same protection extend each other. */
static bool mergeable(const struct vma *a, const struct vma *b)
{
	return a->prot == b->prot && a->flags == b->flags && !a->obj && !b->obj &&
		!(a->flags & (VMA_FILE | VMA_SHARED));
}

int uvm_add_region(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		   unsigned flags, paddr_t file_pa, uint64_t file_len)
{
	struct vma *v, **p, *prev = NULL;
	uint64_t irq;

	if (!IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || start < USER_BASE || end > USER_TOP)
		return -EINVAL;
	if (!prot_ok(prot) || ((flags & VMA_FILE) && (prot & VM_WRITE)))
		return -EACCES;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	*v = (struct vma){ .start = start, .end = end, .prot = prot, .flags = flags,
			   .file_pa = file_pa, .file_len = file_len };
	if (flags & VMA_SHARED) {
		size_t n = (end - start) / PAGE_SIZE;

		v->obj = kzalloc(sizeof(*v->obj) + n * sizeof(paddr_t));
		if (!v->obj) {
			kfree(v);
			return -ENOMEM;
		}
		v->obj->refcount = 1;
		v->obj->npages = n;
	}
	irq = spin_lock_irqsave(&as->lock);
	for (p = &as->vmas; *p && (*p)->start < end; p = &(*p)->next) {
		if ((*p)->end > start) {
			spin_unlock_irqrestore(&as->lock, irq);
			obj_put(v->obj);
			kfree(v);
			return -EEXIST;
		}
		prev = *p;
	}
	/* A growing heap would otherwise add a region per brk call. */
	if (prev && prev->end == start && mergeable(prev, v)) {
		prev->end = end;
		spin_unlock_irqrestore(&as->lock, irq);
		kfree(v);
		return 0;
	}
	v->next = *p;
	*p = v;
	spin_unlock_irqrestore(&as->lock, irq);
	return 0;
}

/* Splits v at addr (strictly inside it); the new upper half follows v. */
static int vma_split(struct vma *v, uint64_t addr)
{
	struct vma *hi = kmalloc(sizeof(*hi));

	if (!hi)
		return -ENOMEM;
	*hi = *v;
	hi->start = addr;
	if (v->obj) {
		__atomic_add_fetch(&v->obj->refcount, 1, __ATOMIC_RELAXED);
		hi->obj_pgoff += (addr - v->start) / PAGE_SIZE;
	}
	if (v->flags & VMA_FILE) {
		uint64_t cut = addr - v->start;

		hi->file_pa += cut;
		hi->file_len = v->file_len > cut ? v->file_len - cut : 0;
	}
	v->end = addr;
	v->next = hi;
	return 0;
}

/* Splits regions so that start and end fall on region boundaries. */
static int split_at(struct aspace *as, uint64_t start, uint64_t end)
{
	for (struct vma *v = as->vmas; v; v = v->next) {
		int err = 0;

		if (v->start < start && start < v->end)
			err = vma_split(v, start);
		else if (v->start < end && end < v->end)
			err = vma_split(v, end);
		if (err)
			return err;
	}
	return 0;
}

int uvm_unmap(struct aspace *as, uint64_t start, uint64_t end)
{
	uint64_t irq;
	int err;

	if (!IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || end > USER_TOP)
		return -EINVAL;
	irq = spin_lock_irqsave(&as->lock);
	err = split_at(as, start, end);
	if (!err) {
		struct vma **p = &as->vmas;

		while (*p) {
			struct vma *v = *p;

			if (v->start >= start && v->end <= end) {
				*p = v->next;
				clear_range(as, v->start, v->end);
				obj_put(v->obj);
				kfree(v);
			} else {
				p = &v->next;
			}
		}
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/* Rewrites one present entry of region arg for its new protection. */
static int reprotect_one(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	struct vma *v = arg;
	paddr_t pa = *pte & PTE_ADDR_MASK;

	/* A shared or sole-owner page may be writable; others stay COW. */
	if ((v->prot & VM_WRITE) && !(v->flags & VMA_SHARED) && page_refs(pa) != 1)
		set_pte(pte, user_pte(pa, v->prot & ~VM_WRITE) | PTE_SW_COW);
	else
		set_pte(pte, user_pte(pa, v->prot));
	tlb_flush_user_page(as->asid, va);
	return 0;
}

int uvm_protect(struct aspace *as, uint64_t start, uint64_t end, unsigned prot)
{
	uint64_t irq;
	int err;

	if (!IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || end > USER_TOP)
		return -EINVAL;
	if (!prot_ok(prot))
		return -EACCES;
	irq = spin_lock_irqsave(&as->lock);
	/* Everything in the range must be mapped (Linux: ENOMEM otherwise). */
	for (uint64_t a = start; a < end;) {
		struct vma *v = vma_find(as, a);

		if (!v) {
			spin_unlock_irqrestore(&as->lock, irq);
			return -ENOMEM;
		}
		if ((v->flags & VMA_FILE) && (prot & VM_WRITE)) {
			spin_unlock_irqrestore(&as->lock, irq);
			return -EACCES;
		}
		a = v->end;
	}
	err = split_at(as, start, end);
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
	uint64_t top = USER_MMAP_TOP, found = 0;

	len = ALIGN_UP(len, PAGE_SIZE);
	/* Highest gap below USER_MMAP_TOP: scan the sorted list, keep the last fit. */
	uint64_t prev_end = ALIGN_UP(as->brk, PAGE_SIZE) + 64 * MiB; /* room for brk */
	for (struct vma *v = as->vmas; v; v = v->next) {
		uint64_t gap_end = MIN(v->start, top);

		if (gap_end > prev_end && gap_end - prev_end >= len)
			found = gap_end - len;
		if (v->end > prev_end)
			prev_end = v->end;
	}
	if (top > prev_end && top - prev_end >= len)
		found = top - len;
	spin_unlock_irqrestore(&as->lock, irq);
	return found;
}

/* ---- faults ---- */

/* The page that should back va in v, with a reference for the new mapping. */
static int page_for(struct vma *v, uint64_t va, paddr_t *pa, bool *direct)
{
	uint64_t off = va - v->start;

	*direct = false;
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
			*direct = true;
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
		set_pte(pte, user_pte(old, v->prot));
	} else {
		if (page_alloc(&copy))
			return -ENOMEM;
		memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
		set_pte(pte, user_pte(copy, v->prot));
		page_put(old);
	}
	tlb_flush_user_page(as->asid, va);
	return 0;
}

/* Makes va present (and writable if write); kernel = skip v->prot checks. */
static int fault_locked(struct aspace *as, uint64_t va, bool write, bool exec, bool kernel)
{
	struct vma *v = vma_find(as, va);
	uint64_t *pte;
	paddr_t pa;
	bool direct;

	va = ALIGN_DOWN(va, PAGE_SIZE);
	if (!v)
		return -EFAULT;
	if (!kernel && ((write && !(v->prot & VM_WRITE)) || (exec && !(v->prot & VM_EXEC)) ||
			!(v->prot & (VM_READ | VM_WRITE | VM_EXEC))))
		return -EFAULT;
	pte = pte_of(as, va, true);
	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_VALID) {
		if (write && (*pte & PTE_SW_COW))
			return break_cow(as, v, va, pte);
		return 0; /* resolved meanwhile, or a kernel write to a present page */
	}
	if (page_for(v, va, &pa, &direct))
		return -ENOMEM;
	set_pte(pte, user_pte(pa, v->prot));
	as->pages++;
	return 0;
}

int uvm_fault(struct aspace *as, uint64_t addr, bool write, bool exec)
{
	uint64_t irq;
	int err;

	if (addr >= USER_TOP)
		return -EFAULT;
	irq = spin_lock_irqsave(&as->lock);
	failalloc_suspend(); /* a fault cannot report ENOMEM (failalloc.h) */
	err = fault_locked(as, addr, write, exec, false);
	failalloc_resume();
	spin_unlock_irqrestore(&as->lock, irq);
	return err ? -EFAULT : 0;
}

int uvm_write(struct aspace *as, uint64_t va, const void *src, size_t len)
{
	const uint8_t *s = src;

	while (len) {
		uint64_t irq = spin_lock_irqsave(&as->lock);
		size_t chunk = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		int err = fault_locked(as, va, true, false, true);
		uint64_t *pte = err ? NULL : pte_of(as, va, false);

		if (pte && (*pte & PTE_SW_COW))
			err = break_cow(as, vma_find(as, va), ALIGN_DOWN(va, PAGE_SIZE), pte);
		if (!err && pte) {
			memcpy((uint8_t *)phys_to_virt(*pte & PTE_ADDR_MASK) + (va & (PAGE_SIZE - 1)), s, chunk);
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
	if (frame_alloc_zeroed(0, &as->root) || asid_alloc(&as->asid)) {
		if (as->root)
			frame_free(as->root, 0);
		kfree(as);
		return NULL;
	}
	tlb_flush_asid(as->asid); /* nothing of a previous owner survives */
	return as;
}

void aspace_destroy(struct aspace *as)
{
	if (!as)
		return;
	while (as->vmas) {
		struct vma *v = as->vmas;

		as->vmas = v->next;
		clear_range(as, v->start, v->end);
		obj_put(v->obj);
		kfree(v);
	}
	free_tables(phys_to_virt(as->root), 0);
	frame_free(as->root, 0);
	asid_free(as->asid);
	kfree(as);
}

void aspace_activate(struct aspace *as)
{
	write_sysreg(ttbr0_el1, as ? as->root | ((uint64_t)as->asid << TTBR_ASID_SHIFT) : empty_root);
	isb();
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
	if (!(ctx->v->flags & VMA_SHARED) && (ctx->v->prot & VM_WRITE)) {
		val = user_pte(val & PTE_ADDR_MASK, ctx->v->prot & ~VM_WRITE) | PTE_SW_COW;
		set_pte(pte, val);
	}
	cpte = pte_of(ctx->child, va, true);
	if (!cpte)
		return -ENOMEM;
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
	child->brk = parent->brk;
	/* The parent's writable pages just became read-only. */
	tlb_flush_asid(parent->asid);
	spin_unlock_irqrestore(&parent->lock, irq);
	if (err) {
		aspace_destroy(child);
		return NULL;
	}
	return child;
}
