/*
 * drivers/pl011d/pl011d.h: the serial daemon's state, shared by its parts:
 * uart.c (the PL011 registers: receive, transmit, interrupts), serial.c
 * (the serial: scheme: opens, reads and writes that wait, ioctls, cancel),
 * ready.c (readiness reported to the kernel's poll), kmsg.c (the kernel
 * log's lines among programs' lines) and main.c (start-up, the interrupt and kernel-log threads, --run).
 *
 * Threads: the scheme loop (main thread), the interrupt thread (waits on
 * irq:N, services the UART, answers the requests the new input or the
 * freed output space complete), the kernel-log thread (copies kmsg:
 * to the terminal) and the timer thread (VMIN/VTIME read timers). One mutex, port.lock, guards everything below it,
 * the line discipline included (drivers/tty/ldisc.h is not thread-safe).
 */
#ifndef DRIVERS_PL011D_PL011D_H
#define DRIVERS_PL011D_PL011D_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "../tty/ldisc.h"
#include "../../user/libscheme.h"

#define PENDING_MAX 32  /* requests waiting at once (reads, writes, draining ioctls) */
#define IOCTL_ARG_MAX 64 /* the largest terminal ioctl argument (struct termios: 36) */
#define RX_BATCH 64     /* bytes taken from the RX FIFO per ldisc_input call */
#define READY_HANDLES_MAX 64 /* open handles with kernel-polled readiness (more: always ready) */
#define KMSG_CHUNK 512  /* kernel text fetched at once: a printk line is at most 512 bytes (kernel/printk.c) */

enum pending_kind { PEND_NONE, PEND_READ, PEND_WRITE, PEND_IOCTL };

/* A request answered later: a read waiting for input, a write waiting for
 * output space, an ioctl waiting for output to drain (TCSETSW...). */
struct pending {
	enum pending_kind kind;
	uint64_t tag;
	uint64_t size;           /* the caller's buffer */
	uint64_t done;           /* a write: bytes taken so far */
	struct ldisc_caller caller;
	unsigned long cmd, value; /* an ioctl */
	/* A read's VMIN/VTIME timer (ldisc_read_ready's wait): when timed,
	 * the read completes with what there is at deadline (CLOCK_MONOTONIC).
	 * rx_seen: port.rx_bytes when an inter-byte timer was last started. */
	bool timed;
	struct timespec deadline;
	uint64_t rx_seen;
	uint8_t arg[IOCTL_ARG_MAX];
};

struct port {
	pthread_mutex_t lock;
	/* Guarded by lock: */
	struct ldisc ld;
	struct pending pend[PENDING_MAX];
	/* UART_TXIM unmasked: the interrupt refills the FIFO. Whoever queues
	 * output kicks it (uart_kick_tx), which leaves tx_on true exactly
	 * while output is queued: so whatever waits for room waits only
	 * while a TX interrupt is sure to come (uart_queue). */
	bool tx_on;
	/* Throttled: a full non-canonical input buffer refused rx_stash; the
	 * receive interrupts stay masked (the FIFO holds what follows) until
	 * a read makes room (uart_unthrottle). */
	bool rx_throttled;
	char rx_stash[RX_BATCH];
	size_t rx_stashed;
	/* Signalled when output space frees, and when a program's line ends
	 * (the kernel-log thread, kmsg.c); on CLOCK_MONOTONIC. */
	pthread_cond_t space;
	/* kmsg.c: the last byte a program's write queued was not a newline
	 * (kernel lines wait for it to end, for a while); and kernel text is
	 * waiting for its turn or being queued (programs may only finish an
	 * open line meanwhile; the kernel-log thread resumes their writes). */
	bool user_line_open;
	bool kmsg_turn;
	/* kmsg.c: kernel text taken from the log, not yet queued (only ever
	 * taken under lock, from kmsg_fd). */
	char kbuf[KMSG_CHUNK];
	size_t klen;
	pthread_cond_t timers;   /* signalled when a read's timer is set (timer thread) */
	uint64_t rx_bytes;       /* bytes received since start, for inter-byte timers */
	/* Readiness (ready.c): the polled handles (0: a free slot) and the
	 * mask last reported to them. */
	uint64_t ready_ids[READY_HANDLES_MAX];
	unsigned ready_mask;

	/* Set at start, then read-only: */
	volatile uint32_t *regs; /* the mapped registers */
	unsigned irq;
	int kmsg_fd;             /* kmsg:, non-blocking; read only under lock (kmsg.c) */
	struct scheme_server srv;
};

extern struct port port;

/* uart.c (lock held for all but uart_init). */
void uart_init(struct port *p);
/* Moves queued output into the TX FIFO; unmasks TXIM while some is left. */
void uart_kick_tx(struct port *p);
/* Queues output through the line discipline and moves it on: what was
 * taken (< n only while the queue is full and TXIM is on, so the TX
 * interrupt will come and serial_progress resumes the rest). */
size_t uart_queue(struct port *p, const char *buf, size_t n);
/* Services the UART after its interrupt: received bytes into the line
 * discipline, output into the FIFO. */
void uart_service(struct port *p);
/* After a read took input: feeds what throttling held back, and receives
 * again once all of it fitted. */
void uart_unthrottle(struct port *p);

/* ready.c (lock held): a polled handle's slot (false: none free, the
 * handle is opened always-ready); its first report, after its open's
 * reply went; its close; a report to every handle if the mask changed. */
bool ready_add(struct port *p, uint64_t id);
void ready_opened(struct port *p, uint64_t id);
void ready_remove(struct port *p, uint64_t id);
void ready_update(struct port *p);

/* serial.c */
void serial_init_ops(struct scheme_server *srv);
/* After input, output space or a settings change (lock held): delivers
 * queued signals and answers every pending request that can complete. */
void serial_progress(struct port *p);
/* The timer thread: completes reads whose VTIME ran out. */
void *serial_timer_thread(void *arg);

/* kmsg.c: the kernel-log thread; arg points to a blocking kmsg: descriptor
 * opened with port.kmsg_fd, which it only waits on. */
void *kmsg_thread(void *arg);
/* kmsg.c (lock held): before a program's write is queued, kernel text
 * already logged gets the turn. */
void kmsg_before_write(struct port *p);

#endif
