/*
 * tests/user/usfork.h: forks a test's scheme daemon with a pipe back to the
 * test, on which the daemon reports what it saw, one byte per event.
 * Header-only: each test program is one file.
 */
#ifndef TESTS_USER_USFORK_H
#define TESTS_USER_USFORK_H

#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>
#include "libscheme.h"

#define USFORK_READY 'R' /* the daemon's first report: registered */

/* The child runs run(the pipe's write end), which must not return; the
 * parent gets the read end in *rd (closing the one *rd held, if any).
 * The daemon's pid, or -1 with errno set. */
static inline pid_t usfork_daemon(void (*run)(int notify_fd), int *rd)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		run(p[1]);
		_exit(1);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	if (*rd)
		close(*rd);
	*rd = p[0];
	return pid;
}

/* The empty scheme's answers, for measuring the round trip itself: every
 * open succeeds (handle 1), every read answers 0 bytes at once. */
static inline int usfork_open_one(struct scheme_server *srv, const struct scheme_request *q,
				  struct scheme_reply *r)
{
	(void)srv;
	(void)q;
	r->result = 1;
	return SCHEME_REPLY_NOW;
}

static inline int usfork_read_none(struct scheme_server *srv, const struct scheme_request *q,
				   struct scheme_reply *r)
{
	(void)srv;
	(void)q;
	r->result = 0;
	return SCHEME_REPLY_NOW;
}

/* In the daemon: registers name, reports USFORK_READY and serves srv
 * until the scheme fails; never returns. */
static inline __attribute__((noreturn)) void usfork_serve(struct scheme_server *srv,
							  const char *name, int notify_fd)
{
	char ready = USFORK_READY;

	srv->fd = scheme_register_name(name, O_CLOEXEC);
	if (srv->fd < 0 || write(notify_fd, &ready, 1) != 1)
		_exit(1);
	scheme_serve(srv);
	_exit(0);
}

/* In the test: the daemon's next report, or 0 if the pipe ended. */
static inline char usfork_next(int rd)
{
	char c = 0;

	return read(rd, &c, 1) == 1 ? c : 0;
}

/* In the test: opens the daemon's file "name:sub" with flags (the
 * descriptor, or -1 with errno set). */
static inline int usfork_open(const char *name, const char *sub, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "%s:%s", name, sub);
	return open(path, flags);
}

#endif
