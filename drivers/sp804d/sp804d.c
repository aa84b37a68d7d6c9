/*
 * drivers/sp804d/sp804d.c: the Arm SP804 dual-timer daemon.
 *
 *   sp804d [--clock-hz=HZ] [NODEPATH]
 *
 * Narrows its grant to NODEPATH, learns the registers and the interrupt
 * from grant: (the first "mem" and "irq" lines), maps the registers
 * through memory:, checks the IDs (sp804_init), claims the interrupt
 * through irq:N and serves timer: (protocol: timer_proto.h): each open is
 * a timer; all of them share the SP804's timer 1 (drivers/sp804/timerset.h),
 * armed for the nearest deadline. TIMCLK is HZ (default 1 MHz, the
 * Versatile Express and RealView reference clock; the device tree's clock
 * is not read yet).
 *
 * Two threads: the main one serves requests; the interrupt thread waits on
 * irq:, counts expirations and answers the reads they unblock. One lock
 * (state_lock) guards the timer set, the parked reads and the hardware.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drivers/devgrant/devgrant.h"
#include "drivers/sp804/sp804.h"
#include "drivers/sp804/sp804_regs.h"
#include "drivers/sp804/timerset.h"
#include "drivers/sp804d/park.h"
#include "drivers/sp804d/timer_proto.h"
#include "user/libscheme.h"

#define SCHEME_NAME "timer"
#define DEFAULT_CLOCK_HZ 1000000ULL	/* TIMCLK on Versatile Express (V2M-P1) */
#define CLOCK_ARG "--clock-hz="
#define SP804_MAP_SIZE 0x1000u	/* the register block, a 4 KiB page */
#define HW_TIMER SP804_TIMER1
#define EXIT_NO_DEVICE 2
#define USEC_PER_SEC 1000000ULL
#define NSEC_PER_USEC 1000ULL
#define IRQ_PATH_MAX 32
#define DECIMAL 10

/* Guards ts, parked and dev (the registers): the serving thread and the
 * interrupt thread both change them. */
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static struct timerset ts;
static struct park parked;
static struct sp804 dev;
static struct scheme_server srv;
static int irq_fd;

static uint32_t mmio_read(void *ctx, uint32_t off)
{
	return ((volatile uint32_t *)ctx)[off / sizeof(uint32_t)];
}

static void mmio_write(void *ctx, uint32_t off, uint32_t val)
{
	((volatile uint32_t *)ctx)[off / sizeof(uint32_t)] = val;
}

static const struct sp804_regs_ops mmio_ops = { .read = mmio_read, .write = mmio_write };

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * USEC_PER_SEC + (uint64_t)t.tv_nsec / NSEC_PER_USEC;
}

/* A handle id is the timerset id plus one (0 is no handle). */
static int timer_of(const struct scheme_request *q)
{
	return (int)q->id - 1;
}

/* Gives count to the read tag: its result. */
static int64_t give_count(uint64_t tag, uint64_t count)
{
	return scheme_msg_write(&srv, tag, 0, &count, sizeof(count)) == sizeof(count) ?
	       (int64_t)sizeof(count) : -EFAULT;
}

/* Under state_lock: counts expirations up to now, answers the waiting
 * reads they unblock (oldest first, one per timer with a count) and arms
 * the hardware for the next deadline. */
static void settle(void)
{
	uint64_t now = now_us(), tag, count;

	timerset_expire(&ts, now);
	for (int id = 0; id < TIMERSET_MAX; id++) {
		if (timerset_readable(&ts, id) && park_take_timer(&parked, id, &tag) &&
		    timerset_read(&ts, id, &count) == 0)
			scheme_reply(&srv, tag, give_count(tag, count), 0);
	}
	timerset_program(&ts, &dev, HW_TIMER, now);
}

static int d_open(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[8];
	int err = scheme_req_path(s, q, path, sizeof(path)), id;

	if (err || path[0]) {
		r->result = err ? err : -ENOENT;
		return SCHEME_REPLY_NOW;
	}
	pthread_mutex_lock(&state_lock);
	id = timerset_create(&ts);
	pthread_mutex_unlock(&state_lock);
	r->result = id < 0 ? id : id + 1;
	r->aux = S_IFCHR;
	return SCHEME_REPLY_NOW;
}

static int d_read(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	uint64_t count;
	int err, reply = SCHEME_REPLY_NOW;

	(void)s;
	if (q->args[SCHEME_ARG_LEN] < sizeof(count)) {
		r->result = -EINVAL;
		return SCHEME_REPLY_NOW;
	}
	pthread_mutex_lock(&state_lock);
	settle();
	err = timerset_read(&ts, timer_of(q), &count);
	if (!err)
		r->result = give_count(q->tag, count);
	else if (err != -EAGAIN || (q->flags & SCHEME_REQ_NONBLOCK))
		r->result = err;
	else if ((r->result = park_add(&parked, timer_of(q), q->tag)) == 0)
		reply = SCHEME_REPLY_LATER; /* settle answers it at the expiry */
	pthread_mutex_unlock(&state_lock);
	return reply;
}

static int d_write(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	struct timer_setting set;
	uint64_t value, interval;
	unsigned flags;

	if (q->args[SCHEME_ARG_LEN] != sizeof(set)) {
		r->result = -EINVAL;
		return SCHEME_REPLY_NOW;
	}
	if (scheme_msg_read(s, q->tag, 0, &set, sizeof(set)) != sizeof(set)) {
		r->result = -EFAULT;
		return SCHEME_REPLY_NOW;
	}
	if (timer_setting_parse(&set, &flags, &value, &interval)) {
		r->result = -EINVAL;
		return SCHEME_REPLY_NOW;
	}
	pthread_mutex_lock(&state_lock);
	r->result = timerset_settime(&ts, timer_of(q), now_us(),
				     flags & TIMER_SETTING_ABSTIME ? TIMERSET_ABSTIME : 0,
				     value, interval, NULL, NULL);
	if (r->result == 0)
		r->result = sizeof(set);
	settle();
	pthread_mutex_unlock(&state_lock);
	return SCHEME_REPLY_NOW;
}

static int d_close(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)s;
	pthread_mutex_lock(&state_lock);
	r->result = timerset_destroy(&ts, timer_of(q));
	settle();
	pthread_mutex_unlock(&state_lock);
	return SCHEME_REPLY_NOW;
}

/* A caller gave up a waiting read (a signal): it ends with EINTR. */
static int d_cancel(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	int timer;

	(void)r;
	pthread_mutex_lock(&state_lock);
	if (park_take_tag(&parked, q->args[0], &timer))
		scheme_reply(s, q->args[0], -EINTR, 0);
	pthread_mutex_unlock(&state_lock);
	return SCHEME_REPLY_NOW;
}

/* The interrupt thread: each firing is an expiry step of timer 1. */
static void *irq_thread(void *arg)
{
	uint64_t count, ack = 1;

	(void)arg;
	for (;;) {
		if (read(irq_fd, &count, sizeof(count)) != sizeof(count)) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "sp804d: reading the interrupt: %s\n", strerror(errno));
			exit(EXIT_FAILURE);
		}
		pthread_mutex_lock(&state_lock);
		sp804_handle_irq(&dev);
		settle();
		pthread_mutex_unlock(&state_lock);
		if (write(irq_fd, &ack, sizeof(ack)) != sizeof(ack)) {
			fprintf(stderr, "sp804d: acknowledging the interrupt: %s\n", strerror(errno));
			exit(EXIT_FAILURE);
		}
	}
	return NULL;
}

/* --clock-hz=HZ and NODEPATH from argv; 0 or -EINVAL. */
static int parse_args(int argc, char **argv, uint64_t *hz, const char **node)
{
	*hz = DEFAULT_CLOCK_HZ;
	*node = NULL;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], CLOCK_ARG, strlen(CLOCK_ARG)) == 0) {
			char *end;

			*hz = strtoull(argv[i] + strlen(CLOCK_ARG), &end, DECIMAL);
			if (*end || *hz == 0)
				return -EINVAL;
		} else if (!*node) {
			*node = argv[i];
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/* Maps the SP804, checks it, claims its interrupt: 0 or an exit status. */
static int setup_device(const char *node, uint64_t hz)
{
	struct devgrant g;
	char irq_path[IRQ_PATH_MAX];
	volatile uint32_t *regs;
	int err = devgrant_load(node, false, &g);

	if (err || g.nmem < 1 || g.nirq < 1 || g.mem[0].size < SP804_MAP_SIZE) {
		fprintf(stderr, "sp804d: no SP804 registers and interrupt in my grant\n");
		return EXIT_NO_DEVICE;
	}
	regs = devgrant_map(g.mem[0].base, SP804_MAP_SIZE);
	if (!regs || sp804_init(&dev, &mmio_ops, (void *)regs, hz, SP804_COUNTER_BITS_32)) {
		fprintf(stderr, "sp804d: 0x%llx is not an SP804 I can map\n",
			(unsigned long long)g.mem[0].base);
		return EXIT_NO_DEVICE;
	}
	snprintf(irq_path, sizeof(irq_path), "irq:%u", (unsigned)g.irq[0].irq);
	irq_fd = open(irq_path, O_RDWR | O_CLOEXEC);
	if (irq_fd < 0) {
		fprintf(stderr, "sp804d: cannot claim %s: %s\n", irq_path, strerror(errno));
		return EXIT_NO_DEVICE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *node;
	uint64_t hz;
	pthread_t irq;
	int err;

	srv.ops[SCHEME_OP_OPEN] = d_open;
	srv.ops[SCHEME_OP_READ] = d_read;
	srv.ops[SCHEME_OP_WRITE] = d_write;
	srv.ops[SCHEME_OP_CLOSE] = d_close;
	srv.ops[SCHEME_OP_CANCEL] = d_cancel;
	if (parse_args(argc, argv, &hz, &node)) {
		fprintf(stderr, "usage: sp804d [" CLOCK_ARG "HZ] [NODEPATH]\n");
		return EXIT_FAILURE;
	}
	timerset_init(&ts);
	park_init(&parked);
	err = setup_device(node, hz);
	if (err)
		return err;
	srv.fd = scheme_register_name(SCHEME_NAME, O_CLOEXEC);
	if (srv.fd < 0) {
		fprintf(stderr, "sp804d: cannot register " SCHEME_NAME ": %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	err = pthread_create(&irq, NULL, irq_thread, NULL);
	if (err) {
		fprintf(stderr, "sp804d: interrupt thread: %s\n", strerror(err));
		return EXIT_FAILURE;
	}
	err = scheme_serve(&srv);
	fprintf(stderr, "sp804d: serving stopped: %s\n", strerror(err));
	return EXIT_FAILURE;
}
