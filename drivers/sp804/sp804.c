/*
 * drivers/sp804/sp804.c: programs an Arm SP804 dual timer (ARM DDI 0271D)
 * through the register accessor in struct sp804: identification, arming
 * a timer for a delay in microseconds (choosing prescaler and counter
 * width), cancelling, reading the time left and the interrupt step.
 * Pure C on the accessor: the same file runs in sp804d and in the host
 * test against a register model.
 */
#include <errno.h>
#include <stddef.h>

#include "drivers/sp804/sp804.h"
#include "drivers/sp804/sp804_regs.h"

#define US_PER_S 1000000ull
/* Prescaler stages in the order tried: finest resolution first (3.3.3). */
static const unsigned prescale_codes[] = { SP804_PRE_1, SP804_PRE_16, SP804_PRE_256 };
#define NPRESCALES (sizeof(prescale_codes) / sizeof(prescale_codes[0]))
#define PRE_SHIFT(code) ((code) * SP804_PRE_STEP_SHIFT)
#define COARSEST_SHIFT PRE_SHIFT(SP804_PRE_256)
/*
 * A periodic timer reloads from BGLoad one count after reaching zero
 * (3.3.1: the count "resets" on the edge after zero), so its period is
 * BGLoad + 1 counts; BGLoad must stay >= 1 (0 is not a valid load), hence
 * at least two counts per period.
 */
#define PERIODIC_MIN_COUNTS 2u

static uint32_t rd(struct sp804 *dev, unsigned timer, uint32_t reg)
{
	return dev->ops->read(dev->ctx, SP804_TIMER_BASE(timer) + reg);
}

static void wr(struct sp804 *dev, unsigned timer, uint32_t reg, uint32_t val)
{
	dev->ops->write(dev->ctx, SP804_TIMER_BASE(timer) + reg, val);
}

static uint32_t id_byte(const struct sp804_regs_ops *ops, void *ctx,
			uint32_t base, unsigned i)
{
	return ops->read(ctx, base + i * SP804_ID_STRIDE) & SP804_ID_MASK;
}

/* 3.3.10/3.3.11: part 0x804 by ARM behind the PrimeCell preamble. */
static int identify(const struct sp804_regs_ops *ops, void *ctx, uint8_t *revision)
{
	static const uint8_t pcell[SP804_ID_REGS] = {
		SP804_PCELLID0_VAL, SP804_PCELLID1_VAL,
		SP804_PCELLID2_VAL, SP804_PCELLID3_VAL,
	};
	uint32_t id[SP804_ID_REGS], part, designer;

	for (unsigned i = 0; i < SP804_ID_REGS; i++) {
		if (id_byte(ops, ctx, SP804_PCELLID0, i) != pcell[i])
			return -ENODEV;
		id[i] = id_byte(ops, ctx, SP804_PERIPHID0, i);
	}
	part = id[0] | (id[1] & SP804_ID_NIBBLE_MASK) << SP804_ID_BYTE_BITS;
	designer = id[1] >> SP804_ID_NIBBLE_BITS |
		   (id[2] & SP804_ID_NIBBLE_MASK) << SP804_ID_NIBBLE_BITS;
	if (part != SP804_PART_NUMBER || designer != SP804_DESIGNER_ARM)
		return -ENODEV;
	*revision = (uint8_t)(id[2] >> SP804_ID_NIBBLE_BITS);
	return 0;
}

static void stop(struct sp804 *dev, unsigned timer)
{
	struct sp804_timer *t = &dev->t[timer];

	t->control &= ~SP804_CTRL_TIMEREN;
	wr(dev, timer, SP804_CONTROL, t->control);
	wr(dev, timer, SP804_INTCLR, SP804_INT_BIT);
	t->armed = false;
}

int sp804_init(struct sp804 *dev, const struct sp804_regs_ops *ops, void *ctx,
	       uint64_t clk_hz, unsigned counter_bits)
{
	uint8_t revision;
	int err;

	if (dev == NULL || ops == NULL || ops->read == NULL || ops->write == NULL ||
	    clk_hz == 0 || (counter_bits != SP804_COUNTER_BITS_16 && counter_bits != SP804_COUNTER_BITS_32))
		return -EINVAL;
	err = identify(ops, ctx, &revision);
	if (err)
		return err;
	*dev = (struct sp804){ .ops = ops, .ctx = ctx, .clk_hz = clk_hz,
			       .counter_bits = counter_bits, .revision = revision };
	for (unsigned i = 0; i < SP804_NTIMERS; i++) {
		dev->t[i].control = SP804_CTRL_RESET;
		stop(dev, i);
	}
	return 0;
}

static uint32_t max_count(const struct sp804 *dev)
{
	return dev->counter_bits == SP804_COUNTER_BITS_32 ? SP804_MAX_COUNT_32 : SP804_MAX_COUNT_16;
}

uint64_t sp804_max_us(const struct sp804 *dev)
{
	/* The coarsest stage, keeping room for the count arming adds. */
	uint64_t cycles = ((uint64_t)max_count(dev) - 1) << COARSEST_SHIFT;

	return cycles * US_PER_S / dev->clk_hz;
}

bool sp804_armed(const struct sp804 *dev, unsigned timer)
{
	return timer < SP804_NTIMERS && dev->t[timer].armed;
}

/* The counts for us at prescale code, the first period's in *first. */
static bool fit(const struct sp804 *dev, uint64_t cycles, unsigned code,
		enum sp804_mode mode, uint32_t *period, uint32_t *first)
{
	unsigned shift = PRE_SHIFT(code);
	uint64_t n = (cycles + (1ull << shift) - 1) >> shift;
	uint64_t f;

	if (n == 0)
		n = 1;	/* the shortest delay: one count */
	if (mode == SP804_PERIODIC && n < PERIODIC_MIN_COUNTS)
		n = PERIODIC_MIN_COUNTS;
	f = n + (shift ? 1 : 0);	/* a free-running prescaler: never early */
	if (f > max_count(dev))
		return false;
	*period = (uint32_t)n;
	*first = (uint32_t)f;
	return true;
}

int sp804_arm(struct sp804 *dev, unsigned timer, uint64_t us, enum sp804_mode mode)
{
	uint32_t period = 0, first = 0, ctrl;
	uint64_t cycles;
	unsigned i;

	if (timer >= SP804_NTIMERS || (mode != SP804_ONESHOT && mode != SP804_PERIODIC) ||
	    (mode == SP804_PERIODIC && us == 0))
		return -EINVAL;
	if (us > sp804_max_us(dev))
		return -ERANGE;
	/* us * clk_hz <= max cycles * 10^6 < 2^60: no overflow. */
	cycles = (us * dev->clk_hz + US_PER_S - 1) / US_PER_S;
	for (i = 0; i < NPRESCALES; i++)
		if (fit(dev, cycles, prescale_codes[i], mode, &period, &first))
			break;
	if (i == NPRESCALES)
		return -ERANGE;	/* only by rounding at the very edge */

	stop(dev, timer);	/* program a stopped timer, then enable */
	ctrl = SP804_CTRL_INTENABLE | prescale_codes[i] << SP804_CTRL_TIMERPRE_SHIFT;
	if (dev->counter_bits == SP804_COUNTER_BITS_32)
		ctrl |= SP804_CTRL_TIMERSIZE;
	ctrl |= mode == SP804_ONESHOT ? SP804_CTRL_ONESHOT : SP804_CTRL_TIMERMODE;
	wr(dev, timer, SP804_CONTROL, ctrl);
	/* Load restarts the count now; BGLoad then sets only the reload (3.3.7). */
	wr(dev, timer, SP804_LOAD, first);
	if (mode == SP804_PERIODIC)
		wr(dev, timer, SP804_BGLOAD, period - 1);
	ctrl |= SP804_CTRL_TIMEREN;
	wr(dev, timer, SP804_CONTROL, ctrl);
	dev->t[timer] = (struct sp804_timer){ .armed = true, .mode = mode, .control = ctrl,
					      .prescale_shift = PRE_SHIFT(prescale_codes[i]) };
	return 0;
}

int sp804_cancel(struct sp804 *dev, unsigned timer)
{
	if (timer >= SP804_NTIMERS)
		return -EINVAL;
	stop(dev, timer);
	return 0;
}

int sp804_remaining(struct sp804 *dev, unsigned timer, uint64_t *us)
{
	uint64_t count, cycles;

	if (timer >= SP804_NTIMERS || us == NULL)
		return -EINVAL;
	*us = 0;
	if (!dev->t[timer].armed)
		return 0;
	/* In 16-bit mode Value's top half is stale (3.3.2 note): mask it. */
	count = rd(dev, timer, SP804_VALUE) & max_count(dev);
	cycles = count << dev->t[timer].prescale_shift;
	*us = (cycles * US_PER_S + dev->clk_hz - 1) / dev->clk_hz;
	return 0;
}

unsigned sp804_handle_irq(struct sp804 *dev)
{
	unsigned expired = 0;

	for (unsigned i = 0; i < SP804_NTIMERS; i++) {
		if (!(rd(dev, i, SP804_MIS) & SP804_INT_BIT))
			continue;
		wr(dev, i, SP804_INTCLR, SP804_INT_BIT);
		expired |= SP804_EXPIRED(i);
		if (dev->t[i].armed && dev->t[i].mode == SP804_ONESHOT)
			stop(dev, i);
	}
	return expired;
}
