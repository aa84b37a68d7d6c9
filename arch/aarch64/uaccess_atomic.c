/*
 * arch/aarch64/uaccess_atomic.c: cmpxchg_user_u32 (see uaccess.h): the
 * checks and the page-fault handling around uaccess_cmpxchg.S.
 */
#include "arch/aarch64/uaccess.h"
#include "kernel/proc.h"
#include "mm/uvm.h"

/* As the copies' fix-ups (exception.c): a page the fault handler mapped
 * may be taken away again by another thread before the retry. */
#define CMPXCHG_FAULT_RETRIES 4
#define NOT_WRITABLE 1 /* __cmpxchg_user_u32: EL0 may not write there now */

long cmpxchg_user_u32(uint64_t uaddr, uint32_t old, uint32_t new, uint32_t *prev)
{
	struct proc *p = current_proc();

	if (!user_range_ok(uaddr, sizeof(uint32_t)) || uaddr % sizeof(uint32_t))
		return -EFAULT;
	for (int i = 0; i <= CMPXCHG_FAULT_RETRIES; i++) {
		long r = __cmpxchg_user_u32((uint32_t *)uaddr, old, new, prev);

		if (r != NOT_WRITABLE)
			return r;
		/* What a user store there would do: demand paging, copy on
		 * write, or a refusal (PROT_NONE, read-only). */
		if (!p || !p->as || uvm_fault(p->as, uaddr, true, false))
			return -EFAULT;
	}
	return -EFAULT;
}
