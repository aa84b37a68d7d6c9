/*
 * arch/aarch64/uaccess_cmpxchg.S: the one atomic read-modify-write on user
 * memory, a compare-and-exchange of an aligned 32-bit word (futex words,
 * which user space changes with its own atomics on other CPUs at the same
 * time). LDXR/STLXR have no unprivileged form (LDTR/STTR, uaccess_copy.S,
 * have no exclusive variant), so EL0's permission is checked first with
 * AT S1E0W (Arm ARM C5.5.x; PAR_EL1.F set: EL0 could not write there, e.g.
 * PROT_NONE, read-only, copy-on-write or not yet mapped), and the caller
 * (uaccess_atomic.c) lets the page-fault handler resolve that as a user
 * write would. Under PAN (asm/pan.h) the exclusive accesses would fault, so
 * PSTATE.PAN is cleared around them alone and set again on every way out.
 * A page unmapped between the check and the access faults through
 * __ex_table: -EFAULT.
 */

#include "asm/extable.h"
#include "asm/pan.h"

#define PAR_F_BIT 0 /* PAR_EL1.F: the translation faulted */
#define NOT_WRITABLE 1

	.text
/*
 * long __cmpxchg_user_u32(uint32_t *uaddr, uint32_t old, uint32_t new,
 *                         uint32_t *prev): stores new if *uaddr == old;
 * *prev is what *uaddr held. 0, NOT_WRITABLE (EL0 may not write the page
 * now: nothing read or written) or -EFAULT. Full barrier when it stores,
 * as Linux's futex cmpxchg (STLXR then DMB ISH). Interrupt handlers do not
 * use AT (the fault handler's PAN check, exception.c, only runs on a kernel
 * data abort, and nothing between AT and reading PAR_EL1 can take one),
 * and nothing switches threads there.
 */
	.global __cmpxchg_user_u32
__cmpxchg_user_u32:
	at	s1e0w, x0
	isb
	mrs	x6, par_el1
	tbnz	x6, #PAR_F_BIT, 4f
	pan_set x7, 0
1:
10:	ldxr	w4, [x0]
	cmp	w4, w1
	b.ne	2f
11:	stlxr	w5, w2, [x0]
	cbnz	w5, 1b
	dmb	ish
	b	3f
2:	clrex
3:	pan_set x7, 1
	str	w4, [x3]
	mov	x0, #0
	ret
4:	mov	x0, #NOT_WRITABLE
	ret
	extable 10b, cmpxchg_fault
	extable 11b, cmpxchg_fault

/* The fault handler has set x0 = -EFAULT. */
cmpxchg_fault:
	pan_set x7, 1
	ret
