/*
 * kernel/panic.h: stopping the kernel with a report: the message, the
 * registers of a trap, and a backtrace by frame pointers with symbol names
 * (kernel/ksyms.c).
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/lib/types.h"

struct trap_frame;

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
__noreturn void panic_trap(const struct trap_frame *tf, const char *what);
/* Prints the frame-pointer chain starting at fp. */
void backtrace_from(uint64_t fp);
/* Stops every CPU for good, interrupts masked, after telling the person at
 * the console how to leave QEMU (Ctrl-A X). */
__noreturn void halt(void);
/* A CPU stopped by another's panic prints its registers (tf: where the stop
 * interrupt found it; NULL: its own backtrace), kernel/smp_ipi.c. */
void panic_report_cpu(const struct trap_frame *tf);

#endif
