/*
 * kernel/boottime.c: the boot's stage marks (kernel/boottime.h): a small
 * table of counter readings, written by the boot CPU alone before any
 * other CPU or process runs, and printed on request.
 */
#include "kernel/boottime.h"
#include "kernel/lib/types.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "asm/cpu.h"

/* More than kmain has stages; extra marks are dropped. */
#define BOOTTIME_MAX_STAGES 24

static struct {
	const char *stage;
	uint64_t count;	/* CNTVCT_EL0 when the stage ended */
} marks[BOOTTIME_MAX_STAGES];
static unsigned nmarks;

void boottime_mark(const char *stage)
{
	if (nmarks < BOOTTIME_MAX_STAGES)
		marks[nmarks++] = (typeof(marks[0])){ stage, read_sysreg(cntvct_el0) };
}

void boottime_print(void)
{
	uint64_t prev = 0;	/* the counter starts at reset */

	for (unsigned i = 0; i < nmarks; i++) {
		printk("boottime: %-20s %8lu us (at %lu us)\n", marks[i].stage,
		       timer_count_to_ns(marks[i].count - prev) / NSEC_PER_USEC,
		       timer_count_to_ns(marks[i].count) / NSEC_PER_USEC);
		prev = marks[i].count;
	}
}
