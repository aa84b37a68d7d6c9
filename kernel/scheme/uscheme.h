/*
 * kernel/scheme/uscheme.h: schemes served by user-space daemons (the protocol is
 * syscall/abi/scheme_proto.h). kernel/scheme/uscheme.c owns the scheme object, its
 * registration and death, and the round trip of one request (the caller
 * asleep until its reply); kernel/scheme/uscheme_client.c the operations on a
 * client's file; kernel/scheme/uscheme_ctl.c the daemon's scheme descriptor;
 * kernel/scheme/uscheme_data.c the request-scoped access to a caller's buffer;
 * kernel/scheme/usq.c and kernel/scheme/usproto.c the pure bookkeeping and packet checks.
 * Reference counts (refs): the scheme descriptor and the registry hold one
 * each, every client file one; the object goes with the last.
 */
#ifndef KERNEL_USCHEME_H
#define KERNEL_USCHEME_H

#include "kernel/scheme/scheme.h"
#include "kernel/scheme/usq.h"
#include "sched/waitq.h"
#include "kernel/scheme/poll.h"
#include "syscall/abi/scheme_proto.h"
#include "kernel/scheme/usgen.h"

/* What a queued node is: a caller's request, the cancel of one, or the
 * close of a client file (fire and forget). */
enum usnode_kind { USN_REQ, USN_CANCEL, USN_CLOSE };

struct usnode {
	struct usq_node n;
	enum usnode_kind kind;
};

struct uscheme {
	struct scheme s;         /* s.priv points back here */
	uint32_t refs;           /* atomic: descriptor, registry, client files */
	/* Guards q, s.dead and the state fields of every request in q. */
	spinlock_t lock;
	struct usq q;
	struct waitq daemon_wq;  /* daemon threads in read(), waiting for requests */
	/* Readiness (kernel/scheme/poll.h): the descriptor's watchers (POLLIN
	 * when a request is pending) and the client files' (POLLHUP at the
	 * daemon's death). Woken under lock, after every push and at death. */
	struct pollq pq;
	/* Handles whose daemon reports readiness (uscheme_poll.c); guarded
	 * by lock. */
	struct usready *polled;
	/* The change stamp (kernel/scheme/usgen.h); updated under lock. */
	struct usgen gen;
};

/* A handle opened with SCHEME_AUX_POLLED: its mask as the daemon last
 * reported it (SCHEME_IOC_READY). Part of its file's struct usclose;
 * linked on its scheme's polled list from the OPEN reply to the close.
 * id, mask, linked and next are guarded by the scheme's lock. */
struct usready {
	struct usready *next;
	uint64_t id;
	unsigned mask;
	bool linked;
	struct pollq pq;         /* the file's pollers */
};

/*
 * One request, on its caller's kernel stack from push to reply. The fields
 * after pkt are guarded by the scheme's lock while the request is queued;
 * the buffer fields are fixed before it is pushed.
 */
struct usreq {
	struct usnode node;      /* USN_REQ; its tag is pkt.tag */
	struct usnode cancel;    /* USN_CANCEL, queued when a signal interrupts */
	struct scheme_request pkt;
	struct waitq wq;         /* the caller sleeps here */
	bool done;
	int64_t result;
	uint64_t aux;
	int pins;                /* data copies under way (uscheme_data.c) */
	/* The caller's buffer (its address space, or kernel memory), and
	 * which ways the daemon may copy. */
	struct uio buf;
	bool daemon_reads, daemon_writes;
	struct vm_object *obj;   /* FMAP: the daemon's pages, from its reply */
	struct usready *ready;   /* OPEN: linked if the reply says POLLED */
	uint32_t data_len;       /* the applied reply's SCHEME_DATA bytes (0: none) */
	/* OPEN with SCHEME_REQ_READAHEAD: a read-ahead reply's bytes are
	 * taken here, in the daemon's pages, not copied (uscheme_ra.h). */
	struct usra *ra;
};

/* The close of a client file: allocated at its open (so the close, which
 * cannot fail, needs no memory), queued by the last file_put, freed when
 * the daemon answers or dies. */
struct usclose {
	struct usnode node;      /* USN_CLOSE */
	struct scheme_request pkt;
	struct uscheme *us;
	struct usready ready;
	bool no_handle;          /* the open answered SCHEME_AUX_NO_HANDLE: no CLOSE */
	/* The open's read-ahead (uscheme_ra.h): the file's first bytes, or
	 * NULL; taken atomically by the first read, else given back at the
	 * close. */
	struct usra *ra;
};

/* Frees a close packet (uscheme_client.c keeps spares). */
void usclose_free(struct usclose *c);

/* Registers name served by caller c and makes f its scheme descriptor
 * (the `scheme:` listing's open with O_CREAT). */
int uscheme_register(const char *name, struct file *f, const struct caller *c);

/* Sends r (pkt and buffer filled) for caller c and waits for its reply;
 * the result. */
int64_t uscheme_call(struct uscheme *us, struct usreq *r, const struct caller *c);
/* The scheme descriptor's data ioctls (uscheme_data.c). */
long uscheme_msg(struct uscheme *us, struct uio *arg, bool to_daemon);
/* The daemon's receive area for inline paths (REPLYRECV's data), and the
 * requests whose paths a batch puts there, pinned until copied: at most
 * USINLINE_BATCH (the packets uscheme_ctl.c moves per lock hold). */
#define USINLINE_BATCH 8
struct usinline {
	uint64_t addr, len, used;
	struct usreq *pinned[USINLINE_BATCH]; /* whose paths this batch copies */
	size_t npinned;
};

/* Gives packet *p of request r room in area a (NULL: none) for its path,
 * flagging it SCHEME_REQ_INLINE; the scheme's lock held. */
void uscheme_inline_path(struct usinline *a, struct usreq *r, struct scheme_request *p);
/* Copies the paths of pkts[0..n) a gave room (no lock held) and unpins
 * their requests: 0 or -EFAULT (a bad area). */
int uscheme_copy_inline(struct uscheme *us, struct usinline *a, const struct scheme_request *pkts,
			size_t n);
/* Pins r (in flight; the scheme's lock held, released with *flags and
 * taken again before returning) and copies reply rp's data into r's
 * buffer: 0 (*result -EFAULT if the caller's buffer was bad, r still in
 * flight), -EFAULT, the reply's refusal (a bad daemon address), or -ENOENT
 * (its caller gave up meanwhile: r must not be touched again). */
int uscheme_reply_data(struct uscheme *us, struct usreq *r, const struct scheme_reply *rp,
		       int64_t *result, uint64_t *flags);
/* Copies len bytes between r's buffer at off and the daemon's daddr (the
 * current address space), r pinned: the bytes copied, or -EFAULT when
 * none were, *caller_fault saying whether r's buffer was the bad one. */
long usreq_copy(const struct usreq *r, uint64_t off, uint64_t daddr, uint64_t len,
		bool to_daemon, bool *caller_fault);
/* Tells the watchers a node was queued; us->lock held. Reading pq.head
 * under the lock is enough: a poll registers before it takes the lock to
 * read the queue, so a watcher missed here has seen the node itself. */
static inline void uscheme_pushed_locked(struct uscheme *us)
{
	if (__atomic_load_n(&us->pq.head, __ATOMIC_RELAXED))
		pollq_wake(&us->pq, POLLIN);
}
/* Readiness reported by daemons (uscheme_poll.c): the OPEN reply rp for r
 * links its handle if POLLED; the READY ioctl; a file's close unlinks it
 * (both _locked: the scheme's lock held); the poll operation. */
void uscheme_ready_open_locked(struct uscheme *us, struct usreq *r, const struct scheme_reply *rp);
int uscheme_ready(struct uscheme *us, struct uio *arg);
void uscheme_ready_close_locked(struct uscheme *us, struct usclose *c);
unsigned uscheme_poll(struct file *f, struct poll_table *pt);
/* The daemon is gone (its descriptor's last close). */
void uscheme_kill(struct uscheme *us);
/* Scheme references (scheme_ops hold/release) for client files. */
void uscheme_hold(const struct scheme *s);
void uscheme_release(const struct scheme *s);

#endif
