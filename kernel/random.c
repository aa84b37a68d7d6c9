/*
 * kernel/random.c: the kernel's random numbers (see random.h).
 */
#include "kernel/random.h"
#include "kernel/lib/spinlock.h"
#include "kernel/timer.h"
#include "asm/rng.h"
#include <string.h>

static spinlock_t random_lock = SPINLOCK_INIT("random");
static uint64_t state; /* guarded by random_lock */

static uint64_t next_locked(void)
{
	return splitmix64_mix(state += SPLITMIX_GAMMA);
}

void random_seed(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint64_t flags = spin_lock_irqsave(&random_lock);

	for (size_t i = 0; i < len; i++)
		state = (state ^ b[i]) * SPLITMIX_MUL1 + i;
	spin_unlock_irqrestore(&random_lock, flags);
}

void random_bytes(void *buf, size_t len)
{
	uint8_t *out = buf;
	uint64_t flags = spin_lock_irqsave(&random_lock);

	/* Fold in the counter (and RNDR where the CPU has it) each call:
	 * later calls differ even unseeded. */
	state ^= timer_now() ^ cpu_entropy();
	while (len) {
		uint64_t v = next_locked();
		size_t n = MIN(len, sizeof(v));

		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
	spin_unlock_irqrestore(&random_lock, flags);
}
