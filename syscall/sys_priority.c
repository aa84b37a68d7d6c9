/*
 * syscall/sys_priority.c: setpriority(2) and getpriority(2) on threads:
 * PRIO_PROCESS with who a TID of the caller's process (0: the caller), as
 * Linux applies it to one thread. The nice value maps onto Anode's run-queue
 * priorities (sched.c's nice_prio: 0 is the user level, 1..9 one lower,
 * 10..19 two lower). As for an unprivileged Linux process with the default
 * RLIMIT_NICE of 0, nice may go up (lower priority) freely and down only to
 * 0 (the value threads start with; Anode has no users to privilege):
 * below 0 is EACCES. Limits: PRIO_PGRP and PRIO_USER are EINVAL, other
 * processes' threads ESRCH, and a new thread starts at nice 0 (Linux
 * copies its creator's).
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"

struct prio_req {
	bool set;
	int nice;   /* set: the new value; get: the value found */
};

struct own_thread_req {
	int tid;
	long (*fn)(struct thread *t, void *arg);
	void *arg;
	long err;   /* -ESRCH until the thread is found */
};

/* Under threads_lock (proc_for_each_thread): t stays alive. */
static void own_thread_one(struct thread *t, void *arg)
{
	struct own_thread_req *r = arg;

	if (t->user_tid == r->tid)
		r->err = r->fn(t, r->arg);
}

long with_own_thread(int tid, long (*fn)(struct thread *t, void *arg), void *arg)
{
	struct own_thread_req r = { .tid = tid ? tid : current_thread()->user_tid, .fn = fn,
				    .arg = arg, .err = -ESRCH };

	proc_for_each_thread(current_proc(), own_thread_one, &r);
	return r.err;
}

static long prio_one(struct thread *t, void *arg)
{
	struct prio_req *r = arg;

	if (r->set)
		sched_set_nice(t, r->nice);
	else
		r->nice = sched_get_nice(t);
	return 0;
}

static long prio_apply(int which, int who, struct prio_req *r)
{
	if (which != ABI_PRIO_PROCESS && which != ABI_PRIO_PGRP && which != ABI_PRIO_USER)
		return -EINVAL;
	if (which != ABI_PRIO_PROCESS)
		return -EINVAL; /* PRIO_PGRP, PRIO_USER: not supported */
	return with_own_thread(who, prio_one, r);
}

/* setpriority(which, who, nice) */
SYSCALL(setpriority)
{
	struct prio_req r = { .set = true, .nice = (int)ARG(2) };

	r.nice = MAX(ABI_NICE_MIN, MIN(ABI_NICE_MAX, r.nice));
	if (r.nice < 0) /* checked first: nothing changes */
		return (int)ARG(0) == ABI_PRIO_PROCESS ? -EACCES : -EINVAL;
	return prio_apply((int)ARG(0), (int)ARG(1), &r);
}

/* getpriority(which, who): 20 - nice, as the raw Linux call returns. */
SYSCALL(getpriority)
{
	struct prio_req r = { .set = false };
	long err = prio_apply((int)ARG(0), (int)ARG(1), &r);

	return err ? err : ABI_NICE_RAW_BIAS - r.nice;
}
