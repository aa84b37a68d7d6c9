/*
 * mm/uvm.c: user address spaces as a whole (see uvm.h): creation, the
 * switch to one (TTBR0 and its ASID), destruction and fork's copy. The
 * parts live beside it: page tables (mm/uvm_pt.c), regions
 * (mm/uvm_region.c), faults (mm/uvm_fault.c), remapping (mm/uvm_remap.c).
 * Lock order: an aspace's lock, then the heap's and the frame allocator's.
 * A shared vm_object's pages are filled under the lock of whichever space
 * faults first: fine while processes are single CPU; SMP will give objects
 * their own lock.
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
#include "mm/space_switch.h"
#include "kernel/percpu.h"
#include "kernel/lib/errno.h"
#include "asm/cpu.h"

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

void aspace_load(struct cpu *c, struct aspace *as)
{
	uint64_t asid = as ? asid_switch_in(&as->context) : 0;

	space_load_ttbr0(c, as, as ? as->root | (asid << TTBR_ASID_SHIFT) : empty_root);
}

void aspace_activate(struct aspace *as)
{
	uint64_t irq = irq_save();

	aspace_load(this_cpu(), as);
	irq_restore(irq);
}

struct fork_ctx {
	struct aspace *child;
	struct vma *v;
	/* The child's level-3 table for the 2 MiB block at table_va (NULL:
	 * none yet): found once per table, not walked for from the root for
	 * every page. */
	uint64_t table_va;
	uint64_t *table;
};

/* Shares one present page with the child (copy-on-write if private). */
static int fork_one(struct aspace *parent, uint64_t va, uint64_t *pte, void *arg)
{
	struct fork_ctx *ctx = arg;
	uint64_t val = *pte, *cpte;
	uint64_t table_va = ALIGN_DOWN(va, PT_LEVEL_SIZE(PT_LEVELS - 2));

	(void)parent;
	if (!(ctx->v->flags & (VMA_SHARED | VMA_DEVICE)) && (ctx->v->prot & VM_WRITE)) {
		val = user_pte(val & PTE_ADDR_MASK, uprot_page(ctx->v->prot, true)) | PTE_SW_COW;
		set_pte(pte, val);
	}
	if (!ctx->table || ctx->table_va != table_va) {
		ctx->table = pte_of(ctx->child, table_va, true); /* entry 0 of the table */
		ctx->table_va = table_va;
	}
	if (!ctx->table)
		return -ENOMEM;
	cpte = ctx->table + PT_INDEX(va, PT_LEVELS - 1);
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
