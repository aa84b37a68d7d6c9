/*
 * kernel/console.h: the kernel console, the device printk writes to. The
 * early console is the polled PL011 that /chosen/stdout-path names; a
 * user-space serial daemon takes over later. The console shows the kernel
 * log: printk appends to the log, then console_flush shows it. Output runs
 * with no lock held and interrupts as the caller has them (console.c).
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/lib/types.h"

struct console {
	const char *name;
	void (*write)(const struct console *c, const char *s, size_t n);
	/* Optional: turns on interrupt-driven input once interrupts exist. */
	int (*start_input)(const struct console *c);
	void *priv;
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
/* The console printk shows on; NULL before one is registered. */
const struct console *console_active(void);
/* Starts console input (after the interrupt controller is up). */
void console_start_input(void);
/* Called by the driver with received bytes (interrupt context). */
void console_input(const char *s, size_t n);
/* Takes up to n received bytes; waits for one if block. -EAGAIN when
 * nothing is there and !block. */
long console_read(char *buf, size_t n, bool block);
struct poll_table;
/* Input readiness for debug:'s poll: POLLIN when a byte is buffered,
 * after registering pt (kernel/scheme/poll.h) on the input's pollq. */
unsigned console_poll_input(struct poll_table *pt);

#endif
