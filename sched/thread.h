/*
 * sched/thread.h: threads: a kernel stack, saved CPU state, and scheduling
 * state. A user process has one or more (kernel/thread_group.h). Fields
 * are grouped by who may touch them.
 */
#ifndef SCHED_THREAD_H
#define SCHED_THREAD_H

#ifndef __ASSEMBLER__
#include "kernel/lib/types.h"
#include "kernel/timer.h"
#include "kernel/sigstate.h"

struct proc;
struct aspace;
struct trap_frame;
struct waitq;
#endif

/* What cpu_switch_to (switch.S) keeps of a switched-out thread: its frame
 * pointer, where it resumes and its stack pointer. The callee-saved x19-x28
 * are on its stack instead: the one call of cpu_switch_to (sched/switch.c)
 * is declared to clobber them, so switch_locked's own frame saves those it
 * uses, once. The CTX_* offsets are what the assembly uses; sched/switch.c
 * checks them. */
#define CTX_FP 0
#define CTX_LR 8
#define CTX_SP 16
#define CTX_SIZE 24
/* FP/SIMD state: v0-v31 then FPSR and FPCR. */
#define FPSIMD_VREGS_SIZE (32 * 16)
#define FPSIMD_FPSR FPSIMD_VREGS_SIZE
#define FPSIMD_FPCR (FPSIMD_VREGS_SIZE + 8)
#define FPSIMD_SIZE (FPSIMD_VREGS_SIZE + 16)

#ifndef __ASSEMBLER__
struct cpu_context {
	uint64_t fp, lr, sp;
};

struct fpsimd_state {
	uint64_t v[64] __attribute__((aligned(16))); /* v0..v31, 128 bits each */
	uint64_t fpsr, fpcr;
};

enum thread_state {
	THREAD_READY,    /* on a run queue */
	THREAD_RUNNING,
	THREAD_SLEEPING, /* on a wait queue or a timer */
	THREAD_DEAD,     /* exited; its stack is freed by the next thread to run */
};

#define THREAD_PRIORITIES 8
#define THREAD_PRIO_USER 4
#define THREAD_SLICE_TICKS 2 /* round-robin quantum: 20 ms */
#define CPU_MASK_ALL UINT64_MAX

struct thread {
	/* Set at creation, then read-only. */
	int tid;
	bool kthread;            /* a kernel thread (idle): no process */
	/* Its process; NULL for kernel threads. Cleared by the thread itself
	 * when it leaves its group (thread_exit, proc_zombify), so only the thread
	 * itself, or its CPU while it is switched out, may read it. */
	struct proc *proc;
	/* The process it was made for, kept when proc is cleared: thread_free
	 * tells it (proc_thread_freed), for wait4 reaps a zombie only once
	 * its threads' memory is back. NULL for kernel threads. */
	struct proc *owner;
	/* The address space the switch to it loads (NULL: none), a copy of
	 * its process's (proc->as) so the switch need not reach the process:
	 * set when the thread is made (thread_create_user), by exec with the
	 * process's under proc_lock (proc_replace_image: exec leaves one
	 * thread first), and cleared by the last thread's exit before it lets
	 * go of the space (proc_zombify). Written only while the thread runs
	 * or before it first runs, read by the switch to it: the run queue
	 * lock orders the two. */
	struct aspace *as;
	vaddr_t kstack_top;      /* 0 for the boot thread's static stack */
	struct trap_frame *tf;   /* user register frame at the top of the stack */

	/* Saved by the switch away from it and loaded by the switch to it, on
	 * whichever CPUs those are (sched/switch.c). on_cpu orders the save
	 * before any other CPU's load (sched/runqueue.h). */
	struct cpu_context ctx;
	struct fpsimd_state fp;
	uint64_t tpidr_el0;

	/* Written by the switch under its CPU's run queue lock; read
	 * atomically by others (sys:context), and by the thread itself. */
	uint64_t cpu_ns;         /* CPU time consumed */
	uint64_t run_start;      /* counter when it last started running */
	/* Ticks that found it running in the kernel (its CPU's tick,
	 * sched/cpustat.h); read atomically. */
	uint64_t sys_ticks;

	/* The locks of these fields are named in sched/runqueue.h: "wait"
	 * is wait_lock, "rq" the lock of the run queue of t->cpu. */
	/* wait and rq to change between SLEEPING/DEAD and the others; rq
	 * alone between READY and RUNNING. */
	enum thread_state state;
	int prio;                /* written under wait and rq; read under either */
	int nice;                /* wait: setpriority(2): -20..19, 0 at creation */
	/* wait: waiters blocked on PI futexes this thread owns, counted by their
	 * priority (kernel/futex_pi.c): prio is the best of these and nice's. */
	uint16_t pi_boost[THREAD_PRIORITIES];
	int slice;               /* rq: ticks left in its quantum */
	struct thread *next;     /* rq when READY, wait when on a wait queue */
	struct thread *all_next; /* wait: list of every thread, for sys:context */
	struct waitq *waiting_on; /* wait */
	struct timer_event wake_timer; /* armed and fired under wait */
	bool timed_out;          /* wait */
	/* The CPU it runs on, last ran on, or whose run queue holds it: rq
	 * (the old and new queue's both to move it), and wait while SLEEPING. */
	unsigned cpu;
	/* Set from when a CPU picks it until the switch away from it has saved
	 * its registers (cleared by sched_finish_switch, release): no other CPU
	 * may load it meanwhile. rq; read with acquire by a waker (runqueue.h). */
	bool on_cpu;
	/* CPUs it may run on (sched_setaffinity): bit n is CPU n. Written
	 * under wait and rq, read under either. */
	uint64_t affinity;

	/* Signal mask, pending set, alternate stack (locking: signal.h). */
	struct thread_sig sig;
	/* Thread-group membership (kernel/thread_group.c). user_tid is set
	 * before the thread first runs, then read-only: gettid(), the pid for
	 * a process's first thread. group_next is guarded by proc->threads_lock.
	 * dying is atomic: set under threads_lock by exit_group or execve,
	 * read by the thread itself. The user addresses are the thread's own
	 * (set_tid_address, set_robust_list), changed only by it. */
	int user_tid;
	struct thread *group_next;
	bool dying;
	uint64_t clear_child_tid;
	uint64_t robust_list;
	/* Links out of /proc being followed by this thread, one inside the
	 * other (kernel/scheme/proc_proxy.c bounds it); its own. */
	int proc_link_depth;
};

/* Whether t, a user thread, must stop waiting: an unblocked signal is
 * pending, or it was told to die. Lock-free. Inline because every sleep
 * asks it; signal_pending_for (kernel/sigstate.h) is the out-of-line
 * form for any thread, and both read these same atomics. */
static inline bool thread_signal_pending(const struct thread *t)
{
	return t->proc && (__atomic_load_n(&t->sig.interrupt, __ATOMIC_ACQUIRE) ||
			   __atomic_load_n(&t->dying, __ATOMIC_RELAXED));
}

/* Creates a user thread of p whose first run returns to user space through
 * its (caller-filled) trap frame. Not yet runnable: see sched_add. */
struct thread *thread_create_user(struct proc *p);
/* Frees a thread from thread_create_user that was never made runnable. */
void thread_discard(struct thread *t);

/* Only through switch_locked's inline call (sched/switch.c), which tells
 * the compiler what it clobbers. */
void cpu_switch_to(struct cpu_context *from, struct cpu_context *to);
void fpsimd_save(struct fpsimd_state *st);
void fpsimd_load(const struct fpsimd_state *st);
/* The first instruction a new user thread runs (switch.S). */
void thread_trampoline(void);
#endif

#endif
