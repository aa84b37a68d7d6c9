/*
 * kernel/aslr.h: user-space address-space layout randomization. Each exec
 * places the stack top, the top of the mmap area, the start of the heap
 * (brk) and a static-pie program at random page-aligned offsets, with
 * entropy from kernel/random.c (the counter and RNDR). The `norandmaps`
 * command-line word (as Linux's) turns it off for the whole machine, and
 * personality(ADDR_NO_RANDOMIZE) for a process and what it execs (gdb
 * asks for this).
 */
#ifndef KERNEL_ASLR_H
#define KERNEL_ASLR_H

#include "kernel/lib/types.h"
#include "mm/uvm.h"
#include "mm/layout.h"

/* Linux's include/uapi/linux/personality.h: the persona flag that turns
 * randomization off. */
#define ABI_ADDR_NO_RANDOMIZE 0x0040000u

/* Random spans, in pages (powers of two): the stack top moves down within
 * the room mm/uvm.h leaves for it; the mmap top by up to 1 TiB, staying far
 * above the heap's ceiling (USER_BRK_MAX); the heap's start by up to 1 GiB
 * past the program (as Linux's arm64 arch_randomize_brk); a static-pie
 * program by up to 1 TiB above ASLR_DYN_BASE. */
#define ASLR_STACK_PAGES (USER_STACK_RND_MAX / PAGE_SIZE)
#define ASLR_MMAP_PAGES (UL(1) << 28)
#define ASLR_BRK_PAGES (UL(1) << 18)
#define ASLR_DYN_PAGES (UL(1) << 28)
/* Where static-pie programs go: two thirds of the way up to the heap's
 * ceiling (as Linux's ELF_ET_DYN_BASE, two thirds of the user space), so
 * the heap after them still has a third of it. */
#define ASLR_DYN_BASE ALIGN_DOWN(USER_BRK_MAX / 3 * 2, PAGE_SIZE)

_Static_assert(USER_MMAP_TOP - ASLR_MMAP_PAGES * PAGE_SIZE > USER_BRK_MAX,
	       "the lowest mmap top stays above the heap's ceiling");
_Static_assert(ASLR_DYN_BASE + ASLR_DYN_PAGES * PAGE_SIZE < USER_BRK_MAX,
	       "a static-pie program starts below the heap's ceiling");

/* One exec's layout. */
struct aslr_layout {
	uint64_t stack_top;  /* the stack region ends here */
	uint64_t mmap_top;   /* mmap's search for free space starts below it */
	uint64_t brk_gap;    /* the heap starts this far past the program's end */
	uint64_t dyn_base;   /* where a static-pie (ET_DYN) program is loaded */
};

/* norandmaps: every exec after this gets the fixed layout. Boot only. */
void aslr_disable(void);
/* The layout for an exec by a process whose persona is personality. */
void aslr_layout(uint32_t personality, struct aslr_layout *l);

#endif
