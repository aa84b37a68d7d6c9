/*
 * kernel/lockdep.c: the DEBUG_LOCKS checks of the lock order documented in
 * kernel/lib/spinlock.h (LOCKING): each class (a lock's name) has the level
 * of its line there; this CPU's held locks are a small stack per CPU and
 * interrupt depth, so an interrupt handler's locks are checked against
 * the ones it took itself, not against the interrupted code's. Taking a
 * lock of a lower level than one held, or spinning on or holding a lock
 * for more than LOCK_HOLD_MAX_TICKS ticks, panics naming the locks. Built
 * always; without DEBUG_LOCKS only lockdep_disable exists (a no-op).
 */
#include "kernel/lib/spinlock.h"
#include "kernel/percpu.h"
#include "kernel/panic.h"
#include "kernel/timer.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include <string.h>

static bool off; /* atomic: a panic is being reported; check nothing */

void lockdep_disable(void)
{
	__atomic_store_n(&off, true, __ATOMIC_RELAXED);
}

#ifndef DEBUG_LOCKS
void selftest_lock_demo(bool order)
{
	printk("selftest: lock%s needs a kernel built with make DEBUG_LOCKS=1\n",
	       order ? "order" : "hold");
}
#else

#define LOCKDEP_DEPTH 16     /* locks one CPU holds at once, all depths */
#define LEVEL_UNRANKED (-1)

struct lock_class {
	const char *name;
	int level;
};

/* LOCKING in kernel/lib/spinlock.h, line by line. */
static const struct lock_class classes[] = {
	{ "proc", 1 }, { "sig", 2 }, { "threads", 3 },
	{ "namespace", 4 }, { "fdtable", 4 }, { "file", 4 }, { "grant", 4 }, { "uscheme", 4 },
	{ "pipe", 4 }, { "timerfd", 4 }, { "console-input", 4 }, { "irq", 4 }, { "futex", 4 },
	{ "futex_pi", 4 },
	{ "pollq", 5 }, { "irq poll", 5 }, { "console-input-poll", 5 },
	{ "evq", 6 }, { "poll waiter", 7 }, { "klog-wait", 7 }, { "sched", 8 }, { "runqueue", 9 },
	{ "timer", 10 }, { "aspace", 11 },
	{ "asid", 12 }, { "kstack", 12 }, { "iomap", 12 }, { "kernel-vm", 12 },
	{ "heap", 13 }, { "frame", 14 },
	{ "random", 15 }, { "enosys", 15 }, { "bcm2835-armctrl", 15 },
	{ "cwd", 15 }, { "uscache", 15 },
	{ "klog", 16 },
};

struct held {
	spinlock_t *lock;
	unsigned depth; /* the interrupt depth it was taken at */
};

/* Each CPU's own: touched only by that CPU, interrupts masked or nested. */
static struct held held[MAX_CPUS][LOCKDEP_DEPTH];
static unsigned nheld[MAX_CPUS];

static int level_of(spinlock_t *l)
{
	if (l->level)
		return l->level;
	l->level = LEVEL_UNRANKED;
	for (size_t i = 0; l->name && i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcmp(classes[i].name, l->name) == 0)
			l->level = classes[i].level;
	return l->level;
}

static struct cpu *checked_cpu(void)
{
	struct cpu *c = this_cpu();

	return (c && !__atomic_load_n(&off, __ATOMIC_RELAXED)) ? c : NULL;
}

static uint64_t limit_count(void)
{
	return timer_ns_to_count((uint64_t)LOCK_HOLD_MAX_TICKS * TICK_NS);
}

static const char *name_of(const spinlock_t *l)
{
	return l->name ? l->name : "?";
}

void lockdep_acquire(spinlock_t *l)
{
	struct cpu *c = checked_cpu();
	int level = level_of(l);

	if (!c || level == LEVEL_UNRANKED)
		return;
	for (unsigned i = 0; i < nheld[c->id]; i++) {
		spinlock_t *h = held[c->id][i].lock;

		if (held[c->id][i].depth == c->irq_depth && h->level != LEVEL_UNRANKED &&
		    h->level > level) {
			lockdep_disable();
			panic("lock order: CPU %u takes \"%s\" (level %d) holding \"%s\" (level %d); "
			      "LOCKING in kernel/lib/spinlock.h", c->id, name_of(l), level, name_of(h),
			      h->level);
		}
	}
}

void lockdep_spin(spinlock_t *l)
{
	struct cpu *c = checked_cpu();
	uint64_t start = 0;

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			uint64_t now = timer_now();

			if (!start)
				start = now;
			if (c && now && now - start > limit_count()) {
				lockdep_disable();
				panic("spinlock \"%s\": CPU %u waited %lu ms for it, held by CPU %u",
				      name_of(l), c->id, timer_count_to_ns(now - start) / NSEC_PER_MSEC,
				      l->owner);
			}
			cpu_relax(); /* as spin_lock: lets the holder run */
		}
	}
	if (!c)
		return;
	l->owner = c->id;
	l->since = timer_now();
	if (nheld[c->id] < LOCKDEP_DEPTH)
		held[c->id][nheld[c->id]++] = (struct held){ .lock = l, .depth = c->irq_depth };
}

void lockdep_release(spinlock_t *l)
{
	struct cpu *c = checked_cpu();
	uint64_t now = timer_now();

	if (!c)
		return;
	for (unsigned i = nheld[c->id]; i-- > 0;) {
		if (held[c->id][i].lock != l)
			continue;
		memmove(&held[c->id][i], &held[c->id][i + 1],
			(nheld[c->id] - i - 1) * sizeof(held[0][0]));
		nheld[c->id]--;
		break;
	}
	if (l->since && now && now - l->since > limit_count()) {
		lockdep_disable();
		panic("spinlock \"%s\" held %lu ms by CPU %u (limit %u ticks)", name_of(l),
		      timer_count_to_ns(now - l->since) / NSEC_PER_MSEC, c->id, LOCK_HOLD_MAX_TICKS);
	}
}

/* selftest=lockorder: "proc" taken while "sched" is held, the wrong way
 * round; selftest=lockhold: a lock held past the bound. Both must panic. */
void selftest_lock_demo(bool order)
{
	static spinlock_t outer = SPINLOCK_INIT("sched"), inner = SPINLOCK_INIT("proc");
	uint64_t flags = spin_lock_irqsave(&outer), end;

	if (order) {
		spin_lock(&inner);
		spin_unlock(&inner);
	} else {
		end = timer_now() + limit_count() + timer_ns_to_count(TICK_NS);
		while (timer_now() < end)
			;
	}
	spin_unlock_irqrestore(&outer, flags);
	printk("selftest: the lock checks did not fire\n");
}

#endif
