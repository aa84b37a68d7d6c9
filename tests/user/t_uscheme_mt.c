/*
 * t_uscheme_mt: a user-space scheme served by several daemon threads at
 * once (Anode only). The daemon's threads all wait on one scheme
 * descriptor (user/libscheme.h, each its own event loop); client processes
 * read concurrently, and every read must come back with the caller's own
 * pid, whichever thread answered. Then the daemon is killed
 * with requests of several clients outstanding: all fail with EIO.
 * First, with the test itself as the daemon: a REPLYRECV with room for no
 * requests applies its replies alone, and a read into a bad buffer is
 * EFAULT and the request it could not take comes with the next read.
 * Prints "PASS: t_uscheme_mt" or "FAIL: t_uscheme_mt: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"

#define NAME "utmt"
#define THREADS 3          /* daemon threads serving the one descriptor */
#define CLIENTS 4          /* client processes reading at once */
#define READS 300          /* reads per client */
#define HANG_OFFSET 1      /* a read at this offset is never answered */

#define FAIL(...) do { \
	printf("FAIL: t_uscheme_mt: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

static int scheme_fd, ready_fd;

static int d_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)srv;
	(void)q;
	r->result = 1;
	return SCHEME_REPLY_NOW;
}

/* Answers with the caller's pid; a read at HANG_OFFSET is held forever
 * (the test kills the daemon under it) and reported on ready_fd. */
static int d_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	int pid = (int)q->pid;

	if (q->args[0] == HANG_OFFSET) {
		char c = 'H';

		return write(ready_fd, &c, 1) == 1 ? SCHEME_REPLY_LATER : SCHEME_REPLY_NOW;
	}
	r->result = scheme_msg_write(srv, q->tag, 0, &pid, sizeof(pid));
	return SCHEME_REPLY_NOW;
}

static void *serve(void *arg)
{
	struct scheme_server srv = { .fd = scheme_fd,
				     .ops = { [SCHEME_OP_OPEN] = d_open, [SCHEME_OP_READ] = d_read } };

	(void)arg;
	scheme_serve(&srv);
	return NULL;
}

static __attribute__((noreturn)) void daemon_main(int notify)
{
	pthread_t t[THREADS];
	char c = 'R';

	ready_fd = notify;
	scheme_fd = scheme_register_name(NAME, O_CLOEXEC);
	if (scheme_fd < 0)
		_exit(1);
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, serve, NULL))
			_exit(1);
	if (write(notify, &c, 1) != 1)
		_exit(1);
	pthread_join(t[0], NULL);
	_exit(0);
}

/* A client: READS reads, each answered with its own pid; or, with hang,
 * one read that must fail with EIO when the daemon dies. */
static pid_t client(bool hang)
{
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(NAME ":", O_RDONLY), got;

		if (fd < 0)
			_exit(2);
		if (hang)
			_exit(pread(fd, &got, sizeof(got), HANG_OFFSET) == -1 && errno == EIO ? 0 : 3);
		for (int i = 0; i < READS; i++) {
			got = 0;
			if (pread(fd, &got, sizeof(got), 0) != sizeof(got) || got != getpid())
				_exit(4);
		}
		_exit(0);
	}
	return pid;
}

static void reap_ok(pid_t pid, const char *what)
{
	int status;

	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
	      "%s: status 0x%x", what, status);
}

/* REPLYRECV with room for no requests applies the replies alone and
 * returns 0: libscheme asks for none when its whole last batch (16) was
 * answered at once, and the fuzzer found initfsd dying of the EINVAL it
 * used to get. */
static void test_replies_only(void)
{
	struct scheme_request req;
	struct scheme_reply rep = { .result = 1 };
	struct scheme_replyrecv rr = { .replies = (uint64_t)(uintptr_t)&rep, .nreplies = 1 };
	int fd = scheme_register_name("utro", O_CLOEXEC);
	pid_t kid;

	CHECK(fd >= 0, "register: %s", strerror(errno));
	kid = fork();
	CHECK(kid >= 0, "fork");
	if (kid == 0)
		_exit(open("utro:", O_RDONLY) >= 0 ? 0 : 1);
	CHECK(read(fd, &req, sizeof(req)) == sizeof(req) && req.op == SCHEME_OP_OPEN,
	      "no OPEN request");
	rep.tag = req.tag;
	CHECK(ioctl(fd, SCHEME_IOC_REPLYRECV, &rr) == 0, "REPLYRECV with cap 0: %s", strerror(errno));
	reap_ok(kid, "open answered by a REPLYRECV with cap 0");
	close(fd);
}

/* A daemon read into a bad buffer fails with EFAULT and loses nothing:
 * the request it could not take comes with the next read, tag and all.
 * (Here the test process is the daemon, its child the client.) */
static void test_bad_buffer(void)
{
	struct scheme_request req, again;
	struct scheme_reply rep;
	int fd = scheme_register_name("utbb", O_CLOEXEC);
	pid_t kid;

	CHECK(fd >= 0, "register: %s", strerror(errno));
	kid = fork();
	CHECK(kid >= 0, "fork");
	if (kid == 0)
		_exit(open("utbb:", O_RDONLY) >= 0 ? 0 : 1);
	CHECK(read(fd, (void *)8, sizeof(req)) == -1 && errno == EFAULT, "a bad buffer: %s", strerror(errno));
	CHECK(read(fd, &req, sizeof(req)) == sizeof(req) && req.op == SCHEME_OP_OPEN && (pid_t)req.pid == kid,
	      "the request was lost");
	rep = (struct scheme_reply){ .tag = req.tag, .result = 1 };
	CHECK(write(fd, &rep, sizeof(rep)) == sizeof(rep), "reply to the re-read request: %s", strerror(errno));
	reap_ok(kid, "the client's open");
	CHECK(read(fd, &again, sizeof(again)) == sizeof(again) && again.op == SCHEME_OP_CLOSE, "its close");
	close(fd);
	printf("t_uscheme_mt: a daemon's bad buffer loses no request ok\n");
}

int main(void)
{
	pid_t daemon, kids[CLIENTS];
	int p[2];
	char c;

	setvbuf(stdout, NULL, _IONBF, 0);
	test_bad_buffer();
	test_replies_only();
	CHECK(pipe(p) == 0, "pipe");
	daemon = fork();
	CHECK(daemon >= 0, "fork");
	if (daemon == 0) {
		close(p[0]);
		daemon_main(p[1]);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1 && c == 'R', "the daemon did not start");
	for (int i = 0; i < CLIENTS; i++)
		kids[i] = client(false);
	for (int i = 0; i < CLIENTS; i++)
		reap_ok(kids[i], "a client got another's reply");
	printf("t_uscheme_mt: %d clients x %d reads through %d daemon threads ok\n", CLIENTS, READS, THREADS);
	for (int i = 0; i < CLIENTS; i++)
		kids[i] = client(true);
	for (int i = 0; i < CLIENTS; i++)
		CHECK(read(p[0], &c, 1) == 1 && c == 'H', "the held reads did not arrive");
	kill(daemon, SIGKILL);
	for (int i = 0; i < CLIENTS; i++)
		reap_ok(kids[i], "a held read did not fail with EIO");
	waitpid(daemon, NULL, 0);
	printf("t_uscheme_mt: daemon death with %d held requests ok\n", CLIENTS);
	printf("PASS: t_uscheme_mt\n");
	return 0;
}
