/*
 * kernel/proc.h: processes: an address space, open files, a working
 * directory and a family (parent, children), run by a group of threads
 * (kernel/thread_group.h).
 * Fields are grouped by the lock that guards them.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "kernel/lib/types.h"
#include "kernel/scheme/path.h"
#include "kernel/jobctl.h"
#include "kernel/lib/spinlock.h"
#include "sched/waitq.h"
#include "syscall/abi/abi.h"
#include "kernel/signal.h"
#include "kernel/cred.h"
#include "kernel/rlimit.h"
#include "sched/sched.h"

#define PROC_MAX 1024
#define PROC_NAME_MAX 16
#define INIT_PID 1

struct aspace;
struct grant;
struct fdtable;
struct namespace_set;
struct thread;
struct trap_frame;
struct proc_cmd;
struct cwd;

/* NEW until fork or proc_init_first has filled it in: other code (kill,
 * sys:context) leaves it alone until it is ALIVE. */
enum proc_state { PROC_NEW, PROC_ALIVE, PROC_ZOMBIE };

struct proc {
	/* Set at creation, then read-only. */
	int pid;

	/* Guarded by proc_lock (proc.c): the family and lifecycle. */
	struct proc *parent;
	/* parent's pid, also written under proc_lock; read without it
	 * (atomic) by getppid, which cannot meet a freed parent that way. */
	int ppid;
	struct proc *children;     /* first child */
	struct proc *sibling;      /* next child of the same parent */
	enum proc_state state;
	int wait_status;           /* Linux wait(2) encoding, valid when ZOMBIE */
	uint64_t cpu_ns;           /* CPU time used, valid when ZOMBIE */
	struct waitq child_wait;   /* wait4 sleeps here */
	/* Threads made for it whose stack and struct are not freed yet: a
	 * dead thread's are freed by the next thread on its CPU, after the
	 * zombie is made. Raised atomically (thread_create_user), lowered
	 * under proc_lock too (proc_thread_freed). wait4 reaps a zombie only
	 * at 0, so that all its memory is back when wait4 returns. */
	int unfreed_threads;
	bool autoreaped;           /* reaped at exit (SIGCHLD ignored): the
	                              last proc_thread_freed frees it */
	struct proc_job job;       /* group, session, stop/continue reports */

	/* Changed only by the process's own thread (exec, exit, prctl's
	 * PR_SET_NAME), and then under proc_lock, so that others may read them
	 * under proc_lock (sys:context). The thread itself reads them without
	 * the lock. */
	char name[PROC_NAME_MAX];
	struct aspace *as;
	/* Owned by the process's own thread (changed only by it). fds is
	 * cleared under proc_lock when it exits, so others (/proc's fd/) may
	 * read the table under proc_lock, then its own lock. */
	struct fdtable *fds;
	/* The working directory (kernel/cwd.h): the pointer is read and
	 * replaced only under cwd_lock (any of its threads may chdir); the
	 * record it points to is immutable and read through a reference. */
	spinlock_t cwd_lock;
	struct cwd *cwd;
	/* CPU time of the children it reaped: any of its threads may reap,
	 * so written under proc_lock (proc_wait) and read atomically. */
	uint64_t children_cpu_ns;
	/* Cleared from creation modes; inherited by fork. Its threads share
	 * it: read and swapped atomically (umask(2), syscall/sys_path.c). */
	uint32_t umask;
	/* personality(2)'s persona: PER_LINUX and flags (kernel/aslr.h's
	 * ADDR_NO_RANDOMIZE); inherited by fork, kept by exec. Read and
	 * written atomically (syscall/sys_misc.c, exec). */
	uint32_t personality;
	/* Written under cred_lock only (kernel/cred.h). */
	struct cred cred;
	/* The names it can open (kernel/scheme/namespace.h); guarded by ns_lock there. */
	struct namespace_set *ns;

	/* Device rights (kernel/scheme/grant.h): replaced only by a narrower one;
	 * guarded by grant_lock (kernel/scheme/scheme_grant.c). grant_rights
	 * is a copy of grant->rights, written under grant_lock with the
	 * pointer and read atomically without it (every user-scheme request
	 * carries it; rights only ever shrink, so a racing reader sees the
	 * set before or after a narrowing). */
	struct grant *grant;
	uint32_t grant_rights;

	/* Signal actions, shared pending set, stop state (own lock: signal.h). */
	struct proc_sig sig;

	/* The thread group (kernel/thread_group.c); guarded by threads_lock,
	 * which nests inside proc_lock and outside wait_lock. */
	spinlock_t threads_lock;
	struct thread *threads;    /* live threads, linked by group_next */
	int nthreads;              /* on the list */
	bool exiting;              /* exit_group or a kill: every thread dies */
	int exit_status;           /* wait status once exiting */
	uint64_t dead_threads_ns;  /* CPU time of the threads that exited */
	struct waitq threads_wait; /* execve waits for the others to die */

	/* For /proc (kernel/scheme/proc_pid.c). start_ns (the counter's ns
	 * at creation) is set at creation, then read-only. cmd (what it was
	 * exec'd as, kernel/proc_cmd.h) is replaced only by the process's own
	 * thread at exec, under proc_lock; others take a reference under
	 * proc_lock. */
	uint64_t start_ns;
	struct proc_cmd *cmd;

	/* Resource limits and the CPU ticks they count (own lock: rlimit.h). */
	struct proc_rlimits rl;
};

/* Guards the pid table and every family field (above, and jobctl.h's). */
extern spinlock_t proc_lock;
/* The process with this pid, NULL if none or still NEW. proc_lock held. */
struct proc *proc_find_locked(int pid);

int proc_init_first(const char *path, const char *const *argv, int argc);
/* The running thread's process (inline: nearly every system call asks). */
static inline struct proc *current_proc(void)
{
	return current_thread()->proc;
}

/* The current process's GRANT_RIGHT_* bits (kernel/scheme/grant.h), 0
 * outside a process: its copy, read without grant_lock (see grant_rights).
 * In line: every user-scheme request carries them. */
static inline uint32_t grant_current_rights(void)
{
	const struct proc *p = current_proc();

	return p ? __atomic_load_n(&p->grant_rights, __ATOMIC_RELAXED) : 0;
}
/* Calls fn(p, arg) under proc_lock for the live process pid and returns
 * its result; -ESRCH if there is none. */
long proc_with_pid(int pid, long (*fn)(struct proc *p, void *arg), void *arg);
/* The same for the process that has a thread with this id (tkill). */
long proc_with_tid(int tid, long (*fn)(struct proc *p, void *arg), void *arg);

/* System-call level operations (syscall/sys_proc.c calls these). */
struct clone_req;
/* A new process running a copy of the caller, its thread set up by req
 * (thread_setup_forked, kernel/thread_group.h); the child's pid. */
long proc_fork(struct trap_frame *tf, const struct clone_req *req);
/* Waits for an event of a child req names (kernel/jobctl.h): its pid with
 * *res filled (an exit reaps the child unless WNOWAIT), 0 for WNOHANG and
 * nothing yet, -ECHILD if req names no child, -EINTR if killed. */
long proc_wait(const struct wait_req *req, struct wait_result *res);
/* The whole process dies (exit_group, a fatal signal): kernel/thread_group.c. */
__noreturn void proc_exit(int wait_status);
/* Called by the last thread of the current process only, once it has left
 * the group: makes the process a zombie; never returns. */
__noreturn void proc_zombify(int wait_status);
/* sched/threads.c: a thread was made for p (thread_create_user), and
 * its stack and struct are freed (thread_free, proc_lock not held). */
void proc_thread_made(struct proc *p);
void proc_thread_freed(struct proc *p);
/* Thread ids share the pid space (as on Linux: a tid never names another
 * process): a slot for a new thread's id, or -EAGAIN; and its release. */
int proc_alloc_tid(struct proc *owner);
void proc_free_tid(int tid);
/* kill(2): pid > 0 one process, 0 the caller's process group, -1 every
 * process but init and the caller, < -1 the group -pid (jobctl_kill_matches);
 * -ESRCH if it names no live process. init only gets signals it has
 * handlers for, and dies only of a fault it does not handle (signal.c). */
long proc_kill(int pid, int sig);
/* Sends sig to one live process (0 only checks); proc_lock held (or
 * target the caller's own process, alive while it runs). */
void proc_kill_locked(struct proc *target, int sig);
/* Inline: getppid is the null system call the benchmarks time, and a call
 * here was a tenth of its kernel path. One plain load of the word exit
 * writes atomically (a relaxed atomic load costs an extra add here: no
 * offset addressing). */
static inline int proc_getppid(struct proc *p)
{
	return *(const volatile int *)&p->ppid;
}

/* Wait status encodings (Linux's). */
#define WAIT_EXITED(code) (((code) & WAIT_CODE_MASK) << WAIT_CODE_SHIFT)
#define WAIT_SIG_MASK 0x7f
#define WAIT_SIGNALED(sig) ((sig) & WAIT_SIG_MASK)
#define WAIT_CODE_SHIFT 8
#define WAIT_CODE_MASK 0xff

/* Makes as and the name of path p's image (exec, by p's own thread or
 * before p runs); returns the old address space, for the caller to free. */
struct aspace *proc_replace_image(struct proc *p, struct aspace *as, const char *path);
/* Replaces p's exec record (by p's own thread at exec, or before p runs);
 * drops the old one. */
void proc_set_cmd(struct proc *p, struct proc_cmd *cmd);

/* For /proc/loadavg and /proc/stat: the pid given last, and how many
 * processes were made since boot. */
int proc_last_pid(void);
uint64_t proc_created_count(void);

/* For sys:context: calls fn for every live or zombie process, under
 * proc_lock (fn may take wait_lock, which nests inside it). */
void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg);

/* RLIMIT_NPROC: how many processes and threads (pid-table slots) belong to
 * processes whose real uid is uid, zombies included (as Linux counts until
 * release_task). */
int proc_count_ruid(uint32_t uid);

#endif
