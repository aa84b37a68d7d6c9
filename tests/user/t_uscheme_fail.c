/*
 * t_uscheme_fail: failures around a user-space scheme (Anode only), served
 * by the daemon of tests/user/uscheme_testd.h: a signal to a client blocked
 * on the daemon gives EINTR and the daemon a CANCEL; under SA_RESTART the
 * read starts again (and SIGKILL ends it without waiting); a daemon that
 * ignores the cancel still lets the call end with EINTR; killing the daemon
 * fails a blocked call with EIO at once, old descriptors with EIO, opens
 * with ENODEV, and a new daemon can take the name. Readiness: a scheme
 * descriptor polls readable only while a request waits, epoll wakes on a
 * new one, and a client's descriptor polls POLLHUP | POLLERR once the
 * daemon is gone.
 * Prints "PASS: t_uscheme_fail" or "FAIL: t_uscheme_fail: <reason>".
 */
#define TEST_NAME "t_uscheme_fail"
#include "uscheme_testd.h"
#include <poll.h>
#include <sys/epoll.h>

static void on_usr1(int sig)
{
	(void)sig;
}

/* A child that reads one byte of name with a SIGUSR1 handler installed
 * (sa_flags: SA_RESTART or 0); it exits 0 if the read fails with want. */
static pid_t spawn_reader(const char *name, int sa_flags, int want)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = sa_flags };
	pid_t kid = fork();

	CHECK(kid >= 0, "fork");
	if (kid == 0) {
		char c;
		int fd = open_ut(name, O_RDONLY);

		sigaction(SIGUSR1, &sa, NULL);
		_exit(fd >= 0 && read(fd, &c, 1) == -1 && errno == want ? 0 : 1);
	}
	return kid;
}

static void reap_ok(pid_t kid, const char *what)
{
	int status;

	CHECK(waitpid(kid, &status, 0) == kid && WIFEXITED(status) && !WEXITSTATUS(status), "%s", what);
}

static void test_signal(void)
{
	pid_t kid = spawn_reader("hang", 0, EINTR);

	expect('H');
	kill(kid, SIGUSR1);
	expect('C');
	reap_ok(kid, "the interrupted read was not EINTR");
	printf("t_uscheme_fail: cancel on signal ok\n");
}

/* Under SA_RESTART the cancelled read starts again (the daemon sees it
 * twice); SIGKILL then ends the client at once. */
static void test_restart(void)
{
	pid_t kid = spawn_reader("hang", SA_RESTART, 0);
	int status;

	expect('H');
	kill(kid, SIGUSR1);
	expect('C');
	expect('H');
	kill(kid, SIGKILL);
	CHECK(waitpid(kid, &status, 0) == kid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "the restarted read did not wait again");
	printf("t_uscheme_fail: SA_RESTART ok\n");
}

/* A daemon that ignores the cancel: the call still ends, with EINTR,
 * after the kernel's bounded wait (100 ms). */
static void test_deaf(void)
{
	pid_t kid = spawn_reader("deaf", 0, EINTR);

	expect('D');
	kill(kid, SIGUSR1);
	expect('c');
	reap_ok(kid, "a read the daemon never answers did not end with EINTR");
	printf("t_uscheme_fail: unanswered cancel ok\n");
}


static void test_death(pid_t daemon)
{
	int old = open_ut("rw", O_RDONLY), status;
	char c;
	pid_t kid = spawn_reader("hang", 0, EIO);

	CHECK(old >= 0, "open: %s", strerror(errno));
	expect('H');
	kill(daemon, SIGKILL);
	reap_ok(kid, "the blocked call did not fail with EIO");
	CHECK(waitpid(daemon, &status, 0) == daemon, "wait daemon");
	{
		struct pollfd pfd = { .fd = old, .events = POLLIN };

		CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR)) == (POLLHUP | POLLERR),
		      "a dead daemon's descriptor polls %#x", pfd.revents);
	}
	CHECK(read(old, &c, 1) == -1 && errno == EIO, "old descriptor: %s", strerror(errno));
	CHECK(open_ut("rw", O_RDONLY) == -1 && errno == ENODEV, "open of a dead scheme: %s", strerror(errno));
	close(old);
	daemon = start_daemon();
	old = open_ut("rw", O_RDONLY);
	CHECK(old >= 0 && read(old, &c, 1) == 1, "the new daemon serves: %s", strerror(errno));
	close(old);
	kill(daemon, SIGKILL);
	waitpid(daemon, &status, 0);
	printf("t_uscheme_fail: daemon death ok\n");
}

/* The scheme descriptor as a readiness source: this process serves
 * "upoll" itself, without reading, while a child's open waits on it. */
static void test_readiness(void)
{
	int sfd = open("scheme:upoll", O_CREAT | O_RDWR | O_CLOEXEC), ep, status;
	struct epoll_event ev = { .events = EPOLLIN }, got;
	struct pollfd pfd;
	pid_t kid;

	CHECK(sfd >= 0, "register upoll: %s", strerror(errno));
	pfd = (struct pollfd){ .fd = sfd, .events = POLLIN | POLLOUT };
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT, "an idle scheme polls %#x", pfd.revents);
	ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) == 0, "epoll_ctl: %s", strerror(errno));
	kid = fork();
	CHECK(kid >= 0, "fork");
	if (kid == 0) { /* blocks until the daemon (the parent) closes its descriptor */
		close(ep); /* its subscription holds the scheme descriptor too */
		close(sfd);
		_exit(open("upoll:x", O_RDONLY) == -1 ? errno : 0);
	}
	CHECK(epoll_wait(ep, &got, 1, 10000) == 1 && (got.events & EPOLLIN),
	      "epoll did not wake for the request: %s", strerror(errno));
	pfd.revents = 0;
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "a pending request polls %#x", pfd.revents);
	close(ep);
	close(sfd); /* the daemon is gone: the child's open fails with EIO */
	/* An open the dead daemon never answered finds no device (an open
	 * is never half done, so ENODEV, as for a new one; reads get EIO). */
	CHECK(waitpid(kid, &status, 0) == kid && WIFEXITED(status) && WEXITSTATUS(status) == ENODEV,
	      "the blocked open ended with status %#x, not ENODEV", status);
	printf("t_uscheme_fail: readiness ok\n");
}

int main(void)
{
	pid_t daemon;

	setvbuf(stdout, NULL, _IONBF, 0);
	daemon = start_daemon();
	test_signal();
	test_restart();
	test_deaf();
	test_death(daemon);
	test_readiness();
	printf("PASS: t_uscheme_fail\n");
	return 0;
}
