/*
 * kernel/signal_deliver.c: acting on signals at the return to user space
 * (see signal.h): a handler's frame (built by arch/aarch64/sigframe.c), a
 * default action (ignore, stop, die), and the restart of the system call a
 * signal interrupted, as Linux would. Sending and the signal state are in
 * kernel/signal.c.
 */
#include "kernel/signal_internal.h"
#include "kernel/proc.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "asm/trap.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_mqueue.h"

/* Every A64 instruction is 4 bytes: a restart re-runs the svc. */
#define AARCH64_INSN_SIZE 4

/* How Linux restarts an interrupted system call (-EINTR here). */
enum restart_kind {
	RESTART_NEVER,
	RESTART_SYS,       /* -ERESTARTSYS: unless a handler without SA_RESTART ran */
	RESTART_NOHAND,    /* -ERESTARTNOHAND: only if no handler ran */
	RESTART_BLOCK,     /* -ERESTART_RESTARTBLOCK: as NOHAND, through restart_syscall */
};

static enum restart_kind syscall_restart_kind(struct thread *t, uint64_t nr)
{
	switch (nr) {
	case SYS_read: case SYS_write: case SYS_readv: case SYS_writev:
	case SYS_pread64: case SYS_pwrite64: case SYS_wait4:
	/* Their deadlines are absolute: running them again is right. */
	case SYS_mq_timedsend: case SYS_mq_timedreceive:
		return RESTART_SYS;
	case SYS_rt_sigsuspend:
		return RESTART_NOHAND;
	case SYS_nanosleep: case SYS_clock_nanosleep:
		/* An absolute clock_nanosleep simply runs again. */
		return t->sig.restart_armed ? RESTART_BLOCK : RESTART_NOHAND;
	case SYS_restart_syscall:
		/* With no sleep to continue, its EINTR is final (Linux's
		 * do_no_restart_syscall): restarted, it would fail again,
		 * and again, and the call would never return. */
		return t->sig.restart_armed ? RESTART_BLOCK : RESTART_NEVER;
	default:
		return RESTART_NEVER;
	}
}

/* An interrupted system call (act: the handler that runs, NULL if none):
 * restarted as Linux would (syscall_restart_kind), else -EINTR. */
static void syscall_restart(struct thread *t, struct trap_frame *tf, const struct abi_sigaction *act)
{
	enum restart_kind kind;

	if (syscall_return_plain(t, tf))
		return;
	t->sig.in_syscall = false;
	kind = syscall_restart_kind(t, tf->x[SYSCALL_NR_REG]);
	if (kind == RESTART_NEVER || (kind == RESTART_SYS && act && !(act->flags & ABI_SA_RESTART)) ||
	    (kind >= RESTART_NOHAND && act)) {
		t->sig.restart_armed = false;
		return;
	}
	if (kind == RESTART_BLOCK)
		tf->x[SYSCALL_NR_REG] = SYS_restart_syscall;
	tf->x[0] = t->sig.syscall_x0;
	tf->elr -= AARCH64_INSN_SIZE;
}

bool signal_return_done(struct trap_frame *tf)
{
	struct thread *t = current_thread();
	struct proc *p = t->proc;
	uint64_t flags;

	syscall_restart(t, tf, NULL);
	if (!t->sig.restore_mask)
		return false;
	flags = spin_lock_irqsave(&p->sig.lock);
	t->sig.blocked = t->sig.saved_mask;
	t->sig.restore_mask = false;
	signal_recalc_locked(p);
	spin_unlock_irqrestore(&p->sig.lock, flags);
	return true;
}

/* Sleeps while p is stopped; SIGCONT or SIGKILL ends it. */
static void stop_wait(struct proc *p, struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);
	bool continued;

	t->sig.stop_parked = true;
	signal_recalc_locked(p);
	while (p->sig.stopped && !signal_pending_for(t))
		waitq_sleep(&p->sig.stop_wait, &p->sig.lock, 0);
	t->sig.stop_parked = false;
	continued = !p->sig.stopped && !p->sig.exit_sig &&
		    !((t->sig.queue.pending | p->sig.shared.pending) & SIG_BIT(ABI_SIGKILL));
	signal_recalc_locked(p);
	spin_unlock_irqrestore(&p->sig.lock, flags);
	if (continued)
		proc_notify_continued(p);
}

__noreturn static void die(int sig)
{
	int status = WAIT_SIGNALED(sig);

	if (sig < ABI_SIGRTMIN && (SIG_CORE_SET & SIG_BIT(sig)))
		status |= WAIT_CORE_BIT;
	proc_exit(status);
}

/* The flags after signal_deliver took a signal for t: every thread's if
 * the shared pending set changed (all), else t's own queue or mask alone
 * did, and only t's flag can be different. p->sig.lock held. */
static void recalc_after_take(struct proc *p, struct thread *t, bool all)
{
	if (all)
		signal_recalc_locked(p);
	else
		signal_recalc_thread(p, t);
}

/* t's mask as it was before a handler's (put back if its frame cannot be
 * written: Linux changes the mask only once the frame is there). */
struct mask_before {
	uint64_t blocked;
	bool restore_mask;
};

/*
 * The handler's mask for sig, set with p->sig.lock held (the lock
 * signal_deliver already holds, so it is taken once a signal): the mask
 * in force now (a sigsuspend's or ppoll's while it waited) plus the
 * handler's own; the frame keeps the one sigreturn restores (Linux:
 * current->blocked, sigmask_to_save), which is the answer.
 */
static uint64_t handler_mask_locked(struct proc *p, struct thread *t, int sig,
				    const struct abi_sigaction *act, struct mask_before *before,
				    bool all)
{
	uint64_t old = t->sig.restore_mask ? t->sig.saved_mask : t->sig.blocked;

	*before = (struct mask_before){ t->sig.blocked, t->sig.restore_mask };
	t->sig.blocked |= act->mask;
	if (!(act->flags & ABI_SA_NODEFER))
		t->sig.blocked |= SIG_BIT(sig);
	t->sig.blocked &= ~SIG_UNBLOCKABLE;
	t->sig.restore_mask = false;
	recalc_after_take(p, t, all);
	return old;
}

/* A handler for sig, its mask already set (handler_mask_locked, which
 * answered old): builds its frame. */
static void run_handler(struct thread *t, struct trap_frame *tf, int sig,
			const struct abi_sigaction *act, const struct ksiginfo *info, uint64_t old,
			const struct mask_before *before)
{
	struct proc *p = t->proc;
	uint64_t flags;

	syscall_restart(t, tf, act);
	if (sigframe_setup(tf, sig, act, info, old) == 0)
		return;
	/* No room for the frame: SIGSEGV, as on Linux (force_sigsegv), with
	 * the mask as it was (only t changes its own). */
	flags = spin_lock_irqsave(&p->sig.lock);
	t->sig.blocked = before->blocked;
	t->sig.restore_mask = before->restore_mask;
	signal_recalc_thread(p, t);
	spin_unlock_irqrestore(&p->sig.lock, flags);
	signal_force_fault(ABI_SIGSEGV, ABI_SI_KERNEL, 0);
	if (sig == ABI_SIGSEGV) {
		flags = spin_lock_irqsave(&p->sig.lock);
		p->sig.actions[ABI_SIGSEGV].handler = ABI_SIG_DFL;
		spin_unlock_irqrestore(&p->sig.lock, flags);
	}
}

void signal_deliver(struct trap_frame *tf)
{
	struct thread *t = current_thread();
	struct proc *p = t->proc;

	for (;;) {
		struct ksiginfo info;
		struct abi_sigaction act;
		struct mask_before before;
		uint64_t flags = spin_lock_irqsave(&p->sig.lock);
		uint64_t shared, old;
		bool all;
		int sig;

		if (p->sig.exit_sig) {
			sig = p->sig.exit_sig;
			spin_unlock_irqrestore(&p->sig.lock, flags);
			die(sig);
		}
		if (p->sig.stopped) {
			spin_unlock_irqrestore(&p->sig.lock, flags);
			stop_wait(p, t);
			continue;
		}
		shared = p->sig.shared.pending;
		sig = signal_dequeue_kept_locked(t, ~t->sig.blocked, &info);
		/* The flags follow the pending sets; every way out below
		 * recomputes them before the lock goes (recalc_after_take; a
		 * handler's mask does it: one recalc, not two, for a handler;
		 * stop and death recompute them all). */
		all = p->sig.shared.pending != shared;
		if (!sig) {
			recalc_after_take(p, t, all);
			spin_unlock_irqrestore(&p->sig.lock, flags);
			return;
		}
		act = p->sig.actions[sig];
		if (act.handler == ABI_SIG_IGN ||
		    (act.handler == ABI_SIG_DFL && (signal_default_ignored(sig) || signal_init_unkillable(p)))) {
			recalc_after_take(p, t, all);
			spin_unlock_irqrestore(&p->sig.lock, flags);
			continue;
		}
		if (act.handler == ABI_SIG_DFL && sig < ABI_SIGRTMIN && (SIG_STOP_SET & SIG_BIT(sig))) {
			p->sig.stopped = true;
			signal_recalc_locked(p);
			signal_kick_locked(p);
			spin_unlock_irqrestore(&p->sig.lock, flags);
			proc_notify_stopped(p, sig);
			stop_wait(p, t);
			continue;
		}
		if (act.handler == ABI_SIG_DFL) {
			p->sig.exit_sig = sig;
			signal_recalc_locked(p);
			signal_kick_locked(p);
			spin_unlock_irqrestore(&p->sig.lock, flags);
			die(sig);
		}
		if (act.flags & ABI_SA_RESETHAND)
			p->sig.actions[sig].handler = ABI_SIG_DFL;
		old = handler_mask_locked(p, t, sig, &act, &before, all);
		spin_unlock_irqrestore(&p->sig.lock, flags);
		/* One frame per call, as Linux's get_signal: the caller
		 * (return_to_user_work) looks at the interrupt flag again,
		 * which handler_mask_locked recomputed, and comes back for the
		 * next. */
		run_handler(t, tf, sig, &act, &info, old, &before);
		return;
	}
}
