/*
 * drivers/pl011d/serial.c: the serial: scheme (user/libscheme.h callbacks).
 * "serial:0" is the UART this daemon drives ("" names it too). A read
 * takes what the line discipline has ready or waits; a write queues what
 * fits and waits for space for the rest; both follow the job-control rule
 * (ldisc_job_check: a background reader gets SIGTTIN, a background writer
 * SIGTTOU with TOSTOP). Waiting requests stay outstanding (the protocol
 * allows many, answered in any order) and are answered by serial_progress
 * when input, output space or new settings let them complete, or with
 * -EINTR when the kernel cancels one (the caller got a signal).
 */
#include "pl011d.h"
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define IO_CHUNK 4096         /* bytes moved per copy to or from a caller */
#define TTY_MODE 0620         /* crw--w----, as a Linux serial terminal */
#define TTYAMA_MAJOR 204      /* Linux's ttyAMA numbers (devices.txt) */
#define TTYAMA_MINOR 64
#define MS_PER_S 1000u
#define NS_PER_MS 1000000L
#define NS_PER_S 1000000000L

/* The caller, as ldisc.h needs it, from what the kernel says of it. */
static void caller_of(struct port *p, const struct scheme_request *q, struct ldisc_caller *c)
{
	pid_t pid = (pid_t)q->pid;

	*c = (struct ldisc_caller){ .pid = pid, .pgrp = getpgid(pid), .sid = getsid(pid) };
	/* One terminal per daemon and no other terminal daemon yet: a session
	 * has a controlling terminal exactly when it is this one. */
	c->ctty_is_this = p->ld.session != 0 && c->sid == p->ld.session;
	c->has_ctty = c->ctty_is_this;
	c->sigttin_ignored = q->flags & SCHEME_REQ_TTIN_IGNORED;
	c->sigttou_ignored = q->flags & SCHEME_REQ_TTOU_IGNORED;
	c->privileged = q->uid == 0;
}

/* Sends every signal the line discipline queued to its process group. */
static void deliver_signals(struct port *p)
{
	struct ldisc_signal s;

	while (ldisc_take_signal(&p->ld, &s))
		kill(-s.pgrp, s.sig);
}

/* The job-control check: 0 to go on, else the answer (-EIO, or -EINTR
 * after sending SIGTTIN/SIGTTOU to the caller's group). */
static int job_check(struct port *p, const struct ldisc_caller *c, enum ldisc_job_op op)
{
	int r = ldisc_job_check(&p->ld, c, op);

	if (r > 0) {
		kill(-c->pgrp, r);
		return -EINTR;
	}
	return r;
}

static struct pending *pend_new(struct port *p, enum pending_kind kind, const struct scheme_request *q)
{
	for (int i = 0; i < PENDING_MAX; i++) {
		if (p->pend[i].kind == PEND_NONE) {
			p->pend[i] = (struct pending){ .kind = kind, .tag = q->tag,
						       .size = q->args[SCHEME_ARG_LEN] };
			return &p->pend[i];
		}
	}
	return NULL;
}

/* Takes what the line discipline gives a read now into the caller's
 * buffer: the bytes (>= 0) or -EFAULT. */
static int64_t take_read(struct port *p, uint64_t tag, uint64_t size)
{
	char buf[IO_CHUNK];
	size_t n = ldisc_read(&p->ld, buf, size < sizeof(buf) ? size : sizeof(buf));

	uart_unthrottle(p); /* room for what a full buffer held back */
	if (n && scheme_msg_write(&p->srv, tag, 0, buf, n) != (long)n)
		return -EFAULT;
	return (int64_t)n;
}

/* A read, if it can complete now: the bytes (>= 0) or -errno; -EAGAIN
 * says it must wait, for what *w says. */
static int64_t try_read(struct port *p, uint64_t tag, uint64_t size, struct ldisc_wait *w)
{
	if (!ldisc_read_ready(&p->ld, size, w))
		return -EAGAIN;
	return take_read(p, tag, size);
}

static void deadline_in(struct timespec *t, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / MS_PER_S;
	t->tv_nsec += (long)(ms % MS_PER_S) * NS_PER_MS;
	if (t->tv_nsec >= NS_PER_S) {
		t->tv_sec++;
		t->tv_nsec -= NS_PER_S;
	}
}

/* Sets a waiting read's timer from what it waits for: a read timer runs
 * from the first wait, an inter-byte one restarts at each byte received. */
static void arm_timer(struct port *p, struct pending *r, const struct ldisc_wait *w)
{
	bool start = (w->timer == LDISC_TIMER_READ && !r->timed) ||
		     (w->timer == LDISC_TIMER_INTERBYTE && (!r->timed || r->rx_seen != p->rx_bytes));

	if (w->timer == LDISC_TIMER_NONE) {
		r->timed = false;
		return;
	}
	if (!start)
		return;
	deadline_in(&r->deadline, w->timeout_ms);
	r->timed = true;
	r->rx_seen = p->rx_bytes;
	pthread_cond_signal(&p->timers);
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

void *serial_timer_thread(void *arg)
{
	struct port *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct timespec now, *next = NULL;

		clock_gettime(CLOCK_MONOTONIC, &now);
		for (int i = 0; i < PENDING_MAX; i++) {
			struct pending *r = &p->pend[i];

			if (r->kind != PEND_READ || !r->timed)
				continue;
			if (!before(&now, &r->deadline)) {
				/* VTIME ran out: the read gets what there is (maybe 0). */
				r->kind = PEND_NONE;
				scheme_reply(&p->srv, r->tag, take_read(p, r->tag, r->size), 0);
				ready_update(p);
			} else if (!next || before(&r->deadline, next)) {
				next = &r->deadline;
			}
		}
		if (next) {
			struct timespec until = *next;

			pthread_cond_timedwait(&p->timers, &p->lock, &until);
		} else {
			pthread_cond_wait(&p->timers, &p->lock);
		}
	}
	return NULL;
}

/* A program wrote last byte c: its line is open unless c ends it; a
 * kernel line waiting for it to end (kmsg.c) may go once it does. */
static void user_line_track(struct port *p, char c)
{
	bool open = c != '\n';

	if (p->user_line_open && !open)
		pthread_cond_broadcast(&p->space);
	p->user_line_open = open;
}

/* How much of buf[0..n) a program may queue now. While kernel text waits
 * for its turn (kmsg.c), only what finishes the open line: up to its
 * first newline, nothing once the line is closed. */
static size_t user_may_queue(const struct port *p, const char *buf, size_t n)
{
	const char *nl;

	if (!p->kmsg_turn)
		return n;
	if (!p->user_line_open)
		return 0;
	nl = memchr(buf, '\n', n);
	return nl ? (size_t)(nl - buf) + 1 : n;
}

/* Moves more of a write into the output queue; true once all of it is.
 * What waits for the kernel's turn is resumed by the kernel-log thread
 * (serial_progress), the rest by the TX interrupt (uart_queue). */
static bool push_write(struct port *p, struct pending *w)
{
	char buf[IO_CHUNK];

	while (w->done < w->size) {
		uint64_t want = w->size - w->done;
		long got = scheme_msg_read(&p->srv, w->tag, w->done, buf,
					   want < sizeof(buf) ? want : sizeof(buf));
		size_t may, took;

		if (got <= 0)
			return true; /* the caller's buffer is gone: answer what was taken */
		may = user_may_queue(p, buf, (size_t)got);
		if (may == 0)
			return false;
		took = uart_queue(p, buf, may);
		w->done += took;
		if (took)
			user_line_track(p, buf[took - 1]);
		if (took < (size_t)got)
			return false;
	}
	return true;
}

static int do_ioctl(struct port *p, struct pending *io)
{
	int dir = ldisc_ioctl_dir(io->cmd), size = ldisc_ioctl_size(io->cmd);
	int r = ldisc_ioctl(&p->ld, io->cmd, io->value, io->arg, (size_t)size, &io->caller);

	if (r == 0 && (dir & LDISC_IO_OUT) &&
	    scheme_msg_write(&p->srv, io->tag, 0, io->arg, (uint64_t)size) != size)
		r = -EFAULT;
	return r;
}

void serial_progress(struct port *p)
{
	bool again = true;

	while (again) {
		again = false;
		deliver_signals(p);
		for (int i = 0; i < PENDING_MAX; i++) {
			struct pending *q = &p->pend[i];
			int64_t r;

			if (q->kind == PEND_READ) {
				struct ldisc_wait w;

				r = try_read(p, q->tag, q->size, &w);
				if (r == -EAGAIN) {
					arm_timer(p, q, &w);
					continue;
				}
			} else if (q->kind == PEND_WRITE) {
				if (!push_write(p, q))
					continue;
				r = q->done ? (int64_t)q->done : -EFAULT;
			} else if (q->kind == PEND_IOCTL) {
				if (ldisc_output_pending(&p->ld))
					continue;
				r = do_ioctl(p, q);
				again = true; /* new settings may free others */
			} else {
				continue;
			}
			/* A read may have let held-back input in (uart_unthrottle). */
			again |= q->kind == PEND_READ;
			q->kind = PEND_NONE;
			scheme_reply(&p->srv, q->tag, r, 0);
		}
	}
	ready_update(p);
}

static int op_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *rep)
{
	static uint64_t next_id = 1;
	struct port *p = srv->priv;
	uint64_t id;
	char path[8];
	int err = scheme_req_path(srv, q, path, sizeof(path));

	if (err || (strcmp(path, "0") != 0 && path[0] != '\0')) {
		rep->result = err == -ENAMETOOLONG || !err ? -ENOENT : err;
		return SCHEME_REPLY_NOW;
	}
	pthread_mutex_lock(&p->lock);
	/* A session leader without a terminal that opens one without
	 * O_NOCTTY gets it as its controlling terminal (Linux's tty_open). */
	if (!(q->args[1] & O_NOCTTY) && p->ld.session == 0) {
		struct ldisc_caller c;

		caller_of(p, q, &c);
		if (c.sid == c.pid)
			ldisc_ioctl(&p->ld, LD_TIOCSCTTY, 0, NULL, 0, &c);
	}
	/* A polled handle: the reply goes first (the kernel links the handle
	 * when it takes it), then its first readiness report. */
	id = next_id++;
	if (ready_add(p, id)) {
		scheme_reply(srv, q->tag, (int64_t)id, S_IFCHR | SCHEME_AUX_POLLED);
		ready_opened(p, id);
		pthread_mutex_unlock(&p->lock);
		return SCHEME_REPLY_LATER;
	}
	pthread_mutex_unlock(&p->lock);
	rep->result = (int64_t)id;
	rep->aux = S_IFCHR;
	return SCHEME_REPLY_NOW;
}

static int op_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *rep)
{
	struct port *p = srv->priv;
	struct ldisc_caller c;
	struct ldisc_wait wait;
	int64_t r;

	pthread_mutex_lock(&p->lock);
	caller_of(p, q, &c);
	r = job_check(p, &c, LDISC_JOB_READ);
	if (r == 0 && q->args[SCHEME_ARG_LEN] == 0)
		r = 0;
	else if (r == 0 && (r = try_read(p, q->tag, q->args[SCHEME_ARG_LEN], &wait)) == -EAGAIN &&
		 !(q->flags & SCHEME_REQ_NONBLOCK)) {
		struct pending *w = pend_new(p, PEND_READ, q);

		if (w) {
			w->caller = c;
			arm_timer(p, w, &wait);
			pthread_mutex_unlock(&p->lock);
			return SCHEME_REPLY_LATER;
		}
		r = -EAGAIN; /* too many waiting: the caller retries */
	}
	if (r > 0)
		uart_kick_tx(p); /* an echo may have been waiting for the read */
	ready_update(p);
	pthread_mutex_unlock(&p->lock);
	rep->result = r;
	return SCHEME_REPLY_NOW;
}

static int op_write(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *rep)
{
	struct port *p = srv->priv;
	struct pending w = { .kind = PEND_WRITE, .tag = q->tag, .size = q->args[SCHEME_ARG_LEN] };
	int64_t r;

	pthread_mutex_lock(&p->lock);
	caller_of(p, q, &w.caller);
	r = job_check(p, &w.caller, LDISC_JOB_WRITE);
	if (r == 0)
		kmsg_before_write(p);
	if (r == 0 && !push_write(p, &w)) {
		struct pending *slot = NULL;

		if (!(q->flags & SCHEME_REQ_NONBLOCK) && (slot = pend_new(p, PEND_WRITE, q))) {
			*slot = w;
			pthread_mutex_unlock(&p->lock);
			return SCHEME_REPLY_LATER;
		}
		r = w.done ? (int64_t)w.done : -EAGAIN;
	} else if (r == 0) {
		r = (int64_t)w.done;
	}
	ready_update(p);
	pthread_mutex_unlock(&p->lock);
	rep->result = r;
	return SCHEME_REPLY_NOW;
}

static int op_ioctl(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *rep)
{
	struct port *p = srv->priv;
	struct pending io = { .kind = PEND_IOCTL, .tag = q->tag, .cmd = q->args[0], .value = q->args[1] };
	int dir = ldisc_ioctl_dir(io.cmd), size = ldisc_ioctl_size(io.cmd);
	int r;

	/* Validate and copy in first: a bad request changes nothing. */
	if (dir < 0 || size < 0 || (size_t)size > sizeof(io.arg)) {
		rep->result = -ENOTTY;
		return SCHEME_REPLY_NOW;
	}
	if (size && q->args[SCHEME_ARG_LEN] < (uint64_t)size) {
		rep->result = -EFAULT;
		return SCHEME_REPLY_NOW;
	}
	if ((dir & LDISC_IO_IN) && scheme_msg_read(srv, q->tag, 0, io.arg, (uint64_t)size) != size) {
		rep->result = -EFAULT;
		return SCHEME_REPLY_NOW;
	}
	pthread_mutex_lock(&p->lock);
	caller_of(p, q, &io.caller);
	r = do_ioctl(p, &io);
	if (r == LDISC_IOCTL_DRAIN) {
		struct pending *slot = pend_new(p, PEND_IOCTL, q);

		if (slot) {
			*slot = io;
			pthread_mutex_unlock(&p->lock);
			return SCHEME_REPLY_LATER;
		}
		r = -EAGAIN;
	}
	serial_progress(p); /* signals queued; settings may free waiting reads */
	pthread_mutex_unlock(&p->lock);
	rep->result = r;
	return SCHEME_REPLY_NOW;
}

static int op_fstat(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *rep)
{
	rep->result = scheme_stat_device(srv, q, S_IFCHR | TTY_MODE, makedev(TTYAMA_MAJOR, TTYAMA_MINOR));
	return SCHEME_REPLY_NOW;
}

/* The caller got a signal: a waiting read or ioctl ends with -EINTR, a
 * write with what it had written (or -EINTR). No reply to the cancel. */
static int op_cancel(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *rep)
{
	struct port *p = srv->priv;

	(void)rep;
	pthread_mutex_lock(&p->lock);
	for (int i = 0; i < PENDING_MAX; i++) {
		struct pending *w = &p->pend[i];

		if (w->kind == PEND_NONE || w->tag != q->args[0])
			continue;
		scheme_reply(srv, w->tag, w->kind == PEND_WRITE && w->done ? (int64_t)w->done : -EINTR, 0);
		w->kind = PEND_NONE;
	}
	pthread_mutex_unlock(&p->lock);
	return SCHEME_REPLY_NOW;
}

static int op_close(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *rep)
{
	struct port *p = srv->priv;

	pthread_mutex_lock(&p->lock);
	ready_remove(p, q->id);
	pthread_mutex_unlock(&p->lock);
	rep->result = 0;
	return SCHEME_REPLY_NOW;
}

void serial_init_ops(struct scheme_server *srv)
{
	srv->ops[SCHEME_OP_OPEN] = op_open;
	srv->ops[SCHEME_OP_READ] = op_read;
	srv->ops[SCHEME_OP_WRITE] = op_write;
	srv->ops[SCHEME_OP_IOCTL] = op_ioctl;
	srv->ops[SCHEME_OP_FSTAT] = op_fstat;
	srv->ops[SCHEME_OP_CANCEL] = op_cancel;
	srv->ops[SCHEME_OP_CLOSE] = op_close;
}
