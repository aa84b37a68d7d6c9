/*
 * drivers/initfsd/initfsd_serve.c: one scheme served from the archive (see
 * initfsd_serve.h): the handle table and the answers to OPEN, READ, FSTAT,
 * GETDENTS, FMAP, IOCTL and CLOSE, exactly as the kernel's initfs scheme
 * gave them before initfsd took it over, which the tests rely on (inode
 * numbers index + 1, Linux st_mode values, "." and ".." first in a
 * listing, EROFS for any write access, ENOTTY for any ioctl).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "user/libscheme.h"
#include "drivers/initfsd/initfsd_serve.h"

#define PAGE 4096u                   /* INITFS_DATA_ALIGN: the archive's page */
#define DOT_ENTRIES 2                /* "." and ".." lead every listing */
#define STAT_BLOCK_SIZE 512          /* st_blocks counts 512-byte units */
#define DIRENT_ALIGN 8               /* getdents64 records are 8-byte aligned */
#define HANDLES_GROW 16

struct initfsd_handle {
	bool used;
	struct initfs_stat st;
};

static struct initfsd_server *server_of(struct scheme_server *srv)
{
	return srv->priv;
}

/* The open handle a request names, or NULL. */
static struct initfsd_handle *handle_of(struct scheme_server *srv, const struct scheme_request *q)
{
	struct initfsd_server *s = server_of(srv);

	if (q->id == 0 || q->id > s->nhandles || !s->handles[q->id - 1].used)
		return NULL;
	return &s->handles[q->id - 1];
}

/* A free slot's id (1-based), growing the table; 0 when out of memory. */
static uint64_t handle_alloc(struct initfsd_server *s)
{
	struct initfsd_handle *grown;

	for (uint32_t i = 0; i < s->nhandles; i++)
		if (!s->handles[i].used)
			return i + 1;
	grown = realloc(s->handles, (s->nhandles + HANDLES_GROW) * sizeof(*grown));
	if (!grown)
		return 0;
	memset(grown + s->nhandles, 0, HANDLES_GROW * sizeof(*grown));
	s->handles = grown;
	s->nhandles += HANDLES_GROW;
	return s->nhandles - HANDLES_GROW + 1;
}

static int op_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_server *s = server_of(srv);
	char path[INITFS_PATH_MAX];
	int flags = (int)q->args[1], err = scheme_req_path(srv, q, path, sizeof(path));
	unsigned follow = (flags & O_NOFOLLOW) ? 0 : WALK_FOLLOW;
	struct initfs_stat st;
	struct walk *wk = &s->walk;
	uint64_t id;

	if (!err && ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		err = -EROFS;
	if (!err)
		err = initfsd_walk(s->fs, path, follow | s->walk_flags, wk);
	if (err == WALK_REDIRECT) {
		r->result = scheme_msg_write(srv, q->tag, 0, wk->buf, wk->redirect_len + 1);
		r->result = r->result < 0 ? -errno : (int64_t)wk->redirect_len;
		r->aux = SCHEME_AUX_REDIRECT;
		return SCHEME_REPLY_NOW;
	}
	if (!err)
		initfs_stat_index(s->fs, (uint32_t)wk->node, &st);
	/* O_NOFOLLOW on a final link: -ELOOP, unless O_PATH opens the link itself. */
	if (!err && (st.mode & S_IFMT) == S_IFLNK && !(flags & O_PATH))
		err = -ELOOP;
	if (err < 0) {
		r->result = err;
		return SCHEME_REPLY_NOW;
	}
	id = handle_alloc(s);
	if (!id) {
		r->result = -ENOMEM;
		return SCHEME_REPLY_NOW;
	}
	s->handles[id - 1] = (struct initfsd_handle){ .used = true, .st = st };
	r->result = (int64_t)id;
	r->aux = (st.mode & S_IFMT) == S_IFDIR ? S_IFDIR : 0;
	return SCHEME_REPLY_NOW;
}

static int op_read(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_handle *h = handle_of(srv, q);
	uint64_t off = q->args[0], len = q->args[SCHEME_ARG_LEN];

	if (!h)
		r->result = -EBADF;
	else if ((h->st.mode & S_IFMT) == S_IFDIR)
		r->result = -EISDIR;
	else if ((h->st.mode & S_IFMT) == S_IFLNK)
		r->result = -EBADF; /* opened O_PATH: no data to read */
	else if (off >= h->st.size || len == 0)
		r->result = 0;
	else
		r->result = scheme_msg_write(srv, q->tag, 0, (const uint8_t *)h->st.data + off,
					     MIN(len, h->st.size - off));
	if (r->result == -1)
		r->result = -errno;
	return SCHEME_REPLY_NOW;
}

static int op_fstat(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_handle *h = handle_of(srv, q);
	struct stat st = { 0 };

	if (!h) {
		r->result = -EBADF;
		return SCHEME_REPLY_NOW;
	}
	st.st_ino = h->st.ino;
	st.st_mode = h->st.mode;
	st.st_nlink = 1;
	st.st_uid = h->st.uid;
	st.st_gid = h->st.gid;
	st.st_size = (off_t)h->st.size;
	st.st_blksize = PAGE;
	st.st_blocks = (blkcnt_t)(ALIGN_UP(h->st.size, PAGE) / STAT_BLOCK_SIZE);
	r->result = scheme_msg_write(srv, q->tag, 0, &st, MIN(sizeof(st), q->args[SCHEME_ARG_LEN]));
	r->result = r->result < 0 ? -errno : 0;
	return SCHEME_REPLY_NOW;
}

/* Appends one record at buf + pos if it fits in room: its length, or 0. */
static size_t put_dirent(uint8_t *buf, size_t pos, size_t room, uint64_t ino, uint64_t next,
			 unsigned char type, const char *name)
{
	size_t reclen = ALIGN_UP(offsetof(struct dirent, d_name) + strlen(name) + 1, DIRENT_ALIGN);
	struct dirent *d = (struct dirent *)(buf + pos);

	if (pos + reclen > room)
		return 0;
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = (off_t)next;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = type;
	strcpy(d->d_name, name);
	return reclen;
}

static int op_getdents(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	uint8_t *out = server_of(srv)->dirbuf;
	struct initfsd_handle *h = handle_of(srv, q);
	uint64_t cur = q->args[0];
	size_t pos = 0, room = MIN(q->args[SCHEME_ARG_LEN], (uint64_t)INITFSD_DIRBUF);
	int got = 1;

	if (!h || (h->st.mode & S_IFMT) != S_IFDIR) {
		r->result = h ? -ENOTDIR : -EBADF;
		return SCHEME_REPLY_NOW;
	}
	for (;;) {
		struct initfs_stat st;
		const char *name;
		uint32_t c;
		size_t n;

		if (cur < DOT_ENTRIES) {
			n = put_dirent(out, pos, room, cur == 0 ? h->st.ino : h->st.parent + 1ull,
				       cur + 1, DT_DIR, cur == 0 ? "." : "..");
		} else {
			c = (uint32_t)(cur - DOT_ENTRIES);
			got = initfs_readdir(server_of(srv)->fs, h->st.index, &c, &name, &st);
			if (got <= 0)
				break;
			n = put_dirent(out, pos, room, st.ino, cur + 1, IFTODT(st.mode), name);
		}
		if (n == 0)
			break;
		pos += n;
		cur++;
	}
	if (got < 0)
		r->result = got;
	else if (pos == 0 && got > 0)
		r->result = -EINVAL; /* not even one record fits */
	else if (pos && scheme_msg_write(srv, q->tag, 0, out, pos) != (long)pos)
		r->result = -errno;
	else
		r->result = (int64_t)pos;
	r->aux = cur;
	return SCHEME_REPLY_NOW;
}

/* Pages [off, off + len) of h's file start a run of the daemon's memory:
 * the archive's own pages when the range ends within the file's last page
 * (the format zero-pads it), else a window of fresh zero pages with the
 * file's pages mapped over its start. 0 and *addr, or -errno. */
static int file_pages(struct initfsd_server *s, const struct initfsd_handle *h, uint64_t off,
		      uint64_t len, uint64_t *addr)
{
	const uint8_t *data = h->st.data;
	uint64_t file_end = ALIGN_UP(h->st.size, PAGE), wlen = ALIGN_UP(len, PAGE);
	struct initfsd_window *w = NULL;
	void *p;

	if (off + len <= file_end) {
		*addr = (uint64_t)(uintptr_t)(data + off);
		return 0;
	}
	for (size_t i = 0; i < INITFSD_WINDOWS && !w; i++)
		if (!s->windows[i].addr)
			w = &s->windows[i];
	if (!w)
		return -ENOMEM;
	p = mmap(NULL, wlen, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	if (off < file_end &&
	    mmap(p, file_end - off, PROT_READ, MAP_PRIVATE | MAP_FIXED, s->archive_fd,
		 (off_t)(data - s->fs->base + off)) == MAP_FAILED) {
		munmap(p, wlen);
		return -ENOMEM;
	}
	*w = (struct initfsd_window){ .addr = p, .len = wlen, .batch = s->batch };
	*addr = (uint64_t)(uintptr_t)p;
	return 0;
}

static int op_fmap(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_handle *h = handle_of(srv, q);
	uint64_t off = q->args[0], len = q->args[1], addr = 0;

	if (!h)
		r->result = -EBADF;
	else if ((h->st.mode & S_IFMT) != S_IFREG || h->st.size == 0)
		r->result = -EOPNOTSUPP; /* a directory or an empty file: nothing to map */
	else if (off % PAGE || len == 0 || len > UINT64_MAX - off)
		r->result = -EINVAL;
	else
		r->result = file_pages(server_of(srv), h, off, len, &addr);
	r->aux = addr;
	return SCHEME_REPLY_NOW;
}

/* A link opened O_PATH|O_NOFOLLOW: its target, cut to the buffer (no NUL,
 * as readlink(2)). */
static int op_readlink(struct scheme_server *srv, const struct scheme_request *q,
		       struct scheme_reply *r)
{
	struct initfsd_handle *h = handle_of(srv, q);

	if (!h)
		r->result = -EBADF;
	else if ((h->st.mode & S_IFMT) != S_IFLNK)
		r->result = -EINVAL;
	else
		r->result = scheme_msg_write(srv, q->tag, 0, h->st.data,
					     MIN(h->st.size, q->args[SCHEME_ARG_LEN]));
	if (r->result == -1)
		r->result = -errno;
	return SCHEME_REPLY_NOW;
}

/* No file of the archive is a device: every ioctl is ENOTTY, as Linux
 * answers for a regular file or a directory. */
static int op_ioctl(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	r->result = handle_of(srv, q) ? -ENOTTY : -EBADF;
	return SCHEME_REPLY_NOW;
}

/* Fire and forget: no reply is sent for a CLOSE. */
static int op_close(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_handle *h = handle_of(srv, q);

	if (h)
		h->used = false;
	r->result = 0;
	return SCHEME_REPLY_NOW;
}

/* Windows whose replies the kernel has taken (an earlier batch's). */
static void release_windows(struct initfsd_server *s)
{
	for (size_t i = 0; i < INITFSD_WINDOWS; i++) {
		struct initfsd_window *w = &s->windows[i];

		if (w->addr && w->batch < s->batch) {
			munmap(w->addr, w->len);
			*w = (struct initfsd_window){ 0 };
		}
	}
}

int initfsd_serve(struct initfsd_server *s, int fd)
{
	struct scheme_server srv = { .fd = fd, .priv = s, .ops = {
		[SCHEME_OP_OPEN] = op_open, [SCHEME_OP_READ] = op_read, [SCHEME_OP_FSTAT] = op_fstat,
		[SCHEME_OP_GETDENTS] = op_getdents, [SCHEME_OP_FMAP] = op_fmap,
		[SCHEME_OP_IOCTL] = op_ioctl, [SCHEME_OP_CLOSE] = op_close,
		[SCHEME_OP_READLINK] = op_readlink,
	} };

	for (;;) {
		/* Call k sends batch k-1's replies, then reads and answers batch k. */
		if (scheme_serve_once(&srv) && errno != EINTR)
			return errno;
		release_windows(s);
		s->batch++;
	}
}
