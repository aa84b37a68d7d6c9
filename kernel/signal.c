/*
 * kernel/signal.c: a process's and a thread's signal state (see signal.h):
 * its life (creation, fork, threads, exec, exit), the interrupt flag each
 * thread's return to user space checks, what is pending, actions and masks.
 * Queues are kernel/signal_queue.c; sending, kernel/signal_send.c; acting
 * on signals at the return to user space, kernel/signal_deliver.c; the
 * system calls are in syscall/sys_signal*.c.
 */
#include "kernel/signal_internal.h"
#include "kernel/proc.h"
#include "kernel/jobctl.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/bits.h"
#include "kernel/timer.h"
#include "sched/sched.h"
#include "asm/trap.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_mqueue.h"
#include <string.h>

void signal_init_proc(struct proc *p)
{
	p->sig.lock = (spinlock_t)SPINLOCK_INIT("sig");
	p->sig.stop_wait = (struct waitq)WAITQ_INIT;
	mutex_init(&p->sig.ptimer_mutex, "ptimer");
}

void signal_fork(struct proc *child, struct thread *ct, struct proc *parent, struct thread *pt)
{
	uint64_t flags = spin_lock_irqsave(&parent->sig.lock);

	memcpy(child->sig.actions, parent->sig.actions, sizeof(child->sig.actions));
	ct->sig.blocked = pt->sig.blocked;
	spin_unlock_irqrestore(&parent->sig.lock, flags);
	ct->sig.altstack = pt->sig.altstack;
}

void signal_thread_created(struct thread *t, const struct thread *creator)
{
	/* As on Linux: the creator's mask; no alternate stack (it would be
	 * the creator's, shared by two threads). Only the creator sees t yet,
	 * and a thread reads its own mask without the lock. */
	t->sig.blocked = creator->sig.blocked;
	t->sig.altstack = (struct abi_stack){ .ss_flags = ABI_SS_DISABLE };
}

void signal_thread_joined(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);

	signal_recalc_locked(p); /* a shared signal the others block is its */
	spin_unlock_irqrestore(&p->sig.lock, flags);
}

void signal_exec(struct proc *p, struct thread *t)
{
	uint64_t flags;

	posix_timer_delete_all(p);
	flags = spin_lock_irqsave(&p->sig.lock);
	signal_unqueue_timer_signals(&p->sig.shared);
	signal_unqueue_timer_signals(&t->sig.queue);
	signal_recalc_locked(p);

	for (int sig = 1; sig <= ABI_SIG_MAX; sig++)
		if (p->sig.actions[sig].handler != ABI_SIG_IGN)
			p->sig.actions[sig] = (struct abi_sigaction){ .handler = ABI_SIG_DFL };
	spin_unlock_irqrestore(&p->sig.lock, flags);
	t->sig.altstack = (struct abi_stack){ .ss_flags = ABI_SS_DISABLE };
}

void signal_exit(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);

	/* No interval: a handler running now does not re-arm it. */
	p->sig.itimer_interval_ns = 0;
	spin_unlock_irqrestore(&p->sig.lock, flags);
	timer_cancel(&p->sig.itimer);
	posix_timer_delete_all(p);
}

bool signal_pending_for(const struct thread *t)
{
	return t && thread_signal_pending(t);
}

bool signal_fatal_pending(const struct thread *t)
{
	const struct proc *p = t ? t->proc : NULL;
	uint64_t pending;

	if (!p)
		return false;
	if (thread_dying(t) || __atomic_load_n(&p->sig.exit_sig, __ATOMIC_RELAXED))
		return true;
	pending = __atomic_load_n(&t->sig.queue.pending, __ATOMIC_RELAXED) |
		  __atomic_load_n(&p->sig.shared.pending, __ATOMIC_RELAXED);
	return pending & SIG_BIT(ABI_SIGKILL);
}

/* signal_recalc_thread in line, for this file's own calls (a mask change,
 * the one-thread recalc): a call frame less on every signal's path. */
static inline void recalc_thread(struct proc *p, struct thread *t)
{
	uint64_t pend = t->sig.queue.pending | p->sig.shared.pending;
	bool v;

	/* A stopped process's threads must come to stop_wait; parked there,
	 * only SIGKILL moves them. */
	if (p->sig.stopped)
		v = (pend & SIG_BIT(ABI_SIGKILL)) || !t->sig.stop_parked;
	else
		v = (pend & ~t->sig.blocked) != 0;
	__atomic_store_n(&t->sig.interrupt, v || p->sig.exit_sig, __ATOMIC_RELEASE);
}

void signal_recalc_thread(struct proc *p, struct thread *t)
{
	recalc_thread(p, t);
}

static void recalc_one(struct thread *t, void *arg)
{
	signal_recalc_thread(arg, t);
}

void signal_recalc_locked(struct proc *p)
{
	struct thread *first = __atomic_load_n(&p->threads, __ATOMIC_ACQUIRE);

	/* One thread, the common case: itself, without the walk (its lock
	 * and a call per thread). Threads leave the list only under
	 * p->sig.lock, held here; one joining meanwhile, missed, recomputes
	 * its flag once it is in (signal_thread_joined). */
	if (first && !__atomic_load_n(&first->group_next, __ATOMIC_RELAXED)) {
		recalc_thread(p, first);
		return;
	}
	proc_for_each_thread(p, recalc_one, p);
}

static void kick_one(struct thread *t, void *arg)
{
	(void)arg;
	if (t != current_thread() && signal_pending_for(t))
		sched_interrupt(t);
}

void signal_kick_locked(struct proc *p)
{
	proc_for_each_thread(p, kick_one, NULL);
}

struct proc_sig *signal_lock(struct proc *p, uint64_t *flags)
{
	*flags = spin_lock_irqsave(&p->sig.lock);
	return &p->sig;
}

void signal_unlock(struct proc *p, uint64_t flags)
{
	spin_unlock_irqrestore(&p->sig.lock, flags);
}

bool signal_default_ignored(int sig)
{
	return sig < ABI_SIGRTMIN && (SIG_IGNORE_SET & SIG_BIT(sig));
}

bool signal_is_default(struct proc *p, int sig)
{
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);
	bool dfl = p->sig.actions[sig].handler == ABI_SIG_DFL;

	spin_unlock_irqrestore(&p->sig.lock, flags);
	return dfl;
}

uint64_t signal_ignored_or_blocked_current(uint64_t set)
{
	struct proc *p = current_proc();
	struct thread *t = current_thread();
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);
	uint64_t out = set & (t->sig.blocked | t->sig.real_blocked);
	unsigned bit;

	/* Only the signals asked about (bit sig-1 is signal sig). */
	for_each_bit(bit, set) {
		int sig = (int)bit + 1;

		if (p->sig.actions[sig].handler == ABI_SIG_IGN)
			out |= SIG_BIT(sig);
	}
	spin_unlock_irqrestore(&p->sig.lock, flags);
	return out;
}

bool signal_init_unkillable(struct proc *p)
{
	return p->pid == INIT_PID && !p->sig.fatal_fault;
}

void signal_set_action(struct proc *p, int sig, const struct abi_sigaction *act,
		       struct abi_sigaction *old)
{
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);

	if (old)
		*old = p->sig.actions[sig];
	if (act) {
		p->sig.actions[sig] = *act;
		p->sig.actions[sig].mask &= ~SIG_UNBLOCKABLE;
		/* Pending instances of a signal now ignored are dropped (POSIX). */
		if (act->handler == ABI_SIG_IGN || (act->handler == ABI_SIG_DFL && signal_default_ignored(sig))) {
			signal_unqueue_everywhere(p, SIG_BIT(sig));
			signal_recalc_locked(p);
		}
	}
	spin_unlock_irqrestore(&p->sig.lock, flags);
}

void signal_set_mask(struct thread *t, uint64_t mask)
{
	struct proc *p = t->proc;
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);

	t->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	recalc_thread(p, t); /* only t's mask changed */
	spin_unlock_irqrestore(&p->sig.lock, flags);
}

void signal_mask_push(struct thread *t, uint64_t mask)
{
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_mask = true;
	signal_set_mask(t, mask);
}

void signal_mask_pop(struct thread *t, long ret)
{
	if (ret == -EINTR || !t->sig.restore_mask)
		return;
	t->sig.restore_mask = false;
	signal_set_mask(t, t->sig.saved_mask);
}

uint64_t signal_pending_set(struct thread *t)
{
	struct proc *p = t->proc;
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);
	uint64_t set = t->sig.queue.pending | p->sig.shared.pending;

	spin_unlock_irqrestore(&p->sig.lock, flags);
	return set;
}
