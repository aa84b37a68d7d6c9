/*
 * t_usreply: malformed replies from a user-space scheme daemon (Anode
 * only), beyond the refusals t_uscheme checks. A forked daemon serves
 * "ureply:" and answers each path its own wrong way: a redirect longer
 * than the path buffer, without its NUL, with a NUL inside, of length 0;
 * an open whose reply's aux names no file type (its handle is closed); an
 * O_APPEND write whose new end (aux) is past any file offset. The caller
 * gets EIO each time and the daemon keeps serving. A positive result where
 * only 0 or -errno make sense (fstat, unlink, mkdir, fsync, ftruncate) is
 * success, 0, for every one of them. A reply to a reader
 * killed meanwhile is refused with ENOENT and changes nothing.
 * Prints "PASS: t_usreply" or "FAIL: t_usreply: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"
#include "usfork.h"

#define NAME "ureply"
#define OK_HANDLE 1
#define STATUS_RESULT 7             /* a "success" no status-only op has */
#define NOT_A_TYPE 0170000          /* every S_IFMT bit: no file type */
#define NUL_INSIDE "a\0b"           /* a redirect with a NUL before its end */
#define NO_NUL_LEN 16               /* redirect length; the byte after it is not NUL */

#define FAIL(...) do { \
	printf("FAIL: t_usreply: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* ---- the daemon ---- */

static int notify_fd;
static uint64_t held_tag;   /* the read of "hold", never answered by itself */

static void notify(char c)
{
	if (write(notify_fd, &c, 1) != 1)
		_exit(1);
}

static int redirect(struct scheme_server *srv, const struct scheme_request *q,
		    struct scheme_reply *r, const void *text, size_t len, int64_t result)
{
	if (len && scheme_msg_write(srv, q->tag, 0, text, len) != (long)len)
		r->result = -EFAULT;
	else
		*r = (struct scheme_reply){ .tag = q->tag, .result = result, .aux = SCHEME_AUX_REDIRECT };
	return SCHEME_REPLY_NOW;
}

static int d_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[SCHEME_PATH_BUF], xs[2 * NO_NUL_LEN];
	int err = scheme_req_path(srv, q, path, sizeof(path));

	if (err) {
		r->result = err;
		return SCHEME_REPLY_NOW;
	}
	memset(xs, 'x', sizeof(xs));
	if (!strcmp(path, "redir-long"))
		return redirect(srv, q, r, NULL, 0, SCHEME_PATH_BUF);
	if (!strcmp(path, "redir-nonul"))
		return redirect(srv, q, r, xs, sizeof(xs), NO_NUL_LEN);
	if (!strcmp(path, "redir-nulinside"))
		return redirect(srv, q, r, NUL_INSIDE, sizeof(NUL_INSIDE), sizeof(NUL_INSIDE) - 1);
	if (!strcmp(path, "redir-zero"))
		return redirect(srv, q, r, "", 1, 0);
	if (!strcmp(path, "release")) { /* answers the killed reader's read now */
		long late = scheme_reply(srv, held_tag, 1, 0);

		r->result = late == -1 && errno == ENOENT ? OK_HANDLE : -EPROTO;
		return SCHEME_REPLY_NOW;
	}
	r->result = OK_HANDLE;
	r->aux = !strcmp(path, "badtype") ? NOT_A_TYPE : S_IFREG;
	return SCHEME_REPLY_NOW;
}

/* Status-only operations answer a positive "success". */
static int d_status(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)srv;
	(void)q;
	r->result = STATUS_RESULT;
	return SCHEME_REPLY_NOW;
}

static int d_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)srv;
	(void)r;
	held_tag = q->tag;
	notify('H');
	return SCHEME_REPLY_LATER;
}

static int d_write(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)srv;
	r->result = (int64_t)q->args[SCHEME_ARG_LEN];
	r->aux = UINT64_MAX; /* the file's "end" after an append */
	return SCHEME_REPLY_NOW;
}

static __attribute__((noreturn)) void daemon_main(void)
{
	struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = d_open, [SCHEME_OP_READ] = d_read, [SCHEME_OP_WRITE] = d_write,
		[SCHEME_OP_FSTAT] = d_status, [SCHEME_OP_UNLINK] = d_status,
		[SCHEME_OP_MKDIR] = d_status, [SCHEME_OP_FSYNC] = d_status,
		[SCHEME_OP_FTRUNCATE] = d_status, /* CLOSE: the -ENOSYS answer is dropped */
	} };

	usfork_serve(&srv, NAME, notify_fd);
}

/* ---- the client ---- */

static int notify_rd;

static void expect(char want)
{
	char c = usfork_next(notify_rd);

	CHECK(c == want, "daemon said '%c', not '%c'", c, want);
}

static void run_daemon(int fd)
{
	notify_fd = fd;
	daemon_main();
}

static pid_t start_daemon(void)
{
	pid_t pid = usfork_daemon(run_daemon, &notify_rd);

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	expect(USFORK_READY);
	return pid;
}

static int open_ur(const char *name, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), NAME ":%s", name);
	return open(path, flags);
}

/* The daemon still answers after each bad reply. */
static void still_serving(const char *after)
{
	int fd = open_ur("file", O_RDONLY);

	CHECK(fd >= 0, "after %s the daemon no longer serves: %s", after, strerror(errno));
	close(fd);
}

static void expect_eio(int rc, const char *what)
{
	CHECK(rc == -1 && errno == EIO, "%s gave %d (%s), not EIO", what, rc, strerror(errno));
	still_serving(what);
}

static void test_redirects(void)
{
	static const char *const bad[] = { "redir-long", "redir-nonul", "redir-nulinside", "redir-zero" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = open_ur(bad[i], O_RDONLY);

		if (fd >= 0)
			close(fd);
		expect_eio(fd, bad[i]);
	}
	printf("t_usreply: bad redirects ok\n");
}

static void test_bad_type(void)
{
	int fd = open_ur("badtype", O_RDONLY);

	if (fd >= 0)
		close(fd);
	expect_eio(fd, "an open answered with no file type");
	printf("t_usreply: bad open type ok\n");
}

/* A status-only operation answered with a positive number: the kernel
 * takes it as the success it is not an error for (fstat as well as the
 * others; a positive fstat once reached the caller as its return value). */
static void expect_zero(int rc, const char *what)
{
	CHECK(rc == 0, "%s gave %d (%s), not 0", what, rc, strerror(errno));
}

static void test_positive_status(void)
{
	struct stat st;
	int fd = open_ur("file", O_RDWR);

	CHECK(fd >= 0, "open: %s", strerror(errno));
	expect_zero(fstat(fd, &st), "fstat answered 7");
	expect_zero(fsync(fd), "fsync answered 7");
	expect_zero(ftruncate(fd, 1), "ftruncate answered 7");
	close(fd);
	expect_zero(unlink(NAME ":file"), "unlink answered 7");
	expect_zero(mkdir(NAME ":dir", 0755), "mkdir answered 7");
	still_serving("positive status results");
	printf("t_usreply: positive status results ok\n");
}

static void test_append_end(void)
{
	int fd = open_ur("file", O_WRONLY | O_APPEND);
	off_t before;

	CHECK(fd >= 0, "open: %s", strerror(errno));
	before = lseek(fd, 0, SEEK_CUR);
	expect_eio((int)write(fd, "x", 1), "an append whose end is past 2^63");
	CHECK(lseek(fd, 0, SEEK_CUR) == before, "the offset moved to %lld",
	      (long long)lseek(fd, 0, SEEK_CUR));
	close(fd);
	printf("t_usreply: append end ok\n");
}

/* The daemon answers a read whose caller was killed: ENOENT for it. */
static void test_late_reply(void)
{
	int status, fd;
	pid_t kid = fork();

	CHECK(kid >= 0, "fork");
	if (kid == 0) {
		char c;

		fd = open_ur("file", O_RDONLY);
		_exit(fd >= 0 && read(fd, &c, 1) >= 0 ? 2 : 1);
	}
	expect('H');
	kill(kid, SIGKILL);
	CHECK(waitpid(kid, &status, 0) == kid && WIFSIGNALED(status), "the reader was not killed");
	fd = open_ur("release", O_RDONLY);
	CHECK(fd >= 0, "the late reply was not refused with ENOENT: %s", strerror(errno));
	close(fd);
	still_serving("a late reply");
	printf("t_usreply: reply after the caller died ok\n");
}

int main(void)
{
	pid_t daemon;
	int status;

	setvbuf(stdout, NULL, _IONBF, 0);
	daemon = start_daemon();
	test_redirects();
	test_bad_type();
	test_positive_status();
	test_append_end();
	test_late_reply();
	kill(daemon, SIGKILL);
	waitpid(daemon, &status, 0);
	printf("PASS: t_usreply\n");
	return 0;
}
