/*
 * drivers/initfsd/initfsd_serve.c: initfs:, the archive served read-only
 * (see initfsd_serve.h): the answers to OPEN, READ, FSTAT, GETDENTS, FMAP,
 * READLINK, IOCTL and CLOSE, exactly as the kernel's initfs scheme
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

#define DOT_ENTRIES 2                /* "." and ".." lead every listing */

#define ACCESS_MODE_BITS (O_RDONLY | O_WRONLY | O_RDWR)

static int op_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_server *s = initfsd_of(srv);
	char path[INITFS_PATH_MAX];
	int flags = (int)q->args[1], err = scheme_req_path(srv, q, path, sizeof(path));
	unsigned follow = (flags & O_NOFOLLOW) ? 0 : WALK_FOLLOW;
	struct initfs_stat st;
	struct walk *wk = &s->walk;
	uint64_t id;

	/* musl's O_ACCMODE holds O_PATH: the access mode is the low two bits. */
	if (!err && ((flags & ACCESS_MODE_BITS) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		err = -EROFS;
	if (!err)
		err = initfsd_walk(s->arc, path, follow | s->walk_flags, wk);
	if (err == WALK_REDIRECT)
		return initfsd_redirect(srv, q, r, wk);
	if (!err)
		initfs_stat_index(s->arc, (uint32_t)wk->node, &st);
	/* O_NOFOLLOW on a final link: -ELOOP, unless O_PATH opens the link itself. */
	if (!err && (st.mode & S_IFMT) == S_IFLNK && !(flags & O_PATH))
		err = -ELOOP;
	if (err < 0) {
		r->result = err;
		return SCHEME_REPLY_NOW;
	}
	id = initfsd_handle_alloc(s);
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
	struct initfsd_handle *h = initfsd_handle_of(srv, q);
	uint64_t off = q->args[0], len = q->args[SCHEME_ARG_LEN];

	if (!h)
		r->result = -EBADF;
	else if ((h->st.mode & S_IFMT) == S_IFDIR)
		r->result = -EISDIR;
	else if ((h->st.mode & S_IFMT) == S_IFLNK)
		r->result = -EBADF; /* opened O_PATH: no data to read */
	else if (off >= h->st.size || len == 0)
		r->result = 0;
	else if (scheme_reply_data(r, (const uint8_t *)h->st.data + off, MIN(len, h->st.size - off)))
		r->result = (int64_t)MIN(len, h->st.size - off); /* the archive never changes */
	else
		r->result = scheme_msg_write(srv, q->tag, 0, (const uint8_t *)h->st.data + off,
					     MIN(len, h->st.size - off));
	if (r->result == -1)
		r->result = -errno;
	return SCHEME_REPLY_NOW;
}

static int op_fstat(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_handle *h = initfsd_handle_of(srv, q);
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
	st.st_blksize = INITFSD_PAGE;
	st.st_blocks = (blkcnt_t)(ALIGN_UP(h->st.size, INITFSD_PAGE) / INITFSD_STAT_BLOCK);
	r->result = scheme_msg_write(srv, q->tag, 0, &st, MIN(sizeof(st), q->args[SCHEME_ARG_LEN]));
	r->result = r->result < 0 ? -errno : 0;
	return SCHEME_REPLY_NOW;
}

static int op_getdents(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	uint8_t *out = initfsd_of(srv)->dirbuf;
	struct initfsd_handle *h = initfsd_handle_of(srv, q);
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
			n = initfsd_put_dirent(out, pos, room, cur == 0 ? h->st.ino : h->st.parent + 1ull,
				       cur + 1, DT_DIR, cur == 0 ? "." : "..");
		} else {
			c = (uint32_t)(cur - DOT_ENTRIES);
			got = initfs_readdir(initfsd_of(srv)->arc, h->st.index, &c, &name, &st);
			if (got <= 0)
				break;
			n = initfsd_put_dirent(out, pos, room, st.ino, cur + 1, IFTODT(st.mode), name);
		}
		if (n == 0)
			break;
		pos += n;
		cur++;
	}
	return initfsd_dirents_reply(srv, q, r, pos, got, cur);
}

static int op_fmap(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct initfsd_handle *h = initfsd_handle_of(srv, q);
	uint64_t off = q->args[0], len = q->args[1], addr = 0;

	if (!h)
		r->result = -EBADF;
	else if ((h->st.mode & S_IFMT) != S_IFREG || h->st.size == 0)
		r->result = -EOPNOTSUPP; /* a directory or an empty file: nothing to map */
	else if (off % INITFSD_PAGE || len == 0 || len > UINT64_MAX - off)
		r->result = -EINVAL;
	else
		r->result = initfsd_archive_pages(initfsd_of(srv), h->st.data, h->st.size, off, len, &addr);
	r->aux = addr;
	return SCHEME_REPLY_NOW;
}

/* A link opened O_PATH|O_NOFOLLOW: its target, cut to the buffer (no NUL,
 * as readlink(2)). */
static int op_readlink(struct scheme_server *srv, const struct scheme_request *q,
		       struct scheme_reply *r)
{
	struct initfsd_handle *h = initfsd_handle_of(srv, q);

	if (!h)
		r->result = -EBADF;
	else if ((h->st.mode & S_IFMT) != S_IFLNK)
		r->result = -EINVAL;
	else
		return initfsd_send(srv, q, r, h->st.data, h->st.size);
	return SCHEME_REPLY_NOW;
}

int initfsd_serve(struct initfsd_server *s, int fd)
{
	struct scheme_server srv = { .fd = fd, .priv = s, .ops = {
		[SCHEME_OP_OPEN] = op_open, [SCHEME_OP_READ] = op_read, [SCHEME_OP_FSTAT] = op_fstat,
		[SCHEME_OP_GETDENTS] = op_getdents, [SCHEME_OP_FMAP] = op_fmap,
		[SCHEME_OP_IOCTL] = initfsd_op_ioctl, [SCHEME_OP_CLOSE] = initfsd_op_close,
		[SCHEME_OP_READLINK] = op_readlink,
	} };

	return initfsd_loop(s, &srv);
}
