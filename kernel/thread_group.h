/*
 * kernel/thread_group.h: a process as a group of threads: clone (threads,
 * fork, vfork), the exit of one thread (exit) and of all (exit_group, a
 * fatal signal, execve), the child-tid word and the robust-futex list a
 * thread leaves behind. The group's fields are in struct proc, guarded by
 * p->threads_lock (lock order: proc_lock, then the signal lock proc_sig.lock,
 * then threads_lock, then wait_lock).
 */
#ifndef KERNEL_THREAD_GROUP_H
#define KERNEL_THREAD_GROUP_H

#include "kernel/lib/types.h"

struct proc;
struct thread;
struct trap_frame;

/* clone(2)'s arguments, decoded and checked (AArch64 order: flags, stack,
 * parent_tid, tls, child_tid). */
struct clone_req {
	uint64_t flags, stack, ptid, tls, ctid;
};

/* clone(2): a thread of the caller's process or a new process. Every
 * combination not in the list musl and glibc use gets -EINVAL before
 * anything is made. Returns the new thread's tid or the child's pid. */
long thread_clone(struct trap_frame *tf, const struct clone_req *req);
/* Makes t (a new process's first thread, not yet runnable) start like the
 * caller with tf: new stack, TLS, child-tid word written (as on Linux, a
 * word that cannot be written is skipped) and/or recorded. */
void thread_setup_forked(struct thread *t, const struct trap_frame *tf,
			 const struct clone_req *req);
/* Adds t (created for p, not yet runnable) to p's group: proc_init_first
 * and fork, for the first thread. */
void thread_group_add_first(struct proc *p, struct thread *t);

/* exit(2): the calling thread ends; the last one makes the process a
 * zombie with wait_status (or the group's, if it is exiting). */
__noreturn void thread_exit(int wait_status);
/* execve from a thread of a group: tells every other thread to die and
 * waits until they have; 0, or -EINTR if the caller must die itself. */
int thread_group_single(void);
/* Whether t was told to die (exit_group, execve by another thread). */
bool thread_dying(const struct thread *t);

/* Calls fn(t, arg) for every live thread of p, under p->threads_lock
 * (with interrupts masked): fn may take wait_lock (sched_interrupt,
 * sched_wake) but not proc_lock or threads_lock, and must not sleep. A
 * thread on the list has not exited yet, so t stays valid during fn.
 * Callers may hold proc_lock. For signal delivery (pick a thread, or all). */
void proc_for_each_thread(struct proc *p, void (*fn)(struct thread *t, void *arg), void *arg);

#endif
