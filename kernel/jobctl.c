/*
 * kernel/jobctl.c: what wait4 and waitid see of a child (see jobctl.h):
 * which children a request names, and the one event a child has to report
 * (exit first, then a stop, then a continue). Signal delivery records stops
 * and continues here through proc_notify_stopped/continued, which also send
 * the parent SIGCHLD (CLD_STOPPED/CLD_CONTINUED, unless SA_NOCLDSTOP).
 */
#include "kernel/jobctl.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "sched/waitq.h"

/* Tells p's parent of a stop or continue: SIGCHLD with code and status,
 * and a wake-up of its wait. proc_lock held. */
static void notify_parent_locked(struct proc *p, int code, int status)
{
	if (p->parent) {
		signal_notify_parent(p->parent, p, code, status);
		waitq_wake_all(&p->parent->child_wait);
	}
}

void proc_notify_stopped(struct proc *p, int sig)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	p->job.stopped = true;
	p->job.stop_report = sig;
	p->job.cont_report = false;
	notify_parent_locked(p, ABI_CLD_STOPPED, sig);
	spin_unlock_irqrestore(&proc_lock, flags);
}

void proc_notify_continued(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	p->job.stopped = false;
	p->job.stop_report = 0;
	p->job.cont_report = true;
	notify_parent_locked(p, ABI_CLD_CONTINUED, ABI_SIGCONT);
	spin_unlock_irqrestore(&proc_lock, flags);
}

bool jobctl_wait_matches(const struct proc *c, const struct wait_req *req)
{
	/* As on Linux, a zombie is no candidate for a wait that does not ask
	 * for exits: with no other child that is ECHILD, not a wait for ever. */
	if (c->state == PROC_ZOMBIE && !(req->options & ABI_WEXITED))
		return false;
	switch (req->idtype) {
	case ABI_P_PID:
		return c->pid == req->id;
	case ABI_P_PGID:
		return c->job.pgid == req->id;
	default:
		return true; /* ABI_P_ALL */
	}
}

enum wait_event jobctl_wait_event(struct proc *c, const struct wait_req *req,
				  struct wait_result *res)
{
	bool consume = !(req->options & ABI_WNOWAIT);
	enum wait_event ev = WAIT_NONE;

	if (c->state == PROC_ZOMBIE) {
		if (req->options & ABI_WEXITED) {
			res->status = c->wait_status;
			ev = WAIT_EXIT;
		}
	} else if (c->job.stop_report && (req->options & ABI_WSTOPPED)) {
		res->status = (c->job.stop_report << WAIT_CODE_SHIFT) | WAIT_STOP_MARK;
		if (consume)
			c->job.stop_report = 0;
		ev = WAIT_STOP;
	} else if (c->job.cont_report && (req->options & ABI_WCONTINUED)) {
		res->status = WAIT_CONTINUED;
		if (consume)
			c->job.cont_report = false;
		ev = WAIT_CONT;
	}
	if (ev != WAIT_NONE) {
		res->pid = c->pid;
		res->cpu_ns = ev == WAIT_EXIT ? c->cpu_ns : 0;
	}
	return ev;
}
