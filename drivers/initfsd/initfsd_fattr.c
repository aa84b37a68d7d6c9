/*
 * drivers/initfsd/initfsd_fattr.c: file:'s requests on an open file's
 * attributes (see initfsd_file.h): fstat, fstatvfs (Linux's struct
 * statfs), ftruncate, fchmod, fchown, utimens and fsync.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include "user/libscheme.h"
#include "drivers/initfsd/initfsd_file.h"

#define UTIMENS_BYTES (2 * sizeof(struct timespec))

/* The handle, or NULL having answered -EBADF. */
static struct initfsd_handle *handle(struct scheme_server *srv, const struct scheme_request *q,
				     struct scheme_reply *r)
{
	struct initfsd_handle *h = initfsd_handle_of(srv, q);

	if (h == NULL)
		r->result = -EBADF;
	return h;
}

static struct timespec ts_of(struct ramfs_time t)
{
	return (struct timespec){ .tv_sec = t.sec, .tv_nsec = t.nsec };
}

_Static_assert(sizeof(struct stat) <= SCHEME_REPLY_BUF, "a status fits a reply's data");

/* A struct stat's words, to clear it with stores GCC merges into pairs:
 * with no FP/SIMD registers (INIT_NOFP) it calls memset for a struct of
 * this size instead, once per stat. */
typedef uint64_t __attribute__((may_alias)) stat_word;
_Static_assert(sizeof(struct stat) % sizeof(stat_word) == 0, "a status is whole words");

/* n's status as fstat(2) gives it, into *st (every byte written: it goes
 * to the kernel, padding included). */
static void fill_stat(const struct ramfs_inode *n, struct stat *st)
{
	stat_word *w = (stat_word *)st;
	struct ramfs_stat rs;

	ramfs_stat(n, &rs);
#pragma GCC unroll 16
	for (size_t i = 0; i < sizeof(*st) / sizeof(*w); i++)
		w[i] = 0;
	st->st_ino = rs.ino;
	st->st_mode = rs.mode;
	st->st_nlink = rs.nlink;
	st->st_uid = rs.uid;
	st->st_gid = rs.gid;
	st->st_size = (off_t)rs.size;
	st->st_blksize = INITFSD_PAGE;
	st->st_blocks = (blkcnt_t)rs.blocks;
	st->st_atim = ts_of(rs.atime);
	st->st_mtim = ts_of(rs.mtime);
	st->st_ctim = ts_of(rs.ctime);
}

/* n's status into the request's buffer at 0: built in place in the reply's
 * data (srv->reply_buf), or copied at once when it cannot travel so. */
static int64_t send_stat(struct scheme_server *srv, const struct scheme_request *q,
			 struct scheme_reply *r, struct ramfs_inode *n, uint64_t room)
{
	struct stat *sp = (struct stat *)srv->reply_buf;
	struct stat st;

	if (sp != NULL && scheme_reply_data(r, sp, MIN(sizeof(st), room))) {
		fill_stat(n, sp);
		return 0;
	}
	fill_stat(n, &st);
	return scheme_msg_write(srv, q->tag, 0, &st, MIN(sizeof(st), room)) < 0 ? -errno : 0;
}

int initfsd_op_fstat(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r)
{
	struct initfsd_handle *h = handle(srv, q, r);

	if (h != NULL)
		r->result = send_stat(srv, q, r, h->n, q->args[SCHEME_ARG_LEN]);
	return SCHEME_REPLY_NOW;
}

bool initfsd_open_stat(struct scheme_server *srv, const struct scheme_request *q,
		       struct scheme_reply *r, struct ramfs_inode *n)
{
	/* The buffer is SCHEME_PATH_BUF bytes (scheme_proto.h): the whole
	 * struct fits; a failed copy leaves the kernel to ask with FSTAT. */
	if (!(q->flags & SCHEME_REQ_STAT) || send_stat(srv, q, r, n, SCHEME_PATH_BUF) != 0)
		return false;
	r->aux |= SCHEME_AUX_STAT;
	return true;
}

int initfsd_op_fstatvfs(struct scheme_server *srv, const struct scheme_request *q,
			struct scheme_reply *r)
{
	struct ramfs_statfs rs;
	struct statfs sf = { 0 };

	if (handle(srv, q, r) == NULL)
		return SCHEME_REPLY_NOW;
	ramfs_statfs(initfsd_of(srv)->ram, &rs);
	sf.f_type = (long)rs.type;
	sf.f_bsize = (long)rs.bsize;
	sf.f_frsize = (long)rs.bsize;
	sf.f_blocks = rs.blocks;
	sf.f_bfree = rs.bfree;
	sf.f_bavail = rs.bfree;
	sf.f_files = rs.files;
	sf.f_ffree = rs.ffree;
	sf.f_namelen = (long)rs.namelen;
	r->result = scheme_msg_write(srv, q->tag, 0, &sf, MIN(sizeof(sf), q->args[SCHEME_ARG_LEN]));
	r->result = r->result < 0 ? -errno : 0;
	return SCHEME_REPLY_NOW;
}

int initfsd_op_ftruncate(struct scheme_server *srv, const struct scheme_request *q,
			 struct scheme_reply *r)
{
	struct initfsd_handle *h = handle(srv, q, r);
	struct ramfs_cred c;

	if (h == NULL)
		return SCHEME_REPLY_NOW;
	/* Linux: EINVAL unless a regular file open for writing. */
	if ((h->flags & O_ACCMODE) == O_RDONLY || (h->flags & O_PATH) ||
	    (h->n->mode & S_IFMT) != S_IFREG || (int64_t)q->args[0] < 0) {
		r->result = -EINVAL;
		return SCHEME_REPLY_NOW;
	}
	r->result = ramfs_truncate(initfsd_of(srv)->ram, h->n, q->args[0]);
	initfsd_caller(srv, q, &c);
	if (r->result == 0)
		ramfs_modified_by(h->n, &c);
	return SCHEME_REPLY_NOW;
}

/* FCHMOD (args[0] mode) and FCHOWN (args[0] uid, args[1] gid). */
int initfsd_op_owner(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r)
{
	struct initfsd_handle *h = handle(srv, q, r);
	struct ramfs *fs = initfsd_of(srv)->ram;
	struct ramfs_cred c;

	if (h == NULL)
		return SCHEME_REPLY_NOW;
	initfsd_caller(srv, q, &c);
	initfsd_forget(initfsd_of(srv)); /* a directory's search bits may change */
	if (q->op == SCHEME_OP_FCHMOD)
		r->result = ramfs_chmod(fs, h->n, &c, (uint32_t)q->args[0]);
	else
		r->result = ramfs_chown(fs, h->n, &c, (uint32_t)q->args[0], (uint32_t)q->args[1]);
	return SCHEME_REPLY_NOW;
}

int initfsd_op_utimens(struct scheme_server *srv, const struct scheme_request *q,
		       struct scheme_reply *r)
{
	struct initfsd_handle *h = handle(srv, q, r);
	struct ramfs_time t[2];
	struct timespec ts[2];
	struct ramfs_cred c;

	if (h == NULL)
		return SCHEME_REPLY_NOW;
	if (q->args[SCHEME_ARG_LEN] != 0 &&
	    (q->args[SCHEME_ARG_LEN] < UTIMENS_BYTES ||
	     scheme_msg_read(srv, q->tag, 0, ts, UTIMENS_BYTES) != (long)UTIMENS_BYTES)) {
		r->result = -EFAULT;
		return SCHEME_REPLY_NOW;
	}
	for (int i = 0; i < 2; i++)
		t[i] = (struct ramfs_time){ .sec = ts[i].tv_sec, .nsec = ts[i].tv_nsec };
	initfsd_caller(srv, q, &c);
	r->result = ramfs_utimens(initfsd_of(srv)->ram, h->n, &c,
				  q->args[SCHEME_ARG_LEN] ? t : NULL);
	return SCHEME_REPLY_NOW;
}

/* Memory is as durable as it gets. */
int initfsd_op_fsync(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r)
{
	if (handle(srv, q, r) != NULL)
		r->result = 0;
	return SCHEME_REPLY_NOW;
}
