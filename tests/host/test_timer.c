/*
 * tests/host/test_timer.c: kernel/timer.c on a fake counter: events fire in
 * deadline order and not early, the tick counts, a handler may re-arm
 * itself, deadline arithmetic saturates, and timer_cancel is correct on two
 * CPUs: a pthread plays the second CPU taking the timer interrupt, and
 * cancel must not return while that CPU still runs the event's handler.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <time.h>

#include "kernel/timer.h"
#include "kernel/percpu.h"
#include "kernel/lib/errno.h"

#define FREQ_HZ 1000000000UL /* one count per ns keeps the arithmetic plain */
#define CANCEL_WATCH_MS 100  /* how long cancel must keep waiting for a handler */

static uint64_t counter;    /* the fake free-running counter */
static uint64_t programmed; /* the comparator's last value */
static struct cpu cpu;

struct cpu *this_cpu(void) { return &cpu; }
static uint64_t fake_read(void) { return __atomic_load_n(&counter, __ATOMIC_RELAXED); }
static void fake_program(uint64_t count) { programmed = count; }
static const struct clock_hw fake_hw = { "fake", FREQ_HZ, fake_read, fake_program, NULL };

static void set_counter(uint64_t c)
{
	__atomic_store_n(&counter, c, __ATOMIC_RELAXED);
}

/* --- Handlers --- */

static int fired_order[4], nfired;

static void record(struct timer_event *ev)
{
	fired_order[nfired++] = (int)(intptr_t)ev->arg;
}

static void rearm(struct timer_event *ev)
{
	record(ev);
	if (nfired < 3) {
		ev->deadline += 10;
		assert_int_equal(timer_add(ev), 0);
	}
}

/* A handler that stays inside until the test lets it go. */
static int handler_entered, handler_release, handler_done;

static void slow_handler(struct timer_event *ev)
{
	(void)ev;
	__atomic_store_n(&handler_entered, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&handler_release, __ATOMIC_SEQ_CST))
		;
	__atomic_store_n(&handler_done, 1, __ATOMIC_SEQ_CST);
}

static int setup(void **state)
{
	(void)state;
	timer_register_hw(&fake_hw);
	set_counter(1000);
	nfired = 0;
	handler_entered = handler_release = handler_done = 0;
	return 0;
}

/* --- Tests --- */

static void test_events_fire_in_order_not_early(void **state)
{
	struct timer_event a = { .deadline = 1300, .fn = record, .arg = (void *)1 };
	struct timer_event b = { .deadline = 1100, .fn = record, .arg = (void *)2 };
	struct timer_event c = { .deadline = 1200, .fn = record, .arg = (void *)3 };

	(void)state;
	assert_int_equal(timer_add(&a), 0);
	assert_int_equal(timer_add(&b), 0);
	assert_int_equal(timer_add(&c), 0);
	assert_int_equal(timer_add(&a), -EBUSY);
	assert_int_equal(programmed, 1100);
	set_counter(1099);
	timer_interrupt();
	assert_int_equal(nfired, 0);
	set_counter(1250);
	timer_interrupt();
	assert_int_equal(nfired, 2);
	assert_int_equal(fired_order[0], 2);
	assert_int_equal(fired_order[1], 3);
	assert_int_equal(programmed, 1300);
	assert_true(timer_cancel(&a));
	assert_false(timer_cancel(&a));
	assert_false(timer_cancel(&b)); /* fired already */
	set_counter(2000);
	timer_interrupt();
	assert_int_equal(nfired, 2);
}

static void test_handler_rearms_itself(void **state)
{
	struct timer_event ev = { .deadline = 1010, .fn = rearm, .arg = (void *)7 };

	(void)state;
	assert_int_equal(timer_add(&ev), 0);
	for (uint64_t t = 1010; t <= 1050; t += 10) {
		set_counter(t);
		timer_interrupt();
	}
	assert_int_equal(nfired, 3);
	assert_false(timer_cancel(&ev));
}

static void test_tick_counts(void **state)
{
	uint64_t t0 = timer_ticks();

	(void)state;
	timer_start_tick();
	assert_int_equal(programmed, 1000 + TICK_NS);
	set_counter(1000 + 3 * TICK_NS + 5); /* taken late: three ticks due */
	timer_interrupt();
	assert_int_equal(timer_ticks() - t0, 3);
	assert_int_equal(programmed, 1000 + 4 * TICK_NS); /* the rate holds */
}

static void test_deadline_saturates(void **state)
{
	(void)state;
	set_counter(5000);
	assert_int_equal(timer_deadline_after_ns(100), 5101);
	assert_int_equal(timer_deadline_after_ns(UINT64_MAX - 2), TIMER_NEVER);
	assert_int_equal(timer_deadline_after_ns(UINT64_MAX - 5000), TIMER_NEVER); /* the + 1 */
	assert_int_equal(timer_deadline_after_ns(UINT64_MAX - 5002), UINT64_MAX - 1);
	set_counter(UINT64_MAX - 10);
	assert_int_equal(timer_deadline_after_ns(100), TIMER_NEVER);
}

/* The second CPU: takes the timer interrupt, which runs slow_handler. */
static void *other_cpu(void *arg)
{
	(void)arg;
	timer_interrupt();
	return NULL;
}

struct canceller {
	struct timer_event *ev;
	int returned;
	bool result;
};

static void *cancel_thread(void *arg)
{
	struct canceller *c = arg;

	c->result = timer_cancel(c->ev);
	__atomic_store_n(&c->returned, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_cancel_waits_for_running_handler(void **state)
{
	struct timer_event ev = { .deadline = 1100, .fn = slow_handler };
	struct canceller c = { .ev = &ev };
	struct timespec watch = { 0, CANCEL_WATCH_MS * 1000000L };
	pthread_t cpu1, canceller;

	(void)state;
	assert_int_equal(timer_add(&ev), 0);
	set_counter(1100);
	assert_int_equal(pthread_create(&cpu1, NULL, other_cpu, NULL), 0);
	while (!__atomic_load_n(&handler_entered, __ATOMIC_SEQ_CST))
		;
	/* Fired but not finished: cancel must wait for the handler. */
	assert_int_equal(pthread_create(&canceller, NULL, cancel_thread, &c), 0);
	nanosleep(&watch, NULL);
	assert_int_equal(__atomic_load_n(&c.returned, __ATOMIC_SEQ_CST), 0);
	__atomic_store_n(&handler_release, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(pthread_join(canceller, NULL), 0);
	assert_int_equal(handler_done, 1);
	assert_false(c.result); /* it had fired */
	assert_int_equal(pthread_join(cpu1, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_events_fire_in_order_not_early, setup),
		cmocka_unit_test_setup(test_handler_rearms_itself, setup),
		cmocka_unit_test_setup(test_tick_counts, setup),
		cmocka_unit_test_setup(test_deadline_saturates, setup),
		cmocka_unit_test_setup(test_cancel_waits_for_running_handler, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
