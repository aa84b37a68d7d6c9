/*
 * syscall/sys_madvise.c: mremap(2), madvise(2) and msync(2), what C
 * libraries' allocators (glibc's realloc of large blocks, musl's mallocng
 * returning memory) and programs that map files ask of a mapping beyond
 * mmap. Arguments are checked whole before mm/uvm_remap.c changes anything.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "mm/uvm.h"
#include "mm/urange.h"

/* Linux's flags (include/uapi/linux/mman.h, asm-generic/mman-common.h). */
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4
#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17

/* [addr, addr + len rounded up to pages) inside user space, addr aligned. */
static bool user_range(uint64_t addr, uint64_t len, uint64_t *end)
{
	uint64_t plen;

	return IS_ALIGNED(addr, PAGE_SIZE) && urange_page_len(len, &plen) &&
	       urange_end(addr, plen, USER_TOP, end);
}

SYSCALL(mremap)
{
	uint64_t old = ARG(0), old_len, new_len, flags = ARG(3), out;
	int err;

	if (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	/* A caller-chosen destination is not offered (see README); glibc and
	 * musl never ask for one. */
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (!IS_ALIGNED(old, PAGE_SIZE))
		return -EINVAL;
	if (!urange_page_len(ARG(1), &old_len) || !urange_page_len(ARG(2), &new_len) || !new_len ||
	    new_len > USER_TOP)
		return -EINVAL;
	/* An old length of 0 duplicates a shared mapping on Linux: not here. */
	if (!old_len)
		return -EINVAL;
	err = new_len > old_len ? rlimit_remap_check(current_proc()->as, old, new_len - old_len) : 0;
	if (!err)
		err = uvm_remap(current_proc()->as, old, old_len, new_len, flags & MREMAP_MAYMOVE, &out);
	return err ? err : (long)out;
}

SYSCALL(madvise)
{
	uint64_t addr = ARG(0), end;

	if (!user_range(addr, ARG(1), &end))
		return -EINVAL;
	switch ((int)ARG(2)) {
	case MADV_DONTNEED:
		return end > addr ? uvm_discard(current_proc()->as, addr, end) : 0;
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_FREE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
		/* Advice that changes no contents: taken, as an unmapped
		 * range is on Linux, ENOMEM. MADV_FREE may keep the pages
		 * (Linux frees them only under pressure). */
		return uvm_mapped(current_proc()->as, addr, end) ? 0 : -ENOMEM;
	default:
		return -EINVAL;
	}
}

SYSCALL(msync)
{
	uint64_t addr = ARG(0), end, flags = ARG(2);

	if (flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	if (!user_range(addr, ARG(1), &end))
		return -EINVAL;
	/* Shared file pages are the file system's own pages (fmap): nothing
	 * to write back, only the range to check. */
	return uvm_mapped(current_proc()->as, addr, end) ? 0 : -ENOMEM;
}
