/*
 * kernel/selftest.h: in-kernel self-tests, run with the `selftest` command
 * line word. Each subsystem declares its tests next to its code; the linker
 * gathers them (.selftests) and kernel/selftest.c runs them in link order,
 * one line each ("selftest: NAME ok", "... FAIL: reason" or "... skipped
 * (reason)"), then the summary line "N passed, M failed, K skipped".
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include "kernel/lib/types.h"

struct selftest {
	const char *name;
	/* 0 on success; on failure, return selftest_fail() to say why; where
	 * the machine lacks what the test needs, return selftest_skip(). */
	int (*fn)(void);
};

/* Not applicable on this machine: reported and counted as skipped. */
#define SELFTEST_SKIP 1

#define SELFTEST(sym, label, func) \
	static const struct selftest sym __attribute__((used, section(".selftests"), aligned(8))) = \
		{ .name = (label), .fn = (func) }

/* Records why the running test failed; returns -1 for `return selftest_fail(...)`. */
int selftest_fail(const char *fmt, ...) __printf(1, 2);
/* Records why the running test does not apply here; returns SELFTEST_SKIP. */
int selftest_skip(const char *fmt, ...) __printf(1, 2);
#define SELFTEST_CHECK(cond, ...) do { if (!(cond)) return selftest_fail(__VA_ARGS__); } while (0)

/* Runs every test; returns the number that failed. */
int selftest_run_all(void);
/* selftest=fault: a data abort in a named kernel function (never returns). */
__noreturn void selftest_fault_demo(void);
/* selftest=overflow: a kernel stack overflow into its guard (never returns). */
__noreturn void selftest_overflow_demo(void);
/* selftest=stack: a smashed stack canary, which __stack_chk_fail reports
 * naming the function (never returns). */
__noreturn void selftest_stack_demo(void);
/* selftest=smppanic: a panic on the last CPU, which stops and reports every
 * other (kernel/smp_selftest.c; never returns). */
__noreturn void selftest_smp_panic_demo(void);
/* selftest=klogpanic: this CPU holds klog_lock for good (interrupts
 * masked) while the last CPU panics; selftest=klogpanicself (self): this
 * CPU panics holding it (kernel/klog.c; never returns). */
__noreturn void selftest_klog_panic_demo(bool self);
/* selftest=lockorder (order) and selftest=lockhold: a lock-order violation
 * and a lock held too long, which a DEBUG_LOCKS kernel turns into a panic
 * (kernel/lockdep.c); otherwise it says so and returns. */
void selftest_lock_demo(bool order);

#endif
