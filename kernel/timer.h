/*
 * kernel/timer.h: kernel time. A periodic 10 ms tick and one-shot deadlines,
 * multiplexed on one per-CPU hardware comparator (the Arm generic timer,
 * arch/aarch64/dev/arch_timer.c) that is always programmed for the earliest
 * of the two, so an idle CPU sleeps until something is due.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "kernel/lib/types.h"

#define NSEC_PER_SEC 1000000000UL
#define NSEC_PER_MSEC 1000000UL
#define NSEC_PER_USEC 1000UL
#define TICK_NS (10 * NSEC_PER_MSEC)

/* The hardware side, registered by the timer driver. */
struct clock_hw {
	const char *name;
	uint64_t freq;                   /* counter frequency, Hz */
	uint64_t (*read)(void);          /* free-running counter */
	void (*program)(uint64_t count); /* interrupt when the counter reaches count */
	void (*stop)(void);              /* no more interrupts (halting) */
};

/* A deadline that never comes: sleeps "forever" saturate to it. */
#define TIMER_NEVER UINT64_MAX

struct timer_event {
	/* Set by the owner while the event is neither armed nor running. */
	uint64_t deadline;  /* in counter units */
	void (*fn)(struct timer_event *ev);
	void *arg;
	/* Guarded by the timer lock: */
	struct timer_event *next;
	bool armed;         /* on the list of pending events */
	/* Raised under the timer lock when the event is taken off the list to
	 * run, lowered (atomically, release) by timer.c once fn has returned:
	 * its last access to the event. timer_cancel waits for it to be 0. */
	unsigned running;
};

void timer_register_hw(const struct clock_hw *hw);
bool timer_present(void);
/* Starts the periodic tick; called once the timer interrupt is wired. */
void timer_start_tick(void);
/* A secondary CPU starts its own tick (kernel/smp_boot.c). */
void timer_cpu_init(void);
/* Called by the driver's interrupt handler. */
void timer_interrupt(void);

/* The driver timer_register_hw was given; NULL before. Set once at boot. */
extern const struct clock_hw *timer_hw;
/* The counter. Inline: every context switch reads it (run-time accounting). */
static inline uint64_t timer_now(void)
{
	return timer_hw ? timer_hw->read() : 0;
}
uint64_t timer_now_ns(void);
/* Conversions saturate at UINT64_MAX rather than wrap. */
uint64_t timer_ns_to_count(uint64_t ns);
uint64_t timer_count_to_ns(uint64_t count);
/* The counter deadline ns from now, rounded so that it is not early;
 * TIMER_NEVER when it would not fit (a user may ask for any length). */
uint64_t timer_deadline_after_ns(uint64_t ns);
uint64_t timer_ticks(void);            /* ticks since timer_start_tick */

/* Silences the timer for good: a halted CPU then really sleeps in WFI. */
void timer_stop(void);

/* fn runs in interrupt context on each CPU's tick interrupts (the scheduler's
 * quantum), with the number of ticks since that CPU's last one. */
void timer_set_tick_hook(void (*fn)(uint64_t n));

/* Arms ev to run (in interrupt context) at ev->deadline; -EBUSY if armed.
 * fn may re-arm its own event. */
int timer_add(struct timer_event *ev);
/*
 * Disarms ev and waits until its fn, if another CPU is running it, has
 * returned: afterwards ev is neither pending nor running anywhere, so the
 * caller may free or reuse it. Returns true if ev was still pending (fn did
 * not run for it), false if it had fired already or was never armed. The
 * caller must hold no lock fn takes (it would wait for fn forever), must
 * not call it from ev's own fn, and must keep fn from re-arming ev.
 */
bool timer_cancel(struct timer_event *ev);

#endif
