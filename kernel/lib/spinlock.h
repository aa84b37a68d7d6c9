/*
 * kernel/lib/spinlock.h: spinlocks, taken around all shared kernel state.
 * The irqsave forms also mask local interrupts, for state an interrupt
 * handler touches.
 *
 * LOCKING: the one lock order of the kernel. A path holding a lock may only
 * take locks further down this list (each line is a level; locks of one
 * level are never nested, except two of one class where the code says
 * why, e.g. a pipe's two ends). The name in each lock's SPINLOCK_INIT is
 * its class; kernel/lockdep.c ranks the classes by this list.
 *
 *   proc         the pid table and every family field (kernel/proc.h)
 *   sig          a process's signal state (proc_sig.lock, kernel/signal.h)
 *   threads      a process's thread list (kernel/proc.h)
 *   namespace, fdtable, file, grant, uscheme, pipe, timerfd, console-input,
 *   irq, futex, futex_pi
 *                a source's own state: a scheme object, a futex bucket, an
 *                interrupt's claim; each is a waitq's condition lock
 *   pollq, irq poll, console-input-poll
 *                a readiness queue's watch list (kernel/scheme/poll.h)
 *   evq          an epoll queue (kernel/scheme/evq.c)
 *   poll waiter, klog-wait  a sleeping poller (kernel/scheme/poll.h), the
 *                kernel log's sleeping readers (kernel/klog.c)
 *   sched        the scheduler's one global lock (wait_lock): every wait
 *                queue, sleeping threads, the thread list (sched/runqueue.h)
 *   runqueue     one CPU's run queue and the threads on it or running
 *                there; two of them lower CPU number first
 *                (sched/runqueue.h)
 *   timer        the timer event list (kernel/timer.c)
 *   aspace       an address space's regions and tables (mm/uvm.h)
 *   asid, kstack, iomap, kernel-vm
 *   heap         the kernel heap (mm/heap.c)
 *   frame        the frame allocator (mm/frame.c)
 *   random, enosys, bcm2835-armctrl, cwd (a process's working directory,
 *                kernel/cwd.h: taken inside proc_lock by /proc)
 *   rlimit       a process's resource limits (kernel/rlimit.h)
 *   uscache      the stat cache of daemons' schemes (kernel/scheme/uscheme_stat.c)
 *   klog         the kernel log: printk works under any lock
 *
 * `make DEBUG_LOCKS=1` checks it: taking a lock of a higher level than
 * one this CPU holds panics naming both, and so does spinning on or
 * holding a spinlock for more than LOCK_HOLD_MAX_TICKS ticks. A class not
 * in the list is only checked for hold time.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/lib/types.h"
#ifdef HOST_TEST
/* Host unit tests run single-threaded: no interrupts to mask. */
static inline uint64_t irq_save(void) { return 0; }
static inline void irq_restore(uint64_t flags) { (void)flags; }
static inline void cpu_relax(void) { }
#else
#include "asm/cpu.h"
#endif

/* DEBUG_LOCKS: the longest a spinlock may be waited for or held. Generous:
 * under TCG on a loaded host an emulated CPU may not run for a while. */
#define LOCK_HOLD_MAX_TICKS 200

typedef struct spinlock {
	volatile uint32_t locked;
	const char *name;
#if defined(DEBUG_LOCKS) && !defined(HOST_TEST)
	int level;        /* rank in LOCKING (lockdep.c); 0: not looked up yet */
	unsigned owner;   /* the CPU holding it */
	uint64_t since;   /* counter when it was taken */
#endif
} spinlock_t;

#define SPINLOCK_INIT(n) { .locked = 0, .name = (n) }

/* A panic is being reported: no more checks (kernel/lockdep.c). */
void lockdep_disable(void);

#if defined(DEBUG_LOCKS) && !defined(HOST_TEST)
/* kernel/lockdep.c: the checks (declared here, provided above). */
void lockdep_acquire(spinlock_t *l);   /* before taking: the order */
void lockdep_spin(spinlock_t *l);      /* taking, bounded by LOCK_HOLD_MAX_TICKS */
void lockdep_release(spinlock_t *l);   /* before letting go: the hold time */

static inline void spin_lock(spinlock_t *l)
{
	lockdep_acquire(l);
	lockdep_spin(l);
}

static inline void spin_unlock(spinlock_t *l)
{
	lockdep_release(l);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
#else
static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax(); /* lets the holder run under round-robin TCG */
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
#endif

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
