/*
 * drivers/initfsd/initfsd_file.c: file:, the writable root (see
 * initfsd_file.h): opening (creation, redirects), reading by runs of
 * pages and holes, writing straight into the file's pages (O_APPEND at
 * the end, atomically: this thread is the tree's only user), getdents,
 * mappings of the file's own pages or the archive's, readlink and close.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "user/libscheme.h"
#include "drivers/initfsd/initfsd_file.h"
#include "drivers/initfsd/initfsd_pcache.h"

#define ZERO_CHUNK 4096                 /* a hole is sent this much at a time */

static const uint8_t zeros[ZERO_CHUNK];

int initfsd_answer(struct scheme_server *srv, const struct scheme_request *q,
		   struct scheme_reply *r, int err)
{
	if (err == WALK_REDIRECT)
		return initfsd_redirect(srv, q, r, &initfsd_of(srv)->walk);
	r->result = err;
	return SCHEME_REPLY_NOW;
}

void initfsd_forget(struct initfsd_server *s)
{
	if (s->cache != NULL)
		initfsd_pcache_flush(s->cache);
}

/* The access each open access mode asks, as ramfs_path.c's want_of. */
static const int want_of[RAMFS_O_ACCMODE + 1] = {
	[RAMFS_O_RDONLY] = RAMFS_MAY_READ, [RAMFS_O_WRONLY] = RAMFS_MAY_WRITE,
	[RAMFS_O_RDWR] = RAMFS_MAY_READ | RAMFS_MAY_WRITE,
	[RAMFS_O_ACCMODE] = RAMFS_MAY_READ | RAMFS_MAY_WRITE,
};

/*
 * The inode q's path names, held, when the cache knows the path and the
 * open surely succeeds: it creates and truncates nothing, and c may
 * access the inode as flags ask (every directory on the way is
 * searchable by anyone: initfsd_pcache.h). Else NULL, and ramfs_open
 * answers, errors included. The path is read where the kernel put it.
 */
static struct ramfs_inode *cached_open(struct initfsd_server *s, const struct scheme_request *q,
				       const struct ramfs_cred *c, int flags)
{
	uint64_t len = q->args[SCHEME_ARG_LEN];
	bool dir, writing = (flags & RAMFS_O_ACCMODE) != RAMFS_O_RDONLY;
	struct ramfs_inode *n;

	if (s->cache == NULL || !(q->flags & SCHEME_REQ_INLINE) || len == 0 ||
	    len > SCHEME_PATH_BUF || (flags & (O_CREAT | O_TRUNC)))
		return NULL;
	/* len counts the NUL scheme_req_path would put at len - 1. */
	n = initfsd_pcache_get(s->cache, (const char *)(uintptr_t)q->args[SCHEME_ARG_INLINE],
			       len - 1, !(flags & O_NOFOLLOW));
	if (n == NULL)
		return NULL;
	dir = (n->mode & S_IFMT) == S_IFDIR;
	/* A link (O_NOFOLLOW) opens only with O_PATH (else ELOOP). */
	if (((flags & O_DIRECTORY) && !dir) ||
	    (!(flags & O_PATH) && ((n->mode & S_IFMT) == S_IFLNK || (dir && writing) ||
				   ramfs_access(n, c, want_of[flags & RAMFS_O_ACCMODE]) != 0)))
		return NULL;
	ramfs_hold(n);
	return n;
}

/* After ramfs_open found n by path as flags say: cache the path if it
 * may be (following a final link as ramfs_open did); whether it was. */
static bool remember(struct initfsd_server *s, const char *path, int flags,
		     struct ramfs_inode *n)
{
	bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);

	if (s->cache == NULL || initfsd_pcache_plain(s->ram, path, follow) != n)
		return false;
	initfsd_pcache_put(s->cache, path, strlen(path), follow, n);
	return true;
}

/* A stat's open (O_PATH, SCHEME_REQ_STAT) of a path that names nothing
 * for every caller (initfsd_pcache_missing): the kernel may keep the
 * ENOENT (SCHEME_AUX_CACHE; only a request can make the name). */
static void missing(struct initfsd_server *s, const struct scheme_request *q,
		    struct scheme_reply *r, const char *path, int flags)
{
	if (s->cache != NULL && (flags & O_PATH) && (q->flags & SCHEME_REQ_STAT) &&
	    initfsd_pcache_missing(s->ram, path))
		r->aux |= SCHEME_AUX_CACHE;
}

static int op_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_server *s = initfsd_of(srv);
	char path[SCHEME_PATH_BUF];
	int flags = (int)q->args[1];
	struct ramfs_inode *n;
	struct ramfs_cred c;
	uint64_t id;
	bool plain;
	int err;

	/* A slot first: a new file is made only once nothing can fail. */
	id = initfsd_handle_alloc(s);
	if (id == 0)
		return initfsd_answer(srv, q, r, -ENOMEM);
	initfsd_caller(srv, q, &c);
	n = cached_open(s, q, &c, flags);
	/* A path the path cache holds (or takes now) met only directories
	 * anyone may search: an O_PATH open of it is everyone's answer. */
	plain = n != NULL;
	if (n == NULL) {
		err = scheme_req_path(srv, q, path, sizeof(path));
		if (err == 0)
			err = ramfs_open(s->ram, &c, path, flags, (uint32_t)q->args[2], &s->walk, &n);
		if (err == -ENOENT)
			missing(s, q, r, path, flags);
		if (err != 0)
			return initfsd_answer(srv, q, r, err);
		plain = remember(s, path, flags, n);
	}
	r->aux = (n->mode & S_IFMT) == S_IFDIR ? S_IFDIR : 0;
	/* stat, lstat, access: the status is all the kernel wants. The tree
	 * changes only through requests (this thread's alone): the kernel may
	 * keep a plain path's status (SCHEME_AUX_CACHE). */
	if (initfsd_open_stat(srv, q, r, n) && (flags & O_PATH)) {
		ramfs_release(s->ram, n);
		r->aux |= SCHEME_AUX_NO_HANDLE | (plain ? SCHEME_AUX_CACHE : 0);
		r->result = 0;
		return SCHEME_REPLY_NOW;
	}
	/* Field by field: file: never reads the slot's initfs: status. */
	s->handles[id - 1].used = true;
	s->handles[id - 1].n = n;
	s->handles[id - 1].flags = flags;
	initfsd_readahead(q, r, n, flags);
	r->result = (int64_t)id;
	return SCHEME_REPLY_NOW;
}

/* The handle's regular file, or NULL with the error in r. */
static struct initfsd_handle *regular(struct scheme_server *srv, const struct scheme_request *q,
				      struct scheme_reply *r)
{
	struct initfsd_handle *h = initfsd_handle_of(srv, q);

	if (h == NULL || (h->flags & O_PATH))
		r->result = -EBADF;
	else if ((h->n->mode & S_IFMT) == S_IFDIR)
		r->result = -EISDIR;
	else if ((h->n->mode & S_IFMT) != S_IFREG)
		r->result = -EINVAL;
	else
		return h;
	return NULL;
}

static int op_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_handle *h = regular(srv, q, r);
	uint64_t off = q->args[0], len = q->args[SCHEME_ARG_LEN], done = 0, seg;
	const void *p;

	if (h == NULL)
		return SCHEME_REPLY_NOW;
	if ((h->flags & O_ACCMODE) == O_WRONLY) {
		r->result = -EBADF;
		return SCHEME_REPLY_NOW;
	}
	/* One run of bytes that is the whole answer travels with the reply. */
	seg = ramfs_read_seg(h->n, off, len, &p);
	if (p != NULL && (seg == len || ramfs_read_seg(h->n, off + seg, len - seg, &p) == 0) &&
	    scheme_reply_data(r, p, seg)) {
		r->result = (int64_t)seg;
		return SCHEME_REPLY_NOW;
	}
	while ((seg = ramfs_read_seg(h->n, off + done, len - done, &p)) > 0) {
		if (p == NULL)
			seg = MIN(seg, (uint64_t)ZERO_CHUNK);
		if (scheme_msg_write(srv, q->tag, done, p ? p : zeros, seg) != (long)seg) {
			r->result = done ? (int64_t)done : -errno;
			return SCHEME_REPLY_NOW;
		}
		done += seg;
	}
	r->result = (int64_t)done;
	return SCHEME_REPLY_NOW;
}

static int op_write(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_server *s = initfsd_of(srv);
	struct initfsd_handle *h = regular(srv, q, r);
	uint64_t off = q->args[0], len = q->args[SCHEME_ARG_LEN];
	bool append = q->args[1] & SCHEME_WRITE_APPEND;
	struct ramfs_cred c;
	long got;
	void *p;
	int err;

	if (h == NULL)
		return SCHEME_REPLY_NOW;
	if ((h->flags & O_ACCMODE) == O_RDONLY) {
		r->result = -EBADF;
		return SCHEME_REPLY_NOW;
	}
	err = ramfs_write_begin(s->ram, h->n, &off, len, append, &p);
	if (err != 0)
		return initfsd_answer(srv, q, r, err);
	/* Straight from the caller into the file's pages. */
	got = len ? scheme_msg_read(srv, q->tag, 0, p, len) : 0;
	if (got < 0)
		return initfsd_answer(srv, q, r, -errno);
	ramfs_write_done(s->ram, h->n, off, (uint64_t)got);
	initfsd_caller(srv, q, &c);
	ramfs_modified_by(h->n, &c);
	r->result = got;
	r->aux = off + (uint64_t)got;
	return SCHEME_REPLY_NOW;
}

static int op_getdents(struct scheme_server *srv, const struct scheme_request *q,
		       struct scheme_reply *r)
{
	struct initfsd_server *s = initfsd_of(srv);
	struct initfsd_handle *h = initfsd_handle_of(srv, q);
	uint64_t cur = q->args[0], next, ino;
	size_t pos = 0, room = MIN(q->args[SCHEME_ARG_LEN], (uint64_t)INITFSD_DIRBUF), n;
	const char *name;
	uint32_t mode;
	int got = 1;

	if (h == NULL)
		return initfsd_answer(srv, q, r, -EBADF);
	for (;;) {
		next = cur;
		got = ramfs_readdir(h->n, &next, &name, &ino, &mode);
		if (got <= 0)
			break;
		n = initfsd_put_dirent(s->dirbuf, pos, room, ino, next, IFTODT(mode), name);
		if (n == 0)
			break;
		pos += n;
		cur = next;
	}
	return initfsd_dirents_reply(srv, q, r, pos, got, cur);
}

/*
 * The protocol does not say whether a mapping is shared, so every mapping
 * of a file's own pages is the file itself (what MAP_SHARED needs, and
 * what POSIX allows a private read-only one to see); a read-only mapping
 * of a file still in the archive maps the archive's pages (exec, zero
 * copy). A writable one copies the file first.
 */
static int op_fmap(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_server *s = initfsd_of(srv);
	struct initfsd_handle *h = regular(srv, q, r);
	uint64_t off = q->args[0], len = q->args[1], addr = 0;
	bool writable = q->args[2] & PROT_WRITE;
	const void *p;
	int err;

	if (h == NULL)
		return SCHEME_REPLY_NOW;
	if (h->n->file.backing != NULL && !writable) {
		err = off % INITFSD_PAGE || len == 0 || len > UINT64_MAX - off ? -EINVAL :
			initfsd_archive_pages(s, h->n->file.backing, h->n->size, off, len, &addr);
	} else {
		err = ramfs_map(s->ram, h->n, off, len, true, true, &p);
		addr = (uint64_t)(uintptr_t)p;
	}
	r->result = err;
	r->aux = err ? 0 : addr;
	return SCHEME_REPLY_NOW;
}

static int op_funmap(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r)
{
	struct initfsd_handle *h = regular(srv, q, r);

	if (h != NULL && h->n->file.backing == NULL) {
		ramfs_unpin(h->n);
		r->result = 0;
	}
	return SCHEME_REPLY_NOW;
}

static int op_readlink(struct scheme_server *srv, const struct scheme_request *q,
		       struct scheme_reply *r)
{
	struct initfsd_handle *h = initfsd_handle_of(srv, q);
	const char *target;
	int err = h ? ramfs_readlink(h->n, &target) : -EBADF;

	if (err != 0)
		return initfsd_answer(srv, q, r, err);
	return initfsd_send(srv, q, r, target, h->n->size);
}

int initfsd_serve_file(struct initfsd_server *s, int fd)
{
	/* Without memory for it, every path is walked. */
	s->cache = malloc(sizeof(*s->cache));
	if (s->cache != NULL)
		initfsd_pcache_init(s->cache);
	struct scheme_server srv = { .fd = fd, .priv = s, .ops = {
		[SCHEME_OP_OPEN] = op_open, [SCHEME_OP_READ] = op_read, [SCHEME_OP_WRITE] = op_write,
		[SCHEME_OP_FSTAT] = initfsd_op_fstat, [SCHEME_OP_FSTATVFS] = initfsd_op_fstatvfs,
		[SCHEME_OP_GETDENTS] = op_getdents, [SCHEME_OP_FSYNC] = initfsd_op_fsync,
		[SCHEME_OP_FTRUNCATE] = initfsd_op_ftruncate, [SCHEME_OP_FCHMOD] = initfsd_op_owner,
		[SCHEME_OP_FCHOWN] = initfsd_op_owner, [SCHEME_OP_UTIMENS] = initfsd_op_utimens,
		[SCHEME_OP_RENAME] = initfsd_op_pair, [SCHEME_OP_UNLINK] = initfsd_op_path,
		[SCHEME_OP_RMDIR] = initfsd_op_path, [SCHEME_OP_MKDIR] = initfsd_op_path,
		[SCHEME_OP_SYMLINK] = initfsd_op_pair, [SCHEME_OP_READLINK] = op_readlink,
		[SCHEME_OP_IOCTL] = initfsd_op_ioctl, [SCHEME_OP_FMAP] = op_fmap,
		[SCHEME_OP_FUNMAP] = op_funmap, [SCHEME_OP_CLOSE] = initfsd_op_close,
		[SCHEME_OP_LINK] = initfsd_op_pair,
	} };

	return initfsd_loop(s, &srv);
}
