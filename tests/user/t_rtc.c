/*
 * t_rtc: the clock right and the PL031 daemon (Anode only, QEMU virt).
 * clock_settime and settimeofday: Linux's EINVAL/EFAULT rules, EPERM for a
 * process that narrowed its grant without the clock right, and with it the
 * time changes. pl031d is the one the boot chain started (drvmgr, with the
 * PL031 node and the clock right): it set CLOCK_REALTIME (plausible, and
 * within a minute of the host's time if the command line gives it: t_rtc
 * -- SECONDS; checked first, before this test sets the clock); rtc: reads
 * the time as text and through RTC_RD_TIME; bad requests are refused and
 * the daemon keeps serving; setting rtc: without the right is EPERM, with
 * it the hardware clock changes; kill -9 of pl031d: a held descriptor gets
 * EIO, drvmgr restarts it within a second and the new one serves.
 * Prints "PASS: t_rtc" or "FAIL: t_rtc: <reason>".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "schemeinfo.h"

/* The daemon's calendar and text form, compiled in: a test is one file. */
#include "../../drivers/pl031d/rtctime.c"

#define FAIL(...) do { \
	printf("FAIL: t_rtc: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

#define RTC_NODE "/pl031@9010000"	/* QEMU virt's PL031 */
#define RTC_PATH "rtc:"
/* 2025-01-01T00:00:00Z: a clock set from QEMU's RTC (the host's time) is later. */
#define PLAUSIBLE_TIME 1735689600L
/* What the test sets the clock to: 2001, far from any RTC time, so a change shows. */
#define TEST_TIME 1000000000L
#define HOST_SLACK 60		/* s: "date within a minute of the host" */
#define CLOSE_SLACK 3		/* s between two readings of the same clock */
#define RTC_SHIFT 1000		/* s the test moves the hardware clock by */
#define START_WAIT_NS 5000000000LL	/* pl031d registers within 5 s */
#define START_POLL_NS 10000000L	/* polled every 10 ms: registering has no event */
#define NS_PER_SEC 1000000000L

static int64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	CHECK(clock_gettime(clock, &ts) == 0, "clock_gettime: %s", strerror(errno));
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Narrows this process's grant to text; the errno, 0 on success. */
static int narrow(const char *text)
{
	int fd = open("grant:", O_RDWR), err = 0;

	CHECK(fd >= 0, "open grant: %s", strerror(errno));
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = errno;
	close(fd);
	return err;
}

/* Runs fn in a child that first narrowed its grant to grant_text; fails
 * the test if the child does. */
static void in_child(const char *grant_text, void (*fn)(void), const char *what)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		CHECK(narrow(grant_text) == 0, "%s: narrow: %s", what, strerror(errno));
		fn();
		exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "%s: the child failed", what);
}

/* Whether this process's grant: lists the clock right. */
static bool has_clock_right(void)
{
	static char text[8192];
	int fd = open("grant:", O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open grant: %s", strerror(errno));
	n = pread(fd, text, sizeof(text) - 1, 0);
	CHECK(n >= 0, "read grant: %s", strerror(errno));
	text[n] = '\0';
	close(fd);
	return strstr(text, "right clock\n") != NULL;
}

static int settime(clockid_t clock, const struct timespec *ts)
{
	/* The system call itself: musl's wrapper would not pass a bad pointer. */
	return syscall(SYS_clock_settime, clock, ts) ? errno : 0;
}

static void check_clock_errors(void)
{
	struct timespec ok = { TEST_TIME, 0 };
	struct timespec bad_ns = { TEST_TIME, NS_PER_SEC }, neg = { -1, 0 };
	struct timeval tv = { TEST_TIME, 1000000 };

	CHECK(settime(CLOCK_MONOTONIC, &ok) == EINVAL, "setting CLOCK_MONOTONIC is not EINVAL");
	CHECK(settime(CLOCK_REALTIME, (void *)8) == EFAULT, "a bad pointer is not EFAULT");
	CHECK(settime(CLOCK_REALTIME, &bad_ns) == EINVAL, "tv_nsec = 1e9 is not EINVAL");
	CHECK(settime(CLOCK_REALTIME, &neg) == EINVAL, "a negative time is not EINVAL");
	CHECK(syscall(SYS_settimeofday, &tv, NULL) == -1 && errno == EINVAL,
	      "settimeofday tv_usec = 1e6 is not EINVAL");
	CHECK(syscall(SYS_settimeofday, (void *)8, NULL) == -1 && errno == EFAULT,
	      "settimeofday with a bad pointer is not EFAULT");
}

static void set_without_right(void)
{
	struct timespec ts = { TEST_TIME, 0 };
	struct timeval tv = { TEST_TIME, 0 };
	int64_t before = now_ns(CLOCK_REALTIME);

	CHECK(!has_clock_right(), "narrowing to a node kept the clock right");
	CHECK(settime(CLOCK_REALTIME, &ts) == EPERM, "clock_settime without the right is not EPERM");
	CHECK(syscall(SYS_settimeofday, &tv, NULL) == -1 && errno == EPERM,
	      "settimeofday without the right is not EPERM");
	/* The refused calls changed nothing (the clock kept running on). */
	CHECK(now_ns(CLOCK_REALTIME) >= before, "a refused setting moved the clock");
}

static void set_with_right(void)
{
	struct timespec ts = { TEST_TIME, 0 };
	struct timeval tv = { TEST_TIME + RTC_SHIFT, 0 };
	int64_t t;

	CHECK(has_clock_right(), "narrowing to \"right clock\" dropped it");
	CHECK(settime(CLOCK_REALTIME, &ts) == 0, "clock_settime with the right: %s", strerror(errno));
	t = now_ns(CLOCK_REALTIME) / NS_PER_SEC;
	CHECK(t >= TEST_TIME && t < TEST_TIME + CLOSE_SLACK, "clock_settime did not set: %lld", (long long)t);
	CHECK(settimeofday(&tv, NULL) == 0, "settimeofday with the right: %s", strerror(errno));
	t = now_ns(CLOCK_REALTIME) / NS_PER_SEC;
	CHECK(t >= TEST_TIME + RTC_SHIFT && t < TEST_TIME + RTC_SHIFT + CLOSE_SLACK,
	      "settimeofday did not set: %lld", (long long)t);
	CHECK(settime(CLOCK_REALTIME, &ts) == 0, "clock_settime back: %s", strerror(errno));
}

static void check_clock_right(void)
{
	CHECK(has_clock_right(), "the first process's grant has no clock right");
	CHECK(narrow("right sundial") == EINVAL, "an unknown right is not EINVAL");
	CHECK(narrow(RTC_NODE "\nright clock\nright sundial") == EINVAL,
	      "a write with an unknown right is not EINVAL");
	CHECK(has_clock_right(), "a refused write dropped the clock right");
	check_clock_errors();
	in_child(RTC_NODE, set_without_right, "without the clock right");
	in_child("right clock", set_with_right, "with the clock right");
	/* The child's setting is the system's. */
	CHECK(now_ns(CLOCK_REALTIME) / NS_PER_SEC < TEST_TIME + CLOSE_SLACK, "the child's setting did not hold");
	printf("t_rtc: clock_settime and settimeofday checked\n");
}

/* The boot chain's pl031d, once it serves rtc: (bounded wait). */
static pid_t running_pl031d(pid_t not)
{
	int64_t deadline = now_ns(CLOCK_MONOTONIC) + START_WAIT_NS;
	const struct timespec poll_gap = { 0, START_POLL_NS };
	pid_t pid;

	while ((pid = scheme_server("rtc")) <= 0 || pid == not) {
		CHECK(now_ns(CLOCK_MONOTONIC) < deadline, "no pl031d serves rtc:");
		nanosleep(&poll_gap, NULL);
	}
	return pid;
}

static uint64_t rtc_read(void)
{
	char text[32];
	uint64_t secs;
	int fd = open(RTC_PATH, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open rtc: %s", strerror(errno));
	n = read(fd, text, sizeof(text));
	CHECK(n > 0, "read rtc: %s", strerror(errno));
	CHECK(rtctime_parse(text, (size_t)n, &secs) == 0, "rtc: read '%.*s'", (int)n, text);
	CHECK(read(fd, text, sizeof(text)) == 0, "rtc: no end of file after the line");
	close(fd);
	return secs;
}

static int rtc_write(const char *text)
{
	int fd = open(RTC_PATH, O_WRONLY), err = 0;

	CHECK(fd >= 0, "open rtc: %s", strerror(errno));
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = errno;
	close(fd);
	return err;
}

static int rtc_ioctl(unsigned long cmd, void *arg)
{
	int fd = open(RTC_PATH, O_RDWR), err = 0;

	CHECK(fd >= 0, "open rtc: %s", strerror(errno));
	if (ioctl(fd, cmd, arg))
		err = errno;
	close(fd);
	return err;
}

static void check_time(long host)
{
	int64_t real = now_ns(CLOCK_REALTIME) / NS_PER_SEC;
	uint64_t rtc = rtc_read(), secs;
	struct rtc_time tm;

	printf("t_rtc: CLOCK_REALTIME %lld, rtc: %llu, host %ld\n", (long long)real,
	       (unsigned long long)rtc, host);
	CHECK(real > PLAUSIBLE_TIME, "pl031d did not set CLOCK_REALTIME: %lld", (long long)real);
	CHECK(llabs((long long)rtc - (long long)real) <= CLOSE_SLACK, "rtc: and CLOCK_REALTIME differ");
	if (host)
		CHECK(llabs((long long)real - host) <= HOST_SLACK, "not within a minute of the host");
	CHECK(rtc_ioctl(RTC_RD_TIME, &tm) == 0, "RTC_RD_TIME: %s", strerror(errno));
	CHECK(rtctime_from_tm(&tm, &secs) == 0, "RTC_RD_TIME gave a bad date");
	CHECK(secs >= rtc && secs <= rtc + CLOSE_SLACK, "RTC_RD_TIME and read differ");
	printf("t_rtc: RTC_RD_TIME %04d-%02d-%02d %02d:%02d:%02d UTC\n", tm.tm_year + 1900,
	       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void check_bad_requests(void)
{
	char small[4];
	struct rtc_time tm;
	int fd = open(RTC_PATH, O_RDONLY);

	CHECK(fd >= 0, "open rtc: %s", strerror(errno));
	CHECK(read(fd, small, sizeof(small)) == -1 && errno == EINVAL, "a short read is not EINVAL");
	close(fd);
	CHECK(open("rtc:other", O_RDONLY) == -1 && errno == ENOENT, "rtc:other is not ENOENT");
	CHECK(rtc_write("soon\n") == EINVAL, "writing text is not EINVAL");
	CHECK(rtc_write("99999999999\n") == EINVAL, "a time past the counter is not EINVAL");
	CHECK(rtc_ioctl(TIOCGWINSZ, small) == ENOTTY, "an unknown ioctl is not ENOTTY");
	CHECK(rtc_ioctl(RTC_SET_TIME, (void *)8) == EFAULT, "RTC_SET_TIME from a bad pointer is not EFAULT");
	CHECK(rtc_ioctl(RTC_RD_TIME, &tm) == 0, "RTC_RD_TIME: %s", strerror(errno));
	tm.tm_mon = 12;
	CHECK(rtc_ioctl(RTC_SET_TIME, &tm) == EINVAL, "month 12 is not EINVAL");
	tm.tm_mon = 1;
	tm.tm_mday = 30;
	CHECK(rtc_ioctl(RTC_SET_TIME, &tm) == EINVAL, "February 30 is not EINVAL");
	CHECK(rtc_read() > PLAUSIBLE_TIME, "pl031d stopped serving after bad requests");
	printf("t_rtc: bad requests refused, still serving\n");
}

static void set_rtc_without_right(void)
{
	struct rtc_time tm;

	CHECK(rtc_write("1000000000\n") == EPERM, "writing rtc: without the right is not EPERM");
	CHECK(rtc_ioctl(RTC_RD_TIME, &tm) == 0, "RTC_RD_TIME without the right: %s", strerror(errno));
	CHECK(rtc_ioctl(RTC_SET_TIME, &tm) == EPERM, "RTC_SET_TIME without the right is not EPERM");
}

static void check_set_rtc(void)
{
	uint64_t before = rtc_read(), after;
	char text[RTCTIME_TEXT_MAX];
	struct rtc_time tm;

	in_child(RTC_NODE, set_rtc_without_right, "rtc: without the clock right");
	CHECK(rtc_read() < before + CLOSE_SLACK, "a refused setting moved the RTC");
	rtctime_format(before + RTC_SHIFT, text);
	CHECK(rtc_write(text) == 0, "writing rtc: %s", strerror(errno));
	after = rtc_read();
	CHECK(after >= before + RTC_SHIFT && after < before + RTC_SHIFT + CLOSE_SLACK,
	      "the write did not set the RTC: %llu", (unsigned long long)after);
	rtctime_to_tm(before, &tm);
	CHECK(rtc_ioctl(RTC_SET_TIME, &tm) == 0, "RTC_SET_TIME: %s", strerror(errno));
	after = rtc_read();
	CHECK(after >= before && after < before + CLOSE_SLACK, "RTC_SET_TIME did not set the RTC");
	printf("t_rtc: setting rtc: checked\n");
}

static void check_daemon_death(pid_t pid)
{
	int held = open(RTC_PATH, O_RDONLY);
	int64_t t0;
	char text[32];

	CHECK(held >= 0, "open rtc: %s", strerror(errno));
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(kill(pid, SIGKILL) == 0, "kill pl031d: %s", strerror(errno));
	CHECK(read(held, text, sizeof(text)) == -1 && errno == EIO,
	      "a held descriptor after kill -9: %s", strerror(errno));
	close(held);
	pid = running_pl031d(pid); /* drvmgr's restart registers rtc again */
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 < NS_PER_SEC, "pl031d took more than a second to return");
	CHECK(rtc_read() > PLAUSIBLE_TIME, "a restarted pl031d does not serve");
	printf("t_rtc: kill -9 checked (pl031d back as pid %d after %lld ms)\n", (int)pid,
	       (long long)((now_ns(CLOCK_MONOTONIC) - t0) / 1000000));
}

int main(int argc, char **argv)
{
	long host = argc > 1 ? atol(argv[1]) : 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0); /* nothing left buffered for a fork to repeat */
	pid = running_pl031d(0);
	check_time(host); /* pl031d's setting at boot, before this test moves the clock */
	check_clock_right();
	check_bad_requests();
	check_set_rtc();
	check_daemon_death(pid);
	printf("PASS: t_rtc\n");
	return 0;
}
