/*
 * kernel/thread_group.c: threads of a process (see thread_group.h): clone,
 * exit of one thread or of the group, execve's wait for the others, and
 * the words a dying thread leaves for user space (child tid, robust list).
 *
 * p->threads_lock guards p->threads, nthreads, exiting, exit_status,
 * dead_threads_ns, every thread's group_next, and the setting of a
 * thread's dying flag. A thread on the list has not called sched_exit_current
 * yet, so it may be used (woken) under the lock.
 */
#include "kernel/thread_group.h"
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/futex.h"
#include "kernel/clock.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "sched/waitq.h"
#include "mm/uvm.h"
#include "asm/trap.h"
#include "asm/cpu.h"
#include "arch/aarch64/uaccess.h"

/* What musl's and glibc's pthread_create always pass, and what they may add. */
#define CLONE_THREAD_NEEDS (ABI_CLONE_VM | ABI_CLONE_FS | ABI_CLONE_FILES | \
			    ABI_CLONE_SIGHAND | ABI_CLONE_THREAD)
#define CLONE_THREAD_MAY (ABI_CLONE_SYSVSEM | ABI_CLONE_SETTLS | ABI_CLONE_PARENT_SETTID | \
			  ABI_CLONE_CHILD_SETTID | ABI_CLONE_CHILD_CLEARTID | ABI_CLONE_DETACHED)
/* fork (musl: SIGCHLD alone; glibc: CHILD_SETTID | CHILD_CLEARTID), vfork
 * and posix_spawn (CLONE_VM | CLONE_VFORK, with or without a stack). */
#define CLONE_FORK_MAY (ABI_CLONE_PARENT_SETTID | ABI_CLONE_CHILD_SETTID | ABI_CLONE_CHILD_CLEARTID)
#define CLONE_VFORK_PAIR (ABI_CLONE_VM | ABI_CLONE_VFORK)
#define TID_WORD sizeof(uint32_t)

/* Checks req against the supported combinations; sets *thread. */
static long clone_check(const struct clone_req *r, bool *thread)
{
	uint64_t f = r->flags & ~(uint64_t)ABI_CSIGNAL, sig = r->flags & ABI_CSIGNAL;

	*thread = f & ABI_CLONE_THREAD;
	if (*thread) {
		if ((f & CLONE_THREAD_NEEDS) != CLONE_THREAD_NEEDS ||
		    (f & ~(CLONE_THREAD_NEEDS | CLONE_THREAD_MAY)) || sig)
			return -EINVAL;
		if (!r->stack)
			return -EINVAL; /* Anode: a thread needs a stack of its own */
	} else {
		uint64_t vf = f & CLONE_VFORK_PAIR;

		if ((vf && vf != CLONE_VFORK_PAIR) || (f & ~(CLONE_VFORK_PAIR | CLONE_FORK_MAY)) ||
		    sig != ABI_SIGCHLD)
			return -EINVAL;
	}
	if ((f & ABI_CLONE_PARENT_SETTID) && !user_range_ok(r->ptid, TID_WORD))
		return -EFAULT;
	if ((f & (ABI_CLONE_CHILD_SETTID | ABI_CLONE_CHILD_CLEARTID)) &&
	    !user_range_ok(r->ctid, TID_WORD))
		return -EFAULT;
	return 0;
}

/* t (not yet run) starts where the caller returns to, with 0 in x0. */
static void start_like_caller(struct thread *t, const struct trap_frame *tf,
			      const struct clone_req *r)
{
	*t->tf = *tf;
	t->tf->x[0] = 0;
	if (r->stack)
		t->tf->sp = r->stack;
	fpsimd_save(&t->fp);
	t->tpidr_el0 = (r->flags & ABI_CLONE_SETTLS) ? r->tls : read_sysreg(tpidr_el0);
	if (r->flags & ABI_CLONE_CHILD_CLEARTID)
		t->clear_child_tid = r->ctid;
}

void thread_setup_forked(struct thread *t, const struct trap_frame *tf,
			 const struct clone_req *req)
{
	uint32_t tid = (uint32_t)t->proc->pid;

	start_like_caller(t, tf, req);
	/* As Linux, a word that cannot be written is skipped, not an error. */
	if (req->flags & ABI_CLONE_CHILD_SETTID)
		uvm_write(t->proc->as, req->ctid, &tid, sizeof(tid));
}

void thread_group_add_first(struct proc *p, struct thread *t)
{
	uint64_t irq = spin_lock_irqsave(&p->threads_lock);

	t->user_tid = p->pid;
	t->group_next = p->threads;
	p->threads = t;
	p->nthreads++;
	spin_unlock_irqrestore(&p->threads_lock, irq);
}

bool thread_dying(const struct thread *t)
{
	return __atomic_load_n(&t->dying, __ATOMIC_RELAXED);
}

static long clone_thread(struct trap_frame *tf, const struct clone_req *r)
{
	struct proc *p = current_proc();
	struct thread *t;
	uint32_t tid32;
	uint64_t irq;
	int tid = rlimit_nproc_check(p); /* threads count, as on Linux */

	if (!tid)
		tid = proc_alloc_tid(p);
	if (tid < 0)
		return tid;
	t = thread_create_user(p);
	if (!t) {
		proc_free_tid(tid);
		return -ENOMEM;
	}
	t->user_tid = tid;
	tid32 = (uint32_t)tid;
	start_like_caller(t, tf, r);
	signal_thread_created(t, current_thread());
	/* As Linux, words that cannot be written are skipped. */
	if (r->flags & ABI_CLONE_PARENT_SETTID)
		copy_to_user(r->ptid, &tid32, sizeof(tid32));
	if (r->flags & ABI_CLONE_CHILD_SETTID)
		copy_to_user(r->ctid, &tid32, sizeof(tid32));
	irq = spin_lock_irqsave(&p->threads_lock);
	if (p->exiting || thread_dying(current_thread())) {
		/* The group is dying: no thread joins it. */
		spin_unlock_irqrestore(&p->threads_lock, irq);
		thread_discard(t);
		proc_free_tid(tid);
		return -EINTR;
	}
	t->group_next = p->threads;
	p->threads = t;
	p->nthreads++;
	spin_unlock_irqrestore(&p->threads_lock, irq);
	signal_thread_joined(p);
	sched_add(t);
	return tid;
}

long thread_clone(struct trap_frame *tf, const struct clone_req *req)
{
	bool thread;
	long err = clone_check(req, &thread), pid;
	uint32_t pid32;

	if (err)
		return err;
	if (thread)
		return clone_thread(tf, req);
	/* vfork: a copy-on-write copy, not a shared space. The child may
	 * only exec or _exit, so it cannot tell (but glibc's posix_spawn
	 * error word written by the child is not seen by the parent). */
	pid = proc_fork(tf, req);
	if (pid > 0 && (req->flags & ABI_CLONE_PARENT_SETTID)) {
		pid32 = (uint32_t)pid;
		copy_to_user(req->ptid, &pid32, sizeof(pid32));
	}
	return pid;
}

void proc_for_each_thread(struct proc *p, void (*fn)(struct thread *t, void *arg), void *arg)
{
	uint64_t irq = spin_lock_irqsave(&p->threads_lock);

	for (struct thread *t = p->threads; t; t = t->group_next)
		fn(t, arg);
	spin_unlock_irqrestore(&p->threads_lock, irq);
}

/* Tells every thread but self to die; threads_lock held. */
static void tell_others_to_die(struct proc *p, struct thread *self)
{
	for (struct thread *t = p->threads; t; t = t->group_next) {
		if (t == self)
			continue;
		__atomic_store_n(&t->dying, true, __ATOMIC_RELAXED);
		sched_interrupt(t); /* which raises it above its nice value (sched/prio.c) */
	}
}

/* What a thread leaves for user space when it dies (Linux's mm_release). */
static void release_user_words(struct thread *t)
{
	uint32_t zero = 0;

	futex_robust_exit(t);
	if (t->clear_child_tid && !copy_to_user(t->clear_child_tid, &zero, sizeof(zero)))
		futex_wake_shared(t->clear_child_tid, 1); /* pthread_join */
}

void thread_exit(int wait_status)
{
	struct thread *t = current_thread();
	struct proc *p = t->proc;
	uint64_t irq, sig_irq, exit_irq, ns = 0;
	int left, pid;

	release_user_words(t);
	/* No user access after this: the last thread may free the space. */
	aspace_activate(NULL);
	clock_read_ns(ABI_CLOCK_THREAD_CPUTIME_ID, &ns);
	/* IRQs masked from leaving the list to the switch away, but for the
	 * last thread's proc_zombify (which masks them again before the
	 * parent may look): a thread that left is never preempted, so a
	 * parent waiting for its stack (proc_wait) waits for one switch, not
	 * behind busier threads while it sits in a run queue. */
	exit_irq = irq_save();
	/* Off the list under the signal lock too: whoever holds it and found
	 * t there (signal_send_tid) may use t until it lets go. */
	signal_lock(p, &sig_irq);
	irq = spin_lock_irqsave(&p->threads_lock);
	for (struct thread **pp = &p->threads; *pp; pp = &(*pp)->group_next) {
		if (*pp == t) {
			*pp = t->group_next;
			break;
		}
	}
	left = --p->nthreads;
	if (p->exiting)
		wait_status = p->exit_status;
	if (left)
		p->dead_threads_ns += ns;
	pid = p->pid;
	waitq_wake_all(&p->threads_wait);
	spin_unlock_irqrestore(&p->threads_lock, irq);
	signal_unlock(p, sig_irq);
	if (t->user_tid != pid)
		proc_free_tid(t->user_tid);
	if (!left) {
		irq_restore(exit_irq);
		proc_zombify(wait_status);
	}
	/* Another thread is the last: p is reaped once this one is freed
	 * too (proc_thread_freed); the thread no longer uses it. */
	t->proc = NULL;
	sched_exit_current();
}

void proc_exit(int wait_status)
{
	struct thread *t = current_thread();
	struct proc *p = t->proc;
	uint64_t irq = spin_lock_irqsave(&p->threads_lock);

	if (!p->exiting) {
		p->exiting = true;
		p->exit_status = wait_status;
	}
	tell_others_to_die(p, t);
	spin_unlock_irqrestore(&p->threads_lock, irq);
	thread_exit(wait_status);
}

int thread_group_single(void)
{
	struct thread *t = current_thread();
	struct proc *p = t->proc;
	uint64_t irq = spin_lock_irqsave(&p->threads_lock);
	int err = 0, old_tid = 0;

	if (p->nthreads > 1) {
		if (p->exiting || thread_dying(t))
			err = -EINTR;
		else
			tell_others_to_die(p, t);
	}
	while (!err && p->nthreads > 1)
		err = waitq_sleep(&p->threads_wait, &p->threads_lock, 0);
	if (!err && t->user_tid != p->pid) {
		/* As on Linux, the thread that execs takes the process's id. */
		old_tid = t->user_tid;
		t->user_tid = p->pid;
	}
	spin_unlock_irqrestore(&p->threads_lock, irq);
	if (old_tid)
		proc_free_tid(old_tid); /* proc_lock: not inside threads_lock */
	return err;
}
