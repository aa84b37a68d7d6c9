/*
 * arch/aarch64/uaccess.h: copying to and from user memory. Every user
 * pointer the kernel follows goes through these; a bad pointer gives -EFAULT
 * and never a kernel fault. Ranges must lie wholly below USER_TOP.
 */
#ifndef ARCH_AARCH64_UACCESS_H
#define ARCH_AARCH64_UACCESS_H

#include "kernel/lib/types.h"
#include "kernel/lib/errno.h"

/* The first address above user space (TTBR0 covers 48 bits; we use 47). */
#define USER_TOP (1UL << 47)

static inline bool user_range_ok(uint64_t addr, uint64_t len)
{
	return addr <= USER_TOP && len <= USER_TOP - addr;
}

long __copy_from_user(void *dst, const void *usrc, size_t n);
long __copy_to_user(void *udst, const void *src, size_t n);
long __clear_user(void *udst, size_t n);
long __strncpy_from_user(char *dst, const char *usrc, size_t max);

/* 0 or -EFAULT. */
static inline long copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	if (!user_range_ok(usrc, n))
		return -EFAULT;
	return __copy_from_user(dst, (const void *)usrc, n);
}

static inline long copy_to_user(uint64_t udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return -EFAULT;
	return __copy_to_user((void *)udst, src, n);
}

static inline long clear_user(uint64_t udst, size_t n)
{
	if (!user_range_ok(udst, n))
		return -EFAULT;
	return __clear_user((void *)udst, n);
}

/*
 * One aligned 8-byte word to or from user memory, in line: one STTR or
 * LDTR (EL0's permissions, as the copies) listed in __ex_table with the
 * instruction after it as its fix-up, where the fault handler leaves x0 =
 * -EFAULT (exception.c): hence *err lives in x0 across the access. *err is
 * kept as it was, or becomes -EFAULT, so that a run of accesses is checked
 * once at its end (Linux's __put_user_error). The caller has checked the
 * range below USER_TOP (the __copy functions' contract). Saves a copy
 * call for a single word (a signal frame's mask, fault address, frame
 * record).
 */
#define UACCESS_WORD_FIXUP(insn) \
	"1:	" insn "\n2:\n" \
	"	.pushsection __ex_table, \"a\"\n	.balign 8\n	.quad 1b, 2b\n	.popsection\n"

static inline void __put_user_u64(uint64_t v, uint64_t uaddr, long *err)
{
	register long x0 __asm__("x0") = *err;

	__asm__ volatile(UACCESS_WORD_FIXUP("sttr %x[v], [%[p]]")
			 : "+r"(x0) : [v] "rZ"(v), [p] "r"(uaddr) : "memory");
	*err = x0;
}

static inline uint64_t __get_user_u64(uint64_t uaddr, long *err)
{
	register long x0 __asm__("x0") = *err;
	uint64_t v = 0;

	/* v starts 0 and is an in-out operand: a faulting LDTR leaves it 0. */
	__asm__ volatile(UACCESS_WORD_FIXUP("ldtr %[v], [%[p]]")
			 : "+r"(x0), [v] "+r"(v) : [p] "r"(uaddr) : "memory");
	*err = x0;
	return v;
}

/*
 * The same at a constant offset from a user address, off within STTR's and
 * LDTR's signed 9-bit unscaled immediate (Arm ARM C6.2: -256..255): one
 * base register serves a run of words (a signal frame's ucontext head),
 * where a separate address per word costs two instructions to form.
 */
#define UACCESS_IMM9_MIN (-256)
#define UACCESS_IMM9_MAX 255
#define UACCESS_IMM9_OK(off) ((long)(off) >= UACCESS_IMM9_MIN && (long)(off) <= UACCESS_IMM9_MAX)

#define __put_user_u64_at(val_, ubase_, off_, err_) do {				\
	_Static_assert(UACCESS_IMM9_OK(off_), "STTR offset");				\
	register long x0_ __asm__("x0") = *(err_);					\
	__asm__ volatile(UACCESS_WORD_FIXUP("sttr %x[v], [%[p], %[o]]")		\
			 : "+r"(x0_) : [v] "rZ"((uint64_t)(val_)), [p] "r"(ubase_),	\
			   [o] "i"(off_) : "memory");					\
	*(err_) = x0_;									\
} while (0)

#define __get_user_u64_at(dst_, ubase_, off_, err_) do {				\
	_Static_assert(UACCESS_IMM9_OK(off_), "LDTR offset");				\
	register long x0_ __asm__("x0") = *(err_);					\
	uint64_t v_ = 0; /* a faulting LDTR leaves it 0, as __get_user_u64 */	\
	__asm__ volatile(UACCESS_WORD_FIXUP("ldtr %[v], [%[p], %[o]]")		\
			 : "+r"(x0_), [v] "+r"(v_) : [p] "r"(ubase_), [o] "i"(off_)	\
			 : "memory");							\
	*(err_) = x0_;									\
	(dst_) = v_;									\
} while (0)

/* uaccess_sigframe.S: a trap frame's x0-x30, sp, elr, spsr (from regs) to
 * and from a signal frame's sigcontext at the user address, unrolled
 * (sigframe.c). 0 or -EFAULT; range checked by the caller. */
long sigregs_to_user(uint64_t udst, const uint64_t *regs);
long sigregs_from_user(uint64_t usrc, uint64_t *regs);

long __cmpxchg_user_u32(uint32_t *uaddr, uint32_t old, uint32_t new, uint32_t *prev);

/* Atomically (against user space on other CPUs too) replaces the aligned
 * user word at uaddr with new if it holds old; *prev gets what it held.
 * 0, or -EFAULT (also where user space may not write: PROT_NONE,
 * read-only). May map the page (uaccess_atomic.c). */
long cmpxchg_user_u32(uint64_t uaddr, uint32_t old, uint32_t new, uint32_t *prev);

/* Copies a NUL-terminated string of at most max-1 bytes and its NUL into
 * dst (size max): its length, -EFAULT, or -ENAMETOOLONG when no NUL comes
 * within max bytes. */
long strncpy_from_user(char *dst, uint64_t usrc, size_t max);

#endif
