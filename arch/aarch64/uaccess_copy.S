/*
 * arch/aarch64/uaccess.S: the only code that touches user memory. It uses
 * the unprivileged loads and stores LDTR/STTR (Arm ARM C6.2), which check
 * EL0's permissions, so a user pointer to kernel memory faults even though
 * EL1 could reach it, and which PAN does not block (PSTATE.UAO stays 0,
 * asm/pan.h), so they need no PAN toggling. Every access is in __ex_table: a fault that the page
 * fault handler cannot resolve (copy-on-write, demand paging) resumes at the
 * fix-up and the call returns -EFAULT. C wrappers (uaccess.c) check the
 * address range first.
 */

#include "asm/extable.h"
#include "kernel/lib/libc/word_at_a_time.h"

/* Bytes an aligned copy moves per loop turn: eight words (x4-x11, free in
 * a leaf function), so the loop's own instructions (a pointer update, the
 * count, the branch; the other pointer moves by post-index) are paid once
 * per eight. */
#define UACCESS_BLOCK 64
/* Its words' registers, x4-x11 (the pairs below name them too). */
#define BLOCK_REG0 4
#define BLOCK_REGS 4, 5, 6, 7, 8, 9, 10, 11
/* The tail's words (fewer than a block's) are copied by branching into an
 * unrolled run of TAIL_WORDS loads and stores, each pair two instructions,
 * as many bytes of code as the word it copies (checked by tail_run): the
 * last n pairs copy the last n words, at negative offsets from pointers
 * already moved past them. */
#define TAIL_WORDS (UACCESS_BLOCK / WORD_BYTES - 1)

/* An unprivileged access that may fault: resumes at uaccess_fault. */
.macro uacc insn:vararg
9999:	\insn
	extable 9999b, uaccess_fault
.endm

/* Copies x2 (< UACCESS_BLOCK) aligned bytes at x1 to x0: the words
 * through the unrolled run of load and store pairs after it (x3, x4
 * scratch); x2 is left with the bytes after them (x2 & 7) for the byte
 * loop after the run. */
.macro tail_run load, store
	and	x3, x2, #~(WORD_BYTES - 1)
	add	x0, x0, x3
	add	x1, x1, x3
	adr	x4, .Lrun_end\@
	sub	x4, x4, x3		/* a word's pair is WORD_BYTES of code */
	and	x2, x2, #(WORD_BYTES - 1)
	br	x4
.Lrun\@:
	.irp off, 56, 48, 40, 32, 24, 16, 8
	\load	x4, [x1, #-\off]
	\store	x4, [x0, #-\off]
	.endr
.Lrun_end\@:
	.if .Lrun_end\@ - .Lrun\@ != TAIL_WORDS * WORD_BYTES
	.error "tail_run: a pair is not WORD_BYTES of code"
	.endif
.endm

/* The user side of tail_run's pairs: fault-listed LDTR, STTR. */
.macro uldtr reg, addr:vararg
	uacc	ldtr	\reg, \addr
.endm
.macro usttr reg, addr:vararg
	uacc	sttr	\reg, \addr
.endm

/* One block from user space: eight LDTRs, then pairs into the kernel,
 * whose pointer moves by post-index. */
.macro block_from_user
	.irp r, BLOCK_REGS
	uacc	ldtr	x\r, [x1, #((\r - BLOCK_REG0) * WORD_BYTES)]
	.endr
	add	x1, x1, #UACCESS_BLOCK
	stp	x4, x5, [x0], #UACCESS_BLOCK
	stp	x6, x7, [x0, #(16 - UACCESS_BLOCK)]
	stp	x8, x9, [x0, #(32 - UACCESS_BLOCK)]
	stp	x10, x11, [x0, #(48 - UACCESS_BLOCK)]
.endm

/* One block to user space: pairs from the kernel (post-index), eight STTRs. */
.macro block_to_user
	ldp	x6, x7, [x1, #16]
	ldp	x8, x9, [x1, #32]
	ldp	x10, x11, [x1, #48]
	ldp	x4, x5, [x1], #UACCESS_BLOCK
	.irp r, BLOCK_REGS
	uacc	sttr	x\r, [x0, #((\r - BLOCK_REG0) * WORD_BYTES)]
	.endr
	add	x0, x0, #UACCESS_BLOCK
.endm

/* One byte either way, both pointers moved. */
.macro byte_from_user
	uacc	ldtrb	w4, [x1]
	strb	w4, [x0], #1
	add	x1, x1, #1
.endm
.macro byte_to_user
	ldrb	w4, [x1], #1
	uacc	sttrb	w4, [x0]
	add	x0, x0, #1
.endm

/*
 * The body of a copy of x2 bytes from x1 to x0 (0 or -EFAULT in x0): when
 * both are word aligned, whole blocks while they last (x3 counts down the
 * bytes after the current one), then the tail's words (tail_run), then
 * its bytes; unaligned, bytes all the way.
 */
.macro ucopy block, tail_load, tail_store, byte
	orr	x3, x0, x1
	tst	x3, #(WORD_BYTES - 1)
	b.ne	2f
	subs	x3, x2, #UACCESS_BLOCK
	b.lo	1f
4:	\block
	subs	x3, x3, #UACCESS_BLOCK
	b.hs	4b
	add	x2, x3, #UACCESS_BLOCK
1:	tail_run \tail_load, \tail_store
2:	cbz	x2, 3f
	\byte
	sub	x2, x2, #1
	b	2b
3:	mov	x0, #0
	ret
.endm

	.text
/* long __copy_from_user(void *dst, const void *usrc, size_t n): 0 or -EFAULT */
	.global __copy_from_user
__copy_from_user:
	ucopy	block_from_user, uldtr, stur, byte_from_user

/* long __copy_to_user(void *udst, const void *src, size_t n): 0 or -EFAULT */
	.global __copy_to_user
__copy_to_user:
	ucopy	block_to_user, ldur, usttr, byte_to_user

/* long __clear_user(void *udst, size_t n): 0 or -EFAULT */
	.global __clear_user
__clear_user:
	cbz	x1, 2f
30:	sttrb	wzr, [x0]
	add	x0, x0, #1
	sub	x1, x1, #1
	cbnz	x1, 30b
2:	mov	x0, #0
	ret
	extable 30b, uaccess_fault

/*
 * long __strncpy_from_user(char *dst, const char *usrc, size_t max):
 * copies up to and including the NUL; the length without it, max if no NUL
 * was found in max bytes, or -EFAULT.
 *
 * Bytes until usrc is word aligned, then a word a turn while eight bytes
 * remain and none of them is NUL (the has-zero test: (w - 0x01..01) &
 * ~w & 0x80..80 is nonzero exactly when a byte of w is zero, as Linux's
 * word-at-a-time.h), then bytes again for the word holding the NUL and
 * the tail. An aligned word never straddles a page, so it faults only
 * where its first byte would: the words before it are copied and the
 * result is -EFAULT, as byte by byte. dst may be unaligned
 * (SCTLR_EL1.A is off).
 */
	.global __strncpy_from_user
__strncpy_from_user:
	mov	x3, #0
	mov	x5, #WORD_ONES
	mov	x6, #WORD_HIGHS
	mov	x8, #1			/* words allowed (until the word loop ends) */
1:	cmp	x3, x2
	b.hs	9f
	cbz	x8, 2f
	tst	x1, #(WORD_BYTES - 1)
	b.eq	3f
2:
40:	ldtrb	w4, [x1]
	strb	w4, [x0, x3]
	cbz	w4, 9f
	add	x1, x1, #1
	add	x3, x3, #1
	b	1b
	/* Aligned: words while a whole one remains and holds no NUL; then
	 * bytes for the word with the NUL, or the tail shorter than a word. */
3:	sub	x7, x2, x3
	cmp	x7, #WORD_BYTES
	b.lo	5f
41:	ldtr	x4, [x1]
	sub	x7, x4, x5
	bic	x7, x7, x4
	tst	x7, x6
	b.ne	5f
	str	x4, [x0, x3]
	add	x1, x1, #WORD_BYTES
	add	x3, x3, #WORD_BYTES
	b	3b
5:	mov	x8, #0
	b	1b
9:	mov	x0, x3
	ret
	extable 40b, uaccess_fault
	extable 41b, uaccess_fault

/* The fault handler has set x0 = -EFAULT. */
uaccess_fault:
	ret
