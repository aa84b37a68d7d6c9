/*
 * drivers/sp804/sp804.h: the hardware-independent core of sp804d, the Arm
 * SP804 dual timer driver. It owns the programming of one SP804 (both of
 * its timers) through an abstract register accessor, so sp804d passes the
 * device memory it mapped from memory: and the host test a register model
 * (tests/host/sp804_model.c). Registers: sp804_regs.h (ARM DDI 0271D).
 *
 * Time is in microseconds, the counter clock (TIMCLK) in Hz from the
 * device tree's clocks. Functions return 0 or a negative errno: -EINVAL
 * for a bad timer number or argument, -ERANGE for a delay the hardware
 * cannot count (see sp804_max_us), -ENODEV when init found no SP804.
 *
 * Not thread-safe: sp804d calls everything from its one service loop (the
 * interrupt arrives there as a read of irq:, not asynchronously).
 */
#ifndef DRIVERS_SP804_H
#define DRIVERS_SP804_H

#include <stdbool.h>
#include <stdint.h>

/* How the driver reaches the registers: off is a byte offset, 32-bit access. */
struct sp804_regs_ops {
	uint32_t (*read)(void *ctx, uint32_t off);
	void (*write)(void *ctx, uint32_t off, uint32_t val);
};

enum { SP804_TIMER1, SP804_TIMER2, SP804_NTIMERS };

enum sp804_mode {
	SP804_ONESHOT,	/* one expiry, then the timer stops */
	SP804_PERIODIC,	/* an expiry every period until cancelled */
};

/* Counter widths TimerSize selects (3.3.3). */
#define SP804_COUNTER_BITS_16 16u
#define SP804_COUNTER_BITS_32 32u

/* sp804_handle_irq's answer: bit n set = timer n expired. */
#define SP804_EXPIRED(n) (1u << (n))

/* What the driver remembers of one timer (all the rest is in hardware). */
struct sp804_timer {
	bool armed;
	enum sp804_mode mode;
	uint32_t control;	/* as written, TimerEn included */
	unsigned prescale_shift;	/* log2 of the prescaler: 0, 4 or 8 */
};

struct sp804 {
	const struct sp804_regs_ops *ops;
	void *ctx;
	uint64_t clk_hz;
	/* Widest counter to use: SP804_COUNTER_BITS_32, or _16 to keep to 16-bit mode. */
	unsigned counter_bits;
	uint8_t revision;	/* PeriphID2[7:4] */
	struct sp804_timer t[SP804_NTIMERS];
};

/*
 * Identify the device from PeriphID0-3 and PCellID0-3 (-ENODEV unless it
 * is an SP804 of any revision), then stop both timers, clear their
 * interrupts and leave them disarmed. clk_hz must be non-zero and
 * counter_bits SP804_COUNTER_BITS_16 or _32 (-EINVAL). dev is filled only on success.
 */
int sp804_init(struct sp804 *dev, const struct sp804_regs_ops *ops, void *ctx,
	       uint64_t clk_hz, unsigned counter_bits);

/*
 * Arm timer (SP804_TIMER1/2) to expire after us microseconds, once or
 * every us. The first expiry is never early: the count is rounded up,
 * and one count is added when a prescaler is used, because the prescaler
 * runs freely and its first stage may end at once. The finest prescaler
 * whose counter holds the count is used (/1, /16, /256). us = 0 is the
 * shortest one-shot (one count); a periodic timer needs us > 0. Re-arming
 * an armed timer replaces it. -ERANGE (timer unchanged) past sp804_max_us.
 */
int sp804_arm(struct sp804 *dev, unsigned timer, uint64_t us, enum sp804_mode mode);

/* Stop timer and drop a pending interrupt. Cancelling a stopped timer is 0. */
int sp804_cancel(struct sp804 *dev, unsigned timer);

/*
 * Time until timer's next expiry, rounded up to a microsecond; 0 for a
 * disarmed timer or a one-shot that has expired (its counter halts at 0).
 */
int sp804_remaining(struct sp804 *dev, unsigned timer, uint64_t *us);

/*
 * The interrupt step: read each timer's MIS, clear what is set with
 * IntClr, and return the SP804_EXPIRED bits. An expired one-shot is
 * disabled (and reads as disarmed). 0 = the interrupt was not ours.
 */
unsigned sp804_handle_irq(struct sp804 *dev);

/* The longest delay sp804_arm accepts (prescaler /256, widest counter). */
uint64_t sp804_max_us(const struct sp804 *dev);

bool sp804_armed(const struct sp804 *dev, unsigned timer);

#endif
