/*
 * kernel/selftest.c: runs the registered self-tests (see selftest.h).
 */
#include "kernel/selftest.h"
#include "kernel/printk.h"
#include "kernel/lib/format.h"
#include <stdarg.h>

#define REASON_MAX 160
/* An address in the kernel half that nothing maps (just below the image). */
#define FAULT_DEMO_ADDRESS 0xfffffefffffff000UL

extern const struct selftest __selftests_start[], __selftests_end[];

static char reason[REASON_MAX]; /* why the running test failed or skipped; boot CPU only */

static void set_reason(const char *fmt, va_list ap)
{
	kvsnprintf(reason, sizeof(reason), fmt, ap);
}

int selftest_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_reason(fmt, ap);
	va_end(ap);
	return -1;
}

int selftest_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_reason(fmt, ap);
	va_end(ap);
	return SELFTEST_SKIP;
}

static const char *reason_text(void)
{
	return reason[0] ? reason : "(no reason)";
}

int selftest_run_all(void)
{
	int passed = 0, failed = 0, skipped = 0;

	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		int r;

		reason[0] = '\0';
		r = t->fn();
		if (r == 0) {
			printk("selftest: %-28s ok\n", t->name);
			passed++;
		} else if (r == SELFTEST_SKIP) {
			printk("selftest: %-28s skipped (%s)\n", t->name, reason_text());
			skipped++;
		} else {
			printk("selftest: %-28s FAIL: %s\n", t->name, reason_text());
			failed++;
		}
	}
	printk("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed;
}

/* Kept out of line so the backtrace shows it by name. */
__noinline void selftest_fault_victim(volatile uint64_t *p);
__noinline void selftest_fault_victim(volatile uint64_t *p)
{
	printk("selftest: writing to unmapped %p from selftest_fault_victim\n", (void *)p);
	*p = 0xdead;
}

void selftest_fault_demo(void)
{
	selftest_fault_victim((volatile uint64_t *)FAULT_DEMO_ADDRESS);
	printk("selftest: the fault did not happen\n");
	for (;;)
		;
}

#define OVERFLOW_FRAME_BYTES 512

/* Recurses until the stack runs into its guard; the array keeps each frame
 * large and the volatile accesses keep the compiler from flattening it. */
__noinline uint64_t selftest_overflow_recurse(uint64_t depth);
__noinline uint64_t selftest_overflow_recurse(uint64_t depth)
{
	volatile uint8_t frame[OVERFLOW_FRAME_BYTES];

	frame[0] = (uint8_t)depth;
	/* Bounded only by the stack: far deeper than any stack could hold. */
	if (depth == UINT64_MAX)
		return frame[0];
	return selftest_overflow_recurse(depth + 1) + frame[0];
}

void selftest_overflow_demo(void)
{
	printk("selftest: recursing in selftest_overflow_recurse until the stack overflows\n");
	selftest_overflow_recurse(0);
	printk("selftest: the stack did not overflow\n");
	for (;;)
		;
}

/* Bytes written from the start of a 16-byte array: past it, through the
 * guard GCC puts right above it. */
#define SMASH_ARRAY_BYTES 16
#define SMASH_WRITE_BYTES 32
#define SMASH_FILL 0x5a

/* Protected (it has an array); the bound comes in through a volatile so the
 * compiler cannot see the overflow and refuse or drop it. */
__noinline void selftest_stack_smash(volatile size_t n);
__noinline void selftest_stack_smash(volatile size_t n)
{
	char buf[SMASH_ARRAY_BYTES];
	volatile char *p = buf;

	printk("selftest: writing %zu bytes into a %d-byte array in selftest_stack_smash\n",
	       (size_t)n, SMASH_ARRAY_BYTES);
	for (size_t i = 0; i < n; i++)
		p[i] = SMASH_FILL;
}

void selftest_stack_demo(void)
{
	selftest_stack_smash(SMASH_WRITE_BYTES);
	printk("selftest: the stack protector did not fire\n");
	for (;;)
		;
}
