/*
 * kernel/scheme/proc_pid.c: what /proc/PID shows of a process (its files;
 * its links and listings are proc_pid_links.c's), read under
 * the locks kernel/proc.h names: proc_lock for the family, the name, the
 * exec record and the address space pointer; inside it the signal lock,
 * threads_lock (then wait_lock) for the threads, the address space's lock
 * for its regions and the descriptor table's lock for the descriptors.
 * Each reader copies what it needs into a snapshot and formats it after
 * letting go (no lock is held while memory is allocated or copied to the
 * reader). The cwd is copied under the process's cwd_lock (kernel/cwd.h),
 * inside proc_lock: a reader racing a chdir sees the old or the new path.
 */
#include "kernel/scheme/procfs.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/thread_group.h"
#include "kernel/signal.h"
#include "kernel/proc_cmd.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "sched/sched.h"
#include "mm/uvm.h"
#include "mm/vm.h"
#include "mm/layout.h"
#include "mm/heap.h"
#include <string.h>

const struct pid_entry procfs_pid_entries[] = {
	{ "stat", PE_FILE, true, false },   { "status", PE_FILE, true, false },
	{ "cmdline", PE_FILE, true, false }, { "comm", PE_FILE, true, false },
	{ "maps", PE_FILE, true, true },    { "exe", PE_LINK, true, true },
	{ "cwd", PE_LINK, true, true },     { "fd", PE_DIR, true, true },
	{ "task", PE_DIR, false, false },
};
const size_t procfs_pid_nentries = ARRAY_SIZE(procfs_pid_entries);

const struct pid_entry *procfs_pid_entry(const char *name, bool task)
{
	for (size_t i = 0; i < procfs_pid_nentries; i++)
		if (strcmp(name, procfs_pid_entries[i].name) == 0 &&
		    (!task || procfs_pid_entries[i].in_task))
			return &procfs_pid_entries[i];
	return NULL;
}

int procfs_with_proc(int pid, int (*fn)(struct proc *p, void *arg), void *arg)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	struct proc *p = proc_find_locked(pid);
	int r = p ? fn(p, arg) : -ENOENT;

	spin_unlock_irqrestore(&proc_lock, flags);
	return r;
}

static int owner_of(struct proc *p, void *arg)
{
	uint32_t *ids = arg;

	ids[0] = p->cred.uid;
	ids[1] = p->cred.gid;
	return 0;
}

int procfs_pid_owner(int pid, uint32_t *uid, uint32_t *gid)
{
	uint32_t ids[2] = { 0, 0 };
	int r = procfs_with_proc(pid, owner_of, ids);

	*uid = ids[0];
	*gid = ids[1];
	return r;
}

bool procfs_may_inspect(int pid, const struct caller *c)
{
	uint32_t uid, gid;

	return procfs_pid_owner(pid, &uid, &gid) == 0 && (c->uid == CRED_ROOT_ID || c->uid == uid);
}

/* --- the snapshot of a process or thread --- */

struct snap_req {
	struct proc_snap *s;
	struct proc_cmd *cmd;   /* a reference, for cmdline */
	int tid;
};

/* Under threads_lock: the thread asked for (tid), or the whole group. */
static void snap_thread(struct thread *t, void *arg)
{
	struct snap_req *r = arg;
	struct thread_stat st;

	if (r->tid && t->user_tid != r->tid)
		return;
	sched_thread_stat(t, &st);
	if (st.state == THREAD_READY || st.state == THREAD_RUNNING)
		r->s->state = 'R';
	/* The tick's sample of kernel time, bounded by the time measured. */
	r->s->stime_ns += MIN(st.sys_ns, st.cpu_ns);
	r->s->utime_ns += st.cpu_ns - MIN(st.sys_ns, st.cpu_ns);
	if (t->user_tid == (r->tid ? r->tid : r->s->pid)) {
		r->s->nice = sched_get_nice(t);
		r->s->prio = sched_get_prio(t);
		r->s->sig_blocked = t->sig.blocked;
		r->s->sig_pending = t->sig.queue.pending;
	}
	r->s->nthreads++;
}

static int snap_locked(struct proc *p, void *arg)
{
	struct snap_req *r = arg;
	struct proc_snap *s = r->s;
	uint64_t flags;

	memset(s, 0, sizeof(*s));
	s->pid = p->pid;
	s->tid = r->tid ? r->tid : p->pid;
	s->ppid = p->parent ? p->parent->pid : 0;
	s->pgid = p->job.pgid;
	s->sid = p->job.session ? p->job.session->sid : 0;
	s->uid = p->cred.uid;
	s->gid = p->cred.gid;
	s->start_ns = p->start_ns;
	s->cutime_ns = p->children_cpu_ns;
	memcpy(s->name, p->name, sizeof(s->name));
	if (p->state == PROC_ZOMBIE) {
		s->state = 'Z';
		s->utime_ns = p->cpu_ns;
		return 0;
	}
	s->state = 'S';
	s->utime_ns = p->dead_threads_ns;
	/* Lock order: the signal lock, then threads_lock (the threads'
	 * blocked masks are under the former). */
	signal_lock(p, &flags);
	s->sig_shared = p->sig.shared.pending;
	for (int sig = 1; sig <= ABI_SIG_MAX; sig++) {
		uint64_t h = p->sig.actions[sig].handler;

		if (h == ABI_SIG_IGN)
			s->sig_ignored |= 1ULL << (sig - 1);
		else if (h != ABI_SIG_DFL)
			s->sig_caught |= 1ULL << (sig - 1);
	}
	proc_for_each_thread(p, snap_thread, r);
	signal_unlock(p, flags);
	if (r->tid && !s->nthreads)
		return -ENOENT;
	if (p->job.stopped)
		s->state = 'T';
	if (p->as) {
		flags = spin_lock_irqsave(&p->as->lock);
		for (struct vma *v = p->as->vmas; v; v = v->next)
			s->vsize += v->end - v->start;
		s->rss_pages = p->as->pages;
		spin_unlock_irqrestore(&p->as->lock, flags);
	}
	if (p->fds) {
		flags = spin_lock_irqsave(&p->fds->lock);
		for (int fd = 0; fd < FD_MAX; fd++)
			s->fd_count += p->fds->files[fd] != NULL;
		spin_unlock_irqrestore(&p->fds->lock, flags);
	}
	if (p->cmd) {
		r->cmd = p->cmd;
		proc_cmd_get(r->cmd);
	}
	return 0;
}

/* --- maps --- */

#define MAPS_MAX 128 /* regions shown; a process with more shows the first */

struct maps_req {
	struct vma *v;   /* MAPS_MAX copies */
	int n;
};

static int maps_locked(struct proc *p, void *arg)
{
	struct maps_req *m = arg;
	uint64_t flags;

	if (!p->as)
		return 0;
	flags = spin_lock_irqsave(&p->as->lock);
	for (struct vma *v = p->as->vmas; v && m->n < MAPS_MAX; v = v->next)
		m->v[m->n++] = *v;
	spin_unlock_irqrestore(&p->as->lock, flags);
	return 0;
}

/* Linux pads the name to this column (fs/proc/task_mmu.c: seq_pad pads
 * to 25 + 6 * sizeof(void *) - 1 characters, then writes a space). */
#define MAPS_NAME_COLUMN 73

static void gen_maps(struct ptext *t, const struct vma *v, int n)
{
	for (int i = 0; i < n; i++, v++) {
		const char *name = (v->flags & VMA_STACK) ? "[stack]" :
				   (v->flags & VMA_HEAP) ? "[heap]" : "";
		size_t before = t->len;

		ptext_printf(t, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", v->start, v->end,
			     (v->prot & VM_READ) ? 'r' : '-', (v->prot & VM_WRITE) ? 'w' : '-',
			     (v->prot & VM_EXEC) ? 'x' : '-', (v->flags & VMA_SHARED) ? 's' : 'p',
			     v->obj_pgoff * PAGE_SIZE, 0, 0, 0UL);
		if (*name)
			ptext_printf(t, "%*s%s", (int)(MAPS_NAME_COLUMN - MIN(MAPS_NAME_COLUMN,
				     t->len - before)), "", name);
		ptext_printf(t, "\n");
	}
}

static int pid_maps(int pid, struct ptext *t)
{
	struct maps_req m = { .v = kmalloc(MAPS_MAX * sizeof(struct vma)) };
	int err;

	if (!m.v)
		return -ENOMEM;
	err = procfs_with_proc(pid, maps_locked, &m);
	if (!err)
		gen_maps(t, m.v, m.n);
	kfree(m.v);
	return err;
}

int procfs_pid_text(int pid, int tid, const struct pid_entry *e, struct ptext *t)
{
	struct proc_snap *s;
	struct snap_req r = { .tid = tid };
	int err;

	if (strcmp(e->name, "maps") == 0)
		return pid_maps(pid, t);
	s = kmalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	r.s = s;
	err = procfs_with_proc(pid, snap_locked, &r);
	if (!err) {
		if (strcmp(e->name, "stat") == 0)
			procfs_gen_stat(t, s);
		else if (strcmp(e->name, "status") == 0)
			procfs_gen_status(t, s);
		else if (strcmp(e->name, "comm") == 0)
			ptext_printf(t, "%s\n", s->name);
		else if (r.cmd) /* cmdline: empty for a zombie, as on Linux */
			ptext_bytes(t, r.cmd->args, r.cmd->args_len);
	}
	proc_cmd_put(r.cmd);
	kfree(s);
	return err;
}
