/*
 * kernel/jobctl.h: job-control reports to the parent: a process stopped by
 * a signal, or continued by SIGCONT. Signal delivery (kernel/signal.c)
 * calls these without holding any lock; they record the report for wait4
 * under proc_lock, wake the parent's child_wait and send it SIGCHLD
 * (unless it set SA_NOCLDSTOP).
 */
#ifndef KERNEL_JOBCTL_H
#define KERNEL_JOBCTL_H

struct proc;

void proc_notify_stopped(struct proc *p, int sig);
void proc_notify_continued(struct proc *p);

#endif
