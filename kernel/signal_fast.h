/*
 * kernel/signal_fast.h: the signal layer's part of every system call's entry
 * and return, inline: a null system call's whole kernel path is a few dozen
 * instructions, and calls into signal.c for state that is almost always
 * "nothing to do" were a third of it. The slow cases stay in signal.c
 * (signal_deliver, signal_return_done), which use these same helpers.
 */
#ifndef KERNEL_SIGNAL_FAST_H
#define KERNEL_SIGNAL_FAST_H

#include "sched/thread.h"
#include "asm/trap.h"
#include "syscall/abi/abi.h"
#include "kernel/lib/errno.h"

/* One plain load of a word others write atomically, as Linux's READ_ONCE:
 * a relaxed atomic load on this compiler costs an extra add (no offset
 * addressing), and the value is only a hint here (see below). */
#define READ_HINT(x) (*(const volatile __typeof__(x) *)&(x))

/* Records the system call t enters, for a restart after a signal (its
 * number stays in the frame's x8, which no handler rewrites). */
static inline void signal_syscall_enter(struct thread *t, const struct trap_frame *tf)
{
	t->sig.in_syscall = true;
	t->sig.syscall_x0 = tf->x[0];
}

/*
 * A return with no system call to restart: none was made, or it finished
 * with anything but -EINTR (only -EINTR is ever restarted). Then the
 * record is cleared, and any armed restart_syscall with it, and the answer
 * is true; false leaves the record for signal.c's syscall_restart.
 * syscall_return_finished is the same for a return known to end a call.
 */
static inline bool syscall_return_finished(struct thread *t, const struct trap_frame *tf)
{
	if ((int64_t)tf->x[0] == -EINTR)
		return false;
	t->sig.in_syscall = false;
	t->sig.restart_armed = false;
	return true;
}

static inline bool syscall_return_plain(struct thread *t, const struct trap_frame *tf)
{
	return !t->sig.in_syscall || syscall_return_finished(t, tf);
}

/*
 * Whether the return to user space has no signal work at all: nothing for
 * t to act on (signal_pending_for: an unblocked signal, or told to die),
 * no mask to put back (signal_return_done) and no system call to restart.
 * Irqs masked, as for the checks it stands for. May clear the finished
 * system call's record (syscall_return_plain), as signal_return_done does.
 */
static inline bool signal_return_quiet(struct thread *t, const struct trap_frame *tf)
{
	if (__atomic_load_n(&t->sig.interrupt, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&t->dying, __ATOMIC_RELAXED) || t->sig.restore_mask)
		return false;
	return syscall_return_plain(t, tf);
}

/*
 * The end of a system call that ran without signal_syscall_enter (the
 * fast path, exception.c, whose calls never rewrite the frame: x0 is still
 * the first argument): result ret goes into x0, and only an -EINTR one,
 * the one result a restart follows, is recorded as signal_syscall_enter
 * would have (saves the entry's two stores on every other call). Any other
 * clears the record, and an armed restart_syscall with it, as
 * syscall_return_finished. in_syscall and restart_armed are neighbours, so
 * clearing both is one store. True when the call wants the return's
 * signal work (signal_deliver, signal_return_done) for its -EINTR.
 */
static inline bool signal_syscall_done(struct thread *t, struct trap_frame *tf, long ret)
{
	bool eintr = ret == -EINTR;

	if (__builtin_expect(eintr, 0)) {
		t->sig.in_syscall = true;
		t->sig.syscall_x0 = tf->x[0];
	} else {
		t->sig.in_syscall = false;
		t->sig.restart_armed = false;
	}
	tf->x[0] = (uint64_t)ret;
	return eintr;
}

/*
 * signal_return_quiet for the return from a system call that
 * signal_syscall_done found finished (not -EINTR), the common case made
 * short: the record is already clear, and the flags are read once each as
 * a hint (READ_HINT): anything seen set sends the caller to the slow path,
 * whose signal_pending_for reads interrupt again with acquire before it
 * uses the pending sets.
 */
static inline bool signal_syscall_return_quiet(const struct thread *t)
{
	return !READ_HINT(t->sig.interrupt) && !READ_HINT(t->dying) && !t->sig.restore_mask;
}

#endif
