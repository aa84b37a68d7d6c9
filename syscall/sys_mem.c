/*
 * syscall/sys_mem.c: memory system calls: brk, mmap (anonymous private and
 * shared; private read-only mappings of initfs files), munmap, mprotect.
 * All memory arrives on demand through the page-fault handler (mm/uvm.c).
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/file.h"
#include "kernel/fdtable.h"
#include "kernel/errno.h"
#include "mm/uvm.h"
#include "mm/vm.h"
#include "mm/layout.h"

#define BRK_MAX (USER_MMAP_TOP / 2) /* the heap may not grow past this */

static unsigned vm_prot(uint64_t prot)
{
	return ((prot & ABI_PROT_READ) ? VM_READ : 0) | ((prot & ABI_PROT_WRITE) ? VM_WRITE : 0) |
		((prot & ABI_PROT_EXEC) ? VM_EXEC : 0);
}

SYSCALL(brk)
{
	struct aspace *as = current_proc()->as;
	uint64_t want = ARG(0), old_end = ALIGN_UP(as->brk, PAGE_SIZE), new_end;

	/* brk(0) and every failure report the current break, as Linux does. */
	if (want < as->brk_start || want > BRK_MAX)
		return (long)as->brk;
	new_end = ALIGN_UP(want, PAGE_SIZE);
	if (new_end > old_end &&
	    uvm_add_region(as, old_end, new_end, VM_READ | VM_WRITE, VMA_HEAP, 0, 0))
		return (long)as->brk;
	if (new_end < old_end)
		uvm_unmap(as, new_end, old_end);
	as->brk = want;
	return (long)want;
}

/* Maps the file at fd privately and read-only. */
static long map_file(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot, int fd, uint64_t off)
{
	struct file *f = fd_get(current_proc()->fds, fd);
	paddr_t pa;
	uint64_t flen;
	long err;

	if (!f)
		return -EBADF;
	err = (prot & VM_WRITE) ? -EACCES : file_mmap_phys(f, &pa, &flen);
	if (err == -EOPNOTSUPP)
		err = -ENODEV;
	file_put(f);
	if (err)
		return err;
	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (off >= flen)
		flen = off = 0; /* past the end: zero pages (reads beyond EOF) */
	err = uvm_add_region(as, addr, addr + len, prot, VMA_FILE, pa + off, flen - off);
	return err ? err : (long)addr;
}

SYSCALL(mmap)
{
	struct aspace *as = current_proc()->as;
	uint64_t addr = ARG(0), len = ARG(1), flags = ARG(3), off = ARG(5);
	unsigned prot = vm_prot(ARG(2));
	uint64_t type = flags & ABI_MAP_TYPE;
	long err;

	if (len == 0 || len > USER_TOP || (ARG(2) & ~(uint64_t)(ABI_PROT_READ | ABI_PROT_WRITE | ABI_PROT_EXEC)))
		return -EINVAL;
	if (type != ABI_MAP_PRIVATE && type != ABI_MAP_SHARED)
		return -EINVAL;
	if ((prot & VM_WRITE) && (prot & VM_EXEC))
		return -EACCES; /* W^X */
	len = ALIGN_UP(len, PAGE_SIZE);
	if (flags & ABI_MAP_FIXED) {
		if (!IS_ALIGNED(addr, PAGE_SIZE) || !user_range_ok(addr, len) || addr < USER_BASE)
			return -EINVAL;
		/* Splitting what is there may need memory; left in place, it
		 * would turn this into -EEXIST. */
		err = uvm_unmap(as, addr, addr + len);
		if (err)
			return err;
	} else {
		addr = uvm_find_free(as, len);
		if (!addr)
			return -ENOMEM;
	}
	if (!(flags & ABI_MAP_ANONYMOUS)) {
		if (type == ABI_MAP_SHARED)
			return -EOPNOTSUPP; /* shared file mappings need a writable file system */
		return map_file(as, addr, len, prot, (int)ARG(4), off);
	}
	err = uvm_add_region(as, addr, addr + len, prot, type == ABI_MAP_SHARED ? VMA_SHARED : 0, 0, 0);
	return err ? err : (long)addr;
}

SYSCALL(munmap)
{
	uint64_t addr = ARG(0), len = ALIGN_UP(ARG(1), PAGE_SIZE);

	if (!IS_ALIGNED(addr, PAGE_SIZE) || len == 0 || !user_range_ok(addr, len))
		return -EINVAL;
	return uvm_unmap(current_proc()->as, addr, addr + len);
}

SYSCALL(mprotect)
{
	uint64_t addr = ARG(0), len = ALIGN_UP(ARG(1), PAGE_SIZE);

	if (!IS_ALIGNED(addr, PAGE_SIZE) || !user_range_ok(addr, len) ||
	    (ARG(2) & ~(uint64_t)(ABI_PROT_READ | ABI_PROT_WRITE | ABI_PROT_EXEC)))
		return -EINVAL;
	if (len == 0)
		return 0;
	return uvm_protect(current_proc()->as, addr, addr + len, vm_prot(ARG(2)));
}
