/*
 * kernel/signal_send.c: sending signals: the thread that takes a
 * process-directed one, dropping what nobody will see, stop and continue
 * acting at the send, the wake-up of the target, faults forced on the
 * current thread, and a parent's SIGCHLD. Queues are
 * kernel/signal_queue.c's.
 */
#include "kernel/signal_internal.h"
#include "kernel/proc.h"
#include "kernel/thread_group.h"
#include "kernel/jobctl.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "syscall/abi/abi.h"
#include <stddef.h>
#include <string.h>

/* CLD_* times are in clock ticks (USER_HZ). */
#define NSEC_PER_CLOCK_TICK (NSEC_PER_SEC / 100)

struct pick {
	uint64_t bit;                /* the signal's */
	struct thread *any, *unblocked;
};

static void pick_one(struct thread *t, void *arg)
{
	struct pick *pk = arg;

	if (!pk->any)
		pk->any = t;
	if (!pk->unblocked && !(t->sig.blocked & pk->bit))
		pk->unblocked = t;
}

/* pick_thread's walk over p's threads, out of line: its pick, whose
 * address the walk takes, would cost every send (the self-send too) a
 * stack-protector check. */
static __attribute__((noinline)) struct thread *pick_walk(struct proc *p, int sig)
{
	struct pick pk = { .bit = SIG_BIT(sig) };

	proc_for_each_thread(p, pick_one, &pk);
	return pk.unblocked ? pk.unblocked : pk.any;
}

/* The thread that takes a process-directed signal: one that does not
 * block it, else any (it stays pending in the shared set until a thread
 * unblocks it). NULL once every thread has exited. p->sig.lock held. */
static struct thread *pick_thread(struct proc *p, int sig)
{
	struct thread *self = current_thread();

	/* A process signalling itself (kill(getpid())) from its newest
	 * thread, which does not block sig: the walk would pick that first
	 * thread, so no walk (a thread joining meanwhile may be missed, as it
	 * may be by a walk just before it joins). */
	if (__atomic_load_n(&p->threads, __ATOMIC_RELAXED) == self && !(self->sig.blocked & SIG_BIT(sig)))
		return self;
	return pick_walk(p, sig);
}

void signal_raise_sigpipe(void)
{
	struct abi_siginfo info;

	signal_kill_info(&info, ABI_SIGPIPE, ABI_SI_USER);
	signal_send_thread(current_thread(), ABI_SIGPIPE, &info);
}

/* A signal nobody will see is dropped at once, as on Linux; a blocked one
 * is kept (the action may change before it is unblocked, sigtimedwait may
 * take it). */
static bool discard_locked(struct proc *p, struct thread *t, int sig)
{
	uint64_t h = p->sig.actions[sig].handler;

	if ((t->sig.blocked | t->sig.real_blocked) & SIG_BIT(sig))
		return false;
	if (h == ABI_SIG_DFL && signal_init_unkillable(p))
		return true;
	return h == ABI_SIG_IGN || (h == ABI_SIG_DFL && signal_default_ignored(sig));
}

/* Stop and continue act when sent, as on Linux: SIGCONT (and SIGKILL)
 * ends a stop and drops pending stop signals; a stop signal drops a
 * pending SIGCONT. */
static void jobctl_on_send_locked(struct proc *p, int sig)
{
	struct proc_sig *ps = &p->sig;

	if (sig == ABI_SIGCONT || sig == ABI_SIGKILL) {
		signal_unqueue_everywhere(p, SIG_STOP_SET);
		if (ps->stopped) {
			ps->stopped = false;
			waitq_wake_all(&ps->stop_wait);
		}
	} else if (sig < ABI_SIGRTMIN && (SIG_STOP_SET & SIG_BIT(sig))) {
		signal_unqueue_everywhere(p, SIG_BIT(ABI_SIGCONT));
	}
}

/* t: a thread of p for a thread-directed signal, NULL for p itself.
 * info NULL: kill(2)'s SI_USER from the current process (signal_enqueue).
 * *queued (if not NULL) tells whether info was put on a queue.
 * p->sig.lock held. */
static int send_locked_q(struct proc *p, struct thread *t, int sig, const struct abi_siginfo *info,
			 bool *queued)
{
	struct thread *target = t ? t : pick_thread(p, sig);
	int err = 0;

	if (p->sig.exit_sig || !target)
		return 0; /* dying anyway */
	jobctl_on_send_locked(p, sig);
	if (!discard_locked(p, target, sig)) {
		struct sigqueue *q = t ? &t->sig.queue : &p->sig.shared;
		int before = q->count;

		err = signal_enqueue(q, sig, info);
		if (queued)
			*queued = q->count > before;
	}
	signal_recalc_locked(p);
	/* sched_interrupt also raises a target with a fatal signal pending
	 * above its nice value (sched/prio.c). The sender itself acts on its
	 * own signal at its return to user space: no wake-up, no check. */
	if (target != current_thread() && signal_pending_for(target))
		sched_interrupt(target);
	return err;
}

static int send_locked(struct proc *p, struct thread *t, int sig, const struct abi_siginfo *info)
{
	return send_locked_q(p, t, sig, info, NULL);
}

int signal_send_timer_locked(struct proc *p, struct thread *t, int sig,
			     const struct abi_siginfo *info)
{
	bool queued = false;
	int err = send_locked_q(p, t, sig, info, &queued);

	return err < 0 ? err : queued;
}

static int send(struct proc *p, struct thread *t, int sig, const struct abi_siginfo *info)
{
	uint64_t flags;
	int err;

	if (sig < 1 || sig > ABI_SIG_MAX)
		return -EINVAL;
	flags = spin_lock_irqsave(&p->sig.lock);
	err = send_locked(p, t, sig, info);
	spin_unlock_irqrestore(&p->sig.lock, flags);
	return err;
}

struct find_tid {
	int tid;
	struct thread *found;
};

static void match_tid(struct thread *t, void *arg)
{
	struct find_tid *f = arg;

	if (t->user_tid == f->tid)
		f->found = t;
}

struct thread *signal_find_thread_locked(struct proc *p, int tid)
{
	struct find_tid f = { .tid = tid };

	proc_for_each_thread(p, match_tid, &f);
	return f.found;
}

int signal_send_tid(struct proc *p, int tid, int sig, const struct abi_siginfo *info)
{
	struct thread *t;
	uint64_t flags;
	int err = 0;

	if (sig < 0 || sig > ABI_SIG_MAX)
		return -EINVAL;
	/* A thread leaves the list under this lock too (thread_exit), so the
	 * one found stays alive until the signal is queued. */
	flags = spin_lock_irqsave(&p->sig.lock);
	t = signal_find_thread_locked(p, tid);
	if (!t)
		err = -ESRCH;
	else if (sig)
		err = send_locked(p, t, sig, info);
	spin_unlock_irqrestore(&p->sig.lock, flags);
	return err;
}

int signal_send_proc(struct proc *p, int sig, const struct abi_siginfo *info)
{
	return send(p, NULL, sig, info);
}

int signal_send_thread(struct thread *t, int sig, const struct abi_siginfo *info)
{
	return send(t->proc, t, sig, info);
}

int signal_send_proc_user(struct proc *p, int sig)
{
	return send(p, NULL, sig, NULL);
}

/* The kill member's pid and uid share the first word after the header
 * (little-endian: pid low, uid high). */
_Static_assert(offsetof(struct abi_siginfo, kill.pid) == offsetof(struct ksiginfo, fields) &&
	       offsetof(struct abi_siginfo, kill.uid) == offsetof(struct ksiginfo, fields) +
	       sizeof(int32_t), "kill.pid, kill.uid: ksiginfo's fields[0]");
#define KILL_UID_SHIFT 32

void signal_user_info(struct ksiginfo *k, int sig, int code)
{
	struct proc *cur = current_proc();
	uint32_t pid = cur ? (uint32_t)cur->pid : 0;
	uint64_t uid = cur ? cred_ruid(cur) : CRED_ROOT_ID; /* the sender's real uid */

	*k = (struct ksiginfo){ .si_signo = sig, .si_code = code,
				.fields = { pid | uid << KILL_UID_SHIFT } };
}

void signal_kill_info(struct abi_siginfo *info, int sig, int code)
{
	struct ksiginfo k;

	signal_user_info(&k, sig, code);
	siginfo_expand(info, &k);
}

void signal_force_fault(int sig, int code, uint64_t addr)
{
	struct thread *t = current_thread();
	struct proc *p = t->proc;
	struct abi_siginfo info = { .si_signo = sig, .si_code = code };
	uint64_t flags = spin_lock_irqsave(&p->sig.lock);

	info.fault.addr = addr;
	if (p->sig.actions[sig].handler == ABI_SIG_IGN || (t->sig.blocked & SIG_BIT(sig))) {
		p->sig.actions[sig].handler = ABI_SIG_DFL;
		t->sig.blocked &= ~SIG_BIT(sig);
	}
	if (p->sig.actions[sig].handler == ABI_SIG_DFL)
		p->sig.fatal_fault = true; /* even init dies of it */
	signal_enqueue(&t->sig.queue, sig, &info);
	signal_recalc_locked(p);
	spin_unlock_irqrestore(&p->sig.lock, flags);
}

void signal_notify_parent(struct proc *parent, struct proc *child, int code, int status)
{
	struct abi_siginfo info = { .si_signo = ABI_SIGCHLD, .si_code = code };
	uint64_t flags = spin_lock_irqsave(&parent->sig.lock);
	bool nocldstop = parent->sig.actions[ABI_SIGCHLD].flags & ABI_SA_NOCLDSTOP;

	spin_unlock_irqrestore(&parent->sig.lock, flags);
	if ((code == ABI_CLD_STOPPED || code == ABI_CLD_CONTINUED) && nocldstop)
		return;
	info.chld.pid = child->pid;
	info.chld.status = status;
	info.chld.utime = (int64_t)(child->cpu_ns / NSEC_PER_CLOCK_TICK);
	signal_send_proc(parent, ABI_SIGCHLD, &info);
}

void signal_child_exited(struct proc *parent, struct proc *child, int wait_status)
{
	int sig = wait_status & WAIT_SIG_MASK;

	if (!sig)
		signal_notify_parent(parent, child, ABI_CLD_EXITED,
				     (wait_status >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK);
	else
		signal_notify_parent(parent, child,
				     (wait_status & WAIT_CORE_BIT) ? ABI_CLD_DUMPED : ABI_CLD_KILLED, sig);
}

bool signal_parent_autoreaps(struct proc *parent)
{
	uint64_t flags = spin_lock_irqsave(&parent->sig.lock);
	const struct abi_sigaction *act = &parent->sig.actions[ABI_SIGCHLD];
	bool reaps = act->handler == ABI_SIG_IGN || (act->flags & ABI_SA_NOCLDWAIT);

	spin_unlock_irqrestore(&parent->sig.lock, flags);
	return reaps;
}

