/*
 * mm/uvm_fault.c: making a user page present: demand faults (zero fill, a
 * shared object's page, an initfs file's page mapped in place or copied),
 * copy-on-write breaks, the OOM killer's retry, and the kernel's own access
 * to user pages (uvm_get_page, uvm_write). Each runs under as->lock.
 */
#include "mm/uvm_internal.h"
#include "mm/page.h"
#include "mm/kmap.h"
#include "mm/vm.h"
#include "mm/uprot.h"
#include "mm/urange.h"
#include "mm/uvm_oom.h"
#include "kernel/failalloc.h"
#include "kernel/lib/errno.h"
#include "asm/cache.h"
#include <string.h>

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
 * would take the same fault forever. On success *pte_out (if not NULL) is
 * va's entry: the callers that want the page need no second walk.
 */
static int fault_locked(struct aspace *as, uint64_t va, bool write, bool exec, bool kernel,
			uint64_t **pte_out)
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
	if (!kernel && !uprot_pte_allows(*pte, write, exec))
		return -EFAULT;
	if (pte_out)
		*pte_out = pte;
	return 0;
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
		err = fault_locked(as, addr, write, exec, false, NULL);
		failalloc_resume();
		spin_unlock_irqrestore(&as->lock, irq);
		if (!oom_retry(err, tries))
			return err ? -EFAULT : 0;
	}
}

/* Whether a user page entry maps RAM: device registers (a memory: mapping,
 * VM_DEVICE) are no page to take, and the physmap the copies go through
 * does not reach them (as Linux's get_user_pages refuses VM_IO mappings;
 * fault_locked refuses them to uvm_write's kernel accesses). */
static inline bool pte_maps_ram(uint64_t pte)
{
	return (pte & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MT_NORMAL);
}

int uvm_get_page(struct aspace *as, uint64_t va, bool write, paddr_t *pa)
{
	uint64_t irq;
	uint64_t *pte;
	int err;

	if (va >= USER_TOP)
		return -EFAULT;
	/* A page already present that allows the access (a caller's buffer,
	 * most times) needs no fault: its entry alone, without the region
	 * lookup (what fault_locked would leave as it is). */
	if (uvm_present_pages(as, ALIGN_DOWN(va, PAGE_SIZE), 1, write, pa) == 1)
		return 0;
	for (int tries = 0;; tries++) {
		irq = spin_lock_irqsave(&as->lock);
		failalloc_suspend(); /* as for a fault: the page is the caller's own */
		pte = NULL;
		err = fault_locked(as, va, write, false, false, &pte);
		failalloc_resume();
		if (pte && !pte_maps_ram(*pte))
			pte = NULL; /* present, but no page: -EFAULT */
		if (pte) {
			*pa = *pte & PTE_ADDR_MASK;
			page_get(*pa);
		}
		spin_unlock_irqrestore(&as->lock, irq);
		if (!oom_retry(err, tries))
			return pte ? 0 : -EFAULT;
	}
}

size_t uvm_present_pages(struct aspace *as, uint64_t va, size_t n, bool write, paddr_t *pa)
{
	uint64_t irq;
	size_t done = 0;

	if (va >= USER_TOP || n > (USER_TOP - va) / PAGE_SIZE)
		return 0;
	irq = spin_lock_irqsave(&as->lock);
	for (; done < n; done++) {
		uint64_t *pte = pte_of(as, va + done * PAGE_SIZE, false);

		/* What fault_locked would leave as it is: a present entry
		 * that allows the access (a copy-on-write one does not allow
		 * a write). */
		if (!pte || !(*pte & PTE_VALID) || !uprot_pte_allows(*pte, write, false) ||
		    !pte_maps_ram(*pte))
			break;
		pa[done] = *pte & PTE_ADDR_MASK;
		page_get(pa[done]);
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return done;
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
		uint64_t *pte = NULL;
		int err = fault_locked(as, va, true, false, true, &pte);

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
