/*
 * drivers/pl011d/kmsg.c: the kernel-log thread: copies new kernel log text
 * (kmsg:) to the terminal, which it shares with programs' output, so that
 * neither cuts into the other's lines.
 *
 * A kernel line never lands inside a program's line: while a program's
 * line is open (the last byte it wrote was not a newline: a prompt, a
 * progress line written in pieces), kernel text waits for it to end, for
 * at most KMSG_HOLD_MS; a line still open then is ended with a newline
 * first, so the kernel's line starts at the left margin and the program's
 * text goes on on the next line. A program's line is usually finished in
 * microseconds, so its lines come out whole; a prompt left waiting for
 * input delays kernel messages by at most the hold (they are in the log
 * at once; a panic writes to the UART directly, kernel/console.c). Linux
 * prints console messages wherever the cursor is; here test transcripts
 * and people reading a serial line see both kinds of line whole.
 *
 * The other way round, a program's write never lands inside a kernel
 * line: a read that filled buf (more text is waiting in the log) is
 * queued up to its last newline, the partial line kept in buf for the
 * next read (a read that did not fill buf is all the log had: queued
 * whole, a partial line too, so it shows now); and from the moment kernel
 * text is waiting until it is all queued, a program may only finish the
 * line it has open (kmsg_turn): the rest of its write waits for the
 * kernel's lines, which so go out at the next line end rather than after
 * whatever the program writes next.
 */
#include "pl011d.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KMSG_CHUNK 512   /* a printk line is at most 512 bytes (kernel/printk.c) */
#define KMSG_HOLD_MS 1000
#define MS_NS 1000000L
#define S_NS 1000000000L

static const char newline = '\n';

static struct timespec deadline_after_ms(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t); /* port.space waits on this clock */
	t.tv_nsec += ms * MS_NS;
	t.tv_sec += t.tv_nsec / S_NS;
	t.tv_nsec %= S_NS;
	return t;
}

/* Queues all of buf as kernel output, waiting for space as needed; lock
 * held (released while waiting, kmsg_turn keeping programs out). */
static void queue_all(struct port *p, const char *buf, size_t n)
{
	size_t off = 0;

	while (off < n) {
		off += uart_queue(p, buf + off, n - off);
		if (off < n) /* TXIM is on: the interrupt thread signals */
			pthread_cond_wait(&p->space, &p->lock);
	}
}

/* Takes the kernel's turn (lock held): waits for a program's open line to
 * end, at most the hold (programs may only finish it meanwhile), and ends
 * it with a newline if it did not. */
static void fresh_line(struct port *p)
{
	struct timespec until = deadline_after_ms(KMSG_HOLD_MS);

	p->kmsg_turn = true;
	while (p->user_line_open && pthread_cond_timedwait(&p->space, &p->lock, &until) != ETIMEDOUT)
		;
	if (p->user_line_open) {
		queue_all(p, &newline, sizeof(newline));
		p->user_line_open = false;
	}
}

/* How much of buf[0..len) to show now: all of it, unless the read filled
 * buf (full): then up to its last newline, if it has one. */
static size_t to_show(const char *buf, size_t len, bool full)
{
	for (size_t i = len; full && i > 0; i--)
		if (buf[i - 1] == '\n')
			return i;
	return len;
}

/* Kernel text logged before this daemon serves (the hand-over line at
 * least: mapping the UART takes the console from the kernel) goes out
 * before any program's: programs get the kernel's turn from the start
 * when the log has text for us, and the kernel-log thread's first read,
 * which returns that text, gives it back. Without this a program queued
 * on serial:0 could be served before the kernel-log thread first runs,
 * and its lines would come before the kernel's older ones. A second,
 * non-blocking open looks: each open starts at the same hand-over point
 * (kernel/scheme/scheme_kmsg.c), and reading it consumes nothing of
 * the thread's. Called before the threads start. */
void kmsg_backlog_first(struct port *p)
{
	char c;
	int fd = open("kmsg:", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return; /* nothing to order: the kernel-log thread's open worked */
	p->kmsg_turn = read(fd, &c, sizeof(c)) == (ssize_t)sizeof(c);
	close(fd);
}

void *kmsg_thread(void *arg)
{
	char buf[KMSG_CHUNK];
	int fd = *(int *)arg;
	size_t held = 0; /* the start of a line the log has more of, at buf */

	for (;;) {
		ssize_t n = read(fd, buf + held, sizeof(buf) - held);
		size_t len, whole;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "pl011d: read kmsg:: %s\n", strerror(errno));
			exit(EXIT_FAILURE);
		}
		len = held + (size_t)n;
		whole = to_show(buf, len, len == sizeof(buf));
		pthread_mutex_lock(&port.lock);
		fresh_line(&port);
		queue_all(&port, buf, whole);
		port.kmsg_turn = false;
		serial_progress(&port); /* writes that waited for the kernel's turn */
		pthread_mutex_unlock(&port.lock);
		held = len - whole;
		memmove(buf, buf + whole, held);
	}
	return NULL;
}
