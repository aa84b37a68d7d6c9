/*
 * sched/threads.c: the scheduler's list of every thread (for sys:context
 * and the load average): creating and freeing threads, each CPU's idle
 * thread, and the statistics read from the list. all_threads and next_tid
 * are guarded by wait_lock (runqueue.h).
 */
#include "sched/runqueue.h"
#include "mm/kmap.h"
#include "mm/heap.h"
#include "kernel/proc.h"
#include "asm/trap.h"
#include "asm/fpsimd.h"
#include <string.h>

static struct thread *all_threads;
static int next_tid = 1;
static struct thread boot_thread; /* becomes CPU 0's idle thread */

static void link_thread(struct thread *t)
{
	t->all_next = all_threads;
	all_threads = t;
}

/* Makes t, a kernel thread with no stack of its own yet, this CPU's idle
 * thread (it is what runs now). */
static void become_idle(struct thread *t)
{
	struct cpu *c = this_cpu();
	struct runqueue *rq = &runqueues[c->id];
	uint64_t flags;

	*rq = (struct runqueue){ .lock = SPINLOCK_INIT("runqueue"), .curr_prio = THREAD_PRIORITIES };
	c->rq = rq;
	t->tid = 0;
	t->kthread = true;
	t->state = THREAD_RUNNING;
	t->prio = THREAD_PRIORITIES - 1;
	t->cpu = c->id;
	t->on_cpu = true;
	t->affinity = 1ULL << c->id;
	t->run_start = sched_counter();
	c->current = c->idle = t;
	fpsimd_cpu_init(); /* before any switch on this CPU (asm/fpsimd.h) */
	flags = spin_lock_irqsave(&wait_lock);
	link_thread(t);
	spin_unlock_irqrestore(&wait_lock, flags);
}

void sched_init(void)
{
	become_idle(&boot_thread);
	sched_cpu_join(this_cpu()->id);
	sched_hook_tick();
}

void sched_init_cpu(void)
{
	static struct thread idle_threads[MAX_CPUS]; /* [0] unused: boot_thread */

	become_idle(&idle_threads[this_cpu()->id]);
}

struct thread *thread_create_user(struct proc *p)
{
	struct thread *t = kzalloc(sizeof(*t));
	uint64_t flags;

	if (!t)
		return NULL;
	t->kstack_top = kstack_alloc();
	if (!t->kstack_top) {
		kfree(t);
		return NULL;
	}
	t->proc = t->owner = p;
	t->as = proc_thread_space(t);
	proc_thread_made(p);
	t->tf = (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
	memset(t->tf, 0, sizeof(*t->tf));
	t->ctx.sp = (uint64_t)t->tf;
	t->ctx.lr = (uint64_t)thread_trampoline;
	t->prio = THREAD_PRIO_USER;
	t->state = THREAD_SLEEPING; /* not runnable until sched_add */
	t->cpu = this_cpu()->id;
	flags = spin_lock_irqsave(&wait_lock);
	/* As Linux: a new thread or process inherits its creator's CPUs. */
	t->affinity = current_thread()->kthread ? CPU_MASK_ALL : current_thread()->affinity;
	t->tid = next_tid++;
	link_thread(t);
	spin_unlock_irqrestore(&wait_lock, flags);
	return t;
}

void thread_free(struct thread *t)
{
	struct proc *owner = t->owner;
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	for (struct thread **p = &all_threads; *p; p = &(*p)->all_next) {
		if (*p == t) {
			*p = t->all_next;
			break;
		}
	}
	spin_unlock_irqrestore(&wait_lock, flags);
	kstack_free(t->kstack_top);
	kfree(t);
	if (owner)
		proc_thread_freed(owner); /* last: its reaper may free owner now */
}

void thread_discard(struct thread *t)
{
	thread_free(t);
}

/* Under wait_lock: a running or ready thread's state and CPU may change
 * under its run queue lock meanwhile, so they are read once, atomically. */
static void stat_locked(const struct thread *t, struct thread_stat *st)
{
	*st = (struct thread_stat){ .state = __atomic_load_n(&t->state, __ATOMIC_RELAXED),
				    .cpu_ns = __atomic_load_n(&t->cpu_ns, __ATOMIC_RELAXED),
				    .sys_ns = __atomic_load_n(&t->sys_ticks, __ATOMIC_RELAXED) * TICK_NS,
				    .cpu = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED) };
}

void sched_thread_stat(struct thread *t, struct thread_stat *st)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	stat_locked(t, st);
	spin_unlock_irqrestore(&wait_lock, flags);
}

void sched_count(struct sched_counts *out)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	*out = (struct sched_counts){ 0 };
	for (struct thread *t = all_threads; t; t = t->all_next) {
		enum thread_state s = __atomic_load_n(&t->state, __ATOMIC_RELAXED);

		if (t->kthread || s == THREAD_DEAD)
			continue;
		out->threads++;
		/* READY <-> RUNNING flips under a queue lock; both count. */
		if (s == THREAD_READY || s == THREAD_RUNNING)
			out->active++;
	}
	spin_unlock_irqrestore(&wait_lock, flags);
}

void sched_for_each_kthread(void (*fn)(const struct thread_stat *st, void *arg), void *arg)
{
	uint64_t flags = spin_lock_irqsave(&wait_lock);

	for (struct thread *t = all_threads; t; t = t->all_next) {
		struct thread_stat st;

		if (!t->kthread)
			continue;
		stat_locked(t, &st);
		fn(&st, arg);
	}
	spin_unlock_irqrestore(&wait_lock, flags);
}
