/*
 * kernel/console.h: the kernel console, the device printk writes to. The
 * early console is the polled PL011 that /chosen/stdout-path names; a
 * user-space serial daemon takes over later.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

struct console {
	const char *name;
	void (*write)(const struct console *c, const char *s, size_t n);
	/* Optional: turns on interrupt-driven input once interrupts exist. */
	int (*start_input)(const struct console *c);
	void *priv;
};

/* Makes c the console and replays the kernel log written so far to it. */
void console_register(const struct console *c);
void console_write(const char *s, size_t n);
bool console_present(void);
/* Starts console input (after the interrupt controller is up). */
void console_start_input(void);
/* Called by the driver with received bytes (interrupt context). */
void console_input(const char *s, size_t n);
/* Takes up to n received bytes; waits for one if block. -EAGAIN when
 * nothing is there and !block. */
long console_read(char *buf, size_t n, bool block);

#endif
