/*
 * kernel/signal.c: signal state, sending, and masks (see signal.h). Acting
 * on signals at the return to user space is kernel/signal_deliver.c; the
 * system calls are in syscall/sys_signal*.c.
 */
#include "kernel/signal_internal.h"
#include "kernel/proc.h"
#include "kernel/jobctl.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "kernel/timer.h"
#include "sched/sched.h"
#include "asm/trap.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_mqueue.h"
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

/* The thread that takes a process-directed signal: one that does not
 * block it, else any (it stays pending in the shared set until a thread
 * unblocks it). NULL once every thread has exited. p->sig.lock held. */
static struct thread *pick_thread(struct proc *p, int sig)
{
	struct pick pk = { .bit = SIG_BIT(sig) };

	proc_for_each_thread(p, pick_one, &pk);
	return pk.unblocked ? pk.unblocked : pk.any;
}

static void unqueue_set(struct proc *p, struct sigqueue *q, uint64_t set);

static void unqueue_one(struct thread *t, void *arg)
{
	unqueue_set(t->proc, &t->sig.queue, *(const uint64_t *)arg);
}

/* Drops the signals of set from p's shared queue and every thread's.
 * p->sig.lock held. */
static void unqueue_everywhere(struct proc *p, uint64_t set)
{
	unqueue_set(p, &p->sig.shared, set);
	proc_for_each_thread(p, unqueue_one, &set);
}

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

/* Drops the queued signals of POSIX timers from q, as Linux's
 * flush_itimer_signals at execve: the timer is gone, and one that fired on
 * another CPU just before must not reach the new program. Lock held. */
static void unqueue_timer_signals(struct sigqueue *q)
{
	int n = 0;

	for (int i = 0; i < q->count; i++) {
		if (q->q[i].si_code == ABI_SI_TIMER)
			q->pending &= ~SIG_BIT(q->q[i].si_signo);
		else
			q->q[n++] = q->q[i];
	}
	q->count = n;
	for (int i = 0; i < n; i++) /* a real-time signal queued again by another sender */
		q->pending |= SIG_BIT(q->q[i].si_signo);
}

void signal_exec(struct proc *p, struct thread *t)
{
	uint64_t flags;

	posix_timer_delete_all(p);
	flags = spin_lock_irqsave(&p->sig.lock);
	unqueue_timer_signals(&p->sig.shared);
	unqueue_timer_signals(&t->sig.queue);
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

void signal_raise_sigpipe(void)
{
	struct abi_siginfo info;

	signal_kill_info(&info, ABI_SIGPIPE, ABI_SI_USER);
	signal_send_thread(current_thread(), ABI_SIGPIPE, &info);
}

bool signal_pending_for(const struct thread *t)
{
	return t && t->proc && (__atomic_load_n(&t->sig.interrupt, __ATOMIC_ACQUIRE) ||
				thread_dying(t));
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

void signal_recalc_thread(struct proc *p, struct thread *t)
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

static void recalc_one(struct thread *t, void *arg)
{
	signal_recalc_thread(arg, t);
}

void signal_recalc_locked(struct proc *p)
{
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

	/* Only the signals asked about (bit sig-1 is signal sig). */
	for (uint64_t rest = set; rest; rest &= rest - 1) {
		int sig = __builtin_ctzll(rest) + 1;

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

/* Queues info as signal sig (its si_signo is set to sig in the queue). */
static int enqueue(struct sigqueue *q, int sig, const struct abi_siginfo *info)
{
	if (sig < ABI_SIGRTMIN && (q->pending & SIG_BIT(sig)))
		return 0; /* standard signals do not queue */
	if (q->count < SIGQUEUE_MAX) {
		q->q[q->count] = *info;
		q->q[q->count++].si_signo = sig;
	} else if (sig >= ABI_SIGRTMIN && info->si_code != ABI_SI_USER)
		return -EAGAIN;
	q->pending |= SIG_BIT(sig);
	return 0;
}

/* Drops the signals of set from q (p's); a timer's signal dropped counts
 * as taken, so that a periodic timer goes on. p->sig.lock held. */
static void unqueue_set(struct proc *p, struct sigqueue *q, uint64_t set)
{
	int n = 0;

	for (int i = 0; i < q->count; i++) {
		if (!(SIG_BIT(q->q[i].si_signo) & set))
			q->q[n++] = q->q[i];
		else if (q->q[i].si_code == ABI_SI_TIMER)
			posix_timer_dequeued_locked(p, &q->q[i]);
	}
	q->count = n;
	q->pending &= ~set;
}

/* Removes the first queued sig from q into info; false if not pending. */
static bool take(struct sigqueue *q, int sig, struct abi_siginfo *info)
{
	int i = 0;
	bool more = false;

	if (!(q->pending & SIG_BIT(sig)))
		return false;
	while (i < q->count && q->q[i].si_signo != sig)
		i++;
	if (i < q->count) {
		*info = q->q[i];
		memmove(&q->q[i], &q->q[i + 1], (size_t)(q->count - i - 1) * sizeof(q->q[0]));
		q->count--;
		for (int j = i; j < q->count && !more; j++)
			more = q->q[j].si_signo == sig;
	} else {
		/* Pending without a queued entry (the queue was full). */
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = ABI_SI_USER;
	}
	if (!more)
		q->pending &= ~SIG_BIT(sig);
	return true;
}

int signal_dequeue_locked(struct thread *t, uint64_t set, struct abi_siginfo *info)
{
	struct proc *p = t->proc;
	uint64_t cand = (t->sig.queue.pending | p->sig.shared.pending) & set;
	int sig;

	if (!cand)
		return 0;
	sig = __builtin_ctzl(cand) + 1;
	if (!take(&t->sig.queue, sig, info))
		take(&p->sig.shared, sig, info);
	if (info->si_code == ABI_SI_TIMER)
		posix_timer_dequeued_locked(p, info);
	return sig;
}

/* Stop and continue act when sent, as on Linux: SIGCONT (and SIGKILL)
 * ends a stop and drops pending stop signals; a stop signal drops a
 * pending SIGCONT. */
static void jobctl_on_send_locked(struct proc *p, int sig)
{
	struct proc_sig *ps = &p->sig;

	if (sig == ABI_SIGCONT || sig == ABI_SIGKILL) {
		unqueue_everywhere(p, SIG_STOP_SET);
		if (ps->stopped) {
			ps->stopped = false;
			waitq_wake_all(&ps->stop_wait);
		}
	} else if (sig < ABI_SIGRTMIN && (SIG_STOP_SET & SIG_BIT(sig))) {
		unqueue_everywhere(p, SIG_BIT(ABI_SIGCONT));
	}
}

/* t: a thread of p for a thread-directed signal, NULL for p itself.
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

		err = enqueue(q, sig, info);
		if (queued)
			*queued = q->count > before;
	}
	signal_recalc_locked(p);
	/* sched_interrupt also raises a target with a fatal signal pending
	 * above its nice value (sched/prio.c). */
	if (signal_pending_for(target) && target != current_thread())
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

void signal_kill_info(struct abi_siginfo *info, int sig, int code)
{
	struct proc *cur = current_proc();

	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->kill.pid = cur ? cur->pid : 0;
	info->kill.uid = cur ? cred_ruid(cur) : CRED_ROOT_ID; /* the sender's real uid */
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
	enqueue(&t->sig.queue, sig, &info);
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
			unqueue_everywhere(p, SIG_BIT(sig));
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
	signal_recalc_thread(p, t); /* only t's mask changed */
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
