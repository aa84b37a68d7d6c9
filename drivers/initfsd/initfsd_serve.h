/*
 * drivers/initfsd/initfsd_serve.h: one scheme's server over the archive
 * (initfsd_serve.c): its handle table and its request handlers. initfsd.c
 * maps the archive and runs one per scheme, each in its own thread.
 */
#ifndef DRIVERS_INITFSD_SERVE_H
#define DRIVERS_INITFSD_SERVE_H

#include <stdint.h>
#include "user/libscheme.h"
#include "kernel/scheme/initfs.h"
#include "drivers/ramfs/walk.h"

struct initfsd_handle;

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
	const struct initfs *fs;          /* the checked archive, shared, read-only */
	int archive_fd;                   /* boot:initfs, for windows' file pages */
	unsigned walk_flags;              /* WALK_ROOTFS for file: (walk.h) */
	struct initfsd_handle *handles;   /* by id - 1; grown as needed */
	uint32_t nhandles;
	uint64_t batch;                   /* batches served so far */
	struct initfsd_window windows[INITFSD_WINDOWS];
	_Alignas(8) uint8_t dirbuf[INITFSD_DIRBUF]; /* this server's getdents records */
	struct walk walk;                 /* this server's path being resolved */
};

/* Resolves path in the archive (drivers/ramfs/walk.h's rules and results;
 * initfsd_walk.c). */
int initfsd_walk(const struct initfs *fs, const char *path, unsigned flags, struct walk *w);

/* Serves the registered scheme descriptor fd until receiving fails for a
 * reason other than a signal: returns that errno. */
int initfsd_serve(struct initfsd_server *s, int fd);

#endif
