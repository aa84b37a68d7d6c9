/*
 * kernel/scheme/uio_word.h: the first few bytes (at most one word) of a
 * uio naming the current space's user memory, moved through a register,
 * in line. A pipe's 1-byte read or write then costs no call into the
 * general copy path (kernel/scheme/uio.c) and no kernel buffer whose
 * address escapes (which would cost the caller a stack-protector check).
 * Both go through the fault-safe accesses of arch/aarch64/uaccess.h: a bad
 * pointer gives -EFAULT. Host tests (HOST_TEST) go through uio.c's copies,
 * which they stub.
 */
#ifndef KERNEL_SCHEME_UIO_WORD_H
#define KERNEL_SCHEME_UIO_WORD_H

#include "kernel/scheme/file.h"
#include "arch/aarch64/uaccess.h"
#ifndef HOST_TEST
#include "sched/sched.h"
#endif

#define UIO_WORD_MAX sizeof(uint64_t) /* bytes one register holds */
#define UIO_WORD_ALIGN_MASK (UIO_WORD_MAX - 1)
#define BITS_PER_BYTE 8

/* Whether the first n bytes of u may move through uio_word_in/out: n fits
 * a register and lies in u, and u names the current space's user memory
 * below USER_TOP. Otherwise the caller takes the general copy path. */
static inline bool uio_word_ok(const struct uio *u, size_t n)
{
	if (n > UIO_WORD_MAX || n > u->len || !u->as)
		return false;
#ifndef HOST_TEST
	if (u->as != current_thread()->as)
		return false;
#endif
	return user_range_ok(u->addr, n);
}

/*
 * The first n bytes of u (uio_word_ok), byte i in bits 8i..8i+7: 0 or
 * -EFAULT. Read as the one or two aligned words that hold them: each lies
 * in a page the bytes themselves lie in, so it faults exactly when a byte
 * copy would.
 */
static inline long uio_word_in(const struct uio *u, size_t n, uint64_t *v)
{
#ifndef HOST_TEST
	uint64_t base = u->addr & ~(uint64_t)UIO_WORD_ALIGN_MASK;
	unsigned shift = (unsigned)(u->addr & UIO_WORD_ALIGN_MASK) * BITS_PER_BYTE;
	long err = 0;
	uint64_t lo = __get_user_u64(base, &err);

	*v = lo >> shift;
	if (shift && (u->addr & UIO_WORD_ALIGN_MASK) + n > UIO_WORD_MAX)
		*v |= __get_user_u64(base + UIO_WORD_MAX, &err) << (UIO_WORD_MAX * BITS_PER_BYTE - shift);
	return err;
#else
	*v = 0;
	return uio_copy_in(u, 0, v, n); /* little-endian hosts */
#endif
}

/* Stores the n low bytes of v (byte i from bits 8i..8i+7) at u's start
 * (uio_word_ok), one STTRB each, so no neighbouring byte is touched: 0 or
 * -EFAULT (some bytes may have been stored, as with a faulting copy). */
static inline long uio_word_out(const struct uio *u, size_t n, uint64_t v)
{
#ifndef HOST_TEST
	register long x0 __asm__("x0") = 0;

	for (size_t i = 0; i < n && !x0; i++, v >>= BITS_PER_BYTE)
		__asm__ volatile(UACCESS_WORD_FIXUP("sttrb %w[v], [%[p]]")
				 : "+r"(x0) : [v] "rZ"(v), [p] "r"(u->addr + i) : "memory");
	return x0;
#else
	return uio_copy_out(u, 0, &v, n); /* little-endian hosts */
#endif
}

#endif
