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
	void *priv;
};

/* Makes c the console and replays the kernel log written so far to it. */
void console_register(const struct console *c);
void console_write(const char *s, size_t n);
bool console_present(void);

#endif
