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
 * line: kernel text is queued up to the last newline it has when the
 * chunk is full (the partial line waits in kbuf for the rest; a chunk not
 * full is all the log had: queued whole, a partial line too, so it shows
 * now); and from the moment kernel text is waiting until it is all
 * queued, a program may only finish the line it has open (kmsg_turn): the
 * rest of its write waits for the kernel's lines, which so go out at the
 * next line end rather than after whatever the program writes next.
 *
 * Causal order: kernel text logged before a program's write reaches this
 * daemon goes out before that write (Linux prints console messages as
 * they are logged, so a log line about a killed child comes before its
 * parent's next line). A write's arrival fetches what the log has
 * (kmsg_before_write) and gives the kernel its turn if there is any. The
 * text moves from the log into kbuf only under the port lock, through a
 * non-blocking descriptor; the kernel-log thread sleeps on a second
 * descriptor, a doorbell whose text it drops. So no text is ever read
 * but not yet queued where a write could pass it, and the hand-over
 * line, logged before this daemon serves, comes first too.
 */
#include "pl011d.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Lock held: moves what the log has for us into kbuf, without waiting
 * (kmsg_fd is non-blocking); true while kbuf has text to queue. Only
 * ever called under the lock, so text is either still in the log or in
 * kbuf, never in between where a program's write could overtake it. */
static bool kmsg_fetch(struct port *p)
{
	while (p->klen < sizeof(p->kbuf)) {
		ssize_t n = read(p->kmsg_fd, p->kbuf + p->klen, sizeof(p->kbuf) - p->klen);

		if (n > 0)
			p->klen += (size_t)n;
		else if (!(n < 0 && errno == EINTR))
			break; /* EAGAIN: the log has nothing more */
	}
	return p->klen > 0;
}

void kmsg_before_write(struct port *p)
{
	if (kmsg_fetch(p))
		p->kmsg_turn = true;
}

void *kmsg_thread(void *arg)
{
	char scratch[KMSG_CHUNK];
	int doorbell = *(int *)arg;

	for (;;) {
		/* Waits for text this descriptor has not seen; what it read is
		 * dropped: kmsg_fd, read under the lock, carries the text. */
		ssize_t n = read(doorbell, scratch, sizeof(scratch));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "pl011d: read kmsg:: %s\n", strerror(errno));
			exit(EXIT_FAILURE);
		}
		pthread_mutex_lock(&port.lock);
		while (kmsg_fetch(&port)) {
			/* fresh_line and queue_all let go of the lock while they
			 * wait: kmsg_before_write may append to kbuf meanwhile,
			 * past klen's value here, never before it. */
			size_t whole = to_show(port.kbuf, port.klen, port.klen == sizeof(port.kbuf));

			fresh_line(&port);
			queue_all(&port, port.kbuf, whole);
			port.klen -= whole;
			memmove(port.kbuf, port.kbuf + whole, port.klen);
		}
		port.kmsg_turn = false;
		serial_progress(&port); /* writes that waited for the kernel's turn */
		pthread_mutex_unlock(&port.lock);
	}
	return NULL;
}
