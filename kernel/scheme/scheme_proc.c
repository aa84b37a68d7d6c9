/*
 * kernel/scheme/scheme_proc.c: the proc: scheme (/proc links to
 * /scheme/proc): the operations on its files (the lookup of a path is
 * proc_lookup.c's), and the text snapshots they serve. The tree, as
 * Linux's:
 *   /proc/{meminfo,uptime,loadavg,stat,cpuinfo,mounts,version}  (proc_sys.c)
 *   /proc/sys/kernel/{hostname,osrelease}
 *   /proc/self -> PID of the caller
 *   /proc/PID/{stat,status,cmdline,comm,maps}, exe and cwd (links),
 *   /proc/PID/fd/N (links), /proc/PID/task/TID/ (the same, per thread)
 * Links inside the tree (self) are followed here; a link out of it (exe,
 * cwd, fd/N) is opened, when followed, as a new file of what it names
 * (proc_proxy.c); opened O_PATH|O_NOFOLLOW it is the link itself, which
 * readlink reads. As on Linux, another user's maps, exe, cwd and fd/ are
 * for its owner and root only (EACCES).
 */
#include "kernel/scheme/procfs.h"
#include "kernel/scheme/poll.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "mm/heap.h"
#include <string.h>

#define PROC_DIR_MODE (ABI_S_IFDIR | 0555)
#define PROC_FD_DIR_MODE (ABI_S_IFDIR | 0500)
#define PROC_FILE_MODE (ABI_S_IFREG | 0444)
#define PROC_LINK_MODE (ABI_S_IFLNK | 0777)
#define PROC_LIST_BATCH 32    /* names copied per hold of the locks */
#define PROC_INO_PID_SHIFT 16 /* inode numbers: a pid's files above its pid */
#define PTEXT_MIN 256

/* --- text snapshots --- */

static bool ptext_reserve(struct ptext *t, size_t more)
{
	size_t cap = MAX(t->cap ? t->cap : PTEXT_MIN, t->len + more + 1);
	char *b;

	if (t->oom)
		return false;
	if (t->len + more < t->cap)
		return true;
	while (cap < t->len + more + 1)
		cap *= 2;
	b = kmalloc(cap);
	if (!b) {
		t->oom = true;
		return false;
	}
	if (t->buf)
		memcpy(b, t->buf, t->len);
	kfree(t->buf);
	t->buf = b;
	t->cap = cap;
	return true;
}

void ptext_printf(struct ptext *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0 || !ptext_reserve(t, (size_t)n))
		return;
	va_start(ap, fmt);
	kvsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void ptext_bytes(struct ptext *t, const void *data, size_t n)
{
	if (!ptext_reserve(t, n))
		return;
	memcpy(t->buf + t->len, data, n);
	t->len += n;
}

void ptext_free(struct ptext *t)
{
	kfree(t->buf);
	*t = (struct ptext){ 0 };
}

void procfs_file_free(struct procfs_file *pf)
{
	if (pf) {
		ptext_free(&pf->text);
		kfree(pf);
	}
}

static int proc_open(const struct scheme *s, const char *path, int flags, struct file *f,
		     const struct caller *c)
{
	struct procfs_file *pf = NULL;
	int err = procfs_lookup(path, flags, c, f, &pf);

	(void)s;
	if (err || !pf) { /* failed, or became a file of what a link names */
		procfs_file_free(pf);
		return err;
	}
	if (pf->kind == PK_TEXT)
		f->type = ABI_S_IFREG;
	else if (pf->kind == PK_LINK)
		f->type = ABI_S_IFLNK;
	else
		f->type = ABI_S_IFDIR;
	/* The files are 0444: only root's permission override opens one for
	 * writing, and then the write fails (proc_write), as on Linux. */
	if ((flags & ABI_O_ACCMODE) != ABI_O_RDONLY && pf->kind != PK_LINK)
		err = f->type == ABI_S_IFDIR ? -EISDIR : c->uid == CRED_ROOT_ID ? 0 : -EACCES;
	if (!err && pf->kind != PK_TEXT && pf->kind != PK_LINK && pf->kind != PK_ROOT &&
	    pf->kind != PK_SYSDIR)
		err = procfs_pid_owner(pf->pid, &pf->uid, &pf->gid);
	if (err) {
		procfs_file_free(pf);
		return err;
	}
	f->priv = pf;
	return 0;
}

/* --- operations --- */

static long proc_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct procfs_file *pf = f->priv;

	(void)c;
	if (f->type == ABI_S_IFDIR)
		return -EISDIR;
	if (pf->kind == PK_LINK)
		return -EBADF; /* an O_PATH file */
	return scheme_read_buffer(u, off, pf->text.buf, pf->text.len);
}

/* Linux's answer for a file without a write method (vfs_write). */
static long proc_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	(void)f;
	(void)u;
	(void)off;
	(void)c;
	return -EINVAL;
}

static long proc_readlink(struct file *f, struct uio *u, const struct caller *c)
{
	struct procfs_file *pf = f->priv;
	size_t n = MIN(u->len, pf->text.len);

	(void)c;
	if (pf->kind != PK_LINK)
		return -EINVAL;
	return uio_copy_out(u, 0, pf->text.buf, n) ? -EFAULT : (long)n;
}

static int proc_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	struct procfs_file *pf = f->priv;

	(void)c;
	st->st_nlink = f->type == ABI_S_IFDIR ? 2 : 1;
	st->st_uid = pf->uid;
	st->st_gid = pf->gid;
	st->st_ino = ((uint64_t)pf->pid << PROC_INO_PID_SHIFT) + (uint64_t)pf->kind + 1;
	switch (pf->kind) {
	case PK_TEXT:
		st->st_mode = PROC_FILE_MODE; /* size 0, as Linux's generated files */
		break;
	case PK_LINK:
		st->st_mode = PROC_LINK_MODE;
		st->st_size = (int64_t)pf->text.len;
		break;
	case PK_FD_DIR:
		st->st_mode = PROC_FD_DIR_MODE;
		break;
	default:
		st->st_mode = PROC_DIR_MODE;
	}
	return 0;
}

static int64_t proc_size(struct file *f, const struct caller *c)
{
	(void)c;
	return (int64_t)((struct procfs_file *)f->priv)->text.len;
}

/* Appends one entry; false when the buffer is full (or bad: *err). */
static bool emit(struct uio *u, size_t *pos, long *err, uint64_t ino, uint64_t next, uint8_t type,
		 const char *name)
{
	long n = scheme_dirent(u, *pos, ino, (int64_t)next, type, name);

	if (n <= 0) {
		*err = n ? n : -EINVAL;
		return false;
	}
	*pos += (size_t)n;
	return true;
}

/* The names of a directory of ids (pids, tids, fds) from *cursor on:
 * list fills the ids >= a first one, ascending; base is the cursor of id
 * 0, so a cursor survives ids coming and going. */
static bool emit_ids(struct uio *u, size_t *pos, long *err, uint64_t *cursor, uint64_t base,
		     int (*list)(int key, int first, int *out, int max), int key, uint8_t type)
{
	int ids[PROC_LIST_BATCH], n;

	while ((n = list(key, (int)(*cursor - base), ids, PROC_LIST_BATCH)) > 0) {
		for (int i = 0; i < n; i++) {
			char name[PROC_LINK_MAX];
			uint64_t next = base + (uint64_t)ids[i] + 1;

			ksnprintf(name, sizeof(name), "%d", ids[i]);
			if (!emit(u, pos, err, ((uint64_t)ids[i] << PROC_INO_PID_SHIFT) | 1, next,
				  type, name))
				return false;
			*cursor = next;
		}
	}
	return true;
}

static int pid_list_key(int key, int first, int *out, int max)
{
	(void)key;
	return procfs_pid_list(first, out, max);
}

static long proc_getdents(struct file *f, struct uio *u, uint64_t *cursor, const struct caller *c)
{
	struct procfs_file *pf = f->priv;
	uint64_t nstatic = procfs_root_nfiles + 2; /* the files, "self", "sys" */
	size_t pos = 0;
	long err = 0;

	(void)c;
	switch (pf->kind) {
	case PK_ROOT:
		for (; *cursor < nstatic; (*cursor)++) {
			bool file = *cursor < procfs_root_nfiles;
			const char *name = file ? procfs_root_files[*cursor].name :
					   *cursor == procfs_root_nfiles ? "self" : "sys";

			if (!emit(u, &pos, &err, *cursor + 2, *cursor + 1,
				  file ? ABI_DT_REG : *cursor == procfs_root_nfiles ? ABI_DT_LNK : ABI_DT_DIR,
				  name))
				break;
		}
		if (*cursor >= nstatic)
			emit_ids(u, &pos, &err, cursor, nstatic, pid_list_key, 0, ABI_DT_DIR);
		break;
	case PK_SYSDIR:
		for (; pf->sub == 0 && *cursor < 1; (*cursor)++)
			if (!emit(u, &pos, &err, 2, 1, ABI_DT_DIR, "kernel"))
				break;
		for (; pf->sub == 1 && *cursor < procfs_kernel_nfiles; (*cursor)++)
			if (!emit(u, &pos, &err, *cursor + 3, *cursor + 1, ABI_DT_REG,
				  procfs_kernel_files[*cursor].name))
				break;
		break;
	case PK_PID_DIR:
		for (; *cursor < procfs_pid_nentries; (*cursor)++) {
			const struct pid_entry *e = &procfs_pid_entries[*cursor];

			if (pf->tid && !e->in_task)
				continue;
			if (!emit(u, &pos, &err, ((uint64_t)pf->pid << PROC_INO_PID_SHIFT) + *cursor + 2,
				  *cursor + 1, e->type == PE_FILE ? ABI_DT_REG :
				  e->type == PE_LINK ? ABI_DT_LNK : ABI_DT_DIR, e->name))
				break;
		}
		break;
	case PK_TASK_DIR:
		emit_ids(u, &pos, &err, cursor, 0, procfs_tid_list, pf->pid, ABI_DT_DIR);
		break;
	case PK_FD_DIR:
		emit_ids(u, &pos, &err, cursor, 0, procfs_fd_list, pf->pid, ABI_DT_LNK);
		break;
	default:
		return -ENOTDIR;
	}
	/* A full buffer ends this call; a bad one or no room for even one
	 * entry is an error (-EFAULT, -EINVAL); 0 at the end. */
	return pos ? (long)pos : err;
}

static void proc_close(struct file *f)
{
	procfs_file_free(f->priv);
}

static unsigned proc_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	(void)pt;
	return POLLIN;
}

static const struct scheme_ops proc_ops = {
	.open = proc_open, .read = proc_read, .write = proc_write, .stat = proc_stat, .size = proc_size,
	.getdents = proc_getdents, .readlink = proc_readlink, .close = proc_close,
	.poll = proc_poll, .seekable = true,
};
const struct scheme proc_scheme = { .name = "proc", .ops = &proc_ops };
