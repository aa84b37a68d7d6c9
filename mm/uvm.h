/*
 * mm/uvm.h: user address spaces. Each process has its own TTBR0 table tree
 * tagged with an ASID, and a sorted list of regions (VMAs) saying what may
 * be mapped where; pages arrive on demand in the fault handler: zero pages
 * for anonymous memory, copies on write after fork, shared pages for shared
 * mappings, initfs pages for read-only file mappings.
 * User tables are reached through the physmap, not a recursive slot: most
 * operations (fork, exec, exit) work on an address space that is not the
 * one in TTBR0.
 */
#ifndef MM_UVM_H
#define MM_UVM_H

#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "arch/aarch64/uaccess.h"

#define USER_BASE 0x10000UL                 /* nothing maps below: NULL faults */
#define USER_STACK_TOP USER_TOP
#define USER_STACK_SIZE (8 * MiB)
#define USER_MMAP_TOP (USER_STACK_TOP - USER_STACK_SIZE - 16 * MiB)

/* VMA flags. */
#define VMA_SHARED 0x1  /* shared anonymous memory: one vm_object for all */
#define VMA_FILE 0x2    /* private read-only view of initfs file data */
#define VMA_STACK 0x4
#define VMA_HEAP 0x8

/* Pages of a shared anonymous mapping, shared by every space that maps it. */
struct vm_object {
	uint32_t refcount;  /* VMAs referring to it; atomic */
	size_t npages;
	paddr_t pages[];    /* 0 until faulted in; guarded by the object lock */
};

struct vma {
	uint64_t start, end;     /* page aligned, [start, end) */
	unsigned prot;           /* VM_READ/WRITE/EXEC */
	unsigned flags;          /* VMA_* */
	struct vm_object *obj;   /* VMA_SHARED */
	uint64_t obj_pgoff;      /* page of obj that start maps */
	paddr_t file_pa;         /* VMA_FILE: physical address of the data at start */
	uint64_t file_len;       /* bytes of file data from start; zero after */
	struct vma *next;
};

struct aspace {
	spinlock_t lock;         /* guards everything below and the tables */
	paddr_t root;            /* level-0 table */
	uint16_t asid;
	struct vma *vmas;        /* sorted by start, non-overlapping */
	uint64_t brk_start, brk; /* program break */
	size_t pages;            /* pages mapped (for sys:context) */
};

struct aspace *aspace_create(void);
void aspace_destroy(struct aspace *as);
/* Makes as the current user space (TTBR0 with its ASID); NULL for none. */
void aspace_activate(struct aspace *as);
/* A copy for fork: private pages become copy-on-write in both. */
struct aspace *aspace_fork(struct aspace *parent);

/* Adds a region; -EEXIST if it overlaps one, -EINVAL if misaligned. */
int uvm_add_region(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		   unsigned flags, paddr_t file_pa, uint64_t file_len);
/* Removes [start, end) from every region (splitting) and frees its pages. */
int uvm_unmap(struct aspace *as, uint64_t start, uint64_t end);
/* Changes protection of [start, end); -ENOMEM if part is unmapped,
 * -EACCES if it would make a file view writable or anything W+X. */
int uvm_protect(struct aspace *as, uint64_t start, uint64_t end, unsigned prot);
/* Finds a free range of len bytes below USER_MMAP_TOP; 0 if none. */
uint64_t uvm_find_free(struct aspace *as, uint64_t len);

/* Resolves a fault at addr: 0 if the access may now proceed, -EFAULT if
 * it is not allowed (no region, or the region forbids it). */
int uvm_fault(struct aspace *as, uint64_t addr, bool write, bool exec);
/* Writes len bytes into as at va (not necessarily the current space),
 * faulting pages in; used by exec to build the image and stack. */
int uvm_write(struct aspace *as, uint64_t va, const void *src, size_t len);

/* Bootstraps TTBR0 handling: an empty table for threads with no space. */
void uvm_init(void);

#endif
