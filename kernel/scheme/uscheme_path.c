/*
 * kernel/scheme/uscheme_path.c: the path operations (unlink, rmdir, mkdir,
 * symlink, rename, link) and the attribute operations (readlink, truncate,
 * chmod, chown, utimens, fsync, statfs) of a scheme served by a daemon, one
 * request each (syscall/abi/scheme_proto.h). Path operations carry their
 * path(s) in the caller's SCHEME_PATH_BUF buffer (struct caller's
 * redirect), which the daemon may overwrite with a redirect.
 */
#include "kernel/scheme/uscheme_client.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"
#include <string.h>

/* Sends op with the strings a and b (NULL: only a) as its buffer. */
static int path_call(const struct scheme *s, uint16_t op, const char *a, const char *b,
		     uint64_t arg1, const struct caller *c)
{
	size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;
	struct usreq r;
	int64_t res;

	if (!c->redirect)
		return -EINVAL; /* the path layer always gives one */
	if (la + lb > SCHEME_PATH_BUF)
		return -ENAMETOOLONG;
	memcpy(c->redirect, a, la);
	if (b)
		memcpy(c->redirect + la, b, lb);
	usreq_path_init(&r, op, c->redirect, la + lb);
	r.pkt.args[1] = arg1;
	res = uscheme_call(us_of(s), &r, c);
	if (res >= 0 && (r.aux & SCHEME_AUX_REDIRECT))
		return uscheme_redirected(c->redirect, res);
	return res < 0 ? (int)res : 0;
}

int us_unlink(const struct scheme *s, const char *path, bool dir, const struct caller *c)
{
	return path_call(s, dir ? SCHEME_OP_RMDIR : SCHEME_OP_UNLINK, path, NULL, 0, c);
}

int us_mkdir(const struct scheme *s, const char *path, unsigned mode, const struct caller *c)
{
	return path_call(s, SCHEME_OP_MKDIR, path, NULL, mode, c);
}

int us_symlink(const struct scheme *s, const char *target, const char *path,
	       const struct caller *c)
{
	return path_call(s, SCHEME_OP_SYMLINK, target, path, 0, c);
}

int us_rename(const struct scheme *s, const char *old, const char *new, unsigned flags,
	      const struct caller *c)
{
	return path_call(s, SCHEME_OP_RENAME, old, new, flags, c);
}

int us_link(const struct scheme *s, const char *old, const char *new, unsigned flags,
	    const struct caller *c)
{
	return path_call(s, SCHEME_OP_LINK, old, new, flags, c);
}

/* A request on f's handle with up to two arguments and an optional kernel
 * buffer; 0 or -errno. */
static int handle_call(struct file *f, uint16_t op, uint64_t a0, uint64_t a1, void *buf,
		       size_t len, bool daemon_writes, const struct caller *c)
{
	struct uio u = uio_kernel(buf, len);
	struct usreq r;
	int64_t res;

	usreq_init(&r, f, op, buf ? &u : NULL, buf && !daemon_writes, daemon_writes);
	r.pkt.args[0] = a0;
	r.pkt.args[1] = a1;
	res = usreq_call_file(f, &r, c);
	return res < 0 ? (int)res : 0;
}

/* The daemon answers -EINVAL for a handle that is no link. */
long us_readlink(struct file *f, struct uio *u, const struct caller *c)
{
	struct usreq r;

	usreq_init(&r, f, SCHEME_OP_READLINK, u, false, true);
	return usreq_call_file(f, &r, c);
}

int us_truncate(struct file *f, uint64_t len, const struct caller *c)
{
	return handle_call(f, SCHEME_OP_FTRUNCATE, len, 0, NULL, 0, false, c);
}

int us_chmod(struct file *f, unsigned mode, const struct caller *c)
{
	return handle_call(f, SCHEME_OP_FCHMOD, mode, 0, NULL, 0, false, c);
}

int us_chown(struct file *f, uint32_t uid, uint32_t gid, const struct caller *c)
{
	return handle_call(f, SCHEME_OP_FCHOWN, uid, gid, NULL, 0, false, c);
}

int us_utimens(struct file *f, const struct abi_timespec *ts, const struct caller *c)
{
	struct abi_timespec copy[2] = { ts[0], ts[1] };

	return handle_call(f, SCHEME_OP_UTIMENS, 0, 0, copy, sizeof(copy), false, c);
}

int us_fsync(struct file *f, const struct caller *c)
{
	return handle_call(f, SCHEME_OP_FSYNC, 0, 0, NULL, 0, false, c);
}

int us_statfs(struct file *f, struct abi_statfs *st, const struct caller *c)
{
	return handle_call(f, SCHEME_OP_FSTATVFS, 0, 0, st, sizeof(*st), true, c);
}
