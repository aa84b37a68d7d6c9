/*
 * kernel/posix_timer.h: POSIX per-process timers (timer_create and
 * friends, syscall/sys_timer.c). Each is a one-shot timer event (kernel/
 * timer.h) that queues a SI_TIMER signal and, with an interval, is re-armed
 * once that signal is taken (Linux's scheme: while the signal is pending,
 * further expirations only count as overruns, reported in si_overrun and by
 * timer_getoverrun). SIGEV_NONE timers never arm an event: their time left
 * is computed when asked.
 *
 * Locking: the table (proc_sig.ptimers) and the fields marked below are
 * guarded by the process's proc_sig.lock (the event handler and signal
 * dequeue take it); proc_sig.ptimer_mutex serializes the system calls that
 * change the table or a timer's setting, because they sleep in
 * timer_cancel without the spinlock. Order: ptimer_mutex, then proc_sig.lock.
 */
#ifndef KERNEL_POSIX_TIMER_H
#define KERNEL_POSIX_TIMER_H

#include "kernel/lib/types.h"
#include "kernel/timer.h"
#include "syscall/abi/abi_signal.h"

struct proc;

/* Timers per process (Linux bounds them by RLIMIT_SIGPENDING only). */
#define POSIX_TIMERS_MAX 32

struct posix_timer {
	struct timer_event ev;   /* arg: this timer */
	struct proc *proc;
	/* Fixed at creation: */
	int id;                  /* index in proc_sig.ptimers */
	int clock;               /* ABI_CLOCK_REALTIME or ABI_CLOCK_MONOTONIC */
	int notify;              /* ABI_SIGEV_SIGNAL, _NONE or _THREAD_ID */
	int signo;
	int tid;                 /* SIGEV_THREAD_ID: the thread's user id */
	uint64_t value;          /* sigev_value, given back in si_value */
	/* Guarded by proc_sig.lock: */
	uint64_t expiry;         /* counter deadline of this period; 0: disarmed */
	uint64_t interval_ns;    /* 0: one-shot */
	bool active;             /* the handler may send and re-arm */
	bool queued;             /* its signal is pending, not yet taken */
	bool rearm_at_dequeue;   /* periodic: re-armed once the signal is taken */
	int overrun;             /* expirations while queued */
	int overrun_last;        /* overrun of the last signal taken */
};

/* A SI_TIMER siginfo was taken off a queue: fills si_overrun and re-arms a
 * periodic timer. proc_sig.lock held. */
void posix_timer_dequeued_locked(struct proc *p, struct abi_siginfo *info);
/* Exec and exit: every timer is deleted. Only one thread is left. */
void posix_timer_delete_all(struct proc *p);

/* For syscall/sys_timer.c. */
/* sev was checked; default_value: the caller gave none, si_value is the id. */
int posix_timer_create(struct proc *p, int clock, const struct abi_sigevent *sev,
		       bool default_value, int *id);
int posix_timer_delete(struct proc *p, int id);
/* value_ns/interval_ns: the new setting (value 0 disarms); abs: value is a
 * time on the timer's clock. old gets the previous one. */
int posix_timer_set(struct proc *p, int id, bool abs, uint64_t value_ns, uint64_t interval_ns,
		    struct abi_itimerspec *old);
int posix_timer_get(struct proc *p, int id, struct abi_itimerspec *cur);
int posix_timer_getoverrun(struct proc *p, int id);

#endif
