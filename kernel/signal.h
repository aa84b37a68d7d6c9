/*
 * kernel/signal.h: POSIX signals: per-thread masks, pending sets and
 * alternate stacks (struct thread_sig, in struct thread), and per-process
 * actions, shared pending set, stop state and ITIMER_REAL (struct proc_sig,
 * in struct proc). Delivery happens at every return to user space
 * (signal_deliver): default actions, or a Linux AArch64 rt_sigframe
 * (arch/aarch64/sigframe.c) for a handler.
 *
 * Locking: proc_sig.lock guards every field of proc_sig and the pending
 * and blocked fields of each of the process's threads (senders read them).
 * Order: proc_lock, then proc_sig.lock, then the thread list's threads_lock
 * (proc_for_each_thread), then wait_lock. thread_sig.interrupt
 * is atomic so the scheduler may read it under wait_lock.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"
#include "kernel/timer.h"
#include "sched/waitq.h"
#include "sched/mutex.h"
#include "kernel/posix_timer.h"
#include "kernel/cpu_itimer.h"
#include "syscall/abi/abi_signal.h"
#include "kernel/sigstate.h"

struct proc;
struct thread;
struct trap_frame;

struct proc_sig {
	spinlock_t lock;
	/* Guarded by lock: */
	struct abi_sigaction actions[ABI_SIG_MAX + 1];
	struct sigqueue shared;            /* process-directed signals */
	int exit_sig;                      /* a fatal signal is killing p (0: none) */
	bool fatal_fault;                  /* a fault with no handler: init dies too */
	bool stopped;                      /* stopped by a stop signal */
	struct waitq stop_wait;            /* its threads sleep here while stopped */
	/* ITIMER_REAL: the event's fields belong to timer.c while armed. */
	struct timer_event itimer;
	uint64_t itimer_interval_ns;
	/* POSIX timers by id (kernel/posix_timer.h); ptimer_mutex
	 * serializes the system calls that change them. */
	struct posix_timer *ptimers[POSIX_TIMERS_MAX];
	struct mutex ptimer_mutex;
	/* ITIMER_VIRTUAL and ITIMER_PROF (kernel/cpu_itimer.h); armed is
	 * atomic: whether either runs, read by the tick without the lock. */
	struct cpu_itimer cpu_itimers[CPU_ITIMERS];
	int cpu_itimers_armed;
	/* The reports of stops and continues to the parent's wait are in
	 * p->job (kernel/jobctl.h), under proc_lock. */
};

/* Sets up a new process's signal state: the first one (init_first) or a
 * fork child (from parent, whose thread ptd is forking into child thread ct). */
void signal_init_proc(struct proc *p);
void signal_fork(struct proc *child, struct thread *ct, struct proc *parent, struct thread *pt);
/* execve: caught signals go back to default; ignored ones and the mask stay. */
/* clone of a thread: t (not yet visible) gets creator's mask and no
 * alternate stack; once t is on p's thread list, signal_thread_joined lets
 * it take a pending shared signal. */
/* Sends sig (0: only checks) to p's thread with id tid: -ESRCH if p has
 * none (tkill, tgkill, rt_tgsigqueueinfo). */
int signal_send_tid(struct proc *p, int tid, int sig, const struct abi_siginfo *info);
/* p's thread with user id tid, or NULL; p->sig.lock held (a thread leaves
 * the list under it, so the one found stays valid meanwhile). */
struct thread *signal_find_thread_locked(struct proc *p, int tid);
void signal_thread_created(struct thread *t, const struct thread *creator);
void signal_thread_joined(struct proc *p);
void signal_exec(struct proc *p, struct thread *t);
/* Exit: the interval timer stops (before p may be freed). */
void signal_exit(struct proc *p);


/* Sending. info's si_signo is sig. A process-directed signal goes to one of
 * p's threads that does not block it. 0, -EAGAIN (queue full), -EINVAL. */
int signal_send_proc(struct proc *p, int sig, const struct abi_siginfo *info);
int signal_send_thread(struct thread *t, int sig, const struct abi_siginfo *info);
/* A timer's signal to p (t: one of its threads, or NULL), p->sig.lock held:
 * 1 if info was queued, 0 if not (ignored, or a standard signal already
 * pending), -EAGAIN. */
int signal_send_timer_locked(struct proc *p, struct thread *t, int sig,
			     const struct abi_siginfo *info);
/* kill(2) from the current process to p: signal_send_proc with SI_USER,
 * its pid and real uid, the siginfo built in the queue entry itself. */
int signal_send_proc_user(struct proc *p, int sig);
/* kill(2)/tkill from the current process (SI_USER with its pid and uid). */
void signal_kill_info(struct abi_siginfo *info, int sig, int code);
/* SIGPIPE to the current thread (a write to a pipe with no reader). */
void signal_raise_sigpipe(void);
/* A synchronous fault: unblocked and un-ignored first, as on Linux, so a
 * fault inside its own handler (signal blocked) kills. */
void signal_force_fault(int sig, int code, uint64_t addr);
/* SIGCHLD to parent about child (code CLD_*, status: exit code or signal),
 * unless parent ignores it or, for a stop or continue, set SA_NOCLDSTOP.
 * proc_lock held. */
void signal_notify_parent(struct proc *parent, struct proc *child, int code, int status);
/* SIGCHLD for a child that became a zombie with wait_status; proc_lock held. */
void signal_child_exited(struct proc *parent, struct proc *child, int wait_status);
/* Whether parent's children are reaped at exit (SIGCHLD ignored
 * explicitly, or SA_NOCLDWAIT). */
bool signal_parent_autoreaps(struct proc *parent);
/* The action for sig in p is the default one. */
bool signal_is_default(struct proc *p, int sig);
/* The calling thread ignores or blocks sig (a terminal's job-control
 * rules: SIGTTIN/SIGTTOU; the request flags of kernel/scheme/uscheme*.c). */
/* The signals of set the current thread blocks or its process ignores
 * (a terminal's SIGTTIN/SIGTTOU rules, for user-scheme requests). */
uint64_t signal_ignored_or_blocked_current(uint64_t set);

/* At each return to user space, interrupts enabled: acts on pending
 * signals until one handler's frame is built or none is left; the caller
 * checks the interrupt flag again and calls back for the next. */
void signal_deliver(struct trap_frame *tf);
/* Last step before user space, after every signal was delivered: an
 * interrupted restartable system call is restarted, sigsuspend's mask is
 * restored. */
bool signal_return_done(struct trap_frame *tf); /* true: the mask changed */
/* Before a system call is dispatched: signal_syscall_enter
 * (kernel/signal_fast.h) remembers what a restart needs. */

/* Helpers for the system calls (syscall/sys_signal*.c). */
/* rt_sigaction: old gets the current action, then act (if any) replaces
 * it; a signal now ignored loses its pending instances. sig was checked. */
void signal_set_action(struct proc *p, int sig, const struct abi_sigaction *act,
		       struct abi_sigaction *old);
/* t's blocked mask becomes mask (less SIGKILL and SIGSTOP). */
void signal_set_mask(struct thread *t, uint64_t mask);
/* A temporary mask for a wait (rt_sigsuspend, ppoll, pselect6; t is the
 * current thread): the old one is saved. signal_mask_pop(t, ret) puts it
 * back at once unless the wait was interrupted (ret -EINTR): then the
 * signal is delivered with the temporary mask in force and
 * signal_return_done restores the old one (Linux's saved_sigmask). */
void signal_mask_push(struct thread *t, uint64_t mask);
void signal_mask_pop(struct thread *t, long ret);
/* Signals pending for t (its own and its process's). */
uint64_t signal_pending_set(struct thread *t);
struct proc_sig *signal_lock(struct proc *p, uint64_t *flags);
void signal_unlock(struct proc *p, uint64_t flags);
void signal_recalc_locked(struct proc *p);
/* Takes the lowest pending signal of t in set (thread queue first); 0 if none. Lock held. */
int signal_dequeue_locked(struct thread *t, uint64_t set, struct abi_siginfo *info);
/* The same, into the kept part only (struct ksiginfo; the rest of the
 * siginfo is zero): a delivery writes the rest only if the handler takes
 * a siginfo. */
int signal_dequeue_kept_locked(struct thread *t, uint64_t set, struct ksiginfo *k);

/* arch/aarch64/sigframe.c */
int sigframe_setup(struct trap_frame *tf, int sig, const struct abi_sigaction *act,
		   const struct ksiginfo *info, uint64_t old_mask);
/* Restores the frame at tf->sp into tf: err 0 and the frame's mask, or
 * err -EFAULT/-EINVAL. Returned in registers (x0, x1), not through a
 * pointer: no stack-protector check for rt_sigreturn's local. */
struct sigframe_restored {
	int err;
	uint64_t mask;
};
struct sigframe_restored sigframe_restore(struct trap_frame *tf);
bool sigframe_on_altstack(uint64_t sp);

#endif
