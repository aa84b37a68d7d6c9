/*
 * kernel/timer.c: the tick and one-shot deadlines (see timer.h).
 */
#include "kernel/timer.h"
#include "kernel/errno.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"

static const struct clock_hw *hw; /* set once at boot */
static spinlock_t timer_lock = SPINLOCK_INIT("timer");
/* Guarded by timer_lock: */
static struct timer_event *events; /* armed events, sorted by deadline */
static uint64_t tick_period;       /* counter units per tick; 0 = no tick */
static uint64_t next_tick;         /* counter value of the next tick */
static uint64_t ticks;
static void (*tick_hook)(void); /* set once at boot */

void timer_register_hw(const struct clock_hw *h)
{
	hw = h;
}

bool timer_present(void)
{
	return hw != NULL;
}

uint64_t timer_now(void)
{
	return hw ? hw->read() : 0;
}

uint64_t timer_count_to_ns(uint64_t count)
{
	return hw ? (uint64_t)((unsigned __int128)count * NSEC_PER_SEC / hw->freq) : 0;
}

uint64_t timer_ns_to_count(uint64_t ns)
{
	return hw ? (uint64_t)((unsigned __int128)ns * hw->freq / NSEC_PER_SEC) : 0;
}

uint64_t timer_now_ns(void)
{
	return timer_count_to_ns(timer_now());
}

uint64_t timer_ticks(void)
{
	return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

/* Programs the comparator for the earliest of the tick and the first event. */
static void reprogram_locked(void)
{
	uint64_t when = UINT64_MAX;

	if (tick_period)
		when = next_tick;
	if (events && events->deadline < when)
		when = events->deadline;
	hw->program(when);
}

void timer_stop(void)
{
	if (hw && hw->stop)
		hw->stop();
}

void timer_set_tick_hook(void (*fn)(void))
{
	tick_hook = fn;
}

void timer_start_tick(void)
{
	uint64_t flags = spin_lock_irqsave(&timer_lock);

	tick_period = timer_ns_to_count(TICK_NS);
	next_tick = hw->read() + tick_period;
	reprogram_locked();
	spin_unlock_irqrestore(&timer_lock, flags);
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
	reprogram_locked();
	spin_unlock_irqrestore(&timer_lock, flags);
	return 0;
}

void timer_cancel(struct timer_event *ev)
{
	uint64_t flags = spin_lock_irqsave(&timer_lock);

	for (struct timer_event **p = &events; *p; p = &(*p)->next) {
		if (*p == ev) {
			*p = ev->next;
			break;
		}
	}
	ev->armed = false;
	reprogram_locked();
	spin_unlock_irqrestore(&timer_lock, flags);
}

void timer_interrupt(void)
{
	uint64_t now = hw->read();
	struct timer_event *due = NULL, **tail = &due;
	uint64_t new_ticks = 0;

	spin_lock(&timer_lock);
	/* Deadlines advance by the period from the last one, not from now, so
	 * the rate holds even when an interrupt is taken late. */
	while (tick_period && next_tick <= now) {
		next_tick += tick_period;
		ticks++;
		new_ticks++;
		this_cpu()->ticks++;
	}
	while (events && events->deadline <= now) {
		struct timer_event *ev = events;

		events = ev->next;
		ev->armed = false;
		ev->next = NULL;
		*tail = ev;
		tail = &ev->next;
	}
	reprogram_locked();
	spin_unlock(&timer_lock);
	if (new_ticks && tick_hook)
		tick_hook();
	/* Handlers run without the lock so they may re-arm themselves. */
	while (due) {
		struct timer_event *ev = due;

		due = ev->next;
		ev->fn(ev);
	}
}
