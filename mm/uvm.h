/*
 * mm/uvm.h: user address spaces. Each process has its own TTBR0 table tree
 * tagged with an ASID, and a sorted list of regions (VMAs) saying what may
 * be mapped where; pages arrive on demand in the fault handler: zero pages
 * for anonymous memory, copies on write after fork, shared pages for shared
 * mappings (anonymous, or a daemon's file pages), initfs pages for
 * read-only file mappings.
 * User tables are reached through the physmap, not a recursive slot: most
 * operations (fork, exec, exit) work on an address space that is not the
 * one in TTBR0.
 */
#ifndef MM_UVM_H
#define MM_UVM_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"
#include "arch/aarch64/uaccess.h"
#include "mm/vma.h"

#define USER_BASE 0x10000UL                 /* nothing maps below: NULL faults */
#define USER_STACK_TOP USER_TOP
#define USER_STACK_SIZE (8 * MiB)
/* The stack top moves down by up to this at exec (kernel/aslr.h). */
#define USER_STACK_RND_MAX (1 * GiB)
#define USER_MMAP_TOP (USER_STACK_TOP - USER_STACK_SIZE - USER_STACK_RND_MAX - 16 * MiB)
#define USER_BRK_MAX (USER_MMAP_TOP / 2)   /* the heap may not grow past this */

/*
 * root is fixed at creation; context (generation and ASID, mm/asid.h) is
 * atomic, refreshed under asid_lock at a switch-in. The lock guards the other fields and
 * the tables, except while only one path can reach the space: its creator
 * before it is installed (aspace_create, aspace_fork, exec setting brk) and
 * aspace_destroy after its last user.
 */
struct aspace {
	paddr_t root;            /* level-0 table */
	uint64_t context;        /* atomic: (generation << 16) | ASID; 0: none yet */
	spinlock_t lock;
	struct vma *vmas;        /* sorted by start, non-overlapping (mm/vma.h) */
	uint64_t brk_start, brk; /* program break */
	uint64_t mmap_top;       /* free ranges are sought below it (kernel/aslr.h) */
	size_t pages;            /* pages mapped (for sys:context) */
	/* Every table below the root, so aspace_destroy frees them without
	 * scanning each table's 512 entries (mm/uvm_pt.c: table_new). */
	paddr_t *tables;
	size_t ntables, tables_cap;
};

struct aspace *aspace_create(void);
void aspace_destroy(struct aspace *as);
/* Makes as the current user space (TTBR0 with its ASID); NULL for none. */
void aspace_activate(struct aspace *as);
/* A copy for fork: private pages become copy-on-write in both. */
struct aspace *aspace_fork(struct aspace *parent);

/* Adds a region; -EEXIST if it overlaps one, -EINVAL if misaligned, -EACCES
 * if its protection is refused (mm/uprot.h). */
int uvm_add_region(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		   unsigned flags, paddr_t file_pa, uint64_t file_len);
/* The same in place of whatever [start, end) held (MAP_FIXED), in one hold of
 * the lock: on failure the old mappings are still there. */
int uvm_replace_region(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		       unsigned flags, paddr_t file_pa, uint64_t file_len);
/* Removes [start, end) from every region (splitting) and frees its pages. */
int uvm_unmap(struct aspace *as, uint64_t start, uint64_t end);
/* Changes protection of [start, end); -ENOMEM if part is unmapped,
 * -EACCES if it would make a file view writable or anything W+X. */
int uvm_protect(struct aspace *as, uint64_t start, uint64_t end, unsigned prot);
/* Finds a free range of len bytes (page aligned) below USER_MMAP_TOP,
 * leaving room for the heap to grow; 0 if none. */
uint64_t uvm_find_free(struct aspace *as, uint64_t len);
/* Moves the program break to want (between brk_start and USER_BRK_MAX),
 * mapping or unmapping heap pages; returns the break, unchanged on failure
 * (and for want 0), as Linux's brk does. */
uint64_t uvm_brk(struct aspace *as, uint64_t want);
/* Pages mapped in as, for reports. */
size_t uvm_pages(struct aspace *as);

/* Resolves a user access fault at addr: 0 only if the page entry now allows
 * the access (so a retry cannot take the same fault again), -EFAULT if it is
 * not allowed (no region, the region forbids it, or no memory). */
int uvm_fault(struct aspace *as, uint64_t addr, bool write, bool exec);
/* The page backing va in as (not necessarily the current space), faulted
 * in as a user access of that kind would be (write: breaking copy-on-write),
 * with a reference the caller drops with page_put; 0 or -EFAULT. For
 * user-scheme data copies (kernel/scheme/uscheme_data.c). */
int uvm_get_page(struct aspace *as, uint64_t va, bool write, paddr_t *pa);
/* uvm_get_page for up to n pages from va (page aligned) on, the present
 * ones that allow the access under one hold of as's lock, up to the first
 * that does not (if the first does not, it alone, faulted in): how many
 * were taken into pa[], each referenced; 0: -EFAULT (mm/uvm_pages.c). */
size_t uvm_get_pages(struct aspace *as, uint64_t va, size_t n, bool write, paddr_t *pa);
/* A page set (struct vm_object) holding the npages pages of as from va on,
 * each faulted in and referenced; NULL if one cannot be (or no memory).
 * For a daemon handing its pages to a caller (fmap, kernel/uscheme_fmap.c). */
struct vm_object *vm_object_from(struct aspace *as, uint64_t va, size_t npages);
/* Drops a reference to obj; its pages go with the last. */
void vm_object_put(struct vm_object *obj);
/* Maps [start, end) of as as a private read-only view of obj's pages from
 * page pgoff on (exec of a program a daemon serves, mmap of its files):
 * never writable, so the pages stay the daemon's. Takes its own reference
 * to obj. replace: in place of what [start, end) held, in one hold of the
 * lock (MAP_FIXED). */
int uvm_map_object(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
		   struct vm_object *obj, uint64_t pgoff, bool replace);
/* Maps [start, end) of as as a shared view of obj's pages (MAP_SHARED of a
 * daemon's file, shm_open): writes by any space mapping the pages (and the
 * daemon's own) are seen by all; writable (now or by mprotect) only if
 * may_write (the file is open for writing). Takes its own reference; the
 * pages stay referenced until the region is unmapped; fork shares it. */
int uvm_map_object_shared(struct aspace *as, uint64_t start, uint64_t end, unsigned prot,
			  struct vm_object *obj, uint64_t pgoff, bool replace, bool may_write);
/* Writes len bytes into as at va (not necessarily the current space),
 * faulting pages in; used by exec to build the image and stack. */
int uvm_write(struct aspace *as, uint64_t va, const void *src, size_t len);

/* mm/uvm_remap.c. Whether every byte of [start, end) is mapped. */
bool uvm_mapped(struct aspace *as, uint64_t start, uint64_t end);
/* Drops the pages of [start, end) (MADV_DONTNEED): the next access faults
 * in what the region holds; -ENOMEM if part of it is unmapped (the mapped
 * parts are dropped all the same, as on Linux). */
int uvm_discard(struct aspace *as, uint64_t start, uint64_t end);
/* Resizes the mapping at old (old_len bytes, within one region) to new_len
 * (page multiples): shrinks in place, grows in place or, if may_move, moves
 * it (page entries, not copies) to *out. Growing works for private
 * anonymous memory only (-ENOMEM otherwise). */
int uvm_remap(struct aspace *as, uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move,
	      uint64_t *out);

/* Bootstraps TTBR0 handling: an empty table for threads with no space. */
void uvm_init(void);

#endif
