/*
 * kernel/scheme/uscheme_client.h: what the operations of a daemon's files
 * share (kernel/scheme/uscheme_client.c, the data and handle operations;
 * kernel/scheme/uscheme_path.c, the path and attribute operations).
 */
#ifndef KERNEL_USCHEME_CLIENT_H
#define KERNEL_USCHEME_CLIENT_H

#include "kernel/scheme/uscheme.h"

struct uscheme *us_of(const struct scheme *s);
/* A request for file f's handle (NULL: a path operation), of op, with the
 * buffer of u (or none), which the daemon may read and/or write. */
void usreq_init(struct usreq *r, struct file *f, uint16_t op, const struct uio *u,
	      bool daemon_reads, bool daemon_writes);
/* A path operation's request: buf (SCHEME_PATH_BUF bytes) holds the
 * path(s), len bytes with their NULs; the daemon may overwrite all of it. */
void usreq_path_init(struct usreq *r, uint16_t op, char *buf, size_t len);
/* Sends r for f's handle; the result. */
int64_t usreq_call_file(struct file *f, struct usreq *r, const struct caller *c);
/* A reply of len with SCHEME_AUX_REDIRECT: SCHEME_EREDIRECT if buf holds a
 * well-formed path, -EIO for a malformed reply (or no buffer). */
int uscheme_redirected(const char *buf, int64_t len);
int us_stat(struct file *f, struct abi_stat *st, const struct caller *c);

/* uscheme_path.c: the scheme_ops of scheme.h, for a daemon's scheme. */
long us_readlink(struct file *f, struct uio *u, const struct caller *c);
int us_unlink(const struct scheme *s, const char *path, bool dir, const struct caller *c);
int us_mkdir(const struct scheme *s, const char *path, unsigned mode, const struct caller *c);
int us_symlink(const struct scheme *s, const char *target, const char *path,
	       const struct caller *c);
int us_rename(const struct scheme *s, const char *old, const char *new, unsigned flags,
	      const struct caller *c);
int us_link(const struct scheme *s, const char *old, const char *new, unsigned flags,
	    const struct caller *c);
int us_truncate(struct file *f, uint64_t len, const struct caller *c);
int us_chmod(struct file *f, unsigned mode, const struct caller *c);
int us_chown(struct file *f, uint32_t uid, uint32_t gid, const struct caller *c);
int us_utimens(struct file *f, const struct abi_timespec *ts, const struct caller *c);
int us_fsync(struct file *f, const struct caller *c);
int us_statfs(struct file *f, struct abi_statfs *st, const struct caller *c);

#endif
