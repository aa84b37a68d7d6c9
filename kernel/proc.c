/*
 * kernel/proc.c: process lifecycle: the first process, fork, exit, wait,
 * kill (see proc.h). proc_lock guards the pid table and every family field.
 */
#include "kernel/proc.h"
#include "kernel/thread_group.h"
#include "kernel/exec.h"
#include "kernel/clock.h"
#include "kernel/fdtable.h"
#include "kernel/file.h"
#include "kernel/errno.h"
#include "kernel/errno_str.h"
#include "kernel/printk.h"
#include "kernel/power.h"
#include "kernel/panic.h"
#include "sched/sched.h"
#include "mm/uvm.h"
#include "mm/heap.h"
#include "mm/failalloc.h"
#include "asm/trap.h"
#include "arch/aarch64/uaccess.h"
#include "syscall/abi.h"
#include <string.h>

#define STDIO_FDS 3
#define WAIT_OPTIONS_KNOWN ABI_WNOHANG

static spinlock_t proc_lock = SPINLOCK_INIT("proc");
/* Guarded by proc_lock: */
static struct proc *procs[PROC_MAX];
static int last_pid;
/* procs[tid] for a thread id that is not a pid (proc_alloc_tid): NEW
 * forever, so every walk of procs[] that skips NEW processes skips it. */
static struct proc tid_slot;

struct proc *current_proc(void)
{
	return current_thread()->proc;
}

bool proc_killed(struct proc *p)
{
	return p && (__atomic_load_n(&p->killed, __ATOMIC_RELAXED) ||
		     thread_dying(current_thread()));
}

/* A free slot of the pid table for owner: its number, or -EAGAIN. */
static int pid_slot_alloc(struct proc *owner)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	int got = -EAGAIN;

	for (int i = 0; i < PROC_MAX - 1; i++) {
		int pid = (last_pid + i) % (PROC_MAX - 1) + 1;

		if (!procs[pid]) {
			procs[pid] = owner;
			got = last_pid = pid;
			break;
		}
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	return got;
}

int proc_alloc_tid(void)
{
	return pid_slot_alloc(&tid_slot);
}

void proc_free_tid(int tid)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	procs[tid] = NULL;
	spin_unlock_irqrestore(&proc_lock, flags);
}

/* A new process with a pid: 0, -ENOMEM, or -EAGAIN if every pid is taken. */
static int proc_alloc(struct proc **out)
{
	struct proc *p = kzalloc(sizeof(*p));
	int pid;

	if (!p)
		return -ENOMEM;
	p->threads_lock = (spinlock_t)SPINLOCK_INIT("threads");
	pid = pid_slot_alloc(p);
	if (pid < 0) {
		kfree(p);
		return pid;
	}
	p->pid = pid;
	*out = p;
	return 0;
}

/* Undoes proc_alloc for a process that never ran. */
static void proc_discard(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	procs[p->pid] = NULL;
	spin_unlock_irqrestore(&proc_lock, flags);
	fdtable_destroy(p->fds);
	aspace_destroy(p->as);
	kfree(p);
}

/* The name shown in sys:context: the last component of path. Once p is
 * ALIVE, only under proc_lock (proc_replace_image). */
static void proc_set_name(struct proc *p, const char *path)
{
	const char *base;
	size_t scheme = path_scheme_prefix(path);

	if (scheme)
		path += scheme + 1; /* "name:rest": the name is not the program's */
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	memset(p->name, 0, sizeof(p->name));
	memcpy(p->name, base, MIN(strlen(base), sizeof(p->name) - 1));
}

struct aspace *proc_replace_image(struct proc *p, struct aspace *as, const char *path)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	struct aspace *old = p->as;

	p->as = as;
	proc_set_name(p, path);
	spin_unlock_irqrestore(&proc_lock, flags);
	return old;
}

int proc_init_first(const char *path, const char *const *argv, int argc)
{
	static const char *const envp[] = { "PATH=/bin", "HOME=/", "TERM=dumb" };
	struct proc *p;
	struct thread *t;
	struct file *console;
	uint64_t flags;
	int err = proc_alloc(&p);

	if (err)
		return err;
	strcpy(p->cwd, "/");
	proc_set_name(p, path);
	p->fds = fdtable_create();
	t = p->fds ? thread_create_user(p) : NULL;
	if (!t) {
		proc_discard(p);
		return -ENOMEM;
	}
	thread_group_add_first(p, t);
	/* stdin, stdout and stderr: the kernel console. */
	err = file_open("debug:", "/", ABI_O_RDWR, &console);
	if (!err) {
		for (int fd = 0; !err && fd < STDIO_FDS; fd++) {
			file_get(console);
			err = fd_install(p->fds, console, fd, false) < 0 ? -EMFILE : 0;
		}
		file_put(console);
	}
	if (!err)
		err = exec_image(p, t->tf, path, argv, argc, envp, ARRAY_SIZE(envp));
	if (err) {
		printk("init: cannot start %s: %s\n", path, errno_str(err));
		return err;
	}
	flags = spin_lock_irqsave(&proc_lock);
	p->state = PROC_ALIVE;
	spin_unlock_irqrestore(&proc_lock, flags);
	/* From its first system call on, allocations may fail on purpose. */
	failalloc_arm();
	sched_add(t);
	return 0;
}

long proc_fork(struct trap_frame *tf, const struct clone_req *req)
{
	struct proc *cur = current_proc(), *child;
	struct thread *t;
	uint64_t flags;
	int err = proc_alloc(&child);

	if (err)
		return err;
	child->as = aspace_fork(cur->as);
	child->fds = fdtable_clone(cur->fds);
	t = (child->as && child->fds) ? thread_create_user(child) : NULL;
	if (!t) {
		proc_discard(child);
		return -ENOMEM;
	}
	memcpy(child->name, cur->name, sizeof(child->name));
	memcpy(child->cwd, cur->cwd, sizeof(child->cwd));
	child->sigmask = cur->sigmask;
	memcpy(child->sigactions, cur->sigactions, sizeof(child->sigactions));
	thread_group_add_first(child, t);
	thread_setup_forked(t, tf, req); /* fork returns 0 in the child */
	flags = spin_lock_irqsave(&proc_lock);
	child->parent = cur;
	child->sibling = cur->children;
	cur->children = child;
	child->state = PROC_ALIVE;
	spin_unlock_irqrestore(&proc_lock, flags);
	sched_add(t);
	return child->pid;
}

/* Removes c from its parent's list of children; proc_lock held. */
static void unlink_child(struct proc *c)
{
	for (struct proc **pp = &c->parent->children; *pp; pp = &(*pp)->sibling) {
		if (*pp == c) {
			*pp = c->sibling;
			return;
		}
	}
}

long proc_wait(int pid, uint64_t ustatus, int options, uint64_t *cpu_ns)
{
	struct proc *cur = current_proc();
	uint64_t flags;

	if (options & ~WAIT_OPTIONS_KNOWN)
		return -EINVAL;
	flags = spin_lock_irqsave(&proc_lock);
	for (;;) {
		bool any = false;

		for (struct proc *c = cur->children; c; c = c->sibling) {
			int status, cpid;

			if (pid > 0 && c->pid != pid)
				continue;
			any = true;
			if (c->state != PROC_ZOMBIE)
				continue;
			status = c->wait_status;
			cpid = c->pid;
			*cpu_ns = c->cpu_ns;
			cur->children_cpu_ns += c->cpu_ns;
			unlink_child(c);
			procs[cpid] = NULL;
			spin_unlock_irqrestore(&proc_lock, flags);
			kfree(c);
			if (ustatus && copy_to_user(ustatus, &status, sizeof(status)))
				return -EFAULT;
			return cpid;
		}
		if (!any) {
			spin_unlock_irqrestore(&proc_lock, flags);
			return -ECHILD;
		}
		if (options & ABI_WNOHANG) {
			spin_unlock_irqrestore(&proc_lock, flags);
			return 0;
		}
		int err = waitq_sleep(&cur->child_wait, &proc_lock, 0);

		if (err) {
			spin_unlock_irqrestore(&proc_lock, flags);
			return err;
		}
	}
}

static void report_init_exit(int status)
{
	failalloc_report();
	if ((status & WAIT_SIG_MASK) == 0)
		printk("init: exited with status %d\n", (status >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK);
	else
		printk("init: killed by signal %d\n", status & WAIT_SIG_MASK);
}

void proc_zombify(int wait_status)
{
	struct proc *p = current_proc(), *init;
	struct thread *t = current_thread();
	struct aspace *as;
	uint64_t flags, own_ns = 0;

	clock_read_ns(ABI_CLOCK_THREAD_CPUTIME_ID, &own_ns);
	own_ns += p->dead_threads_ns; /* the last thread: no one else writes it */
	fdtable_destroy(p->fds);
	p->fds = NULL;
	aspace_activate(NULL);
	flags = spin_lock_irqsave(&proc_lock);
	as = p->as;
	p->as = NULL;
	spin_unlock_irqrestore(&proc_lock, flags);
	aspace_destroy(as);
	if (p->pid == INIT_PID) {
		report_init_exit(wait_status);
		power_off();
	}
	flags = spin_lock_irqsave(&proc_lock);
	init = procs[INIT_PID];
	/* Orphans go to init, which reaps them. */
	while (p->children) {
		struct proc *c = p->children;

		p->children = c->sibling;
		c->parent = init;
		c->sibling = init->children;
		init->children = c;
	}
	p->wait_status = wait_status;
	p->cpu_ns = own_ns + p->children_cpu_ns;
	p->state = PROC_ZOMBIE;
	/* From here the parent may free p: the thread forgets it first. */
	t->proc = NULL;
	waitq_wake_all(&p->parent->child_wait);
	waitq_wake_all(&init->child_wait);
	spin_unlock_irqrestore(&proc_lock, flags);
	sched_exit_current();
}

/* Signals whose default action is to be ignored (signal(7)). */
static bool sig_default_ignored(int sig)
{
	return sig == ABI_SIGCHLD || sig == ABI_SIGURG || sig == ABI_SIGWINCH || sig == ABI_SIGCONT;
}

static void interrupt_thread(struct thread *t, void *arg)
{
	(void)arg;
	if (t != current_thread())
		sched_interrupt(t);
}

/* Marks target to die of sig (0 only checks); proc_lock held. */
static void kill_locked(struct proc *target, int sig)
{
	/* init only dies of signals it asked for; it asks for none yet. */
	if (!sig || sig_default_ignored(sig) || target->pid == INIT_PID)
		return;
	__atomic_store_n(&target->killed, sig, __ATOMIC_RELAXED);
	proc_for_each_thread(target, interrupt_thread, NULL);
}

long proc_kill(int pid, int sig)
{
	struct proc *cur = current_proc();
	long ret = -ESRCH;
	uint64_t flags;

	if (sig < 0 || sig > ABI_SIG_MAX)
		return -EINVAL;
	if (pid < -1)
		return -ESRCH; /* the only group is init's, and -1 does not name it */
	flags = spin_lock_irqsave(&proc_lock);
	for (int i = pid > 0 ? pid : 1; i < PROC_MAX; i++) {
		struct proc *target = procs[i];

		if (target && target->state == PROC_ALIVE &&
		    !(pid == -1 && (target == cur || i == INIT_PID))) {
			kill_locked(target, sig);
			ret = 0;
		}
		if (pid > 0)
			break; /* one process */
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	return ret;
}

int proc_getppid(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	int ppid = p->parent ? p->parent->pid : 0;

	spin_unlock_irqrestore(&proc_lock, flags);
	return ppid;
}

void proc_check_killed(void)
{
	struct proc *p = current_proc();

	if (thread_dying(current_thread()))
		thread_exit(0); /* the group's status is set: exiting */
	if (proc_killed(p))
		proc_exit(WAIT_SIGNALED(p->killed));
}

void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	for (int pid = 1; pid < PROC_MAX; pid++)
		if (procs[pid] && procs[pid]->state != PROC_NEW)
			fn(procs[pid], arg);
	spin_unlock_irqrestore(&proc_lock, flags);
}
