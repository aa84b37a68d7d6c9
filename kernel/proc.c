/*
 * kernel/proc.c: process lifecycle: the first process, fork, exit, wait,
 * kill (see proc.h). proc_lock guards the pid table and every family field.
 */
#include "kernel/proc.h"
#include "syscall/abi/abi_fs.h"
#include "kernel/thread_group.h"
#include "kernel/exec.h"
#include "kernel/clock.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/namespace.h"
#include "kernel/proc_ns.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/errno_str.h"
#include "kernel/printk.h"
#include "kernel/power.h"
#include "kernel/panic.h"
#include "kernel/scheme/grant.h"
#include "kernel/proc_cmd.h"
#include "kernel/cwd.h"
#include "sched/sched.h"
#include "mm/uvm.h"
#include "mm/heap.h"
#include "kernel/failalloc.h"
#include "asm/trap.h"
#include "arch/aarch64/uaccess.h"
#include "syscall/abi/abi.h"
#include <string.h>

#define STDIO_FDS 3
spinlock_t proc_lock = SPINLOCK_INIT("proc");
/* Guarded by proc_lock: */
static struct proc *procs[PROC_MAX];
static int last_pid;
/* procs[tid] for a thread id that is not a pid (proc_alloc_tid): NEW
 * forever, so every walk of procs[] that skips NEW processes skips it.
 * tid_owner[tid] is the process of such a thread (tkill finds it there).
 * Both guarded by proc_lock. */
static struct proc tid_slot;
static struct proc *tid_owner[PROC_MAX];

struct proc *proc_find_locked(int pid)
{
	struct proc *p = pid > 0 && pid < PROC_MAX ? procs[pid] : NULL;

	return p && p->state != PROC_NEW ? p : NULL;
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

int proc_alloc_tid(struct proc *owner)
{
	int tid = pid_slot_alloc(&tid_slot);
	uint64_t flags;

	if (tid > 0) {
		flags = spin_lock_irqsave(&proc_lock);
		tid_owner[tid] = owner;
		spin_unlock_irqrestore(&proc_lock, flags);
	}
	return tid;
}

void proc_free_tid(int tid)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	procs[tid] = NULL;
	tid_owner[tid] = NULL;
	spin_unlock_irqrestore(&proc_lock, flags);
}

/* A new process with a pid: 0, -ENOMEM, or -EAGAIN if every pid is taken. */
/* Processes made since boot (/proc/stat's "processes"); atomic. */
static uint64_t created_count;

static int proc_alloc(struct proc **out)
{
	struct proc *p = kzalloc(sizeof(*p));
	int pid;

	if (!p)
		return -ENOMEM;
	signal_init_proc(p);
	p->threads_lock = (spinlock_t)SPINLOCK_INIT("threads");
	pid = pid_slot_alloc(p);
	if (pid < 0) {
		kfree(p);
		return pid;
	}
	p->pid = pid;
	p->start_ns = timer_now_ns();
	__atomic_add_fetch(&created_count, 1, __ATOMIC_RELAXED);
	*out = p;
	return 0;
}

int proc_last_pid(void)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	int pid = last_pid;

	spin_unlock_irqrestore(&proc_lock, flags);
	return pid;
}

uint64_t proc_created_count(void)
{
	return __atomic_load_n(&created_count, __ATOMIC_RELAXED);
}

/* Undoes proc_alloc for a process that never ran. */
/* Frees a zombie already unlinked from its parent and the pid table:
 * its session reference, then itself. proc_lock not held. */
static void free_reaped(struct proc *p)
{
	jobctl_release(p);
	proc_cmd_put(p->cmd);
	cwd_release(p);
	kfree(p);
}

void proc_thread_made(struct proc *p)
{
	__atomic_add_fetch(&p->unfreed_threads, 1, __ATOMIC_RELAXED);
}

/* The last of p's threads to be freed wakes its waiting parent, or frees
 * p if no one will reap it. Under proc_lock, so that the reaper, which
 * checks the count under it too, frees p only after this lets go. */
void proc_thread_freed(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	bool last = __atomic_sub_fetch(&p->unfreed_threads, 1, __ATOMIC_RELAXED) == 0;
	bool free_now = last && p->autoreaped;

	if (last && p->state == PROC_ZOMBIE && !p->autoreaped)
		waitq_wake_all(&p->parent->child_wait);
	spin_unlock_irqrestore(&proc_lock, flags);
	if (free_now)
		free_reaped(p);
}

static void proc_discard(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	procs[p->pid] = NULL;
	spin_unlock_irqrestore(&proc_lock, flags);
	jobctl_release(p);
	proc_ns_release(p);
	proc_cmd_put(p->cmd);
	cwd_release(p);
	fdtable_destroy(p->fds);
	aspace_destroy(p->as);
	grant_put(p->grant);
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
	p->threads->as = as; /* the only one left (thread_group_single) */
	proc_set_name(p, path);
	jobctl_exec_locked(p);
	spin_unlock_irqrestore(&proc_lock, flags);
	return old;
}

void proc_set_cmd(struct proc *p, struct proc_cmd *cmd)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	struct proc_cmd *old = p->cmd;

	p->cmd = cmd;
	spin_unlock_irqrestore(&proc_lock, flags);
	proc_cmd_put(old);
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
	p->umask = ABI_UMASK_DEFAULT;
	p->cred = cred_root();
	rlimit_init_first(p);
	proc_ns_init_first(p);
	proc_set_name(p, path);
	jobctl_init_first(p);
	proc_set_grant(p, grant_boot()); /* NULL (no device rights) if it cannot be built */
	p->fds = fdtable_create();
	t = (p->fds && !cwd_init(p, NULL)) ? thread_create_user(p) : NULL;
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
		err = exec_first(p, t->tf, path, argv, argc, envp, ARRAY_SIZE(envp));
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
	int err = rlimit_nproc_check(cur);

	if (!err)
		err = proc_alloc(&child);
	if (err)
		return err;
	cred_get(cur, &child->cred);
	rlimit_fork(child, cur);
	proc_ns_fork(child, cur);
	child->as = aspace_fork(cur->as);
	child->fds = fdtable_clone(cur->fds);
	proc_set_grant(child, proc_grant(cur));
	t = (child->as && child->fds) ? thread_create_user(child) : NULL;
	if (!t) {
		proc_discard(child);
		return -ENOMEM;
	}
	/* Another of cur's threads may rename it (prctl, under proc_lock). */
	flags = spin_lock_irqsave(&proc_lock);
	memcpy(child->name, cur->name, sizeof(child->name));
	spin_unlock_irqrestore(&proc_lock, flags);
	cwd_init(child, cur); /* shares cur's: cannot fail */
	child->cmd = cur->cmd; /* its own thread's: read without the lock */
	if (child->cmd)
		proc_cmd_get(child->cmd);
	child->umask = __atomic_load_n(&cur->umask, __ATOMIC_RELAXED); /* proc.h: atomic */
	child->personality = __atomic_load_n(&cur->personality, __ATOMIC_RELAXED);
	signal_fork(child, t, cur, current_thread());
	thread_group_add_first(child, t);
	thread_setup_forked(t, tf, req); /* fork returns 0 in the child */
	flags = spin_lock_irqsave(&proc_lock);
	child->parent = cur;
	__atomic_store_n(&child->ppid, cur->pid, __ATOMIC_RELAXED);
	jobctl_fork_locked(child, cur);
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

long proc_wait(const struct wait_req *req, struct wait_result *res)
{
	struct proc *cur = current_proc();
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	for (;;) {
		bool any = false, freeing = false;
		int err;

		for (struct proc *c = cur->children; c; c = c->sibling) {
			enum wait_event ev;

			if (!jobctl_wait_matches(c, req))
				continue;
			any = true;
			ev = jobctl_wait_event(c, req, res);
			if (ev == WAIT_NONE)
				continue;
			if (ev != WAIT_EXIT || (req->options & ABI_WNOWAIT)) {
				spin_unlock_irqrestore(&proc_lock, flags);
				return res->pid;
			}
			/* Its last threads are on their way off their CPUs:
			 * proc_thread_freed wakes us once their memory is back. */
			if (__atomic_load_n(&c->unfreed_threads, __ATOMIC_RELAXED)) {
				freeing = true;
				continue;
			}
			__atomic_store_n(&cur->children_cpu_ns, cur->children_cpu_ns + c->cpu_ns,
					 __ATOMIC_RELAXED);
			unlink_child(c);
			procs[c->pid] = NULL;
			spin_unlock_irqrestore(&proc_lock, flags);
			free_reaped(c);
			return res->pid;
		}
		if (!any || (!freeing && (req->options & ABI_WNOHANG))) {
			spin_unlock_irqrestore(&proc_lock, flags);
			return any ? 0 : -ECHILD;
		}
		/* A zombie being freed is a zombie: even WNOHANG waits for it,
		 * which takes the other CPU a switch; only death cuts that short. */
		err = waitq_sleep_handoff(&cur->child_wait, &proc_lock, 0, NULL, freeing);
		if (err) {
			spin_unlock_irqrestore(&proc_lock, flags);
			return err;
		}
	}
}

/* PID 1 itself ended. init never exits on purpose: when its main program
 * exits it says "init: exited with status N" and powers off through
 * reboot (user/init.c); so this is init's own failure, said as such. */
static void report_init_exit(int status)
{
	failalloc_report();
	if ((status & WAIT_SIG_MASK) == 0)
		printk("kernel: init (pid 1) exited with status %d\n",
		       (status >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK);
	else
		printk("kernel: init (pid 1) killed by signal %d\n", status & WAIT_SIG_MASK);
}

void proc_zombify(int wait_status)
{
	struct proc *p = current_proc(), *init;
	struct thread *t = current_thread();
	struct aspace *as;
	struct fdtable *fds;
	uint64_t flags, own_ns = 0;

	clock_read_ns(ABI_CLOCK_THREAD_CPUTIME_ID, &own_ns);
	own_ns += p->dead_threads_ns; /* the last thread: no one else writes it */
	signal_exit(p);
	flags = spin_lock_irqsave(&proc_lock); /* /proc's fd/ reads it under proc_lock */
	fds = p->fds;
	p->fds = NULL;
	spin_unlock_irqrestore(&proc_lock, flags);
	fdtable_destroy(fds);
	proc_ns_release(p);
	grant_put(proc_take_grant(p));
	/* Before the space leaves TTBR0: a switch back here loads none. */
	t->as = NULL;
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
	jobctl_exit_locked(p);
	/* Orphans go to init, which reaps them. */
	while (p->children) {
		struct proc *c = p->children;

		p->children = c->sibling;
		c->parent = init;
		__atomic_store_n(&c->ppid, init->pid, __ATOMIC_RELAXED);
		c->sibling = init->children;
		init->children = c;
	}
	p->wait_status = wait_status;
	p->cpu_ns = own_ns + p->children_cpu_ns;
	p->state = PROC_ZOMBIE;
	/* The thread leaves p: the parent reaps it, or the last thread's
	 * proc_thread_freed frees it, once this thread's memory is back. */
	t->proc = NULL;
	signal_child_exited(p->parent, p, wait_status);
	/* A parent that ignores SIGCHLD or set SA_NOCLDWAIT never waits:
	 * the child is reaped now (its wait4 then gives ECHILD). */
	if (signal_parent_autoreaps(p->parent)) {
		unlink_child(p);
		procs[p->pid] = NULL;
		p->autoreaped = true; /* freed with its last thread */
	}
	waitq_wake_all(&p->parent->child_wait);
	waitq_wake_all(&init->child_wait);
	/* IRQs stay masked to the switch away: the parent, woken, waits for
	 * this thread's stack (proc_wait), so it must not be preempted and
	 * left behind busier threads meanwhile (thread_exit). */
	spin_unlock(&proc_lock);
	sched_exit_current();
}

/* init only gets signals it has handlers for (kernel/signal.c). */
void proc_kill_locked(struct proc *target, int sig)
{
	if (!sig)
		return;
	signal_send_proc_user(target, sig);
}

long proc_kill(int pid, int sig)
{
	struct proc *cur = current_proc();
	long ret = -ESRCH;
	uint64_t flags;

	if (sig < 0 || sig > ABI_SIG_MAX)
		return -EINVAL;
	/* kill(getpid()): the caller's own process, alive while this thread
	 * runs (only its last thread's exit makes it a zombie), so no slot
	 * lookup under proc_lock; the same permission check and send. */
	if (pid > 0 && pid == cur->pid) {
		if (!cred_may_signal(cur, cur, sig))
			return -EPERM;
		proc_kill_locked(cur, sig);
		return 0;
	}
	flags = spin_lock_irqsave(&proc_lock);
	for (int i = pid > 0 ? pid : 1; i < PROC_MAX; i++) {
		struct proc *target = procs[i];

		if (target && target->state == PROC_ALIVE &&
		    jobctl_kill_matches(target, cur, pid)) {
			/* Linux: success if any was signalled, else EPERM;
			 * kill(-1) skips silently what it may not signal. */
			if (cred_may_signal(cur, target, sig)) {
				proc_kill_locked(target, sig);
				ret = 0;
			} else if (pid == -1) {
				ret = 0;
			} else if (ret) {
				ret = -EPERM;
			}
		}
		if (pid > 0)
			break; /* one process */
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	return ret;
}

/* fn(p, arg) under proc_lock for the live process in slot id (or, with
 * by_tid, the process of the thread with that id); -ESRCH if none. */
static long with_live_proc(int id, bool by_tid, long (*fn)(struct proc *p, void *arg), void *arg)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	struct proc *p = id > 0 && id < PROC_MAX ? procs[id] : NULL;
	long ret = -ESRCH;

	if (by_tid && p == &tid_slot)
		p = tid_owner[id];
	if (p && p->state == PROC_ALIVE)
		ret = fn(p, arg);
	spin_unlock_irqrestore(&proc_lock, flags);
	return ret;
}

long proc_with_pid(int pid, long (*fn)(struct proc *p, void *arg), void *arg)
{
	return with_live_proc(pid, false, fn, arg);
}

long proc_with_tid(int tid, long (*fn)(struct proc *p, void *arg), void *arg)
{
	return with_live_proc(tid, true, fn, arg);
}

void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	for (int pid = 1; pid < PROC_MAX; pid++)
		if (procs[pid] && procs[pid]->state != PROC_NEW)
			fn(procs[pid], arg);
	spin_unlock_irqrestore(&proc_lock, flags);
}

/* The scheduler's view of a thread's process (sched/sched.h), taken when t
 * is made: its process is alive and p->as is stable (only the process's
 * own threads replace it, exec, which leaves one thread first). */
struct aspace *proc_thread_space(const struct thread *t)
{
	return t->proc->as;
}

void proc_thread_tick(struct thread *t)
{
	cpu_itimer_tick(t->proc);
	rlimit_cpu_tick(t->proc);
}

int proc_count_ruid(uint32_t uid)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);
	int n = 0;

	for (int i = 1; i < PROC_MAX; i++) {
		struct proc *p = procs[i] == &tid_slot ? tid_owner[i] : procs[i];

		n += p && p->state != PROC_NEW && cred_ruid(p) == uid;
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	return n;
}
