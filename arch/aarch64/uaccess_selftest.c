/*
 * arch/aarch64/uaccess_selftest.c: self-test of the user copy routines
 * (uaccess_copy.S) at page edges: every length 0..UCOPY_LEN_MAX at every
 * user alignment, ending at or crossing the edge of a PROT_NONE page (a
 * page EL1 may access but EL0 may not: only the unprivileged LDTR/STTR
 * refuse it) and of an unmapped one. A copy that fits gives 0 and moves
 * exactly its bytes (checked against a pattern, with the bytes around it
 * untouched); one that crosses gives -EFAULT and never a kernel fault.
 * The single-word accessors likewise, on each side of those edges, and
 * the signal frame's register and FP/SIMD record writers and readers
 * (uaccess_sigframe.S).
 */
#include "kernel/selftest.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"
#include "asm/fpsimd.h"
#include "asm/trap.h"
#include "syscall/abi/abi_signal.h"
#include <stddef.h>
#include "mm/uvm.h"
#include "mm/vm.h"
#include "mm/layout.h"
#include <string.h>

/* The scratch space: [RW][PROT_NONE, present][RW][unmapped]. */
#define UCOPY_BASE (USER_BASE + 0x200000UL)
#define UCOPY_NONE_EDGE (UCOPY_BASE + PAGE_SIZE)
#define UCOPY_HOLE_EDGE (UCOPY_BASE + 3 * PAGE_SIZE)
/* Longer than the routines' block and tail together, several times. */
#define UCOPY_LEN_MAX 300
/* User start offsets below the edge-fitting address: every alignment. */
#define UCOPY_ALIGNS 8
/* The bytes checked on each side of a copy, and the kernel buffers' size. */
#define UCOPY_GUARD 16
#define UCOPY_WINDOW (UCOPY_LEN_MAX + UCOPY_ALIGNS + UCOPY_GUARD)
#define UCOPY_BUF (UCOPY_WINDOW + 2 * UCOPY_GUARD)
#define BACKGROUND 0xa5
/* Past the edge by all but one byte of a word. */
#define WORD_OVERHANG 7

/* Kernel buffer offsets (an aligned and an unaligned kernel side). */
static const unsigned kernel_offsets[] = { 0, 5 };

static uint8_t pattern_byte(size_t i, unsigned salt)
{
	return (uint8_t)(i * 7 + salt * 13 + 1);
}

/* Kernel buffers: static, the kernel stack is too small for them. */
static uint8_t kbuf[UCOPY_BUF] __attribute__((aligned(16)));
static uint8_t window[UCOPY_WINDOW] __attribute__((aligned(16)));

static struct aspace *ucopy_space(void)
{
	struct aspace *as = aspace_create();
	uint8_t zero = 0;

	if (!as)
		return NULL;
	/* Every page present: with no process, a fault here is never
	 * resolved (exception.c), only fixed up. */
	if (uvm_add_region(as, UCOPY_BASE, UCOPY_HOLE_EDGE, VM_READ | VM_WRITE, 0, 0, 0) ||
	    uvm_write(as, UCOPY_BASE, &zero, sizeof(zero)) ||
	    uvm_write(as, UCOPY_NONE_EDGE, &zero, sizeof(zero)) ||
	    uvm_write(as, UCOPY_HOLE_EDGE - PAGE_SIZE, &zero, sizeof(zero)) ||
	    uvm_protect(as, UCOPY_NONE_EDGE, UCOPY_NONE_EDGE + PAGE_SIZE, 0)) {
		aspace_destroy(as);
		return NULL;
	}
	aspace_activate(as);
	return as;
}

/* A copy of len bytes to user address u (ending at or before edge) and
 * back: exact, and the bytes around it in the window untouched. */
static int check_fit(uint64_t edge, size_t len, uint64_t u, unsigned koff)
{
	uint64_t wstart = edge - UCOPY_WINDOW;

	memset(window, BACKGROUND, sizeof(window));
	SELFTEST_CHECK(copy_to_user(wstart, window, sizeof(window)) == 0, "window fill at %#lx", wstart);
	for (size_t i = 0; i < len; i++)
		kbuf[koff + i] = pattern_byte(i, (unsigned)len);
	SELFTEST_CHECK(copy_to_user(u, kbuf + koff, len) == 0, "copy_to_user(%#lx, %zu) failed", u, len);
	SELFTEST_CHECK(copy_from_user(window, wstart, sizeof(window)) == 0, "window read at %#lx", wstart);
	for (size_t i = 0; i < sizeof(window); i++) {
		uint64_t a = wstart + i;
		uint8_t want = a >= u && a < u + len ? pattern_byte(a - u, (unsigned)len) : BACKGROUND;

		SELFTEST_CHECK(window[i] == want, "copy_to_user(%#lx, %zu, koff %u): byte at %#lx is %#x",
			       u, len, koff, a, window[i]);
	}
	memset(kbuf, BACKGROUND, sizeof(kbuf));
	SELFTEST_CHECK(copy_from_user(kbuf + koff, u, len) == 0, "copy_from_user(%#lx, %zu) failed", u, len);
	for (size_t i = 0; i < sizeof(kbuf); i++) {
		uint8_t want = i >= koff && i < koff + len ? pattern_byte(i - koff, (unsigned)len) : BACKGROUND;

		SELFTEST_CHECK(kbuf[i] == want, "copy_from_user(%#lx, %zu, koff %u): byte %zu is %#x",
			       u, len, koff, i, kbuf[i]);
	}
	return 0;
}

/* Copies of len bytes at u, which crosses edge (or starts on it): -EFAULT. */
static int check_cross(size_t len, uint64_t u, unsigned koff)
{
	SELFTEST_CHECK(copy_to_user(u, kbuf + koff, len) == -EFAULT, "copy_to_user(%#lx, %zu) not -EFAULT",
		       u, len);
	SELFTEST_CHECK(copy_from_user(kbuf + koff, u, len) == -EFAULT,
		       "copy_from_user(%#lx, %zu) not -EFAULT", u, len);
	return 0;
}

static int check_edge(uint64_t edge)
{
	for (size_t len = 0; len <= UCOPY_LEN_MAX; len++) {
		for (unsigned k = 0; k < sizeof(kernel_offsets) / sizeof(kernel_offsets[0]); k++) {
			unsigned koff = kernel_offsets[k];
			/* Past the edge by one byte, by most of a word, and
			 * starting on it. */
			uint64_t over[] = { 1, WORD_OVERHANG, len };

			for (uint64_t a = 0; a < UCOPY_ALIGNS; a++)
				if (check_fit(edge, len, edge - len - a, koff))
					return -1;
			for (unsigned o = 0; len && o < sizeof(over) / sizeof(over[0]); o++)
				if (over[o] <= len && check_cross(len, edge - len + over[o], koff))
					return -1;
		}
	}
	return 0;
}

/* check at the PROT_NONE edge, then the unmapped one, in the scratch space. */
static int on_both_edges(int (*check)(uint64_t edge))
{
	struct aspace *as = ucopy_space();
	int r;

	SELFTEST_CHECK(as, "no scratch address space");
	r = check(UCOPY_NONE_EDGE);
	if (r == 0)
		r = check(UCOPY_HOLE_EDGE);
	aspace_activate(NULL);
	aspace_destroy(as);
	return r;
}

static int test_ucopy_edges(void)
{
	return on_both_edges(check_edge);
}
SELFTEST(st_ucopy_edges, "user copies at page edges, every length and alignment", test_ucopy_edges);

/* Distinct from BACKGROUND's bytes in every byte. */
#define WORD_PATTERN 0x0123456789abcdefUL

/* The immediate-offset forms (__put_user_u64_at, __get_user_u64_at) at
 * edge, from a base one word and the largest offset away below it: the
 * word below is written and read back through the offset (and seen at its
 * own address); the word on the edge gives -EFAULT and reads 0. */
#define WORD_AT_OFF UACCESS_IMM9_MAX
static int check_word_at_edge(uint64_t edge)
{
	uint64_t below = edge - sizeof(uint64_t), base = below - WORD_AT_OFF, v;
	long err = 0;

	__put_user_u64_at(~WORD_PATTERN, base, WORD_AT_OFF, &err);
	__get_user_u64_at(v, base, WORD_AT_OFF, &err);
	SELFTEST_CHECK(err == 0 && v == ~WORD_PATTERN && __get_user_u64(below, &err) == ~WORD_PATTERN,
		       "word at offset below %#lx: err %ld, read %#lx", edge, err, v);
	__put_user_u64_at(WORD_PATTERN, base + sizeof(uint64_t), WORD_AT_OFF, &err);
	SELFTEST_CHECK(err == -EFAULT, "put_user_at on %#lx: err %ld", edge, err);
	err = 0;
	__get_user_u64_at(v, base + sizeof(uint64_t), WORD_AT_OFF, &err);
	SELFTEST_CHECK(err == -EFAULT && v == 0, "get_user_at on %#lx: err %ld, read %#lx", edge, err, v);
	return 0;
}

/* The single-word accessors (uaccess.h) at edge: the word below it is
 * written and read back; the word on it gives -EFAULT (and reads 0), and an
 * error already there stays whatever follows. */
static int check_word_edge(uint64_t edge)
{
	uint64_t below = edge - sizeof(uint64_t), v;
	long err = 0;

	__put_user_u64(WORD_PATTERN, below, &err);
	v = __get_user_u64(below, &err);
	SELFTEST_CHECK(err == 0 && v == WORD_PATTERN, "word below %#lx: err %ld, read %#lx", edge, err, v);
	__put_user_u64(WORD_PATTERN, edge, &err);
	SELFTEST_CHECK(err == -EFAULT, "put_user on %#lx: err %ld", edge, err);
	err = 0;
	v = __get_user_u64(edge, &err);
	SELFTEST_CHECK(err == -EFAULT && v == 0, "get_user on %#lx: err %ld, read %#lx", edge, err, v);
	v = __get_user_u64(below, &err);
	SELFTEST_CHECK(err == -EFAULT && v == WORD_PATTERN, "error kept past a good word: err %ld", err);
	return check_word_at_edge(edge);
}

static int test_uword_edges(void)
{
	return on_both_edges(check_word_edge);
}
SELFTEST(st_uword_edges, "single-word user accesses at page edges", test_uword_edges);

/* A signal frame's FP/SIMD record with the null record after it. */
#define FPREC_BYTES (sizeof(struct abi_fpsimd_context) + sizeof(struct abi_aarch64_ctx))
#define FPREC_WORDS (FPREC_BYTES / sizeof(uint64_t))
#define FPREC_HIGH_SHIFT 32

/* The FP/SIMD record at edge: one ending on it goes out, loads back, and
 * goes out again the same (the registers survive the round trip); one a
 * word later faults on its last store, and a load starting on the edge
 * on its first (so the registers are untouched). */
static int check_fp_edge(uint64_t edge)
{
	uint64_t rec = edge - FPREC_BYTES, again = rec - FPREC_BYTES, w;
	long err = 0;

	SELFTEST_CHECK(fpsimd_save_user(rec, WORD_PATTERN) == 0, "record below %#lx", edge);
	w = __get_user_u64(rec + offsetof(struct abi_fpsimd_context, fpsr), &err);
	SELFTEST_CHECK(__get_user_u64(rec, &err) == WORD_PATTERN && err == 0 &&
		       __get_user_u64(edge - sizeof(uint64_t), &err) == 0, "record head or end at %#lx", rec);
	SELFTEST_CHECK(fpsimd_load_user(rec + offsetof(struct abi_fpsimd_context, vregs), (uint32_t)w,
					w >> FPREC_HIGH_SHIFT) == 0, "record load at %#lx", rec);
	SELFTEST_CHECK(fpsimd_save_user(again, WORD_PATTERN) == 0, "record at %#lx", again);
	for (size_t i = 0; i < FPREC_WORDS; i++)
		SELFTEST_CHECK(__get_user_u64(rec + i * sizeof(uint64_t), &err) ==
			       __get_user_u64(again + i * sizeof(uint64_t), &err) && err == 0,
			       "round trip differs at word %zu", i);
	SELFTEST_CHECK(fpsimd_save_user(rec + sizeof(uint64_t), WORD_PATTERN) == -EFAULT,
		       "record across %#lx", edge);
	SELFTEST_CHECK(fpsimd_load_user(edge, 0, 0) == -EFAULT, "record load on %#lx", edge);
	return 0;
}

static int test_ufp_edges(void)
{
	return on_both_edges(check_fp_edge);
}
SELFTEST(st_ufp_edges, "FP/SIMD signal records at page edges", test_ufp_edges);

/* A signal frame's general registers: a trap frame's x0..spsr. */
#define SIGREGS_WORDS ((TF_ESR - TF_X0) / sizeof(uint64_t))

/* The registers' writer and reader at edge: words ending on it go out and
 * come back exact; a word later the last store faults, and a read
 * starting on the edge faults on its first load. */
static int check_regs_edge(uint64_t edge)
{
	uint64_t out[SIGREGS_WORDS], in[SIGREGS_WORDS], u = edge - sizeof(out);

	for (size_t i = 0; i < SIGREGS_WORDS; i++) {
		out[i] = WORD_PATTERN * (i + 1);
		in[i] = 0;
	}
	SELFTEST_CHECK(sigregs_to_user(u, out) == 0 && sigregs_from_user(u, in) == 0,
		       "registers below %#lx", edge);
	SELFTEST_CHECK(memcmp(out, in, sizeof(out)) == 0, "registers round trip below %#lx", edge);
	SELFTEST_CHECK(sigregs_to_user(u + sizeof(uint64_t), out) == -EFAULT, "registers across %#lx",
		       edge);
	SELFTEST_CHECK(sigregs_from_user(edge, in) == -EFAULT, "registers from %#lx", edge);
	return 0;
}

static int test_uregs_edges(void)
{
	return on_both_edges(check_regs_edge);
}
SELFTEST(st_uregs_edges, "signal frame registers at page edges", test_uregs_edges);
