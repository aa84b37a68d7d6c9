/*
 * drivers/ramfs/walk.c: path resolution with symbolic links (see walk.h).
 */
#include <errno.h>
#include <string.h>
#include "drivers/ramfs/walk.h"

#define SCHEME_DIR "/scheme/"

bool walk_leaves_tree(const char *target, size_t len, unsigned flags)
{
	const char *colon = memchr(target, ':', len), *slash = memchr(target, '/', len);

	if (colon != NULL && (slash == NULL || colon < slash))
		return true;			/* "name:..." */
	if (len == 0 || target[0] != '/')
		return false;
	if (!(flags & WALK_ROOTFS))
		return true;
	return (len >= strlen(SCHEME_DIR) && memcmp(target, SCHEME_DIR, strlen(SCHEME_DIR)) == 0) ||
	       (len == strlen(SCHEME_DIR) - 1 && memcmp(target, SCHEME_DIR, len) == 0);
}

/* w->buf becomes target followed by rest: 0 or -ENAMETOOLONG. */
static int splice(struct walk *w, const char *target, size_t tlen, const char *rest)
{
	size_t rlen = strlen(rest);

	if (tlen + rlen >= sizeof(w->tmp))
		return -ENAMETOOLONG;
	memcpy(w->tmp, target, tlen);
	memcpy(w->tmp + tlen, rest, rlen + 1);
	memcpy(w->buf, w->tmp, tlen + rlen + 1);
	return 0;
}

int walk_path(const struct walk_ops *ops, void *ctx, uint64_t root, const char *path,
	      unsigned flags, struct walk *w)
{
	size_t len = strnlen(path, sizeof(w->buf));
	unsigned links = 0;
	uint64_t cur = root;
	const char *p;

	if (len == sizeof(w->buf))
		return -ENAMETOOLONG;
	memcpy(w->buf, path, len + 1);
	w->last = NULL;
	w->dir = root;
	for (p = w->buf;;) {
		const char *q, *rest;
		uint64_t node;
		size_t n;
		int err;

		while (*p == '/')
			p++;
		if (*p == '\0') {
			w->node = cur;
			return 0;
		}
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		n = (size_t)(q - p);
		for (rest = q; *rest == '/'; rest++)
			;
		if (ops->type(ctx, cur) != WALK_DIR)
			return -ENOTDIR;
		if (n > WALK_NAME_MAX)
			return -ENAMETOOLONG;
		if (ops->search && (err = ops->search(ctx, cur)) != 0)
			return err;
		if (n == 1 && p[0] == '.') {
			p = q;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			cur = ops->parent(ctx, cur);
			p = q;
			continue;
		}
		err = ops->child(ctx, cur, p, n, &node);
		if (err != 0) {
			if (err == -ENOENT && *rest == '\0') {
				w->dir = cur;
				w->last = p;
				w->last_len = n;
			}
			return err;
		}
		if (ops->type(ctx, node) == WALK_LINK && (*rest != '\0' || (flags & WALK_FOLLOW))) {
			size_t tlen;
			const char *target = ops->target(ctx, node, &tlen);

			if (++links > SCHEME_SYMLINK_MAX)
				return -ELOOP;
			err = splice(w, target, tlen, q);
			if (err != 0)
				return err;
			if (walk_leaves_tree(target, tlen, flags)) {
				w->redirect_len = strlen(w->buf);
				return WALK_REDIRECT;
			}
			if (target[0] == '/')
				cur = root;
			p = w->buf;
			continue;
		}
		if (*rest == '\0') {
			w->node = node;
			w->dir = cur;
			w->last = p;
			w->last_len = n;
			return 0;
		}
		cur = node;
		p = q;
	}
}
