/*
 * kernel/scheme/uscheme_client.c: the scheme operations of a file served by a
 * daemon: each is one request (kernel/scheme/uscheme.c), its buffer the caller's
 * own (user memory of the calling process, or a kernel buffer for in-kernel
 * readers such as exec). A file's priv is its struct usclose, which holds
 * the daemon's handle id and the close packet allocated at open.
 */
#include "kernel/scheme/uscheme.h"
#include "kernel/scheme/uscheme_client.h"
#include "kernel/scheme/file_flags.h"
#include "kernel/scheme/uscheme_stat.h"
#include "kernel/scheme/uscheme_ra.h"
#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spare.h"
#include "kernel/signal.h"
#include "mm/heap.h"
#include "mm/uvm.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"
#include <string.h>

struct uscheme *us_of(const struct scheme *s)
{
	return s->priv;
}

/* Spare close packets, static: the heap's lock and bitmap cost more than
 * the rest of a close. A file's close packet is freed only when the daemon
 * answers its CLOSE, which it reads with the next request: a program that
 * opens and closes in turn has the last close still queued at its next
 * open, so one spare is not enough (then every open and every answer paid
 * for the heap). Each is claimed and given back atomically
 * (kernel/lib/spare.h). */
#define SPARE_CLOSES 4
static struct usclose spare_close[SPARE_CLOSES];
static bool spare_close_busy[SPARE_CLOSES];

static struct usclose *usclose_alloc(void)
{
	int i = spare_claim(spare_close_busy, SPARE_CLOSES);
	struct usclose *c;

	if (i < 0)
		return kzalloc(sizeof(struct usclose));
	c = &spare_close[i];
	/* No memset: us_open sets the node's kind, us and the whole pkt,
	 * and the queue the node's links; what it reads before is set here. */
	c->ready.linked = false;
	c->no_handle = false;
	c->ra = NULL;
	return c;
}

void usclose_free(struct usclose *c)
{
	if (c >= spare_close && c < spare_close + SPARE_CLOSES)
		spare_release(spare_close_busy, (int)(c - spare_close));
	else
		kfree(c);
}

/* What a terminal daemon's job-control rules need of the caller. */
static uint16_t job_flags(void)
{
	uint64_t set = signal_ignored_or_blocked_current(SIG_BIT(ABI_SIGTTIN) | SIG_BIT(ABI_SIGTTOU));

	return ((set & SIG_BIT(ABI_SIGTTIN)) ? SCHEME_REQ_TTIN_IGNORED : 0) |
	       ((set & SIG_BIT(ABI_SIGTTOU)) ? SCHEME_REQ_TTOU_IGNORED : 0);
}

/* A request for file f's handle, of op, with the buffer of u (or none). */
void usreq_init(struct usreq *r, struct file *f, uint16_t op, const struct uio *u,
	      bool daemon_reads, bool daemon_writes)
{
	/* Only what uscheme_call does not set (pid, uid, gid, tag, the
	 * queue fields): no memset of the whole request on the hot path. */
	r->pkt.op = op;
	r->pkt.flags = f && (file_flags_now(f) & ABI_O_NONBLOCK) ? SCHEME_REQ_NONBLOCK : 0;
	/* Job control is a terminal's: only character devices need it. */
	if (f && f->type == ABI_S_IFCHR &&
	    (op == SCHEME_OP_READ || op == SCHEME_OP_WRITE || op == SCHEME_OP_IOCTL))
		r->pkt.flags |= job_flags();
	r->pkt.id = f ? ((struct usclose *)f->priv)->pkt.id : 0;
	r->buf = u ? *u : (struct uio){ .as = NULL };
	for (int i = 0; i < SCHEME_ARGS; i++)
		r->pkt.args[i] = 0;
	r->pkt.args[SCHEME_ARG_LEN] = r->buf.len;
	r->daemon_reads = daemon_reads;
	r->daemon_writes = daemon_writes;
	r->obj = NULL;
	r->ready = NULL;
	r->aux = 0;
	r->data_len = 0;
	r->ra = NULL;
}

int64_t usreq_call_file(struct file *f, struct usreq *r, const struct caller *c)
{
	return uscheme_call(us_of(f->scheme), r, c);
}

int uscheme_redirected(const char *buf, int64_t len)
{
	return buf && path_redirect_check(buf, SCHEME_PATH_BUF, len) == 0 ? SCHEME_EREDIRECT : -EIO;
}

void usreq_path_init(struct usreq *r, uint16_t op, char *buf, size_t len)
{
	struct uio u = uio_kernel(buf, SCHEME_PATH_BUF);

	usreq_init(r, NULL, op, &u, true, true);
	/* The daemon reads the path(s); it may write the whole buffer. */
	r->pkt.args[SCHEME_ARG_LEN] = len;
}

/* One of the seven file types of stat(2)'s S_IFMT. */
static bool is_file_type(uint32_t type)
{
	switch (type) {
	case ABI_S_IFREG: case ABI_S_IFDIR: case ABI_S_IFCHR: case ABI_S_IFBLK:
	case ABI_S_IFIFO: case ABI_S_IFLNK: case ABI_S_IFSOCK:
		return true;
	default:
		return false;
	}
}

static void us_close(struct file *f);

/* The path travels in cl->redirect (SCHEME_PATH_BUF bytes, which the
 * daemon may overwrite with a redirect) when the path layer gave one; a
 * read-ahead (uscheme_ra.h) needs one, its bytes stay in the daemon's
 * pages. */
static int us_open(const struct scheme *s, const char *path, int flags, struct file *f,
		   const struct caller *cl)
{
	size_t len = strlen(path) + 1;
	struct uio u = uio_kernel((void *)path, len);
	struct usclose *c = usclose_alloc();
	struct usstat_probe probe;
	struct usra *ra;
	struct usreq r;
	bool stat_given;
	int64_t id;
	int hit;

	if (!c)
		return -ENOMEM;
	/* A stat the cache answers: a file with no handle, as the daemon's
	 * SCHEME_AUX_NO_HANDLE answer makes, or ENOENT. (Only a stat asks
	 * for the status: the probe is filled whenever a reply can be kept.) */
	hit = cl->stat ? usstat_lookup(us_of(s), path, len - 1, flags, cl, &probe, &f->type) : 0;
	if (hit < 0) {
		usclose_free(c);
		return hit;
	}
	if (hit) {
		c->us = us_of(s);
		c->no_handle = true;
		f->priv = c;
		return 0;
	}
	ra = len <= SCHEME_PATH_BUF ? usra_get(us_of(s), flags, cl) : NULL;
	if (cl->redirect && len <= SCHEME_PATH_BUF) {
		/* A stat's path is there already, or inside it when the
		 * `scheme:` listing forwarded the open: the two may overlap. */
		if (path != cl->redirect)
			memmove(cl->redirect, path, len);
		usreq_path_init(&r, SCHEME_OP_OPEN, cl->redirect, len);
		/* The buffer is whole and writable: room for the status too
		 * (a read-ahead is never a stat's: usra_get). */
		if (ra) {
			r.pkt.flags |= SCHEME_REQ_READAHEAD;
			r.ra = ra;
		} else if (cl->stat) {
			r.pkt.flags |= SCHEME_REQ_STAT;
		}
	} else {
		usreq_init(&r, NULL, SCHEME_OP_OPEN, &u, true, false);
	}
	r.pkt.args[1] = (uint64_t)(uint32_t)flags;
	r.pkt.args[2] = f->create_mode;
	pollq_init(&c->ready.pq);
	r.ready = &c->ready;
	id = uscheme_call(us_of(s), &r, cl);
	if (id >= 0 && (r.aux & SCHEME_AUX_REDIRECT)) {
		if (ra)
			usra_put(ra);
		usclose_free(c);
		return uscheme_redirected(cl->redirect, id);
	}
	if (id < 0) {
		if (ra)
			usra_put(ra);
		usclose_free(c);
		if (id == -ENOENT && cl->stat)
			usstat_keep(us_of(s), &probe, r.aux, 0, NULL);
		/* A dead daemon is no device (its own -EIO stays -EIO). */
		return id == -EIO && __atomic_load_n(&s->dead, __ATOMIC_ACQUIRE) ? -ENODEV : (int)id;
	}
	c->node.kind = USN_CLOSE;
	c->us = us_of(s);
	/* Field by field (a compound literal is a memset call and stores):
	 * the tag is the queue's, set when it is pushed and read. */
	c->pkt.op = SCHEME_OP_CLOSE;
	c->pkt.flags = 0;
	c->pkt.pid = r.pkt.pid;
	c->pkt.uid = r.pkt.uid;
	c->pkt.gid = r.pkt.gid;
	c->pkt.id = (uint64_t)id;
	for (int i = 0; i < SCHEME_ARGS; i++)
		c->pkt.args[i] = 0;
	f->priv = c;
	/* Only when asked: else the buffer may be the caller's own path. */
	stat_given = (r.pkt.flags & SCHEME_REQ_STAT) && (r.aux & SCHEME_AUX_STAT);
	c->no_handle = stat_given && (flags & ABI_O_PATH) && (r.aux & SCHEME_AUX_NO_HANDLE);
	/* The daemon says what it opened in aux (S_IFDIR, S_IFCHR...); bits
	 * that name no type are a broken reply: its handle goes back. */
	f->type = (r.aux & ABI_S_IFMT) ? (uint32_t)(r.aux & ABI_S_IFMT) : ABI_S_IFREG;
	if (ra)
		usra_keep(c, ra, &r, f->type);
	if (!is_file_type(f->type)) {
		us_close(f);
		f->priv = NULL;
		return -EIO;
	}
	if (stat_given) {
		_Static_assert(sizeof(struct abi_stat) <= SCHEME_PATH_BUF, "stat fits the buffer");
		/* The builtin, of a constant size: inline loads and stores. */
		__builtin_memcpy(cl->stat->st, cl->redirect, sizeof(struct abi_stat));
		cl->stat->valid = true;
		usstat_keep(us_of(s), &probe, r.aux, f->type, cl->stat->st);
	}
	return 0;
}

static long us_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct usclose *uc = f->priv;
	struct usreq r;
	long n;

	/* The open's read-ahead, while it lasts (uscheme_ra.h). */
	if (__atomic_load_n(&uc->ra, __ATOMIC_RELAXED) && usra_read(uc, u, off, &n))
		return n;
	usreq_init(&r, f, SCHEME_OP_READ, u, false, true);
	r.pkt.args[0] = off;
	return usreq_call_file(f, &r, c);
}

/* O_APPEND: the daemon writes at the end and answers the end after it,
 * the file's new offset (native_append: file.c holds pos_lock). */
static long us_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	bool append = file_flags(f) & ABI_O_APPEND;
	struct usreq r;
	int64_t n;

	usreq_init(&r, f, SCHEME_OP_WRITE, u, true, false);
	r.pkt.args[0] = off;
	r.pkt.args[1] = append ? SCHEME_WRITE_APPEND : 0;
	n = usreq_call_file(f, &r, c);
	/* A file offset is a loff_t: an end past its range is a broken reply. */
	if (append && n >= 0 && r.aux > (uint64_t)INT64_MAX)
		return -EIO;
	if (append && n >= 0)
		f->offset = r.aux;
	return n;
}

int us_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	struct uio u = uio_kernel(st, sizeof(*st));
	struct usreq r;
	int64_t res;

	usreq_init(&r, f, SCHEME_OP_FSTAT, &u, false, true);
	res = usreq_call_file(f, &r, c);
	/* Like every status-only answer, a positive one is success. */
	return res < 0 ? (int)res : 0;
}

static long us_getdents(struct file *f, struct uio *u, uint64_t *cursor, const struct caller *c)
{
	struct usreq r;
	int64_t n;

	usreq_init(&r, f, SCHEME_OP_GETDENTS, u, false, true);
	r.pkt.args[0] = *cursor;
	n = usreq_call_file(f, &r, c);
	if (n >= 0)
		*cursor = r.aux;
	return n;
}

/* The daemon may read and fill the argument (sized by the file layer). */
static int us_ioctl(struct file *f, unsigned long cmd, struct uio *arg, const struct caller *c)
{
	struct usreq r;

	usreq_init(&r, f, SCHEME_OP_IOCTL, arg, true, true);
	r.pkt.args[0] = cmd;
	/* The argument as a value, for ioctls that take one (TCFLSH, TIOCSCTTY). */
	r.pkt.args[1] = arg ? arg->addr : 0;
	return (int)usreq_call_file(f, &r, c);
}

static int64_t us_size(struct file *f, const struct caller *c)
{
	struct abi_stat st;
	int err = us_stat(f, &st, c);

	return err ? err : st.st_size;
}

/* The daemon answers with its own pages (its reply's aux); the kernel
 * hands them over as a page set (uscheme_ctl.c took them). */
static int us_fmap(struct file *f, uint64_t off, uint64_t len, unsigned prot, struct fmap_desc *out)
{
	struct caller c;
	struct usreq r;
	int64_t err;

	caller_current(&c);
	usreq_init(&r, f, SCHEME_OP_FMAP, NULL, false, false);
	r.pkt.args[0] = off;
	r.pkt.args[1] = len;
	r.pkt.args[2] = prot;
	err = usreq_call_file(f, &r, &c);
	if (err < 0 || !r.obj) {
		if (r.obj)
			vm_object_put(r.obj);
		return err < 0 ? (int)err : -EIO;
	}
	*out = (struct fmap_desc){ .kind = FMAP_OBJECT, .len = len, .memtype = FMAP_MEM_NORMAL,
				   .obj = r.obj };
	return 0;
}

/* The last reference went: the daemon hears of it once (unless it made
 * no handle), and nobody waits. */
static void us_close(struct file *f)
{
	struct usclose *c = f->priv;
	struct uscheme *us = c->us;
	uint64_t flags;

	/* The last reference: no read can take the read-ahead meanwhile. */
	if (c->ra)
		usra_put(c->ra);
	/* A stat's file (no handle, never polled: linked only changes under
	 * the lock when the OPEN reply is applied, before the caller woke)
	 * has nothing on the scheme to undo. */
	if (c->no_handle && !c->ready.linked) {
		usclose_free(c);
		return;
	}
	flags = spin_lock_irqsave(&us->lock);

	uscheme_ready_close_locked(us, c);
	if (us->s.dead || c->no_handle) {
		spin_unlock_irqrestore(&us->lock, flags);
		usclose_free(c);
		return;
	}
	usq_push(&us->q, &c->node.n);
	uscheme_pushed_locked(us);
	waitq_wake_all(&us->daemon_wq);
	spin_unlock_irqrestore(&us->lock, flags);
}

const struct scheme_ops uscheme_client_ops = {
	.open = us_open, .read = us_read, .write = us_write, .stat = us_stat,
	.getdents = us_getdents, .ioctl = us_ioctl, .fmap = us_fmap, .size = us_size, .close = us_close,
	.poll = uscheme_poll, .hold = uscheme_hold, .release = uscheme_release, .seekable = true,
	.native_append = true,
	/* uscheme_path.c */
	.readlink = us_readlink, .unlink = us_unlink, .mkdir = us_mkdir, .symlink = us_symlink,
	.rename = us_rename, .link = us_link, .truncate = us_truncate, .chmod = us_chmod,
	.chown = us_chown, .utimens = us_utimens, .fsync = us_fsync, .statfs = us_statfs,
};
