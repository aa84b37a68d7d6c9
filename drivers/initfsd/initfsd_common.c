/*
 * drivers/initfsd/initfsd_common.c: what initfs: and file: serve alike
 * (see initfsd_serve.h): the handle table, getdents records, redirects,
 * windows of archive pages for mappings past a file's last page, and the
 * serving loop.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "user/libscheme.h"
#include "drivers/initfsd/initfsd_serve.h"
#include "drivers/ramfs/ramfs.h"

#define DIRENT_ALIGN 8               /* getdents64 records are 8-byte aligned */
#define HANDLES_GROW 16

struct initfsd_server *initfsd_of(struct scheme_server *srv)
{
	return srv->priv;
}

/* The open handle a request names, or NULL. */
struct initfsd_handle *initfsd_handle_of(struct scheme_server *srv, const struct scheme_request *q)
{
	struct initfsd_server *s = initfsd_of(srv);

	if (q->id == 0 || q->id > s->nhandles || !s->handles[q->id - 1].used)
		return NULL;
	return &s->handles[q->id - 1];
}

/* A free slot's id (1-based), growing the table; 0 when out of memory. */
uint64_t initfsd_handle_alloc(struct initfsd_server *s)
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

/* Appends one record at buf + pos if it fits in room: its length, or 0. */
size_t initfsd_put_dirent(uint8_t *buf, size_t pos, size_t room, uint64_t ino, uint64_t next,
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

int initfsd_send(struct scheme_server *srv, const struct scheme_request *q,
		 struct scheme_reply *r, const void *data, uint64_t len)
{
	r->result = scheme_msg_write(srv, q->tag, 0, data, MIN(len, q->args[SCHEME_ARG_LEN]));
	if (r->result < 0)
		r->result = -errno;
	return SCHEME_REPLY_NOW;
}

/* No file is a device: every ioctl is ENOTTY, as Linux answers for a
 * regular file or a directory. */
int initfsd_op_ioctl(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r)
{
	r->result = initfsd_handle_of(srv, q) ? -ENOTTY : -EBADF;
	return SCHEME_REPLY_NOW;
}

/* Fire and forget: no reply is sent for a CLOSE. A file: handle lets go
 * of its inode (an unlinked file goes with its last handle). */
int initfsd_op_close(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r)
{
	struct initfsd_handle *h = initfsd_handle_of(srv, q);

	if (h != NULL) {
		if (h->n != NULL)
			ramfs_release(initfsd_of(srv)->ram, h->n);
		/* Free: an open sets the rest (no clearing of the whole slot). */
		h->used = false;
		h->n = NULL;
	}
	r->result = 0;
	return SCHEME_REPLY_NOW;
}

int initfsd_dirents_reply(struct scheme_server *srv, const struct scheme_request *q,
			  struct scheme_reply *r, size_t pos, int got, uint64_t cur)
{
	if (got < 0)
		r->result = got;
	else if (pos == 0 && got > 0)
		r->result = -EINVAL; /* not even one record fits */
	else if (pos && scheme_msg_write(srv, q->tag, 0, initfsd_of(srv)->dirbuf, pos) != (long)pos)
		r->result = -errno;
	else
		r->result = (int64_t)pos;
	r->aux = cur;
	return SCHEME_REPLY_NOW;
}

int initfsd_redirect(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r, const struct walk *w)
{
	r->result = scheme_msg_write(srv, q->tag, 0, w->buf, w->redirect_len + 1);
	r->result = r->result < 0 ? -errno : (int64_t)w->redirect_len;
	r->aux = r->result < 0 ? 0 : SCHEME_AUX_REDIRECT;
	return SCHEME_REPLY_NOW;
}

/* Pages [off, off + len) of the archive file data[0, size) start a run of the daemon's memory:
 * the archive's own pages when the range ends within the file's last page
 * (the format zero-pads it), else a window of fresh zero pages with the
 * file's pages mapped over its start. 0 and *addr, or -errno. */
int initfsd_archive_pages(struct initfsd_server *s, const uint8_t *data, uint64_t size,
			  uint64_t off, uint64_t len, uint64_t *addr)
{
	uint64_t file_end = ALIGN_UP(size, INITFSD_PAGE), wlen = ALIGN_UP(len, INITFSD_PAGE);
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
		 (off_t)(data - s->arc->base + off)) == MAP_FAILED) {
		munmap(p, wlen);
		return -ENOMEM;
	}
	*w = (struct initfsd_window){ .addr = p, .len = wlen, .batch = s->batch };
	s->nwindows++;
	*addr = (uint64_t)(uintptr_t)p;
	return 0;
}

/* Windows whose replies the kernel has taken (an earlier batch's). */
static void release_windows(struct initfsd_server *s)
{
	/* Most batches made none: the sweep is for the few that did. */
	for (size_t i = 0; i < INITFSD_WINDOWS && s->nwindows; i++) {
		struct initfsd_window *w = &s->windows[i];

		if (w->addr && w->batch < s->batch) {
			munmap(w->addr, w->len);
			*w = (struct initfsd_window){ 0 };
			s->nwindows--;
		}
	}
}

int initfsd_loop(struct initfsd_server *s, struct scheme_server *srv)
{
	for (;;) {
		/* Call k sends batch k-1's replies, then reads and answers batch k. */
		if (scheme_serve_once(srv) && errno != EINTR)
			return errno;
		release_windows(s);
		s->batch++;
	}
}
