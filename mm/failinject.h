/*
 * mm/failinject.h: the rule of allocation fault injection, pure (no kernel
 * state, host-tested): "one allocation in N fails, after the first START".
 * kernel/failalloc.c applies it to the kernel's allocators.
 *
 * Allocations are numbered 1, 2, 3, ... in the order they are counted.
 * Number k fails exactly when k > START and failinject_hash(k) is a
 * multiple of N: a fixed function of k, so one in N on average, and the
 * same numbers fail in every run. Not simply every Nth: a strict period
 * aliases with loops that make a multiple of N allocations per turn (a
 * program retrying a call that needs N allocations would see the same one
 * fail forever, and a loop of 2N would never see its odd ones fail).
 * N = 1 fails every counted allocation after the first START.
 */
#ifndef MM_FAILINJECT_H
#define MM_FAILINJECT_H

#include "kernel/lib/types.h"

/* Largest N or START accepted: 18 decimal digits cannot overflow 64 bits. */
#define FAILINJECT_DIGITS_MAX 18

struct failinject {
	/* Set by failinject_parse, then read-only. */
	uint64_t every; /* N >= 1; 0 only in a struct never parsed: nothing fails */
	uint64_t skip;  /* START: allocations counted before any may fail */
	/* Changed atomically by failinject_next (any CPU, any context). */
	uint64_t count;  /* allocations counted so far */
	uint64_t failed; /* of those, made to fail */
};

/*
 * Sets fi from "N" or "N,START" (decimal, N >= 1, START >= 0, each at most
 * FAILINJECT_DIGITS_MAX digits) with both counters at zero.
 * Returns 0, or -EINVAL for anything else, leaving fi unchanged.
 */
int failinject_parse(struct failinject *fi, const char *spec);

/* Counts one allocation; true when it must fail (and counts the failure). */
bool failinject_next(struct failinject *fi);

/* The mix that picks the failing numbers (SplitMix64's finalizer: every
 * bit of k moves about half the bits of the result). */
uint64_t failinject_hash(uint64_t k);

#endif
