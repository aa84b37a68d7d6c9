/*
 * t_usready: Anode only (the scheme protocol itself): a daemon's readiness
 * reports and its view of the caller (syscall/abi/scheme_proto.h). A forked
 * test daemon serves "usrdy": "plain" opens without SCHEME_AUX_POLLED
 * (always ready), "polled" with it (not ready until reported). A write of
 * "in" or "none" to a polled handle makes the daemon report POLLIN|POLLOUT
 * or 0 for it after replying; a read answers the caller as
 * SCHEME_IOC_CALLER gives it (pid, effective ids, groups). Checked: the
 * initial mask 0, a report seen by poll at once and waking a poll blocked
 * in another process, the mask going back to 0; READY for an unknown id
 * (ENOENT), with unknown bits (EINVAL), from a bad pointer (EFAULT);
 * CALLER for a tag not in flight (ENOENT); a caller with dropped ids and
 * two groups seen as such; POLLHUP|POLLERR once the daemon dies.
 * Prints "PASS: t_usready" or "FAIL: t_usready: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"

#define TEST_NAME "t_usready"
#include "check.h"

#define NAME "usrdy"
#define WAIT_MS 20000        /* "for ever" that still ends if the test is broken */
#define NOT_IN_FLIGHT 0x7777 /* a tag no request has */
#define UNKNOWN_ID 999999
#define BAD_BITS 0x100000
#define BAD_PTR ((void *)8)
#define USER_ID 1000
#define GROUP_ID 55
#define REAL_ID 2000          /* the real uid and gid, unlike the effective */

static uint64_t next_id = 1;

/* The daemon's checks of malformed ioctls: 0 if all refused rightly. */
static int bad_ioctls(struct scheme_server *srv, uint64_t id)
{
	struct scheme_caller c;

	errno = 0;
	if (scheme_ready(srv, UNKNOWN_ID, POLLIN) != -1 || errno != ENOENT)
		return 1;
	if (scheme_ready(srv, id, BAD_BITS) != -1 || errno != EINVAL)
		return 2;
	if (ioctl(srv->fd, SCHEME_IOC_READY, BAD_PTR) != -1 || errno != EFAULT)
		return 3;
	if (scheme_caller(srv, NOT_IN_FLIGHT, &c) != -1 || errno != ENOENT)
		return 4;
	return 0;
}

static int d_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[16];
	uint64_t id = next_id++;

	if (scheme_req_path(srv, q, path, sizeof(path)) || (strcmp(path, "plain") && strcmp(path, "polled"))) {
		r->result = -ENOENT;
		return SCHEME_REPLY_NOW;
	}
	if (!strcmp(path, "plain")) {
		r->result = (int64_t)id;
		return SCHEME_REPLY_NOW;
	}
	/* The reply first: the kernel links the handle when it takes it. */
	scheme_reply(srv, q->tag, (int64_t)id, SCHEME_AUX_POLLED);
	return SCHEME_REPLY_LATER;
}

static int d_write(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char what[8] = "";
	uint64_t len = q->args[SCHEME_ARG_LEN] < sizeof(what) - 1 ? q->args[SCHEME_ARG_LEN] : 0;

	if (len && scheme_msg_read(srv, q->tag, 0, what, len) != (long)len)
		len = 0;
	if (!strcmp(what, "bad")) {
		r->result = -bad_ioctls(srv, q->id) ?: (int64_t)len;
		return SCHEME_REPLY_NOW;
	}
	scheme_reply(srv, q->tag, (int64_t)len, 0);
	scheme_ready(srv, q->id, !strcmp(what, "in") ? POLLIN | POLLOUT : 0);
	return SCHEME_REPLY_LATER;
}

static int d_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct scheme_caller c;

	if (scheme_caller(srv, q->tag, &c) != 0)
		r->result = -errno;
	else if (q->args[SCHEME_ARG_LEN] < sizeof(c))
		r->result = -EINVAL;
	else
		r->result = scheme_msg_write(srv, q->tag, 0, &c, sizeof(c));
	return SCHEME_REPLY_NOW;
}

static int d_close(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)srv;
	(void)q;
	r->result = 0;
	return SCHEME_REPLY_NOW;
}

static __attribute__((noreturn)) void daemon_main(int ready_fd)
{
	struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = d_open, [SCHEME_OP_WRITE] = d_write, [SCHEME_OP_READ] = d_read,
		[SCHEME_OP_CLOSE] = d_close,
	} };

	srv.fd = scheme_register_name(NAME, O_CLOEXEC);
	if (srv.fd < 0 || write(ready_fd, "r", 1) != 1)
		_exit(1);
	scheme_serve(&srv);
	_exit(0);
}

static unsigned revents(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	int n = poll(&p, 1, ms);

	CHECK(n >= 0, "poll: %s", strerror(errno));
	return n ? (unsigned short)p.revents : 0;
}

static void say(int fd, const char *what)
{
	CHECK(write(fd, what, strlen(what)) == (ssize_t)strlen(what), "write %s: %s", what,
	      strerror(errno));
}

/* The daemon reports after replying, and the caller may run first (on
 * another CPU, or handed the CPU by the reply): a round trip on plain,
 * which the daemon serves only after the write before, lets the report in. */
static void settle(int plain)
{
	struct scheme_caller c;

	CHECK(read(plain, &c, sizeof(c)) == sizeof(c), "round trip: %s", strerror(errno));
}

/* A process blocked in poll on fd wakes when the parent reports POLLIN. */
static void wake_other_process(int fd)
{
	int hs[2], status;
	char c;
	pid_t kid;

	CHECK(pipe(hs) == 0, "pipe");
	kid = fork();
	CHECK(kid >= 0, "fork");
	if (kid == 0) {
		if (write(hs[1], "w", 1) != 1)
			_exit(2);
		_exit(revents(fd, WAIT_MS) & POLLIN ? 0 : 1);
	}
	CHECK(read(hs[0], &c, 1) == 1, "handshake");
	say(fd, "in");
	CHECK(waitpid(kid, &status, 0) == kid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the blocked poller did not see POLLIN: status %#x", status);
	close(hs[0]);
	close(hs[1]);
}

/* In a child: dropped ids and two groups, as the daemon sees them. */
static void caller_view(void)
{
	gid_t groups[] = { 7, 3 };
	struct scheme_caller c;
	int fd;

	/* The request carries the effective ids, not the real ones. */
	CHECK(setgroups(2, groups) == 0 && setresgid(REAL_ID, GROUP_ID, REAL_ID) == 0 &&
	      setresuid(REAL_ID, USER_ID, REAL_ID) == 0, "dropping ids: %s", strerror(errno));
	fd = open(NAME ":plain", O_RDWR);
	CHECK(fd >= 0, "open plain: %s", strerror(errno));
	CHECK(read(fd, &c, sizeof(c)) == sizeof(c), "read the caller: %s", strerror(errno));
	CHECK(c.pid == (uint32_t)getpid() && c.uid == USER_ID && c.gid == GROUP_ID,
	      "caller %u %u/%u, want %d %d/%d", c.pid, c.uid, c.gid, getpid(), USER_ID, GROUP_ID);
	CHECK(c.ngroups == 2 && c.groups[0] == 3 && c.groups[1] == 7, "groups: %u [%u %u]",
	      c.ngroups, c.groups[0], c.groups[1]);
	exit(0);
}

int main(void)
{
	int ready[2], plain, polled, status;
	pid_t d, kid;
	char c;

	setvbuf(stdout, NULL, _IONBF, 0);
	CHECK(pipe(ready) == 0, "pipe");
	d = fork();
	CHECK(d >= 0, "fork");
	if (d == 0)
		daemon_main(ready[1]);
	CHECK(read(ready[0], &c, 1) == 1, "the daemon did not start");
	plain = open(NAME ":plain", O_RDWR);
	polled = open(NAME ":polled", O_RDWR);
	CHECK(plain >= 0 && polled >= 0, "open: %s", strerror(errno));
	CHECK(revents(plain, 0) == (POLLIN | POLLOUT), "a plain handle is not always ready");
	CHECK(revents(polled, 0) == 0, "a polled handle is ready before any report");
	say(polled, "in");
	settle(plain);
	CHECK(revents(polled, 0) == (POLLIN | POLLOUT), "the report was not seen");
	say(polled, "none");
	settle(plain);
	CHECK(revents(polled, 0) == 0, "the mask did not go back to 0");
	wake_other_process(polled);
	printf("t_usready: readiness reports ok\n");
	CHECK(write(polled, "bad", 3) == 3, "malformed READY/CALLER not refused rightly: %s",
	      strerror(errno));
	printf("t_usready: malformed ioctls refused ok\n");
	kid = fork();
	CHECK(kid >= 0, "fork");
	if (kid == 0)
		caller_view();
	CHECK(waitpid(kid, &status, 0) == kid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "caller view child: status %#x", status);
	printf("t_usready: the caller's ids and groups ok\n");
	CHECK(kill(d, SIGKILL) == 0 && waitpid(d, &status, 0) == d, "killing the daemon");
	CHECK((revents(polled, WAIT_MS) & (POLLHUP | POLLERR)) == (POLLHUP | POLLERR),
	      "no POLLHUP|POLLERR after the daemon died");
	CHECK((revents(plain, 0) & (POLLHUP | POLLERR)) == (POLLHUP | POLLERR),
	      "plain: no POLLHUP|POLLERR after the daemon died");
	printf("PASS: t_usready\n");
	return 0;
}
