/*
 * user/libscheme.h: serving a scheme from user space (the protocol is
 * syscall/abi/scheme_proto.h). A daemon registers a name, fills a table of
 * callbacks indexed by opcode, and runs scheme_serve: it reads a batch of
 * requests, calls each one's callback, and sends the batch of replies with
 * the next receive (one SCHEME_IOC_REPLYRECV per batch).
 * A callback fills the reply's result (and aux) and returns SCHEME_REPLY_NOW,
 * or returns SCHEME_REPLY_LATER and answers later with scheme_reply (replies
 * may come in any order). A missing callback answers -ENOSYS; CANCEL has no
 * reply. Header only: user programs are single files (user/user.mk).
 *
 * Data travels with the packets where it can: a path operation's path comes
 * in the receive's data area (SCHEME_REQ_INLINE; scheme_req_path reads it
 * from there), and a reply may carry its bytes (scheme_reply_data) instead
 * of a MSGWRITE. Such a reply is sent before the next request is handled,
 * so the bytes it names need only stay as they are until the handler's
 * next call (srv->reply_buf, when there, holds one reply's, e.g. a
 * struct stat).
 */
#ifndef USER_LIBSCHEME_H
#define USER_LIBSCHEME_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../syscall/abi/scheme_proto.h"

#define SCHEME_REPLY_NOW 0
#define SCHEME_REPLY_LATER 1
#define SCHEME_SERVE_BATCH 16 /* requests read per system call */
#define SCHEME_SERVE_DATA 4096 /* bytes of inline paths received per system call */
#define SCHEME_REPLY_BUF 256   /* srv->reply_buf: one reply's data (a struct stat fits) */
#define SCHEME_ERRNO_MAX 4096  /* results in (-4096, 0) are errnos (Linux's MAX_ERRNO + 1) */

struct scheme_server;
typedef int (*scheme_handler)(struct scheme_server *srv, const struct scheme_request *req,
			      struct scheme_reply *rep);

struct scheme_server {
	int fd;                              /* the scheme descriptor */
	scheme_handler ops[SCHEME_OP_COUNT]; /* by opcode */
	void *priv;                          /* the daemon's own state */
	/* Replies of the last batch, sent with the next receive. */
	struct scheme_reply out[SCHEME_SERVE_BATCH];
	uint32_t nout;
	/* Allocated by the first scheme_serve_once (NULL if that failed:
	 * then paths come by MSGREAD and replies without data), not on the
	 * stack (handlers run no deeper) nor in the server (small, and
	 * cheap to initialize on a daemon's stack): */
	unsigned char *in_data;   /* SCHEME_SERVE_DATA bytes: a batch's inline paths */
	unsigned char *reply_buf; /* SCHEME_REPLY_BUF bytes: one reply's data until sent */
};

/* The server's buffers (in_data, reply_buf), once. */
static inline void scheme_server_bufs(struct scheme_server *srv)
{
	unsigned char *p = malloc(SCHEME_SERVE_DATA + SCHEME_REPLY_BUF);

	if (p) {
		srv->in_data = p;
		srv->reply_buf = p + SCHEME_SERVE_DATA;
	}
}

/* Makes reply r carry len bytes at p, copied into the caller's buffer as
 * the reply is applied (scheme_proto.h's SCHEME_DATA): true, or false
 * when they cannot travel so (none, or too many: send them with
 * scheme_msg_write). p must stay as it is until the handler returns to
 * scheme_serve_once (which sends the reply before the next request). */
static inline int scheme_reply_data(struct scheme_reply *r, const void *p, uint64_t len)
{
	if (len == 0 || len > SCHEME_DATA_MAX)
		return 0;
	r->data = SCHEME_DATA((uintptr_t)p, len);
	return 1;
}

/* Whether the kernel has schemes (Anode), told by its zero:. On another
 * kernel (Linux, the tests' reference) "zero:" is a relative file name,
 * absent, and scheme_register_name would create a file named like the
 * scheme list instead of failing, so callers ask this first. */
static inline int scheme_kernel_present(void)
{
	return access("zero:", R_OK) == 0;
}

/* Registers name; the scheme descriptor or -1 (errno set). */
static inline int scheme_register_name(const char *name, int flags)
{
	char path[64];

	if (strlen(name) + sizeof(SCHEME_LIST_NAME ":") > sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(path, SCHEME_LIST_NAME ":");
	strcat(path, name);
	return open(path, O_CREAT | O_RDWR | flags, 0);
}

/* Copies [off, off+len) of the request's buffer to dst: bytes or -1. */
static inline long scheme_msg_read(struct scheme_server *srv, uint64_t tag, uint64_t off,
				   void *dst, uint64_t len)
{
	struct scheme_msg m = { .tag = tag, .offset = off, .addr = (uint64_t)(uintptr_t)dst, .len = len };

	return ioctl(srv->fd, SCHEME_IOC_MSGREAD, &m);
}

/* Copies len bytes from src into the request's buffer at off: bytes or -1. */
static inline long scheme_msg_write(struct scheme_server *srv, uint64_t tag, uint64_t off,
				    const void *src, uint64_t len)
{
	struct scheme_msg m = { .tag = tag, .offset = off, .addr = (uint64_t)(uintptr_t)src, .len = len };

	return ioctl(srv->fd, SCHEME_IOC_MSGWRITE, &m);
}

/* Answers an FSTAT for a device node: st_mode mode (S_IFCHR | bits),
 * st_rdev rdev, one link; -EFAULT if the caller's buffer is short or bad. */
static inline long scheme_stat_device(struct scheme_server *srv, const struct scheme_request *q,
				      unsigned mode, dev_t rdev)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = mode;
	st.st_nlink = 1;
	st.st_rdev = rdev;
	if (q->args[SCHEME_ARG_LEN] < sizeof(st))
		return -EFAULT;
	return scheme_msg_write(srv, q->tag, 0, &st, sizeof(st)) == sizeof(st) ? 0 : -EFAULT;
}

/* The request's path (open, unlink...) into buf (NUL-terminated): 0, or
 * -ENAMETOOLONG / -EFAULT to answer with. */
static inline int scheme_req_path(struct scheme_server *srv, const struct scheme_request *req,
				  char *buf, size_t size)
{
	uint64_t len = req->args[SCHEME_ARG_LEN];

	if (len == 0 || len > size)
		return -ENAMETOOLONG;
	if (req->flags & SCHEME_REQ_INLINE)
		memcpy(buf, (const void *)(uintptr_t)req->args[SCHEME_ARG_INLINE], len);
	else if (scheme_msg_read(srv, req->tag, 0, buf, len) != (long)len)
		return -EFAULT;
	buf[len - 1] = '\0';
	return 0;
}

/* Answers one request later (after SCHEME_REPLY_LATER): 0 or -1. */
static inline int scheme_reply(struct scheme_server *srv, uint64_t tag, int64_t result, uint64_t aux)
{
	struct scheme_reply rep = { .tag = tag, .result = result, .aux = aux };

	return write(srv->fd, &rep, sizeof(rep)) == (ssize_t)sizeof(rep) ? 0 : -1;
}

/* Reports handle id's readiness (POLLIN, POLLOUT...; the handle was opened
 * with SCHEME_AUX_POLLED in its reply's aux, and that reply was sent, e.g.
 * with scheme_reply): 0 or -1 (errno ENOENT: no such polled handle). */
static inline int scheme_ready(struct scheme_server *srv, uint64_t id, uint64_t mask)
{
	struct scheme_ready r = { .id = id, .mask = mask };

	return ioctl(srv->fd, SCHEME_IOC_READY, &r);
}

/* The in-flight request's caller: pid, effective ids and groups (*out
 * filled): 0 or -1 (errno ENOENT: the tag is not in flight). */
static inline int scheme_caller(struct scheme_server *srv, uint64_t tag, struct scheme_caller *out)
{
	memset(out, 0, sizeof(*out));
	out->tag = tag;
	return ioctl(srv->fd, SCHEME_IOC_CALLER, out);
}

/* ioctl(2) as one SVC (Linux's AArch64 calling convention: number in x8,
 * arguments and result in x0..): the loop's system call, without libc's
 * variadic wrapper and its error path on success. -1 with errno, or the
 * result. */
static inline long scheme_ioctl(int fd, unsigned long cmd, void *arg)
{
	register long x0 __asm__("x0") = fd;
	register unsigned long x1 __asm__("x1") = cmd;
	register void *x2 __asm__("x2") = arg;
	register long x8 __asm__("x8") = SYS_ioctl;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
	if (x0 < 0 && x0 > -SCHEME_ERRNO_MAX) {
		errno = (int)-x0;
		return -1;
	}
	return x0;
}

/* Sends the replies in srv->out and receives up to cap requests into reqs
 * (paths into data), one SCHEME_IOC_REPLYRECV: the bytes received (0 with
 * cap 0, or when a reply was refused: call again), or -1 with errno when
 * receiving fails (EINTR, EAGAIN with O_NONBLOCK included). */
static inline int scheme_replyrecv(struct scheme_server *srv, struct scheme_request *reqs,
				   uint64_t cap, void *data, uint64_t data_len)
{
	struct scheme_replyrecv rr = {
		.replies = (uint64_t)(uintptr_t)srv->out, .nreplies = srv->nout,
		.requests = (uint64_t)(uintptr_t)reqs, .cap = cap,
		.data = (uint64_t)(uintptr_t)data, .data_len = data_len,
	};
	int got = (int)scheme_ioctl(srv->fd, SCHEME_IOC_REPLYRECV, &rr);
	/* All were taken on success; on an error accepted tells. */
	uint32_t gone = got >= 0 ? srv->nout : rr.accepted;
	int err, refused;

	if (got >= 0) {
		srv->nout = 0;
		return got;
	}
	err = errno;
	refused = gone < srv->nout &&
		  (err == ENOENT || err == EINVAL || (err == EFAULT && srv->out[gone].data));

	/* A refused reply (its caller gave up: ENOENT) stops the batch: drop
	 * it with the accepted ones and send the rest next time. One whose
	 * data was refused is sent again without: its caller still waits. */
	if (refused && err != ENOENT && srv->out[gone].data)
		srv->out[gone] = (struct scheme_reply){ .tag = srv->out[gone].tag, .result = -EIO };
	else
		gone += refused;
	if (gone < srv->nout)
		memmove(srv->out, srv->out + gone, (srv->nout - gone) * sizeof(srv->out[0]));
	srv->nout -= gone;
	if (refused)
		return 0;
	errno = err;
	return got;
}

/* Sends the replies of the last batch and reads the next batch (one
 * SCHEME_IOC_REPLYRECV), then dispatches it. 0, or -1 with errno when
 * receiving fails (EINTR, EAGAIN with O_NONBLOCK included). */
static inline int scheme_serve_once(struct scheme_server *srv)
{
	struct scheme_request reqs[SCHEME_SERVE_BATCH];
	int got;

	if (!srv->in_data)
		scheme_server_bufs(srv);
	/* out has room for what this batch may add */
	got = scheme_replyrecv(srv, reqs, SCHEME_SERVE_BATCH - srv->nout, srv->in_data,
			       srv->in_data ? SCHEME_SERVE_DATA : 0);
	if (got < 0)
		return -1;
	for (size_t i = 0; i < (size_t)got / sizeof(reqs[0]); i++) {
		const struct scheme_request *q = &reqs[i];
		scheme_handler h = q->op < SCHEME_OP_COUNT ? srv->ops[q->op] : NULL;
		struct scheme_reply *r = &srv->out[srv->nout];

		*r = (struct scheme_reply){ .tag = q->tag, .result = -ENOSYS };
		if (q->op == SCHEME_OP_CANCEL) {
			if (h)
				h(srv, q, r);
			continue;
		}
		if (h && h(srv, q, r) == SCHEME_REPLY_LATER)
			continue;
		srv->nout++;
		/* Its data must not change under the next request: send it
		 * now, unless none follows (then the next receive sends it). */
		if (r->data && i + 1 < (size_t)got / sizeof(reqs[0]))
			while (srv->nout && scheme_replyrecv(srv, NULL, 0, NULL, 0) == 0)
				;
	}
	return 0;
}

/* The event loop: serves until reading fails for a reason other than a
 * signal; returns that errno. */
static inline int scheme_serve(struct scheme_server *srv)
{
	for (;;)
		if (scheme_serve_once(srv) && errno != EINTR)
			return errno;
}

#endif
