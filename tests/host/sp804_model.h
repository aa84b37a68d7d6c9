/*
 * tests/host/sp804_model.h: a register-level model of the Arm SP804 dual
 * timer, written from its technical reference manual (ARM DDI 0271D), for
 * the host test of drivers/sp804. Time moves only by model_advance, in
 * TIMCLK cycles. Accesses the TRM does not define (offsets outside the
 * map, writes to read-only registers) are counted in bad_accesses so a
 * test can check the driver never makes one.
 */
#ifndef TESTS_HOST_SP804_MODEL_H
#define TESTS_HOST_SP804_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/sp804/sp804.h"

struct model_timer {
	uint32_t load;		/* the reload value; what Load and BGLoad read */
	uint32_t value;		/* the counter (all 32 bits, see model.c) */
	uint32_t control;
	bool ris;
	uint64_t prescale_phase;	/* TIMCLK cycles into the current stage */
};

struct sp804_model {
	struct model_timer t[SP804_NTIMERS];
	uint8_t periph_id[4];	/* PeriphID0-3, changeable to fake another part */
	uint8_t pcell_id[4];
	uint32_t itcr;
	unsigned bad_accesses;
	unsigned writes;	/* every write, to see that a failed call wrote nothing */
};

/* Reset state (3.3: Control 0x20, counters 0xFFFFFFFF, Load 0). */
void model_reset(struct sp804_model *m);
uint32_t model_read(void *ctx, uint32_t off);
void model_write(void *ctx, uint32_t off, uint32_t val);
/* Move time by cycles of TIMCLK; works in closed form (any count is quick). */
void model_advance(struct sp804_model *m, uint64_t cycles);
/* The timer's interrupt output TIMINTn (= MIS); TIMINTC is their OR. */
bool model_irq(const struct sp804_model *m, unsigned timer);

extern const struct sp804_regs_ops model_ops;

#endif
