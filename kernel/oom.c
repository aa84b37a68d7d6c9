/*
 * kernel/oom.c: the out-of-memory killer (see mm/uvm_oom.h). The choice is
 * Linux's oom_badness reduced to resident pages; as Linux's
 * oom_evaluate_task does, a victim already dying is waited for rather
 * than a second one killed.
 */
#include "mm/uvm_oom.h"
#include "kernel/proc.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/thread_group.h"
#include "kernel/scheme/scheme.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "mm/uvm.h"
#include "mm/layout.h"
#include "asm/cpu.h"
#include <string.h>

/* How long a fault waits for a victim's memory before failing. Generous:
 * the victim's threads must each notice SIGKILL and leave the kernel. */
#define OOM_WAIT_NS (5 * NSEC_PER_SEC)
/* How often the waiter looks: no event marks an address space's release,
 * and a tick is as fine as the scheduler sleeps. */
#define OOM_POLL_NS TICK_NS

struct oom_pick {
	int server_pid;             /* file:'s daemon, never chosen */
	int pid;                    /* the victim, 0 if none */
	uint64_t start_ns;          /* the victim's, so a reused pid is not it */
	size_t pages;
	char name[PROC_NAME_MAX];
	bool dying;                 /* the victim was killed already */
};

/* The pid of the daemon serving the root file system, 0 if none. */
static int file_server_pid(void)
{
	const struct scheme *s = scheme_find(&root_namespace, "file");
	int pid = s ? s->server_pid : 0;

	if (s)
		scheme_put(s);
	return pid;
}

static bool is_dying(struct proc *p)
{
	return __atomic_load_n(&p->exiting, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&p->sig.exit_sig, __ATOMIC_RELAXED);
}

/* proc_lock held (proc_for_each); p->as is stable under it. */
static void consider(struct proc *p, void *arg)
{
	struct oom_pick *o = arg;
	size_t pages;
	bool dying;

	if (p->state != PROC_ALIVE || !p->as || p->pid == INIT_PID || p->pid == o->server_pid)
		return;
	pages = uvm_pages(p->as);
	dying = is_dying(p);
	/* A dying process with memory beats every live one. */
	if (!pages || (o->dying && !dying) || (o->dying == dying && pages <= o->pages))
		return;
	o->pid = p->pid;
	o->start_ns = p->start_ns;
	o->pages = pages;
	o->dying = dying;
	memcpy(o->name, p->name, sizeof(o->name));
}

static long kill_victim(struct proc *p, void *arg)
{
	const struct oom_pick *o = arg;

	if (p->start_ns != o->start_ns)
		return -ESRCH;
	proc_kill_locked(p, ABI_SIGKILL);
	return 0;
}

/* 0 if the victim was still there to kill. */
static long kill_victim_by_pid(struct oom_pick *o)
{
	return proc_with_pid(o->pid, kill_victim, o);
}

/* 1 while the victim still holds its address space. */
static long holds_memory(struct proc *p, void *arg)
{
	const struct oom_pick *o = arg;

	return p->start_ns == o->start_ns && p->as;
}

bool oom_kill_and_wait(void)
{
	struct oom_pick o = { 0 };
	uint64_t deadline;
	struct thread *me = current_thread();

	/* Interrupts masked: the caller holds a spinlock (a futex bucket's
	 * around cmpxchg_user_u32, say), which may rank below proc_lock and
	 * the namespace's: taking them could deadlock. Fail as before; the
	 * next fault that can sleep does the killing. */
	if (irqs_disabled())
		return false;
	o.server_pid = file_server_pid();
	proc_for_each(consider, &o);
	if (!o.pid)
		return false;
	if (!o.dying && kill_victim_by_pid(&o) == 0)
		printk("oom: killed pid %d (%s) rss %lu KiB\n", o.pid, o.name,
		       (unsigned long)(o.pages * PAGE_SIZE / KiB));
	if (me->proc && o.pid == me->proc->pid)
		return false;
	deadline = timer_now_ns() + OOM_WAIT_NS;
	while (proc_with_pid(o.pid, holds_memory, &o) == 1) {
		if (thread_dying(me) || timer_now_ns() >= deadline)
			return false;
		/* A pending signal ends a sleep at once: then only yield. */
		if (sched_sleep_until(timer_deadline_after_ns(OOM_POLL_NS)))
			sched_yield();
	}
	return true;
}
