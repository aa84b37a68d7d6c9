/*
 * t_poll_timerfd: timer descriptors (Linux calls only). A one-shot
 * CLOCK_MONOTONIC timer wakes epoll_wait and ppoll and reads as 1; before
 * it fires a TFD_NONBLOCK read is EAGAIN; timerfd_gettime shows the time
 * left and the interval, and 0 once disarmed (the old value comes back
 * from settime); a periodic timer's count grows (one read takes it all);
 * an absolute CLOCK_REALTIME time fires a blocking read; a past absolute
 * time fires at once; bad clock, flags, tv_nsec, short read buffer and bad
 * descriptors are refused.
 * Prints "PASS: t_poll_timerfd" or "FAIL: t_poll_timerfd: <reason>".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "timeutil.h"
#define TEST_NAME "t_poll_timerfd"
#include "check.h"

#define SHORT_MS 20
#define PERIOD_MS 10
#define LONG_WAIT_MS 20000  /* "for ever" that still ends if the test is broken */
#define LONG_S 100          /* a timer that does not fire during the test */

static struct itimerspec its(int64_t value_ns, int64_t interval_ns)
{
	return (struct itimerspec){ .it_value = ns_ts(value_ns), .it_interval = ns_ts(interval_ns) };
}

static uint64_t read_count(int fd)
{
	uint64_t n = 0;

	CHECK(read(fd, &n, sizeof(n)) == sizeof(n), "read: %s", strerror(errno));
	return n;
}

static void one_shot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 5 };
	struct itimerspec cur, t = its(SHORT_MS * NSEC_PER_MSEC, 0);
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	uint64_t n;

	CHECK(fd >= 0 && ep >= 0, "timerfd_create: %s", strerror(errno));
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "epoll add: %s", strerror(errno));
	CHECK(timerfd_gettime(fd, &cur) == 0 && !cur.it_value.tv_sec && !cur.it_value.tv_nsec,
	      "new timer armed");
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN, "read before arming");
	CHECK(timerfd_settime(fd, 0, &t, NULL) == 0, "settime: %s", strerror(errno));
	CHECK(timerfd_gettime(fd, &cur) == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= SHORT_MS * NSEC_PER_MSEC, "gettime: %ld",
	      (long)cur.it_value.tv_nsec);
	CHECK(epoll_wait(ep, &ev, 1, LONG_WAIT_MS) == 1 && ev.data.u32 == 5, "epoll wake");
	CHECK(ppoll(&pf, 1, NULL, NULL) == 1 && pf.revents == POLLIN, "ppoll");
	CHECK(read_count(fd) == 1, "one expiry");
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN, "read after taking the count");
	CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "still ready after read");
	t = its((int64_t)LONG_S * NSEC_PER_SEC, PERIOD_MS * NSEC_PER_MSEC);
	CHECK(timerfd_settime(fd, 0, &t, NULL) == 0, "settime long");
	t = its(0, 0);
	CHECK(timerfd_settime(fd, 0, &t, &cur) == 0 && cur.it_value.tv_sec > 0 &&
	      cur.it_interval.tv_nsec == PERIOD_MS * NSEC_PER_MSEC, "old value");
	CHECK(timerfd_gettime(fd, &cur) == 0 && !cur.it_value.tv_sec && !cur.it_value.tv_nsec,
	      "disarmed timer armed");
	close(fd), close(ep);
}

static void periodic_and_realtime(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0), rt = timerfd_create(CLOCK_REALTIME, 0);
	struct itimerspec t = its(PERIOD_MS * NSEC_PER_MSEC, PERIOD_MS * NSEC_PER_MSEC);
	uint64_t first, second;

	CHECK(fd >= 0 && rt >= 0, "timerfd_create");
	CHECK(timerfd_settime(fd, 0, &t, NULL) == 0, "settime periodic");
	first = read_count(fd);
	second = read_count(fd);
	CHECK(first >= 1 && second >= 1, "periodic counts %llu %llu", (unsigned long long)first,
	      (unsigned long long)second);
	t = its(now_ns(CLOCK_REALTIME) + SHORT_MS * NSEC_PER_MSEC, 0);
	CHECK(timerfd_settime(rt, TFD_TIMER_ABSTIME, &t, NULL) == 0, "settime realtime abs");
	CHECK(read_count(rt) == 1, "realtime expiry");
	t = its(NSEC_PER_SEC, 0); /* 1 s after the epoch: long past */
	CHECK(timerfd_settime(rt, TFD_TIMER_ABSTIME, &t, NULL) == 0 && read_count(rt) == 1,
	      "past absolute time");
	close(fd), close(rt);
}

static void errors(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0), p[2];
	struct itimerspec t = its(0, 0);
	uint32_t small;

	CHECK(pipe(p) == 0, "pipe");
	CHECK_ERR(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL, "bad clock");
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, 1), EINVAL, "bad create flags");
	CHECK_ERR(timerfd_settime(fd, 4, &t, NULL), EINVAL, "bad settime flags");
	t.it_value.tv_nsec = NSEC_PER_SEC;
	CHECK_ERR(timerfd_settime(fd, 0, &t, NULL), EINVAL, "bad tv_nsec");
	t.it_value.tv_nsec = 0;
	CHECK_ERR(timerfd_settime(999, 0, &t, NULL), EBADF, "bad fd");
	CHECK_ERR(timerfd_settime(p[0], 0, &t, NULL), EINVAL, "not a timerfd");
	CHECK_ERR(timerfd_gettime(p[0], &t), EINVAL, "gettime not a timerfd");
	CHECK_ERR(read(fd, &small, sizeof(small)), EINVAL, "short buffer");
	close(fd), close(p[0]), close(p[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	one_shot();
	printf("t_poll_timerfd: one-shot ok\n");
	periodic_and_realtime();
	errors();
	printf("PASS: t_poll_timerfd\n");
	return 0;
}
