/*
 * arch/aarch64/vectors.S: the EL1 exception vector table (Arm ARM D1.10.2):
 * 16 entries of 128 bytes, each saving the full register frame (asm/trap.h)
 * and calling exception_dispatch(frame, kind), except synchronous exceptions
 * from EL0 (system calls), which save a partial frame first (el0_sync). The
 * frame holds a frame record {x29, elr} that x29 points to during the
 * handler, so backtraces continue into the interrupted code.
 */
#include "asm/trap.h"
#include "kernel/percpu_offsets.h"
#include "mm/layout.h"

/* SPSR M[3:0]: 0 means the exception came from (and returns to) EL0t. */
#define SPSR_MODE_MASK 0xf

#if TF_ELR != TF_SP + 8 || TF_ESR != TF_SPSR + 8
#error "el0_sync stores sp, elr and spsr, esr as pairs"
#endif

/* Where save_rest finds the interrupted stack pointer. */
#define SP_FROM_EL1 0     /* ours, before the frame was pushed */
#define SP_FROM_EL0 1     /* SP_EL0 */
#define SP_PRESET 2       /* already in the frame (stack overflow path) */

/*
 * Each entry saves x0/x1, puts its kind in x1 and branches to the common
 * code for its origin; the rest of the frame is saved there (EL0 sync:
 * el0_sync, which needs no kind).
 *
 * Entries taken on the kernel's own stack (EL1h) first check that pushing
 * the frame left SP inside the stack. Every kernel stack is the upper half
 * of a KSTACK_SLOT_SIZE-aligned slot whose lower half is an unmapped guard
 * (mm/layout.h), so SP is inside iff bit KERNEL_STACK_SHIFT is set. SP
 * cannot be tested directly, so the check swaps it through x0 and back
 * (x0 + SP - x0) without touching memory.
 */
.macro vector kind
	.balign 0x80
	sub	sp, sp, #TF_SIZE
	.if \kind >= VEC_CUR_SPX_SYNC && \kind <= VEC_CUR_SPX_SERROR
	add	sp, sp, x0		/* sp = SP + x0 */
	sub	x0, sp, x0		/* x0 = SP */
	tbz	x0, #KERNEL_STACK_SHIFT, 1f
	sub	x0, sp, x0		/* x0 = x0 again */
	sub	sp, sp, x0		/* SP again */
	.endif
	stp	x0, x1, [sp, #TF_X0]
	.if \kind == VEC_LOW64_SYNC
	b	el0_sync
	.else
	mov	x1, #\kind
	.if \kind > VEC_LOW64_SYNC
	b	trap_from_el0
	.else
	b	trap_from_el1
	.endif
	.endif
1:	sub	x0, sp, x0		/* x0 = x0 again */
	sub	sp, sp, x0		/* SP again */
	mov	x1, #\kind
	b	kernel_stack_overflow
.endm

/* x2-x17 into the frame at sp, and x0-x17 back: the part of every frame
 * that the partial one (el0_sync) and the full one share. */
.macro save_x2_x17
	stp	x2, x3, [sp, #(2 * 8)]
	stp	x4, x5, [sp, #(4 * 8)]
	stp	x6, x7, [sp, #(6 * 8)]
	stp	x8, x9, [sp, #(8 * 8)]
	stp	x10, x11, [sp, #(10 * 8)]
	stp	x12, x13, [sp, #(12 * 8)]
	stp	x14, x15, [sp, #(14 * 8)]
	stp	x16, x17, [sp, #(16 * 8)]
.endm

.macro load_x0_x17
	ldp	x0, x1, [sp, #(0 * 8)]
	ldp	x2, x3, [sp, #(2 * 8)]
	ldp	x4, x5, [sp, #(4 * 8)]
	ldp	x6, x7, [sp, #(6 * 8)]
	ldp	x8, x9, [sp, #(8 * 8)]
	ldp	x10, x11, [sp, #(10 * 8)]
	ldp	x12, x13, [sp, #(12 * 8)]
	ldp	x14, x15, [sp, #(14 * 8)]
	ldp	x16, x17, [sp, #(16 * 8)]
.endm

.macro save_rest sp_from, handler
	save_x2_x17
	stp	x18, x19, [sp, #(18 * 8)]
	stp	x20, x21, [sp, #(20 * 8)]
	stp	x22, x23, [sp, #(22 * 8)]
	stp	x24, x25, [sp, #(24 * 8)]
	stp	x26, x27, [sp, #(26 * 8)]
	stp	x28, x29, [sp, #(28 * 8)]
	/* The interrupted SP: SP_EL0 from EL0, else ours before the sub. */
	.if \sp_from == SP_FROM_EL0
	mrs	x2, sp_el0
	.elseif \sp_from == SP_FROM_EL1
	add	x2, sp, #TF_SIZE
	.else
	ldr	x2, [sp, #TF_SP]
	.endif
	stp	x30, x2, [sp, #TF_X30]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #TF_ELR]
	mrs	x3, esr_el1
	mrs	x4, far_el1
	stp	x3, x4, [sp, #TF_ESR]
	stp	x29, x2, [sp, #TF_FRAME_RECORD]
	add	x29, sp, #TF_FRAME_RECORD
	mov	x0, sp
	bl	\handler
	b	exception_return
.endm

	.text
	.balign 2048
	.global exception_vectors
exception_vectors:
	.irp kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector \kind
	.endr

trap_from_el1:
	save_rest SP_FROM_EL1, exception_dispatch
/* For debuggers: a trap from user space is the outermost kernel frame. */
trap_from_el0:
	.cfi_sections .debug_frame	/* .eh_frame is discarded */
	.cfi_startproc
	.cfi_undefined x30
	save_rest SP_FROM_EL0, exception_dispatch
	.cfi_endproc

/*
 * A synchronous exception from EL0 (AArch64): mostly system calls. C code
 * preserves x19-x28 (AAPCS64 callee-saved), so they are saved into the frame
 * only when something may read or rewrite the whole frame: the frame is
 * partial (x19-x28 and FAR not saved) while el0_sync_fast runs, and it never
 * returns to here while a signal, a reschedule or a frame-rewriting system
 * call (fork, exec, sigreturn) is pending; it answers nonzero instead, and
 * the registers, still the user's, complete the frame before el0_sync_slow
 * (exception.c) does that work and the full frame is restored. x0, x1 are
 * saved (the vector's common part).
 */
el0_sync:
	.cfi_startproc
	.cfi_undefined x30
	save_x2_x17
	str	x18, [sp, #(18 * 8)]
	stp	x29, x30, [sp, #TF_X29]
	/* sp, elr and spsr, esr are neighbours (asm/trap.h): two pairs. */
	mrs	x2, sp_el0
	mrs	x3, elr_el1
	stp	x2, x3, [sp, #TF_SP]
	mrs	x2, spsr_el1
	mrs	x1, esr_el1		/* el0_sync_fast's second argument */
	stp	x2, x1, [sp, #TF_SPSR]
	stp	x29, x3, [sp, #TF_FRAME_RECORD]
	add	x29, sp, #TF_FRAME_RECORD
	mov	x0, sp
	bl	el0_sync_fast
	cbnz	w0, el0_sync_full
	/* Back to EL0 (a partial frame's call never changes SPSR's mode). */
	ldp	x0, x1, [sp, #TF_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldr	x0, [sp, #TF_SP]
	msr	sp_el0, x0
	load_x0_x17
	ldr	x18, [sp, #(18 * 8)]
	ldp	x29, x30, [sp, #TF_X29]
	add	sp, sp, #TF_SIZE
	eret
/* w0: el0_sync_fast's answer, passed on. x19-x28 are the user's still. */
el0_sync_full:
	str	x19, [sp, #(19 * 8)]
	stp	x20, x21, [sp, #(20 * 8)]
	stp	x22, x23, [sp, #(22 * 8)]
	stp	x24, x25, [sp, #(24 * 8)]
	stp	x26, x27, [sp, #(26 * 8)]
	str	x28, [sp, #(28 * 8)]
	mrs	x2, far_el1
	str	x2, [sp, #TF_FAR]
	mov	w1, w0
	mov	x0, sp
	bl	el0_sync_slow
	b	exception_return
	.cfi_endproc

/*
 * The kernel stack overflowed into its guard: nothing more may be pushed
 * there. Build the frame on this CPU's overflow stack instead (found
 * through TPIDR_EL1; SP_EL0 holds x0 meanwhile) and report. x1 = kind.
 */
kernel_stack_overflow:
	msr	sp_el0, x0
	mrs	x0, tpidr_el1
	ldr	x0, [x0, #CPU_OVERFLOW_STACK_TOP]
	sub	x0, x0, #TF_SIZE
	str	x1, [x0, #(1 * 8)]	/* the kind, as x1 */
	add	x1, sp, #TF_SIZE	/* SP before the vector's push */
	str	x1, [x0, #TF_SP]
	mrs	x1, sp_el0
	str	x1, [x0, #TF_X0]
	mov	sp, x0
	ldr	x1, [sp, #(1 * 8)]
	save_rest SP_PRESET, exception_stack_overflow

/* Restores the frame at sp (possibly changed by the handler) and returns. */
	.global exception_return
exception_return:
	ldp	x0, x1, [sp, #TF_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	/* SP_EL0 is restored for returns to EL0 (mode bits M[3:0] = 0). */
	ldr	x0, [sp, #TF_SP]
	tst	x1, #SPSR_MODE_MASK
	b.ne	1f
	msr	sp_el0, x0
1:	load_x0_x17
	ldp	x18, x19, [sp, #(18 * 8)]
	ldp	x20, x21, [sp, #(20 * 8)]
	ldp	x22, x23, [sp, #(22 * 8)]
	ldp	x24, x25, [sp, #(24 * 8)]
	ldp	x26, x27, [sp, #(26 * 8)]
	ldp	x28, x29, [sp, #(28 * 8)]
	ldr	x30, [sp, #TF_X30]
	add	sp, sp, #TF_SIZE
	eret
