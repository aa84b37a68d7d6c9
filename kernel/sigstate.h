/*
 * kernel/sigstate.h: a thread's signal state (struct thread_sig, embedded in
 * struct thread) and the one question the scheduler asks of it. Split from
 * kernel/signal.h so that sched/ needs nothing of the process core: this
 * header includes only the base library and the ABI. Locking: signal.h.
 */
#ifndef KERNEL_SIGSTATE_H
#define KERNEL_SIGSTATE_H

#include "kernel/lib/types.h"
#include "syscall/abi/abi_signal.h"

struct thread;

#define SIG_BIT(sig) (1UL << ((sig) - 1))
/* SIGKILL and SIGSTOP can be neither caught nor blocked. */
#define SIG_UNBLOCKABLE (SIG_BIT(ABI_SIGKILL) | SIG_BIT(ABI_SIGSTOP))
/* Queued siginfos per pending set: real-time signals beyond it get EAGAIN
 * (Linux's RLIMIT_SIGPENDING); a standard one is pending at most once. */
#define SIGQUEUE_MAX 16

/*
 * A queued siginfo: only its first SIGINFO_KEPT_SIZE bytes, the header and
 * every union member the kernel fills (Linux's kernel_siginfo, which keeps
 * no more: the rest of a user's rt_sigqueueinfo is dropped there too). A
 * take gives the whole 128-byte siginfo back with the rest zero. Keeps a
 * send and a delivery from copying 160 bytes of zeros each.
 */
#define SIGINFO_KEPT_SIZE 48
struct ksiginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t __pad;
	uint64_t fields[(SIGINFO_KEPT_SIZE - 16) / sizeof(uint64_t)];
};
_Static_assert(sizeof(struct ksiginfo) == SIGINFO_KEPT_SIZE, "ksiginfo");
/* A ksiginfo, or a whole siginfo's first SIGINFO_KEPT_SIZE bytes, as words
 * that may alias it: assigned whole, a few LDP/STP in line where memcpy
 * would be a call; read one at a time, a frame's words. */
struct __attribute__((may_alias)) ksiginfo_words {
	uint64_t w[SIGINFO_KEPT_SIZE / sizeof(uint64_t)];
};
_Static_assert(sizeof(struct ksiginfo_words) == sizeof(struct ksiginfo), "kept part");
_Static_assert(sizeof(((struct abi_siginfo *)0)->chld) + 16 <= SIGINFO_KEPT_SIZE &&
	       sizeof(((struct abi_siginfo *)0)->kill) + 16 <= SIGINFO_KEPT_SIZE &&
	       sizeof(((struct abi_siginfo *)0)->timer) + 16 <= SIGINFO_KEPT_SIZE &&
	       sizeof(((struct abi_siginfo *)0)->fault) + 16 <= SIGINFO_KEPT_SIZE,
	       "every member the kernel fills is kept");

struct sigqueue {
	uint64_t pending;                  /* bit sig-1: sig is pending */
	int count;                         /* entries used in q */
	struct ksiginfo q[SIGQUEUE_MAX];
};

struct thread_sig {
	/* Guarded by the process's proc_sig.lock; the thread reads its own
	 * blocked mask without it. */
	uint64_t blocked;
	/* rt_sigtimedwait's mask while it unblocks its set: a signal blocked
	 * here is still kept, not dropped as ignored (Linux's real_blocked). */
	uint64_t real_blocked;
	bool stop_parked;                  /* asleep in stop_wait (set by the thread) */
	struct sigqueue queue;             /* thread-directed signals */
	/* Atomic: a signal the thread must act on is pending (or it must
	 * stop waiting: SIGKILL while stopped). Recomputed under the lock. */
	int interrupt;
	/* Owned by the thread itself. */
	uint64_t saved_mask;               /* rt_sigsuspend's, restored on return */
	bool in_syscall;                   /* returning from a system call (its
	                                      number: the frame's x8) */
	/* An interrupted relative sleep's restart (Linux's restart_block):
	 * restart_syscall sleeps on to restart_deadline (counter) and
	 * reports the time left at restart_rem (a user address, 0: none).
	 * Next to in_syscall (2-byte aligned after saved_mask): every system
	 * call's return clears both with one store (kernel/signal_fast.h). */
	bool restart_armed;
	bool restore_mask;                 /* saved_mask is to be put back */
	uint64_t syscall_x0;               /* its first argument, for restarts */
	uint64_t restart_deadline;
	uint64_t restart_rem;
	struct abi_stack altstack;         /* ss_flags: 0 or ABI_SS_DISABLE */
};

/* Whether t must stop waiting: an unblocked signal is pending, or t was
 * told to die (thread_dying: exit_group, execve elsewhere). Lock-free. */
bool signal_pending_for(const struct thread *t);
/* Whether t is as good as dead: told to die, or a SIGKILL (which no one can
 * catch) is pending for it or its process. Lock-free, a hint: for waits
 * that only death may cut short (a cancelled user-scheme call). */
bool signal_fatal_pending(const struct thread *t);

#endif
