/*
 * kernel/console.c: the active kernel console (see console.h).
 *
 * Output. The kernel log is the queue: printk appends a line to it (a short
 * critical section) and then, unless another context is already at it,
 * drains what the console has not shown yet. At most one context drains at
 * a time (it owns drain_busy); any other only appends and leaves, since
 * the owner rechecks the log's end before it lets go. So no lock is held
 * and no interrupt masked on anybody's behalf while the UART is polled: a
 * thread drains with interrupts as it had them (on), and an interrupt
 * handler that prints while a thread drains only appends. A panic may take
 * the console over from an owner that will never run again.
 */
#include "kernel/console.h"
#include "kernel/klog.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "sched/waitq.h"
#include "kernel/scheme/poll.h"

#define DRAIN_CHUNK 256
#define INPUT_SIZE 1024 /* bytes of typed-ahead input kept */

static spinlock_t input_lock = SPINLOCK_INIT("console-input");
/* Guarded by input_lock: */
static char input_buf[INPUT_SIZE];
static size_t input_head, input_count;
static struct waitq input_wait = WAITQ_INIT;
static struct pollq input_pq = POLLQ_INIT("console-input-poll"); /* its own lock */

static uint32_t drain_busy; /* atomic: 1 while a context owns the console */
/* Written only by the drain_busy holder; accessed atomically, since
 * console_active and a flush's last look read them without owning it: */
static const struct console *active;
static uint64_t shown; /* log position the console has shown up to */
static bool panicking; /* atomic: a panic owns the console for good */

static bool claim(void)
{
	return __atomic_exchange_n(&drain_busy, 1, __ATOMIC_ACQUIRE) == 0 ||
		__atomic_load_n(&panicking, __ATOMIC_RELAXED);
}

static void release(void)
{
	__atomic_store_n(&drain_busy, 0, __ATOMIC_RELEASE);
}

/* Spins until this context owns the console. Thread context only: an
 * interrupt handler could spin forever on the thread it interrupted. */
static void claim_wait(void)
{
	while (!claim())
		;
}

/* Shows the log from shown to its end on the active console; owner only. */
static void drain_owned(void)
{
	char chunk[DRAIN_CHUNK];
	const struct console *c = __atomic_load_n(&active, __ATOMIC_RELAXED);

	while (c) {
		uint64_t pos = __atomic_load_n(&shown, __ATOMIC_RELAXED), end = klog_end();
		size_t n;

		if (pos >= end)
			return;
		/* Text the ring overwrote before it was shown is gone. */
		if (pos < klog_start())
			pos = klog_start();
		n = klog_read(pos, chunk, MIN(sizeof(chunk), end - pos));
		if (n == 0)
			return;
		c->write(c, chunk, n);
		__atomic_store_n(&shown, pos + n, __ATOMIC_RELAXED);
	}
}

/* Whether the log holds text an active console has not shown. */
static bool backlog(void)
{
	return __atomic_load_n(&active, __ATOMIC_RELAXED) &&
		__atomic_load_n(&shown, __ATOMIC_RELAXED) < klog_end();
}

void console_flush(void)
{
	do {
		/* Pairs with the fence below: either the owner sees what the
		 * caller appended, or the caller sees the console free. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!claim())
			return; /* the owner shows it */
		drain_owned();
		release();
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while (backlog());
}

void console_register(const struct console *c)
{
	claim_wait();
	/* The first console shows the log from the start (shown is 0). */
	__atomic_store_n(&active, c, __ATOMIC_RELAXED);
	release();
	console_flush();
}

void console_write(const char *s, size_t n)
{
	const struct console *c;

	claim_wait();
	drain_owned(); /* the kernel's lines so far come first */
	c = __atomic_load_n(&active, __ATOMIC_RELAXED);
	if (c)
		c->write(c, s, n);
	release();
	console_flush();
}

void console_panic(void)
{
	__atomic_store_n(&panicking, true, __ATOMIC_RELAXED);
}

const struct console *console_active(void)
{
	return __atomic_load_n(&active, __ATOMIC_RELAXED);
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
	pollq_wake(&input_pq, POLLIN);
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

unsigned console_poll_input(struct poll_table *pt)
{
	uint64_t flags;
	bool ready;

	poll_wait(pt, &input_pq);
	flags = spin_lock_irqsave(&input_lock);
	ready = input_count != 0;
	spin_unlock_irqrestore(&input_lock, flags);
	return ready ? POLLIN : 0;
}
