/*
 * kernel/smp_ipi.c: inter-processor interrupts (see smp.h). The root
 * interrupt chip raises one interrupt on the target (a GIC SGI, a BCM2836
 * mailbox: irq_chip.kick); what it means is the target's ipi_pending bits,
 * set before the kick and taken all at once by the handler. Also stopping
 * every CPU on panic, each reporting its registers in turn.
 */
#include "kernel/smp.h"
#include "kernel/percpu.h"
#include "kernel/irq.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "asm/cpu.h"

#define STOP_REPORT_TIMEOUT_MS 1000 /* per CPU: one register dump on a slow UART */
#define NO_CPU UINT32_MAX

/* Whose turn it is to print its stop report (atomic); NO_CPU: nobody's. */
static unsigned report_turn = NO_CPU;
/* Set by each stopped CPU once its report is out (atomic). */
static bool reported[MAX_CPUS];
static bool stop_quietly; /* atomic: halt(), not panic: no reports */

void smp_send_ipi(unsigned id, enum ipi ipi)
{
	const struct irq_chip *chip = irq_chip();

	if (!smp_cpu_online(id) || !chip || !chip->kick)
		return;
	__atomic_or_fetch(&cpus[id].ipi_pending, 1u << ipi, __ATOMIC_RELEASE);
	chip->kick(id);
}

/* Waits (bounded) until asked to report, prints, then stops for good. */
static __noreturn void stop_this_cpu(const struct trap_frame *tf)
{
	struct cpu *c = this_cpu();
	uint64_t deadline = timer_deadline_after_ns(
		(uint64_t)STOP_REPORT_TIMEOUT_MS * MAX_CPUS * NSEC_PER_MSEC);

	irq_disable();
	if (!__atomic_load_n(&stop_quietly, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&report_turn, __ATOMIC_ACQUIRE) != c->id &&
		       timer_now() < deadline)
			__asm__ volatile("yield");
		panic_report_cpu(tf);
	}
	__atomic_store_n(&reported[c->id], true, __ATOMIC_RELEASE);
	timer_stop();
	for (;;)
		wfi();
}

void smp_ipi_interrupt(void)
{
	struct cpu *c = this_cpu();
	unsigned pending = __atomic_exchange_n(&c->ipi_pending, 0, __ATOMIC_ACQUIRE);

	if (pending & (1u << IPI_STOP))
		stop_this_cpu(c->irq_tf);
	if (pending & (1u << IPI_PANIC_DEMO))
		panic("selftest: deliberate panic on CPU %u (selftest=smppanic)", c->id);
	if (pending & (1u << IPI_PING))
		__atomic_add_fetch(&c->ipi_pings, 1, __ATOMIC_RELEASE);
	if (pending & (1u << IPI_RESCHEDULE))
		c->need_resched = true; /* acted on as the interrupt returns */
}

static void ipi_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	smp_ipi_interrupt();
}

int smp_ipi_init(void)
{
	const struct irq_chip *chip = irq_chip();

	if (!chip || !chip->kick)
		return -EOPNOTSUPP;
	return irq_request(chip->ipi_irq, true, ipi_irq, NULL);
}

void smp_stop_others(bool report)
{
	unsigned self = this_cpu()->id;

	__atomic_store_n(&stop_quietly, !report, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (i != self)
			smp_send_ipi(i, IPI_STOP);
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		uint64_t deadline;

		if (i == self || !smp_cpu_online(i))
			continue;
		deadline = timer_deadline_after_ns((uint64_t)STOP_REPORT_TIMEOUT_MS * NSEC_PER_MSEC);
		__atomic_store_n(&report_turn, i, __ATOMIC_RELEASE);
		while (!__atomic_load_n(&reported[i], __ATOMIC_ACQUIRE) && timer_now() < deadline)
			__asm__ volatile("yield");
		if (report && !__atomic_load_n(&reported[i], __ATOMIC_ACQUIRE))
			printk("CPU %u: did not stop in %u ms (interrupts masked?)\n", i,
			       STOP_REPORT_TIMEOUT_MS);
	}
}

/* A second CPU panicking while the first reports: it waits for its turn
 * like a stopped CPU, with its own backtrace instead of an interrupt frame. */
void smp_panic_secondary(void)
{
	stop_this_cpu(NULL);
}
