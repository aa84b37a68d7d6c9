/*
 * kernel/smp_selftest.c: self-tests of the secondary CPUs (kernel/smp.h):
 * an IPI reaches every other CPU and is handled there, each CPU's tick
 * runs; and selftest=smppanic, a panic on the last CPU that must stop and
 * report every other one.
 */
#include "kernel/selftest.h"
#include "kernel/smp.h"
#include "kernel/percpu.h"
#include "kernel/panic.h"
#include "kernel/timer.h"
#include "asm/cpu.h"

#define SMP_SELFTEST_WAIT_MS 1000 /* one IPI or two ticks, on a loaded host */
#define SMP_SELFTEST_TICKS 2

/* Spins until *v is at least want or the deadline passes. */
static bool wait_at_least(const void *v, uint64_t want, bool wide, uint64_t deadline)
{
	for (;;) {
		uint64_t now = wide ? __atomic_load_n((const uint64_t *)v, __ATOMIC_ACQUIRE)
				    : __atomic_load_n((const unsigned *)v, __ATOMIC_ACQUIRE);

		if (now >= want)
			return true;
		if (timer_now() >= deadline)
			return false;
		__asm__ volatile("yield");
	}
}

static int test_ipi(void)
{
	unsigned self = this_cpu()->id;

	for (unsigned i = 0; i < MAX_CPUS; i++) {
		uint64_t deadline = timer_deadline_after_ns(SMP_SELFTEST_WAIT_MS * NSEC_PER_MSEC);
		unsigned before = __atomic_load_n(&cpus[i].ipi_pings, __ATOMIC_ACQUIRE);
		uint64_t ticks = __atomic_load_n(&cpus[i].ticks, __ATOMIC_RELAXED);

		if (i == self || !smp_cpu_online(i))
			continue;
		smp_send_ipi(i, IPI_PING);
		SELFTEST_CHECK(wait_at_least(&cpus[i].ipi_pings, before + 1, false, deadline),
			       "CPU %u did not take an IPI in %u ms", i, SMP_SELFTEST_WAIT_MS);
		SELFTEST_CHECK(wait_at_least(&cpus[i].ticks, ticks + SMP_SELFTEST_TICKS, true, deadline),
			       "CPU %u's tick does not run", i);
	}
	return 0;
}
SELFTEST(selftest_ipi, "ipi and tick on every cpu", test_ipi);

void selftest_smp_panic_demo(void)
{
	unsigned last = 0;

	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (smp_cpu_online(i))
			last = i;
	if (last == 0)
		panic("selftest: deliberate panic on CPU 0 (selftest=smppanic, one CPU)");
	smp_send_ipi(last, IPI_PANIC_DEMO);
	for (;;) /* interrupts on: CPU `last`'s stop IPI must reach us */
		wfi();
}
