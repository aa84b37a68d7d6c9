/*
 * kernel/proc.h: processes: an address space, open files, a working
 * directory and a family (parent, children), run by a group of threads
 * (kernel/thread_group.h).
 * Fields are grouped by the lock that guards them.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "kernel/types.h"
#include "kernel/path.h"
#include "sched/waitq.h"
#include "syscall/abi.h"

#define PROC_MAX 1024
#define PROC_NAME_MAX 16
#define INIT_PID 1

struct aspace;
struct fdtable;
struct thread;
struct trap_frame;

/* NEW until fork or proc_init_first has filled it in: other code (kill,
 * sys:context) leaves it alone until it is ALIVE. */
enum proc_state { PROC_NEW, PROC_ALIVE, PROC_ZOMBIE };

struct proc {
	/* Set at creation, then read-only. */
	int pid;

	/* Guarded by proc_lock (proc.c): the family and lifecycle. */
	struct proc *parent;
	struct proc *children;     /* first child */
	struct proc *sibling;      /* next child of the same parent */
	enum proc_state state;
	int wait_status;           /* Linux wait(2) encoding, valid when ZOMBIE */
	uint64_t cpu_ns;           /* CPU time used, valid when ZOMBIE */
	struct waitq child_wait;   /* wait4 sleeps here */

	/* Changed only by the process's own thread (exec, exit), and then under
	 * proc_lock, so that others may read them under proc_lock (sys:context).
	 * The thread itself reads them without the lock. */
	char name[PROC_NAME_MAX];
	struct aspace *as;
	/* Owned by the process's own thread (changed only by it). */
	struct fdtable *fds;
	char cwd[PATH_MAX_LEN];
	uint64_t children_cpu_ns;  /* CPU time of the children it reaped */
	/* Recorded for programs that set them (musl's fork blocks signals);
	 * delivery comes with full signals in a later issue. */
	uint64_t sigmask;
	struct abi_sigaction sigactions[ABI_SIG_MAX + 1];

	/* Atomic: set by kill, read by the process itself. */
	int killed;                /* signal to die by, 0 if none */

	/* The thread group (kernel/thread_group.c); guarded by threads_lock,
	 * which nests inside proc_lock and outside sched_lock. */
	spinlock_t threads_lock;
	struct thread *threads;    /* live threads, linked by group_next */
	int nthreads;              /* on the list */
	bool exiting;              /* exit_group or a kill: every thread dies */
	int exit_status;           /* wait status once exiting */
	uint64_t dead_threads_ns;  /* CPU time of the threads that exited */
	struct waitq threads_wait; /* execve waits for the others to die */
};

int proc_init_first(const char *path, const char *const *argv, int argc);
struct proc *current_proc(void);
/* Whether the current thread, of process p, must stop what it sleeps on
 * and die (p killed, or the thread told to die by exit_group or execve). */
bool proc_killed(struct proc *p);

/* System-call level operations (syscall/sys_proc.c calls these). */
struct clone_req;
/* A new process running a copy of the caller, its thread set up by req
 * (thread_setup_forked, kernel/thread_group.h); the child's pid. */
long proc_fork(struct trap_frame *tf, const struct clone_req *req);
/* Reaps a child: its pid, with its status stored at ustatus (if not 0) and
 * the CPU time it and the children it reaped used in *cpu_ns. */
long proc_wait(int pid, uint64_t ustatus, int options, uint64_t *cpu_ns);
/* The whole process dies (exit_group, a fatal signal): kernel/thread_group.c. */
__noreturn void proc_exit(int wait_status);
/* Called by the last thread of the current process only, once it has left
 * the group: makes the process a zombie; never returns. */
__noreturn void proc_zombify(int wait_status);
/* Thread ids share the pid space (as on Linux: a tid never names another
 * process): a slot for a new thread's id, or -EAGAIN; and its release. */
int proc_alloc_tid(void);
void proc_free_tid(int tid);
/* kill(2). There are no process groups yet (setpgid/setsid do not exist),
 * so, as on Linux when nobody calls them, every process is in one group,
 * init's: pid 0 (the caller's group) means every process; -1 every process
 * but init and the caller; any other negative pid names a group that does
 * not exist (-ESRCH). init only dies of signals it asked for (none yet). */
long proc_kill(int pid, int sig);
int proc_getppid(struct proc *p);
/* Applies a pending kill at a return to user space. */
void proc_check_killed(void);

/* Wait status encodings (Linux's). */
#define WAIT_EXITED(code) (((code) & WAIT_CODE_MASK) << WAIT_CODE_SHIFT)
#define WAIT_SIG_MASK 0x7f
#define WAIT_SIGNALED(sig) ((sig) & WAIT_SIG_MASK)
#define WAIT_CODE_SHIFT 8
#define WAIT_CODE_MASK 0xff

/* Makes as and the name of path p's image (exec, by p's own thread or
 * before p runs); returns the old address space, for the caller to free. */
struct aspace *proc_replace_image(struct proc *p, struct aspace *as, const char *path);

/* For sys:context: calls fn for every live or zombie process, under
 * proc_lock (fn may take sched_lock, which nests inside it). */
void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg);

#endif
