/*
 * drivers/initfsd/initfsd_paths.c: file:'s path operations (see
 * initfsd_file.h): unlink, rmdir, mkdir, symlink, rename and link, each
 * with the caller's credentials; and those credentials, supplementary
 * groups included once the kernel gives them (SCHEME_IOC_CALLER).
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include "user/libscheme.h"
#include "drivers/initfsd/initfsd_file.h"

#define TWO_PATHS (2 * SCHEME_PATH_BUF)  /* "old\0new\0" at most */

void initfsd_caller(struct scheme_server *srv, const struct scheme_request *q,
		    struct ramfs_cred *c)
{
	struct initfsd_server *s = initfsd_of(srv);
	struct scheme_caller sc;

	/* Field by field: groups beyond ngroups are never read, and clearing
	 * them all costs more than the rest of a stat's checks. */
	c->uid = q->uid;
	c->gid = q->gid;
	c->ngroups = 0;
	/* Root's access does not depend on its groups: no need to ask. */
	if (q->uid == 0 || s->no_caller_ioctl)
		return;
	/* Cleared only here, where it is used (152 bytes). */
	sc = (struct scheme_caller){ .tag = q->tag };
	if (ioctl(srv->fd, SCHEME_IOC_CALLER, &sc) != 0) {
		/* A kernel without it (ENOTTY/EINVAL): the request's gid alone. */
		if (errno == ENOTTY || errno == EINVAL)
			s->no_caller_ioctl = true;
		return;
	}
	c->ngroups = MIN(sc.ngroups, (uint32_t)RAMFS_GROUPS_MAX);
	memcpy(c->groups, sc.groups, c->ngroups * sizeof(c->groups[0]));
}

/* The request's one path into buf: 0 or -errno. */
static int one_path(struct scheme_server *srv, const struct scheme_request *q, char *buf)
{
	return scheme_req_path(srv, q, buf, SCHEME_PATH_BUF);
}

/* The request's "a\0b\0" into buf, *b at the second: 0 or -errno. */
static int two_paths(struct scheme_server *srv, const struct scheme_request *q, char *buf,
		     const char **b)
{
	uint64_t len = q->args[SCHEME_ARG_LEN];
	char *nul;

	if (len == 0 || len > TWO_PATHS)
		return -ENAMETOOLONG;
	if (scheme_msg_read(srv, q->tag, 0, buf, len) != (long)len)
		return -EFAULT;
	nul = memchr(buf, '\0', len);
	if (nul == NULL || memchr(nul + 1, '\0', len - (size_t)(nul + 1 - buf)) == NULL)
		return -EINVAL;
	*b = nul + 1;
	return 0;
}

int initfsd_op_path(struct scheme_server *srv, const struct scheme_request *q,
		    struct scheme_reply *r)
{
	struct initfsd_server *s = initfsd_of(srv);
	char path[SCHEME_PATH_BUF];
	struct ramfs_cred c;
	int err = one_path(srv, q, path);

	initfsd_caller(srv, q, &c);
	if (err == 0 && q->op == SCHEME_OP_MKDIR) {
		err = ramfs_mkdir(s->ram, &c, path, (uint32_t)q->args[1], &s->walk);
	} else if (err == 0) {
		initfsd_forget(s); /* an entry goes */
		err = ramfs_unlink(s->ram, &c, path, q->op == SCHEME_OP_RMDIR, &s->walk);
	}
	return initfsd_answer(srv, q, r, err);
}

int initfsd_op_pair(struct scheme_server *srv, const struct scheme_request *q,
		   struct scheme_reply *r)
{
	static char buf[TWO_PATHS]; /* off the thread's stack; one thread serves file: */
	struct initfsd_server *s = initfsd_of(srv);
	struct ramfs_cred c;
	const char *b;
	int err = two_paths(srv, q, buf, &b);

	initfsd_caller(srv, q, &c);
	if (err != 0)
		return initfsd_answer(srv, q, r, err);
	switch (q->op) {
	case SCHEME_OP_SYMLINK:
		err = ramfs_symlink(s->ram, &c, buf, b, &s->walk);
		break;
	case SCHEME_OP_RENAME:
		initfsd_forget(s); /* entries move, one may go */
		err = ramfs_rename(s->ram, &c, buf, b, (unsigned)q->args[1], &s->walk);
		break;
	default:
		err = ramfs_link(s->ram, &c, buf, b, q->args[1] & AT_SYMLINK_FOLLOW, &s->walk);
	}
	return initfsd_answer(srv, q, r, err);
}
