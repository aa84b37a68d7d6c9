/*
 * kernel/signal_internal.h: what the parts of the signal layer share:
 * kernel/signal.c (state, masks), kernel/signal_queue.c (pending queues),
 * kernel/signal_send.c (sending) and kernel/signal_deliver.c (acting on
 * signals at the return to user space). Not for other callers:
 * kernel/signal.h is the interface.
 */
#ifndef KERNEL_SIGNAL_INTERNAL_H
#define KERNEL_SIGNAL_INTERNAL_H

#include "kernel/signal.h"
#include "kernel/signal_fast.h"

/* Linux's wait status bit for "core dumped". */
#define WAIT_CORE_BIT 0x80

#define SIG_STOP_SET (SIG_BIT(ABI_SIGSTOP) | SIG_BIT(ABI_SIGTSTP) | SIG_BIT(ABI_SIGTTIN) | \
		      SIG_BIT(ABI_SIGTTOU))
#define SIG_CORE_SET (SIG_BIT(ABI_SIGQUIT) | SIG_BIT(ABI_SIGILL) | SIG_BIT(ABI_SIGTRAP) | \
		      SIG_BIT(ABI_SIGABRT) | SIG_BIT(ABI_SIGBUS) | SIG_BIT(ABI_SIGFPE) | \
		      SIG_BIT(ABI_SIGSEGV) | SIG_BIT(ABI_SIGXCPU) | SIG_BIT(ABI_SIGXFSZ) | \
		      SIG_BIT(ABI_SIGSYS))
#define SIG_IGNORE_SET (SIG_BIT(ABI_SIGCHLD) | SIG_BIT(ABI_SIGURG) | SIG_BIT(ABI_SIGWINCH) | \
			SIG_BIT(ABI_SIGCONT))

/* t's interrupt flag from its own mask and the pending sets. A change of
 * t's mask alone needs only this; a change of what is pending (or of the
 * stop state) needs it for every thread: signal_recalc_locked. p->sig.lock
 * held, as for the next two. */
void signal_recalc_thread(struct proc *p, struct thread *t);
/* Wakes every thread of p that must act (stop, group exit), but the caller. */
void signal_kick_locked(struct proc *p);
/* Whether sig's default action is to ignore it. */
bool signal_default_ignored(int sig);
/* init only gets signals it has handlers for, or a fault (Linux's
 * SIGNAL_UNKILLABLE): a default action of another signal is skipped. */
bool signal_init_unkillable(struct proc *p);

/* The queues (kernel/signal_queue.c), p->sig.lock held. Queues info as
 * signal sig (its si_signo is set to sig in the queue); info NULL queues
 * kill(2)'s SI_USER from the current process (signal_user_info), built
 * in the queue entry itself. */
int signal_enqueue(struct sigqueue *q, int sig, const struct abi_siginfo *info);
/* k: code from the current process (si_pid, its real uid), the rest zero. */
void signal_user_info(struct ksiginfo *k, int sig, int code);
/* info whole from its queued part k: the rest is zero (struct ksiginfo). */
void siginfo_expand(struct abi_siginfo *info, const struct ksiginfo *k);
/* Drops the signals of set from p's shared queue and every thread's. */
void signal_unqueue_everywhere(struct proc *p, uint64_t set);
/* Drops the queued signals of POSIX timers from q (execve). */
void signal_unqueue_timer_signals(struct sigqueue *q);

#endif
