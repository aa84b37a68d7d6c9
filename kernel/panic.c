/*
 * kernel/panic.c: the panic report, the frame-pointer backtrace, and halt()
 * (which ends by saying how to leave QEMU). Frame
 * records (AAPCS64 6.4.6) are {previous x29, return address} pairs that x29
 * points to; exception entry adds one for the interrupted code (vectors.S).
 */
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/ksyms.h"
#include "kernel/console.h"
#include "kernel/timer.h"
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

void halt(void)
{
	irq_disable();
	printk(HALT_HINT);
	/* A pending interrupt ends WFI even while masked: silence the tick. */
	timer_stop();
	for (;;)
		wfi();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	irq_disable();
	console_panic();
	printk("\nPANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	backtrace_from((uint64_t)__builtin_frame_address(0));
	printk("System halted.\n");
	halt();
}

void panic_trap(const struct trap_frame *tf, const char *what)
{
	irq_disable();
	console_panic();
	printk("\nPANIC: unexpected exception: %s\n", what);
	trap_dump(tf);
	printk("Backtrace:\n");
	print_frame(0, tf->elr);
	/* x29 at the fault is the faulting function's own frame record, whose
	 * return address is its caller. In a leaf without a frame, x30 is. */
	walk(tf->x[29], 1);
	printk("System halted.\n");
	halt();
}
