/*
 * t_usdata: data that travels with the scheme protocol's packets (Anode
 * only; syscall/abi/scheme_proto.h): a path operation's path arrives in
 * the daemon's receive area (SCHEME_REQ_INLINE) and equals what MSGREAD
 * reads; a reply carries its bytes (SCHEME_DATA) into a read's buffer and
 * an fstat's struct stat. Malformed data is refused and changes nothing
 * (the daemon answers again): no length (EINVAL), more than the caller's
 * buffer (EINVAL), into a write's buffer (EINVAL), a bad daemon address
 * (EFAULT); a bad caller buffer makes the caller's result EFAULT; a
 * handler's data libscheme cannot send becomes EIO for the caller, and the
 * daemon serves on. Prints "PASS: t_usdata" or "FAIL: t_usdata: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>
#include "libscheme.h"
#include "usfork.h"

#define NAME "udata"
#define HELLO "hello"
#define STAT_SIZE 4242             /* the st_size the daemon's fstat gives */
#define BAD_DADDR 0x10             /* no page of the daemon's is there */
#define BAD_CALLER_BUF ((void *)8) /* nor of the client's */
#define SHORT_BUF 4                /* a caller buffer shorter than HELLO */

/* What each handle's reads do: the open's path names it. */
enum handle { H_GOOD = 1, H_ZEROLEN, H_TOOLONG, H_BADADDR, H_WRONGDIR, H_LIBBAD, H_COUNT };
static const char *const handle_names[H_COUNT] = {
	[H_GOOD] = "good", [H_ZEROLEN] = "zerolen", [H_TOOLONG] = "toolong",
	[H_BADADDR] = "badaddr", [H_WRONGDIR] = "wrongdir", [H_LIBBAD] = "libbad",
};

#define FAIL(...) do { \
	printf("FAIL: t_usdata: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* ---- the daemon ---- */

static int notify_fd;
static const char hello[] = HELLO;

static void notify(char c)
{
	if (write(notify_fd, &c, 1) != 1)
		_exit(1);
}

/* Writes reply rp by hand: 'k' if refused with want, 'x' otherwise. */
static void refused(struct scheme_server *srv, const struct scheme_reply *rp, int want)
{
	long n = write(srv->fd, rp, sizeof(*rp));

	notify(n == -1 && errno == want ? 'k' : 'x');
}

static int d_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[SCHEME_PATH_BUF], again[SCHEME_PATH_BUF];
	uint64_t len = q->args[SCHEME_ARG_LEN];
	int err = scheme_req_path(srv, q, path, sizeof(path));

	/* Inline, and the same bytes MSGREAD still reads. */
	if (!err && (!(q->flags & SCHEME_REQ_INLINE) ||
		     scheme_msg_read(srv, q->tag, 0, again, len) != (long)len || memcmp(path, again, len)))
		err = -EPROTO;
	r->result = err ? err : -ENOENT;
	for (int h = 1; !err && h < H_COUNT; h++)
		if (!strcmp(path, handle_names[h]))
			r->result = h;
	return SCHEME_REPLY_NOW;
}

static int d_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct scheme_reply bad = { .tag = q->tag, .result = sizeof(hello) - 1 };

	switch (q->id) {
	case H_ZEROLEN:
		bad.data = SCHEME_DATA((uintptr_t)hello, 0);
		refused(srv, &bad, EINVAL);
		break;
	case H_TOOLONG: /* the caller's buffer is SHORT_BUF bytes */
		bad.data = SCHEME_DATA((uintptr_t)hello, sizeof(hello));
		refused(srv, &bad, EINVAL);
		break;
	case H_BADADDR:
		bad.data = SCHEME_DATA(BAD_DADDR, sizeof(hello) - 1);
		refused(srv, &bad, EFAULT);
		break;
	case H_LIBBAD: /* libscheme's send is refused: the caller gets EIO */
		scheme_reply_data(r, (const void *)BAD_DADDR, sizeof(hello) - 1);
		r->result = sizeof(hello) - 1;
		return SCHEME_REPLY_NOW;
	default:
		break;
	}
	/* Then the right answer, through libscheme. */
	if (q->args[SCHEME_ARG_LEN] < sizeof(hello) - 1)
		r->result = scheme_msg_write(srv, q->tag, 0, hello, q->args[SCHEME_ARG_LEN]);
	else if (scheme_reply_data(r, hello, sizeof(hello) - 1))
		r->result = sizeof(hello) - 1;
	return SCHEME_REPLY_NOW;
}

/* A write's buffer is the caller's source: data into it is refused. */
static int d_write(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct scheme_reply bad = { .tag = q->tag, .result = 1,
				    .data = SCHEME_DATA((uintptr_t)hello, 1) };

	refused(srv, &bad, EINVAL);
	r->result = (int64_t)q->args[SCHEME_ARG_LEN];
	return SCHEME_REPLY_NOW;
}

static int d_fstat(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct stat *st = (struct stat *)srv->reply_buf;

	if (st == NULL) { /* libscheme had no memory for it */
		r->result = -ENOMEM;
		return SCHEME_REPLY_NOW;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0644;
	st->st_size = STAT_SIZE;
	st->st_nlink = 1;
	r->result = scheme_reply_data(r, st, MIN(sizeof(*st), q->args[SCHEME_ARG_LEN])) ? 0 : -EPROTO;
	return SCHEME_REPLY_NOW;
}

static void run_daemon(int fd)
{
	static struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = d_open, [SCHEME_OP_READ] = d_read, [SCHEME_OP_WRITE] = d_write,
		[SCHEME_OP_FSTAT] = d_fstat,
	} };

	notify_fd = fd;
	usfork_serve(&srv, NAME, notify_fd);
}

/* ---- the client ---- */

static int notify_rd;

static void expect(char want, const char *what)
{
	char c = usfork_next(notify_rd);

	CHECK(c == want, "%s: daemon said '%c', not '%c'", what, c, want);
}

static int open_ud(int h)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), NAME ":%s", handle_names[h]);
	fd = open(path, O_RDWR);
	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	return fd;
}

/* A read of handle h whose first reply the kernel refuses: the second,
 * right one arrives whole. */
static void read_after_refusal(int h, size_t buflen)
{
	char buf[sizeof(hello)] = { 0 };
	int fd = open_ud(h);
	long n = read(fd, buf, buflen);

	expect('k', handle_names[h]);
	CHECK(n == (long)MIN(buflen, sizeof(hello) - 1) && !memcmp(buf, hello, (size_t)n),
	      "%s: read gave %ld '%.*s'", handle_names[h], n, (int)sizeof(buf), buf);
	close(fd);
}

int main(void)
{
	char buf[sizeof(hello)] = { 0 };
	struct stat st;
	pid_t pid = usfork_daemon(run_daemon, &notify_rd);
	long n;
	int fd;

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	expect(USFORK_READY, "start");
	CHECK(open(NAME ":nosuch", O_RDONLY) == -1 && errno == ENOENT,
	      "an unknown name: %s (EPROTO: the path was not inline)", strerror(errno));

	fd = open_ud(H_GOOD);
	n = read(fd, buf, sizeof(buf));
	CHECK(n == sizeof(hello) - 1 && !memcmp(buf, hello, (size_t)n), "read gave %ld", n);
	CHECK(fstat(fd, &st) == 0 && st.st_size == STAT_SIZE, "fstat: %s, size %lld",
	      strerror(errno), (long long)st.st_size);
	n = read(fd, BAD_CALLER_BUF, sizeof(hello) - 1);
	CHECK(n == -1 && errno == EFAULT, "a bad caller buffer: %ld (%s)", n, strerror(errno));
	close(fd);
	printf("t_usdata: inline paths, read and fstat data ok\n");

	read_after_refusal(H_ZEROLEN, sizeof(buf));
	read_after_refusal(H_TOOLONG, SHORT_BUF);
	read_after_refusal(H_BADADDR, sizeof(buf));
	fd = open_ud(H_WRONGDIR);
	n = write(fd, hello, sizeof(hello) - 1);
	expect('k', "data into a write's buffer");
	CHECK(n == sizeof(hello) - 1, "write after the refusal: %ld (%s)", n, strerror(errno));
	close(fd);
	printf("t_usdata: malformed data refused, nothing changed ok\n");

	fd = open_ud(H_LIBBAD);
	n = read(fd, buf, sizeof(buf));
	CHECK(n == -1 && errno == EIO, "a handler's bad data: %ld (%s), not EIO", n, strerror(errno));
	close(fd);
	fd = open_ud(H_GOOD);
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(hello) - 1, "the daemon no longer serves");
	close(fd);
	printf("t_usdata: libscheme answers EIO for data it cannot send ok\n");

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("PASS: t_usdata\n");
	return 0;
}
