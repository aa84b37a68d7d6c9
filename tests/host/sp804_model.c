/*
 * tests/host/sp804_model.c: the SP804 register model. Behaviour, with the
 * TRM (ARM DDI 0271D) sections it follows:
 *  - 3.3.1 Load: writing it sets the reload value and restarts the count
 *    from it at once; writing 0 raises the interrupt at once. Reading
 *    gives the value the next reload will use (BGLoad's if written after).
 *  - 3.3.7 BGLoad: sets the reload value (Load reads it back) without
 *    touching the current count.
 *  - 3.3.2 Value: the count; in 16-bit mode only the low half counts and
 *    the high half keeps whatever it held (the TRM's note).
 *  - 2.2 and 3.3.3: an enabled counter decrements once per prescaled
 *    TIMCLK (/1, /16, /256 by TimerPre; the prescaler runs freely, its
 *    phase is not reset by a Load write). On reaching zero it raises the
 *    interrupt; on the next count it reloads Load (periodic), wraps to
 *    the maximum (free-running) or, in one-shot mode, halts at zero until
 *    Load is written again.
 *  - 3.3.4-3.3.6: any IntClr write clears the raw interrupt; MIS is RIS
 *    and IntEnable.
 *  - 3.3.10/3.3.11: the ID registers of an SP804 r1.
 */
#include <string.h>

#include "tests/host/sp804_model.h"
#include "drivers/sp804/sp804_regs.h"

#define VALUE_RESET 0xFFFFFFFFu
#define TIMER_WINDOW (SP804_NTIMERS * SP804_TIMER_STRIDE)
#define ID_WINDOW (SP804_ID_REGS * SP804_ID_STRIDE)
#define ITCR_DEFINED 1u	/* 3.3.8: bit 0, integration test enable */

void model_reset(struct sp804_model *m)
{
	static const uint8_t periph[4] = { SP804_PERIPHID0_VAL, SP804_PERIPHID1_VAL,
					   SP804_PERIPHID2_VAL, SP804_PERIPHID3_VAL };
	static const uint8_t pcell[4] = { SP804_PCELLID0_VAL, SP804_PCELLID1_VAL,
					  SP804_PCELLID2_VAL, SP804_PCELLID3_VAL };

	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < SP804_NTIMERS; i++) {
		m->t[i].control = SP804_CTRL_RESET;
		m->t[i].value = VALUE_RESET;
	}
	memcpy(m->periph_id, periph, sizeof(periph));
	memcpy(m->pcell_id, pcell, sizeof(pcell));
}

static uint32_t counter_mask(const struct model_timer *t)
{
	return t->control & SP804_CTRL_TIMERSIZE ? SP804_MAX_COUNT_32 : SP804_MAX_COUNT_16;
}

static uint32_t timer_read(struct sp804_model *m, struct model_timer *t, uint32_t reg)
{
	switch (reg) {
	case SP804_LOAD:
	case SP804_BGLOAD:
		return t->load;
	case SP804_VALUE:
		return t->value;
	case SP804_CONTROL:
		return t->control;
	case SP804_RIS:
		return t->ris ? SP804_INT_BIT : 0;
	case SP804_MIS:
		return t->ris && (t->control & SP804_CTRL_INTENABLE) ? SP804_INT_BIT : 0;
	default:	/* IntClr is write-only */
		m->bad_accesses++;
		return 0;
	}
}

static void timer_write(struct sp804_model *m, struct model_timer *t, uint32_t reg,
			uint32_t val)
{
	switch (reg) {
	case SP804_LOAD:
		t->load = val;
		t->value = val;
		if (val == 0)
			t->ris = true;
		break;
	case SP804_BGLOAD:
		t->load = val;
		break;
	case SP804_CONTROL:
		t->control = val & SP804_CTRL_DEFINED;
		break;
	case SP804_INTCLR:
		t->ris = false;
		break;
	default:	/* Value, RIS and MIS are read-only */
		m->bad_accesses++;
	}
}

static uint32_t id_read(const uint8_t *ids, uint32_t off)
{
	return off % SP804_ID_STRIDE ? 0 : ids[off / SP804_ID_STRIDE];
}

uint32_t model_read(void *ctx, uint32_t off)
{
	struct sp804_model *m = ctx;

	if (off < TIMER_WINDOW && off % sizeof(uint32_t) == 0)
		return timer_read(m, &m->t[off / SP804_TIMER_STRIDE], off % SP804_TIMER_STRIDE);
	if (off >= SP804_PERIPHID0 && off < SP804_PERIPHID0 + ID_WINDOW)
		return id_read(m->periph_id, off - SP804_PERIPHID0);
	if (off >= SP804_PCELLID0 && off < SP804_PCELLID0 + ID_WINDOW)
		return id_read(m->pcell_id, off - SP804_PCELLID0);
	if (off == SP804_ITCR)
		return m->itcr;
	m->bad_accesses++;
	return 0;
}

void model_write(void *ctx, uint32_t off, uint32_t val)
{
	struct sp804_model *m = ctx;

	m->writes++;
	if (off < TIMER_WINDOW && off % sizeof(uint32_t) == 0)
		timer_write(m, &m->t[off / SP804_TIMER_STRIDE], off % SP804_TIMER_STRIDE, val);
	else if (off == SP804_ITCR)
		m->itcr = val & ITCR_DEFINED;
	else if (off != SP804_ITOP)
		m->bad_accesses++;
}

/* The reload after zero, one count; false if a one-shot halts instead. */
static bool reload(struct model_timer *t, uint32_t mask, uint32_t *cur)
{
	if (t->control & SP804_CTRL_ONESHOT)
		return false;
	*cur = t->control & SP804_CTRL_TIMERMODE ? t->load & mask : mask;
	return true;
}

/* Apply counts decrements to t's counter. */
static void count(struct model_timer *t, uint64_t counts)
{
	uint32_t mask = counter_mask(t);
	uint32_t cur = t->value & mask;

	while (counts > 0) {
		if (cur == 0) {
			if (!reload(t, mask, &cur))
				break;
			counts--;
			/*
			 * From here the count repeats with a period of
			 * reload + 1 (a reload of 0 stays at 0): skip whole
			 * periods, each of which raises the interrupt.
			 */
			if (cur != 0 && counts > (uint64_t)cur) {
				uint64_t period = (uint64_t)cur + 1;

				if (counts >= period)
					t->ris = true;
				counts %= period;
			}
			continue;
		}
		uint64_t step = counts < cur ? counts : cur;

		cur -= (uint32_t)step;
		counts -= step;
		if (cur == 0)
			t->ris = true;
	}
	t->value = (t->value & ~mask) | cur;
}

void model_advance(struct sp804_model *m, uint64_t cycles)
{
	for (unsigned i = 0; i < SP804_NTIMERS; i++) {
		struct model_timer *t = &m->t[i];
		unsigned code = (t->control & SP804_CTRL_TIMERPRE_MASK) >> SP804_CTRL_TIMERPRE_SHIFT;
		/* "11" is undefined; this model divides by 256 as for "10". */
		unsigned shift = (code == SP804_PRE_UNDEFINED ? SP804_PRE_256 : code) *
				 SP804_PRE_STEP_SHIFT;
		uint64_t total;

		if (!(t->control & SP804_CTRL_TIMEREN))
			continue;
		/* A phase left by a coarser prescaler wraps into the finer one. */
		total = (t->prescale_phase & ((1ull << shift) - 1)) + cycles;
		t->prescale_phase = total & ((1ull << shift) - 1);
		count(t, total >> shift);
	}
}

bool model_irq(const struct sp804_model *m, unsigned timer)
{
	const struct model_timer *t = &m->t[timer];

	return t->ris && (t->control & SP804_CTRL_INTENABLE);
}

const struct sp804_regs_ops model_ops = { .read = model_read, .write = model_write };
