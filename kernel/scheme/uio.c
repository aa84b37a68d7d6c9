/*
 * kernel/scheme/uio.c: copies to and from the memory a struct uio names (see
 * file.h), and the caller context of the current thread. User memory of
 * the current space goes through the fault-safe helpers; user memory of
 * another space (a kernel path acting for a process that is not current)
 * goes page by page through the physmap, each page held with a reference
 * so an unmap meanwhile cannot free it.
 */
#include "kernel/scheme/file.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>
#ifndef HOST_TEST
#include "kernel/proc.h"
#include "sched/sched.h"
#include "mm/uvm.h"
#include "mm/page.h"
#include "mm/kmap.h"
#endif

#ifndef HOST_TEST
void caller_current(struct caller *c)
{
	struct proc *p = current_thread()->proc;

	/* The file-system ids: what permission checks use (kernel/cred.h). */
	*c = (struct caller){ .pid = p ? p->pid : 0, .uid = p ? cred_fsuid(&p->cred) : 0,
			      .gid = p ? cred_fsgid(&p->cred) : 0, .as = p ? p->as : NULL };
}

struct aspace *caller_space(void)
{
	struct proc *p = current_thread()->proc;

	return p ? p->as : NULL;
}

/* Inline, without current_proc()'s call: every user copy asks. The
 * thread's own copy of its space (sched/thread.h) is the one loaded now,
 * one load nearer than its process's. */
static bool is_current(const struct aspace *as)
{
	return current_thread()->as == as;
}

/* Copies n bytes between kbuf and as's user memory at va, page by page. */
static int copy_foreign(struct aspace *as, uint64_t va, void *kbuf, size_t n, bool out)
{
	uint8_t *k = kbuf;

	if (!user_range_ok(va, n))
		return -EFAULT;
	while (n) {
		size_t piece = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		paddr_t pa;
		uint8_t *p;

		if (uvm_get_page(as, va, out, &pa))
			return -EFAULT;
		p = (uint8_t *)phys_to_virt(pa) + (va & (PAGE_SIZE - 1));
		if (out)
			memcpy(p, k, piece);
		else
			memcpy(k, p, piece);
		page_put(pa);
		va += piece;
		k += piece;
		n -= piece;
	}
	return 0;
}
#else
/* Host tests have one address space: any non-NULL as is current. */
static bool is_current(const struct aspace *as)
{
	(void)as;
	return true;
}

static int copy_foreign(struct aspace *as, uint64_t va, void *kbuf, size_t n, bool out)
{
	(void)as, (void)va, (void)kbuf, (void)n, (void)out;
	return -EFAULT;
}
#endif

/* Whether [off, off + n) lies in u: a copy outside it is -EFAULT. */
static inline bool uio_in_range(const struct uio *u, size_t off, size_t n)
{
	return off <= u->len && n <= u->len - off;
}

/* A copy to (out) or from kernel memory or another space's user memory,
 * in range: out of line, so the common case below needs no stack frame. */
static __attribute__((noinline)) int uio_copy_other(const struct uio *u, size_t off, void *kbuf,
						     size_t n, bool out)
{
	uint8_t *k = (uint8_t *)u->addr + off;

	if (u->as)
		return copy_foreign(u->as, u->addr + off, kbuf, n, out);
	if (out)
		memcpy(k, kbuf, n);
	else
		memcpy(kbuf, k, n);
	return 0;
}

/* The common case first, the current space (every pipe and file read or
 * write): its checks, then a tail call of the copy. */
long uio_copy_out(const struct uio *u, size_t off, const void *src, size_t n)
{
	if (!uio_in_range(u, off, n))
		return -EFAULT;
	if (u->as && is_current(u->as))
		return copy_to_user(u->addr + off, src, n);
	return uio_copy_other(u, off, (void *)src, n, true);
}

long uio_copy_in(const struct uio *u, size_t off, void *dst, size_t n)
{
	if (!uio_in_range(u, off, n))
		return -EFAULT;
	if (u->as && is_current(u->as))
		return copy_from_user(dst, u->addr + off, n);
	return uio_copy_other(u, off, dst, n, false);
}
