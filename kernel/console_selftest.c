/*
 * kernel/console_selftest.c: self-test that console output does not mask
 * interrupts on the printing thread's behalf, and that a printk arriving
 * while the console is busy (as from an interrupt handler on the same CPU)
 * neither deadlocks nor gets lost. A probe console stands in front of the
 * real one for the test.
 */
#include "kernel/selftest.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "asm/cpu.h"
#include <string.h>

#define PLAIN_LINE "console selftest: a line\n"
#define OUTER_LINE "console selftest: outer line\n"
#define NESTED_LINE "console selftest: nested line\n"

static const struct console *real;
static volatile bool called, masked, nest_pending, nested_seen;

static bool chunk_has(const char *s, size_t n, const char *text)
{
	size_t len = strlen(text);

	for (size_t i = 0; i + len <= n; i++)
		if (memcmp(s + i, text, len) == 0)
			return true;
	return false;
}

static void probe_write(const struct console *c, const char *s, size_t n)
{
	(void)c;
	called = true;
	masked |= irqs_disabled() != 0;
	nested_seen |= chunk_has(s, n, NESTED_LINE);
	real->write(real, s, n);
	/* What an interrupt handler printing now would do. */
	if (nest_pending && chunk_has(s, n, OUTER_LINE)) {
		nest_pending = false;
		printk(NESTED_LINE);
	}
}

static const struct console probe = { .name = "selftest-probe", .write = probe_write };

static int test_console_output(void)
{
	real = console_active();
	if (!real)
		return selftest_skip("no console");
	SELFTEST_CHECK(!irqs_disabled(), "interrupts are masked");
	called = masked = nested_seen = false;
	console_register(&probe);
	printk(PLAIN_LINE);
	/* Nesting is tried only where output leaves interrupts alone: with a
	 * lock held across it (as before), it would deadlock. */
	if (called && !masked) {
		nest_pending = true;
		printk(OUTER_LINE);
	}
	console_register(real);
	SELFTEST_CHECK(called, "the console was not written");
	SELFTEST_CHECK(!masked, "the console was written with interrupts masked");
	SELFTEST_CHECK(nested_seen, "a line printed during console output was not shown");
	return 0;
}
SELFTEST(st_console, "console output unmasked", test_console_output);
