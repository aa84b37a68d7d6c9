/*
 * kernel/scheme/scheme_proc.c: the proc: scheme (/proc links to
 * /scheme/proc): its tree, lookup and the operations on its files. The
 * tree, as Linux's:
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
#define PROC_DEPTH_MAX 8      /* components a proc: path can have */
#define PROC_LINK_MAX 64      /* bytes of "self"'s target or a display path */
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

/* --- lookup --- */

/* A decimal number of at most 9 digits without sign or leading zero; -1 if not. */
static int parse_id(const char *s)
{
	int v = 0;

	if (!*s || (*s == '0' && s[1]) || strlen(s) > 9)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

struct walk {
	char *comp[PROC_DEPTH_MAX];
	int n, i;               /* components, the next one */
	int flags;
	const struct caller *c;
};

static bool last(const struct walk *w)
{
	return w->i == w->n;
}

static struct procfs_file *new_pf(enum procfs_kind kind)
{
	struct procfs_file *pf = kzalloc(sizeof(*pf));

	if (pf)
		pf->kind = kind;
	return pf;
}

/* Opens the file a link names (kpath, then the components left) as a new
 * file of it, or the link itself for O_PATH|O_NOFOLLOW on the last. */
static int follow_out(struct walk *w, const char *kpath, struct file *f, struct procfs_file **out)
{
	char *path;
	struct file *t = NULL;
	int err;

	if (last(w) && (w->flags & ABI_O_NOFOLLOW)) {
		if (!(w->flags & ABI_O_PATH))
			return -ELOOP;
		*out = new_pf(PK_LINK);
		if (!*out)
			return -ENOMEM;
		ptext_printf(&(*out)->text, "%s", kpath);
		return 0;
	}
	path = kmalloc(PATH_MAX_LEN);
	if (!path)
		return -ENOMEM;
	err = ksnprintf(path, PATH_MAX_LEN, "%s", kpath) >= PATH_MAX_LEN ? -ENAMETOOLONG : 0;
	for (int i = w->i; !err && i < w->n; i++) {
		size_t l = strlen(path);

		if (ksnprintf(path + l, PATH_MAX_LEN - l, "/%s", w->comp[i]) >= (int)(PATH_MAX_LEN - l))
			err = -ENAMETOOLONG;
	}
	if (!err)
		err = procfs_open_nested(path, w->flags, &t);
	kfree(path);
	*out = NULL;
	return err ? err : procfs_proxy_open(f, t, w->flags);
}

/* fd/N followed to its end: the descriptor's file opened again. */
static int follow_fd(struct walk *w, int pid, int fd, struct file *f, struct procfs_file **out)
{
	struct file *t = procfs_fd_file(pid, fd);

	*out = NULL;
	return t ? procfs_reopen(f, t, w->flags) : -ENOENT;
}

static int walk_link(struct walk *w, int pid, const char *name, int fd, struct file *f,
		     struct procfs_file **out)
{
	char *kpath;
	int err;

	if (!last(w) || (w->flags & ABI_O_NOFOLLOW) || strcmp(name, "fd") != 0) {
		kpath = kmalloc(PATH_MAX_LEN);
		if (!kpath)
			return -ENOMEM;
		err = procfs_link_path(pid, name, fd, kpath, PATH_MAX_LEN);
		if (!err && last(w) && (w->flags & ABI_O_NOFOLLOW) && (w->flags & ABI_O_PATH)) {
			char *shown = kmalloc(PATH_MAX_LEN);

			if (shown) /* the link shows the path as Linux would */
				procfs_display_path(kpath, shown, PATH_MAX_LEN);
			err = shown ? follow_out(w, shown, f, out) : -ENOMEM;
			kfree(shown);
		} else if (!err)
			err = follow_out(w, kpath, f, out);
		kfree(kpath);
		return err;
	}
	return follow_fd(w, pid, fd, f, out);
}

static int walk_pid(struct walk *w, int pid, int tid, struct file *f, struct procfs_file **out)
{
	const struct pid_entry *e;
	int err, fd;

	if (last(w)) {
		*out = new_pf(PK_PID_DIR);
		if (!*out)
			return -ENOMEM;
		(*out)->pid = pid;
		(*out)->tid = tid;
		return 0;
	}
	e = procfs_pid_entry(w->comp[w->i++], tid != 0);
	if (!e)
		return -ENOENT;
	if (e->private && !procfs_may_inspect(pid, w->c))
		return -EACCES;
	if (e->type == PE_LINK)
		return walk_link(w, pid, e->name, -1, f, out);
	if (e->type == PE_FILE) {
		if (!last(w))
			return -ENOTDIR;
		*out = new_pf(PK_TEXT);
		if (!*out)
			return -ENOMEM;
		err = procfs_pid_text(pid, tid, e, &(*out)->text);
		return err ? err : (*out)->text.oom ? -ENOMEM : 0;
	}
	if (last(w)) {
		*out = new_pf(strcmp(e->name, "fd") == 0 ? PK_FD_DIR : PK_TASK_DIR);
		if (!*out)
			return -ENOMEM;
		(*out)->pid = pid;
		return 0;
	}
	fd = parse_id(w->comp[w->i++]);
	if (strcmp(e->name, "fd") == 0)
		return fd < 0 ? -ENOENT : walk_link(w, pid, "fd", fd, f, out);
	if (fd <= 0 || !procfs_has_tid(pid, fd))
		return -ENOENT;
	return walk_pid(w, pid, fd, f, out);
}

static int walk_sys(struct walk *w, struct procfs_file **out)
{
	const char *name;

	if (last(w))
		goto dir;
	if (strcmp(w->comp[w->i++], "kernel") != 0)
		return -ENOENT;
	if (last(w))
		goto dir;
	name = w->comp[w->i++];
	for (size_t i = 0; i < procfs_kernel_nfiles; i++) {
		if (strcmp(name, procfs_kernel_files[i].name) != 0)
			continue;
		if (!last(w))
			return -ENOTDIR;
		*out = new_pf(PK_TEXT);
		if (!*out)
			return -ENOMEM;
		procfs_kernel_files[i].gen(&(*out)->text);
		return (*out)->text.oom ? -ENOMEM : 0;
	}
	return -ENOENT;
dir:
	*out = new_pf(PK_SYSDIR);
	if (!*out)
		return -ENOMEM;
	(*out)->sub = w->n - 1; /* "sys" alone: 0, "sys/kernel": 1 */
	return 0;
}

static int walk_root(struct walk *w, struct file *f, struct procfs_file **out)
{
	const char *name;
	int pid;

	if (last(w)) {
		*out = new_pf(PK_ROOT);
		return *out ? 0 : -ENOMEM;
	}
	name = w->comp[w->i++];
	if (strcmp(name, "self") == 0) {
		if (last(w) && (w->flags & ABI_O_NOFOLLOW)) {
			char self[PROC_LINK_MAX];

			ksnprintf(self, sizeof(self), "%d", w->c->pid);
			return follow_out(w, self, f, out);
		}
		return walk_pid(w, w->c->pid, 0, f, out);
	}
	if (strcmp(name, "sys") == 0)
		return walk_sys(w, out);
	for (size_t i = 0; i < procfs_root_nfiles; i++) {
		if (strcmp(name, procfs_root_files[i].name) != 0)
			continue;
		if (!last(w))
			return -ENOTDIR;
		*out = new_pf(PK_TEXT);
		if (!*out)
			return -ENOMEM;
		procfs_root_files[i].gen(&(*out)->text);
		return (*out)->text.oom ? -ENOMEM : 0;
	}
	pid = parse_id(name);
	if (pid <= 0 || procfs_pid_owner(pid, &(uint32_t){ 0 }, &(uint32_t){ 0 }))
		return -ENOENT;
	return walk_pid(w, pid, 0, f, out);
}

static void pf_free(struct procfs_file *pf)
{
	if (pf) {
		ptext_free(&pf->text);
		kfree(pf);
	}
}

static int proc_open(const struct scheme *s, const char *path, int flags, struct file *f,
		     const struct caller *c)
{
	struct walk w = { .flags = flags, .c = c };
	struct procfs_file *pf = NULL;
	char *copy = kmalloc(PATH_MAX_LEN), *p;
	int err = copy ? 0 : -ENOMEM;

	(void)s;
	if (!err && strlen(path) >= PATH_MAX_LEN)
		err = -ENAMETOOLONG;
	if (!err) {
		strcpy(copy, path);
		for (p = copy; *p && !err;) {
			while (*p == '/')
				*p++ = '\0';
			if (!*p)
				break;
			if (w.n == PROC_DEPTH_MAX)
				err = -ENOENT;
			else
				w.comp[w.n++] = p;
			while (*p && *p != '/')
				p++;
		}
	}
	if (!err)
		err = walk_root(&w, f, &pf);
	kfree(copy);
	if (err || !pf) { /* failed, or became a file of what a link names */
		pf_free(pf);
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
		pf_free(pf);
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
	pf_free(f->priv);
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
