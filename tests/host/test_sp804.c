/*
 * tests/host/test_sp804.c: host test of the SP804 driver core
 * (drivers/sp804/sp804.c) and the timer: scheme layer
 * (drivers/sp804/timerset.c) against the register model
 * (tests/host/sp804_model.c), and of the model against statements of the
 * SP804 TRM (ARM DDI 0271D). Every test ends by checking the driver made
 * no access the TRM does not define.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "drivers/sp804/sp804.h"
#include "drivers/sp804/sp804_regs.h"
#include "drivers/sp804/timerset.h"
#include "tests/host/sp804_model.h"

/* 1 MHz: one TIMCLK cycle per microsecond, so times read directly. */
#define CLK_1MHZ 1000000u
#define CLK_ODD 24000000u	/* a common crystal, not a power of ten's divisor */
#define PRE16 16u
#define PRE256 256u
#define T1 SP804_TIMER1
#define T2 SP804_TIMER2
#define US_PER_S 1000000ull

static struct sp804_model m;
static struct sp804 dev;

static int setup32(void **state)
{
	(void)state;
	model_reset(&m);
	return sp804_init(&dev, &model_ops, &m, CLK_1MHZ, SP804_COUNTER_BITS_32);
}

static int setup16(void **state)
{
	(void)state;
	model_reset(&m);
	return sp804_init(&dev, &model_ops, &m, CLK_1MHZ, SP804_COUNTER_BITS_16);
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(m.bad_accesses, 0);
	return 0;
}

static uint32_t reg(unsigned timer, uint32_t r)
{
	return model_read(&m, SP804_TIMER_BASE(timer) + r);
}

static void wreg(unsigned timer, uint32_t r, uint32_t v)
{
	model_write(&m, SP804_TIMER_BASE(timer) + r, v);
}

static unsigned pre_of(unsigned timer)
{
	return (reg(timer, SP804_CONTROL) & SP804_CTRL_TIMERPRE_MASK) >> SP804_CTRL_TIMERPRE_SHIFT;
}

/* Cycles until timer's interrupt, stepping one cycle (bounded by limit). */
static uint64_t cycles_to_irq(unsigned timer, uint64_t limit)
{
	for (uint64_t c = 1; c <= limit; c++) {
		model_advance(&m, 1);
		if (model_irq(&m, timer))
			return c;
	}
	return 0;
}

/* ---- The model against the TRM ---- */

static void test_model_reset_and_ids(void **state)
{
	(void)state;
	model_reset(&m);
	for (unsigned i = 0; i < SP804_NTIMERS; i++) {
		assert_int_equal(reg(i, SP804_CONTROL), SP804_CTRL_RESET);	/* 3.3.3 */
		assert_int_equal(reg(i, SP804_VALUE), 0xFFFFFFFFu);
		assert_int_equal(reg(i, SP804_RIS), 0);
	}
	assert_int_equal(model_read(&m, SP804_PERIPHID0), 0x04);
	assert_int_equal(model_read(&m, SP804_PERIPHID0 + 4), 0x18);
	assert_int_equal(model_read(&m, SP804_PCELLID0 + 12), 0xB1);
	/* A disabled counter does not move. */
	model_advance(&m, 1000);
	assert_int_equal(reg(T1, SP804_VALUE), 0xFFFFFFFFu);
	teardown(state);
}

static void test_model_load_bgload(void **state)
{
	(void)state;
	model_reset(&m);
	wreg(T1, SP804_CONTROL, SP804_CTRL_TIMEREN | SP804_CTRL_TIMERSIZE |
				SP804_CTRL_TIMERMODE | SP804_CTRL_INTENABLE);
	/* 3.3.1: writing Load restarts the count from it at once. */
	wreg(T1, SP804_LOAD, 100);
	assert_int_equal(reg(T1, SP804_VALUE), 100);
	model_advance(&m, 30);
	assert_int_equal(reg(T1, SP804_VALUE), 70);
	/* 3.3.7: BGLoad changes the reload, not the count; Load reads it. */
	wreg(T1, SP804_BGLOAD, 10);
	assert_int_equal(reg(T1, SP804_VALUE), 70);
	assert_int_equal(reg(T1, SP804_LOAD), 10);
	model_advance(&m, 70);
	assert_int_equal(reg(T1, SP804_VALUE), 0);
	assert_int_equal(reg(T1, SP804_RIS), SP804_INT_BIT);
	/* Periodic: the count after zero reloads 10, so the period is 11. */
	model_advance(&m, 1);
	assert_int_equal(reg(T1, SP804_VALUE), 10);
	wreg(T1, SP804_INTCLR, 0);	/* any value clears (3.3.4) */
	assert_int_equal(reg(T1, SP804_RIS), 0);
	model_advance(&m, 10);
	assert_int_equal(reg(T1, SP804_RIS), SP804_INT_BIT);
	/* Many periods at once: 11 * 1000 + 3 counts from 0 reloads to 10, then 8. */
	model_advance(&m, 11 * 1000 + 3);
	assert_int_equal(reg(T1, SP804_VALUE), 8);
	/* Load 0 raises the interrupt at once (3.3.1). */
	wreg(T1, SP804_INTCLR, 1);
	wreg(T1, SP804_LOAD, 0);
	assert_int_equal(reg(T1, SP804_RIS), SP804_INT_BIT);
	teardown(state);
}

static void test_model_oneshot_and_wrap(void **state)
{
	(void)state;
	model_reset(&m);
	/* One-shot halts at zero until Load is written. */
	wreg(T1, SP804_CONTROL, SP804_CTRL_TIMEREN | SP804_CTRL_TIMERSIZE | SP804_CTRL_ONESHOT);
	wreg(T1, SP804_LOAD, 5);
	model_advance(&m, 100);
	assert_int_equal(reg(T1, SP804_VALUE), 0);
	assert_int_equal(reg(T1, SP804_RIS), SP804_INT_BIT);
	/* IntEnable clear: raw yes, masked no (3.3.6). */
	assert_int_equal(reg(T1, SP804_MIS), 0);
	assert_false(model_irq(&m, T1));
	wreg(T1, SP804_LOAD, 3);
	model_advance(&m, 2);
	assert_int_equal(reg(T1, SP804_VALUE), 1);
	/* Free-running 32-bit wraps to the maximum. */
	wreg(T2, SP804_CONTROL, SP804_CTRL_TIMEREN | SP804_CTRL_TIMERSIZE);
	wreg(T2, SP804_LOAD, 5);
	model_advance(&m, 6);
	assert_int_equal(reg(T2, SP804_VALUE), 0xFFFFFFFFu);
	/* 16-bit: only the low half counts and wraps; the high half stays. */
	wreg(T2, SP804_CONTROL, SP804_CTRL_TIMEREN);
	wreg(T2, SP804_LOAD, 0x00120003);
	model_advance(&m, 3);
	assert_int_equal(reg(T2, SP804_VALUE), 0x00120000);
	model_advance(&m, 1);
	assert_int_equal(reg(T2, SP804_VALUE), 0x0012FFFF);
	/* Periodic 16-bit reloads only the low half of Load. */
	wreg(T2, SP804_CONTROL, SP804_CTRL_TIMEREN | SP804_CTRL_TIMERMODE);
	wreg(T2, SP804_LOAD, 0x00340002);
	model_advance(&m, 3);
	assert_int_equal(reg(T2, SP804_VALUE), 0x00340002);
	teardown(state);
}

static void test_model_prescale_and_bad_access(void **state)
{
	(void)state;
	model_reset(&m);
	wreg(T1, SP804_CONTROL, SP804_CTRL_TIMEREN | SP804_CTRL_TIMERSIZE |
				SP804_PRE_16 << SP804_CTRL_TIMERPRE_SHIFT);
	wreg(T1, SP804_LOAD, 10);
	model_advance(&m, PRE16 - 1);
	assert_int_equal(reg(T1, SP804_VALUE), 10);
	model_advance(&m, 1);
	assert_int_equal(reg(T1, SP804_VALUE), 9);
	wreg(T1, SP804_CONTROL, SP804_CTRL_TIMEREN | SP804_CTRL_TIMERSIZE |
				SP804_PRE_256 << SP804_CTRL_TIMERPRE_SHIFT);
	wreg(T1, SP804_LOAD, 10);
	model_advance(&m, PRE256 * 3);
	assert_int_equal(reg(T1, SP804_VALUE), 7);
	/* Reserved control bits read as zero. */
	wreg(T2, SP804_CONTROL, 0xFFFFFFFFu);
	assert_int_equal(reg(T2, SP804_CONTROL), SP804_CTRL_DEFINED);
	/* Writing Value (read-only) and reading IntClr (write-only) are noticed. */
	wreg(T1, SP804_VALUE, 1);
	(void)reg(T1, SP804_INTCLR);
	(void)model_read(&m, 0x800);
	assert_int_equal(m.bad_accesses, 3);
}

/* ---- The driver ---- */

static void test_init(void **state)
{
	struct sp804 d2;

	(void)state;
	/* A running timer with a pending interrupt is stopped and cleared. */
	model_reset(&m);
	wreg(T2, SP804_CONTROL, SP804_CTRL_TIMEREN | SP804_CTRL_INTENABLE);
	wreg(T2, SP804_LOAD, 0);
	assert_true(model_irq(&m, T2));
	assert_int_equal(sp804_init(&d2, &model_ops, &m, CLK_1MHZ, SP804_COUNTER_BITS_32), 0);
	assert_false(model_irq(&m, T2));
	assert_int_equal(reg(T2, SP804_CONTROL) & SP804_CTRL_TIMEREN, 0);
	assert_int_equal(d2.revision, 1);
	assert_false(sp804_armed(&d2, T1));
	/* Another PrimeCell (a PL011's part number 0x011): -ENODEV, no write. */
	model_reset(&m);
	m.periph_id[0] = 0x11;
	m.periph_id[1] = 0x10;
	assert_int_equal(sp804_init(&d2, &model_ops, &m, CLK_1MHZ, SP804_COUNTER_BITS_32), -ENODEV);
	assert_int_equal(m.writes, 0);
	/* Not a PrimeCell at all (all-ones bus, say). */
	model_reset(&m);
	m.pcell_id[3] = 0xFF;
	assert_int_equal(sp804_init(&d2, &model_ops, &m, CLK_1MHZ, SP804_COUNTER_BITS_32), -ENODEV);
	/* An SP804 part number from another designer. */
	model_reset(&m);
	m.periph_id[2] = 0x13;
	assert_int_equal(sp804_init(&d2, &model_ops, &m, CLK_1MHZ, SP804_COUNTER_BITS_32), -ENODEV);
	model_reset(&m);
	assert_int_equal(sp804_init(&d2, &model_ops, &m, 0, 32), -EINVAL);
	assert_int_equal(sp804_init(&d2, &model_ops, &m, CLK_1MHZ, 24), -EINVAL);
	assert_int_equal(sp804_init(&d2, NULL, &m, CLK_1MHZ, SP804_COUNTER_BITS_32), -EINVAL);
	assert_int_equal(m.writes, 0);
	teardown(state);
}

static void test_oneshot(void **state)
{
	uint64_t left;

	(void)state;
	assert_int_equal(sp804_arm(&dev, T1, 1000, SP804_ONESHOT), 0);
	assert_true(sp804_armed(&dev, T1));
	assert_int_equal(pre_of(T1), SP804_PRE_1);
	assert_true(reg(T1, SP804_CONTROL) & SP804_CTRL_TIMERSIZE);
	model_advance(&m, 400);
	assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
	assert_int_equal(left, 600);
	assert_int_equal(sp804_handle_irq(&dev), 0);	/* not ours yet */
	assert_int_equal(cycles_to_irq(T1, 1000), 600);
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T1));
	assert_false(model_irq(&m, T1));
	assert_false(sp804_armed(&dev, T1));
	assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
	assert_int_equal(left, 0);
	/* It stays quiet. */
	model_advance(&m, 100000);
	assert_int_equal(sp804_handle_irq(&dev), 0);
	/* Zero delay: the shortest, one count. */
	assert_int_equal(sp804_arm(&dev, T2, 0, SP804_ONESHOT), 0);
	assert_int_equal(cycles_to_irq(T2, 10), 1);
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T2));
}

static void test_periodic_on_grid(void **state)
{
	(void)state;
	assert_int_equal(sp804_arm(&dev, T1, 1000, SP804_PERIODIC), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cycles_to_irq(T1, 2000), 1000);
		assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T1));
	}
	/* The handler runs 2.5 periods late: one interrupt, and the grid holds. */
	model_advance(&m, 2500);
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T1));
	assert_int_equal(cycles_to_irq(T1, 2000), 500);
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T1));
	assert_true(sp804_armed(&dev, T1));
	/* Periodic needs a period. */
	assert_int_equal(sp804_arm(&dev, T2, 0, SP804_PERIODIC), -EINVAL);
	/* A one-count period is raised to two (BGLoad >= 1). */
	assert_int_equal(sp804_arm(&dev, T2, 1, SP804_PERIODIC), 0);
	assert_int_equal(cycles_to_irq(T2, 10), 2);
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T2));
	assert_int_equal(cycles_to_irq(T2, 10), 2);
	sp804_cancel(&dev, T1);
	sp804_cancel(&dev, T2);
}

static void test_both_timers(void **state)
{
	(void)state;
	assert_int_equal(sp804_arm(&dev, T1, 300, SP804_ONESHOT), 0);
	assert_int_equal(sp804_arm(&dev, T2, 100, SP804_PERIODIC), 0);
	model_advance(&m, 100);
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T2));
	model_advance(&m, 200);	/* 300: both at once */
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T1) | SP804_EXPIRED(T2));
	assert_false(sp804_armed(&dev, T1));
	assert_true(sp804_armed(&dev, T2));
	/* Re-arming replaces: the old deadline never fires. */
	assert_int_equal(sp804_arm(&dev, T1, 50, SP804_ONESHOT), 0);
	assert_int_equal(sp804_arm(&dev, T1, 70, SP804_ONESHOT), 0);
	assert_int_equal(cycles_to_irq(T1, 200), 70);
	assert_int_equal(sp804_arm(&dev, 2, 10, SP804_ONESHOT), -EINVAL);
	assert_int_equal(sp804_arm(&dev, T1, 10, (enum sp804_mode)7), -EINVAL);
	assert_int_equal(sp804_cancel(&dev, 2), -EINVAL);
	sp804_cancel(&dev, T2);
}

static void test_cancel(void **state)
{
	uint64_t left;

	(void)state;
	/* Cancel before expiry: nothing fires. */
	assert_int_equal(sp804_arm(&dev, T1, 100, SP804_ONESHOT), 0);
	model_advance(&m, 50);
	assert_int_equal(sp804_cancel(&dev, T1), 0);
	model_advance(&m, 1000);
	assert_false(model_irq(&m, T1));
	assert_int_equal(sp804_handle_irq(&dev), 0);
	/* Cancel after expiry, before the handler: the interrupt is dropped. */
	assert_int_equal(sp804_arm(&dev, T1, 100, SP804_PERIODIC), 0);
	model_advance(&m, 150);
	assert_true(model_irq(&m, T1));
	assert_int_equal(sp804_cancel(&dev, T1), 0);
	assert_false(model_irq(&m, T1));
	assert_int_equal(sp804_handle_irq(&dev), 0);
	assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
	assert_int_equal(left, 0);
	/* Cancelling a stopped timer is fine. */
	assert_int_equal(sp804_cancel(&dev, T1), 0);
	assert_int_equal(sp804_remaining(&dev, 5, &left), -EINVAL);
}

/* The prescaler runs freely: from any phase the expiry is never early. */
static void check_never_early(uint64_t us, unsigned want_pre)
{
	for (uint64_t phase = 0; phase < PRE256; phase += 37) {
		uint64_t fired;

		model_reset(&m);
		assert_int_equal(sp804_init(&dev, &model_ops, &m, CLK_1MHZ, SP804_COUNTER_BITS_16), 0);
		/* Shift the prescaler's phase, then arm (the phase survives). */
		wreg(T1, SP804_CONTROL, SP804_CTRL_TIMEREN | SP804_PRE_256 << SP804_CTRL_TIMERPRE_SHIFT);
		model_advance(&m, phase);
		assert_int_equal(sp804_arm(&dev, T1, us, SP804_ONESHOT), 0);
		assert_int_equal(pre_of(T1), want_pre);
		model_advance(&m, us - 1);
		assert_false(model_irq(&m, T1));
		fired = us - 1 + cycles_to_irq(T1, 2 * PRE256);
		assert_true(fired >= us);
		assert_true(fired <= us + 2 * (1u << (want_pre * 4)));
	}
}

static void test_prescaler_choice_16bit(void **state)
{
	(void)state;
	/* 16-bit at 1 MHz: /1 to 65535 us, /16 beyond, /256 beyond ~1 s. */
	assert_int_equal(sp804_arm(&dev, T1, 65535, SP804_ONESHOT), 0);
	assert_int_equal(pre_of(T1), SP804_PRE_1);
	assert_int_equal(reg(T1, SP804_CONTROL) & SP804_CTRL_TIMERSIZE, 0);
	check_never_early(65536, SP804_PRE_16);
	check_never_early(100000, SP804_PRE_16);
	check_never_early(2000000, SP804_PRE_256);
	/* Stale top half of Value in 16-bit mode (3.3.2 note) is masked. */
	{
		uint64_t left;

		assert_int_equal(sp804_arm(&dev, T1, 1000, SP804_ONESHOT), 0);
		m.t[T1].value |= 0xABCD0000u;
		assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
		assert_int_equal(left, 1000);
	}
	teardown(state);
}

static void test_range(void **state)
{
	uint64_t max = sp804_max_us(&dev);
	unsigned writes;

	(void)state;
	/* 16-bit, /256, one count of margin: (0xFFFF - 1) * 256 us at 1 MHz. */
	assert_int_equal(max, (uint64_t)(SP804_MAX_COUNT_16 - 1) * PRE256);
	writes = m.writes;
	assert_int_equal(sp804_arm(&dev, T1, max + 1, SP804_ONESHOT), -ERANGE);
	assert_int_equal(sp804_arm(&dev, T1, UINT64_MAX, SP804_PERIODIC), -ERANGE);
	assert_int_equal(m.writes, writes);	/* nothing touched */
	/* The maximum itself works and is not early. */
	assert_int_equal(sp804_arm(&dev, T1, max, SP804_ONESHOT), 0);
	assert_int_equal(pre_of(T1), SP804_PRE_256);
	model_advance(&m, max - 1);
	assert_false(model_irq(&m, T1));
	model_advance(&m, 2 * PRE256);
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T1));
}

static void test_odd_clock_32bit(void **state)
{
	uint64_t max, left;

	(void)state;
	model_reset(&m);
	assert_int_equal(sp804_init(&dev, &model_ops, &m, CLK_ODD, SP804_COUNTER_BITS_32), 0);
	/* 1 ms at 24 MHz is 24000 cycles, exactly, at /1. */
	assert_int_equal(sp804_arm(&dev, T1, 1000, SP804_PERIODIC), 0);
	assert_int_equal(pre_of(T1), SP804_PRE_1);
	model_advance(&m, 23999);
	assert_false(model_irq(&m, T1));
	model_advance(&m, 1);
	assert_true(model_irq(&m, T1));
	sp804_handle_irq(&dev);
	model_advance(&m, 12000);
	assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
	assert_int_equal(left, 500);
	/* 32-bit /256 at 24 MHz: about 45812 s. */
	max = sp804_max_us(&dev);
	assert_int_equal(max, ((uint64_t)SP804_MAX_COUNT_32 - 1) * PRE256 * US_PER_S / CLK_ODD);
	assert_int_equal(sp804_arm(&dev, T2, max, SP804_ONESHOT), 0);
	assert_int_equal(pre_of(T2), SP804_PRE_256);
	assert_int_equal(sp804_arm(&dev, T2, max + 1, SP804_ONESHOT), -ERANGE);
	/* 200 s needs /16 here (4.8e9 cycles > 2^32). */
	assert_int_equal(sp804_arm(&dev, T2, 200 * US_PER_S, SP804_ONESHOT), 0);
	assert_int_equal(pre_of(T2), SP804_PRE_16);
	teardown(state);
}

/* ---- The timer: layer on the hardware ---- */

static struct timerset ts;
static uint64_t now;

static int setup_ts(void **state)
{
	timerset_init(&ts);
	now = 0;
	return setup16(state);
}

/*
 * Move time to until as the daemon would see it: the model runs, and each
 * interrupt is handled at once (expire, then reprogram timer 1).
 */
static int run_to(uint64_t until)
{
	int expired = 0;

	while (now < until) {
		uint64_t left = 0, step = until - now;

		sp804_remaining(&dev, T1, &left);
		if (left > 0 && left < step)
			step = left;
		model_advance(&m, step);
		now += step;
		if (model_irq(&m, T1)) {
			assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T1));
			expired += timerset_expire(&ts, now);
			assert_int_equal(timerset_program(&ts, &dev, T1, now), 0);
		}
	}
	return expired;
}

static void settime(int id, unsigned flags, uint64_t value, uint64_t interval)
{
	assert_int_equal(timerset_settime(&ts, id, now, flags, value, interval, NULL, NULL), 0);
	assert_int_equal(timerset_program(&ts, &dev, T1, now), 0);
}

static void assert_count(int id, uint64_t want)
{
	uint64_t got = 0;

	if (want == 0) {
		assert_int_equal(timerset_read(&ts, id, &got), -EAGAIN);
		assert_false(timerset_readable(&ts, id));
		return;
	}
	assert_true(timerset_readable(&ts, id));
	assert_int_equal(timerset_read(&ts, id, &got), 0);
	assert_int_equal(got, want);
}

static void test_ts_handles(void **state)
{
	uint64_t v, i;

	(void)state;
	for (int k = 0; k < TIMERSET_MAX; k++)
		assert_int_equal(timerset_create(&ts), k);
	assert_int_equal(timerset_create(&ts), -EMFILE);
	assert_int_equal(timerset_destroy(&ts, 3), 0);
	assert_int_equal(timerset_destroy(&ts, 3), -EBADF);
	assert_int_equal(timerset_create(&ts), 3);
	assert_int_equal(timerset_destroy(&ts, -1), -EBADF);
	assert_int_equal(timerset_destroy(&ts, TIMERSET_MAX), -EBADF);
	assert_int_equal(timerset_settime(&ts, 3, now, 0x80, 5, 0, NULL, NULL), -EINVAL);
	assert_int_equal(timerset_gettime(&ts, 3, now, &v, &i), 0);
	assert_int_equal(v, 0);	/* the bad settime changed nothing */
	assert_int_equal(timerset_read(&ts, TIMERSET_MAX, &v), -EBADF);
	assert_false(timerset_readable(&ts, -5));
	timerset_init(&ts);
	assert_int_equal(timerset_settime(&ts, 0, now, 0, 5, 0, NULL, NULL), -EBADF);
	teardown(state);
}

static void test_ts_oneshot_periodic(void **state)
{
	int a = timerset_create(&ts), b = timerset_create(&ts);
	uint64_t v, i;

	(void)state;
	settime(a, 0, 500, 0);
	settime(b, 0, 100, 100);
	assert_count(a, 0);
	run_to(499);
	assert_count(a, 0);
	assert_count(b, 4);
	assert_int_equal(timerset_gettime(&ts, a, now, &v, &i), 0);
	assert_int_equal(v, 1);
	assert_int_equal(i, 0);
	run_to(500);
	assert_count(a, 1);
	assert_count(a, 0);
	assert_count(b, 1);
	assert_int_equal(timerset_gettime(&ts, a, now, &v, &i), 0);
	assert_int_equal(v, 0);	/* a one-shot that fired is disarmed */
	assert_int_equal(timerset_gettime(&ts, b, now, &v, &i), 0);
	assert_int_equal(v, 100);
	assert_int_equal(i, 100);
	run_to(750);
	assert_count(b, 2);
	/* settime resets the count and reports the old setting. */
	run_to(800);
	assert_int_equal(timerset_settime(&ts, b, now, 0, 30, 0, &v, &i), 0);
	assert_int_equal(v, 100);
	assert_int_equal(i, 100);
	assert_count(b, 0);
	assert_int_equal(timerset_program(&ts, &dev, T1, now), 0);
	run_to(830);
	assert_count(b, 1);
	/* Nothing armed: the hardware timer is stopped. */
	assert_false(sp804_armed(&dev, T1));
	assert_int_equal(timerset_next(&ts, &v), -ENOENT);
	teardown(state);
}

static void test_ts_multiplex(void **state)
{
	int id[3];
	uint64_t left, next;

	(void)state;
	for (int k = 0; k < 3; k++)
		id[k] = timerset_create(&ts);
	settime(id[0], 0, 300, 0);
	settime(id[1], 0, 100, 0);
	settime(id[2], 0, 200, 0);
	/* The hardware waits for the nearest. */
	assert_int_equal(timerset_next(&ts, &next), 0);
	assert_int_equal(next, 100);
	assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
	assert_int_equal(left, 100);
	assert_int_equal(run_to(100), 1);
	assert_count(id[1], 1);
	assert_count(id[2], 0);
	assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
	assert_int_equal(left, 100);
	/* Disarming the nearest moves the hardware to the next. */
	settime(id[2], 0, 0, 0);
	assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
	assert_int_equal(left, 200);
	/* Closing the last armed one stops it. */
	assert_int_equal(timerset_destroy(&ts, id[0]), 0);
	assert_int_equal(timerset_program(&ts, &dev, T1, now), 0);
	assert_false(sp804_armed(&dev, T1));
	assert_int_equal(run_to(1000), 0);
	teardown(state);
}

static void test_ts_late_handler(void **state)
{
	int p = timerset_create(&ts), o = timerset_create(&ts);

	(void)state;
	settime(p, 0, 100, 100);
	settime(o, TIMERSET_ABSTIME, 250, 0);
	/* The daemon is busy for 1050 us: one interrupt, counted in full. */
	model_advance(&m, 1050);
	now += 1050;
	assert_int_equal(sp804_handle_irq(&dev), SP804_EXPIRED(T1));
	assert_int_equal(timerset_expire(&ts, now), 2);
	assert_int_equal(timerset_program(&ts, &dev, T1, now), 0);
	assert_count(p, 10);
	assert_count(o, 1);
	/* The period keeps its grid: next at 1100. */
	run_to(1099);
	assert_count(p, 0);
	run_to(1100);
	assert_count(p, 1);
	/* An absolute deadline already past fires at the next chance (one count). */
	settime(o, TIMERSET_ABSTIME, 10, 0);
	run_to(now + 1);
	assert_count(o, 1);
	teardown(state);
}

static void test_ts_huge(void **state)
{
	int h = timerset_create(&ts), s = timerset_create(&ts);
	uint64_t max = sp804_max_us(&dev), left, v, i;

	(void)state;
	/* Past what the 16-bit hardware counts: reached in steps of max. */
	settime(h, 0, 2 * max + 5, 0);
	assert_int_equal(sp804_remaining(&dev, T1, &left), 0);
	assert_true(left >= max - PRE256 && left <= max + PRE256);
	assert_int_equal(run_to(2 * max + 4), 0);
	assert_count(h, 0);
	run_to(2 * max + 5 + 2 * PRE256);	/* the last step rounds up a little */
	assert_count(h, 1);
	/* A delay past the clock's end saturates: armed, never fires. */
	settime(s, 0, UINT64_MAX, 0);
	assert_int_equal(timerset_gettime(&ts, s, now, &v, &i), 0);
	assert_int_equal(v, UINT64_MAX - now);
	assert_int_equal(timerset_next(&ts, &v), -ENOENT);
	assert_false(sp804_armed(&dev, T1));
	/* A period that would run past the end stops there. */
	settime(s, TIMERSET_ABSTIME, UINT64_MAX - 10, 8);
	assert_int_equal(timerset_expire(&ts, UINT64_MAX - 5), 1);
	assert_count(s, 1);
	/* Next at MAX - 2; the one after would pass the end: never. */
	assert_int_equal(timerset_expire(&ts, UINT64_MAX), 1);
	assert_count(s, 1);
	assert_int_equal(timerset_expire(&ts, UINT64_MAX), 0);
	assert_count(s, 0);
	assert_int_equal(timerset_next(&ts, &v), -ENOENT);
	teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_reset_and_ids),
		cmocka_unit_test(test_model_load_bgload),
		cmocka_unit_test(test_model_oneshot_and_wrap),
		cmocka_unit_test(test_model_prescale_and_bad_access),
		cmocka_unit_test(test_init),
		cmocka_unit_test_setup_teardown(test_oneshot, setup32, teardown),
		cmocka_unit_test_setup_teardown(test_periodic_on_grid, setup32, teardown),
		cmocka_unit_test_setup_teardown(test_both_timers, setup32, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup32, teardown),
		cmocka_unit_test_setup(test_prescaler_choice_16bit, setup16),
		cmocka_unit_test_setup_teardown(test_range, setup16, teardown),
		cmocka_unit_test(test_odd_clock_32bit),
		cmocka_unit_test(test_ts_handles),
		cmocka_unit_test_setup(test_ts_oneshot_periodic, setup_ts),
		cmocka_unit_test_setup(test_ts_multiplex, setup_ts),
		cmocka_unit_test_setup(test_ts_late_handler, setup_ts),
		cmocka_unit_test_setup(test_ts_huge, setup_ts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
