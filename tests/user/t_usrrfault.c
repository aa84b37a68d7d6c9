/*
 * t_usrrfault: a daemon's SCHEME_IOC_REPLYRECV with bad pointers (Anode
 * only: the scheme protocol). The test is the daemon, a forked child the
 * client. The argument block at a bad address is EFAULT; one at an odd
 * address is read as well as an aligned one; replies at a bad address are
 * EFAULT with none accepted and the caller still waiting (a good reply
 * then answers it); a request array at a bad address is EFAULT and the
 * request comes intact with the next read. Prints "PASS: t_usrrfault" or
 * "FAIL: t_usrrfault: <reason>".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"

#define NAME "utrf"
#define BAD_ADDR 8 /* below every mapping: user memory that faults */

#define FAIL(...) do { \
	printf("FAIL: t_usrrfault: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

static void reap_ok(pid_t pid, const char *what)
{
	int status;

	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
	      "%s: status 0x%x", what, status);
}

/* A client opening NAME: (its open is the request the test serves). */
static pid_t client(void)
{
	pid_t kid = fork();

	CHECK(kid >= 0, "fork");
	if (kid == 0)
		_exit(open(NAME ":", O_RDONLY) >= 0 ? 0 : 1);
	return kid;
}

/* The argument block itself: a bad address faults, an odd one is fine. */
static void test_block(int fd)
{
	union {
		struct scheme_replyrecv rr;
		unsigned char bytes[sizeof(struct scheme_replyrecv) + 1];
	} buf;
	struct scheme_replyrecv none = { 0 };

	CHECK(ioctl(fd, SCHEME_IOC_REPLYRECV, (void *)BAD_ADDR) == -1 && errno == EFAULT,
	      "a bad argument block: %s", strerror(errno));
	/* No replies and no room: a call that only reads the block. */
	memcpy(buf.bytes + 1, &none, sizeof(none));
	CHECK(ioctl(fd, SCHEME_IOC_REPLYRECV, buf.bytes + 1) == 0,
	      "an argument block at an odd address: %s", strerror(errno));
	printf("t_usrrfault: the argument block at a bad and an odd address ok\n");
}

/* Replies at a bad address: EFAULT, none accepted, the caller still waits. */
static void test_bad_replies(int fd)
{
	struct scheme_request req;
	struct scheme_reply rep;
	struct scheme_replyrecv rr = { .replies = BAD_ADDR, .nreplies = 1, .accepted = 99 };
	pid_t kid = client();

	CHECK(read(fd, &req, sizeof(req)) == sizeof(req) && req.op == SCHEME_OP_OPEN, "no OPEN");
	CHECK(ioctl(fd, SCHEME_IOC_REPLYRECV, &rr) == -1 && errno == EFAULT,
	      "replies at a bad address: %s", strerror(errno));
	CHECK(rr.accepted == 0, "accepted %u of bad replies", rr.accepted);
	rep = (struct scheme_reply){ .tag = req.tag, .result = 1 };
	CHECK(write(fd, &rep, sizeof(rep)) == sizeof(rep), "the good reply: %s", strerror(errno));
	reap_ok(kid, "the open answered after the bad replies");
	CHECK(read(fd, &req, sizeof(req)) == sizeof(req) && req.op == SCHEME_OP_CLOSE, "its close");
	printf("t_usrrfault: replies at a bad address are refused, the caller still served ok\n");
}

/* Requests into a bad address: EFAULT, and the request is not lost. */
static void test_bad_requests(int fd)
{
	struct scheme_request req;
	struct scheme_reply rep;
	struct scheme_replyrecv rr = { .requests = BAD_ADDR, .cap = 1 };
	pid_t kid = client();
	int err;

	/* The call sleeps until the client's OPEN is queued, then faults. */
	err = ioctl(fd, SCHEME_IOC_REPLYRECV, &rr) == -1 ? errno : 0;
	CHECK(err == EFAULT, "requests into a bad address: %s", strerror(err));
	CHECK(read(fd, &req, sizeof(req)) == sizeof(req) && req.op == SCHEME_OP_OPEN &&
	      (pid_t)req.pid == kid, "the request was lost");
	rep = (struct scheme_reply){ .tag = req.tag, .result = 1 };
	CHECK(write(fd, &rep, sizeof(rep)) == sizeof(rep), "the reply: %s", strerror(errno));
	reap_ok(kid, "the open read again after the fault");
	CHECK(read(fd, &req, sizeof(req)) == sizeof(req) && req.op == SCHEME_OP_CLOSE, "its close");
	printf("t_usrrfault: requests into a bad address lose nothing ok\n");
}

int main(void)
{
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	fd = scheme_register_name(NAME, O_CLOEXEC);
	CHECK(fd >= 0, "register: %s", strerror(errno));
	test_block(fd);
	test_bad_replies(fd);
	test_bad_requests(fd);
	close(fd);
	printf("PASS: t_usrrfault\n");
	return 0;
}
