/*
 * syscall/sys_mem.c: memory system calls: brk, mmap (anonymous private and
 * shared; private read-only views of files; shared mappings of a daemon's
 * files, writable if the file is open for writing), munmap, mprotect.
 * All memory arrives on demand through the page-fault handler (mm/uvm.c).
 * Arguments are checked whole before anything changes, sums of them only
 * through mm/urange.h, and errors are Linux's (which are POSIX's).
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/lib/errno.h"
#include "mm/uvm.h"
#include "mm/vm.h"
#include "mm/urange.h"
#include "mm/layout.h"

#define ABI_PROT_ALL (ABI_PROT_READ | ABI_PROT_WRITE | ABI_PROT_EXEC)
/* The largest file offset (off_t's range): Linux's EOVERFLOW bound. */
#define FILE_OFFSET_MAX ((uint64_t)INT64_MAX)
/* Linux's MAP_NORESERVE (include/uapi/asm-generic/mman-common.h): not
 * counted by the overcommit heuristic (kernel/rlimit_vm.c). */
#define ABI_MAP_NORESERVE 0x4000

static unsigned vm_prot(uint64_t prot)
{
	return ((prot & ABI_PROT_READ) ? VM_READ : 0) | ((prot & ABI_PROT_WRITE) ? VM_WRITE : 0) |
		((prot & ABI_PROT_EXEC) ? VM_EXEC : 0);
}

SYSCALL(brk)
{
	struct aspace *as = current_proc()->as;
	uint64_t old = uvm_brk(as, 0); /* brk(0) only reads the break */

	if (rlimit_brk_check(as, old, ARG(0)))
		return (long)old; /* RLIMIT_AS, RLIMIT_DATA, overcommit: unchanged */
	return (long)uvm_brk(as, ARG(0));
}

/* What backs len bytes at offset off of the file at fd: the scheme's fmap
 * (boot: the archive in place; a daemon: its pages; memory: device
 * registers). Private file mappings are read-only; shared ones are
 * writable only for a file open for writing (*may_write, also for a later
 * mprotect), as Linux's; device memory maps shared (a private copy of
 * registers means nothing) with the protection the scheme allowed.
 * Nothing changes on an error. */
static long file_view(int fd, uint64_t off, uint64_t len, unsigned prot, bool shared,
		      struct fmap_desc *map, bool *may_write)
{
	struct file *f = fd_get(current_proc()->fds, fd);
	uint64_t end;
	bool device;
	long err;

	if (!f)
		return -EBADF;
	device = f->scheme->ops->device_memory;
	if (!f->scheme->ops->fmap)
		err = -ENODEV; /* a scheme that cannot map: a pipe, a device */
	else if (device && !shared)
		err = -EINVAL; /* a private copy of registers means nothing */
	else if (!device && (prot & VM_WRITE) && (!shared || !file_writable(f)))
		err = -EACCES; /* private file views are read-only */
	else if (!urange_end(off, len, FILE_OFFSET_MAX, &end))
		err = -EOVERFLOW;
	else
		err = file_fmap(f, off, len, prot, map);
	*may_write = shared && file_writable(f);
	file_put(f);
	if (err == -EOPNOTSUPP)
		return -ENODEV; /* this file cannot be mapped (a directory) */
	if (err)
		return err;
	/* The scheme must give what its kind promises, and all of it. */
	if (device != (map->kind == FMAP_PHYS && map->memtype == FMAP_MEM_DEVICE) ||
	    (device && (off > map->len || map->len - off < len)))
		err = -ENODEV;
	else if ((prot & VM_WRITE) && !device && map->kind != FMAP_OBJECT)
		err = -EACCES; /* the boot archive is never written */
	if (err)
		fmap_desc_release(map);
	return err;
}

struct view_req {
	uint64_t off;
	unsigned prot;
	struct fmap_desc *map;
	bool fixed, shared, may_write;
};

/* Maps a file view at [addr, end) (replacing what was there if fixed). The
 * caller releases r->map once, after: a mapped object holds its own
 * reference. */
static int map_view(struct aspace *as, uint64_t addr, uint64_t end, void *arg)
{
	struct view_req *r = arg;
	struct fmap_desc *map = r->map;
	uint64_t file_len = r->off < map->len ? map->len - r->off : 0;
	paddr_t file_pa = r->off < map->len ? map->pa + r->off : 0;
	unsigned vma_flags = VMA_FILE;

	if (map->kind == FMAP_OBJECT) {
		/* The daemon's pages for [off, off + len) themselves. */
		return r->shared ? uvm_map_object_shared(as, addr, end, r->prot, map->obj, 0, r->fixed,
							 r->may_write)
				 : uvm_map_object(as, addr, end, r->prot, map->obj, 0, r->fixed);
	}
	if (map->kind == FMAP_PHYS && map->memtype == FMAP_MEM_DEVICE)
		vma_flags = VMA_DEVICE; /* registers: their memory type, not the allocator's pages */
	if (r->fixed)
		return uvm_replace_region(as, addr, end, r->prot, vma_flags, file_pa, file_len);
	return uvm_add_region(as, addr, end, r->prot, vma_flags, file_pa, file_len);
}

struct anon_req {
	unsigned prot, vma_flags;
};

static int map_anon(struct aspace *as, uint64_t addr, uint64_t end, void *arg)
{
	struct anon_req *r = arg;

	return uvm_add_region(as, addr, end, r->prot, r->vma_flags, 0, 0);
}

/* Without MAP_FIXED: maps len bytes at a free range and sets *addr. The
 * range is looked up, then taken; another thread of the process (on
 * another CPU) may take it in between (-EEXIST). That thread made
 * progress, so looking again terminates. */
static long map_anywhere(struct aspace *as, uint64_t len, uint64_t *addr,
			 int (*fn)(struct aspace *as, uint64_t start, uint64_t end, void *arg),
			 void *arg)
{
	int err;

	do {
		*addr = uvm_find_free(as, len);
		if (!*addr)
			return -ENOMEM;
		err = fn(as, *addr, *addr + len, arg);
	} while (err == -EEXIST);
	return err;
}

SYSCALL(mmap)
{
	struct aspace *as = current_proc()->as;
	uint64_t addr = ARG(0), len, flags = ARG(3), off = ARG(5), end = 0;
	unsigned prot = vm_prot(ARG(2)), vma_flags = 0;
	uint64_t type = flags & ABI_MAP_TYPE;
	struct fmap_desc map;
	long err;

	if (ARG(1) == 0 || (ARG(2) & ~(uint64_t)ABI_PROT_ALL) || !IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (type != ABI_MAP_PRIVATE && type != ABI_MAP_SHARED)
		return -EINVAL;
	if (!urange_page_len(ARG(1), &len) || len > USER_TOP)
		return -ENOMEM;
	if ((prot & VM_WRITE) && (prot & VM_EXEC))
		return -EACCES; /* W^X (Linux allows it; Anode never maps W+X) */
	if ((flags & ABI_MAP_FIXED) && (!IS_ALIGNED(addr, PAGE_SIZE) || addr < USER_BASE))
		return -EINVAL;
	if ((flags & ABI_MAP_FIXED) && !urange_end(addr, len, USER_TOP, &end))
		return -ENOMEM;
	if (type == ABI_MAP_SHARED)
		vma_flags = VMA_SHARED;
	/* Linux's accountable mappings: private writable, shared anonymous. */
	err = rlimit_vm_check(as, addr, end, len, prot, (flags & ABI_MAP_ANONYMOUS) ? vma_flags : VMA_FILE,
			      !(flags & ABI_MAP_NORESERVE) && (flags & ABI_MAP_ANONYMOUS) &&
				      (type == ABI_MAP_SHARED || (prot & VM_WRITE)));
	if (err)
		return err;
	if (!(flags & ABI_MAP_ANONYMOUS)) {
		struct view_req r = { .off = off, .prot = prot, .map = &map,
				      .fixed = flags & ABI_MAP_FIXED, .shared = type == ABI_MAP_SHARED };

		err = file_view((int)ARG(4), off, len, prot, r.shared, &map, &r.may_write);
		if (err)
			return err;
		/* Only now, with every argument checked, may an old mapping go. */
		if (r.fixed)
			err = map_view(as, addr, end, &r);
		else
			err = map_anywhere(as, len, &addr, map_view, &r);
		fmap_desc_release(&map); /* a mapped object holds its own reference */
		return err ? err : (long)addr;
	}
	if (flags & ABI_MAP_FIXED) {
		err = uvm_replace_region(as, addr, end, prot, vma_flags, 0, 0);
	} else {
		struct anon_req r = { .prot = prot, .vma_flags = vma_flags };

		err = map_anywhere(as, len, &addr, map_anon, &r);
	}
	return err ? err : (long)addr;
}

SYSCALL(munmap)
{
	uint64_t addr = ARG(0), len, end;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || !urange_page_len(ARG(1), &len) || len == 0 ||
	    !urange_end(addr, len, USER_TOP, &end))
		return -EINVAL;
	return uvm_unmap(current_proc()->as, addr, end);
}

SYSCALL(mprotect)
{
	uint64_t addr = ARG(0), len, end;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || (ARG(2) & ~(uint64_t)ABI_PROT_ALL))
		return -EINVAL;
	if (ARG(1) == 0)
		return 0;
	/* A length that wraps, or a range past user space, is unmapped memory. */
	if (!urange_page_len(ARG(1), &len) || !urange_end(addr, len, USER_TOP, &end))
		return -ENOMEM;
	if (rlimit_protect_check(current_proc()->as, addr, end, vm_prot(ARG(2))))
		return -ENOMEM; /* RLIMIT_DATA */
	return uvm_protect(current_proc()->as, addr, end, vm_prot(ARG(2)));
}
