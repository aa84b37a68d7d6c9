/*
 * kernel/lib/spare.h: a few static objects kept for reuse on a hot path
 * instead of the heap (whose lock and bitmap cost more than the rest of
 * the path). busy[i] says slot i is taken; it is claimed and given back
 * with one atomic exchange each, no lock: two CPUs at once each find a
 * different slot or none, and the loser uses the heap as before.
 */
#ifndef KERNEL_LIB_SPARE_H
#define KERNEL_LIB_SPARE_H

#include "kernel/lib/types.h"

/* Claims a free slot of busy[0..n): its index, or -1 if all are taken. */
static inline int spare_claim(bool *busy, int n)
{
	for (int i = 0; i < n; i++)
		if (!__atomic_exchange_n(&busy[i], true, __ATOMIC_ACQUIRE))
			return i;
	return -1;
}

/* Gives slot i back (its object's last use happens before). */
static inline void spare_release(bool *busy, int i)
{
	__atomic_store_n(&busy[i], false, __ATOMIC_RELEASE);
}

#endif
