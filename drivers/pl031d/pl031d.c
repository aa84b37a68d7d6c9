/*
 * drivers/pl031d/pl031d.c: the PL031 real-time clock daemon.
 *
 *   pl031d [NODEPATH]
 *
 * Narrows its grant to NODEPATH (and the clock right, if it holds it),
 * learns the registers from grant: (the first "mem" line), maps them
 * through memory:, refuses a device whose IDs are not a PL031's, starts
 * the counter if it is stopped, masks the alarm interrupt (no alarms yet),
 * sets CLOCK_REALTIME from RTCDR, then serves rtc: (registered as "rtc"):
 *
 *   read         at offset 0: the time, decimal seconds since the epoch
 *                and a newline ("1764480000\n"); -EINVAL for a buffer that
 *                cannot hold the line; past it: 0, end of file.
 *   write        at offset 0: the same text (newline optional) sets the
 *                hardware clock; -EINVAL for anything else, -EPERM unless
 *                the caller holds the clock right.
 *   ioctl        RTC_RD_TIME / RTC_SET_TIME, Linux's numbers and struct
 *                rtc_time (UTC), the same rules; another cmd: -ENOTTY.
 *
 * Setting rtc: sets the hardware only, as Linux's RTC_SET_TIME does; the
 * system clock is set with clock_settime (which takes the same right).
 * One thread, one request at a time: the registers need no lock.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drivers/devgrant/devgrant.h"
#include "drivers/pl031d/pl031_regs.h"
#include "drivers/pl031d/rtctime.h"
#include "user/libscheme.h"

#define SCHEME_NAME "rtc"
#define HANDLE_ID 1	/* every open is the same clock: one handle id */
#define EXIT_NO_DEVICE 2	/* no PL031 in the grant, or it does not map */

static volatile uint32_t *regs;

static uint32_t reg_read(uint32_t off)
{
	return regs[off / sizeof(uint32_t)];
}

static void reg_write(uint32_t off, uint32_t val)
{
	regs[off / sizeof(uint32_t)] = val;
}

/* Whether the ID registers spell a PL031 (pl031_regs.h), any revision. */
static bool is_pl031(void)
{
	uint32_t id[PL031_ID_REGS], cell[PL031_ID_REGS];

	for (unsigned i = 0; i < PL031_ID_REGS; i++) {
		id[i] = reg_read(PL031_PERIPHID0 + i * PL031_ID_STRIDE) & PL031_ID_MASK;
		cell[i] = reg_read(PL031_PCELLID0 + i * PL031_ID_STRIDE) & PL031_ID_MASK;
	}
	return id[0] == PL031_PERIPHID0_VAL && id[1] == PL031_PERIPHID1_VAL &&
	       (id[2] & PL031_PERIPHID2_DESIGNER_MASK) == PL031_PERIPHID2_DESIGNER &&
	       id[3] == PL031_PERIPHID3_VAL && cell[0] == PL031_PCELLID0_VAL &&
	       cell[1] == PL031_PCELLID1_VAL && cell[2] == PL031_PCELLID2_VAL &&
	       cell[3] == PL031_PCELLID3_VAL;
}

static int d_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[8];
	int err = scheme_req_path(srv, q, path, sizeof(path));

	/* One file: "rtc:" itself (any other name is not there). */
	r->result = err ? err : path[0] ? -ENOENT : HANDLE_ID;
	r->aux = S_IFCHR;
	return SCHEME_REPLY_NOW;
}

static int d_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char text[RTCTIME_TEXT_MAX];
	size_t len = rtctime_format(reg_read(PL031_RTCDR), text);
	uint64_t off = q->args[0], cap = q->args[SCHEME_ARG_LEN];

	if (off > 0) {
		r->result = 0; /* one line per open: then end of file */
		return SCHEME_REPLY_NOW;
	}
	if (cap < len) {
		r->result = -EINVAL; /* half a number would be a wrong time */
		return SCHEME_REPLY_NOW;
	}
	r->result = scheme_msg_write(srv, q->tag, 0, text, len) == (long)len ? (int64_t)len : -EFAULT;
	return SCHEME_REPLY_NOW;
}

/* Loads secs into the counter if the caller may set the clock. */
static int64_t set_rtc(const struct scheme_request *q, uint64_t secs)
{
	if (!(q->flags & SCHEME_REQ_RIGHT_CLOCK))
		return -EPERM;
	reg_write(PL031_RTCLR, (uint32_t)secs);
	return 0;
}

static int64_t write_text(struct scheme_server *srv, const struct scheme_request *q)
{
	char text[RTCTIME_TEXT_MAX];
	uint64_t len = q->args[SCHEME_ARG_LEN], secs;
	int64_t err;

	if (q->args[0] != 0 || len == 0 || len > sizeof(text))
		return -EINVAL;
	if (scheme_msg_read(srv, q->tag, 0, text, len) != (long)len)
		return -EFAULT;
	if (rtctime_parse(text, len, &secs))
		return -EINVAL;
	err = set_rtc(q, secs);
	return err ? err : (int64_t)len;
}

static int d_write(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	r->result = write_text(srv, q);
	return SCHEME_REPLY_NOW;
}

static int64_t ioctl_rtc(struct scheme_server *srv, const struct scheme_request *q)
{
	struct rtc_time tm;
	uint64_t secs;

	if (q->args[0] != RTC_RD_TIME && q->args[0] != RTC_SET_TIME)
		return -ENOTTY;
	/* The kernel sized the window from the cmd; check it all the same. */
	if (q->args[SCHEME_ARG_LEN] != sizeof(tm))
		return -EINVAL;
	if (q->args[0] == RTC_RD_TIME) {
		rtctime_to_tm(reg_read(PL031_RTCDR), &tm);
		return scheme_msg_write(srv, q->tag, 0, &tm, sizeof(tm)) == sizeof(tm) ? 0 : -EFAULT;
	}
	if (scheme_msg_read(srv, q->tag, 0, &tm, sizeof(tm)) != sizeof(tm))
		return -EFAULT;
	if (rtctime_from_tm(&tm, &secs))
		return -EINVAL;
	return set_rtc(q, secs);
}

static int d_ioctl(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	r->result = ioctl_rtc(srv, q);
	return SCHEME_REPLY_NOW;
}

/* rtc: is a character device anyone may read (Linux's /dev/rtc0 is a
 * character device too, its major chosen at boot: here none). */
#define RTC_MODE (S_IFCHR | 0644)

static int d_fstat(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	r->result = scheme_stat_device(srv, q, RTC_MODE, 0);
	return SCHEME_REPLY_NOW;
}

static int d_close(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)srv;
	(void)q;
	r->result = 0;
	return SCHEME_REPLY_NOW;
}

/* Starts the counter if stopped, masks and clears the alarm interrupt,
 * and sets CLOCK_REALTIME from it (refused without the clock right:
 * logged, and the daemon serves rtc: all the same). */
static void setup_clock(void)
{
	struct timespec ts;

	if (!(reg_read(PL031_RTCCR) & PL031_RTCCR_START))
		reg_write(PL031_RTCCR, PL031_RTCCR_START);
	reg_write(PL031_RTCIMSC, 0);
	reg_write(PL031_RTCICR, PL031_RTCINTR);
	ts.tv_sec = (time_t)reg_read(PL031_RTCDR);
	ts.tv_nsec = 0;
	if (clock_settime(CLOCK_REALTIME, &ts))
		fprintf(stderr, "pl031d: cannot set CLOCK_REALTIME: %s\n", strerror(errno));
}

int main(int argc, char **argv)
{
	struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = d_open, [SCHEME_OP_READ] = d_read, [SCHEME_OP_WRITE] = d_write,
		[SCHEME_OP_IOCTL] = d_ioctl, [SCHEME_OP_FSTAT] = d_fstat, [SCHEME_OP_CLOSE] = d_close,
	} };
	struct devgrant g;
	int err = devgrant_load(argc > 1 ? argv[1] : NULL, true, &g);

	if (err || g.nmem < 1 || g.mem[0].size < PL031_SIZE) {
		fprintf(stderr, "pl031d: no PL031 registers in my grant (%s)\n",
			err ? strerror(-err) : "no mem line");
		return EXIT_NO_DEVICE;
	}
	regs = devgrant_map(g.mem[0].base, PL031_SIZE);
	if (!regs) {
		fprintf(stderr, "pl031d: cannot map 0x%llx: %s\n",
			(unsigned long long)g.mem[0].base, strerror(errno));
		return EXIT_NO_DEVICE;
	}
	if (!is_pl031()) {
		fprintf(stderr, "pl031d: 0x%llx is not a PL031\n", (unsigned long long)g.mem[0].base);
		return EXIT_NO_DEVICE;
	}
	setup_clock();
	srv.fd = scheme_register_name(SCHEME_NAME, O_CLOEXEC);
	if (srv.fd < 0) {
		fprintf(stderr, "pl031d: cannot register " SCHEME_NAME ": %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	err = scheme_serve(&srv);
	fprintf(stderr, "pl031d: serving stopped: %s\n", strerror(err));
	return EXIT_FAILURE;
}
