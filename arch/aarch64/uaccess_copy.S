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
 * a leaf function), so the loop's own instructions (compare, branch,
 * pointer updates) are paid once per eight. */
#define UACCESS_BLOCK 64

	.text
/* long __copy_from_user(void *dst, const void *usrc, size_t n): 0 or -EFAULT */
	.global __copy_from_user
__copy_from_user:
	cbz	x2, 3f
	orr	x3, x0, x1
	tst	x3, #7
	b.ne	2f
	/* Aligned: UACCESS_BLOCK bytes a turn while they last (x3: where
	 * the blocks end in usrc, x2: the bytes after them), then words. */
	cmp	x2, #UACCESS_BLOCK
	b.lo	1f
	and	x3, x2, #~(UACCESS_BLOCK - 1)
	add	x3, x1, x3
	and	x2, x2, #(UACCESS_BLOCK - 1)
4:
12:	ldtr	x4, [x1]
13:	ldtr	x5, [x1, #8]
14:	ldtr	x6, [x1, #16]
15:	ldtr	x7, [x1, #24]
16:	ldtr	x8, [x1, #32]
17:	ldtr	x9, [x1, #40]
18:	ldtr	x10, [x1, #48]
19:	ldtr	x11, [x1, #56]
	stp	x4, x5, [x0]
	stp	x6, x7, [x0, #16]
	stp	x8, x9, [x0, #32]
	stp	x10, x11, [x0, #48]
	add	x0, x0, #UACCESS_BLOCK
	add	x1, x1, #UACCESS_BLOCK
	cmp	x1, x3
	b.ne	4b
1:	cmp	x2, #8
	b.lo	2f
10:	ldtr	x4, [x1]
	str	x4, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
	b	1b
2:	cbz	x2, 3f
11:	ldtrb	w4, [x1]
	strb	w4, [x0], #1
	add	x1, x1, #1
	sub	x2, x2, #1
	b	2b
3:	mov	x0, #0
	ret
	extable 10b, uaccess_fault
	extable 11b, uaccess_fault
	extable 12b, uaccess_fault
	extable 13b, uaccess_fault
	extable 14b, uaccess_fault
	extable 15b, uaccess_fault
	extable 16b, uaccess_fault
	extable 17b, uaccess_fault
	extable 18b, uaccess_fault
	extable 19b, uaccess_fault

/* long __copy_to_user(void *udst, const void *src, size_t n): 0 or -EFAULT */
	.global __copy_to_user
__copy_to_user:
	cbz	x2, 3f
	orr	x3, x0, x1
	tst	x3, #7
	b.ne	2f
	/* As __copy_from_user: x3 is where the blocks end in src. */
	cmp	x2, #UACCESS_BLOCK
	b.lo	1f
	and	x3, x2, #~(UACCESS_BLOCK - 1)
	add	x3, x1, x3
	and	x2, x2, #(UACCESS_BLOCK - 1)
4:	ldp	x4, x5, [x1]
	ldp	x6, x7, [x1, #16]
	ldp	x8, x9, [x1, #32]
	ldp	x10, x11, [x1, #48]
22:	sttr	x4, [x0]
23:	sttr	x5, [x0, #8]
24:	sttr	x6, [x0, #16]
25:	sttr	x7, [x0, #24]
26:	sttr	x8, [x0, #32]
27:	sttr	x9, [x0, #40]
28:	sttr	x10, [x0, #48]
29:	sttr	x11, [x0, #56]
	add	x0, x0, #UACCESS_BLOCK
	add	x1, x1, #UACCESS_BLOCK
	cmp	x1, x3
	b.ne	4b
1:	cmp	x2, #8
	b.lo	2f
	ldr	x4, [x1], #8
20:	sttr	x4, [x0]
	add	x0, x0, #8
	sub	x2, x2, #8
	b	1b
2:	cbz	x2, 3f
	ldrb	w4, [x1], #1
21:	sttrb	w4, [x0]
	add	x0, x0, #1
	sub	x2, x2, #1
	b	2b
3:	mov	x0, #0
	ret
	extable 20b, uaccess_fault
	extable 21b, uaccess_fault
	extable 22b, uaccess_fault
	extable 23b, uaccess_fault
	extable 24b, uaccess_fault
	extable 25b, uaccess_fault
	extable 26b, uaccess_fault
	extable 27b, uaccess_fault
	extable 28b, uaccess_fault
	extable 29b, uaccess_fault

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
