/*
 * arch/aarch64/uaccess_fpsimd.S: the live FP/SIMD registers straight to
 * and from a signal frame's fpsimd_context record in user memory (Linux's
 * struct fpsimd_context: a head word, fpsr and fpcr as two 32-bit words,
 * then vregs[32]), for sigframe.c when the running thread owns the
 * registers (fpsimd.c). Each Q register moves through two general
 * registers and two unprivileged STTR/LDTR (EL0's permissions, as every
 * user access, uaccess_copy.S): four instructions per register, where a
 * save to the kernel stack and a copy of it out cost more. Every user
 * access is in __ex_table; a fault returns -EFAULT (the fault handler sets
 * x0). Offsets are checked against the C structures in sigframe.c.
 */

#include "asm/extable.h"

/* Linux's fpsimd_context: head (magic, size), fpsr, fpcr, then vregs. */
#define FPREC_FPSR 8
#define FPREC_VREGS 16
#define QREG_BYTES 16
/* Q registers reached from one base: STTR/LDTR offsets are 9-bit signed
 * (Arm ARM C6.2), so the base moves once, half-way. */
#define QREGS_PER_BASE 16
#define QREGS_SPAN (QREGS_PER_BASE * QREG_BYTES)

/* An unprivileged access that may fault: resumes at fpsimd_user_fault. */
.macro uacc insn:vararg
9999:	\insn
	extable 9999b, fpsimd_user_fault
.endm

/* Q register n to/from the user words at x0 + its offset from the base. */
.macro q_out n
	fmov	x4, d\n
	mov	x5, v\n\().d[1]
	uacc	sttr	x4, [x0, #((\n % QREGS_PER_BASE) * QREG_BYTES)]
	uacc	sttr	x5, [x0, #((\n % QREGS_PER_BASE) * QREG_BYTES + 8)]
.endm
.macro q_in n
	uacc	ldtr	x4, [x0, #((\n % QREGS_PER_BASE) * QREG_BYTES)]
	uacc	ldtr	x5, [x0, #((\n % QREGS_PER_BASE) * QREG_BYTES + 8)]
	fmov	d\n, x4
	mov	v\n\().d[1], x5
.endm

/* op on each Q register, x0 moved from the first half's base to the
 * second's between them. */
.macro each_q op
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	\op	\n
	.endr
	add	x0, x0, #QREGS_SPAN
	.irp n, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	\op	\n
	.endr
.endm

	.text
/*
 * long fpsimd_save_user(uint64_t urec, uint64_t head): the record at urec:
 * head (its magic and size word), the live FPSR and FPCR, the 32 Q
 * registers, and the terminating null record right after it. 0 or -EFAULT.
 */
	.global fpsimd_save_user
fpsimd_save_user:
	mrs	x2, fpsr
	mrs	x3, fpcr
	orr	x2, x2, x3, lsl #32
	uacc	sttr	x1, [x0]
	uacc	sttr	x2, [x0, #FPREC_FPSR]
	add	x0, x0, #FPREC_VREGS
	each_q	q_out
	add	x0, x0, #QREGS_SPAN
	uacc	sttr	xzr, [x0]
	mov	x0, #0
	ret

/*
 * long fpsimd_load_user(uint64_t uvregs, uint64_t fpsr, uint64_t fpcr):
 * the 32 Q registers from the record's vregs at uvregs, and FPSR, FPCR
 * (read and checked by the caller). 0 or -EFAULT; a fault leaves the
 * registers before it loaded (the caller's SIGSEGV follows).
 */
	.global fpsimd_load_user
fpsimd_load_user:
	each_q	q_in
	msr	fpsr, x1
	msr	fpcr, x2
	mov	x0, #0
	ret

/* The fault handler has set x0 = -EFAULT. */
fpsimd_user_fault:
	ret
