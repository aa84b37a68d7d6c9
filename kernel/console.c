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
 * the console over from an owner that will never run again, after a
 * bounded wait for it (claim).
 */
#include "kernel/console.h"
#include "kernel/klog.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "sched/waitq.h"
#include "kernel/scheme/poll.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/timer.h"

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
/* Atomic: a process owns the device (console_handover) and no panic or
 * power-off took it back. */
static bool handed_over;
/* Atomic: the furthest log position a kmsg: reader has taken. */
static uint64_t log_taken;
/* Written only by the drain_busy holder: the last byte a program wrote to
 * the device (console_write) was not a newline. Kernel text then starts
 * with one, so a kernel line never begins inside a program's line (it
 * cannot wait for the line to end: printk must not block). Once handed
 * over, the log itself keeps that rule (klog_write_user). */
static bool user_line_open;
static const char newline = '\n';

/* In a panic the owner may be a CPU stopped mid-drain (drains run with
 * interrupts on) that will never let go: wait this long, then take over.
 * Waiting at all keeps two CPUs from writing the same text at once. */
#define PANIC_CLAIM_WAIT_NS (100 * NSEC_PER_MSEC)

static bool claim(void)
{
	uint64_t deadline;

	if (__atomic_exchange_n(&drain_busy, 1, __ATOMIC_ACQUIRE) == 0)
		return true;
	if (!__atomic_load_n(&panicking, __ATOMIC_RELAXED))
		return false;
	deadline = timer_deadline_after_ns(PANIC_CLAIM_WAIT_NS);
	while (__atomic_exchange_n(&drain_busy, 1, __ATOMIC_ACQUIRE) && timer_now() < deadline)
		__asm__ volatile("yield");
	return true;
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

	if (console_handed_over())
		return; /* the device is the daemon's; the log keeps the text */
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
		if (user_line_open) {
			c->write(c, &newline, sizeof(newline));
			user_line_open = false;
		}
		c->write(c, chunk, n);
		__atomic_store_n(&shown, pos + n, __ATOMIC_RELAXED);
	}
}

/* Whether the log holds text an active console has not shown. */
static bool backlog(void)
{
	return __atomic_load_n(&active, __ATOMIC_RELAXED) && !console_handed_over() &&
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

	if (console_handed_over()) {
		klog_write_user(s, n); /* kmsg: readers show it on the terminal */
		return;
	}
	claim_wait();
	drain_owned(); /* the kernel's lines so far come first */
	c = __atomic_load_n(&active, __ATOMIC_RELAXED);
	if (c && n) {
		c->write(c, s, n);
		user_line_open = s[n - 1] != '\n';
	}
	release();
	console_flush();
}

void console_panic(void)
{
	console_reclaim();
}

void console_reclaim(void)
{
	/* The owner, if any, may never run again: take the console as is. */
	__atomic_store_n(&panicking, true, __ATOMIC_RELAXED);
	klog_stop_waking();
	if (__atomic_exchange_n(&handed_over, false, __ATOMIC_SEQ_CST)) {
		uint64_t from = __atomic_load_n(&log_taken, __ATOMIC_RELAXED);

		if (from > __atomic_load_n(&shown, __ATOMIC_RELAXED))
			__atomic_store_n(&shown, from, __ATOMIC_RELAXED);
	}
}

bool console_handed_over(void)
{
	return __atomic_load_n(&handed_over, __ATOMIC_ACQUIRE);
}

void console_handover(paddr_t base, uint64_t len)
{
	const struct console *c = __atomic_load_n(&active, __ATOMIC_RELAXED);
	uint64_t flags;

	if (!c || !c->size || len == 0 || base >= c->base + c->size || base + len <= c->base ||
	    console_handed_over() || __atomic_load_n(&panicking, __ATOMIC_RELAXED))
		return;
	claim_wait();
	drain_owned(); /* the lines so far are the kernel's to show */
	if (!__atomic_exchange_n(&handed_over, true, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&log_taken, __atomic_load_n(&shown, __ATOMIC_RELAXED),
				 __ATOMIC_RELAXED);
		if (c->stop_input)
			c->stop_input(c);
	}
	release();
	/* A reader that saw the flag clear is on the queue once the lock is
	 * free (waitq_sleep queues before it lets go): then wake them all. */
	flags = spin_lock_irqsave(&input_lock);
	spin_unlock_irqrestore(&input_lock, flags);
	waitq_wake_all(&input_wait); /* debug: readers end with -EIO */
	pollq_wake(&input_pq, POLLIN);
	printk("console: %s handed over to user space; kernel messages go to the log\n", c->name);
}

bool console_irq_grantable(unsigned irq)
{
	const struct console *c = __atomic_load_n(&active, __ATOMIC_RELAXED);

	return c && c->size && c->irq != IRQ_NONE && c->irq == irq;
}

uint64_t console_log_start(void)
{
	return console_handed_over() ? __atomic_load_n(&log_taken, __ATOMIC_RELAXED) : klog_end();
}

void console_log_taken(uint64_t pos)
{
	uint64_t old = __atomic_load_n(&log_taken, __ATOMIC_RELAXED);

	while (pos > old &&
	       !__atomic_compare_exchange_n(&log_taken, &old, pos, true, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
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

		if (console_handed_over()) {
			spin_unlock_irqrestore(&input_lock, flags);
			return -EIO; /* the terminal is the daemon's now */
		}
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
	ready = input_count != 0 || console_handed_over();
	spin_unlock_irqrestore(&input_lock, flags);
	return ready ? POLLIN : 0;
}
