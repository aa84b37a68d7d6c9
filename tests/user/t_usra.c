/*
 * t_usra: a daemon's read-ahead (Anode only; syscall/abi/scheme_proto.h's
 * SCHEME_REQ_READAHEAD): a read-only open asks for the file's first bytes
 * with the OPEN reply, and the first read is answered from them without
 * a READ. A forked daemon serves:
 *   ra       a read-ahead from its static bytes: the first read gives them
 *            (its READ would give other bytes), the next goes to the daemon;
 *   badaddr  a read-ahead at an address the daemon has no page at: the
 *            reply is refused (EFAULT for the daemon) and changes nothing:
 *            the daemon's second, plain answer opens the file, whose read
 *            the daemon serves;
 *   freed    a read-ahead from a page the daemon unmaps right after the
 *            reply, then maps new pages and fills them: the kernel holds
 *            the first page, the first read gives its bytes;
 *   scribble a daemon writing over the path in its request's buffer, then
 *            answering: the file's /proc link still names what was opened;
 *   ra again, then the daemon is killed before the read: EIO.
 * Prints "PASS: t_usra" or "FAIL: t_usra: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"
#include "usfork.h"

#define TEST_NAME "t_usra"
#include "check.h"

#define NAME "usra"
#define AHEAD "ahead"              /* the read-ahead's bytes */
#define READ_REPLY "daemon"        /* what the daemon's READ gives */
#define OVERWRITE 'X'              /* what the daemon's new page holds */
#define BAD_DADDR 0x10             /* no page of the daemon's is there */
#define SCRIBBLE "XXXXXXXXXXXXXXXX"  /* what the daemon writes over a path */
#define FD_LINK "/proc/self/fd/%d"
#define PAGE 4096
/* The new pages the daemon fills after unmapping the read-ahead's: enough
 * that a frame freed by the unmap would be among them. */
#define REFILL (256 * PAGE)

enum handle { H_RA = 1, H_BADADDR, H_FREED, H_SCRIBBLE, H_COUNT };
static const char *const handle_names[H_COUNT] = {
	[H_RA] = "ra", [H_BADADDR] = "badaddr", [H_FREED] = "freed", [H_SCRIBBLE] = "scribble",
};

/* ---- the daemon ---- */

static int notify_fd;
static const char ahead[] = AHEAD, read_reply[] = READ_REPLY, scribble[] = SCRIBBLE;

static void notify(char c)
{
	if (write(notify_fd, &c, 1) != 1)
		_exit(1);
}

/* The reply to q for handle h with a read-ahead of len bytes at p. */
static struct scheme_reply ahead_reply(const struct scheme_request *q, int h, const void *p,
				       size_t len)
{
	return (struct scheme_reply){
		.tag = q->tag, .result = h,
		.aux = SCHEME_AUX_READAHEAD | SCHEME_AUX_READAHEAD_EOF,
		.data = SCHEME_DATA((uintptr_t)p, len),
	};
}

/* Sends rp by hand: 0, or -1 with errno. */
static long send_reply(struct scheme_server *srv, const struct scheme_reply *rp)
{
	return write(srv->fd, rp, sizeof(*rp)) == (long)sizeof(*rp) ? 0 : -1;
}

/* freed: the read-ahead's page goes (unmapped) once the kernel has the
 * reply; new pages, among them its frame if it were free, hold other
 * bytes. */
static int open_freed(struct scheme_server *srv, const struct scheme_request *q)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct scheme_reply rp;

	if (p == MAP_FAILED)
		_exit(1);
	memcpy(p, ahead, sizeof(ahead) - 1);
	rp = ahead_reply(q, H_FREED, p, sizeof(ahead) - 1);
	notify(send_reply(srv, &rp) == 0 ? 'k' : 'x');
	munmap(p, PAGE);
	p = mmap(NULL, REFILL, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	memset(p, OVERWRITE, REFILL);
	return SCHEME_REPLY_LATER;
}

static int d_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[SCHEME_PATH_BUF];
	int err = scheme_req_path(srv, q, path, sizeof(path)), h = 0;
	struct scheme_reply bad;

	for (int i = 1; !err && i < H_COUNT; i++)
		if (!strcmp(path, handle_names[i]))
			h = i;
	/* A plain read-only open always asks (the kernel has records to spare:
	 * the client opens one file at a time). */
	if (!h || !(q->flags & SCHEME_REQ_READAHEAD)) {
		r->result = h ? -EPROTO : -ENOENT;
		return SCHEME_REPLY_NOW;
	}
	switch (h) {
	case H_BADADDR:
		bad = ahead_reply(q, h, (const void *)BAD_DADDR, sizeof(ahead) - 1);
		notify(send_reply(srv, &bad) == -1 && errno == EFAULT ? 'k' : 'x');
		r->result = h; /* then a plain answer */
		return SCHEME_REPLY_NOW;
	case H_FREED:
		return open_freed(srv, q);
	case H_SCRIBBLE: /* over the path the kernel sent, then a plain answer */
		notify(scheme_msg_write(srv, q->tag, 0, scribble, sizeof(scribble)) ==
		       (long)sizeof(scribble) ? 'k' : 'x');
		r->result = h;
		return SCHEME_REPLY_NOW;
	default:
		*r = ahead_reply(q, h, ahead, sizeof(ahead) - 1);
		return SCHEME_REPLY_NOW;
	}
}

static int d_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	uint64_t off = q->args[0], len = q->args[SCHEME_ARG_LEN];
	uint64_t n = off >= sizeof(read_reply) - 1 ? 0 : MIN(len, sizeof(read_reply) - 1 - off);

	(void)srv;
	r->result = n && !scheme_reply_data(r, read_reply + off, n) ? -EIO : (int64_t)n;
	return SCHEME_REPLY_NOW;
}

static void run_daemon(int fd)
{
	static struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = d_open, [SCHEME_OP_READ] = d_read,
	} };

	notify_fd = fd;
	usfork_serve(&srv, NAME, fd);
}

/* ---- the client ---- */

static int notify_rd;

/* The daemon's report on the reply it sent by hand: 'k' as it meant. */
#define DAEMON_OK(what) CHECK(usfork_next(notify_rd) == 'k', "%s: the daemon's reply went wrong", what)

static int open_h(int h)
{
	int fd = usfork_open(NAME, handle_names[h], O_RDONLY);

	CHECK(fd >= 0, "open %s: %s", handle_names[h], strerror(errno));
	return fd;
}

/* The next read of fd gives want. */
static void expect_read(int fd, const char *want, const char *what)
{
	char buf[PAGE];
	long n = read(fd, buf, sizeof(buf));

	CHECK(n == (long)strlen(want) && !memcmp(buf, want, (size_t)n), "%s: read gave %ld '%.*s'",
	      what, n, n > 0 ? (int)n : 0, buf);
}

int main(void)
{
	pid_t pid = usfork_daemon(run_daemon, &notify_rd);
	int fd, status;
	char buf[PAGE], link[64];
	long n;

	setvbuf(stdout, NULL, _IONBF, 0);
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	CHECK(usfork_next(notify_rd) == USFORK_READY, "the daemon did not start");

	fd = open_h(H_RA);
	expect_read(fd, AHEAD, "the first read");
	CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek: %s", strerror(errno));
	expect_read(fd, READ_REPLY, "the second read (the daemon's)");
	close(fd);
	printf("t_usra: read-ahead ok\n");

	fd = open_h(H_BADADDR);
	DAEMON_OK("a read-ahead at a bad address");
	expect_read(fd, READ_REPLY, "after the refused read-ahead");
	close(fd);
	printf("t_usra: bad address refused ok\n");

	fd = open_h(H_FREED);
	DAEMON_OK("the freed page's reply");
	expect_read(fd, AHEAD, "a read-ahead whose page the daemon unmapped");
	close(fd);
	printf("t_usra: unmapped page held ok\n");

	fd = open_h(H_SCRIBBLE);
	DAEMON_OK("the write over the path");
	snprintf(link, sizeof(link), FD_LINK, fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	CHECK(n > 0, "readlink %s: %s", link, strerror(errno));
	buf[n] = '\0';
	CHECK(strstr(buf, handle_names[H_SCRIBBLE]) && !strchr(buf, SCRIBBLE[0]),
	      "the file's link is '%s'", buf);
	close(fd);
	printf("t_usra: path kept from the daemon's writes ok\n");

	fd = open_h(H_RA);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	errno = 0;
	CHECK(read(fd, buf, sizeof(buf)) == -1 && errno == EIO, "a dead daemon's read: %s",
	      strerror(errno));
	close(fd);
	printf("t_usra: dead daemon ok\n");
	printf("PASS: t_usra\n");
	return 0;
}
