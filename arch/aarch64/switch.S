/*
 * arch/aarch64/switch.S: switching kernel stacks between threads, and
 * saving/loading the FP/SIMD registers (which C, built with
 * -mgeneral-regs-only, cannot name). Offsets are from sched/thread.h and
 * checked against the C structures in sched/switch.c.
 */
#include "sched/thread.h"

	.text
/* void cpu_switch_to(struct cpu_context *from, struct cpu_context *to):
 * saves x29, the return address and SP into from, loads them from to and
 * returns there. Every other register is the caller's to keep (its call
 * in sched/switch.c says it clobbers x0-x28). */
	.global cpu_switch_to
cpu_switch_to:
	stp	x29, x30, [x0, #CTX_FP]
	mov	x2, sp
	str	x2, [x0, #CTX_SP]
	ldp	x29, x30, [x1, #CTX_FP]
	ldr	x2, [x1, #CTX_SP]
	mov	sp, x2
	ret

/* A new thread: finish the switch (sched/switch.c), then return to user space
 * through the trap frame its stack pointer points at. */
	.global thread_trampoline
thread_trampoline:
	bl	sched_finish_switch
	b	exception_return

/* void fpsimd_save_regs(struct fpsimd_state *st): the live registers (fpsimd.c) */
	.global fpsimd_save_regs
fpsimd_save_regs:
	stp	q0, q1, [x0, #(0 * 32)]
	stp	q2, q3, [x0, #(1 * 32)]
	stp	q4, q5, [x0, #(2 * 32)]
	stp	q6, q7, [x0, #(3 * 32)]
	stp	q8, q9, [x0, #(4 * 32)]
	stp	q10, q11, [x0, #(5 * 32)]
	stp	q12, q13, [x0, #(6 * 32)]
	stp	q14, q15, [x0, #(7 * 32)]
	stp	q16, q17, [x0, #(8 * 32)]
	stp	q18, q19, [x0, #(9 * 32)]
	stp	q20, q21, [x0, #(10 * 32)]
	stp	q22, q23, [x0, #(11 * 32)]
	stp	q24, q25, [x0, #(12 * 32)]
	stp	q26, q27, [x0, #(13 * 32)]
	stp	q28, q29, [x0, #(14 * 32)]
	stp	q30, q31, [x0, #(15 * 32)]
	mrs	x1, fpsr
	str	x1, [x0, #FPSIMD_FPSR]
	mrs	x1, fpcr
	str	x1, [x0, #FPSIMD_FPCR]
	ret

/* void fpsimd_load_regs(const struct fpsimd_state *st): into the live registers */
	.global fpsimd_load_regs
fpsimd_load_regs:
	ldp	q0, q1, [x0, #(0 * 32)]
	ldp	q2, q3, [x0, #(1 * 32)]
	ldp	q4, q5, [x0, #(2 * 32)]
	ldp	q6, q7, [x0, #(3 * 32)]
	ldp	q8, q9, [x0, #(4 * 32)]
	ldp	q10, q11, [x0, #(5 * 32)]
	ldp	q12, q13, [x0, #(6 * 32)]
	ldp	q14, q15, [x0, #(7 * 32)]
	ldp	q16, q17, [x0, #(8 * 32)]
	ldp	q18, q19, [x0, #(9 * 32)]
	ldp	q20, q21, [x0, #(10 * 32)]
	ldp	q22, q23, [x0, #(11 * 32)]
	ldp	q24, q25, [x0, #(12 * 32)]
	ldp	q26, q27, [x0, #(13 * 32)]
	ldp	q28, q29, [x0, #(14 * 32)]
	ldp	q30, q31, [x0, #(15 * 32)]
	ldr	x1, [x0, #FPSIMD_FPSR]
	msr	fpsr, x1
	ldr	x1, [x0, #FPSIMD_FPCR]
	msr	fpcr, x1
	ret
