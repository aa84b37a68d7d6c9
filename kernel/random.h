/*
 * kernel/random.h: the kernel's random numbers (getrandom, AT_RANDOM).
 * A splitmix64 generator seeded from the device tree's /chosen/rng-seed
 * (QEMU and u-boot provide one), the counter and RNDR where present:
 * unpredictable enough for stack canaries, ASLR and hash seeds, not for
 * cryptography.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include "kernel/lib/types.h"

/* splitmix64 (Steele, Lea, Flood 2014): its multipliers and the finaliser
 * that spreads every input bit over the whole word. */
#define SPLITMIX_GAMMA 0x9e3779b97f4a7c15UL
#define SPLITMIX_MUL1 0xbf58476d1ce4e5b9UL
#define SPLITMIX_MUL2 0x94d049bb133111ebUL
static inline uint64_t splitmix64_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * SPLITMIX_MUL1;
	z = (z ^ (z >> 27)) * SPLITMIX_MUL2;
	return z ^ (z >> 31);
}

void random_seed(const void *data, size_t len);
void random_bytes(void *buf, size_t len);

#endif
