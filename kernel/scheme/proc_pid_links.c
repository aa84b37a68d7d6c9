/*
 * kernel/scheme/proc_pid_links.c: a process's links (exe, cwd, fd/N) and
 * the listings of /proc (pids), /proc/PID/task (tids) and /proc/PID/fd,
 * read under the locks proc_pid.c names; the cwd under its own
 * (kernel/cwd.h).
 */
#include "kernel/scheme/procfs.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/thread_group.h"
#include "kernel/proc_cmd.h"
#include "kernel/cwd.h"
#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "sched/sched.h"
#include <string.h>

struct link_req {
	const char *name;
	int fd;
	char *out;
	size_t size;
};

/* A "scheme:rest" path as the absolute path a Linux program expects a
 * link to hold (glibc asserts /proc/self/exe starts with '/'): file:'s
 * paths are the root's, every other scheme's are under /scheme/NAME. */
static void link_text(const char *path, char *out, size_t size)
{
	size_t n = path_scheme_prefix(path);

	if (!n)
		ksnprintf(out, size, "%s", path);
	else if (n == strlen(PATH_FILE_SCHEME) && !strncmp(path, PATH_FILE_SCHEME, n))
		ksnprintf(out, size, "/%s", path + n + 1);
	else
		ksnprintf(out, size, "%s%.*s/%s", PATH_SCHEME_DIR, (int)n, path, path + n + 1);
}

static int link_locked(struct proc *p, void *arg)
{
	struct link_req *l = arg;
	struct file *f = NULL;
	uint64_t flags;

	if (p->state == PROC_ZOMBIE)
		return -ENOENT;
	if (strcmp(l->name, "exe") == 0) {
		if (!p->cmd)
			return -ENOENT;
		link_text(p->cmd->exe, l->out, l->size);
		return 0;
	}
	if (strcmp(l->name, "cwd") == 0) {
		/* A path as chdir kept it: "/..." (file: or /scheme/NAME/...). */
		cwd_text(p, l->out, l->size);
		return 0;
	}
	if (!p->fds || l->fd < 0 || l->fd >= FD_MAX)
		return -ENOENT;
	flags = spin_lock_irqsave(&p->fds->lock);
	f = p->fds->files[l->fd];
	if (f && f->path)
		link_text(f->path, l->out, l->size);
	else if (f) /* not opened by a path (pipe2, a daemon's registration) */
		ksnprintf(l->out, l->size, "%s:", f->scheme->name);
	spin_unlock_irqrestore(&p->fds->lock, flags);
	return f ? 0 : -ENOENT;
}

int procfs_link_path(int pid, const char *name, int fd, char *out, size_t size)
{
	struct link_req l = { .name = name, .fd = fd, .out = out, .size = size };

	return procfs_with_proc(pid, link_locked, &l);
}

struct list_req {
	int first, max, n;
	int *out;
};

static int fds_locked(struct proc *p, void *arg)
{
	struct list_req *l = arg;
	uint64_t flags;

	if (!p->fds)
		return 0;
	flags = spin_lock_irqsave(&p->fds->lock);
	for (int fd = MAX(l->first, 0); fd < FD_MAX && l->n < l->max; fd++)
		if (p->fds->files[fd])
			l->out[l->n++] = fd;
	spin_unlock_irqrestore(&p->fds->lock, flags);
	return 0;
}

int procfs_fd_list(int pid, int first, int *out, int max)
{
	struct list_req l = { .first = first, .max = max, .out = out };
	int err = procfs_with_proc(pid, fds_locked, &l);

	return err ? err : l.n;
}

/* Keeps the max smallest tids >= first, ascending (the list is newest first). */
static void tid_one(struct thread *t, void *arg)
{
	struct list_req *l = arg;
	int tid = t->user_tid, i;

	if (tid < l->first || (l->n == l->max && tid > l->out[l->n - 1]))
		return;
	if (l->n < l->max)
		l->n++;
	for (i = l->n - 1; i > 0 && l->out[i - 1] > tid; i--)
		l->out[i] = l->out[i - 1];
	l->out[i] = tid;
}

static int tids_locked(struct proc *p, void *arg)
{
	if (p->state != PROC_ZOMBIE)
		proc_for_each_thread(p, tid_one, arg);
	return 0;
}

int procfs_tid_list(int pid, int first, int *out, int max)
{
	struct list_req l = { .first = first, .max = max, .out = out };
	int err = procfs_with_proc(pid, tids_locked, &l);

	return err ? err : l.n;
}

bool procfs_has_tid(int pid, int tid)
{
	int first;

	return procfs_tid_list(pid, tid, &first, 1) == 1 && first == tid;
}

int procfs_pid_list(int first, int *out, int max)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	int n = 0;

	for (int pid = MAX(first, 1); pid < PROC_MAX && n < max; pid++)
		if (proc_find_locked(pid))
			out[n++] = pid;
	spin_unlock_irqrestore(&proc_lock, flags);
	return n;
}

void procfs_display_path(const char *kpath, char *out, size_t size)
{
	size_t n = path_scheme_prefix(kpath);

	if (n == strlen(PATH_FILE_SCHEME) && strncmp(kpath, PATH_FILE_SCHEME, n) == 0)
		ksnprintf(out, size, "%s", kpath + n + 1);
	else if (n == strlen(PATH_SCHEME_LIST) && strncmp(kpath, PATH_SCHEME_LIST, n) == 0)
		ksnprintf(out, size, "%s%s", PATH_SCHEME_DIR, kpath + n + 1);
	else
		ksnprintf(out, size, "%s", kpath);
}

struct fd_req {
	int fd;
	struct file *f;
};

static int fd_file_locked(struct proc *p, void *arg)
{
	struct fd_req *r = arg;

	if (!p->fds || r->fd < 0 || r->fd >= FD_MAX)
		return -ENOENT;
	r->f = fd_get(p->fds, r->fd); /* takes the table's own lock */
	return r->f ? 0 : -ENOENT;
}

struct file *procfs_fd_file(int pid, int fd)
{
	struct fd_req r = { .fd = fd };

	return procfs_with_proc(pid, fd_file_locked, &r) ? NULL : r.f;
}
