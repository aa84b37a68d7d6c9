/*
 * kernel/scheme/file_path.c: the path operations (unlink, rmdir, mkdir,
 * symlink, rename, link; see file.h): each resolves its path to a scheme and
 * asks it, following the scheme's redirects (a symbolic link that leaves
 * its tree, syscall/abi/scheme_proto.h) as file_open does.
 */
#include "kernel/scheme/file.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/path.h"
#include "kernel/scheme/namespace.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "syscall/abi/abi_fs.h"
#include "syscall/abi/scheme_proto.h"
#include <string.h>

/* One path operation: what to ask a scheme of its path. */
struct path_op {
	int (*call)(const struct scheme *s, const char *rest, const struct path_op *op,
		    const struct caller *c);
	bool dir;              /* unlink: rmdir */
	uint32_t mode;         /* mkdir */
	const char *target;    /* symlink */
};

/* The scheme path names (with a reference) and the path within it. */
static int find_scheme(const char *path, const char *cwd, char *rest, const struct scheme **out)
{
	char name[SCHEME_NAME_MAX];
	int err = path_resolve(path, cwd, name, sizeof(name), rest, PATH_MAX_LEN);

	if (err)
		return err;
	if (!current_ns_allows(name))
		return -ENOENT;
	*out = scheme_find(&root_namespace, name);
	return *out ? 0 : -ENOENT;
}

/* Runs op on path, resolving the scheme's redirects from the start again,
 * at most SCHEME_SYMLINK_MAX times. */
static int run_path_op(const char *path, const char *cwd, const struct path_op *op)
{
	/* redirect: what the scheme writes; cur: the path being resolved. */
	char *redirect = file_path_buf_get(), *cur = kmalloc(SCHEME_PATH_BUF);
	char *rest = kmalloc(PATH_MAX_LEN);
	int err = (redirect && cur && rest) ? 0 : -ENOMEM;

	for (int links = 0; !err; links++) {
		const struct scheme *s;
		struct caller c;

		err = find_scheme(path, cwd, rest, &s);
		if (err)
			break;
		caller_current(&c);
		c.redirect = redirect;
		err = op->call(s, rest, op, &c);
		scheme_put(s);
		if (err != SCHEME_EREDIRECT)
			break;
		if (links == SCHEME_SYMLINK_MAX) {
			err = -ELOOP;
			break;
		}
		/* The scheme's path is whole: it names its scheme or is absolute. */
		memcpy(cur, redirect, SCHEME_PATH_BUF);
		path = cur;
		cwd = "/";
		err = 0;
	}
	file_path_buf_put(redirect);
	kfree(cur);
	kfree(rest);
	return err;
}

static int call_unlink(const struct scheme *s, const char *rest, const struct path_op *op,
		       const struct caller *c)
{
	return s->ops->unlink ? s->ops->unlink(s, rest, op->dir, c) : -EROFS;
}

static int call_mkdir(const struct scheme *s, const char *rest, const struct path_op *op,
		      const struct caller *c)
{
	return s->ops->mkdir ? s->ops->mkdir(s, rest, op->mode, c) : -EROFS;
}

static int call_symlink(const struct scheme *s, const char *rest, const struct path_op *op,
			const struct caller *c)
{
	return s->ops->symlink ? s->ops->symlink(s, op->target, rest, c) : -EROFS;
}

int file_unlink(const char *path, const char *cwd, bool dir)
{
	struct path_op op = { .call = call_unlink, .dir = dir };

	return run_path_op(path, cwd, &op);
}

int file_mkdir(const char *path, const char *cwd, uint32_t mode)
{
	struct path_op op = { .call = call_mkdir, .mode = mode };

	return run_path_op(path, cwd, &op);
}

int file_symlink(const char *target, const char *path, const char *cwd)
{
	struct path_op op = { .call = call_symlink, .target = target };

	return run_path_op(path, cwd, &op);
}

/*
 * rename and link name two paths in one scheme. Neither follows its last
 * component, so a redirect can only come from a link among the parents: it
 * leads out of the scheme the other path is in, and the answer is -EXDEV
 * (a simplification: both paths leaving for the same scheme fail too).
 */
static int two_paths(const char *old, const char *new, const char *cwd, unsigned flags,
		     bool is_rename)
{
	char *rold = kmalloc(PATH_MAX_LEN), *rnew = kmalloc(PATH_MAX_LEN);
	char *redirect = file_path_buf_get();
	const struct scheme *s = NULL, *t = NULL;
	struct caller c;
	int err = (rold && rnew && redirect) ? 0 : -ENOMEM;

	if (!err)
		err = find_scheme(old, cwd, rold, &s);
	if (!err)
		err = find_scheme(new, cwd, rnew, &t);
	if (!err && s != t)
		err = -EXDEV;
	/* A directory into itself (either way for RENAME_EXCHANGE, a swap):
	 * lexically, as the paths are normalized. */
	if (!err && is_rename && (path_is_inside(rold, rnew) ||
				  ((flags & ABI_RENAME_EXCHANGE) && path_is_inside(rnew, rold))))
		err = -EINVAL;
	if (!err) {
		caller_current(&c);
		c.redirect = redirect;
		if (is_rename)
			err = s->ops->rename ? s->ops->rename(s, rold, rnew, flags, &c) : -EROFS;
		else
			err = s->ops->link ? s->ops->link(s, rold, rnew, flags, &c) : -EROFS;
		if (err == SCHEME_EREDIRECT)
			err = -EXDEV;
	}
	if (s)
		scheme_put(s);
	if (t)
		scheme_put(t);
	kfree(rold);
	kfree(rnew);
	file_path_buf_put(redirect);
	return err;
}

int file_rename(const char *old, const char *new, const char *cwd, unsigned flags)
{
	return two_paths(old, new, cwd, flags, true);
}

int file_link(const char *old, const char *new, const char *cwd, unsigned flags)
{
	return two_paths(old, new, cwd, flags, false);
}
