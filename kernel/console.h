/*
 * kernel/console.h: the kernel console, the device printk writes to. The
 * early console is the polled PL011 that /chosen/stdout-path names; a
 * user-space serial daemon takes over later. The console shows the kernel
 * log: printk appends to the log, then console_flush shows it. Output runs
 * with no lock held and interrupts as the caller has them (console.c).
 *
 * Hand-over: when a process maps the console's registers through memory:
 * (the serial daemon, drivers/pl011d), the kernel lets go of the device:
 * its input interrupt is freed (the daemon claims it through irq:), printk
 * only appends to the log (the daemon copies it to the terminal from
 * kmsg:), debug: output goes to the log too and debug: input ends (-EIO).
 * Panics and the final power-off/reset lines take the device back
 * (console_reclaim) and are written polled, from where kmsg: readers
 * stopped.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/lib/types.h"

struct console {
	const char *name;
	void (*write)(const struct console *c, const char *s, size_t n);
	/* Optional: turns on interrupt-driven input once interrupts exist. */
	int (*start_input)(const struct console *c);
	/* Optional: masks the device's interrupts and frees the kernel's
	 * handler, at hand-over (thread context). */
	void (*stop_input)(const struct console *c);
	void *priv;
	/* The device's registers (0 size: cannot be handed over) and its
	 * input interrupt once start_input took it (IRQ_NONE before); set by
	 * the driver at boot, read-only afterwards. */
	paddr_t base;
	uint64_t size;
	unsigned irq;
};

/* Makes c the console. The first one shows the kernel log from its start;
 * a later one takes over where the last stopped. */
void console_register(const struct console *c);
/* Shows what the kernel log holds that the console has not shown yet, or
 * leaves that to the context already doing it. Any context. */
void console_flush(void);
/* Writes bytes that bypass the log (user output). Thread context only: it
 * waits for a context that is showing the log on another CPU. */
void console_write(const char *s, size_t n);
/* From here on every flush writes, even if the context that was showing
 * the log was interrupted for good: panic output gets out from anywhere. */
void console_panic(void);
/* Takes a handed-over device back for good (panic, power-off, reset): the
 * log is shown from where kmsg: readers stopped. Any context. */
void console_reclaim(void);
/* Hands the console over to user space if [base, base + len) overlaps its
 * registers (memory:'s map; thread context); nothing otherwise or again. */
void console_handover(paddr_t base, uint64_t len);
/* Whether the console has been handed over (and not reclaimed). */
bool console_handed_over(void);
/* Whether irq is the console's input interrupt: granted with its node, as
 * the kernel frees it at hand-over (kernel/scheme/grant_dt.c). */
bool console_irq_grantable(unsigned irq);
/* The log position a new kmsg: reader starts at: what the console had
 * shown when handed over, or the log's end while the kernel shows it. */
uint64_t console_log_start(void);
/* A kmsg: reader has taken the log up to pos (reclaim shows from there). */
void console_log_taken(uint64_t pos);
/* The console printk shows on; NULL before one is registered. */
const struct console *console_active(void);
/* Starts console input (after the interrupt controller is up). */
void console_start_input(void);
/* Called by the driver with received bytes (interrupt context). */
void console_input(const char *s, size_t n);
/* Takes up to n received bytes; waits for one if block. -EAGAIN when
 * nothing is there and !block; -EIO once handed over and drained. */
long console_read(char *buf, size_t n, bool block);
struct poll_table;
/* Input readiness for debug:'s poll: POLLIN when a byte is buffered,
 * after registering pt (kernel/scheme/poll.h) on the input's pollq. */
unsigned console_poll_input(struct poll_table *pt);

#endif
