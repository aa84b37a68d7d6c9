/*
 * drivers/initfsd/initfsd_file.h: file:, the root file system, served
 * writable from drivers/ramfs (populated from the archive at start): the
 * handlers of initfsd_file.c (handles and data), initfsd_fattr.c
 * (attributes) and initfsd_paths.c (path operations), the memory the
 * tree's pages come from (initfsd_mem.c), and the paths an OPEN finds
 * without walking (initfsd_pcache.h), forgotten by initfsd_forget.
 */
#ifndef DRIVERS_INITFSD_FILE_H
#define DRIVERS_INITFSD_FILE_H

#include "drivers/initfsd/initfsd_serve.h"
#include "drivers/ramfs/ramfs.h"

/* Forgets file:'s cached paths: an entry went or moved, or a mode or an
 * owner changed (initfsd_pcache.h). */
void initfsd_forget(struct initfsd_server *s);

/* The callbacks and budget the daemon's tree uses. */
struct ramfs_mem initfsd_mem(void);

/* The caller's credentials, supplementary groups included when the kernel
 * gives them (SCHEME_IOC_CALLER; else the request's gid alone). */
void initfsd_caller(struct scheme_server *srv, const struct scheme_request *q,
		    struct ramfs_cred *c);

/* Replies with err: a redirect (WALK_REDIRECT) or the result. */
int initfsd_answer(struct scheme_server *srv, const struct scheme_request *q,
		   struct scheme_reply *r, int err);

int initfsd_op_fstat(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r);
/* OPEN asked SCHEME_REQ_STAT: n's status into the buffer, SCHEME_AUX_STAT
 * in r's aux once it is there (true). */
bool initfsd_open_stat(struct scheme_server *srv, const struct scheme_request *q,
		       struct scheme_reply *r, struct ramfs_inode *n);
int initfsd_op_fstatvfs(struct scheme_server *srv, const struct scheme_request *q,
			struct scheme_reply *r);
int initfsd_op_ftruncate(struct scheme_server *srv, const struct scheme_request *q,
			 struct scheme_reply *r);
/* FCHMOD and FCHOWN. */
int initfsd_op_owner(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r);
int initfsd_op_utimens(struct scheme_server *srv, const struct scheme_request *q,
		       struct scheme_reply *r);
int initfsd_op_fsync(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r);

/* OPEN asked SCHEME_REQ_READAHEAD (flags: its open flags): regular file
 * n's first bytes with reply r, when they can travel (initfsd_ra.c). */
void initfsd_readahead(const struct scheme_request *q, struct scheme_reply *r,
		       const struct ramfs_inode *n, int flags);

/* UNLINK, RMDIR and MKDIR (args[1] mode). */
int initfsd_op_path(struct scheme_server *srv, const struct scheme_request *q,
		    struct scheme_reply *r);
/* SYMLINK, RENAME and LINK: "a\0b\0" with args[1] the op's flags. */
int initfsd_op_pair(struct scheme_server *srv, const struct scheme_request *q,
		    struct scheme_reply *r);

#endif
