/*
 * drivers/initfsd/initfsd_serve.h: one scheme's server: initfs: over the
 * archive (initfsd_serve.c) or file: over the RAM file system
 * (initfsd_file.c, initfsd_paths.c), with what they share
 * (initfsd_common.c): the handle table, getdents records, redirects,
 * archive page windows and the serving loop. initfsd.c runs one per
 * scheme, each in its own thread with its own state: they share only the
 * read-only archive.
 */
#ifndef DRIVERS_INITFSD_SERVE_H
#define DRIVERS_INITFSD_SERVE_H

#include <stdint.h>
#include "user/libscheme.h"
#include "kernel/scheme/initfs.h"
#include "drivers/ramfs/walk.h"

#define INITFSD_PAGE 4096u            /* INITFS_DATA_ALIGN: the archive's page */
#define INITFSD_STAT_BLOCK 512         /* st_blocks counts 512-byte units */

struct ramfs;
struct ramfs_inode;
struct pcache;

struct initfsd_handle {
	bool used;
	struct initfs_stat st;          /* initfs: the entry */
	struct ramfs_inode *n;          /* file: the inode, held */
	int flags;                      /* file: the open flags */
};

/* A page window built for a mapping that runs past a file's last page
 * (initfsd_serve.c): unmapped once the kernel has taken its pages. */
struct initfsd_window {
	void *addr;
	size_t len;
	uint64_t batch; /* the batch whose reply names it */
};

/* Windows alive at once: a batch's requests each may make one, and they
 * live until the next batch has sent the replies (user/libscheme.h). */
#define INITFSD_WINDOWS (2 * SCHEME_SERVE_BATCH)
#define INITFSD_DIRBUF 4096 /* getdents records built before one MSGWRITE */

struct initfsd_server {
	const struct initfs *arc;         /* the checked archive, shared, read-only */
	struct ramfs *ram;                /* file:'s tree, this thread's alone */
	struct pcache *cache;             /* file:'s paths seen (initfsd_pcache.h); NULL: none */
	bool no_caller_ioctl;             /* SCHEME_IOC_CALLER is not there */
	int archive_fd;                   /* boot:initfs, for windows' file pages */
	unsigned walk_flags;              /* WALK_ROOTFS for file: (walk.h) */
	struct initfsd_handle *handles;   /* by id - 1; grown as needed */
	uint32_t nhandles;
	uint64_t batch;                   /* batches served so far */
	struct initfsd_window windows[INITFSD_WINDOWS];
	uint32_t nwindows;                /* windows in use: none, no sweep */
	_Alignas(8) uint8_t dirbuf[INITFSD_DIRBUF]; /* this server's getdents records */
	struct walk walk;                 /* this server's path being resolved */
};

struct initfsd_server *initfsd_of(struct scheme_server *srv);
/* The open handle a request names, or NULL. */
struct initfsd_handle *initfsd_handle_of(struct scheme_server *srv, const struct scheme_request *q);
/* A free slot's id (1-based), growing the table; 0 when out of memory. */
uint64_t initfsd_handle_alloc(struct initfsd_server *s);
/* Appends one getdents64 record at buf + pos if it fits in room: its
 * length, or 0. */
size_t initfsd_put_dirent(uint8_t *buf, size_t pos, size_t room, uint64_t ino, uint64_t next,
			  unsigned char type, const char *name);
/* Answers q with data[0, len), cut to the caller's buffer. */
int initfsd_send(struct scheme_server *srv, const struct scheme_request *q,
		 struct scheme_reply *r, const void *data, uint64_t len);
int initfsd_op_ioctl(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r);
int initfsd_op_close(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r);
/* Answers a GETDENTS with the pos bytes of records in the server's
 * dirbuf: got is the last readdir result (< 0: an error, > 0: the next
 * record did not fit), cur the next cursor. */
int initfsd_dirents_reply(struct scheme_server *srv, const struct scheme_request *q,
			  struct scheme_reply *r, size_t pos, int got, uint64_t cur);
/* Answers q with the redirect in w (scheme_proto.h). */
int initfsd_redirect(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r, const struct walk *w);
/* Pages [off, off + len) of the archive file data[0, size) as a run of
 * the daemon's memory (a window past the file's last page): 0 and *addr,
 * or -errno. */
int initfsd_archive_pages(struct initfsd_server *s, const uint8_t *data, uint64_t size,
			  uint64_t off, uint64_t len, uint64_t *addr);
/* Serves srv (whose priv is s) until receiving fails for a reason other
 * than a signal: returns that errno. */
int initfsd_loop(struct initfsd_server *s, struct scheme_server *srv);

/* Resolves path in the archive (drivers/ramfs/walk.h's rules and results;
 * initfsd_walk.c). */
int initfsd_walk(const struct initfs *fs, const char *path, unsigned flags, struct walk *w);

/* Serves initfs: (initfsd_serve.c) or file: (initfsd_file.c) on the
 * registered scheme descriptor fd, as initfsd_loop. */
int initfsd_serve(struct initfsd_server *s, int fd);
int initfsd_serve_file(struct initfsd_server *s, int fd);

#endif
