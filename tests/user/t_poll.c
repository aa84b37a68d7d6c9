/*
 * t_poll: readiness through ppoll, pselect6 and epoll (Linux calls only).
 *
 * A waiter blocked in ppoll or epoll_pwait on an empty pipe wakes when a
 * thread or another process writes it: the writer writes only after the
 * waiter has said (through a second pipe) that it found the pipe empty and
 * is entering the wait, and the waiter checks it got the event, not a
 * timeout. POLLHUP when the writers are gone, POLLERR on a write end with
 * no reader; EPOLLET reports once per write, EPOLLONESHOT once until
 * re-armed with EPOLL_CTL_MOD, level triggering on every wait; timeouts (0
 * at once, 50 ms within bounds); select's classes on a hung-up pipe; EINTR from a signal let in only by the
 * call's own mask; POLLNVAL; select on a pipe and EBADF; epoll_ctl's
 * EEXIST, ENOENT, EBADF, EINVAL (itself, not an epoll, bad op), EPERM (a
 * regular file), EFAULT; epoll_wait's EINVAL for maxevents <= 0, EFAULT
 * for an unmapped events array (the event stays for the next wait).
 * Prints "PASS: t_poll" or "FAIL: t_poll: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>
#include "timeutil.h"

#define TIMEOUT_MS 50
#define SLACK_MS 500        /* a generous upper bound for a 50 ms wait under TCG */
#define LONG_WAIT_MS 20000  /* "for ever" that still ends if the test is broken */
#define MAXEV 8

#define TEST_NAME "t_poll"
#include "check.h"

static void mkpipe(int p[2])
{
	CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
}

static void put1(int fd)
{
	CHECK(write(fd, "x", 1) == 1, "write: %s", strerror(errno));
}

static void get1(int fd)
{
	char c;

	CHECK(read(fd, &c, 1) == 1, "read: %s", strerror(errno));
}

/* The waker's side: a data pipe to write once the waiter says "waiting". */
struct waker {
	int data_wr, hello_rd;
};

static void *waker_run(void *arg)
{
	struct waker *w = arg;

	get1(w->hello_rd); /* the waiter found the pipe empty and is waiting */
	for (int i = 0; i < 10; i++)
		sched_yield(); /* let it get into the wait */
	put1(w->data_wr);
	return NULL;
}

static int ppoll_ms(struct pollfd *p, nfds_t n, long ms)
{
	struct timespec ts = ns_ts(ms * NSEC_PER_MSEC);

	return ppoll(p, n, ms < 0 ? NULL : &ts, NULL);
}

/* A waiter (ppoll, or epoll if epfd >= 0) woken by a thread's write. */
static void wake_by_thread(bool use_epoll)
{
	int data[2], hello[2], ep = -1, n;
	struct waker w;
	pthread_t th;
	struct pollfd pf;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 };

	mkpipe(data);
	mkpipe(hello);
	w = (struct waker){ data[1], hello[0] };
	if (use_epoll) {
		ep = epoll_create1(EPOLL_CLOEXEC);
		CHECK(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, data[0], &ev) == 0, "epoll set-up");
		CHECK(epoll_wait(ep, &ev, 1, 0) == 0, "empty pipe reported ready");
	}
	pf = (struct pollfd){ .fd = data[0], .events = POLLIN };
	CHECK(ppoll_ms(&pf, 1, 0) == 0, "empty pipe readable");
	CHECK(pthread_create(&th, NULL, waker_run, &w) == 0, "pthread_create");
	put1(hello[1]);
	if (use_epoll) {
		n = epoll_wait(ep, &ev, 1, LONG_WAIT_MS);
		CHECK(n == 1 && ev.events == EPOLLIN && ev.data.u64 == 42, "epoll wake: %d %x", n,
		      ev.events);
	} else {
		n = ppoll_ms(&pf, 1, LONG_WAIT_MS);
		CHECK(n == 1 && pf.revents == POLLIN, "ppoll wake: %d %x", n, pf.revents);
	}
	pthread_join(th, NULL);
	close(data[0]), close(data[1]), close(hello[0]), close(hello[1]);
	if (ep >= 0)
		close(ep);
}

/* The same with a child process as the writer, which then exits: its
 * write end closing leaves the parent's, so no POLLHUP yet. */
static void wake_by_process(void)
{
	int data[2], hello[2], ep = epoll_create1(0), st;
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = 0 };
	pid_t pid;

	mkpipe(data);
	mkpipe(hello);
	ev.data.fd = data[0];
	CHECK(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, data[0], &ev) == 0, "epoll set-up");
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		struct waker w = { data[1], hello[0] };

		waker_run(&w);
		_exit(0);
	}
	put1(hello[1]);
	CHECK(epoll_wait(ep, &ev, 1, LONG_WAIT_MS) == 1 && ev.data.fd == data[0] &&
	      ev.events == EPOLLIN, "epoll wake by a process");
	CHECK(waitpid(pid, &st, 0) == pid && st == 0, "child");
	close(data[0]), close(data[1]), close(hello[0]), close(hello[1]), close(ep);
}

/* select: a hung-up read end is readable (end of file), never writable. */
static void select_hup(int fd)
{
	struct timespec zero = { 0, 0 };
	fd_set rd, wr;

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &wr);
	CHECK(pselect(fd + 1, NULL, &wr, NULL, &zero, NULL) == 0 && !FD_ISSET(fd, &wr),
	      "select: hung-up read end writable");
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	CHECK(pselect(fd + 1, &rd, &wr, NULL, &zero, NULL) == 1 && FD_ISSET(fd, &rd) &&
	      !FD_ISSET(fd, &wr), "select: hung-up read end not readable");
}

static void hup_and_err(void)
{
	int p[2], ep = epoll_create1(0);
	struct pollfd pf;
	struct epoll_event ev = { .events = EPOLLIN };

	mkpipe(p);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll add");
	close(p[1]);
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	CHECK(ppoll_ms(&pf, 1, LONG_WAIT_MS) == 1 && (pf.revents & POLLHUP), "POLLHUP: %x",
	      pf.revents);
	CHECK(epoll_wait(ep, &ev, 1, 0) == 1 && (ev.events & EPOLLHUP), "EPOLLHUP: %x", ev.events);
	select_hup(p[0]);
	close(p[0]);
	close(ep);

	signal(SIGPIPE, SIG_IGN);
	mkpipe(p);
	ep = epoll_create1(0);
	ev.events = EPOLLOUT;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev) == 0, "epoll add");
	close(p[0]);
	pf = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK(ppoll_ms(&pf, 1, 0) == 1 && (pf.revents & POLLERR), "POLLERR: %x", pf.revents);
	CHECK(epoll_wait(ep, &ev, 1, 0) == 1 && (ev.events & EPOLLERR), "EPOLLERR: %x", ev.events);
	close(p[1]);
	close(ep);
}

/* How many events one immediate wait reports. */
static int ready_now(int ep)
{
	struct epoll_event ev[MAXEV];

	return epoll_wait(ep, ev, MAXEV, 0);
}

static void triggering(void)
{
	int p[2], ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };

	mkpipe(p);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll add");
	put1(p[1]);
	CHECK(ready_now(ep) == 1 && ready_now(ep) == 1, "level: reported on every wait");
	ev.events = EPOLLIN | EPOLLET;
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0, "epoll mod ET");
	CHECK(ready_now(ep) == 1, "edge: the data there at MOD");
	CHECK(ready_now(ep) == 0, "edge: reported twice for one write");
	put1(p[1]);
	CHECK(ready_now(ep) == 1 && ready_now(ep) == 0, "edge: a new write, one report");
	ev.events = EPOLLIN | EPOLLONESHOT;
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0, "epoll mod oneshot");
	CHECK(ready_now(ep) == 1 && ready_now(ep) == 0, "oneshot: one report");
	put1(p[1]);
	CHECK(ready_now(ep) == 0, "oneshot: reported while disabled");
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0 && ready_now(ep) == 1,
	      "oneshot: re-armed by MOD");
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0 && ready_now(ep) == 0, "DEL");
	close(p[0]), close(p[1]), close(ep);
}

static void timeouts(void)
{
	int p[2], ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	struct pollfd pf;
	int64_t t0, ms;
	fd_set rd;
	struct timespec ts = ns_ts(TIMEOUT_MS * NSEC_PER_MSEC);

	mkpipe(p);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll add");
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(ppoll_ms(&pf, 1, 0) == 0 && epoll_wait(ep, &ev, 1, 0) == 0, "zero timeouts");
	ms = (now_ns(CLOCK_MONOTONIC) - t0) / NSEC_PER_MSEC;
	CHECK(ms < SLACK_MS, "zero timeouts took %lld ms", (long long)ms);
	for (int kind = 0; kind < 3; kind++) {
		int n;

		FD_ZERO(&rd);
		FD_SET(p[0], &rd);
		t0 = now_ns(CLOCK_MONOTONIC);
		n = kind == 0 ? ppoll_ms(&pf, 1, TIMEOUT_MS) :
		    kind == 1 ? epoll_wait(ep, &ev, 1, TIMEOUT_MS) :
		    pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL);
		ms = (now_ns(CLOCK_MONOTONIC) - t0) / NSEC_PER_MSEC;
		CHECK(n == 0 && ms >= TIMEOUT_MS && ms < TIMEOUT_MS + SLACK_MS,
		      "timeout kind %d: %d after %lld ms", kind, n, (long long)ms);
	}
	put1(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CHECK(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL) == 1 && FD_ISSET(p[0], &rd),
	      "select: readable pipe");
	close(p[0]), close(p[1]), close(ep);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CHECK_ERR(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL), EBADF, "select closed fd");
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* SIGUSR1 is blocked except inside the call (its mask argument), so the
 * child's signal interrupts the wait whenever it arrives. */
static void eintr(void)
{
	int p[2], ep = epoll_create1(0), st;
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t block, inside;
	struct pollfd pf;

	mkpipe(p);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll add");
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &inside);
	sigdelset(&inside, SIGUSR1);
	for (int kind = 0; kind < 2; kind++) {
		pid_t pid;
		int n;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			kill(getppid(), SIGUSR1);
			_exit(0);
		}
		pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
		errno = 0;
		n = kind == 0 ? ppoll(&pf, 1, NULL, &inside) :
				epoll_pwait(ep, &ev, 1, LONG_WAIT_MS, &inside);
		CHECK(n == -1 && errno == EINTR, "EINTR kind %d: %d %s", kind, n, strerror(errno));
		waitpid(pid, &st, 0);
	}
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	close(p[0]), close(p[1]), close(ep);
}

static void nval(void)
{
	int p[2];
	struct pollfd pf[2];

	mkpipe(p);
	close(p[1]);
	close(p[0]);
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = -1, .events = POLLIN };
	CHECK(ppoll_ms(pf, 2, 0) == 1 && pf[0].revents == POLLNVAL && pf[1].revents == 0,
	      "POLLNVAL: %x %x", pf[0].revents, pf[1].revents);
}

static void ctl_errors(void)
{
	int p[2], ep = epoll_create1(0), reg = open("/etc/motd", O_RDONLY);
	struct epoll_event ev = { .events = EPOLLIN }, evs[MAXEV];
	long page = sysconf(_SC_PAGESIZE);
	void *gone;

	mkpipe(p);
	CHECK(reg >= 0, "open /etc/motd: %s", strerror(errno));
	CHECK_ERR(epoll_create1(-1), EINVAL, "epoll_create1 bad flags");
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "add");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST, "add twice");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), ENOENT, "mod absent");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), ENOENT, "del absent");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF, "bad fd");
	CHECK_ERR(epoll_ctl(999, EPOLL_CTL_ADD, p[0], &ev), EBADF, "bad epfd");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL, "itself");
	CHECK_ERR(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev), EINVAL, "epfd not an epoll");
	CHECK_ERR(epoll_ctl(ep, 77, p[0], &ev), EINVAL, "bad op");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev), EPERM, "regular file");
	gone = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(gone != MAP_FAILED && munmap(gone, (size_t)page) == 0, "mmap/munmap");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], gone), EFAULT, "ctl bad event");
	CHECK_ERR(epoll_wait(ep, evs, 0, 0), EINVAL, "maxevents 0");
	CHECK_ERR(epoll_wait(ep, evs, -1, 0), EINVAL, "maxevents -1");
	CHECK_ERR(epoll_wait(p[0], evs, 1, 0), EINVAL, "wait on a pipe");
	put1(p[1]);
	CHECK_ERR(epoll_wait(ep, gone, 1, 0), EFAULT, "bad events array");
	CHECK(epoll_wait(ep, evs, MAXEV, 0) == 1, "event lost after EFAULT");
	close(p[0]), close(p[1]), close(ep), close(reg);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	wake_by_thread(false);
	wake_by_thread(true);
	printf("t_poll: thread wakes ok\n");
	wake_by_process();
	hup_and_err();
	printf("t_poll: hup/err ok\n");
	triggering();
	printf("t_poll: level/edge/oneshot ok\n");
	timeouts();
	eintr();
	nval();
	printf("t_poll: timeouts/eintr/nval ok\n");
	ctl_errors();
	printf("PASS: t_poll\n");
	return 0;
}
