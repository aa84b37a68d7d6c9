/*
 * kernel/panic.c: the panic report, the frame-pointer backtrace, and halt()
 * (which ends by saying how to leave QEMU). Frame
 * records (AAPCS64 6.4.6) are {previous x29, return address} pairs that x29
 * points to; exception entry adds one for the interrupted code (vectors.S).
 * With SMP the first CPU to panic stops the others at once (they wait for
 * their turn with interrupts masked, touching no lock), busts the log's
 * and console's locks (a bounded wait, then regardless: kernel/klog.c,
 * console.c), reports, then has the others report their registers one at
 * a time (kernel/smp_ipi.c); a CPU panicking meanwhile joins them. Each
 * report also holds report_owner while it prints, so two never mix even
 * when a turn timed out.
 */
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/ksyms.h"
#include "kernel/console.h"
#include "kernel/klog.h"
#include "kernel/timer.h"
#include "kernel/smp.h"
#include "kernel/percpu.h"
#include "kernel/lib/spinlock.h"
#include "mm/vm.h"
#include "mm/layout.h"
#include "asm/trap.h"
#include "asm/cpu.h"
#include <stdarg.h>

#define BACKTRACE_MAX_FRAMES 32
#define FRAME_RECORD_ALIGN 8

static void print_frame(int n, uint64_t pc)
{
	uint64_t off;
	const char *name = ksym_lookup(pc, &off);

	if (name)
		printk("  #%-2d 0x%016lx %s+%#lx\n", n, pc, name, off);
	else
		printk("  #%-2d 0x%016lx ?\n", n, pc);
}

/* A frame record must be aligned, in the kernel half, and mapped. */
static bool frame_record_ok(uint64_t fp)
{
	return fp && IS_ALIGNED(fp, FRAME_RECORD_ALIGN) && va_is_kernel(fp) &&
		vm_translate(ALIGN_DOWN(fp, PAGE_SIZE), NULL, NULL) == 0 &&
		vm_translate(ALIGN_DOWN(fp + 8, PAGE_SIZE), NULL, NULL) == 0;
}

static void walk(uint64_t fp, int first)
{
	for (int n = first; n < BACKTRACE_MAX_FRAMES && frame_record_ok(fp); n++) {
		const uint64_t *rec = (const uint64_t *)fp;
		uint64_t lr = rec[1];

		if (!lr)
			break;
		/* The return address is one instruction past the call. */
		print_frame(n, lr - 4);
		if (rec[0] <= fp)
			break; /* frames grow upwards; anything else is corrupt */
		fp = rec[0];
	}
}

void backtrace_from(uint64_t fp)
{
	printk("Backtrace:\n");
	walk(fp, 0);
}

/* Every stop for good ends with this: under QEMU -nographic (make run) the
 * terminal belongs to QEMU, and nothing else says how to get it back. */
#define HALT_HINT "To leave QEMU: press Ctrl-A, then X.\n"
#define NO_CPU UINT32_MAX

static unsigned panic_cpu = NO_CPU; /* atomic: the CPU whose report leads */
/* Atomic: the CPU printing a report now; NO_CPU: none. Waited for with a
 * bound (the holder may be stuck), then taken regardless. */
static unsigned report_owner = NO_CPU;
/* A whole report of the longest kind on a 115200-baud UART takes ~0.2 s. */
#define REPORT_WAIT_NS (2000 * NSEC_PER_MSEC)

static void report_begin(void)
{
	uint64_t deadline = timer_deadline_after_ns(REPORT_WAIT_NS);
	unsigned expect = NO_CPU;

	while (!__atomic_compare_exchange_n(&report_owner, &expect, this_cpu()->id, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		if (timer_now() >= deadline) {
			__atomic_store_n(&report_owner, this_cpu()->id, __ATOMIC_RELAXED);
			return;
		}
		expect = NO_CPU;
		__asm__ volatile("yield");
	}
}

static void report_end(void)
{
	unsigned self = this_cpu()->id;

	__atomic_compare_exchange_n(&report_owner, &self, NO_CPU, false, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
}

/* Stops every other CPU now; each reports when smp_stop_others gives it
 * its turn (the IPI there again finds it stopped already). */
static void stop_others_early(void)
{
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (i != this_cpu()->id)
			smp_send_ipi(i, IPI_STOP);
}

/* The caller stops for good; the other CPUs already were. */
static __noreturn void halt_self(void)
{
	printk(HALT_HINT);
	/* A pending interrupt ends WFI even while masked: silence the tick. */
	timer_stop();
	for (;;)
		wfi();
}

void halt(void)
{
	irq_disable();
	smp_stop_others(false);
	halt_self();
}

/* Claims the report for this CPU; another CPU's panic came first: report
 * in its turn and stop (never returns then). */
static void claim_report(void)
{
	unsigned expect = NO_CPU;

	irq_disable();
	lockdep_disable();
	if (!__atomic_compare_exchange_n(&panic_cpu, &expect, this_cpu()->id, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		smp_panic_secondary();
	stop_others_early();
	klog_panic();
	console_panic();
	report_begin();
}

/* Stops the other CPUs, each reporting, then this one. */
static __noreturn void stop_all(void)
{
	report_end();
	smp_stop_others(true);
	printk("System halted.\n");
	halt_self();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	claim_report();
	printk("\nPANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	if (smp_online_cpus() > 1)
		printk("on CPU %u\n", this_cpu()->id);
	backtrace_from((uint64_t)__builtin_frame_address(0));
	stop_all();
}

void panic_trap(const struct trap_frame *tf, const char *what)
{
	claim_report();
	printk("\nPANIC: unexpected exception: %s\n", what);
	if (smp_online_cpus() > 1)
		printk("on CPU %u\n", this_cpu()->id);
	trap_dump(tf);
	printk("Backtrace:\n");
	print_frame(0, tf->elr);
	/* x29 at the fault is the faulting function's own frame record, whose
	 * return address is its caller. In a leaf without a frame, x30 is. */
	walk(tf->x[29], 1);
	stop_all();
}

void panic_report_cpu(const struct trap_frame *tf)
{
	report_begin();
	printk("CPU %u stopped%s:\n", this_cpu()->id, tf ? "" : " (it panicked too)");
	if (!tf) {
		backtrace_from((uint64_t)__builtin_frame_address(0));
	} else {
		trap_dump(tf);
		printk("Backtrace:\n");
		print_frame(0, tf->elr);
		walk(tf->x[29], 1);
	}
	report_end();
}
