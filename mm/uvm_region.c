/*
 * mm/uvm_region.c: a user space's regions (mm/vma.c's list under as->lock):
 * adding, replacing and unmapping them, shared objects and their references,
 * mprotect, the free-gap search and the break. Page entries are
 * mm/uvm_pt.c's; faults that fill them, mm/uvm_fault.c's.
 */
#include "mm/uvm_internal.h"
#include "mm/page.h"
#include "mm/kmap.h"
#include "mm/vm.h"
#include "mm/heap.h"
#include "mm/uprot.h"
#include "kernel/lib/errno.h"
#include <string.h>

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
void release_locked(struct aspace *as, struct vma *list)
{
	while (list) {
		struct vma *v = list;

		list = v->next;
		clear_range(as, v);
		vma_free(v);
	}
}

void prune_gap(struct aspace *as, uint64_t start, uint64_t end)
{
	struct pt_gap g = { .start = start, .end = end, .floor = 0, .ceiling = PT_SPAN_END };

	for (const struct vma *v = as->vmas; v; v = v->next) {
		if (v->start >= end) {
			g.ceiling = v->start;
			break;
		}
		g.floor = v->end;
	}
	prune_tables(as, &g);
}

/* Removes [start, end) from every region of as. Called locked. */
int unmap_locked(struct aspace *as, uint64_t start, uint64_t end)
{
	int err = vma_split_range(as->vmas, start, end);

	if (!err) {
		release_locked(as, vma_detach(&as->vmas, start, end));
		prune_gap(as, start, end);
	}
	return err;
}

void vm_object_put(struct vm_object *obj)
{
	obj_put(obj);
}

/* The protection of the region of as at va: whether as may write there,
 * and in *end where that region ends (va + a page if there is none), so
 * that the pages up to it need no lookup of their own. */
static bool region_writable(struct aspace *as, uint64_t va, uint64_t *end)
{
	uint64_t irq = spin_lock_irqsave(&as->lock);
	struct vma *v = vma_find(as->vmas, va);
	bool w = v && (v->prot & VM_WRITE);

	*end = v ? v->end : va + PAGE_SIZE;
	spin_unlock_irqrestore(&as->lock, irq);
	return w;
}

struct vm_object *vm_object_from(struct aspace *as, uint64_t va, size_t npages)
{
	struct vm_object *obj = kzalloc(sizeof(*obj) + npages * sizeof(paddr_t));
	uint64_t region_end = 0; /* the pages below it are in the region last looked up */
	bool write = false;

	if (!obj)
		return NULL;
	obj->refcount = 1;
	obj->npages = npages;
	obj->foreign = true;
	for (size_t i = 0; i < npages;) {
		uint64_t page_va = va + i * PAGE_SIZE;
		size_t got;

		/* Where the daemon may write, its copy-on-write is broken first:
		 * the page handed over is then its own for good, so a shared
		 * mapping and the daemon see each other's writes. One lookup
		 * per region: a change of the daemon's own mappings meanwhile
		 * races with the hand-over whether checked per page or not. */
		if (page_va >= region_end)
			write = region_writable(as, page_va, &region_end);
		/* The region's pages that need no fault (a file served
		 * before), in one go; then one through the fault path. */
		got = uvm_present_pages(as, page_va, MIN(npages - i, (region_end - page_va) / PAGE_SIZE),
					write, &obj->pages[i]);
		if (got) {
			i += got;
			continue;
		}
		if (uvm_get_page(as, page_va, write, &obj->pages[i])) {
			obj_put(obj); /* drops the pages taken so far */
			return NULL;
		}
		i++;
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
unsigned page_prot(const struct vma *v, bool cow)
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

