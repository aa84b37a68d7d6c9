/*
 * kernel/scheme/scheme_list.c: the `scheme` scheme, the directory of schemes that
 * `/scheme` (and `scheme:`) name: listing it gives the name of every scheme
 * registered in the namespace, so `ls /scheme` shows what `/scheme/NAME/`
 * can reach. Below its root it only forwards: `scheme:NAME/rest` opens
 * `NAME:rest`, which is what *at() calls relative to the directory (ls -l
 * /scheme stats "scheme:/sys") come to. A process sees and reaches only the
 * names its namespace holds (kernel/scheme/namespace.h): an open directory keeps
 * its opener's namespace, and each listing reads the registry as it is
 * then, filtered by it.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/uscheme.h"
#include "kernel/scheme/path.h"
#include "kernel/scheme/namespace.h"
#include "kernel/proc_ns.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi.h"
#include <string.h>

#define SCHEME_LIST_MODE (ABI_S_IFDIR | 0555)
#define SCHEME_LIST_INO 1 /* the directory; scheme i is SCHEME_LIST_INO + 1 + i */
/* Linux's DT_UNKNOWN: a scheme's root may be a directory (sys:) or a device
 * (null:); readers stat it to know. */
#define SCHEME_LIST_DT_UNKNOWN 0

static int list_open(const struct scheme *s, const char *path, int flags, struct file *f,
			 const struct caller *c)
{
	int err;

	/* Forward "NAME/rest" to NAME; "scheme/..." again is looped, not recursed. */
	for (;;) {
		char name[SCHEME_NAME_MAX];
		const struct scheme *target;
		const char *end;

		while (*path == '/')
			path++;
		if (*path == '\0')
			break;
		for (end = path; *end && *end != '/'; end++)
			;
		if ((size_t)(end - path) >= sizeof(name)) /* no scheme has, nor may get, such a name */
			return (flags & ABI_O_CREAT) && !*end ? -ENAMETOOLONG : -ENOENT;
		memcpy(name, path, (size_t)(end - path));
		name[end - path] = '\0';
		/* Outside the namespace a name does not exist; registering one
		 * is refused (kernel/scheme/namespace.h). */
		if (!proc_ns_allows(current_proc(), name))
			return (flags & ABI_O_CREAT) && !*end ? -EACCES : -ENOENT;
		/* "scheme:NAME" with O_CREAT: a daemon registers NAME. */
		if ((flags & ABI_O_CREAT) && !*end)
			return uscheme_register(name, f, c);
		target = scheme_find(&root_namespace, name);
		if (!target)
			return -ENOENT;
		path = *end ? end + 1 : end;
		if (target == s)
			continue;
		err = target->ops->open ? 0 : -EOPNOTSUPP;
		/* The file becomes the target's: set at open, as file.h says;
		 * it keeps scheme_find's reference. */
		f->scheme = target;
		if (!err)
			err = target->ops->open(target, path, flags, f, c);
		if (err) {
			f->scheme = s;
			scheme_put(target);
		}
		return err;
	}
	if ((flags & ABI_O_ACCMODE) != ABI_O_RDONLY)
		return -EISDIR;
	f->type = ABI_S_IFDIR;
	f->priv = current_proc() ? proc_ns(current_proc()) : &ns_all;
	return 0;
}

static int list_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	(void)c;
	(void)f;
	st->st_mode = SCHEME_LIST_MODE;
	st->st_nlink = 1;
	st->st_ino = SCHEME_LIST_INO;
	return 0;
}

static long list_getdents(struct file *f, struct uio *u, uint64_t *cursor, const struct caller *c)
{
	struct scheme_entry snap[SCHEME_MAX];
	size_t pos = 0;
	/* A copy: copying to the user may fault, so not under the registry's
	 * lock. The cursor counts visible names; a scheme registered between
	 * two calls may shift it by one, as on any directory that changes. */
	int count = ns_visible_schemes(f->priv, snap, SCHEME_MAX);

	(void)c;
	while (*cursor < (uint64_t)count) {
		long n = scheme_dirent(u, pos, SCHEME_LIST_INO + 1 + *cursor, (int64_t)*cursor + 1,
				       SCHEME_LIST_DT_UNKNOWN, snap[*cursor].name);

		if (n <= 0) /* no room for another record, or a bad buffer */
			return pos ? (long)pos : n ? n : -EINVAL;
		pos += (size_t)n;
		(*cursor)++;
	}
	return (long)pos;
}

/* Only the listing's own files come here: a forwarded open belongs to
 * its target scheme. */
static void list_close(struct file *f)
{
	ns_put(f->priv);
}

static const struct scheme_ops list_ops = {
	.open = list_open, .stat = list_stat, .getdents = list_getdents, .close = list_close,
};
const struct scheme list_scheme = { .name = PATH_SCHEME_LIST, .ops = &list_ops };

