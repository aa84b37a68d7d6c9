/*
 * kernel/jobctl.c: job-control reports (see jobctl.h). A minimal version:
 * the report is recorded in p->sig (stop_report, cont_report, guarded by
 * proc_lock) for a wait4 that knows WUNTRACED/WCONTINUED.
 */
#include "kernel/jobctl.h"
#include "kernel/proc.h"
#include "kernel/signal.h"

void proc_notify_stopped(struct proc *p, int sig)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	p->sig.stop_report = sig;
	p->sig.cont_report = false;
	if (p->parent) {
		signal_notify_parent(p->parent, p, ABI_CLD_STOPPED, sig);
		waitq_wake_all(&p->parent->child_wait);
	}
	spin_unlock_irqrestore(&proc_lock, flags);
}

void proc_notify_continued(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&proc_lock);

	p->sig.stop_report = 0;
	p->sig.cont_report = true;
	if (p->parent) {
		signal_notify_parent(p->parent, p, ABI_CLD_CONTINUED, ABI_SIGCONT);
		waitq_wake_all(&p->parent->child_wait);
	}
	spin_unlock_irqrestore(&proc_lock, flags);
}
