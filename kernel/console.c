/*
 * kernel/console.c: the active kernel console (see console.h).
 */
#include "kernel/console.h"
#include "kernel/klog.h"
#include "kernel/spinlock.h"
#include "kernel/errno.h"
#include "sched/waitq.h"

#define REPLAY_CHUNK 256
#define INPUT_SIZE 1024 /* bytes of typed-ahead input kept */

static spinlock_t input_lock = SPINLOCK_INIT("console-input");
/* Guarded by input_lock: */
static char input_buf[INPUT_SIZE];
static size_t input_head, input_count;
static struct waitq input_wait = WAITQ_INIT;

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

void console_start_input(void)
{
	if (active && active->start_input)
		active->start_input(active);
}

void console_input(const char *s, size_t n)
{
	uint64_t flags = spin_lock_irqsave(&input_lock);

	for (size_t i = 0; i < n && input_count < INPUT_SIZE; i++) {
		input_buf[(input_head + input_count) % INPUT_SIZE] = s[i];
		input_count++;
	}
	spin_unlock_irqrestore(&input_lock, flags);
	waitq_wake_all(&input_wait);
}

long console_read(char *buf, size_t n, bool block)
{
	uint64_t flags = spin_lock_irqsave(&input_lock);
	size_t got = 0;

	while (input_count == 0) {
		int err;

		if (!block) {
			spin_unlock_irqrestore(&input_lock, flags);
			return -EAGAIN;
		}
		err = waitq_sleep(&input_wait, &input_lock, 0);
		if (err) {
			spin_unlock_irqrestore(&input_lock, flags);
			return err;
		}
	}
	for (; got < n && input_count; got++) {
		buf[got] = input_buf[input_head];
		input_head = (input_head + 1) % INPUT_SIZE;
		input_count--;
	}
	spin_unlock_irqrestore(&input_lock, flags);
	return (long)got;
}
