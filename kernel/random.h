/*
 * kernel/random.h: the kernel's random numbers (getrandom, AT_RANDOM).
 * A splitmix64 generator seeded from the device tree's /chosen/rng-seed
 * (QEMU and u-boot provide one) and the counter: unpredictable enough for
 * stack canaries and hash seeds, not for cryptography.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include "kernel/lib/types.h"

void random_seed(const void *data, size_t len);
void random_bytes(void *buf, size_t len);

#endif
