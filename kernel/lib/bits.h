/*
 * kernel/lib/bits.h: walking the set bits of a 64-bit mask (CPU masks,
 * signal sets), lowest first, one count of trailing zeros per bit.
 */
#ifndef KERNEL_LIB_BITS_H
#define KERNEL_LIB_BITS_H

#include "kernel/lib/types.h"

/* Runs the statement after it with i (an unsigned lvalue) set to each set
 * bit of mask in turn, lowest first; mask is evaluated once. */
#define for_each_bit(i, mask)                                                        \
	for (uint64_t bits_left_ = (mask);                                            \
	     bits_left_ && ((i) = (unsigned)__builtin_ctzll(bits_left_), true);      \
	     bits_left_ &= bits_left_ - 1)

#endif
