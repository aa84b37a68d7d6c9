/*
 * kernel/jobctl.h: job control: sessions and process groups (pgrp.c), and
 * what wait4/waitid see of children: exits, stops and continues not yet
 * reported (jobctl.c), plus the orphaned-group rule at exit. Every field
 * here is guarded by proc_lock (kernel/proc.c), like the rest of a
 * process's family.
 */
#ifndef KERNEL_JOBCTL_H
#define KERNEL_JOBCTL_H

#include "kernel/lib/types.h"

struct proc;
struct file;

/* A session: the processes setsid made and their descendants. Shared by
 * its members, freed when the last one is reaped. */
struct session {
	int sid;                   /* set at creation, then read-only */
	int refs;                  /* processes in it; proc_lock */
	/* The controlling terminal: comes with the terminal daemon (TIOCSCTTY,
	 * TIOCSPGRP, a foreground group); always NULL for now. */
	struct file *ctty;
};

/* A process's place in job control; all guarded by proc_lock. */
struct proc_job {
	int pgid;                  /* process group id */
	struct session *session;   /* NULL only before fork/init fill it in */
	bool did_exec;             /* exec'd since fork: setpgid gives EACCES */
	bool stopped;              /* stopped now (between the notifications) */
	int stop_report;           /* signal of a stop wait has not reported, or 0 */
	bool cont_report;          /* continued, wait has not reported it */
};

/* --- pgrp.c: groups and sessions --- */

/* init: pid 1, pgid 1, sid 1. */
void jobctl_init_first(struct proc *p);
/* fork: child inherits the parent's group and session. proc_lock held. */
void jobctl_fork_locked(struct proc *child, struct proc *parent);
/* exec: the process can no longer be moved by its parent. proc_lock held. */
void jobctl_exec_locked(struct proc *p);
/* Drops p's session reference when p is freed (takes proc_lock). */
void jobctl_release(struct proc *p);
/* Whether kill(pid, ...) from cur reaches target (ALIVE). proc_lock held. */
bool jobctl_kill_matches(const struct proc *target, const struct proc *cur, int pid);
/* The system calls: 0/id or -errno, with Linux's rules. */
long jobctl_setpgid(int pid, int pgid);
long jobctl_getpgid(int pid);
long jobctl_setsid(void);
long jobctl_getsid(int pid);
/* p is exiting and still has its children: sends SIGHUP then SIGCONT to
 * every group that its exit orphans and that has a stopped member
 * (POSIX _exit). proc_lock held. */
void jobctl_exit_locked(struct proc *p);

/* --- jobctl.c: stop/continue notifications and wait events --- */

/* Called by signal delivery when p stops on sig / is continued (SIGCONT).
 * Record the event for the parent's wait, wake it and send it SIGCHLD
 * (CLD_STOPPED/CLD_CONTINUED; not if it set SA_NOCLDSTOP). They take proc_lock:
 * the caller must not hold it. */
void proc_notify_stopped(struct proc *p, int sig);
void proc_notify_continued(struct proc *p);

/* What a wait asks for: the children it names and the events it wants. */
struct wait_req {
	int idtype;                /* ABI_P_ALL, ABI_P_PID, ABI_P_PGID */
	int id;                    /* pid or pgid (> 0) */
	int options;               /* ABI_WNOHANG/WEXITED/WSTOPPED/WCONTINUED/WNOWAIT */
};

/* An event found: the child, its wait4 status, and for an exit its CPU
 * time (with its reaped children's). */
struct wait_result {
	int pid;
	int status;                /* Linux wait(2) encoding */
	uint64_t cpu_ns;
};

/* Linux's wait(2) status encodings of a stop (signal << 8 | 0x7f) and a
 * continue; exits and kills: kernel/proc.h. */
#define WAIT_STOP_MARK 0x7f
#define WAIT_CONTINUED 0xffff

enum wait_event { WAIT_NONE, WAIT_EXIT, WAIT_STOP, WAIT_CONT };

bool jobctl_wait_matches(const struct proc *c, const struct wait_req *req);
/* c's reportable event, filled into res (left alone for WAIT_NONE); a
 * stop or continue is consumed unless WNOWAIT (an exit is reaped by the
 * caller). proc_lock held. */
enum wait_event jobctl_wait_event(struct proc *c, const struct wait_req *req,
				  struct wait_result *res);

#endif
