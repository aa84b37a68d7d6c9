/*
 * arch/aarch64/uaccess_sigframe.S: a signal frame's two big fixed parts
 * straight between the CPU and user memory (sigframe.c), unrolled: the
 * general registers of a trap frame, and the live FP/SIMD registers as
 * the frame's fpsimd_context record (Linux's struct fpsimd_context: a
 * head word, fpsr and fpcr as two 32-bit words, then vregs[32]) when the
 * running thread owns them (fpsimd.c). Each Q register moves through two
 * general registers and two unprivileged STTR/LDTR (EL0's permissions, as
 * every user access, uaccess_copy.S): four instructions per register,
 * where a save to the kernel stack and a copy of it out cost more. Every
 * user access is in __ex_table; a fault returns -EFAULT (the fault handler
 * sets x0). Offsets are checked against the C structures in sigframe.c.
 */

#include "asm/extable.h"
#include "asm/trap.h"

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

/* The sigcontext's regs, sp, pc, pstate: the trap frame's x0-x30, sp,
 * elr, spsr, in that order (sigframe.c checks it), as pairs of words: the
 * first REGS_PAIRS_PER_BASE from one base, the last past it. */
#define SIGREGS_BYTES (TF_ESR - TF_X0)
#define PAIR_BYTES 16
#define REGS_PAIRS_PER_BASE 16
#define REGS_SPAN (REGS_PAIRS_PER_BASE * PAIR_BYTES)
.if SIGREGS_BYTES != REGS_SPAN + PAIR_BYTES
.error "uaccess_sigframe.S: the registers are not 17 pairs"
.endif

.macro pair_out off
	ldp	x2, x3, [x1, #\off]
	uacc	sttr	x2, [x0, #\off]
	uacc	sttr	x3, [x0, #(\off + 8)]
.endm
.macro pair_in off
	uacc	ldtr	x2, [x0, #\off]
	uacc	ldtr	x3, [x0, #(\off + 8)]
	stp	x2, x3, [x1, #\off]
.endm

/* op on each pair, both bases moved past the first REGS_SPAN between. */
.macro each_pair op
	.irp off, 0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240
	\op	\off
	.endr
	add	x0, x0, #REGS_SPAN
	add	x1, x1, #REGS_SPAN
	\op	0
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
/* long sigregs_to_user(uint64_t udst, const uint64_t *regs): the trap
 * frame's registers (from x0) to the sigcontext's. 0 or -EFAULT. */
	.global sigregs_to_user
sigregs_to_user:
	each_pair pair_out
	mov	x0, #0
	ret

/* long sigregs_from_user(uint64_t usrc, uint64_t *regs): back into the
 * trap frame. 0 or -EFAULT (regs then hold those before the fault). */
	.global sigregs_from_user
sigregs_from_user:
	each_pair pair_in
	mov	x0, #0
	ret

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
