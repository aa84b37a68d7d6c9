/*
 * kernel/scheme/proc_lookup.c: a proc: path to the file it names
 * (procfs.h): /proc's own files and directories as a struct procfs_file,
 * "self" followed here, and a link out of /proc (exe, cwd, fd/N) either
 * opened, when followed, as a new file of what it names (proc_proxy.c),
 * or, opened O_PATH|O_NOFOLLOW, as the link itself. A pid's private
 * entries (maps, exe, cwd, fd) are its owner's and root's only (EACCES).
 */
#include "kernel/scheme/procfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "mm/heap.h"
#include <string.h>

#define PROC_DEPTH_MAX 8 /* components a proc: path can have */

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

/* The system-wide file name among files[0..n); -ENOENT if none is. */
static int open_sys_file(struct walk *w, const struct sys_file *files, size_t n, const char *name,
			 struct procfs_file **out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(name, files[i].name) != 0)
			continue;
		if (!last(w))
			return -ENOTDIR;
		*out = new_pf(PK_TEXT);
		if (!*out)
			return -ENOMEM;
		files[i].gen(&(*out)->text);
		return (*out)->text.oom ? -ENOMEM : 0;
	}
	return -ENOENT;
}

static int walk_sys(struct walk *w, struct procfs_file **out)
{

	if (last(w))
		goto dir;
	if (strcmp(w->comp[w->i++], "kernel") != 0)
		return -ENOENT;
	if (last(w))
		goto dir;
	return open_sys_file(w, procfs_kernel_files, procfs_kernel_nfiles, w->comp[w->i++], out);
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
	int pid, err;

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
	err = open_sys_file(w, procfs_root_files, procfs_root_nfiles, name, out);
	if (err != -ENOENT)
		return err;
	pid = parse_id(name);
	if (pid <= 0 || procfs_pid_owner(pid, &(uint32_t){ 0 }, &(uint32_t){ 0 }))
		return -ENOENT;
	return walk_pid(w, pid, 0, f, out);
}

int procfs_lookup(const char *path, int flags, const struct caller *c, struct file *f,
		  struct procfs_file **out)
{
	struct walk w = { .flags = flags, .c = c };
	char *copy, *p;
	int err;

	*out = NULL;
	if (strlen(path) >= PATH_MAX_LEN)
		return -ENAMETOOLONG;
	copy = kmalloc(PATH_MAX_LEN);
	if (!copy)
		return -ENOMEM;
	strcpy(copy, path);
	for (p = copy, err = 0; *p && !err;) {
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
	if (!err)
		err = walk_root(&w, f, out);
	kfree(copy);
	return err;
}
