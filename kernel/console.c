/*
 * kernel/console.c: the active kernel console (see console.h).
 */
#include "kernel/console.h"
#include "kernel/klog.h"
#include "kernel/spinlock.h"

#define REPLAY_CHUNK 256

static spinlock_t console_lock = SPINLOCK_INIT("console");
static const struct console *active; /* guarded by console_lock */

void console_register(const struct console *c)
{
	char chunk[REPLAY_CHUNK];
	uint64_t flags = spin_lock_irqsave(&console_lock);
	uint64_t pos = klog_start(), end = klog_end();

	active = c;
	/* Whatever was logged before a console existed is shown now. */
	while (pos < end) {
		size_t n = klog_read(pos, chunk, MIN(sizeof(chunk), end - pos));

		if (n == 0)
			break;
		c->write(c, chunk, n);
		pos += n;
	}
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_write(const char *s, size_t n)
{
	uint64_t flags = spin_lock_irqsave(&console_lock);

	if (active)
		active->write(active, s, n);
	spin_unlock_irqrestore(&console_lock, flags);
}

bool console_present(void)
{
	return active != NULL;
}
