/*
 * kernel/timer.c: the tick and one-shot deadlines (see timer.h). Due events
 * are taken off the list one at a time and run without the lock, so a
 * handler may re-arm itself and timer_cancel on another CPU can wait for a
 * running handler (timer_event.running) without holding the lock.
 *
 * With SMP every CPU has its own comparator and its own tick; the event
 * list is shared. A CPU programs its comparator for the earlier of its next
 * tick and the list's first deadline, so the CPU that arms the earliest
 * event takes it (any CPU's interrupt may run any due event); a comparator
 * left early by a cancelled event costs one empty interrupt.
 */
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "kernel/percpu.h"
#include "kernel/lib/spinlock.h"

const struct clock_hw *timer_hw; /* set once at boot; timer.h reads it for timer_now */
static spinlock_t timer_lock = SPINLOCK_INIT("timer");
/* Guarded by timer_lock: */
static struct timer_event *events; /* armed events, sorted by deadline */
static uint64_t tick_period;       /* counter units per tick; 0 = no tick */
static uint64_t next_tick[MAX_CPUS]; /* counter value of each CPU's next tick */
static uint64_t ticks;             /* the boot CPU's ticks: timer_ticks() */
static void (*tick_hook)(uint64_t n); /* set once at boot */

void timer_register_hw(const struct clock_hw *h)
{
	timer_hw = h;
}

bool timer_present(void)
{
	return timer_hw != NULL;
}

/* value * mul / div, saturated at UINT64_MAX. */
static uint64_t scale_saturated(uint64_t value, uint64_t mul, uint64_t div)
{
	unsigned __int128 r = (unsigned __int128)value * mul / div;

	return r > UINT64_MAX ? UINT64_MAX : (uint64_t)r;
}

uint64_t timer_count_to_ns(uint64_t count)
{
	return timer_hw ? scale_saturated(count, NSEC_PER_SEC, timer_hw->freq) : 0;
}

uint64_t timer_ns_to_count(uint64_t ns)
{
	return timer_hw ? scale_saturated(ns, timer_hw->freq, NSEC_PER_SEC) : 0;
}

uint64_t timer_deadline_after_ns(uint64_t ns)
{
	uint64_t deadline;

	/* + 1: the conversion rounds down, and a sleep must not end early. */
	if (__builtin_add_overflow(timer_now(), timer_ns_to_count(ns), &deadline) ||
	    __builtin_add_overflow(deadline, 1, &deadline))
		return TIMER_NEVER;
	return deadline;
}

uint64_t timer_now_ns(void)
{
	return timer_count_to_ns(timer_now());
}

uint64_t timer_ticks(void)
{
	return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

/* Drops timer_lock, then programs this CPU's comparator for the earlier of
 * its tick and the first event (as they were under the lock). Called with
 * interrupts masked. The write is outside the lock: only this CPU writes
 * its own comparator, and under QEMU -icount a comparator write ends the
 * vCPU's turn, so writing it inside the lock handed the other vCPUs their
 * turns only while it was held, and one waiting for it never got it
 * (-smp 2 -icount hung). */
static void unlock_reprogram(void)
{
	uint64_t when = UINT64_MAX;

	if (tick_period)
		when = next_tick[this_cpu()->id];
	if (events && events->deadline < when)
		when = events->deadline;
	spin_unlock(&timer_lock);
	timer_hw->program(when);
}

void timer_stop(void)
{
	if (timer_hw && timer_hw->stop)
		timer_hw->stop();
}

void timer_set_tick_hook(void (*fn)(uint64_t n))
{
	tick_hook = fn;
}

void timer_start_tick(void)
{
	uint64_t flags = spin_lock_irqsave(&timer_lock);

	tick_period = timer_ns_to_count(TICK_NS);
	next_tick[this_cpu()->id] = timer_hw->read() + tick_period;
	unlock_reprogram();
	irq_restore(flags);
}

void timer_cpu_init(void)
{
	uint64_t flags = spin_lock_irqsave(&timer_lock);

	next_tick[this_cpu()->id] = timer_hw->read() + tick_period;
	unlock_reprogram();
	irq_restore(flags);
}

int timer_add(struct timer_event *ev)
{
	uint64_t flags = spin_lock_irqsave(&timer_lock);
	struct timer_event **p = &events;

	if (ev->armed) {
		spin_unlock_irqrestore(&timer_lock, flags);
		return -EBUSY;
	}
	while (*p && (*p)->deadline <= ev->deadline)
		p = &(*p)->next;
	ev->next = *p;
	*p = ev;
	ev->armed = true;
	unlock_reprogram();
	irq_restore(flags);
	return 0;
}

bool timer_cancel(struct timer_event *ev)
{
	uint64_t flags = spin_lock_irqsave(&timer_lock);
	bool pending = ev->armed;

	if (pending) {
		struct timer_event **p = &events;

		while (*p != ev)
			p = &(*p)->next;
		*p = ev->next;
		ev->next = NULL;
		ev->armed = false;
		unlock_reprogram();
	} else {
		spin_unlock(&timer_lock);
	}
	irq_restore(flags);
	/* Taken off the list before we looked: its fn may be running on
	 * another CPU (on this one it ran to completion in the interrupt). */
	while (__atomic_load_n(&ev->running, __ATOMIC_ACQUIRE))
		cpu_relax();
	return pending;
}

/* Takes the first event due at now off the list, marked running; NULL if
 * none. Called with interrupts masked. */
static struct timer_event *take_due(uint64_t now)
{
	struct timer_event *ev;

	spin_lock(&timer_lock);
	ev = events;
	if (ev && ev->deadline <= now) {
		events = ev->next;
		ev->next = NULL;
		ev->armed = false;
		__atomic_add_fetch(&ev->running, 1, __ATOMIC_RELAXED);
		unlock_reprogram();
	} else {
		ev = NULL;
		spin_unlock(&timer_lock);
	}
	return ev;
}

void timer_interrupt(void)
{
	uint64_t now = timer_hw->read();
	uint64_t new_ticks = 0;
	struct timer_event *ev;
	struct cpu *c = this_cpu();

	spin_lock(&timer_lock);
	/* Deadlines advance by the period from the last one, not from now, so
	 * the rate holds even when an interrupt is taken late. */
	while (tick_period && next_tick[c->id] <= now) {
		next_tick[c->id] += tick_period;
		if (c->id == 0)
			__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
		new_ticks++;
		c->ticks++;
	}
	unlock_reprogram();
	if (new_ticks && tick_hook)
		tick_hook(new_ticks);
	/* Handlers run without the lock so they may re-arm themselves. Once fn
	 * returns, lowering running is the last touch: the owner may free ev. */
	while ((ev = take_due(now)) != NULL) {
		ev->fn(ev);
		__atomic_sub_fetch(&ev->running, 1, __ATOMIC_RELEASE);
	}
}
