/*
 * syscall/abi/scheme_proto.h: the user-space scheme protocol, shared by the
 * kernel (kernel/uscheme*.c) and daemons (user/libscheme.h). Only fixed-size
 * integer types: it compiles freestanding and against musl alike.
 *
 * Registration: a daemon opens "scheme:NAME" with O_CREAT|O_RDWR (and
 * optionally O_CLOEXEC, O_NONBLOCK). That registers NAME and returns the
 * scheme descriptor; -EEXIST if a live scheme has the name (a dead one's
 * name is taken over). The scheme lives while the descriptor does.
 *
 * Requests: read(2) on the scheme descriptor returns one or more whole
 * struct scheme_request packets (the buffer must hold at least one; it
 * blocks while none is pending, -EAGAIN with O_NONBLOCK). Replies: write(2)
 * of one or more whole struct scheme_reply packets, in any order. Every
 * request needs exactly one reply, except SCHEME_OP_CANCEL (it asks the
 * daemon to answer the request args[0] names soon, typically -EINTR).
 * A reply to an unknown tag gets -ENOENT, a short or malformed one -EINVAL;
 * in a batch the first bad reply stops it and write returns the bytes
 * accepted before it (or the error if none was).
 *
 * Data: the caller's buffer (read, write, getdents, ioctl with a pointer
 * argument) stays in the caller's memory. While the request is in flight the
 * daemon copies from or into it, once, with the SCHEME_IOC_MSG* ioctls on
 * the scheme descriptor: a bounds-checked window of exactly that buffer.
 * Paths (open, unlink, ...) travel the same way, as the request's buffer of
 * args[SCHEME_ARG_LEN] bytes (NUL included), read with SCHEME_IOC_MSGREAD,
 * or given with the receive (SCHEME_REQ_INLINE); a reply may carry its
 * bytes itself (SCHEME_DATA).
 */
#ifndef SYSCALL_SCHEME_PROTO_H
#define SYSCALL_SCHEME_PROTO_H

#include <stdint.h>
#include <stddef.h>

#define SCHEME_LIST_NAME "scheme" /* the scheme a daemon registers through */

enum scheme_op {
	SCHEME_OP_OPEN = 1,  /* buffer: path; args[1] flags; reply: handle id */
	SCHEME_OP_READ,      /* args[0] offset; buffer: destination; reply: bytes */
	SCHEME_OP_WRITE,     /* args[0] offset, args[1] SCHEME_WRITE_APPEND (O_APPEND: at the end,
			      * args[0] ignored; reply aux: the end after it); buffer: source; reply: bytes */
	SCHEME_OP_SEEK,      /* args[0] offset, args[1] whence (SEEK_END only reaches a daemon as FSTAT) */
	SCHEME_OP_FSTAT,     /* buffer: struct stat to fill (Linux AArch64 layout) */
	SCHEME_OP_FSTATVFS,  /* buffer: Linux's struct statfs (AArch64, 120 bytes) to fill */
	SCHEME_OP_GETDENTS,  /* args[0] cursor; buffer: dirent64 records; reply: bytes, aux: next cursor */
	SCHEME_OP_FSYNC,
	SCHEME_OP_FTRUNCATE, /* args[0] length */
	SCHEME_OP_FCHMOD,    /* args[0] mode */
	SCHEME_OP_FCHOWN,    /* args[0] uid, args[1] gid ((uint32_t)-1: unchanged) */
	SCHEME_OP_UTIMENS,   /* buffer: two struct timespec, UTIME_NOW/UTIME_OMIT as utimensat(2) */
	SCHEME_OP_RENAME,    /* buffer: "old\0new\0"; args[1] RENAME_NOREPLACE/RENAME_EXCHANGE */
	SCHEME_OP_UNLINK,    /* buffer: path */
	SCHEME_OP_RMDIR,     /* buffer: path */
	SCHEME_OP_MKDIR,     /* buffer: path; args[1] mode */
	SCHEME_OP_SYMLINK,   /* buffer: "target\0linkpath\0" */
	SCHEME_OP_READLINK,  /* on a handle opened O_PATH|O_NOFOLLOW; buffer: destination; reply: bytes */
	SCHEME_OP_DUP,       /* buffer: what to dup as (may be empty); reply: new handle id */
	SCHEME_OP_FCNTL,     /* args[0] cmd, args[1] arg */
	SCHEME_OP_IOCTL,     /* args[0] cmd; buffer: _IOC_SIZE(cmd) bytes of argument */
	SCHEME_OP_FMAP,      /* args[0] offset, args[1] length, args[2] prot;
			      * reply: result 0 and aux = address of the pages in the daemon */
	SCHEME_OP_FUNMAP,    /* args[0] offset, args[1] length */
	SCHEME_OP_CLOSE,     /* fire and forget: the reply is accepted and dropped */
	SCHEME_OP_CANCEL,    /* args[0] = tag of the request to give up; no reply */
	SCHEME_OP_LINK,      /* buffer: "old\0new\0"; args[1] AT_SYMLINK_FOLLOW or 0 */
	SCHEME_OP_COUNT,
};

/* Request flags. */
#define SCHEME_REQ_NONBLOCK 0x1 /* the caller's file is O_NONBLOCK */
/* On reads, writes and ioctls of a character device: the calling thread
 * ignores or blocks SIGTTIN / SIGTTOU (a terminal's
 * job-control rules need it: drivers/tty/ldisc.h's ldisc_caller). */
#define SCHEME_REQ_TTIN_IGNORED 0x2
#define SCHEME_REQ_TTOU_IGNORED 0x4
/* On OPEN (stat, lstat, access: the kernel will ask for the status at
 * once): a daemon that can may write the opened file's struct stat (Linux
 * AArch64 layout, 128 bytes) at offset 0 of the buffer, which is then
 * SCHEME_PATH_BUF bytes and writable, and say so with SCHEME_AUX_STAT in
 * the reply's aux; that saves the FSTAT round trip. A daemon that ignores
 * the flag answers as ever and the kernel sends FSTAT. */
#define SCHEME_REQ_STAT 0x8
/* On a path operation received with SCHEME_IOC_REPLYRECV into a data area
 * (struct scheme_replyrecv's data): its buffer's args[SCHEME_ARG_LEN]
 * bytes (the path or paths, NULs included) were copied into that area at
 * the address args[SCHEME_ARG_INLINE], so the daemon needs no MSGREAD.
 * Paths that do not fit the room left come without it, as before. */
#define SCHEME_REQ_INLINE 0x10
/* On OPEN, read-only, of a path only (no O_CREAT, O_TRUNC, O_PATH): the
 * buffer is SCHEME_PATH_BUF bytes and writable, and a daemon that can may
 * put the opened regular file's first bytes there (the reply's data,
 * from offset 0) and say so with SCHEME_AUX_READAHEAD; the kernel then
 * answers the handle's first read, at offset 0, from them, saving its
 * round trip, if no request that may change a file (kernel/scheme/usgen.h)
 * was sent since the open. The daemon promises what SCHEME_AUX_CACHE
 * does of its files' bytes: they change only through such requests (so
 * not for a file with a writable shared mapping). Ignoring the flag is
 * always right. */
#define SCHEME_REQ_READAHEAD 0x20
/* The high byte: the caller's grant rights (kernel/scheme/grant.h's
 * GRANT_RIGHT_* shifted up), stamped by the kernel like uid and gid. */
#define SCHEME_REQ_RIGHTS_SHIFT 8
#define SCHEME_REQ_RIGHT_CLOCK (0x1 << SCHEME_REQ_RIGHTS_SHIFT) /* may set CLOCK_REALTIME */

/*
 * Path operations (OPEN, UNLINK, RMDIR, MKDIR, SYMLINK, RENAME, LINK) carry
 * the path(s) as their buffer, normalized by the kernel ("a/b", no leading
 * '/', no "." or ".."; "" is the scheme's root). The buffer is
 * SCHEME_PATH_BUF bytes and writable by the daemon, so that it can answer a
 * redirect: when resolving the path meets a symbolic link whose target
 * leaves the daemon's tree (an absolute target for a scheme that is not the
 * root file system, or a target naming another scheme, "name:..." or
 * "/scheme/name/..."), the daemon writes the whole path to resolve instead
 * (the link's target with the rest of the path appended, NUL-terminated)
 * at offset 0 of the buffer and replies result = its length (without the
 * NUL) with aux = SCHEME_AUX_REDIRECT. The kernel resolves that path again
 * from the start, counting it toward SCHEME_SYMLINK_MAX (then -ELOOP). Links
 * inside its own tree the daemon follows itself, counting toward the same
 * limit. OPEN's args[1] are the Linux open flags (O_NOFOLLOW: a link as the
 * last component is -ELOOP, unless O_PATH too, which opens the link itself,
 * for lstat and readlink), args[2] the creation mode with the umask applied.
 */
#define SCHEME_WRITE_APPEND 0x1         /* WRITE args[1]: the file is O_APPEND */
#define SCHEME_PATH_BUF 4096
#define SCHEME_SYMLINK_MAX 40           /* Linux's MAXSYMLINKS */
#define SCHEME_AUX_REDIRECT (1ULL << 63)
#define SCHEME_AUX_STAT (1ULL << 61)    /* OPEN's reply: the buffer holds the stat (SCHEME_REQ_STAT) */
/* With SCHEME_AUX_STAT, to an O_PATH open: the status was all the kernel
 * wanted, so the daemon made no handle (the result is ignored) and no
 * CLOSE follows. */
#define SCHEME_AUX_NO_HANDLE (1ULL << 60)
/* With SCHEME_AUX_STAT, to an O_PATH open: the kernel may keep the status
 * and give it for this path and these flags without asking again (stat,
 * lstat, access) until a request that may change the tree is sent
 * (kernel/scheme/usgen.h: anything but OPEN read-only without O_CREAT or
 * O_TRUNC, READ, SEEK, FSTAT, FSTATVFS, GETDENTS, READLINK, read-only
 * FMAP; CLOSE neither). The daemon promises that the answer is the same
 * for every caller (every directory on the way searchable by anyone) and
 * that its tree and its files' status change only through those
 * requests. Also on a -ENOENT reply to an O_PATH open with
 * SCHEME_REQ_STAT: the path names nothing, for every caller. */
#define SCHEME_AUX_CACHE (1ULL << 59)
/* OPEN's reply to SCHEME_REQ_READAHEAD: the reply's data (none for an
 * empty file) is the file's first bytes; with SCHEME_AUX_READAHEAD_EOF
 * they are all of it (the file's size is at most SCHEME_PATH_BUF). */
#define SCHEME_AUX_READAHEAD (1ULL << 58)
#define SCHEME_AUX_READAHEAD_EOF (1ULL << 57)

/* Argument slots with fixed meaning. */
#define SCHEME_ARGS 4
#define SCHEME_ARG_LEN 3 /* bytes in the caller's buffer (0: none) */
#define SCHEME_ARG_INLINE 0 /* path operations with SCHEME_REQ_INLINE: where the path is */

struct scheme_request {
	uint16_t op;        /* enum scheme_op */
	uint16_t flags;     /* SCHEME_REQ_* */
	uint32_t pid;       /* the caller's process */
	uint64_t tag;       /* names the request in replies and data ioctls */
	uint32_t uid, gid;  /* the caller's credentials */
	uint64_t id;        /* the daemon's handle id (0 for path operations) */
	uint64_t args[SCHEME_ARGS];
};
#define SCHEME_REQUEST_SIZE 64

struct scheme_reply {
	uint64_t tag;
	int64_t result;     /* >= 0 or -errno */
	uint64_t aux;       /* GETDENTS: next cursor; FMAP: daemon address */
	union {
		uint64_t data;      /* 0, or SCHEME_DATA(addr, len): see below */
		uint64_t reserved;  /* its former name: 0 */
	};
};
#define SCHEME_REPLY_SIZE 32

/*
 * A reply's data: len bytes at the daemon's address addr, which the kernel
 * copies into the caller's buffer at offset 0 as it applies the reply (as
 * MSGWRITE would, saving that call): a READ's bytes, an FSTAT's or a
 * stat-giving OPEN's struct stat. Only into a buffer the daemon may write,
 * and at most its length: else, and for len 0, the reply is refused with
 * -EINVAL; a bad daemon address refuses it with -EFAULT (nothing changed
 * but the caller's buffer); a bad caller buffer makes the result -EFAULT.
 * Addresses are user addresses, below 2^47.
 */
#define SCHEME_DATA_SHIFT 48
#define SCHEME_DATA_MAX 0xffffULL                     /* the most bytes one reply carries */
#define SCHEME_DATA_ADDR_MASK ((1ULL << SCHEME_DATA_SHIFT) - 1)
#define SCHEME_DATA(addr, len) ((uint64_t)(addr) | ((uint64_t)(len) << SCHEME_DATA_SHIFT))
#define SCHEME_DATA_LEN(data) ((data) >> SCHEME_DATA_SHIFT)

_Static_assert(sizeof(struct scheme_request) == SCHEME_REQUEST_SIZE, "request size");
_Static_assert(offsetof(struct scheme_request, op) == 0, "op");
_Static_assert(offsetof(struct scheme_request, flags) == 2, "flags");
_Static_assert(offsetof(struct scheme_request, pid) == 4, "pid");
_Static_assert(offsetof(struct scheme_request, tag) == 8, "tag");
_Static_assert(offsetof(struct scheme_request, uid) == 16, "uid");
_Static_assert(offsetof(struct scheme_request, gid) == 20, "gid");
_Static_assert(offsetof(struct scheme_request, id) == 24, "id");
_Static_assert(offsetof(struct scheme_request, args) == 32, "args");
_Static_assert(sizeof(struct scheme_reply) == SCHEME_REPLY_SIZE, "reply size");
_Static_assert(offsetof(struct scheme_reply, tag) == 0, "reply tag");
_Static_assert(offsetof(struct scheme_reply, result) == 8, "reply result");
_Static_assert(offsetof(struct scheme_reply, aux) == 16, "reply aux");
_Static_assert(offsetof(struct scheme_reply, reserved) == 24, "reply reserved");
_Static_assert(offsetof(struct scheme_reply, data) == 24, "reply data");

/* Request-scoped data access (ioctl on the scheme descriptor). */
struct scheme_msg {
	uint64_t tag;
	uint64_t offset;    /* within the caller's buffer */
	uint64_t addr;      /* in the daemon */
	uint64_t len;
};
#define SCHEME_MSG_SIZE 32
_Static_assert(sizeof(struct scheme_msg) == SCHEME_MSG_SIZE, "msg size");
_Static_assert(offsetof(struct scheme_msg, tag) == 0, "msg tag");
_Static_assert(offsetof(struct scheme_msg, offset) == 8, "msg offset");
_Static_assert(offsetof(struct scheme_msg, addr) == 16, "msg addr");
_Static_assert(offsetof(struct scheme_msg, len) == 24, "msg len");

/* Linux's _IOW/_IOR encoding (asm-generic/ioctl.h): dir<<30 | size<<16 |
 * type<<8 | nr. 'S' is the type byte of these ioctls. Both return the
 * bytes copied (the window may end early) or -errno: -ENOENT for a tag not
 * in flight, -EINVAL for a window outside the buffer or the wrong direction
 * (MSGWRITE into a write's source), -EFAULT for a bad daemon address. */
#define SCHEME_IOC_WRITE_DIR 1U
#define SCHEME_IOC_READ_DIR 2U
#define SCHEME_IOC(dir, nr, size) (((dir) << 30) | ((size) << 16) | ((unsigned)'S' << 8) | (nr))
/* Copies caller buffer [offset, offset+len) to the daemon's addr. */
#define SCHEME_IOC_MSGREAD SCHEME_IOC(SCHEME_IOC_WRITE_DIR, 1U, SCHEME_MSG_SIZE)
/* Copies the daemon's [addr, addr+len) into the caller buffer at offset. */
#define SCHEME_IOC_MSGWRITE SCHEME_IOC(SCHEME_IOC_WRITE_DIR, 2U, SCHEME_MSG_SIZE)

/*
 * The caller's whole identity for permission checks beyond uid and gid
 * (supplementary groups): ioctl(SCHEME_IOC_CALLER) with tag set, while the
 * request is in flight; -ENOENT for a tag not in flight. uid and gid are
 * the effective (file-system) ids, as in the request.
 */
#define SCHEME_CALLER_GROUPS_MAX 32
struct scheme_caller {
	uint64_t tag;       /* in */
	uint32_t pid, uid, gid, ngroups;
	uint32_t groups[SCHEME_CALLER_GROUPS_MAX];
};
#define SCHEME_CALLER_SIZE 152
_Static_assert(sizeof(struct scheme_caller) == SCHEME_CALLER_SIZE, "caller size");
#define SCHEME_IOC_CALLER SCHEME_IOC(SCHEME_IOC_READ_DIR | SCHEME_IOC_WRITE_DIR, 4U, \
				     SCHEME_CALLER_SIZE)

/*
 * Readiness: a daemon whose OPEN reply has SCHEME_AUX_POLLED in aux reports
 * that handle's POLLIN/POLLOUT/POLLHUP/POLLERR mask itself, with
 * ioctl(SCHEME_IOC_READY) whenever it changes (initially 0: not ready);
 * the kernel wakes the handle's pollers. Handles opened without it are
 * always ready for reading and writing.
 */
#define SCHEME_AUX_POLLED (1ULL << 62)
struct scheme_ready {
	uint64_t id;        /* the daemon's handle id */
	uint64_t mask;      /* POLLIN | POLLOUT | ... as in poll(2) */
};
#define SCHEME_READY_SIZE 16
_Static_assert(sizeof(struct scheme_ready) == SCHEME_READY_SIZE, "ready size");
#define SCHEME_IOC_READY SCHEME_IOC(SCHEME_IOC_WRITE_DIR, 5U, SCHEME_READY_SIZE)

/* Replies and the next requests in one call (seL4's ReplyRecv): applies
 * the nreplies replies at `replies` as write(2) would, then receives into
 * `requests` (room for cap packets) as read(2) would, putting the paths of
 * path operations into the data area [data, data + data_len) while they
 * fit (SCHEME_REQ_INLINE; data_len 0: none). Returns the bytes of
 * requests received (every reply was taken), or -errno, and then
 * `accepted` (written only on errors) says how many replies were taken:
 * all, if receiving failed; those before the refused one, if a reply was
 * refused (its error is returned and nothing is received). With cap 0
 * it only applies the replies and returns 0. */
struct scheme_replyrecv {
	uint64_t replies;   /* address of struct scheme_reply[nreplies] */
	uint32_t nreplies;
	uint32_t accepted;  /* out */
	uint64_t requests;  /* address of struct scheme_request[cap] */
	uint64_t cap;
	uint64_t data;      /* the daemon's area for inline paths */
	uint64_t data_len;
};
#define SCHEME_REPLYRECV_SIZE 48
_Static_assert(sizeof(struct scheme_replyrecv) == SCHEME_REPLYRECV_SIZE, "replyrecv size");
_Static_assert(offsetof(struct scheme_replyrecv, accepted) == 12, "replyrecv accepted");
_Static_assert(offsetof(struct scheme_replyrecv, requests) == 16, "replyrecv requests");
_Static_assert(offsetof(struct scheme_replyrecv, data) == 32, "replyrecv data");
#define SCHEME_IOC_REPLYRECV SCHEME_IOC(SCHEME_IOC_READ_DIR | SCHEME_IOC_WRITE_DIR, 3U, \
					SCHEME_REPLYRECV_SIZE)

#endif
