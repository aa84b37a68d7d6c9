/*
 * mm/asid_selftest.c: self-test of ASID generations (mm/asid.c) on this
 * CPU: address spaces switched in one after another get distinct ASIDs
 * within a generation; once the space is used up a new generation starts,
 * and the space this CPU was running at the rollover keeps its number in
 * the new one (reserved), never given to another. With the full 16-bit
 * space the rollover part needs asid_bits=N (tests/qemu/test_asid.py).
 */
#include "kernel/selftest.h"
#include "mm/asid.h"
#include "mm/uvm.h"
#include "asm/cpu.h"
#include <string.h>

#define SELFTEST_ASID_SPACES 300  /* spaces switched through (> 16 and 256) */
#define SELFTEST_ASID_MAP_WORDS ((1U << 16) / 64)

static uint64_t seen[SELFTEST_ASID_MAP_WORDS]; /* ASIDs given this generation */

static bool seen_test_set(uint16_t asid)
{
	bool was = seen[asid / 64] & (1UL << (asid % 64));

	seen[asid / 64] |= 1UL << (asid % 64);
	return was;
}

/* Masked: the whole run must stay on one CPU, whose active ASID it checks. */
static int switch_through_locked(unsigned *rolled)
{
	struct aspace *prev = NULL, *cur;
	int err = 0;

	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < SELFTEST_ASID_SPACES && !err; i++) {
		uint64_t before = asid_rollovers();
		uint16_t asid, prev_asid = prev ? asid_of(&prev->context) : 0;

		cur = aspace_create();
		if (!cur) {
			err = selftest_fail("aspace_create %u failed", i);
			break;
		}
		aspace_activate(cur);
		asid = asid_of(&cur->context);
		if (asid == 0 || asid >= asid_count())
			err = selftest_fail("space %u got ASID %u of %u", i, asid, asid_count());
		if (asid_rollovers() != before) {
			(*rolled)++;
			memset(seen, 0, sizeof(seen));
			/* prev was running here at the rollover: reserved. */
			aspace_activate(prev);
			if (prev && asid_of(&prev->context) != prev_asid)
				err = selftest_fail("running space's ASID %u became %u at a rollover",
						    prev_asid, asid_of(&prev->context));
			if (prev)
				seen_test_set(prev_asid);
			aspace_activate(cur);
		}
		if (!err && seen_test_set(asid))
			err = selftest_fail("ASID %u given twice in one generation (space %u)", asid, i);
		aspace_activate(NULL);
		aspace_destroy(prev);
		prev = cur;
	}
	aspace_activate(NULL);
	aspace_destroy(prev);
	return err;
}

static int test_asid_generations(void)
{
	uint64_t irq = irq_save();
	unsigned rolled = 0;
	int err = switch_through_locked(&rolled);

	irq_restore(irq);
	if (err)
		return err;
	if (asid_count() < SELFTEST_ASID_SPACES)
		SELFTEST_CHECK(rolled >= SELFTEST_ASID_SPACES / asid_count(),
			       "%u spaces through %u ASIDs rolled over only %u times",
			       SELFTEST_ASID_SPACES, asid_count(), rolled);
	return 0;
}
SELFTEST(st_asid, "ASID generations", test_asid_generations);
