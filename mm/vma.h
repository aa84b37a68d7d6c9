/*
 * mm/vma.h: the region list of a user address space: a sorted list of
 * non-overlapping regions (VMAs) saying what may be mapped where. Pure
 * bookkeeping (lookup, insert with merging, split, detach, free-gap search):
 * no page tables and no locks, so the host unit tests run it. The caller
 * (mm/uvm.c) holds the address space's lock around every call that takes
 * a list.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include "kernel/lib/types.h"

/* VMA flags. */
#define VMA_SHARED 0x1  /* shared memory: one vm_object for all (anonymous,
			 * or a daemon's file pages) */
#define VMA_FILE 0x2    /* never writable: a read-only view of file data
			 * (the initfs's, or with VMA_SHARED a daemon's) */
#define VMA_STACK 0x4
#define VMA_HEAP 0x8
/* Device registers (the memory: scheme): file_pa/file_len give the
 * physical run, mapped Device-nGnRE; not RAM, so never given to or taken
 * from the page allocator, shared by fork as it is, never copied. */
#define VMA_DEVICE 0x10

/* Pages of a shared anonymous mapping, shared by every space that maps it;
 * or a daemon's pages handed over for a file mapping (fmap), foreign. */
struct vm_object {
	uint32_t refcount;  /* VMAs referring to it; atomic */
	size_t npages;
	/* Set at creation: the pages are a daemon's (vm_object_from), all
	 * present; each FMAP gives a new object for the same pages, so
	 * what names such a page across objects is its physical address. */
	bool foreign;
	paddr_t pages[];    /* 0 until faulted in; guarded by the object lock */
};

struct vma {
	uint64_t start, end;     /* page aligned, [start, end) */
	unsigned prot;           /* VM_READ/WRITE/EXEC, as asked (see mm/uprot.h) */
	unsigned flags;          /* VMA_* */
	struct vm_object *obj;   /* VMA_SHARED */
	uint64_t obj_pgoff;      /* page of obj that start maps */
	paddr_t file_pa;         /* VMA_FILE, VMA_DEVICE: physical address at start */
	uint64_t file_len;       /* bytes of file data from start; zero after
				  * (VMA_DEVICE: the region's length) */
	struct vma *next;
};

/* The region holding addr, or NULL. */
struct vma *vma_find(struct vma *list, uint64_t addr);

/* Links v (start < end) into the sorted list: 0, or -EEXIST if it overlaps a
 * region (v is then still the caller's). A region that merely extends the
 * one before it (anonymous, private, same protection and flags) is merged
 * into that one and v is freed: a growing heap keeps one region. */
int vma_insert(struct vma **list, struct vma *v);

/* Splits the regions that straddle start or end so that both fall on region
 * boundaries: 0 or -ENOMEM (the list then describes the same mappings, with
 * some splits done). */
int vma_split_range(struct vma *list, uint64_t start, uint64_t end);

/* Unlinks every region lying wholly inside [start, end) and returns them, in
 * order, as a list of their own for the caller to release. Split first. */
struct vma *vma_detach(struct vma **list, uint64_t start, uint64_t end);

/* The highest page-aligned start of a gap of len bytes (page aligned, > 0)
 * in [low, top), or 0 if none. */
uint64_t vma_find_gap(struct vma *list, uint64_t low, uint64_t top, uint64_t len);

#endif
