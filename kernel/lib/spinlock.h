/*
 * kernel/lib/spinlock.h: spinlocks, taken around all shared kernel state from the
 * start so that SMP needs no redesign. The irqsave forms also mask local
 * interrupts, for state an interrupt handler touches.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/lib/types.h"
#ifdef HOST_TEST
/* Host unit tests run single-threaded: no interrupts to mask. */
static inline uint64_t irq_save(void) { return 0; }
static inline void irq_restore(uint64_t flags) { (void)flags; }
#else
#include "asm/cpu.h"
#endif

typedef struct spinlock {
	volatile uint32_t locked;
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(n) { .locked = 0, .name = (n) }

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline uint64_t spin_lock_irqsave(spinlock_t *l)
{
	uint64_t flags = irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
	spin_unlock(l);
	irq_restore(flags);
}

#endif
