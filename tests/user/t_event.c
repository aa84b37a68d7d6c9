/*
 * t_event: the event: scheme (Anode only; syscall/abi/abi_event.h).
 *
 * open("event:") gives a queue; written struct abi_event_sub records
 * subscribe a pipe's read end level triggered (reported by every read while
 * data is there) or edge triggered (once per write); a read blocks until a
 * child process writes the pipe after the reader said it was about to wait;
 * O_NONBLOCK reads of an empty queue give EAGAIN; a blocked read gets
 * EINTR from a signal whose handler has no SA_RESTART; malformed writes (a partial
 * record, an unknown op, a nonzero pad, a bad descriptor) are refused and
 * change nothing; a read buffer shorter than one record is EINVAL; ppoll on
 * the queue's descriptor shows POLLIN when an event is ready.
 * Prints "PASS: t_event" or "FAIL: t_event: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../syscall/abi/abi_event.h" /* the ABI header the kernel uses */

#define MAXEV 4

#define TEST_NAME "t_event"
#include "check.h"

static int sub(int q, int op, int fd, uint32_t events, uint64_t data)
{
	struct abi_event_sub s = { .op = op, .fd = fd, .events = events, .data = data };

	return write(q, &s, sizeof(s)) == sizeof(s) ? 0 : -1;
}

/* Events one non-blocking read returns (0 for EAGAIN). */
static int ready_now(int q, struct abi_epoll_event *ev)
{
	long n;

	fcntl(q, F_SETFL, O_NONBLOCK);
	n = read(q, ev, MAXEV * sizeof(*ev));
	fcntl(q, F_SETFL, 0);
	if (n < 0 && errno == EAGAIN)
		return 0;
	CHECK(n >= 0 && n % (long)sizeof(*ev) == 0, "read: %ld %s", n, strerror(errno));
	return (int)(n / (long)sizeof(*ev));
}

static void put1(int fd)
{
	CHECK(write(fd, "x", 1) == 1, "write: %s", strerror(errno));
}

static void level_edge(int q, int p[2])
{
	struct abi_epoll_event ev[MAXEV];
	struct pollfd pf = { .fd = q, .events = POLLIN };
	char c;

	CHECK(sub(q, ABI_EVENT_ADD, p[0], ABI_EPOLLIN, 7) == 0, "subscribe: %s", strerror(errno));
	CHECK(ready_now(q, ev) == 0, "empty pipe ready");
	CHECK(poll(&pf, 1, 0) == 0, "queue readable with nothing ready");
	put1(p[1]);
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "queue not readable");
	CHECK(ready_now(q, ev) == 1 && ev[0].events == ABI_EPOLLIN && ev[0].data == 7, "level 1");
	CHECK(ready_now(q, ev) == 1, "level: not reported again");
	CHECK(sub(q, ABI_EVENT_MOD, p[0], ABI_EPOLLIN | ABI_EVENT_EDGE, 8) == 0, "mod edge");
	CHECK(ready_now(q, ev) == 1 && ev[0].data == 8 && ready_now(q, ev) == 0, "edge: once");
	put1(p[1]);
	CHECK(ready_now(q, ev) == 1 && ready_now(q, ev) == 0, "edge: once per write");
	CHECK(read(p[0], &c, 1) == 1 && read(p[0], &c, 1) == 1, "drain");
	CHECK(sub(q, ABI_EVENT_MOD, p[0], ABI_EPOLLIN, 9) == 0, "mod level");
	CHECK(ready_now(q, ev) == 0, "drained pipe still ready");
}

static void blocking_wake(int q, int p[2])
{
	struct abi_epoll_event ev[MAXEV];
	int hello[2], st;
	pid_t pid;
	char c;

	CHECK(pipe(hello) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		CHECK(read(hello[0], &c, 1) == 1, "child handshake");
		for (int i = 0; i < 10; i++)
			sched_yield();
		put1(p[1]);
		_exit(0);
	}
	put1(hello[1]);
	CHECK(read(q, ev, sizeof(ev)) == sizeof(ev[0]) && ev[0].data == 9, "blocking read wake");
	CHECK(waitpid(pid, &st, 0) == pid && st == 0, "child");
	CHECK(read(p[0], &c, 1) == 1, "drain");
	close(hello[0]), close(hello[1]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void interrupted(int q)
{
	struct abi_epoll_event ev[MAXEV];
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	int st;
	pid_t pid;

	pid_t parent = getpid();

	sigaction(SIGUSR1, &sa, NULL);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* Signals until killed: one lands while the parent reads. */
		while (kill(parent, SIGUSR1) == 0)
			sched_yield();
		_exit(0);
	}
	errno = 0;
	CHECK(read(q, ev, sizeof(ev)) == -1 && errno == EINTR, "EINTR: %s", strerror(errno));
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	signal(SIGUSR1, SIG_IGN);
}

static void malformed(int q, int p[2])
{
	struct abi_event_sub s = { .op = ABI_EVENT_ADD, .fd = p[1], .events = ABI_EPOLLOUT };
	struct abi_epoll_event ev[MAXEV];

	CHECK_ERR(write(q, &s, sizeof(s) - 1), EINVAL, "partial record");
	s.op = 99;
	CHECK_ERR(write(q, &s, sizeof(s)), EINVAL, "unknown op");
	s.op = ABI_EVENT_ADD;
	s.__pad = 1;
	CHECK_ERR(write(q, &s, sizeof(s)), EINVAL, "nonzero pad");
	s.__pad = 0;
	s.fd = 999;
	CHECK_ERR(write(q, &s, sizeof(s)), EBADF, "bad fd");
	CHECK_ERR(sub(q, ABI_EVENT_ADD, p[0], ABI_EPOLLIN, 0), EEXIST, "twice");
	CHECK_ERR(sub(q, ABI_EVENT_ADD, q, ABI_EPOLLIN, 0), EINVAL, "itself");
	CHECK(ready_now(q, ev) == 0, "a refused write subscribed something");
	CHECK_ERR(read(q, ev, sizeof(ev[0]) - 1), EINVAL, "short read buffer");
}

int main(void)
{
	int q = open("event:", O_RDWR), p[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	CHECK(q >= 0, "open event:: %s", strerror(errno));
	CHECK(pipe(p) == 0, "pipe");
	level_edge(q, p);
	printf("t_event: level/edge ok\n");
	blocking_wake(q, p);
	interrupted(q);
	printf("t_event: wake/EINTR ok\n");
	malformed(q, p);
	CHECK(sub(q, ABI_EVENT_DEL, p[0], 0, 0) == 0, "del");
	CHECK_ERR(sub(q, ABI_EVENT_DEL, p[0], 0, 0), ENOENT, "del twice");
	close(q);
	printf("PASS: t_event\n");
	return 0;
}
