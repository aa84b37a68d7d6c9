/*
 * tests/user/uscheme_testd.h: the test daemon of t_uscheme and
 * t_uscheme_fail (Anode only), and the clients' helpers. A forked daemon
 * (user/libscheme.h) serves "utest:": files with data patterns, a small
 * read/write file, reads answered out of order, held until cancelled, or
 * never, probes of the data window and of bad replies, counters of closes,
 * fmaps and failed checks, and a program to exec and map. It tells the test
 * what it saw through a pipe ('R'egistered, 'H'eld read, 'C'ancelled...).
 * The including program defines TEST_NAME first. Header-only: each test
 * program is one file.
 */
#ifndef TESTS_USER_USCHEME_TESTD_H
#define TESTS_USER_USCHEME_TESTD_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"
#include "usfork.h"

#define NAME "utest"
#define DATA_SIZE (4 * 1024 * 1024 + 65536) /* the data file: beyond 4 MiB */
#define RW_SIZE 4096                         /* the small read/write file */
#define ORDER_N 4                            /* concurrent clients answered in reverse */
#define MAX_HANDLES 256
#define PROG_MAX (4 * 1024 * 1024) /* room for /bin/true: busybox, 1.8 MB */
#define PROG_SRC "/bin/true"
#define EXEC_FAILED 2                        /* a child's status when execve fails */
#define PAGE_BYTES 4096
#define STAT_FAILS UINT32_MAX                /* stats offsets past the handle ids */
#define STAT_FMAPS (UINT32_MAX - 1)

#define FAIL(...) do { \
	printf("FAIL: " TEST_NAME ": " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* ---- the daemon ---- */

enum kind { K_ROOT = 1, K_DATA, K_SINK, K_RW, K_ORDER, K_HANG, K_PROBE, K_BAD, K_STATS, K_PROG, K_DEAF };
static const char *const names[] = {
	[K_DATA] = "data", [K_SINK] = "sink", [K_RW] = "rw", [K_ORDER] = "order", [K_HANG] = "hang",
	[K_PROBE] = "probe", [K_BAD] = "bad", [K_STATS] = "stats", [K_PROG] = "prog", [K_DEAF] = "deaf",
};
#define KINDS (sizeof(names) / sizeof(names[0]))

static uint8_t *data;                  /* the pattern the data file holds */
static uint8_t rw[RW_SIZE] __attribute__((aligned(PAGE_BYTES))); /* fmap: whole pages */
static uint8_t *prog;
static size_t prog_len;
static enum kind handles[MAX_HANDLES]; /* by handle id; 0: free */
static int closes[MAX_HANDLES];        /* closes seen per handle id */
static int next_handle = 1;
static int notify_fd;                  /* to the test: 'R'egistered, 'H'ang read, 'C'ancel */
static int daemon_fails;               /* checks the daemon made that failed */
static int fmaps;                      /* FMAP requests served */
static struct { uint64_t tag; int pid; } order_q[ORDER_N];
static int order_n;
static uint64_t hang_tag, deaf_tag;

static uint8_t pattern(uint64_t off)
{
	return (uint8_t)(off * 7 + (off >> 12) * 13 + 1);
}

static void notify(char c)
{
	if (write(notify_fd, &c, 1) != 1)
		_exit(1);
}

static enum kind kind_of(const struct scheme_request *q)
{
	return q->id < MAX_HANDLES ? handles[q->id] : 0;
}

static int d_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[64];
	int err = scheme_req_path(srv, q, path, sizeof(path));
	enum kind k = 0;

	if (err) {
		r->result = err;
		return SCHEME_REPLY_NOW;
	}
	if (!path[0])
		k = K_ROOT;
	for (size_t i = 1; i < KINDS && !k; i++)
		if (names[i] && !strcmp(path, names[i]))
			k = (enum kind)i;
	if (!k || next_handle == MAX_HANDLES) {
		r->result = k ? -EMFILE : -ENOENT;
		return SCHEME_REPLY_NOW;
	}
	handles[next_handle] = k;
	r->result = next_handle++;
	r->aux = k == K_ROOT ? S_IFDIR : S_IFREG;
	return SCHEME_REPLY_NOW;
}

/* The probe: every window outside the caller's buffer, or the wrong way,
 * is refused; the result is the number of refusals that went wrong. */
static int64_t probe(struct scheme_server *srv, const struct scheme_request *q)
{
	uint64_t len = q->args[SCHEME_ARG_LEN];
	uint8_t tmp[16] = { 0 };
	int bad = 0;

	bad += scheme_msg_write(srv, q->tag, len - 1, tmp, 2) != -1 || errno != EINVAL;
	bad += scheme_msg_write(srv, q->tag, len + 1, tmp, 0) != -1 || errno != EINVAL;
	bad += scheme_msg_write(srv, q->tag, UINT64_MAX, tmp, 2) != -1 || errno != EINVAL;
	bad += scheme_msg_read(srv, q->tag, 0, tmp, 1) != -1 || errno != EINVAL; /* a read's buffer is write-only */
	bad += scheme_msg_write(srv, q->tag + 1000, 0, tmp, 1) != -1 || errno != ENOENT;
	bad += scheme_msg_write(srv, q->tag, 0, (void *)8, 1) != -1 || errno != EFAULT;
	bad += scheme_msg_write(srv, q->tag, 0, tmp, len) != (long)len;
	return bad;
}

/* Bad replies are refused and change nothing; then one good reply and a
 * second answer to the same tag in one batch: only the first is taken. */
static void bad_replies(struct scheme_server *srv, const struct scheme_request *q)
{
	struct scheme_reply two[2] = { { .tag = q->tag, .result = 0 }, { .tag = q->tag, .result = 0 } };
	struct scheme_reply unknown = { .tag = q->tag + 1000 }, reserved = { .tag = q->tag, .reserved = 1 };
	struct scheme_reply toolong = { .tag = q->tag, .result = (int64_t)q->args[SCHEME_ARG_LEN] + 1 };
	struct scheme_reply noerrno = { .tag = q->tag, .result = -100000 };
	struct scheme_request spare;
	struct scheme_replyrecv rr = { .replies = (uint64_t)(uintptr_t)&unknown, .nreplies = 1,
				       .accepted = 7, .requests = (uint64_t)(uintptr_t)&spare, .cap = 1 };

	/* Receiving first, while nothing else can be pending (the one client
	 * waits for this answer): a buffer short of one request is refused,
	 * and O_NONBLOCK gives EAGAIN. */
	daemon_fails += read(srv->fd, &spare, sizeof(spare) - 1) != -1 || errno != EINVAL;
	fcntl(srv->fd, F_SETFL, fcntl(srv->fd, F_GETFL) | O_NONBLOCK);
	daemon_fails += read(srv->fd, &spare, sizeof(spare)) != -1 || errno != EAGAIN;
	fcntl(srv->fd, F_SETFL, fcntl(srv->fd, F_GETFL) & ~O_NONBLOCK);
	daemon_fails += write(srv->fd, &unknown, sizeof(unknown)) != -1 || errno != ENOENT;
	daemon_fails += write(srv->fd, &reserved, sizeof(reserved)) != -1 || errno != EINVAL;
	daemon_fails += write(srv->fd, &toolong, sizeof(toolong)) != -1 || errno != EINVAL;
	daemon_fails += write(srv->fd, &noerrno, sizeof(noerrno)) != -1 || errno != EINVAL;
	daemon_fails += write(srv->fd, &unknown, sizeof(unknown) / 2) != -1 || errno != EINVAL;
	/* REPLYRECV stops at a refused reply too, receiving nothing. */
	daemon_fails += ioctl(srv->fd, SCHEME_IOC_REPLYRECV, &rr) != -1 || errno != ENOENT || rr.accepted;
	daemon_fails += write(srv->fd, two, sizeof(two)) != (ssize_t)sizeof(two[0]);
	daemon_fails += write(srv->fd, &two[1], sizeof(two[1])) != -1 || errno != ENOENT;
}

static int d_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	uint64_t off = q->args[0], len = q->args[SCHEME_ARG_LEN], n = 0;
	const uint8_t *src = NULL;
	int32_t count;

	switch (kind_of(q)) {
	case K_DATA:
		src = data;
		n = off < DATA_SIZE ? DATA_SIZE - off : 0;
		break;
	case K_RW:
		src = rw;
		n = off < RW_SIZE ? RW_SIZE - off : 0;
		break;
	case K_PROG:
		src = prog;
		n = off < prog_len ? prog_len - off : 0;
		break;
	case K_ORDER: /* held until ORDER_N are waiting, then answered backwards */
		order_q[order_n].tag = q->tag;
		order_q[order_n++].pid = (int)q->pid;
		if (order_n < ORDER_N)
			return SCHEME_REPLY_LATER;
		for (int i = ORDER_N - 1; i >= 0; i--) {
			scheme_msg_write(srv, order_q[i].tag, 0, &order_q[i].pid, sizeof(int));
			scheme_reply(srv, order_q[i].tag, sizeof(int), 0);
		}
		order_n = 0;
		return SCHEME_REPLY_LATER;
	case K_HANG:
		hang_tag = q->tag;
		notify('H');
		return SCHEME_REPLY_LATER;
	case K_DEAF: /* never answered, not even when cancelled */
		deaf_tag = q->tag;
		notify('D');
		return SCHEME_REPLY_LATER;
	case K_PROBE:
		r->result = probe(srv, q);
		return SCHEME_REPLY_NOW;
	case K_BAD:
		bad_replies(srv, q);
		return SCHEME_REPLY_LATER;
	case K_STATS: /* offset: a handle id; the closes it saw (or -1: failed checks) */
		count = off < MAX_HANDLES ? closes[off] : off == STAT_FAILS ? daemon_fails
		      : off == STAT_FMAPS ? fmaps : -1;
		r->result = scheme_msg_write(srv, q->tag, 0, &count, sizeof(count));
		return SCHEME_REPLY_NOW;
	default:
		r->result = -EISDIR;
		return SCHEME_REPLY_NOW;
	}
	n = n < len ? n : len;
	r->result = n ? scheme_msg_write(srv, q->tag, 0, src + off, n) : 0;
	if (r->result < 0)
		r->result = -errno;
	return SCHEME_REPLY_NOW;
}

static int d_write(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	uint64_t off = q->args[0], len = q->args[SCHEME_ARG_LEN];
	static uint8_t buf[DATA_SIZE];

	if (kind_of(q) == K_RW) {
		len = off < RW_SIZE ? (RW_SIZE - off < len ? RW_SIZE - off : len) : 0;
		r->result = len ? scheme_msg_read(srv, q->tag, 0, rw + off, len) : 0;
	} else if (kind_of(q) == K_SINK) { /* takes the pattern, refuses anything else */
		if (len > DATA_SIZE || scheme_msg_read(srv, q->tag, 0, buf, len) != (long)len)
			r->result = -EFAULT;
		else
			r->result = len;
		for (uint64_t i = 0; i < len && r->result >= 0; i++)
			if (buf[i] != pattern(off + i))
				r->result = -EBADMSG;
	} else {
		r->result = -EBADF;
	}
	return SCHEME_REPLY_NOW;
}

static int d_fstat(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct stat st = { .st_nlink = 1, .st_ino = q->id };

	st.st_mode = kind_of(q) == K_ROOT ? S_IFDIR | 0555 : S_IFREG | 0755;
	st.st_size = kind_of(q) == K_DATA ? DATA_SIZE : kind_of(q) == K_RW ? RW_SIZE
		   : kind_of(q) == K_PROG ? (off_t)prog_len : 0;
	r->result = scheme_msg_write(srv, q->tag, 0, &st, sizeof(st)) == sizeof(st) ? 0 : -EFAULT;
	return SCHEME_REPLY_NOW;
}

static int d_getdents(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	uint8_t buf[1024];
	uint64_t cur = q->args[0], len = q->args[SCHEME_ARG_LEN], pos = 0;

	if (kind_of(q) != K_ROOT) {
		r->result = -ENOTDIR;
		return SCHEME_REPLY_NOW;
	}
	for (; cur + K_DATA < KINDS; cur++) {
		const char *nm = names[cur + K_DATA];
		size_t reclen = (offsetof(struct dirent, d_name) + strlen(nm) + 1 + 7) & ~7UL;
		struct dirent *d = (struct dirent *)(buf + pos);

		if (pos + reclen > len || pos + reclen > sizeof(buf))
			break;
		memset(d, 0, reclen);
		d->d_ino = cur + 2;
		d->d_off = (off_t)cur + 1;
		d->d_reclen = (unsigned short)reclen;
		d->d_type = DT_REG;
		strcpy(d->d_name, nm);
		pos += reclen;
	}
	if (pos == 0 && cur + K_DATA < KINDS)
		r->result = -EINVAL;
	else
		r->result = pos ? scheme_msg_write(srv, q->tag, 0, buf, pos) : 0;
	r->aux = cur;
	return SCHEME_REPLY_NOW;
}

/* The program's (or the rw file's) pages themselves; a misaligned
 * address is refused first. */
static int d_fmap(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct scheme_reply odd = { .tag = q->tag, .aux = (uint64_t)(uintptr_t)prog + 1 };

	/* Pages past the end (to the page) read as zeros: the buffer is. */
	uint8_t *base = kind_of(q) == K_RW ? rw : prog;
	uint64_t size = kind_of(q) == K_RW ? RW_SIZE : PROG_MAX;

	if ((kind_of(q) != K_PROG && kind_of(q) != K_RW) || q->args[0] + q->args[1] > size) {
		r->result = -ENODEV;
		return SCHEME_REPLY_NOW;
	}
	daemon_fails += write(srv->fd, &odd, sizeof(odd)) != -1 || errno != EINVAL;
	fmaps++;
	r->result = 0;
	r->aux = (uint64_t)(uintptr_t)base + q->args[0];
	return SCHEME_REPLY_NOW;
}

/* UT_IOC_BUMP: reads the caller's int and writes it back plus one. */
#define UT_IOC_BUMP _IOWR('u', 1, int)

static int d_ioctl(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	int v;

	if (q->args[0] != UT_IOC_BUMP || q->args[SCHEME_ARG_LEN] != sizeof(v)) {
		r->result = -ENOTTY;
		return SCHEME_REPLY_NOW;
	}
	if (scheme_msg_read(srv, q->tag, 0, &v, sizeof(v)) != sizeof(v)) {
		r->result = -EFAULT;
		return SCHEME_REPLY_NOW;
	}
	v++;
	r->result = scheme_msg_write(srv, q->tag, 0, &v, sizeof(v)) == sizeof(v) ? 0 : -EFAULT;
	return SCHEME_REPLY_NOW;
}

static int d_close(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)srv;
	if (q->id < MAX_HANDLES)
		closes[q->id]++;
	r->result = 0;
	return SCHEME_REPLY_NOW;
}

static int d_cancel(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)r;
	if (q->args[0] == hang_tag) {
		scheme_reply(srv, hang_tag, -EINTR, 0);
		notify('C');
	} else if (q->args[0] == deaf_tag) {
		notify('c');
	}
	return SCHEME_REPLY_NOW;
}

static void load_prog(void)
{
	int fd = open(PROG_SRC, O_RDONLY);
	ssize_t n;

	prog = aligned_alloc(PAGE_BYTES, PROG_MAX); /* fmap hands over whole pages */
	if (prog)
		memset(prog, 0, PROG_MAX);
	if (fd < 0 || !prog)
		_exit(1);
	while ((n = read(fd, prog + prog_len, PROG_MAX - prog_len)) > 0)
		prog_len += (size_t)n;
	close(fd);
}

static __attribute__((noreturn)) void daemon_main(void)
{
	struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = d_open, [SCHEME_OP_READ] = d_read, [SCHEME_OP_WRITE] = d_write,
		[SCHEME_OP_FSTAT] = d_fstat, [SCHEME_OP_GETDENTS] = d_getdents,
		[SCHEME_OP_CLOSE] = d_close, [SCHEME_OP_CANCEL] = d_cancel, [SCHEME_OP_FMAP] = d_fmap,
		[SCHEME_OP_IOCTL] = d_ioctl,
	} };

	data = malloc(DATA_SIZE);
	if (!data)
		_exit(1);
	for (uint64_t i = 0; i < DATA_SIZE; i++)
		data[i] = pattern(i);
	load_prog();
	usfork_serve(&srv, NAME, notify_fd);
}

/* ---- the clients ---- */

static int notify_rd;

static inline void expect(char want)
{
	char c = usfork_next(notify_rd);

	CHECK(c == want, "daemon said '%c', not '%c'", c, want);
}

static void run_daemon(int fd)
{
	notify_fd = fd;
	daemon_main();
}

static inline pid_t start_daemon(void)
{
	pid_t pid = usfork_daemon(run_daemon, &notify_rd);

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	expect(USFORK_READY);
	return pid;
}

static inline int open_ut(const char *name, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), NAME ":%s", name);
	return open(path, flags);
}

static inline int32_t stat_of(uint32_t which)
{
	int fd = open_ut("stats", O_RDONLY);
	int32_t v = -1;

	CHECK(fd >= 0 && pread(fd, &v, sizeof(v), which) == sizeof(v), "stats: %s", strerror(errno));
	close(fd);
	return v;
}

#endif
